"""The proof sheet: a long name stays inside its own cell (a 13-character name overlapped its neighbours) and
every name is in the text layer whole."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest

from app.printing.proof_sheet_pdf import COLUMNS, write_proof_pdf
from app.services.delivery.proof_sheet import ProofClass, ProofItem

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed; .ci/run installs it"
)

NAMES = [
    "李娜",
    "阿卜杜热合曼·买买提·艾尔肯江",  # 15 characters
    "迪丽热巴·迪力木拉提·古丽孜娅·阿不都热依木",  # 21
    "王𪚥",
    "欧阳娜娜",
    "陈𠇔",
]


def test_long_names_stay_in_their_cells_and_extract_whole(qapp, tmp_path):
    group = ProofClass(
        "会计1班", tuple(ProofItem(i, n, f"2100{i:04d}", None, "") for i, n in enumerate(NAMES, 1))
    )
    path = tmp_path / "p.pdf"
    write_proof_pdf(group, "洛阳函授站", path)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_w = float(re.search(r'<page width="([\d.]+)"', html)[1])
    words = [
        (float(x0), float(x1), unescape(w))
        for x0, x1, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html
        )
    ]
    cell_w = (page_w - 2 * 12 / 25.4 * 72) / COLUMNS  # the 12 mm page margins, in points
    for name in NAMES[1:3]:
        parts = [(x0, x1) for x0, x1, w in words if w and w in name and len(w) > 1]
        assert parts, name
        assert max(x1 for _, x1 in parts) - min(x0 for x0, _ in parts) <= cell_w, (
            f"{name} runs out of its cell"
        )
    text = re.sub(
        r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    )
    for name in NAMES:
        assert name in text


def test_a_name_too_long_for_two_lines_keeps_its_start_and_is_shortened_at_the_end(qapp, tmp_path):
    name = "阿卜杜热合曼·买买提·艾尔肯江·阿不都热依木·买买提明·吐尔逊·阿卜杜热合曼·买买提·艾尔肯江"  # 49
    group = ProofClass("会计1班", (ProofItem(1, name + "\n", "21000001", None, ""),))
    path = tmp_path / "p.pdf"
    write_proof_pdf(group, "洛阳函授站", path)
    text = re.sub(
        r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    )
    assert "阿卜杜热合曼·买买提" in text  # from its first character
    assert "…" in text  # and visibly shortened, not silently cut
