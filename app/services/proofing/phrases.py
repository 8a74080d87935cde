"""Reading students' own words on a proofing sheet: the phrase table (resources/proofing/phrases.json) and the reader.

The table is data: a phrasing added to the right list is read that way, and its "precedence" list says, in the
order applied here, which reading wins. The words are never rewritten: clauses are only cut out to be read, and a
clause nobody recognises is kept as written (其他) and reported as unknown, for the preview to highlight.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.services.proofing.states import ERROR_BY_KEY, PROOFED_FIELDS, STATE_BY_KEY

# A row's state when its clauses disagree: the first found in this order wins (precedence rule 10).
STATE_ORDER = ("no_record", "no_photo_mismatch", "no_photo_pending", "linked")
VAGUE_WRONG = "有误（未写明问题）"


def _table_path() -> Path:
    """resources/proofing/phrases.json beside the app package, or inside a PyInstaller bundle."""
    here = Path(__file__).resolve().parents[3] / "resources" / "proofing" / "phrases.json"
    bundle = getattr(sys, "_MEIPASS", None)
    if not here.is_file() and bundle:
        return Path(bundle) / "resources" / "proofing" / "phrases.json"
    return here


def fold(text: str) -> str:
    """What matching sees of one character: full-width forms as ASCII (ＯＫ → ok), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class PhraseTable:
    separators: str
    ignore_row_words: tuple[str, ...]
    negators: tuple[str, ...]
    ok_exact: frozenset[str]
    correction_trailers: tuple[str, ...]
    # folded phrase → (category, key); categories: state, error, field, indicator, correction, ok
    phrases: dict[str, tuple[str, str]]
    longest: int
    starts: frozenset[str] = frozenset()  # first characters of the phrases: most positions start none
    precedence: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PhraseTable:
        phrases: dict[str, tuple[str, str]] = {}

        def add(words: list[str], category: str, key: str) -> None:
            for word in words:
                folded = "".join(fold(word).split())
                if not folded:
                    raise ValueError("短语表中有空短语")
                if folded in phrases and phrases[folded] != (category, key):
                    raise ValueError(f"短语“{word}”在短语表中出现了两次，意思不同")
                phrases[folded] = (category, key)

        for state, words in data["states"].items():
            if state not in STATE_BY_KEY:
                raise ValueError(f"短语表中的状态“{state}”不存在")
            add(words, "state", state)
        for kind, words in data["errors"].items():
            if kind not in ERROR_BY_KEY:
                raise ValueError(f"短语表中的错误类型“{kind}”不存在")
            add(words, "error", kind)
        for name, words in data["fields"].items():
            if name not in PROOFED_FIELDS:
                raise ValueError(f"短语表中的学籍字段“{name}”不在 17 项之内")
            add(words, "field", name)
        add(data["indicators"], "indicator", "")
        add(data["correction_markers"], "correction", "")
        add(data["ok"], "ok", "")
        return cls(
            separators=data["separators"],
            ignore_row_words=tuple(fold(w) for w in data["ignore_row_words"]),
            negators=tuple(sorted((fold(w) for w in data["negators"]), key=len, reverse=True)),
            ok_exact=frozenset(fold(w) for w in data["ok_exact"]),
            correction_trailers=tuple(data["correction_trailers"]),
            phrases=phrases,
            longest=max(len(p) for p in phrases),
            starts=frozenset(p[0] for p in phrases),
            precedence=tuple(data.get("precedence", ())),
        )

    @classmethod
    def load(cls, path: Path | str | None = None) -> PhraseTable:
        source = Path(path) if path else _table_path()
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            return cls.from_data(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"无法读取校对短语表 {source.name}：{exc}") from None


@cache
def default_table() -> PhraseTable:
    return PhraseTable.load()


@dataclass(frozen=True)
class Reading:
    """How one student's words read: the state, the error list of an 有误, and what could not be read."""

    state: str
    errors: list[dict[str, Any]] | None = None
    unknown: tuple[str, ...] = ()  # clauses kept as 其他, exactly as written
    doubts: tuple[str, ...] = ()  # why a clerk should look at this row (Chinese)


@dataclass
class _Clause:
    text: str  # as written
    states: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # named and said to be wrong (or said nothing of)
    fine_fields: list[str] = field(default_factory=list)  # named and said to be right: 民族没错
    indicator: bool = False
    ok: bool = False
    negated: bool = False
    correct: str = ""


def _split(text: str, separators: str) -> list[tuple[int, int]]:
    """Where each clause is in the text (start, end), surrounding spaces left out; the text is not changed."""
    spans, start = [], 0
    for i, ch in enumerate([*text, separators[0]]):
        if i == len(text) or ch in separators:
            part = text[start:i]
            if part.strip():
                lead = len(part) - len(part.lstrip())
                spans.append((start + lead, start + len(part.rstrip())))
            start = i + 1
    return spans


def _negated(before: str, negators: tuple[str, ...]) -> bool:
    """Whether the negators right before a phrase deny it: two cancel (不是不模糊 is 模糊, 没有不对 is 对)."""
    count = 0
    while n := next((n for n in negators if before.endswith(n)), None):  # longest first
        count += 1
        before = before[: -len(n)]
    return count % 2 == 1


