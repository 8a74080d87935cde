"""What every delivery file reads: a station and its students in 拍摄序号 order, detached from the store.

One query per delivery (students joined with their current photo), so 10,000 students load in well
under a second and the writers never touch the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Photo, PhotoQC, Station, Student

# The columns of the 采集汇总表 (seed 004), in order: (key on DeliveryStudent, header).
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("shot_no", "拍摄序号"),
    ("name", "姓名"),
    ("student_no", "学号"),
    ("sex", "性别"),
    ("id_number", "身份证号码"),
    ("major", "专业名称"),
    ("edu_category", "学历类别"),
    ("school_type", "所在校别"),
    ("dept_code", "(院)系代码"),
    ("school_name", "所在院校名称"),
    ("school_code", "院校代码"),
)
# Digits that must stay text in a spreadsheet (leading zeros, 18 digits, a trailing X).
TEXT_KEYS = frozenset({"student_no", "id_number", "dept_code", "school_code"})
REQUIRED_KEYS = tuple(k for k, _ in SUMMARY_COLUMNS if k != "shot_no")
LABELS = dict(SUMMARY_COLUMNS)


class DeliveryError(ValueError):
    """A delivery that cannot be made; the message is Chinese."""


@dataclass(frozen=True)
class StationInfo:
    id: int
    name: str
    school_name: str
    school_code: str
    fee_per_student: Decimal
    payee_name: str
    payee_address: str
    payee_postcode: str
    payee_contact: str
    payee_phone: str
    default_preset: str
    dept_labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class CurrentPhoto:
    id: int
    stored_name: str
    preset: str
    review: str
    qc_status: str
    failed_checks: tuple[str, ...]
    crop_rect: tuple[float, float, float, float] | None
    crop_rotation: float
    sha256: str
    checks: tuple[dict, ...] = ()  # the stored checks of its own preset and crop
    qc_rules: str = ""  # qc.rules_key of the engine and preset that measured `checks`
    override_reason: str = ""
    # Under other presets (their automatic crop): preset -> (qc_version, checks, rect + rotation)
    other_qc: dict[str, OtherQC] = field(default_factory=dict, hash=False, compare=False)
    identity_verdict: str = (
        ""  # the identity pre-check: "" | same | unlike | unknown (Photo.identity_verdict)
    )

    def qc_for(self, preset: str) -> tuple[str, tuple[dict, ...]] | None:
        """(rules key, checks) measured under `preset`, or None if never measured."""
        if preset == self.preset:
            return (self.qc_rules, self.checks) if self.crop_rect is not None else None
        other = self.other_qc.get(preset)
        return (other.qc_rules, other.checks) if other is not None else None

    def crop_for(self, preset: str) -> tuple[tuple[float, float, float, float], float] | None:
        """(rect, rotation) the photo is cut with under `preset`, when known."""
        if preset == self.preset:
            return (self.crop_rect, self.crop_rotation) if self.crop_rect is not None else None
        other = self.other_qc.get(preset)
        return other.crop if other is not None else None


@dataclass(frozen=True)
class OtherQC:
    """A photo measured under another preset than its own: its automatic crop there and the checks."""

    qc_rules: str
    checks: tuple[dict, ...]
    crop: tuple[tuple[float, float, float, float], float] | None


@dataclass(frozen=True)
class DeliveryStudent:
    """One row of every delivery file; school fields fall back to the station's."""

    id: int
    shot_no: int
    name: str
    student_no: str
    sex: str
    id_number: str
    major: str
    edu_category: str
    school_type: str
    dept_code: str
    school_name: str
    school_code: str
    class_name: str
    photo_state: str
    updated_at: dt.datetime | None
    photo: CurrentPhoto | None

    def value(self, key: str) -> object:
        return getattr(self, key)

    @property
    def label(self) -> str:
        """'12 张三（2023000012）' for messages; never the 身份证号."""
        return f"{self.shot_no} {self.name}（{self.student_no}）"


