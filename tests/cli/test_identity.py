"""`identity compare` and `identity check` from the command line."""

from __future__ import annotations

import numpy as np
from PIL import Image

from main import main
from tests.conftest import SHARED_FACES, needs_faces

OBAMA_A = "autocrop__tests_data_obama.jpg"
OBAMA_B = "face_recognition__examples_obama.jpg"
YOUNG_WOMAN = "HivisionIDPhotos__demo_images_test1.jpg"


@needs_faces(OBAMA_A, OBAMA_B)
def test_compare_prints_same_with_the_distance_and_exits_0(capsys):
    assert main(["identity", "compare", str(SHARED_FACES / OBAMA_A), str(SHARED_FACES / OBAMA_B)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("相同（距离 0.1")


@needs_faces(YOUNG_WOMAN, OBAMA_B)
def test_compare_prints_maybe_not_the_same_and_exits_0(capsys):
    assert main(["identity", "compare", str(SHARED_FACES / YOUNG_WOMAN), str(SHARED_FACES / OBAMA_B)]) == 0
    assert capsys.readouterr().out.startswith("可能不是本人（距离 0.")


@needs_faces(OBAMA_B)
def test_compare_without_a_face_says_why_and_exits_1(tmp_path, capsys):
    blank = tmp_path / "空白.png"
    Image.fromarray(np.full((300, 240, 3), 200, np.uint8)).save(blank)
    assert main(["identity", "compare", str(blank), str(SHARED_FACES / OBAMA_B)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("无法比对：") and "空白.png 中未检测到人脸" in err


def test_compare_a_missing_file_exits_1_without_a_traceback(tmp_path, capsys):
    assert main(["identity", "compare", str(tmp_path / "无.jpg"), str(tmp_path / "无2.jpg")]) == 1
    err = capsys.readouterr().err
    assert "无法比对" in err and "Traceback" not in err
