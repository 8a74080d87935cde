"""Stations (校外学习中心/函授站): create, edit, look up."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.models import DEFAULT_DEPT_CODES, Station
from app.services.common import audit


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
    data.school_code = data.school_code.strip()
    if data.school_code and not (data.school_code.isdigit() and len(data.school_code) == 5):
        raise StationError("院校代码应为 5 位数字（如 10699）")
    try:
        fee = Decimal(str(data.fee_per_student))
    except InvalidOperation:
        raise StationError("每生费用不是有效金额") from None
    if fee < 0:
        raise StationError("每生费用不能为负数")
    data.fee_per_student = fee.quantize(Decimal("0.01"))
    seen: set[str] = set()
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
        cleaned.append({"code": code, "label": label})
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
