"""Roster import: validate every row, then add, update or leave students in one transaction."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.models import Station, Student, utcnow
from app.services.common import audit
from app.services.common.backup import before_change
from app.services.roster.fields import FIELD_BY_KEY
from app.services.roster.names import pinyin_initials
from app.services.roster.reader import RosterFile, SheetTable, read_roster
from app.services.roster.rejects import save_rejected
from app.services.roster.rules import StationRules, clean_student_values
from app.services.standards.idcard import mask_id

ProgressFn = Callable[[int, int], None]


WRITE_ATTEMPTS = 8


class ImportConflict(RuntimeError):
    """Another writer kept colliding with this import; nothing was written (Chinese message)."""


def _lock_station(session: Session, station_id: int) -> None:
    """PostgreSQL: hold the station's row until commit, so imports into one station take turns."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Station.id).where(Station.id == station_id).with_for_update())


def another_writer(exc: Exception) -> bool:
    """A unique clash on 拍摄序号/学号/身份证号 or a busy SQLite file: what a concurrent writer causes."""
    if isinstance(exc, IntegrityError):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text or "deadlock" in text or "could not serialize" in text


class ImportCancelled(Exception):
    def __init__(self) -> None:
        super().__init__("导入已取消，未写入任何数据")


@dataclass
class RowProblem:
    sheet: str
    row: int
    reason: str
    student_no: str = ""
    name: str = ""

    def describe(self) -> str:
        who = " ".join(x for x in (self.student_no, self.name) if x)
        return f"[{self.sheet}] 第 {self.row} 行{('（' + who + '）') if who else ''}：{self.reason}"


@dataclass
class RowChange:
    sheet: str
    row: int
    student_no: str
    name: str
    changes: dict[str, tuple[Any, Any]]

    def describe(self) -> str:
        parts = [
            f"{FIELD_BY_KEY[k].label}：{_show(k, o)} → {_show(k, n)}" for k, (o, n) in self.changes.items()
        ]
        return f"{self.student_no} {self.name}：" + "；".join(parts)


