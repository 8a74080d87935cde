"""Students: list for the roster table, look up by scan, add, edit, withdraw, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.models import EnrolmentPhoto, Station, Student
from app.services.common import audit
from app.services.common.backup import sqlite_path_of
from app.services.common.files import atomic_write_bytes
from app.services.common.values import csv_safe
from app.services.roster.fields import FIELDS
from app.services.roster.importer import WRITE_ATTEMPTS, another_writer
from app.services.roster.names import pinyin_initials
from app.services.roster.rules import StationRules, clean_student_values
from app.services.standards.idcard import IdNumberError, mask_id, normalise_id_text, parse_id_number

EDITABLE_KEYS = tuple(f.key for f in FIELDS)
log = logging.getLogger(__name__)
# The name the photo store gives an enrolment original (app.services.capture.photo_store): nothing else in the
# database is ever joined to a path here.
_ENROLMENT_NAME = re.compile(r"enrolment/[0-9a-f]{2}/[0-9a-f]{64}(\.[^/\\:\x00-\x1f]{1,7})?")


class StudentError(ValueError):
    """A student change that breaks a rule; the message lists every problem in Chinese."""


@dataclass(slots=True)
class StudentRow:
    """What the roster table shows: plain values loaded once, never queried inside data()."""

    id: int
    station_id: int
    shot_no: int
    name: str
    student_no: str
    sex: str
    id_number: str
    major: str
    class_name: str
    level: str
    edu_category: str
    dept_code: str
    status: str
    withdrawn: bool
    name_initials: str
    photo_state: str = "none"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


_ROW_COLUMNS = [getattr(Student, f) for f in StudentRow.__slots__]


def student_values(student: Student) -> dict[str, Any]:
    return {k: getattr(student, k) for k in EDITABLE_KEYS}


def _waited(exc: Exception) -> bool:
    """SQLite already waited its busy timeout (10 s) before saying "locked": an edit made in the window tries
    once more, not eight times (which froze the window for over a minute)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


