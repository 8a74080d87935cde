"""`--self-test [PHOTO]`: the end-to-end check an installed GradPhoto runs."""

from __future__ import annotations

from app.selftest import run_self_test
from main import main
from tests.conftest import SHARED_FACES, needs_faces


def test_self_test_without_a_photo(capsys):
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert "未检测到人脸" in out and "报送包" in out and "通过" in out


@needs_faces("HivisionIDPhotos__demo_images_test0.jpg")
def test_self_test_with_a_photo(capsys):
    assert run_self_test(str(SHARED_FACES / "HivisionIDPhotos__demo_images_test0.jpg")) == 0
    assert "人脸 1" in capsys.readouterr().out


def test_self_test_with_an_unreadable_photo(tmp_path, capsys):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 not really")
    assert run_self_test(str(bad)) == 1
    assert "失败" in capsys.readouterr().out


def test_self_test_fails_without_the_segmentation_model(capsys, monkeypatch, tmp_path):
    from app.services.photo import segment

    monkeypatch.setattr(segment, "model_path", lambda: tmp_path / "missing.tflite")
    assert run_self_test(None) == 1
    assert "找不到人像分割模型" in capsys.readouterr().out
