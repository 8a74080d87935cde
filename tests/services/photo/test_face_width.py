"""The face-width estimate against hand measurements (tests/data/face_widths.csv, measured by eye)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from app.services.photo import load_photo, load_preset
from app.services.photo.crop import analyse
from app.services.photo.facewidth import BOX_WEIGHT, face_width

HAND = Path(__file__).resolve().parents[2] / "data" / "face_widths.csv"


@pytest.fixture(scope="module")
def measured(faces_dir: Path) -> list[tuple[str, float, float, float, float]]:
    """(file, hand width, estimate, YuNet box, irises' distance) for every shared photo."""
    preset = load_preset("chsi-2017-480x640")
    out = []
    with open(HAND, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            photo = load_photo(faces_dir / row["file"], min_long_side=960)
            fw = face_width(analyse(photo, preset).face)
            out.append((row["file"], float(row["width_px"]), fw.width, fw.box, fw.ipd))
    return out


def test_hand_measurements_cover_every_shared_photo(faces_dir: Path) -> None:
    with open(HAND, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(faces_dir / "annotations.csv", encoding="utf-8") as fh:
        files = {r["file"] for r in csv.DictReader(fh)}
    assert {r["file"] for r in rows} == files
    assert all(float(r["right_x"]) > float(r["left_x"]) and float(r["width_px"]) > 0 for r in rows)


def test_the_estimate_is_closer_to_the_hand_than_the_box(measured) -> None:
    errs = sorted(abs(est - hand) / hand * 100 for _, hand, est, _, _ in measured)
    box = sorted(abs(b - hand) / hand * 100 for _, hand, _, b, _ in measured)
    print("\nface width error %:", [round(e, 1) for e in errs])
    assert np.median(errs) <= 4.0 and errs[-1] <= 16.0
    assert sum(e <= 10 for e in errs) >= 18
    assert np.median(errs) < np.median(box) and errs[-1] < box[-1]


def test_leave_one_out_the_constants_still_hold(measured) -> None:
    """Fitted on 18 photos, each 19th is still within 10 % on 17 of 19 (no photo grades its own constant)."""
    hand = np.array([m[1] for m in measured])
    box = np.array([m[3] for m in measured])
    ipd = np.array([m[4] for m in measured])
    errs = []
    for i in range(len(hand)):
        rest = np.arange(len(hand)) != i
        est = (
            BOX_WEIGHT * np.median(hand[rest] / box[rest]) * box[i]
            + (1 - BOX_WEIGHT) * np.median(hand[rest] / ipd[rest]) * ipd[i]
        )
        errs.append(abs(est - hand[i]) / hand[i] * 100)
    assert sum(e <= 10 for e in errs) >= 17 and np.median(errs) <= 4.5