@dataclass(frozen=True)
class Delivery:
    station: StationInfo
    students: tuple[DeliveryStudent, ...]

    @property
    def data_stamp(self) -> dt.datetime:
        """The newest change in the data: the date written into files, so same data → same bytes."""
        stamps = [s.updated_at for s in self.students if s.updated_at is not None]
        return max(stamps) if stamps else dt.datetime(2000, 1, 1)

    def only(self, student_ids: set[int] | frozenset[int]) -> Delivery:
        return Delivery(self.station, tuple(s for s in self.students if s.id in student_ids))

    def without(self, student_ids: set[int] | frozenset[int]) -> Delivery:
        return Delivery(self.station, tuple(s for s in self.students if s.id not in student_ids))


def _station_info(station: Station) -> StationInfo:
    labels = {str(d.get("code", "")): str(d.get("label", "")) for d in (station.dept_codes or [])}
    return StationInfo(
        station.id,
        station.name,
        station.school_name or "",
        station.school_code or "",
        Decimal(station.fee_per_student or 0),
        station.payee_name or "",
        station.payee_address or "",
        station.payee_postcode or "",
        station.payee_contact or "",
        station.payee_phone or "",
        station.default_preset or "legacy-192x144",
        labels,
    )


def station_info(station: Station) -> StationInfo:
    """A station row as the delivery files read it (for the pre-flight's station check outside a delivery)."""
    return _station_info(station)


def _other(q: PhotoQC) -> OtherQC:
    r = q.rect or {}
    try:
        crop = (
            (float(r["left"]), float(r["top"]), float(r["width"]), float(r["height"])),
            float(r["rotation"]),
        )
    except (KeyError, TypeError, ValueError):
        crop = None
    return OtherQC(q.qc_rules or "", tuple(q.checks or ()), crop)


def _photo(p: Photo | None, other: dict[str, OtherQC]) -> CurrentPhoto | None:
    if p is None:
        return None
    failed = tuple(str(c.get("label") or c.get("name")) for c in (p.qc or []) if c.get("verdict") == "fail")
    return CurrentPhoto(
        p.id,
        p.stored_name,
        p.preset or "",
        p.review or "",
        p.qc_status or "",
        failed,
        p.crop_rect,
        float(p.crop_rotation or 0.0),
        p.sha256,
        tuple(p.qc or ()),
        p.qc_rules or "",
        p.override_reason or "",
        other,
        p.identity_verdict or "",
    )


def load_delivery(
    sessions: sessionmaker[Session], station_id: int, include_withdrawn: bool = False
) -> Delivery:
    """The station and its students (withdrawn ones left out) with their current photos."""
    with sessions() as s:
        station = s.get(Station, station_id)
        if station is None:
            raise DeliveryError("找不到该学习中心")
        info = _station_info(station)
        stmt = (
            select(Student, Photo)
            .outerjoin(Photo, (Photo.student_id == Student.id) & Photo.is_current)
            .where(Student.station_id == station_id)
            .order_by(Student.shot_no, Photo.id.desc())
        )
        if not include_withdrawn:
            stmt = stmt.where(Student.withdrawn.is_(False))
        rows: dict[int, DeliveryStudent] = {}
        found = list(s.execute(stmt))
        other: dict[int, dict[str, OtherQC]] = {}
        photo_ids = [ph.id for _, ph in found if ph is not None]
        for i in range(0, len(photo_ids), 500):
            for q in s.scalars(select(PhotoQC).where(PhotoQC.photo_id.in_(photo_ids[i : i + 500]))):
                other.setdefault(q.photo_id, {})[q.preset] = _other(q)
        for st, ph in found:
            if st.id in rows:  # more than one current photo cannot happen, but keep the newest
                continue
            rows[st.id] = DeliveryStudent(
                st.id,
                st.shot_no,
                st.name or "",
                st.student_no or "",
                st.sex or "",
                st.id_number or "",
                st.major or "",
                st.edu_category or "",
                st.school_type or station.default_school_type or "",
                st.dept_code or "",
                st.school_name or info.school_name,
                st.school_code or info.school_code,
                st.class_name or "",
                st.photo_state or "none",
                st.updated_at,
                _photo(ph, other.get(ph.id, {}) if ph is not None else {}),
            )
    return Delivery(info, tuple(rows.values()))


def find_station_id(sessions: sessionmaker[Session], name: str) -> int | None:
    with sessions() as s:
        return s.scalars(select(Station.id).where(Station.name == name.strip())).first()
