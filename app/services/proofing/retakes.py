"""Who needs a new photo: marked 需重拍 at capture, or sent back by proofing (照片非本人, 图像模糊, or 无照片（信息不一致）,
which the notice says is re-captured). The capture tab's retake queue and the per-class 补拍 list read this."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Student
from app.services.common.classes import group_by_class
from app.services.proofing.states import ERROR_BY_KEY, STATE_BY_KEY

# Proofing results that mean the photo itself must be taken again.
RETAKE_ERRORS = ("not_self", "blurred")
RETAKE_STATES = ("no_photo_mismatch",)


@dataclass(frozen=True)
class RetakeEntry:
    student_id: int
    shot_no: int
    name: str
    student_no: str
    class_name: str
    reason: str  # 需重拍（拍摄时标记）, 照片非本人, 图像模糊, 无照片（信息不一致）


def _reasons(student: Student) -> list[str]:
    reasons = []
    if student.photo_state == "retake":
        reasons.append("需重拍（拍摄时标记）")
    if student.proof_state in RETAKE_STATES:
        reasons.append(STATE_BY_KEY[student.proof_state].label)
    for error in student.proof_errors or []:
        kind = error.get("kind") if isinstance(error, dict) else None
        if kind in RETAKE_ERRORS:
            reasons.append(ERROR_BY_KEY[kind].label)
    return list(dict.fromkeys(reasons))


def retake_queue(sessions: sessionmaker[Session], station_id: int) -> list[RetakeEntry]:
    """Every student of the station who needs a new photo, class by class (natural order), by 拍摄序号.
    A student whose new photo has been accepted since proofing sent it back is done and not listed."""
    with sessions() as s:
        students = s.scalars(
            select(Student).where(
                Student.station_id == station_id,
                Student.withdrawn.is_(False),
                or_(
                    Student.photo_state == "retake",
                    Student.proof_state.in_(RETAKE_STATES),
                    Student.proof_errors.is_not(None),
                ),
            )
        ).all()
        entries = []
        for st in students:
            reasons = _reasons(st)
            if not reasons:
                continue
            proofing_only = st.photo_state != "retake"
            if proofing_only and st.photo_state in ("accepted", "override") and _retaken_since(st):
                continue
            entries.append(
                RetakeEntry(st.id, st.shot_no, st.name, st.student_no, st.class_name, "、".join(reasons))
            )
    ordered: list[RetakeEntry] = []
    for group in group_by_class(entries, lambda e: e.class_name).values():
        ordered.extend(sorted(group, key=lambda e: e.shot_no))
    return ordered


def _retaken_since(student: Student) -> bool:
    """The current photo was accepted after proofing reported the problem (a new photo was taken)."""
    photo = next((p for p in student.photos if p.is_current), None)
    updated = student.proof_updated_at
    return (
        photo is not None
        and updated is not None
        and photo.created_at is not None
        and photo.created_at > updated
    )
