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
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
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
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_reason: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Pinyin initials of the name (张三 → "zs"), stored so search never calls pypinyin per keystroke.
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    station: Mapped[Station] = relationship(back_populates="students")

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
