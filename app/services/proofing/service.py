"""Proofing: every student's online check tracked with history, deadlines, counts and what to do next."""

from __future__ import annotations

import datetime as dt
import unicodedata
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
from app.services.proofing.phrases import STATE_ORDER, VAGUE_WRONG, PhraseTable, is_footer_row, read_words
from app.services.proofing.states import (
    STATE_BY_KEY,
    ProofError,
    clean_errors,
    next_action,
    parse_state,
    result_text,
)
from app.services.roster.fields import HeaderGuesser
from app.services.roster.names import clean_name
from app.services.roster.reader import RosterFile, read_table
from app.services.standards.idcard import IdNumberError, mask_id, normalise_id_text, parse_id_number

PROOF_HEADERS = HeaderGuesser(
    {
        "student_no": ("学号", "学生学号", "学籍号"),
        "id_number": ("身份证号码", "身份证号", "证件号码", "证件号"),
        "name": ("姓名", "学生姓名"),
        "state": ("校对结果", "校对状态", "校对情况", "状态", "结果"),
        "problem": ("问题", "异常内容", "错误内容", "问题说明"),
        "remark": ("备注", "说明"),  # read as the 问题 only on a sheet without a 问题 column
    },
    # columns a class teacher adds that the containment rule would take for 校对结果 (…状态, …结果)
    ("序号", "本人签名", "学籍状态", "照片状态", "处理结果", "处理状态", "审核结果"),
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
class RowReading:
    """One row of a proofing sheet as read: who it is, what the student wrote (verbatim) and how that reads.

    `state` and `errors` are what will be written; the import dialog lets a clerk change them first."""

    sheet: str
    row_no: int
    student_no: str  # as written
    id_number: str  # as written; shown masked
    name: str  # as written, with the shared name normaliser applied (买买提.艾力 → 买买提·艾力)
    words: str  # the 校对结果/问题 text exactly as written; stored as the proofing note
    state: str
    errors: list[dict[str, Any]] | None
    unknown: tuple[str, ...] = ()  # clauses read as 其他 because no phrase matched
    doubts: tuple[str, ...] = ()  # why a clerk should look at the row
    student_id: int | None = None
    matched_by: str = ""  # 学号 / 身份证号 / 姓名
    known_name: str = ""
    known_student_no: str = ""
    current: tuple[str, list[dict[str, Any]] | None, str] | None = None  # state, errors, note in the store
    reason: str = ""  # why it matched nobody

    @property
    def result(self) -> str:
        return result_text(self.state, self.errors) or STATE_BY_KEY["unchecked"].label

    @property
    def flagged(self) -> bool:
        """Worth a clerk's look: words no phrase explains, or a doubt."""
        return bool(self.unknown or self.doubts)

    @property
    def changes(self) -> bool:
        return self.current != (self.state, self.errors, self.words)

    def who(self) -> str:
        """姓名 张三，学号 2021001 — what the row says about who it is (身份证号 masked)."""
        parts = [
            f"姓名 {self.name}" if self.name else "",
            f"学号 {self.student_no}" if self.student_no else "",
        ]
        if self.id_number and not self.student_no:
            parts.append(f"身份证号 {mask_id(self.id_number)}")
        return "，".join(p for p in parts if p) or "未写姓名和学号"

    def unmatched_text(self) -> str:
        return f"{self.who()}：{self.reason}"


@dataclass
class ProofImportPreview:
    """Every row of a sheet as read, nothing written: the matched rows, those matching nobody, lines ignored."""

    file_name: str
    rows: list[RowReading] = field(default_factory=list)
    unmatched: list[RowReading] = field(default_factory=list)
    ignored: list[tuple[str, int, str]] = field(default_factory=list)  # sheet, row, text: footers, signatures
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # sheets without the columns needed

    @property
    def flagged(self) -> list[RowReading]:
        return [r for r in self.rows if r.flagged]

    def summary(self) -> str:
        return (
            f"可匹配 {len(self.rows)} 行（其中 {sum(r.changes for r in self.rows)} 行会改变，"
            f"{len(self.flagged)} 行请核对），未匹配 {len(self.unmatched)} 行，忽略页脚/签字行 {len(self.ignored)} 行"
        )


@dataclass
class ProofImportReport:
    file_name: str
    matched: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: list[tuple[str, int, str]] = field(default_factory=list)  # sheet, row, who and why
    ignored: int = 0
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

    # -- import: read every row first (nothing written), then write the readings as the clerk left them ----------
    def read(self, path: Path | str) -> RosterFile:
        return read_table(path, PROOF_HEADERS.mapping, 2, "“学号”“身份证号码”或“姓名”以及“校对结果”列")

    def preview_import(
        self,
        roster: RosterFile,
        station_id: int | None = None,
        table: PhraseTable | None = None,
    ) -> ProofImportPreview:
        """How every row reads — student matched, state, errors, the words as written — without writing anything."""
        preview = ProofImportPreview(roster.path.name)
        stmt = select(
            Student.id,
            Student.student_no,
            Student.id_number,
            Student.name,
            Student.proof_state,
            Student.proof_errors,
            Student.proof_note,
        )
        if station_id is not None:
            stmt = stmt.where(Student.station_id == station_id)
        with self.sessions() as s:
            known = {r[0]: _Known(*r[1:]) for r in s.execute(stmt)}
        index = _StudentIndex(known)
        seen: dict[int, RowReading] = {}
        for sheet in roster.importable_sheets:
            keys = set(sheet.mapping.values())
            if not keys & {"state", "problem", "remark"} or not keys & MATCH_KEYS:
                preview.skipped.append(
                    (
                        sheet.name,
                        sheet.header_row_no or 0,
                        "缺少“校对结果”列，或缺少“学号”“身份证号码”“姓名”列",
                    )
                )
                continue
            for row_no, cells in sheet.data_rows():
                values = {k: (cells[c] if c < len(cells) else None) for c, k in sheet.mapping.items()}
                if "problem" not in keys:
                    values["problem"] = values.get("remark")
                reading = _read_row(sheet.name, row_no, values, index, table)
                if reading.student_id is None:
                    if is_footer_row(cells, table) and not (reading.student_no or reading.id_number):
                        text = " ".join(str(c).strip() for c in cells if c is not None and str(c).strip())
                        preview.ignored.append((sheet.name, row_no, text))
                    else:
                        preview.unmatched.append(reading)
                    continue
                first = seen.get(reading.student_id)
                if first is not None:
                    reading.doubts += (f"该学生在[{first.sheet}]第 {first.row_no} 行已出现，以本行为准",)
                seen[reading.student_id] = reading
                preview.rows.append(reading)
        return preview

    def apply_import(
        self,
        preview: ProofImportPreview,
        readings: list[RowReading] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ProofImportReport:
        """Write the readings (the preview's, or the clerk's edited copy) in one transaction; an invalid one
        (有误 without an error, say) refuses the whole import, naming its row."""
        readings = preview.rows if readings is None else readings
        cleaned = []
        for r in readings:
            try:
                if r.state not in STATE_BY_KEY:
                    raise ProofError(f"未知的校对状态：{r.state}")
                cleaned.append((r, clean_errors(r.state, r.errors)))
            except ProofError as exc:
                raise ProofError(
                    f"[{r.sheet}] 第 {r.row_no} 行（{r.who()}）：{exc}，未写入任何数据"
                ) from None
        report = ProofImportReport(preview.file_name)
        report.unmatched = [(r.sheet, r.row_no, r.unmatched_text()) for r in preview.unmatched]
        report.ignored = len(preview.ignored)
        before_change(self.sessions, "before-import")  # a SQLite store is backed up before every import
        with self.sessions.begin() as s:
            for done, (reading, errors) in enumerate(cleaned, start=1):
                report.matched += 1
                previous = self._change(
                    s, s.get(Student, reading.student_id), reading.state, errors, reading.words, "import"
                )
                if previous is None:
                    report.unchanged += 1
                else:
                    report.changed += 1
                    report.previous.append(previous)
                if progress is not None and done % 200 == 0:
                    progress(done, len(cleaned))
        return report

    def import_results(
        self,
        roster: RosterFile,
        station_id: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ProofImportReport:
        """Preview and write as read, in one go (scripts and tests); the GUI and `--preview` show it first."""
        return self.apply_import(self.preview_import(roster, station_id), progress=progress)


MATCH_KEYS = {"student_no", "id_number", "name"}


@dataclass(frozen=True)
class _Known:
    student_no: str
    id_number: str
    name: str
    state: str
    errors: list[dict[str, Any]] | None
    note: str


class _StudentIndex:
    def __init__(self, known: dict[int, _Known]) -> None:
        self.known = known
        self.by_no = {k.student_no: sid for sid, k in known.items()}
        self.by_id = {k.id_number: sid for sid, k in known.items()}
        self.by_name: dict[str, list[int]] = {}
        for sid, k in known.items():
            self.by_name.setdefault(clean_name(k.name), []).append(sid)


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_row(
    sheet: str, row_no: int, values: dict[str, Any], index: _StudentIndex, table: PhraseTable | None
) -> RowReading:
    raw_no = values.get("student_no")
    if isinstance(raw_no, str):  # full-width digits, typed in Chinese input mode: ２０２３００１ is 2023001
        raw_no = unicodedata.normalize("NFKC", raw_no)
    try:
        student_no = code_value(raw_no) if raw_no is not None else ""
    except ValueError:
        student_no = _cell(raw_no)
    id_text = normalise_id_text(values.get("id_number")).strip()
    name = clean_name(values.get("name"))
    state, errors, unknown, doubts, words = read_cells(values.get("state"), values.get("problem"), table)
    reading = RowReading(sheet, row_no, student_no, id_text, name, words, state, errors, unknown, doubts)
    sid, why = None, []
    if student_no:
        sid = index.by_no.get(student_no)
        if sid is not None:
            reading.matched_by = "学号"
        else:
            why.append(f"学号 {student_no} 在库中找不到")
    if sid is None and id_text:
        try:
            sid = index.by_id.get(parse_id_number(id_text).number)
            if sid is not None:
                reading.matched_by = "身份证号"
            else:
                why.append("身份证号在库中找不到")
        except IdNumberError:
            why.append("身份证号无效")
    if sid is None and name:
        same = index.by_name.get(name, [])
        if len(same) == 1:
            sid, reading.matched_by = same[0], "姓名"
            if why:  # a mistyped 学号 with the right name: matched, but worth a look
                reading.doubts += ("；".join(why) + "，按姓名匹配",)
        elif same:
            why.append(f"库中有 {len(same)} 名学生叫“{name}”，请填学号")
        else:
            why.append(f"姓名“{name}”在库中找不到")
    if sid is None:
        reading.reason = "；".join(why) or "没有学号、身份证号或姓名"
        return reading
    known = index.known[sid]
    reading.student_id = sid
    reading.known_name, reading.known_student_no = known.name, known.student_no
    reading.current = (known.state, known.errors, known.note or "")
    if name and reading.matched_by != "姓名" and clean_name(known.name) != name:
        reading.doubts += (f"表中姓名“{name}”与库中“{known.name}”不同",)
    return reading


def read_cells(
    state_cell: object, problem_cell: object, table: PhraseTable | None = None
) -> tuple[str, list[dict[str, Any]] | None, tuple[str, ...], tuple[str, ...], str]:
    """(state, errors, unknown clauses, doubts, the words kept) from a row's 校对结果 and 问题 cells.

    A 校对结果 that is exactly a state's name (正确, 无误, 无照片（未上传）…) is taken as ticked, and the
    问题 cell is read for the detail; anything else in 校对结果 is the student's own words and read as such."""
    raw, problem = _cell(state_cell), _cell(problem_cell)
    ticked = parse_state(raw)
    if ticked is None:
        words = "\n".join(x for x in (raw, problem) if x)
        r = read_words(words, table)
        return r.state, r.errors, r.unknown, r.doubts, words
    words = problem
    r = read_words(problem, table) if problem else None
    says_problem = r is not None and r.state not in ("correct", "unchecked")
    if ticked == "wrong":
        if says_problem:
            return r.state, r.errors, r.unknown, r.doubts, words
        doubt = "校对结果写“有误”，没写明问题" if not problem else "校对结果写“有误”，问题栏却像是没有问题"
        return "wrong", [{"kind": "other", "text": problem or VAGUE_WRONG}], (), (doubt,), words
    if ticked == "correct" and says_problem:
        doubt = f"校对结果写“{raw}”，问题栏却写了问题，按问题栏处理"
        return r.state, r.errors, r.unknown, (*r.doubts, doubt), words
    if r is not None and r.state != ticked and r.state in STATE_ORDER:
        doubt = f"问题栏读作“{STATE_BY_KEY[r.state].label}”，按校对结果栏“{raw}”处理"
        return ticked, None, (), (doubt,), words
    return ticked, None, (), (), words
