"""Stations (校外学习中心/函授站): create, edit, look up."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.models import DEFAULT_DEPT_CODES, Station
from app.services.common import audit

# 学习形式 → (院)系代码 (seed 004: 成人脱产 001, 夜大（业余） 002, 函授 003, 网络教育 004). A station's code
# entry may list its own words under "modes"; one without them takes the words its label names, so the
# registry's own values (函授 / 业余 / 脱产 / 网络) map on every station made before this existed.
MODE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("脱产", ("脱产", "成人脱产", "全日制")),
    ("夜大", ("业余", "夜大", "夜大（业余）")),
    ("业余", ("业余", "夜大", "夜大（业余）")),
    ("函授", ("函授",)),
    ("网络", ("网络", "网络教育", "远程教育")),
    ("远程", ("网络", "网络教育", "远程教育")),
)
_MODE_SPLIT = re.compile(r"[、,，;；/\s]+")
_MODE_BRACKETS = str.maketrans({"(": "（", ")": "）"})

# Station.fee_per_student is Numeric(10, 2): eight digits before the point (PostgreSQL refuses more)
MAX_FEE = Decimal("100000000")


def mode_key(text: object) -> str:
    """A 学习形式 as compared: no spaces, brackets full-width ('夜大 (业余)' → '夜大（业余）')."""
    return re.sub(r"[\s\u3000]+", "", str(text or "")).translate(_MODE_BRACKETS)


def default_modes(label: str) -> list[str]:
    """The 学习形式 words a code's label names: '成人脱产' → 脱产, 成人脱产, 全日制; '函授' → 函授."""
    words: list[str] = []
    for keyword, group in MODE_WORDS:
        if keyword in label:
            words += [w for w in group if w not in words]
    return words


def code_modes(entry: dict) -> list[str]:
    """The 学习形式 words that give this (院)系代码: the station's own list, else those of its label."""
    modes = entry.get("modes")
    if isinstance(modes, list):
        return [str(m).strip() for m in modes if str(m).strip()]
    return default_modes(str(entry.get("label", "")))


def parse_modes(text: str) -> list[str]:
    """'函授、 业余,夜大' as typed in the station dialog → ['函授', '业余', '夜大']."""
    words: list[str] = []
    for word in _MODE_SPLIT.split(text or ""):
        if word and word not in words:
            words.append(word)
    return words


def infer_dept_code(study_mode: object, dept_codes: list[dict]) -> str | None:
    """The (院)系代码 a 学习形式 gives through the station's table: an exact word first ('函授', '业余'), else
    the one code whose word the value contains (成人高等教育函授 → 函授; a negated word, 非全日制, does not
    count); None when none or several fit."""
    value = mode_key(study_mode)
    if not value:
        return None
    table = [(str(e.get("code", "")).strip(), [mode_key(m) for m in code_modes(e)]) for e in dept_codes]
    exact = {code for code, modes in table if code and value in modes}
    if len(exact) == 1:
        return exact.pop()
    if exact:
        return None
    within = {code for code, modes in table if code and any(_names(value, m) for m in modes)}
    return within.pop() if len(within) == 1 else None


_NEGATIONS = ("非", "不", "无")


def _names(value: str, word: str) -> bool:
    """`word` occurs in `value` and is not negated: 非全日制 and 不脱产 mean the opposite of 全日制 / 脱产."""
    start = value.find(word) if word else -1
    while start >= 0:
        if not value[:start].endswith(_NEGATIONS):
            return True
        start = value.find(word, start + 1)
    return False


class StationError(ValueError):
    """A station that cannot be saved; the message says why in Chinese."""


