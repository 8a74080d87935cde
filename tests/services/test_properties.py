"""Hypothesis properties: the roster importer fed random bytes and random small workbooks, the bundle reader fed
truncated and altered bundles. Never a crash, always a clear (Chinese) error, nothing written."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import Student
from app.paths import photo_store_for
from app.services.exchange.bundle import BundleError, export_station, read_bundle
from app.services.roster.reader import RosterReadError
from tests.bundle_data import STATION, make_station_store, table_dump
from tests.roster_files import HEADERS, students


def examples(n: int) -> settings:
    return settings(
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        deadline=None,
        derandomize=True,
        database=None,
        max_examples=n,
    )


CHINESE = re.compile(r"[\u4e00-\u9fff]")


@examples(60)
@given(
    data=st.binary(max_size=3000),
    suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".txt"]),
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "姓名,学号\n".encode()]),
)
def test_random_bytes_never_crash_the_importer_and_write_nothing(
    db, station, importer, tmp_path, data, suffix, prefix
):
    before = table_dump(db)
    path = tmp_path / f"random{suffix}"
    path.write_bytes(prefix + data)
    try:
        roster = importer.read(path)
    except RosterReadError as exc:
        assert CHINESE.search(str(exc)) and path.name in str(exc)
        assert table_dump(db) == before
        return
    report = importer.apply(roster, station.id)
    assert report.valid_rows == 0 and not report.committed
    assert table_dump(db) == before


_GOOD = students(30, seed=9)
_cell = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**19), 10**19),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.booleans(),
)


@st.composite
def workbooks(draw):
    """Real-looking rows with some cells replaced by anything a spreadsheet can hold."""
    headers = draw(st.lists(st.sampled_from(HEADERS + ["备注", "序号", ""]), min_size=1, max_size=12))
    count = draw(st.integers(0, 6))
    rows = []
    for _ in range(count):
        good = _GOOD[draw(st.integers(0, len(_GOOD) - 1))]
        row = []
        for h in headers:
            value = good.get(h) if h in good else None
            if draw(st.integers(0, 3)) == 0:
                value = draw(_cell)
            row.append(value)
        rows.append(row)
    return headers, rows


@examples(40)
@given(book=workbooks())
def test_random_small_workbooks_import_or_reject_cleanly(db, station, importer, tmp_path, book):
    headers, rows = book
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    with db.sessions() as s:
        count = s.scalar(select(func.count()).select_from(Student))
    before = table_dump(db)
    try:
        report = importer.apply(importer.read(path), station.id)
    except RosterReadError as exc:
        assert CHINESE.search(str(exc))
        assert table_dump(db) == before
        return
    for problem in report.rejected:
        assert CHINESE.search(problem.reason)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == count + report.imported
    if report.imported == 0 and report.updated == 0:
        assert table_dump(db) == before or report.committed


@pytest.fixture(scope="module")
def good_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundle-src")
    station = make_station_store(folder / "station", count=4, photos=1)
    path = folder / "good.zip"
    export_station(station.sessions, photo_store_for(station), STATION, path)
    station.dispose()
    return path.read_bytes()


@st.composite
def damaged(draw, size: int):
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "zero-run"]))
    at = draw(st.integers(0, size - 1))
    if kind == "truncate":
        return kind, at, b""
    if kind == "insert":
        return kind, at, draw(st.binary(min_size=1, max_size=16))
    if kind == "zero-run":
        return kind, at, bytes(draw(st.integers(1, 64)))
    return kind, at, bytes([draw(st.integers(1, 255))])


def _apply_damage(raw: bytes, damage) -> bytes:
    kind, at, payload = damage
    if kind == "truncate":
        return raw[:at]
    if kind == "insert":
        return raw[:at] + payload + raw[at:]
    if kind == "zero-run":
        return raw[:at] + payload + raw[at + len(payload) :]
    return raw[:at] + bytes([raw[at] ^ payload[0]]) + raw[at + 1 :]


@examples(150)
@given(data=st.data())
def test_damaged_bundles_are_refused_with_a_reason_and_write_nothing(db, good_bundle, tmp_path, data):
    damage = data.draw(damaged(len(good_bundle)))
    raw = _apply_damage(good_bundle, damage)
    path = tmp_path / "damaged.zip"
    path.write_bytes(raw)
    before = table_dump(db)
    try:
        bundle = read_bundle(path)
    except BundleError as exc:
        assert CHINESE.search(str(exc)) and "Traceback" not in str(exc)
        assert table_dump(db) == before
        return
    # Bytes the checksums do not cover (zip header timestamps, padding) may change harmlessly:
    # then the content must be exactly the original's.
    original = tmp_path / "original.zip"
    original.write_bytes(good_bundle)
    assert bundle.students == read_bundle(original).students
    assert zipfile.is_zipfile(path)


_NAME_PARTS = st.text(
    alphabet=st.sampled_from(
        list('王李张欧阳买买提·•・‧. 　𠮷\t\x07/<>:*?"|\\') + ["\u200b", "\ufeff", "\x85", "\u202e", "\u2066"]
    ),
    min_size=0,
    max_size=12,
)
_STUDENT_NOS = st.text(
    alphabet=st.sampled_from(list("0123456789AZaz-_./\\ 　=+@：１\x00\n<")), min_size=0, max_size=45
)


@examples(80)
@given(name=_NAME_PARTS, student_no=_STUDENT_NOS)
def test_whatever_text_is_typed_a_stored_student_obeys_the_field_rules(
    db, station, roster_service, name, student_no
):
    """One set of rules for every path: a student added with any name and 学号 is either refused in Chinese
    or stored with a name free of control characters and path characters and a 学号 of [0-9A-Za-z_-]."""
    from app.services.roster.service import StudentError

    row = students(1, seed=len(name) + 3 * len(student_no))[0]
    raw = {"name": name, "student_no": student_no, "sex": row["性别"], "id_number": row["身份证号码"]}
    try:
        stored = roster_service.add(station.id, raw)
    except StudentError as exc:
        assert CHINESE.search(str(exc)), str(exc)
        return
    try:
        assert re.fullmatch(r"[0-9A-Za-z_-]{1,40}", stored.student_no)
        assert stored.name and not re.search(
            r"[\x00-\x1f\x7f-\x9f/\\<>\"|*?:\u200b\ufeff\u202e\u2066]", stored.name
        )
        assert "•" not in stored.name and "・" not in stored.name and "‧" not in stored.name
    finally:
        roster_service.remove(stored.id)
