"""SQLAlchemy ORM models: the one schema, created and upgraded by Alembic (app/migrations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_DEPT_CODES: list[dict[str, str]] = [
    {"code": "001", "label": "成人脱产"},
    {"code": "002", "label": "夜大（业余）"},
    {"code": "003", "label": "函授"},
    {"code": "004", "label": "网络教育"},
]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Station(Base):
    """A 校外学习中心 / 函授站: the unit that shoots, delivers and pays."""

    __tablename__ = "station"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    school_name: Mapped[str] = mapped_column(String(200), default="")
    school_code: Mapped[str] = mapped_column(String(10), default="")
    default_school_type: Mapped[str] = mapped_column(String(50), default="普通高校")
    dept_codes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=lambda: list(DEFAULT_DEPT_CODES))
    fee_per_student: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("20.00"))
    payee_name: Mapped[str] = mapped_column(String(200), default="")
    payee_address: Mapped[str] = mapped_column(String(300), default="")
    payee_postcode: Mapped[str] = mapped_column(String(20), default="")
    payee_contact: Mapped[str] = mapped_column(String(100), default="")
    payee_phone: Mapped[str] = mapped_column(String(50), default="")
    default_preset: Mapped[str] = mapped_column(String(100), default="legacy-192x144")
    capture_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    delivery_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    proofing_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # 拍摄序号 are never reused, so the counter lives here rather than being max()+1.
    next_shot_no: Mapped[int] = mapped_column(Integer, default=1)
    # The identity pre-check (new photo against the enrolment photo) runs at this station; off when it may not.
    identity_check: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    students: Mapped[list[Student]] = relationship(back_populates="station")

    def dept_code_set(self) -> set[str]:
        return {str(d.get("code", "")).strip() for d in (self.dept_codes or []) if d.get("code")}


class Student(Base):
    """One graduate: every column of the 采集汇总表 plus the fields students later proof."""

    __tablename__ = "student"
    __table_args__ = (UniqueConstraint("station_id", "shot_no", name="uq_student_station_shot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    shot_no: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    student_no: Mapped[str] = mapped_column(String(40), unique=True)
    sex: Mapped[str] = mapped_column(String(4))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    major: Mapped[str] = mapped_column(String(100), default="")
    edu_category: Mapped[str] = mapped_column(String(40), default="")
    school_type: Mapped[str] = mapped_column(String(40), default="")
    dept_code: Mapped[str] = mapped_column(String(10), default="")
    school_name: Mapped[str] = mapped_column(String(200), default="")
    school_code: Mapped[str] = mapped_column(String(10), default="")
    ethnicity: Mapped[str] = mapped_column(String(40), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    branch: Mapped[str] = mapped_column(String(100), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    class_name: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(20), default="")
    duration: Mapped[str] = mapped_column(String(20), default="")
    study_mode: Mapped[str] = mapped_column(String(40), default="")
    enrol_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    expected_grad_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(40), default="")
    # 考生号: the admission examination number, one of the names enrolment photos come under.
    exam_no: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The enrolment photo's file name when the roster gives it (a 录取照片 column): a file of that name (with
    # or without its extension) is this student's enrolment photo, whatever else it is named by.
    enrolment_file: Mapped[str] = mapped_column(String(255), default="", server_default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_reason: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Pinyin initials of the name (张三 → "zs"), stored so search never calls pypinyin per keystroke.
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    # Kept in step with the current photo by the capture service, so the roster loads it with the row.
    photo_state: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    # The latest proofing state and its errors, kept in step with ProofRecord by the proofing service.
    proof_state: Mapped[str] = mapped_column(String(30), default="unchecked", server_default="unchecked")
    proof_errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    proof_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    proof_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    station: Mapped[Station] = relationship(back_populates="students")
    photos: Mapped[list[Photo]] = relationship(back_populates="student", order_by="Photo.id")

    @property
    def cohort_year(self) -> int | None:
        """The 届: the year of the expected graduation date."""
        return self.expected_grad_date.year if self.expected_grad_date else None


class AuditEvent(Base):
    """Who did what, when, with old → new: every change a clerk makes is accountable."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    operator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


