"""The 校对反馈表 and 勘误表 PDFs: written atomically, one per class, with the text a clerk expects."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.models import Student
from app.printing.proof_forms_print import errata_form, feedback_forms, write_feedback_pdfs
from app.printing.table_form import write_pdf
from app.services.proofing.forms import ProofFormExporter
from app.services.proofing.service import ProofingService
from tests.roster_files import students, write_xlsx


@pytest.fixture
def proofed(db, station, importer, tmp_path):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(50)), station.id)
    proofing = ProofingService(db.sessions)
    with db.sessions() as s:
        ids = list(s.scalars(select(Student.id).order_by(Student.shot_no)))
    proofing.set_state(ids[:10], "correct")
    proofing.set_state(
        [ids[10]], "wrong", [{"kind": "not_self"}, {"kind": "record", "field": "民族", "correct": "回族"}]
    )
    return proofing


def test_feedback_pdfs_one_per_class(qapp, proofed, station, tmp_path):
    rows = proofed.rows(station.id)
    files = write_feedback_pdfs(rows, tmp_path / "pdf", station.name)
    assert len(files) == 2 and all(f.read_bytes().startswith(b"%PDF") for f in files)
    assert not list((tmp_path / "pdf").glob(".*part"))
    form = feedback_forms(rows, station.name)[0]
    cells = [str(v) for row in form.rows for v in row]
    assert "无误" in cells and "照片非本人；民族应为回族" in cells and "学院（公章）" in form.footer_lines


@pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed; .ci/run installs it"
)
def test_feedback_pdf_text_is_searchable(qapp, proofed, station, tmp_path):
    files = write_feedback_pdfs(proofed.rows(station.id), tmp_path / "pdf", station.name)
    text = subprocess.run(
        ["pdftotext", str(files[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    # the Kangxi radical ⽆ (U+2F46) shares 无's glyph in CJK fonts; the text layer must say 无
    assert "校对反馈表" in text and "无误" in text and "\u2f46" not in text
    assert "照片非本人；民族应为回族" in text.replace("\n", "")


def test_errata_pdf(qapp, proofed, station, tmp_path):
    lines = ProofFormExporter(proofed).errata_lines(station.id)
    path = write_pdf([errata_form(lines, station.name, "郑州大学", "10459")], tmp_path / "勘误表.pdf")
    assert path.read_bytes().startswith(b"%PDF") and len(lines) == 1


def test_unwritable_folder_gives_a_clear_error(qapp, proofed, station, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_feedback_pdfs(proofed.rows(station.id), blocker / "sub", station.name)