def _scan(text: str, table: PhraseTable) -> _Clause:
    """Leftmost-longest phrases of one clause; spaces and width ignored, positions kept for the correct value."""
    clause = _Clause(text)
    where = [i for i, ch in enumerate(text) if not ch.isspace()]  # folded position → position in the text
    folded = fold("".join(text[i] for i in where))
    if len(folded) != len(where):  # a character that folds to several (rare ligatures): one char each
        folded = "".join(fold(text[i])[:1] or text[i] for i in where)
    if folded in table.ok_exact:
        clause.ok = True
        return clause
    pending: list[str] = []  # fields named since the last verdict: the next 无误 or 错了 is about them
    pos = 0
    while pos < len(folded):
        if folded[pos] not in table.starts:
            pos += 1
            continue
        for length in range(min(table.longest, len(folded) - pos), 0, -1):
            hit = table.phrases.get(folded[pos : pos + length])
            if hit:
                break
        else:
            pos += 1
            continue
        category, key = hit
        negated = _negated(folded[:pos], table.negators)
        if category == "correction":
            value = text[where[pos + length - 1] + 1 :]
            value = value.strip().strip("“”\"'‘’：:")
            for trailer in table.correction_trailers:
                value = value.removesuffix(trailer).strip()
            clause.correct = value
            clause.indicator = True
            clause.fields.extend(pending)
            return clause  # the rest is the value, never read as phrases
        if category == "state":
            clause.states.append(key)
        elif category == "error":
            if negated:
                clause.negated = True
            else:
                clause.errors.append(key)
        elif category == "field":
            pending.append(key)
        elif category == "indicator":
            if negated:
                clause.negated = True
                clause.fine_fields.extend(pending)
            else:
                clause.indicator = True
                clause.fields.extend(pending)
            pending.clear()
        elif category == "ok":
            if negated:  # 不正常, 不满意: something is wrong, not said what
                clause.indicator = True
                clause.fields.extend(pending)
            else:
                clause.ok = True
                clause.fine_fields.extend(pending)
            pending.clear()
        pos += length
    # a field named with no verdict after it (民族应为…, 有误：民族) is the error
    clause.fields.extend(pending)
    return clause


def read_words(text: object, table: PhraseTable | None = None) -> Reading:
    """A student's words (a 校对结果 or 问题 cell) as a state and errors; empty words are 尚未校对."""
    table = table or default_table()
    words = "" if text is None else str(text)
    spans = _split(words, table.separators)
    clauses = [_scan(words[a:b], table) for a, b in spans]
    if not clauses:
        return Reading("unchecked")
    states: list[str] = []
    errors: list[dict[str, Any]] = []
    unknown: list[str] = []
    vague, ok, unchecked = False, False, False
    run_start: int | None = None  # unknown clauses side by side stay one text, separators and all
    for n, clause in enumerate(clauses):
        if run_start is not None and not _unknown(clause):
            run_start = None
        named_states = [s for s in clause.states if s != "unchecked"]
        if named_states:  # rule 4: a situation outweighs fields and error words in its clause
            states.extend(named_states)
            continue
        if clause.states:
            unchecked = True
            continue
        if clause.fields:  # rule 5: a named record field, and it outweighs a bare 学校/院校
            for name in dict.fromkeys(clause.fields):
                errors.append({"kind": "record", "field": name, "correct": clause.correct})
            errors.extend({"kind": k} for k in clause.errors if k != "wrong_school")
            continue
        if clause.errors:  # rule 6 has already dropped the negated ones
            errors.extend({"kind": k} for k in clause.errors)
            continue
        if clause.correct:  # "应为回族" after "民族错了": the value of the record error before it
            target = next((e for e in reversed(errors) if e["kind"] == "record" and not e["correct"]), None)
            if target is not None:
                target["correct"] = clause.correct
                continue
        if clause.ok or (clause.negated and not clause.indicator):
            ok = True
            continue
        if clause.indicator:
            vague = True
            continue
        if run_start is None:
            run_start = spans[n][0]
            errors.append({"kind": "other", "text": clause.text})
            unknown.append(clause.text)
        else:
            errors[-1]["text"] = unknown[-1] = words[run_start : spans[n][1]]
    errors = _dedupe(errors)
    doubts: list[str] = []
    if states:
        state = next(s for s in STATE_ORDER if s in states)
        others = [STATE_BY_KEY[s].label for s in dict.fromkeys(states) if s != state]
        if errors or others:
            dropped = "、".join([*others, *("有误" for _ in errors[:1])])
            doubts.append(f"同一行还写了{dropped}，按“{STATE_BY_KEY[state].label}”处理")
        return Reading(state, None, tuple(unknown), tuple(doubts))
    if errors:
        if unchecked:
            doubts.append("同一行写了“未校对”，又写了问题，按“有误”处理")
        return Reading("wrong", errors, tuple(unknown), tuple(doubts))
    if vague:
        return Reading("wrong", [{"kind": "other", "text": VAGUE_WRONG}], (), ("写了有误，没写明是什么问题",))
    if unchecked:
        return Reading("unchecked", None, (), ("写了“未校对”",) if ok else ())
    return Reading("correct")


def _unknown(clause: _Clause) -> bool:
    return (
        not (
            clause.states or clause.errors or clause.fields or clause.correct or clause.ok or clause.indicator
        )
        and not clause.negated
    )


def _dedupe(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One error per kind (per field for 学籍); a field's correct value kept when any clause gave it."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for error in errors:
        key = (error["kind"], error.get("field", "") or error.get("text", ""))
        if key in out:
            if error.get("correct") and not out[key].get("correct"):
                out[key]["correct"] = error["correct"]
            continue
        out[key] = dict(error)
    return list(out.values())


def is_footer_row(cells: list[object], table: PhraseTable | None = None) -> bool:
    """A signature, stamp, date or total line under the table (签字, 盖章, 制表人, 日期 …)."""
    table = table or default_table()
    text = fold("".join("".join(str(c).split()) for c in cells if c is not None))
    return bool(text) and any(word in text for word in table.ignore_row_words)