PHOTO_STATES = ("none", "pending", "accepted", "override", "retake")
# A photo may go on the disc in these states: accepted (every hard and soft check passed or warned) or
# override (仍接受: soft checks failed and the operator accepted it with a reason, see Photo.override_reason).
ACCEPTED_STATES = ("accepted", "override")


class Photo(Base):
    """One photo taken in for a student: the stored original (never changed) and its crop parameters.

    The output is never stored: it is rendered from the original and these parameters on demand.
    A retake makes a new Photo current; earlier ones stay as history.
    """

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), index=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    stored_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(300), default="")
    source_path: Mapped[str] = mapped_column(Text, default="")
    source_kind: Mapped[str] = mapped_column(String(20), default="import")  # hotfolder | import | manual
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    preset: Mapped[str] = mapped_column(String(100), default="")
    source_width: Mapped[int] = mapped_column(Integer, default=0)
    source_height: Mapped[int] = mapped_column(Integer, default=0)
    # The automatic crop (what Reset returns to) and the crop in force, in source px after EXIF orientation.
    auto_left: Mapped[float | None] = mapped_column(Float, nullable=True)
    auto_top: Mapped[float | None] = mapped_column(Float, nullable=True)
    auto_width: Mapped[float | None] = mapped_column(Float, nullable=True)
    auto_height: Mapped[float | None] = mapped_column(Float, nullable=True)
    auto_rotation: Mapped[float] = mapped_column(Float, default=0.0)
    crop_left: Mapped[float | None] = mapped_column(Float, nullable=True)
    crop_top: Mapped[float | None] = mapped_column(Float, nullable=True)
    crop_width: Mapped[float | None] = mapped_column(Float, nullable=True)
    crop_height: Mapped[float | None] = mapped_column(Float, nullable=True)
    crop_rotation: Mapped[float] = mapped_column(Float, default=0.0)
    adjusted: Mapped[bool] = mapped_column(Boolean, default=False)
    qc_status: Mapped[str] = mapped_column(String(10), default="")  # ok | warn | fail | error
    qc: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    faces: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    review: Mapped[str] = mapped_column(String(20), default="pending")  # pending | accepted | retake
    # Why the operator accepted a photo whose soft checks failed (one of the listed reasons); "" otherwise.
    override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Which QC engine measured `qc` (app.services.photo.qc.QC_VERSION); older results are measured again.
    qc_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The engine and the preset's rules the stored checks were measured with (qc.rules_key): any other
    # value, such as a preset edited since, means they are measured again before anyone relies on them.
    qc_rules: Mapped[str] = mapped_column(String(64), default="", server_default="")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # The identity pre-check against the student's enrolment photo (app.services.identity): "" not computed,
    # same | unlike | unknown; the distance when computed, and why not (unknown) in words.
    identity_verdict: Mapped[str] = mapped_column(String(10), default="", server_default="")
    identity_distance: Mapped[float | None] = mapped_column(Float, nullable=True)
    identity_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    student: Mapped[Student] = relationship(back_populates="photos")
    preset_qc: Mapped[list[PhotoQC]] = relationship(back_populates="photo", cascade="all, delete-orphan")

    @property
    def crop_rect(self) -> tuple[float, float, float, float] | None:
        if self.crop_width is None:
            return None
        return (self.crop_left, self.crop_top, self.crop_width, self.crop_height)  # type: ignore[return-value]

    @property
    def auto_rect(self) -> tuple[float, float, float, float] | None:
        if self.auto_width is None:
            return None
        return (self.auto_left, self.auto_top, self.auto_width, self.auto_height)  # type: ignore[return-value]


