"""The segmentation crown (segment.py): the shipped model, drawn heads and the hand-marked photos."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.services.photo import load_photo, segment
from app.services.photo.detect import Face, detect_faces, level_eyes
from app.services.photo.segment import ModelError, load_model, model_crown
from tests.conftest import needs_faces

# The drawn sitter (see _sitter): hair is an ellipse centred HAIR_CY with half-height HAIR_B, so the
# crown is at CROWN_Y; the face ellipse ends at CHIN_Y.
W, H, CX = 480, 640, 240
HAIR_CY, HAIR_A, HAIR_B = 275, 112, 128
CROWN_Y = HAIR_CY - HAIR_B  # 147
CHIN_Y = 310 + 112  # 422
EYE_Y = 300
HEAD = CHIN_Y - CROWN_Y


def _shaded(img: np.ndarray, mask: np.ndarray, rgb: tuple[int, int, int], amp: float, c, r: float) -> None:
    """Fill `mask` with `rgb` darkening away from `c`: flat fills are not people to the model."""
    yy, xx = np.mgrid[0 : img.shape[0], 0 : img.shape[1]]
    f = np.clip(1 - amp * ((xx - c[0]) ** 2 + (yy - c[1]) ** 2) / r**2, 0.3, 1)[..., None]
    img[mask] = (np.array(rgb, float) * f)[mask]


def _ellipse(centre: tuple[int, int], axes: tuple[int, int], a0: int = 0, a1: int = 360) -> np.ndarray:
    m = np.zeros((H, W), np.uint8)
    cv2.ellipse(m, centre, axes, 0, a0, a1, 1, -1)
    return m.astype(bool)


def _sitter() -> np.ndarray:
    """A drawn head and shoulders on a pale blue wall (RGB), crown at CROWN_Y."""
    img = np.zeros((H, W, 3), float)
    img[:] = (200, 215, 235)
    img += np.linspace(-15, 15, H)[:, None, None]
    _shaded(img, _ellipse((CX, H + 80), (260, 250), 180, 360), (110, 60, 60), 0.5, (CX, H), 300)
    neck = np.zeros((H, W), bool)
    neck[350 : H - 150, CX - 48 : CX + 48] = True
    _shaded(img, neck, (225, 190, 170), 0.6, (CX, 350), 120)
    _shaded(img, _ellipse((CX, HAIR_CY), (HAIR_A, HAIR_B)), (45, 35, 30), 0.3, (CX, 210), 150)
    _shaded(img, _ellipse((CX, 310), (88, 112)), (235, 200, 180), 0.45, (CX, EYE_Y), 120)
    for ex in (CX - 36, CX + 36):
        cv2.ellipse(img, (ex, EYE_Y), (15, 7), 0, 0, 360, (235, 235, 235), -1)
        cv2.circle(img, (ex, EYE_Y), 6, (60, 45, 40), -1)
        cv2.line(img, (ex - 18, EYE_Y - 20), (ex + 18, EYE_Y - 22), (60, 45, 40), 4)
    cv2.line(img, (CX, 310), (CX - 8, 345), (200, 160, 140), 3)
    cv2.ellipse(img, (CX, 372), (26, 8), 0, 0, 180, (180, 95, 90), -1)
    return cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (5, 5), 0)


# Where a face detector puts this face: box from the brows to the chin, eyes on the drawn irises.
SITTER_FACE = Face(
    (CX - 85.0, 215.0, 170.0, 205.0),
    (CX - 36.0, float(EYE_Y)),
    (CX + 36.0, float(EYE_Y)),
    (CX - 4.0, 330.0),
    (CX - 25.0, 370.0),
    (CX + 25.0, 370.0),
    0.9,
)


def _turned(img: np.ndarray, face: Face, deg: float) -> tuple[np.ndarray, Face, np.ndarray]:
    """The photo and face turned by `deg` (cv2 convention) about the eyes, and the affine used."""
    m = cv2.getRotationMatrix2D(face.eyes_mid, deg, 1.0)
    out = cv2.warpAffine(img, m, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    def p(pt: tuple[float, float]) -> tuple[float, float]:
        x, y = m @ np.array([pt[0], pt[1], 1.0])
        return float(x), float(y)

    x, y, w, h = face.box
    cx, cy = p((x + w / 2, y + h / 2))
    pts = [p(v) for v in (face.right_eye, face.left_eye, face.nose, face.mouth_right, face.mouth_left)]
    return out, Face((cx - w / 2, cy - h / 2, w, h), *pts, face.score), m


def test_shipped_model_loads_and_a_changed_copy_is_refused(tmp_path: Path) -> None:
    assert load_model() is not None
    data = bytearray(segment.model_path().read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "selfie_segmentation.tflite"
    tampered.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="校验值不符"):
        load_model(tampered)
    with pytest.raises(ModelError, match="找不到"):
        load_model(tmp_path / "missing.tflite")


def test_model_constant_is_the_notices_checksum() -> None:
    notice = (segment.model_path().parent / "NOTICE-selfie_segmentation.md").read_text(encoding="utf-8")
    assert "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c" in notice
    assert segment.MODEL_SHA256 == "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c"


def test_drawn_sitter_crown_within_2_percent_of_the_head() -> None:
    got = model_crown(_sitter(), 1.0, SITTER_FACE, 0.0)
    assert got is not None
    assert abs(got.point[1] - CROWN_Y) <= 0.02 * HEAD, got
    assert abs(got.point[0] - CX) <= 1.0
    assert not got.cut and got.confidence >= 0.5
    # Hair reaches HAIR_A either side of the axis (the widest row lies between crown and eyes).
    assert got.extent[0] == pytest.approx(HAIR_A, abs=0.06 * HAIR_A)
    assert got.extent[1] == pytest.approx(HAIR_A, abs=0.06 * HAIR_A)


def test_reduced_decode_gives_the_same_source_crown() -> None:
    half = cv2.resize(_sitter(), (W // 2, H // 2), interpolation=cv2.INTER_AREA)
    got = model_crown(half, 2.0, SITTER_FACE, 0.0)
    assert got is not None and abs(got.point[1] - CROWN_Y) <= 0.02 * HEAD, got


def test_tilted_sitter_crown_is_the_highest_row_on_the_axis() -> None:
    deg = 12.0
    img, face, m = _turned(_sitter(), SITTER_FACE, deg)
    # Highest point of the turned hair ellipse: its centre's row less the ellipse's vertical half-extent.
    t = math.radians(deg)
    top = (m @ np.array([CX, HAIR_CY, 1.0]))[1] - math.hypot(HAIR_A * math.sin(t), HAIR_B * math.cos(t))
    got = model_crown(img, 1.0, face, face.roll_deg)
    assert got is not None and abs(got.point[1] - top) <= 0.03 * HEAD, (got, top)
    # On the head's axis: the drawing's vertical centre line, turned with it.
    (ax, ay), (bx, by) = (m @ np.array([CX, y, 1.0]) for y in (0.0, float(EYE_Y)))
    off_axis = ((bx - ax) * (got.point[1] - ay) - (by - ay) * (got.point[0] - ax)) / math.hypot(
        bx - ax, by - ay
    )
    assert abs(off_axis) <= 2.0, got


def test_head_cut_by_the_top_edge_is_reported() -> None:
    top = 200  # rows dropped: the photo starts below the crown (147), above the eyes (300)
    img = np.ascontiguousarray(_sitter()[top:])
    x, y, w, h = SITTER_FACE.box
    face = Face(
        (x, y - top, w, h),
        *[(px, py - top) for px, py in (SITTER_FACE.right_eye, SITTER_FACE.left_eye, SITTER_FACE.nose)],
        *[(px, py - top) for px, py in (SITTER_FACE.mouth_right, SITTER_FACE.mouth_left)],
        0.9,
    )
    got = model_crown(img, 1.0, face, 0.0)
    assert got is not None and got.cut
    assert -3.0 <= got.point[1] <= 3.0  # the photo's top row: the replicated edge is not taken as hair


def test_no_person_at_the_face_gives_none() -> None:
    wall = np.full((H, W, 3), (200, 215, 235), np.uint8)
    assert model_crown(wall, 1.0, SITTER_FACE, 0.0) is None


def test_threads_each_get_a_network_and_agree() -> None:
    img = _sitter()
    alone = model_crown(img, 1.0, SITTER_FACE, 0.0)
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = list(pool.map(lambda _: model_crown(img, 1.0, SITTER_FACE, 0.0), range(4)))
    assert all(g == alone for g in got)


ROSE = "face_recognition__examples_knn_examples_train_rose_leslie_img1.jpg"
MODEL_HEAD_TOLERANCE = 0.05  # of the marked head (chin − crown)
MODEL_REQUIRED = 17


def test_model_crown_on_the_shared_photos(faces_dir: Path, annotations) -> None:
    rows = [r for r in annotations if "cut off" not in r["notes"]]
    hits, report = 0, []
    for row in rows:
        photo = load_photo(faces_dir / row["file"], min_long_side=640)
        faces = detect_faces(photo.image, photo.scale)
        assert faces, row["file"]
        face = level_eyes(photo.image, photo.scale, faces[0])
        got = model_crown(photo.image, photo.scale, face, face.roll_deg)
        marked, head = float(row["crown_y"]), float(row["chin_y"]) - float(row["crown_y"])
        err = (got.point[1] - marked) / head if got is not None else math.inf
        hits += abs(err) <= MODEL_HEAD_TOLERANCE
        report.append(f"{row['file']}: {err * 100:+.1f} % of the head")
    assert len(rows) >= 18
    assert hits >= MODEL_REQUIRED, f"{hits}/{len(rows)} within 5 %:\n" + "\n".join(report)


@needs_faces(ROSE)
def test_crown_cut_by_the_frame_is_flagged_on_the_shared_photo(faces_dir: Path, annotations) -> None:
    row = next(r for r in annotations if r["file"] == ROSE)
    assert "cut off" in row["notes"]  # her hair touches row 0; the true crown is above the photo
    photo = load_photo(faces_dir / row["file"], min_long_side=640)
    face = level_eyes(photo.image, photo.scale, detect_faces(photo.image, photo.scale)[0])
    got = model_crown(photo.image, photo.scale, face, face.roll_deg)
    assert got is not None and got.cut and got.point[1] <= 3.0


def test_a_missing_model_marks_the_crown_for_checking_instead_of_crashing(
    faces_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the model file the crop still works, and the crown says why it has only one opinion."""
    from app.services.photo import crop as crop_mod
    from app.services.photo import crop_photo, segment

    monkeypatch.setattr(segment, "model_path", lambda: tmp_path / "gone.tflite")
    monkeypatch.setattr(segment, "_local", threading.local())  # no network loaded on this thread yet
    monkeypatch.setattr(crop_mod, "CACHE_SIZE", 0)
    monkeypatch.setattr(crop_mod, "_cache", OrderedDict())  # an analysis an earlier test left would answer
    res = crop_photo(faces_dir / "face_recognition__examples_obama.jpg", "legacy-192x144")
    check = res.check("crown_found")
    assert res.image is not None and check.verdict == "warn"
    assert "找不到人像分割模型" in check.message and "请人工核对" in check.message
