"""Proofing: every student's online check tracked with history, deadlines, counts and what to do next."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import ProofBatch, ProofRecord, Station, Student, utcnow
from app.services.common import audit
from app.services.common.backup import before_change
from app.services.common.classes import class_label
from app.services.common.values import code_value
from app.services.proofing.states import (
    STATE_BY_KEY,
    ProofError,
    clean_errors,
    next_action,
    parse_problem,
    parse_state,
    result_text,
)
from app.services.roster.fields import HeaderGuesser
from app.services.roster.reader import RosterFile, read_table
from app.services.standards.idcard import IdNumberError, parse_id_number

PROOF_HEADERS = HeaderGuesser(
    {
        "student_no": ("学号", "学生学号", "学籍号"),
        "id_number": ("身份证号码", "身份证号", "证件号码", "证件号"),
        "name": ("姓名", "学生姓名"),
        "state": ("校对结果", "校对状态", "校对情况", "状态", "结果"),
        "problem": ("问题", "异常内容", "错误内容", "问题说明", "备注", "说明"),
    },
    ("序号", "本人签名"),
)


@dataclass(slots=True)
class ProofRow:
    """What the proofing table shows, loaded in one query."""

    id: int
    station_id: int
    station_name: str
    shot_no: int
    name: str
    student_no: str
    class_name: str
    major: str
    expected_grad_date: dt.date | None
    proof_state: str
    proof_errors: list[dict[str, Any]] | None
    proof_note: str
    proof_updated_at: dt.datetime | None
    photo_state: str
    withdrawn: bool
    deadline: dt.date | None = None

    @property
    def cohort(self) -> int | None:
        return self.expected_grad_date.year if self.expected_grad_date else None

    @property
    def state_label(self) -> str:
        return STATE_BY_KEY[self.proof_state].label

    @property
    def result(self) -> str:
        return result_text(self.proof_state, self.proof_errors)

    @property
    def action(self) -> str:
        return next_action(self.proof_state, self.proof_errors)

    @property
    def needs_action(self) -> bool:
        return STATE_BY_KEY[self.proof_state].needs_action

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.needs_action and self.deadline is not None and (today or dt.date.today()) > self.deadline


@dataclass(frozen=True)
class Previous:
    """A student's proofing state before a change: what undo writes back."""

    student_id: int
    state: str
    errors: list[dict[str, Any]] | None
    note: str


@dataclass
class ProofImportReport:
    file_name: str
    matched: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: list[tuple[str, int, str]] = field(default_factory=list)  # sheet, row, reason
    previous: list[Previous] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 2 if self.unmatched else 0

    def summary(self) -> str:
        return f"匹配 {self.matched} 行（改变 {self.changed}，未变 {self.unchanged}），未匹配 {len(self.unmatched)} 行"


_ROW_COLUMNS = (
    Student.id,
    Student.station_id,
    Station.name,
    Student.shot_no,
    Student.name,
    Student.student_no,
    Student.class_name,
    Student.major,
    Student.expected_grad_date,
    Student.proof_state,
    Student.proof_errors,
    Student.proof_note,
    Student.proof_updated_at,
    Student.photo_state,
    Student.withdrawn,
)


def count_states(rows: list[ProofRow]) -> dict[tuple[str, str], Counter]:
    """(station, class) → how many of these rows are in each state."""
    result: dict[tuple[str, str], Counter] = {}
    for row in rows:
        result.setdefault((row.station_name, class_label(row.class_name)), Counter())[row.proof_state] += 1
    return result