class EnrolmentPhoto(Base):
    """A student's enrolment (admission) photo: the original in the photo store, byte for byte, and its face
    descriptor, computed once (app.services.identity). Face data: deleted with the student."""

    __tablename__ = "enrolment_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("student.id", ondelete="CASCADE"), unique=True, index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    stored_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(300), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # 128 float32 (512 bytes) by `descriptor_model`; None with `descriptor_note` saying why (no face …).
    descriptor: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    descriptor_model: Mapped[str] = mapped_column(String(40), default="")
    descriptor_note: Mapped[str] = mapped_column(Text, default="")


class PendingShot(Base):
    """A photo that arrived with no student to bind it to (none selected, or its code card named nobody): kept in
    the 待分配 tray, its original already in the photo store, until someone assigns it or discards it."""

    __tablename__ = "pending_shot"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(500), default="")
    source_path: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(300), default="")  # why it waits: 未选择学生, 学生码 X 未找到
    arrived_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PhotoQC(Base):
    """The quality checks of a photo under another preset than its own (its automatic crop there).

    The photo's own preset and crop are measured in Photo.qc; packaging under another preset measures
    that preset once and keeps the result here, so its hard failures block that package.
    """

    __tablename__ = "photo_qc"
    __table_args__ = (UniqueConstraint("photo_id", "preset", name="uq_photo_qc_photo_preset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id", ondelete="CASCADE"), index=True)
    preset: Mapped[str] = mapped_column(String(100))
    qc_version: Mapped[int] = mapped_column(Integer, default=0)
    qc_rules: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(10), default="")  # ok | warn | fail | error
    checks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    rect: Mapped[dict[str, float] | None] = mapped_column(
        JSON, nullable=True
    )  # left, top, width, height, rotation
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    photo: Mapped[Photo] = relationship(back_populates="preset_qc")


class ProofRecord(Base):
    """One proofing state a student was put in, with its errors: the history behind Student.proof_state."""

    __tablename__ = "proof_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(30))
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="manual")  # manual | quick | import | undo
    operator: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class ProofBatch(Base):
    """A proofing round with its deadline: a station's cohort (届), or the whole station when cohort is empty."""

    __tablename__ = "proof_batch"
    __table_args__ = (UniqueConstraint("station_id", "cohort_year", name="uq_proof_batch_station_cohort"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    cohort_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    deadline: Mapped[dt.date] = mapped_column(Date)


class StoreInfo(Base):
    """Facts about this store itself, e.g. its stable id (`store_id`) that station bundles name as their source."""

    __tablename__ = "store_info"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class BundleExchange(Base):
    """One station bundle exported from or imported into this store."""

    __tablename__ = "bundle_exchange"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # export | import
    peer_store: Mapped[str] = mapped_column(String(36), default="")
    station_name: Mapped[str] = mapped_column(String(200), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    students: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    operator: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ExchangeBase(Base):
    """What this store last received from a peer store for one student: the base of a three-way merge.

    A field that differs from the base on both sides (and differently) is a conflict for a person to decide.
    """

    __tablename__ = "exchange_base"
    __table_args__ = (UniqueConstraint("peer_store", "student_no", name="uq_exchange_base_peer_student"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_store: Mapped[str] = mapped_column(String(36))
    student_no: Mapped[str] = mapped_column(String(40))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    bundle_id: Mapped[str] = mapped_column(String(36), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DeliveryRecord(Base):
    """One disc built for a station: its preset, where it went, and exactly who is on it (after exclusion).

    The stand-alone 汇总表, fee tally and card data of a delivery follow `student_ids`, so they count the same
    students as the disc.
    """

    __tablename__ = "delivery_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    preset: Mapped[str] = mapped_column(String(100))
    naming: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(10))  # folder | zip | iso
    path: Mapped[str] = mapped_column(Text, default="")
    student_ids: Mapped[list[int]] = mapped_column(JSON)  # on the disc, in 拍摄序号 order
    excluded_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # left off for a blocker
    data_stamp: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # the newest data on it
    operator: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
