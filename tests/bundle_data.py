"""Station stores for bundle tests: a roster, a few photos with crops, proofing history — made by the tests."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy import select, text

from app.db import Database, sqlite_url
from app.models import EnrolmentPhoto, Photo, Student
from app.paths import photo_store_for
from app.services.capture.photo_store import PhotoStore
from app.services.capture.service import CaptureService
from app.services.photo import load_preset
from app.services.photo.qc import QC_VERSION, rules_key
from app.services.proofing.service import ProofingService
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService
from tests.roster_files import students, write_xlsx

STATION = "洛阳函授站"


def jpeg(path: Path, shade: int) -> Path:
    Image.fromarray(np.full((120, 90, 3), (shade, 120, 200), np.uint8)).save(path, "JPEG")
    return path


def make_station_store(
    folder: Path, count: int = 6, photos: int = 2, seed: int = 1, url: str | None = None, name: str = STATION
) -> Database:
    """A station's own store with `count` students, `photos` of them photographed and cropped, one proofed."""
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(url or sqlite_url(folder / "station.db"))
    station = StationService(db.sessions, "站点员").create(
        StationData(name=name, school_name="郑州大学", school_code="10459")
    )
    RosterImporter(db.sessions, "站点员", backup=False).import_file(
        write_xlsx(folder / "r.xlsx", students(count, seed=seed)), station.id
    )
    capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
    with db.sessions() as s:
        ids = list(
            s.scalars(select(Student.id).where(Student.station_id == station.id).order_by(Student.shot_no))
        )
    for i, sid in enumerate(ids[:photos]):
        photo_id = capture.take_in(sid, jpeg(folder / f"IMG_{i}.jpg", 10 + i * 20 + seed), "import")
        with db.sessions.begin() as s:
            p = s.get(Photo, photo_id)
            p.crop_left, p.crop_top, p.crop_width, p.crop_height, p.crop_rotation = 5.0, 6.0, 72.0, 96.0, 0.0
            p.qc_status, p.thumbnail, p.qc, p.qc_version = "ok", _thumb(), [], QC_VERSION
            p.qc_rules = rules_key(load_preset(p.preset))
        capture.accept(photo_id)
    if ids:
        ProofingService(db.sessions, "站点员").set_state([ids[0]], "correct")
    return db


def enrolment_jpeg(shade: int) -> bytes:
    """A small enrolment photo's bytes (150×200 like a registry's), different for every shade."""
    buf = io.BytesIO()
    Image.fromarray(np.full((200, 150, 3), (shade, 90, 60), np.uint8)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def add_enrolment(db: Database, folder: Path, student_no: str, data: bytes, suffix: str = ".jpg") -> str:
    """Store `data` as the student's enrolment original (as EnrolmentService.import_matched does, without the
    face model: no descriptor yet) and return its stored name."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{student_no}{suffix}"
    source.write_bytes(data)
    stored = PhotoStore(photo_store_for(db).root / "enrolment").add(source)
    with db.sessions.begin() as s:
        student = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        row = s.scalars(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == student.id)).first()
        if row is None:
            row = EnrolmentPhoto(student_id=student.id)
            s.add(row)
        row.sha256, row.size_bytes, row.original_name = stored.sha256, stored.size, source.name
        row.stored_name = f"enrolment/{stored.stored_name}"
        row.descriptor, row.descriptor_model, row.descriptor_note = None, "", ""
        return row.stored_name


def _thumb() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (3, 4), (1, 2, 3)).save(buf, "JPEG")
    return buf.getvalue()


def table_dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of the data tables, to prove an operation changed nothing."""
    out = {}
    with db.engine.connect() as conn:
        for table in (
            "station",
            "student",
            "photo",
            "proof_record",
            "audit_event",
            "bundle_exchange",
            "exchange_base",
            "enrolment_photo",
        ):
            out[table] = sorted(map(repr, conn.execute(text(f"SELECT * FROM {table}")).all()))
    return out