class RosterService:
    def __init__(
        self, sessions: sessionmaker[Session], operator: str = "", photos_root: Path | str | None = None
    ) -> None:
        """`photos_root`: the photo store's folder, where a deleted student's enrolment original is removed at
        once; by default the photos folder beside a SQLite database (a server database must name it)."""
        self.sessions = sessions
        self.operator = operator or audit.default_operator()
        if photos_root is None:
            db_file = sqlite_path_of(sessions)
            photos_root = db_file.parent / "photos" if db_file is not None else None
        self.photos_root = Path(photos_root) if photos_root is not None else None

    # -- reading ----------------------------------------------------------------------------

    def rows(self, station_id: int | None = None) -> list[StudentRow]:
        stmt = select(*_ROW_COLUMNS).order_by(Student.station_id, Student.shot_no)
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        with self.sessions() as s:
            return [StudentRow(*r) for r in s.execute(stmt)]

    def row(self, student_id: int) -> StudentRow | None:
        with self.sessions() as s:
            r = s.execute(select(*_ROW_COLUMNS).where(Student.id == student_id)).first()
            return StudentRow(*r) if r else None

    def get(self, student_id: int) -> Student:
        with self.sessions() as s:
            student = s.get(Student, student_id)
            if student is None:
                raise StudentError("找不到该学生")
            return student

    def count(self, station_id: int | None = None) -> int:
        stmt = select(func.count(Student.id))
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        with self.sessions() as s:
            return s.scalar(stmt) or 0

    def find_by_scan(self, text: str, station_id: int | None = None) -> Student | None:
        """A barcode scanner types a 学号 or a 身份证号: find the one student it names."""
        code = "".join(text.split())
        if not code:
            return None
        candidates = {code}
        try:
            candidates.add(parse_id_number(code).number)
        except IdNumberError:
            candidates.add(normalise_id_text(code))
        stmt = select(Student).where(
            or_(Student.student_no.in_(candidates), Student.id_number.in_(candidates))
        )
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        with self.sessions() as s:
            return s.scalars(stmt).first()

    def majors(self, station_id: int | None = None) -> list[str]:
        return self._distinct(Student.major, station_id)

    def _distinct(self, column, station_id: int | None) -> list[str]:
        stmt = select(column).distinct().where(column != "").order_by(column)
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        with self.sessions() as s:
            return list(s.scalars(stmt))

    # -- writing ----------------------------------------------------------------------------

    def _check(
        self, s: Session, station: Station, raw: dict[str, Any], exclude_id: int | None, new_student: bool
    ) -> dict[str, Any]:
        values, problems = clean_student_values(raw, StationRules.of(station), new_student=new_student)
        if not new_student:
            for key in ("name", "student_no", "sex", "id_number"):
                if key in raw and not values.get(key) and not any(key in p for p in problems):
                    problems.append("必填项为空")
        for key, label in (("student_no", "学号"), ("id_number", "身份证号码")):
            value = values.get(key)
            if not value:
                continue
            stmt = select(Student).where(getattr(Student, key) == value)
            if exclude_id is not None:
                stmt = stmt.where(Student.id != exclude_id)
            other = s.scalars(stmt).first()
            if other is not None:
                problems.append(f"{label}已属于学生 {other.student_no} {other.name}")
        if problems:
            raise StudentError("；".join(dict.fromkeys(problems)))
        return values

    def add(self, station_id: int, raw: dict[str, Any], student_id: int | None = None) -> Student:
        """A new student; `student_id` re-creates one removed by undo under its old id (redo of 新增).

        Another process taking the same 拍摄序号 at the same moment (an import on another computer) makes
        this try again with the next number, a few times, rather than fail."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._add(station_id, raw, student_id)
            except (IntegrityError, OperationalError) as exc:
                if not another_writer(exc):
                    raise  # a full disk, not another computer: said as such by the caller's error handling
                if attempt == WRITE_ATTEMPTS or (_waited(exc) and attempt >= 2):
                    raise StudentError("另一台电脑正在写入同一学习中心，未能保存；请稍后再试") from None
                time.sleep(random.uniform(0.05, 0.3) * attempt)
        raise AssertionError("unreachable")

    def _add(self, station_id: int, raw: dict[str, Any], student_id: int | None) -> Student:
        with self.sessions.begin() as s:
            station = s.get(Station, station_id)
            values = self._check(s, station, raw, None, new_student=True)
            if student_id is not None and s.get(Student, student_id) is not None:
                raise StudentError("无法重做新增：该学生的编号已被其他学生使用")
            student = Student(station_id=station_id, shot_no=station.next_shot_no, **values)
            if student_id is not None:
                student.id = student_id
            student.name_initials = pinyin_initials(student.name)
            station.next_shot_no += 1
            s.add(student)
            s.flush()
            audit.record(
                s,
                self.operator,
                "create",
                "student",
                student.id,
                f"新增学生 {student.student_no} {student.name}",
                None,
                values,
            )
        return student

    def update(self, student_id: int, raw: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        """Apply edited values; returns field → (old, new) for what changed.

        A store busy with another process's write is waited for; a 学号 or 身份证号 that another computer gave
        to a different student in the same moment is refused in words, never as an integrity error."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._update(student_id, raw)
            except IntegrityError:
                raise StudentError(
                    "另一台电脑刚刚把这个学号或身份证号码给了另一名学生，修改未保存；请刷新后核对"
                ) from None
            except OperationalError as exc:
                if not another_writer(exc):
                    raise
                if attempt == WRITE_ATTEMPTS or (_waited(exc) and attempt >= 2):
                    raise StudentError("另一台电脑正在写入同一个数据库，修改未保存；请稍后再试") from None
                time.sleep(random.uniform(0.05, 0.3) * attempt)
        raise AssertionError("unreachable")

    def _update(self, student_id: int, raw: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        with self.sessions.begin() as s:
            student = s.get(Student, student_id)
            if student is None:
                raise StudentError("找不到该学生")
            # Validate the whole record as it would be, so a lone 性别 edit is still checked against the ID.
            merged = {**student_values(student), **raw}
            values = self._check(s, student.station, merged, student_id, new_student=False)
            changes = {k: (getattr(student, k), v) for k, v in values.items() if getattr(student, k) != v}
            if not changes:
                return {}
            for key, (_, new) in changes.items():
                setattr(student, key, new)
            if "name" in changes:
                student.name_initials = pinyin_initials(student.name)
            audit.record(
                s,
                self.operator,
                "update",
                "student",
                student.id,
                f"修改学生 {student.student_no} {student.name}",
                {k: o for k, (o, _) in changes.items()},
                {k: n for k, (_, n) in changes.items()},
            )
            return changes

    def set_withdrawn(
        self, student_id: int, withdrawn: bool, reason: str = "", date: dt.date | None = None
    ) -> None:
        """学籍异动: a withdrawn student keeps its 拍摄序号 and history; reinstating clears the flag."""
        with self.sessions.begin() as s:
            student = s.get(Student, student_id)
            if student is None:
                raise StudentError("找不到该学生")
            if withdrawn and not reason.strip():
                raise StudentError("请填写异动原因")
            old = {
                "withdrawn": student.withdrawn,
                "withdrawn_reason": student.withdrawn_reason,
                "withdrawn_date": student.withdrawn_date,
            }
            student.withdrawn = withdrawn
            student.withdrawn_reason = reason.strip() if withdrawn else ""
            student.withdrawn_date = (date or dt.date.today()) if withdrawn else None
            new = {
                "withdrawn": student.withdrawn,
                "withdrawn_reason": student.withdrawn_reason,
                "withdrawn_date": student.withdrawn_date,
            }
            verb = "标记学籍异动" if withdrawn else "撤销学籍异动"
            audit.record(
                s,
                self.operator,
                "withdraw" if withdrawn else "reinstate",
                "student",
                student.id,
                f"{verb} {student.student_no} {student.name}",
                old,
                new,
            )

    def remove(self, student_id: int) -> None:
        """Delete a student just added by mistake (undo of add); its 拍摄序号 is not handed out again."""
        with self.sessions.begin() as s:
            student = s.get(Student, student_id)
            if student is None:
                return
            enrolment = list(
                s.scalars(select(EnrolmentPhoto.stored_name).where(EnrolmentPhoto.student_id == student_id))
            )
            audit.record(
                s,
                self.operator,
                "delete",
                "student",
                student.id,
                f"删除学生 {student.student_no} {student.name}" + ("（及其录取照片）" if enrolment else ""),
                student_values(student),
                None,
            )
            # Face data goes with the student: the row here (as ON DELETE CASCADE would), the file below.
            s.execute(delete(EnrolmentPhoto).where(EnrolmentPhoto.student_id == student_id))
            s.execute(delete(Student).where(Student.id == student_id))
        self._remove_enrolment_files(enrolment)

    def _remove_enrolment_files(self, names: list[str]) -> None:
        """Unlink these enrolment originals now, unless another student's record still names the same file."""
        names = [n for n in names if _ENROLMENT_NAME.fullmatch(n)]
        if not names:
            return
        if self.photos_root is None:
            log.warning("未指定照片库位置：已删除学生的录取照片文件将在下次导入录取照片时清除")
            return
        with self.sessions() as s:
            still = set(
                s.scalars(select(EnrolmentPhoto.stored_name).where(EnrolmentPhoto.stored_name.in_(names)))
            )
        for name in set(names) - still:
            path = self.photos_root / name
            if path.parent.is_symlink() or path.is_symlink():
                continue  # never through a link
            path.unlink(missing_ok=True)

    # -- export -----------------------------------------------------------------------------

    def export_csv(self, path: Path | str, station_id: int | None = None) -> int:
        """Every field with Chinese headers, UTF-8 with BOM, full 身份证号; the export is audited."""
        extra = [("shot_no", "拍摄序号")]
        tail = [("withdrawn", "学籍异动"), ("withdrawn_reason", "异动原因"), ("withdrawn_date", "异动日期")]
        columns = extra + [(f.key, f.label) for f in FIELDS] + tail
        stmt = select(Student, Station.name).join(Station).order_by(Station.name, Student.shot_no)
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["学习中心"] + [label for _, label in columns])
        count = 0
        with self.sessions.begin() as s:
            for student, station_name in s.execute(stmt):
                values = []
                for key, _ in columns:
                    v = getattr(student, key)
                    if isinstance(v, bool):
                        v = "是" if v else ""
                    elif isinstance(v, dt.date):
                        v = v.isoformat()
                    values.append("" if v is None else v)
                writer.writerow([csv_safe(v) for v in [station_name, *values]])
                count += 1
            atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))
            audit.record(
                s,
                self.operator,
                "export-full-id",
                "station",
                station_id,
                f"导出含完整身份证号的花名册 CSV（{count} 人）到 {Path(path).name}",
            )
        return count

    def record_full_id_copy(self, station_id: int | None, what: str, count: int, where: str) -> None:
        """A table shown with full 身份证号 copied to the clipboard or exported: recorded in the audit trail."""
        with self.sessions.begin() as s:
            audit.record(
                s,
                self.operator,
                "export-full-id",
                "station",
                station_id,
                f"{what}花名册表格 {count} 行（含完整身份证号）{('到 ' + where) if where else '到剪贴板'}",
            )