def _show(key: str, value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    if key == "id_number":
        return mask_id(str(value))
    return str(value)


@dataclass
class ImportReport:
    file_name: str
    station_name: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    # (院)系代码 taken from 学习形式 through the station's code table (reason: '学习形式“函授” → 003'), and
    # rows whose 学习形式 gave no code (they import, and the pre-flight will ask for the code)
    inferred: list[RowProblem] = field(default_factory=list)
    not_inferred: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    @property
    def valid_rows(self) -> int:
        return self.imported + self.updated + self.unchanged

    @property
    def exit_code(self) -> int:
        """0: every row went in or was unchanged; 2: some rows rejected; 1: nothing valid at all."""
        if self.valid_rows == 0:
            return 1
        return 2 if self.rejected else 0

    def summary(self) -> str:
        return (
            f"新增 {self.imported} 人，更新 {self.updated} 人，未变 {self.unchanged} 人，"
            f"拒绝 {len(self.rejected)} 行"
        )


@dataclass
class _Existing:
    id: int
    station_id: int
    student_no: str
    id_number: str
    values: dict[str, Any]


class RosterImporter:
    """Plans and applies an import; planning writes nothing, applying writes all valid rows or none."""

    def __init__(self, sessions: sessionmaker[Session], operator: str = "", *, backup: bool = True) -> None:
        self.sessions = sessions
        self.operator = operator or audit.default_operator()
        self.backup = backup  # an online backup of a SQLite store before anything is written

    def read(self, path: Path | str) -> RosterFile:
        return read_roster(path)

    def plan(
        self,
        roster: RosterFile,
        station_id: int,
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """What an import would do, without writing."""
        with self.sessions() as session:
            report, _, _ = self._plan(session, roster, station_id, progress, cancelled)
        return report

    def apply(
        self,
        roster: RosterFile,
        station_id: int,
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Validate again inside one write transaction and commit every valid row.

        Another process writing the same store at the same moment (two clerks importing two class lists
        into one station) makes this one wait or plan again from what the other committed, up to
        WRITE_ATTEMPTS times: both imports get every row in, with distinct 拍摄序号."""
        backed_up = False
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.sessions.begin() as session:
                    _lock_station(session, station_id)
                    report, inserts, updates = self._plan(session, roster, station_id, progress, cancelled)
                    if cancelled and cancelled():
                        raise ImportCancelled()
                    if report.valid_rows == 0:
                        return report
                    if self.backup and (inserts or updates) and not backed_up:
                        before_change(self.sessions, "before-import")
                        backed_up = True
                    self._write(session, station_id, report, inserts, updates)
            except (IntegrityError, OperationalError) as exc:
                if not another_writer(exc):
                    raise  # a full disk, not a colleague: said as such by the caller's error handling
                if attempt == WRITE_ATTEMPTS:
                    raise ImportConflict(
                        "另一位同事正在写入同一个数据库，多次重试仍未成功；没有写入任何数据，请稍后再导入"
                    ) from None
                time.sleep(random.uniform(0.05, 0.3) * attempt)
                continue
            report.committed = True
            return report
        raise AssertionError("unreachable")

    def save_rejected(
        self, roster: RosterFile, report: ImportReport, path: Path | str, station_id: int
    ) -> int:
        """The rejected rows with their reasons as a workbook to fix and import again (rejects.py); the
        rows carry the 身份证号 as the file had it, so the export is recorded in the audit trail."""
        count = save_rejected(roster, report.rejected, path)
        with self.sessions.begin() as session:
            audit.record(
                session,
                self.operator,
                "export-full-id",
                "station",
                station_id,
                f"保存导入 {report.file_name} 时被拒绝的 {count} 行（含原样的身份证号）到 {Path(path).name}",
            )
        return count

    def import_file(self, path: Path | str, station_id: int) -> ImportReport:
        return self.apply(self.read(path), station_id)

    # -- internals -------------------------------------------------------------------------

    def _load_existing(
        self, session: Session, keys: set[str]
    ) -> tuple[dict[str, _Existing], dict[str, _Existing]]:
        columns = [Student.id, Student.station_id, Student.student_no, Student.id_number]
        extra = [getattr(Student, k) for k in sorted(keys) if k not in ("student_no", "id_number")]
        by_no: dict[str, _Existing] = {}
        by_id: dict[str, _Existing] = {}
        for row in session.execute(select(*columns, *extra)):
            values = {col.key: row[i + 4] for i, col in enumerate(extra)}
            values["student_no"], values["id_number"] = row[2], row[3]
            record = _Existing(row[0], row[1], row[2], row[3], values)
            by_no[record.student_no] = record
            by_id[record.id_number] = record
        return by_no, by_id

    def _plan(
        self,
        session: Session,
        roster: RosterFile,
        station_id: int,
        progress: ProgressFn | None,
        cancelled: Callable[[], bool] | None,
    ):
        station = session.get(Station, station_id)
        if station is None:
            raise ValueError("找不到该学习中心")
        rules = StationRules.of(station)
        report = ImportReport(roster.path.name, station.name)
        sheets = roster.importable_sheets
        mapped_keys = {k for s in sheets for k in s.mapping.values()} | {"dept_code"}
        by_no, by_id = self._load_existing(session, mapped_keys)
        seen_no: dict[str, int] = {}
        seen_id: dict[str, int] = {}
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[_Existing, dict[str, Any], RowChange]] = []
        total = sum(len(s.data_rows()) for s in sheets)
        done = 0
        for sheet in sheets:
            for row_no, cells in sheet.data_rows():
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
                if cancelled and done % 500 == 0 and cancelled():
                    raise ImportCancelled()
                self._plan_row(
                    sheet, row_no, cells, rules, by_no, by_id, seen_no, seen_id, report, inserts, updates
                )
        if progress:
            progress(total, total)
        return report, inserts, updates

    def _plan_row(
        self,
        sheet: SheetTable,
        row_no: int,
        cells: list[object],
        rules: StationRules,
        by_no,
        by_id,
        seen_no,
        seen_id,
        report: ImportReport,
        inserts,
        updates,
    ) -> None:
        raw = {key: (cells[i] if i < len(cells) else None) for i, key in sheet.mapping.items()}
        student_no_hint = str(raw.get("student_no") or "").strip()
        existing_hint = by_no.get(student_no_hint)
        values, problems = clean_student_values(raw, rules, new_student=existing_hint is None)
        student_no = values.get("student_no", "")
        name = values.get("name", "")
        id_number = values.get("id_number", "")
        existing = by_no.get(student_no) if student_no else None
        if student_no and student_no in seen_no:
            problems.append(f"学号与第 {seen_no[student_no]} 行重复")
        if id_number and id_number in seen_id:
            problems.append(f"身份证号码与第 {seen_id[id_number]} 行重复")
        if existing is not None and existing.station_id != rules.station_id:
            problems.append("该学号已属于另一个学习中心的学生")
        if id_number:
            owner = by_id.get(id_number)
            if owner is not None and owner.student_no != student_no:
                problems.append(f"身份证号码已属于库中学号为 {owner.student_no} 的学生（冲突）")
        if student_no:
            seen_no.setdefault(student_no, row_no)
        if id_number:
            seen_id.setdefault(id_number, row_no)
        if problems:
            report.rejected.append(RowProblem(sheet.name, row_no, "；".join(problems), student_no, name))
            return
        mode = values.get("study_mode")
        if mode and not values.get("dept_code") and not (existing and existing.values.get("dept_code")):
            code = rules.dept_code_for(mode)
            if code:
                values["dept_code"] = code
                report.inferred.append(
                    RowProblem(sheet.name, row_no, f"学习形式“{mode}” → (院)系代码 {code}", student_no, name)
                )
            else:
                report.not_inferred.append(
                    RowProblem(
                        sheet.name,
                        row_no,
                        f"学习形式“{mode}”在本站的(院)系代码表中没有对应的代码，(院)系代码仍为空",
                        student_no,
                        name,
                    )
                )
        if existing is None:
            values["name_initials"] = pinyin_initials(values["name"])
            inserts.append(values)
            report.imported += 1
            return
        # Blank cells never erase what the store already knows.
        changes = {
            k: (existing.values.get(k), v)
            for k, v in values.items()
            if v not in (None, "") and existing.values.get(k) != v
        }
        if not changes:
            report.unchanged += 1
            return
        change = RowChange(sheet.name, row_no, student_no, name or existing.values.get("name", ""), changes)
        report.changes.append(change)
        report.updated += 1
        updates.append((existing, {k: n for k, (_, n) in changes.items()}, change))

    def _write(
        self, session: Session, station_id: int, report: ImportReport, inserts: list[dict[str, Any]], updates
    ) -> None:
        station = session.get(Station, station_id)
        now = utcnow()
        if inserts:
            first = station.next_shot_no
            for offset, values in enumerate(inserts):
                values.update(station_id=station_id, shot_no=first + offset, created_at=now, updated_at=now)
                for key in FIELD_BY_KEY:
                    values.setdefault(key, None if FIELD_BY_KEY[key].kind == "date" else "")
                values.setdefault("withdrawn", False)
                values.setdefault("withdrawn_reason", "")
            station.next_shot_no = first + len(inserts)
            session.execute(insert(Student), inserts)
        if updates:
            rows = []
            for existing, new_values, change in updates:
                row = {"id": existing.id, "updated_at": now, **new_values}
                if "name" in new_values:
                    row["name_initials"] = pinyin_initials(new_values["name"])
                rows.append(row)
                audit.record(
                    session,
                    self.operator,
                    "import-update",
                    "student",
                    existing.id,
                    f"导入 {report.file_name} 时更新",
                    {k: o for k, (o, _) in change.changes.items()},
                    {k: n for k, (_, n) in change.changes.items()},
                )
            for row in rows:  # executemany by primary key; keys differ per row
                session.execute(
                    update(Student)
                    .where(Student.id == row["id"])
                    .values({k: v for k, v in row.items() if k != "id"})
                )
        audit.record(
            session,
            self.operator,
            "import",
            "station",
            station_id,
            f"导入花名册 {report.file_name}：{report.summary()}",
            None,
            {
                "file": report.file_name,
                "imported": report.imported,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": len(report.rejected),
            },
        )
