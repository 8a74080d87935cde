"""The capture day at a glance: how many students are 合格, 仍接受, 需重拍, 待复核 and 未拍, for a station and a class."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Student


@dataclass(frozen=True)
class DayCounts:
    accepted: int = 0
    override: int = 0
    retake: int = 0
    pending: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        return self.accepted + self.override + self.retake + self.pending + self.none

    @property
    def done(self) -> int:
        return self.accepted + self.override


def day_counts(sessions: sessionmaker[Session], station_id: int, class_name: str | None = None) -> DayCounts:
    """Students of the station (or of one class of it) by photo state; withdrawn students are not counted."""
    stmt = (
        select(Student.photo_state, func.count())
        .where(Student.station_id == station_id, Student.withdrawn.is_(False))
        .group_by(Student.photo_state)
    )
    if class_name is not None:
        stmt = stmt.where(Student.class_name == class_name)
    with sessions() as s:
        counts = dict(s.execute(stmt).all())
    return DayCounts(**{k: counts.get(k, 0) for k in ("accepted", "override", "retake", "pending", "none")})