@dataclass
class StationData:
    """Everything the station dialog edits, detached from the database."""

    name: str
    school_name: str = ""
    school_code: str = ""
    default_school_type: str = "普通高校"
    dept_codes: list[dict[str, str]] = field(default_factory=lambda: [dict(d) for d in DEFAULT_DEPT_CODES])
    fee_per_student: Decimal = Decimal("20.00")
    payee_name: str = "中国图片社信息采集中心"
    payee_address: str = ""
    payee_postcode: str = ""
    payee_contact: str = ""
    payee_phone: str = ""
    default_preset: str = "legacy-192x144"
    capture_deadline: dt.date | None = None
    delivery_deadline: dt.date | None = None
    proofing_deadline: dt.date | None = None
    # The identity pre-check (face comparison with the enrolment photo) runs at this station.
    identity_check: bool = True

    @classmethod
    def from_station(cls, station: Station) -> StationData:
        return cls(**{f.name: getattr(station, f.name) for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def validate_station(data: StationData) -> StationData:
    """Clean and check station data; raises StationError naming the field."""
    data.name = data.name.strip()
    if not data.name:
        raise StationError("学习中心/函授站名称不能为空")
    # full-width digits (typed in Chinese input mode) are the code; other scripts' digits are not
    data.school_code = unicodedata.normalize("NFKC", data.school_code).strip()
    if data.school_code and not re.fullmatch(r"[0-9]{5}", data.school_code):
        raise StationError("院校代码应为 5 位数字（如 10699）")
    try:
        fee = Decimal(str(data.fee_per_student))
    except InvalidOperation:
        raise StationError("每生费用不是有效金额") from None
    if not fee.is_finite():  # NaN, Infinity
        raise StationError("每生费用不是有效金额")
    if fee < 0:
        raise StationError("每生费用不能为负数")
    if fee >= MAX_FEE:
        raise StationError(f"每生费用过大（应小于 {MAX_FEE} 元）")
    data.fee_per_student = fee.quantize(Decimal("0.01"))
    seen: set[str] = set()
    mode_owner: dict[str, str] = {}
    cleaned = []
    for entry in data.dept_codes:
        code = str(entry.get("code", "")).strip()
        label = str(entry.get("label", "")).strip()
        if not code and not label:
            continue
        if not code.isdigit():
            raise StationError(f"（院）系代码“{code}”应为数字")
        if code in seen:
            raise StationError(f"（院）系代码“{code}”重复")
        seen.add(code)
        clean = {"code": code, "label": label}
        if "modes" in entry:
            clean["modes"] = [m for m in (str(x).strip() for x in entry["modes"] or []) if m]
        # Only words the clerk typed must be unique: words taken from labels (a station saved before the
        # mapping existed, with 002 夜大（业余） and 005 业余) may overlap — inference then gives no code for
        # that word instead of refusing to save the station at all.
        for mode in clean.get("modes", []):
            other = mode_owner.setdefault(mode_key(mode), code)
            if other != code:
                raise StationError(f"学习形式“{mode}”同时对应（院）系代码 {other} 和 {code}，只能对应一个")
        cleaned.append(clean)
    data.dept_codes = cleaned
    return data


class StationService:
    def __init__(self, sessions: sessionmaker[Session], operator: str = "") -> None:
        self.sessions = sessions
        self.operator = operator or audit.default_operator()

    def list(self) -> list[Station]:
        with self.sessions() as s:
            return list(s.scalars(select(Station).order_by(Station.name)))

    def get(self, station_id: int) -> Station:
        with self.sessions() as s:
            station = s.get(Station, station_id)
            if station is None:
                raise StationError("找不到该学习中心")
            return station

    def find(self, name: str) -> Station | None:
        with self.sessions() as s:
            return s.scalars(select(Station).where(Station.name == name.strip())).first()

    def create(self, data: StationData) -> Station:
        data = validate_station(data)
        with self.sessions.begin() as s:
            if s.scalars(select(Station).where(Station.name == data.name)).first():
                raise StationError(f"已有名为“{data.name}”的学习中心")
            station = Station(**data.as_dict())
            s.add(station)
            s.flush()
            audit.record(
                s,
                self.operator,
                "create",
                "station",
                station.id,
                f"新建学习中心 {data.name}",
                None,
                data.as_dict(),
            )
        return station

    def update(self, station_id: int, data: StationData) -> Station:
        data = validate_station(data)
        with self.sessions.begin() as s:
            station = s.get(Station, station_id)
            if station is None:
                raise StationError("找不到该学习中心")
            clash = s.scalars(
                select(Station).where(Station.name == data.name, Station.id != station_id)
            ).first()
            if clash:
                raise StationError(f"已有名为“{data.name}”的学习中心")
            old = StationData.from_station(station).as_dict()
            new = data.as_dict()
            changed = {k for k in new if old[k] != new[k]}
            if not changed:
                return station
            for key in changed:
                setattr(station, key, new[key])
            audit.record(
                s,
                self.operator,
                "update",
                "station",
                station.id,
                f"修改学习中心 {data.name}",
                {k: old[k] for k in changed},
                {k: new[k] for k in changed},
            )
        return station

    def set_fields(self, name: str, **changes: Any) -> Station:
        """Change some settings of the named station (StationData's field names), checked as the dialog's are."""
        station = self.find(name)
        if station is None:
            raise StationError(f"没有名为“{name}”的学习中心")
        unknown = set(changes) - {f.name for f in fields(StationData)}
        if unknown:
            raise StationError(f"未知的学习中心设置：{'、'.join(sorted(unknown))}")
        return self.update(station.id, replace(StationData.from_station(station), **changes))

    def ensure(self, name: str, **defaults: Any) -> tuple[Station, bool]:
        """The station with this name, created (with `defaults` over the usual defaults) if missing; True when
        created. An existing station is returned as it is."""
        existing = self.find(name)
        if existing is not None:
            return existing, False
        try:
            return self.create(StationData(name=name, **defaults)), True
        except IntegrityError:
            # Another process created it a moment ago (two clerks, one new station): use theirs.
            existing = self.find(name)
            if existing is None:
                raise
            return existing, False


# 院校代码: the list seed 000 gives (Henan's institutions), as data in resources/school_codes.json.
SCHOOL_CODES_FILE = "school_codes.json"


@dataclass(frozen=True)
class SchoolCode:
    code: str
    name: str
    note: str = ""

    @property
    def label(self) -> str:
        """'10459 郑州大学' as the station dialog lists it."""
        return f"{self.code} {self.name}"


def read_school_codes(path: Path | str) -> list[SchoolCode]:
    """The 院校代码 list of a school_codes.json (`{"source": …, "codes": [{"code", "name", "note"}]}`), by code;
    an unreadable file gives an empty list (the code can always be typed)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = [SchoolCode(str(e["code"]), str(e["name"]), str(e.get("note", ""))) for e in data["codes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return sorted(entries, key=lambda e: e.code)