class ProofingService:
    def __init__(self, sessions: sessionmaker[Session], operator: str = "") -> None:
        self.sessions = sessions
        self.operator = operator or audit.default_operator()

    # -- reading -----------------------------------------------------------------------------------
    def rows(self, station_id: int | None = None, include_withdrawn: bool = False) -> list[ProofRow]:
        stmt = (
            select(*_ROW_COLUMNS).join(Station).order_by(Station.name, Student.class_name, Student.student_no)
        )
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        if not include_withdrawn:
            stmt = stmt.where(Student.withdrawn.is_(False))
        with self.sessions() as s:
            rows = [ProofRow(*r) for r in s.execute(stmt)]
            deadlines = self._deadlines(s)
        for row in rows:
            row.deadline = deadlines.get((row.station_id, row.cohort)) or deadlines.get(
                (row.station_id, None)
            )
        return rows

    def row(self, student_id: int) -> ProofRow | None:
        with self.sessions() as s:
            r = s.execute(select(*_ROW_COLUMNS).join(Station).where(Student.id == student_id)).first()
            if r is None:
                return None
            row = ProofRow(*r)
            deadlines = self._deadlines(s, row.station_id)
        row.deadline = deadlines.get((row.station_id, row.cohort)) or deadlines.get((row.station_id, None))
        return row

    def _deadlines(self, s: Session, station_id: int | None = None) -> dict[tuple[int, int | None], dt.date]:
        stations = select(Station.id, Station.proofing_deadline)
        batches = select(ProofBatch.station_id, ProofBatch.cohort_year, ProofBatch.deadline)
        if station_id is not None:
            stations = stations.where(Station.id == station_id)
            batches = batches.where(ProofBatch.station_id == station_id)
        result: dict[tuple[int, int | None], dt.date] = {
            (sid, None): deadline for sid, deadline in s.execute(stations) if deadline
        }
        for sid, cohort, deadline in s.execute(batches):
            result[(sid, cohort)] = deadline
        return result

    def history(self, student_id: int) -> list[ProofRecord]:
        with self.sessions() as s:
            return list(
                s.scalars(
                    select(ProofRecord)
                    .where(ProofRecord.student_id == student_id)
                    .order_by(ProofRecord.at, ProofRecord.id)
                )
            )

    def counts(self, station_id: int | None = None) -> dict[tuple[str, str], Counter]:
        """(station, class) → count of students per state, for the bar chart."""
        return count_states(self.rows(station_id))

    def needs_action(self, station_id: int | None = None, today: dt.date | None = None) -> list[ProofRow]:
        """Students with something still to do, overdue first, then by deadline."""
        rows = [r for r in self.rows(station_id) if r.needs_action]
        far = dt.date.max
        return sorted(
            rows, key=lambda r: (not r.overdue(today), r.deadline or far, r.class_name, r.student_no)
        )

    # -- deadlines -----------------------------------------------------------------------------------
    def set_deadline(
        self, station_id: int, deadline: dt.date, cohort_year: int | None = None, name: str = ""
    ) -> None:
        with self.sessions.begin() as s:
            batch = s.scalars(
                select(ProofBatch).where(
                    ProofBatch.station_id == station_id,
                    ProofBatch.cohort_year.is_(None)
                    if cohort_year is None
                    else ProofBatch.cohort_year == cohort_year,
                )
            ).first()
            old = batch.deadline if batch else None
            if batch is None:
                batch = ProofBatch(
                    station_id=station_id,
                    cohort_year=cohort_year,
                    deadline=deadline,
                    name=name or (f"{cohort_year}届" if cohort_year else "全部"),
                )
                s.add(batch)
            batch.deadline = deadline
            audit.record(
                s,
                self.operator,
                "proof-deadline",
                "station",
                station_id,
                f"图像校对截止日期（{batch.name}）",
                {"deadline": old},
                {"deadline": deadline},
            )

    # -- changing states -------------------------------------------------------------------------------
    def set_state(
        self,
        student_ids: list[int],
        state: str,
        errors: list[dict[str, Any]] | None = None,
        note: str = "",
        source: str = "manual",
    ) -> list[Previous]:
        """Put students in a state (any state may follow any other); returns what undo needs."""
        if state not in STATE_BY_KEY:
            raise ProofError(f"未知的校对状态：{state}")
        errors = clean_errors(state, errors)
        with self.sessions.begin() as s:
            return [
                p
                for sid in student_ids
                if (p := self._change(s, s.get(Student, sid), state, errors, note, source)) is not None
            ]

    def restore(self, previous: list[Previous]) -> None:
        """Undo: put each student back exactly as it was."""
        with self.sessions.begin() as s:
            for p in previous:
                self._change(s, s.get(Student, p.student_id), p.state, p.errors, p.note, "undo")

    def _change(
        self, s: Session, student: Student | None, state: str, errors, note: str, source: str
    ) -> Previous | None:
        if student is None:
            raise ProofError("找不到该学生")
        before = Previous(student.id, student.proof_state, student.proof_errors, student.proof_note or "")
        if (before.state, before.errors, before.note) == (state, errors, note):
            return None
        student.proof_state, student.proof_errors, student.proof_note = state, errors, note
        student.proof_updated_at = utcnow()
        s.add(
            ProofRecord(
                student_id=student.id,
                state=state,
                errors=errors,
                note=note,
                source=source,
                operator=self.operator,
            )
        )
        audit.record(
            s,
            self.operator,
            "proof-state",
            "student",
            student.id,
            f"图像校对：{student.student_no} {student.name} → {result_text(state, errors) or '尚未校对'}",
            {"state": before.state, "errors": before.errors, "note": before.note},
            {"state": state, "errors": errors, "note": note, "source": source},
        )
        return before

    # -- import ------------------------------------------------------------------------------------------
    def read(self, path: Path | str) -> RosterFile:
        return read_table(path, PROOF_HEADERS.mapping, 2, "“学号”或“身份证号码”以及“校对结果”列")

    def import_results(
        self,
        roster: RosterFile,
        station_id: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ProofImportReport:
        """Match rows by 学号 or 身份证号 and apply their state in one transaction; unmatched rows are listed."""
        report = ProofImportReport(roster.path.name)

        before_change(self.sessions, "before-import")  # a SQLite store is backed up before every import
        with self.sessions.begin() as s:
            stmt = select(Student.id, Student.student_no, Student.id_number)
            if station_id is not None:
                stmt = stmt.where(Student.station_id == station_id)
            by_no, by_id = {}, {}
            for sid, no, idn in s.execute(stmt):
                by_no[no] = sid
                by_id[idn] = sid
            for sheet in roster.importable_sheets:
                keys = set(sheet.mapping.values())
                if "state" not in keys or not keys & {"student_no", "id_number"}:
                    report.unmatched.append(
                        (sheet.name, sheet.header_row_no or 0, "缺少“校对结果”列，或缺少“学号”“身份证号码”列")
                    )
                    continue
                for row_no, cells in sheet.data_rows():
                    values = {k: (cells[c] if c < len(cells) else None) for c, k in sheet.mapping.items()}
                    self._import_row(s, sheet.name, row_no, values, by_no, by_id, report)
        return report

    def _import_row(
        self,
        s: Session,
        sheet: str,
        row_no: int,
        values: dict[str, Any],
        by_no,
        by_id,
        report: ProofImportReport,
    ) -> None:
        student_id = None
        try:
            student_no = code_value(values.get("student_no")) if values.get("student_no") is not None else ""
        except ValueError:
            student_no = ""
        if student_no:
            student_id = by_no.get(student_no)
        if student_id is None and values.get("id_number"):
            try:
                student_id = by_id.get(parse_id_number(values["id_number"]).number)
            except IdNumberError:
                pass
        if student_id is None:
            report.unmatched.append((sheet, row_no, "学号/身份证号在库中找不到"))
            return
        state = parse_state(values.get("state"))
        problem = str(values.get("problem") or "").strip()
        if state is None:
            raw = str(values.get("state") or "").strip()
            if not raw:  # an empty result cell means the student has not proofed yet
                state = "unchecked"
            else:
                # A result cell that holds the problem itself ("照片非本人") means 有误.
                state, problem = "wrong", "；".join(x for x in (raw, problem) if x)
        errors = parse_problem(problem) if state == "wrong" else None
        if state == "wrong" and not errors:
            errors = [{"kind": "other", "text": "有误（未写明问题）"}]
        note = problem if state != "wrong" else ""
        report.matched += 1
        previous = self._change(s, s.get(Student, student_id), state, errors, note, "import")
        if previous is None:
            report.unchanged += 1
        else:
            report.changed += 1
            report.previous.append(previous)
