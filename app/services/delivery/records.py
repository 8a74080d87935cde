"""Delivery records: each disc built is recorded with its preset, output and exactly who is on it.

The stand-alone 汇总表, fee tally and card data follow a record (the latest by default), so they count the
students the disc holds, not the station's students of today. With no disc built yet they cover the
station's current students.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import DeliveryRecord, Station
from app.services.delivery.source import Delivery, DeliveryError, load_delivery

LATEST = "latest"  # the station's newest record, or its current students when it has none
CURRENT = "current"  # the station's current students, whatever was delivered
Which = int | str  # a record id, LATEST or CURRENT

FORMAT_LABELS = {"folder": "文件夹", "zip": "ZIP", "iso": "ISO"}


@dataclass(frozen=True)
class RecordInfo:
    """A delivery record, detached from the store."""

    id: int
    station_id: int
    preset: str
    naming: str
    format: str
    path: str
    student_ids: tuple[int, ...]
    excluded_ids: tuple[int, ...]
    data_stamp: dt.datetime | None
    operator: str
    created_at: dt.datetime

    @property
    def count(self) -> int:
        return len(self.student_ids)

    @property
    def local_time(self) -> dt.datetime:
        """created_at (stored in UTC) in this computer's time zone."""
        return self.created_at.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)

    def describe(self) -> str:
        """'报送记录 #3（2026-12-01 10:20，1974 人，规格 legacy-192x144，ZIP）'."""
        return (
            f"报送记录 #{self.id}（{self.local_time:%Y-%m-%d %H:%M}，{self.count} 人，规格 {self.preset}，"
            f"{FORMAT_LABELS.get(self.format, self.format)}）"
        )


@dataclass(frozen=True)
class DeliveredSet:
    """What a workbook is made from: the students, and the record they follow (None: current students)."""

    delivery: Delivery
    record: RecordInfo | None
    missing: int = 0  # students of the record no longer in the store (deleted since)

    def describe(self) -> str:
        if self.record is None:
            return "当前全部学生（尚无报送记录或未按报送记录）"
        text = f"按{self.record.describe()}"
        if self.missing:
            text += f"；其中 {self.missing} 名学生已从花名册删除，未列入"
        return text


def _info(r: DeliveryRecord) -> RecordInfo:
    return RecordInfo(
        r.id,
        r.station_id,
        r.preset,
        r.naming or "",
        r.format,
        r.path or "",
        tuple(int(i) for i in (r.student_ids or ())),
        tuple(int(i) for i in (r.excluded_ids or ())),
        r.data_stamp,
        r.operator or "",
        r.created_at,
    )


def add_record(
    session: Session,
    delivery: Delivery,
    *,
    preset: str,
    naming: str,
    fmt: str,
    path: str,
    excluded_ids: set[int] | frozenset[int],
    operator: str,
) -> DeliveryRecord:
    """Record the disc just built (`delivery` is what is on it), inside the caller's transaction."""
    record = DeliveryRecord(
        station_id=delivery.station.id,
        preset=preset,
        naming=naming,
        format=fmt,
        path=path,
        student_ids=[s.id for s in delivery.students],
        excluded_ids=sorted(excluded_ids),
        data_stamp=delivery.data_stamp,
        operator=operator,
    )
    session.add(record)
    session.flush()
    return record


def list_records(sessions: sessionmaker[Session], station_id: int) -> list[RecordInfo]:
    """The station's delivery records, newest first."""
    with sessions() as s:
        rows = s.scalars(
            select(DeliveryRecord)
            .where(DeliveryRecord.station_id == station_id)
            .order_by(DeliveryRecord.id.desc())
        )
        return [_info(r) for r in rows]


def latest_record(sessions: sessionmaker[Session], station_id: int) -> RecordInfo | None:
    with sessions() as s:
        r = s.scalars(
            select(DeliveryRecord)
            .where(DeliveryRecord.station_id == station_id)
            .order_by(DeliveryRecord.id.desc())
            .limit(1)
        ).first()
        return _info(r) if r is not None else None


def get_record(sessions: sessionmaker[Session], station_id: int, record_id: int) -> RecordInfo:
    """The record, which must be this station's; DeliveryError naming it otherwise."""
    with sessions() as s:
        # an id beyond a 64-bit key (typed on the command line) cannot be one: no query for it
        r = s.get(DeliveryRecord, record_id) if 0 < record_id < 2**63 else None
        if r is None:
            raise DeliveryError(f"没有编号为 {record_id} 的报送记录")
        if r.station_id != station_id:
            station = s.get(Station, station_id)
            name = station.name if station is not None else str(station_id)
            raise DeliveryError(f"报送记录 #{record_id} 不属于学习中心“{name}”")
        return _info(r)


def load_delivered(sessions: sessionmaker[Session], station_id: int, which: Which = LATEST) -> DeliveredSet:
    """The students a workbook covers: those of record `which` (an id), of the latest record (LATEST), or the
    station's current students (CURRENT, or LATEST before any disc was built)."""
    if which == CURRENT:
        record = None
    elif which == LATEST:
        record = latest_record(sessions, station_id)
    elif isinstance(which, int):
        record = get_record(sessions, station_id, which)
    else:
        raise DeliveryError(f"无法识别的报送记录：{which}")
    if record is None:
        return DeliveredSet(load_delivery(sessions, station_id), None)
    # Withdrawn since: still on the disc, so still counted.
    everyone = load_delivery(sessions, station_id, include_withdrawn=True)
    wanted = set(record.student_ids)
    delivered = everyone.only(wanted)
    return DeliveredSet(delivered, record, len(wanted) - len(delivered.students))
