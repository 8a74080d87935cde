"""A station ready for delivery, made by the tests: a roster plus accepted photos with stored crops.

The photos are generated (a textured light-blue frame with a head-like shape), stored in the photo
store and given a crop rectangle, so packaging runs without face detection or shared photos.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from app.models import Photo, Student
from app.services.capture.photo_store import PhotoStore
from app.services.photo import load_preset
from app.services.photo.qc import QC_VERSION, rules_key
from tests.roster_files import students, write_xlsx

SOURCE_SIZE = (600, 800)
CROP = (60.0, 40.0, 480.0, 640.0)  # inside the source, 3:4 like legacy-192x144


def photo_file(path: Path, seed: int, flat: bool = False) -> Path:
    """A 600×800 JPEG with enough texture that the 144×192 output lands inside 6–30 KB (flat: far below)."""
    rng = np.random.default_rng(seed)
    w, h = SOURCE_SIZE
    base = np.zeros((h, w, 3), np.float32)
    base[:] = (100, 197, 255)
    img = Image.fromarray(base.astype(np.uint8))
    d = ImageDraw.Draw(img)
    if flat:  # a blank backdrop: encodes far below the preset's minimum size
        img.save(path, "JPEG", quality=92)
        return path
    d.ellipse((200, 150, 400, 420), fill=(200 - seed % 40, 160, 130))
    d.rectangle((120, 520, 480, 800), fill=(40 + seed % 60, 40, 80))
    arr = np.asarray(img, np.float32) + (0 if flat else rng.normal(0, 38, (h, w, 3)))
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(path, "JPEG", quality=92)
    return path


def roster(importer, station, tmp_path: Path, count: int, rows=None) -> None:
    rows = rows if rows is not None else students(count)
    report = importer.import_file(write_xlsx(tmp_path / "roster.xlsx", rows), station.id)
    assert report.valid_rows == len(rows), report.summary()


def add_photos(
    db,
    store: PhotoStore,
    tmp_path: Path,
    station_id: int,
    *,
    skip: tuple[int, ...] = (),
    state: dict[int, str] | None = None,
    qc: dict[int, str] | None = None,
    preset: str = "legacy-192x144",
    flat: tuple[int, ...] = (),
) -> None:
    """An accepted photo with a stored crop for every student (by 拍摄序号) not in `skip`."""
    state, qc = state or {}, qc or {}
    folder = tmp_path / "camera"
    folder.mkdir(exist_ok=True)
    with db.sessions.begin() as s:
        for st in s.query(Student).filter(Student.station_id == station_id).order_by(Student.shot_no):
            if st.shot_no in skip:
                continue
            stored = store.add(
                photo_file(folder / f"IMG_{st.shot_no:04d}.jpg", st.shot_no, st.shot_no in flat)
            )
            status = qc.get(st.shot_no, "ok")  # ok | fail (a soft check) | hard (a hard check)
            verdict = state.get(st.shot_no, "accepted")  # …, or override (仍接受, with a reason)
            checks = {
                "fail": [{"name": "sharpness", "label": "清晰度", "verdict": "fail", "hard": False}],
                "hard": [{"name": "coverage", "label": "画面完整", "verdict": "fail", "hard": True}],
            }.get(status, [])
            s.add(
                Photo(
                    student_id=st.id,
                    is_current=True,
                    sha256=stored.sha256,
                    stored_name=stored.stored_name,
                    original_name=f"IMG_{st.shot_no:04d}.jpg",
                    size_bytes=stored.size,
                    preset=preset,
                    source_width=SOURCE_SIZE[0],
                    source_height=SOURCE_SIZE[1],
                    auto_left=CROP[0],
                    auto_top=CROP[1],
                    auto_width=CROP[2],
                    auto_height=CROP[3],
                    crop_left=CROP[0],
                    crop_top=CROP[1],
                    crop_width=CROP[2],
                    crop_height=CROP[3],
                    qc_status="fail" if checks else status,
                    qc_version=QC_VERSION,
                    qc_rules=rules_key(load_preset(preset)),
                    faces=1,
                    review="accepted" if verdict == "override" else verdict,
                    qc=checks,
                    override_reason="人工核对：面部清晰、曝光正常" if verdict == "override" else "",
                )
            )
            st.photo_state = verdict


def jpeg_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size
