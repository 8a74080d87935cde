"""`python main.py crop`: folders and files, clashing names, a bad file in the batch, the CSV report."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from main import main

SAMPLES = ["face_recognition__examples_obama.jpg", "face_recognition__examples_two_people.jpg"]


@pytest.fixture()
def inputs(tmp_path: Path, faces_dir: Path) -> Path:
    """A folder with two real photos, a same-stem photo in a subfolder, garbage and a no-face image."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for name in SAMPLES:
        shutil.copy(faces_dir / name, src / name)
    shutil.copy(faces_dir / SAMPLES[0], src / "sub" / SAMPLES[0])  # same stem → numbered suffix
    (src / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")
    yy, xx = np.mgrid[0:300, 0:400]
    Image.fromarray(np.stack([xx % 256, yy % 256, xx * 0 + 128], -1).astype(np.uint8)).save(src / "wall.png")
    (src / "notes.txt").write_text("ignored: not an image suffix")
    return src


def _report(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_crop_command_batch_and_report(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, report = tmp_path / "out", tmp_path / "report.csv"
    code = main(["crop", str(inputs), "--out", str(out), "--spec", "legacy-192x144", "--report", str(report)])
    assert code == 1  # a fail and an error among the inputs
    rows = _report(report)
    assert len(rows) == 5
    by_source = {Path(r["source"]).relative_to(inputs).as_posix(): r for r in rows}
    cols = list(rows[0].keys())
    assert cols[:9] == [
        "source",
        "output",
        "status",
        "crop_left",
        "crop_top",
        "crop_width",
        "crop_height",
        "rotation_deg",
        "error",
    ]
    assert "qc_faces" in cols and "qc_faces_verdict" in cols and "qc_crown_offset_verdict" in cols

    broken = by_source["broken.jpg"]
    assert broken["status"] == "error" and broken["output"] == "" and "broken.jpg" in broken["error"]
    wall = by_source["wall.png"]
    assert wall["status"] == "fail" and wall["output"] == "" and wall["qc_faces_verdict"] == "fail"
    two = by_source[SAMPLES[1]]
    assert two["status"] == "fail" and two["qc_faces"] == "2.0" and two["output"]
    one = by_source[SAMPLES[0]]
    assert one["qc_faces_verdict"] == "pass" and float(one["crop_width"]) > 0
    assert float(one["crop_height"]) / float(one["crop_width"]) == pytest.approx(192 / 144, rel=1e-3)

    outputs = sorted(p.name for p in out.iterdir())
    assert outputs == [
        "face_recognition__examples_obama-2.jpg",
        "face_recognition__examples_obama.jpg",
        "face_recognition__examples_two_people.jpg",
    ]
    with Image.open(out / "face_recognition__examples_obama.jpg") as im:
        assert im.size == (144, 192) and im.format == "JPEG"
    err = capsys.readouterr().err
    assert "裁切 [" in err and "完成" in err and "broken.jpg" in err


def test_crop_command_with_two_processes(faces_dir: Path, tmp_path: Path) -> None:
    files = [str(faces_dir / n) for n in SAMPLES]
    report = tmp_path / "r.csv"
    code = main(
        [
            "crop",
            *files,
            "--out",
            str(tmp_path / "o"),
            "--spec",
            "chsi-2017-480x640",
            "--jobs",
            "2",
            "--report",
            str(report),
        ]
    )
    rows = _report(report)
    assert [r["source"] for r in rows] == files  # input order, whatever order the workers finish in
    assert code == 1 and rows[0]["status"] in ("ok", "warn", "fail") and rows[1]["qc_faces_verdict"] == "fail"
    with Image.open(rows[0]["output"]) as im:
        assert im.size == (480, 640)


def test_crop_command_rejects_unknown_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["crop", str(tmp_path), "--out", str(tmp_path / "o"), "--spec", "nope"])
    assert code == 2
    assert "legacy-192x144" in capsys.readouterr().err
