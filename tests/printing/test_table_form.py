"""Printed table forms read back from the PDF: no row split across pages, the seed's 25 rows a page, names on
at most two lines, a searchable text layer with normal code points, rare characters drawn and extracted."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from app.printing.table_form import NAME, TEXT, TableForm, write_pdf

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed; .ci/run installs it"
)

LONG = "阿卜杜热合曼·买买提·艾尔肯江"  # 14 characters: wraps in any sensible 姓名 column
LONGER = "迪丽热巴·迪力木拉提·古丽孜娅"
HEADERS = ("序号", "学号", "姓名", "校对结果（无异常填“无误”，异常情况请如实填写异常内容）", "本人签名")
FOOTER = ("班级名称：____级____班　　辅导员签名：________　　学院领导：________", "学院（公章）")


def _form(rows) -> TableForm:
    return TableForm(
        title="高等教育学历电子注册图像信息校对反馈表",
        headers=HEADERS,
        rows=rows,
        lines_above=["班级：2021级会计1班"],
        footer_lines=FOOTER,
        column_widths=(0, 0, 1, 5, 3),
        center_columns={0, 1},
        wrap={2: NAME, 3: TEXT},
        rows_per_page=25,
        min_mm={4: 24.0},
    )


def _rows(n: int, long_at=(), results=None):
    out = []
    for i in range(1, n + 1):
        name = LONG if i in long_at else ("李娜", "欧阳娜娜", "张三")[i % 3]
        out.append((i, f"2100{i:04d}", name, (results or {}).get(i, "无误"), ""))
    return out


def _pages(path) -> list[str]:
    count = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        )[1]
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(p), "-l", str(p), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for p in range(1, count + 1)
    ]


def _numbers_on(page: str) -> list[int]:
    """The 序号 of the rows on a page: each 学号 2100NNNN carries its row's number."""
    return [int(m) for m in re.findall(r"2100(\d{4})", page)]


def test_ordinary_names_give_the_seeds_25_rows_a_page(qapp, tmp_path):
    path = write_pdf([_form(_rows(60))], tmp_path / "f.pdf")
    pages = _pages(path)
    assert [len(_numbers_on(p)) for p in pages] == [25, 25, 10]
    assert "学院（公章）" in pages[-1] and "学院（公章）" not in pages[0]
    assert all("序号" in p and "本人签名" in p for p in pages)  # the header repeats on every page


def test_no_row_is_split_across_pages_and_long_names_stay_whole(qapp, tmp_path):
    # long names and long results just where page 1 ends
    results = {i: "照片非本人，请补拍；民族应为回族，出生日期应为1990年1月1日" for i in (20, 22, 23, 25)}
    rows = _rows(70, long_at=(23, 24, 25, 26, 49, 50), results=results)
    rows[24] = (25, "21000025", LONGER, rows[24][3], "")
    path = write_pdf([_form(rows)], tmp_path / "f.pdf")
    pages = _pages(path)
    seen = [n for p in pages for n in _numbers_on(p)]
    assert seen == list(range(1, 71))  # every row once, in order
    for page in pages:
        flat = re.sub(r"\s+", "", page)
        for n in _numbers_on(page):
            name = rows[n - 1][2]
            assert name in flat, f"row {n}: {name} is not whole on the page of its 学号"
        if any(rows[n - 1][3] != "无误" for n in _numbers_on(page)):
            assert "照片非本人，请补拍；民族应为回族，出生日期应为1990年1月1日" in flat


def _name_lines(path, name: str) -> int:
    """How many printed lines the name takes: words of pdftotext's bbox output that piece it together."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [
        (float(y), unescape(w))
        for y, w in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    ]
    for i in range(len(words)):
        text, lines = "", set()
        for y, w in words[i:]:
            if not name.startswith(text + w):
                break
            text += w
            lines.add(round(y))
            if text == name:
                return len(lines)
    raise AssertionError(f"{name} not found in the text layer")


def test_the_longest_name_fits_on_at_most_two_lines(qapp, tmp_path):
    path = write_pdf([_form(_rows(10, long_at=(3,)))], tmp_path / "f.pdf")
    assert _name_lines(path, LONG) in (1, 2)


def test_text_layer_has_normal_code_points_and_rare_characters(qapp, tmp_path):
    from app.printing.fonts import undrawable

    rows = _rows(4)
    rows[1] = (2, "21000002", "陈\U000201d4", "无误", "")
    rows[2] = (3, "21000003", "王\U0002a6a5", "无误", "")
    path = write_pdf([_form(rows)], tmp_path / "f.pdf")
    text = "".join(_pages(path))
    assert "无误" in text and "\u2f46" not in text  # not the Kangxi radical ⽆ that shares the glyph
    assert "阿" not in text or "⼘" not in text
    if undrawable("\U0002a6a5"):
        pytest.skip("no font with CJK Extension B here (fonts-hanazono); .ci/run installs it")
    assert "陈\U000201d4" in text and "王\U0002a6a5" in text


def _words(path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word pdftotext finds, in points."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line
        )
        if m:
            out.append((page, *(float(v) for v in m.groups()[:4]), unescape(m[5])))
    return out


A4_W, A4_H, MARGIN_PT = 595.3, 841.9, 12 / 25.4 * 72


def _outside_the_margins(path) -> list[str]:
    return [
        f"p{p} {w!r} ({x0:.0f},{y0:.0f})-({x1:.0f},{y1:.0f})"
        for p, x0, y0, x1, y1, w in _words(path)
        if x0 < MARGIN_PT - 1 or y0 < MARGIN_PT - 1 or x1 > A4_W - MARGIN_PT + 1 or y1 > A4_H - MARGIN_PT + 1
    ]


def test_a_row_taller_than_a_page_goes_on_over_pages_whole_and_inside_them(qapp, tmp_path):
    # 5,000 characters of problem text: no page can hold the row; not a character may be lost or drawn
    # past the page, and each page of it still says whose row it is
    rows = _rows(5)
    rows[2] = (3, "21000003", "王五", "长" * 5000, "")
    path = write_pdf([_form(rows)], tmp_path / "f.pdf")
    pages = _pages(path)
    assert len(pages) > 2
    assert sum(re.sub(r"\s+", "", p).count("长") for p in pages) == 5000
    assert _outside_the_margins(path) == []
    for page in pages:
        flat = re.sub(r"\s+", "", page)
        if "长" in flat:
            assert "21000003" in flat and "王五" in flat
        assert re.search(r"第\d+页，共\d+页", flat)
    assert sorted({n for p in pages for n in _numbers_on(p)}) == [1, 2, 3, 4, 5]


def test_a_very_long_name_leaves_the_numbers_whole_and_nothing_runs_off_the_page(qapp, tmp_path):
    rows = _rows(6)
    rows[1] = (2, "21000002", "热" * 300, "无误", "")
    rows[3] = (4, "21000004", "A" * 200, "无误", "")  # one word wider than any column
    form = _form(rows)
    form.lines_above = ["班级：" + "会计" * 150]  # a line of data longer than the page is wide
    path = write_pdf([form], tmp_path / "f.pdf")
    assert _outside_the_margins(path) == []
    words = _words(path)
    numbers = [w for w in words if re.fullmatch(r"2100\d{4}", w[5])]
    assert len(numbers) == 6  # each 学号 on one line, whole
    head = {w[5]: w for w in words if w[5] in ("序号", "学号")}
    assert set(head) == {"序号", "学号"}  # the narrow headers are not broken into single characters
    for _, x0, _, x1, _, _ in numbers:  # and a 学号 stays in its own column, right of the 序号 column
        assert x0 >= head["序号"][3] and x1 - x0 < 60
    assert sum(re.sub(r"\s+", "", p).count("热") for p in _pages(path)) == 300
    assert sum(re.sub(r"\s+", "", p).count("A") for p in _pages(path)) == 200


def test_control_characters_in_a_name_print_as_nothing_not_boxes(qapp, tmp_path):
    rows = _rows(3)
    rows[0] = (1, "21000001", "王\x07\x00五\u202e六\u202c", "无误\x1b", "")
    rows[1] = (2, "21000002", "李\t娜", "无误", "")
    path = write_pdf([_form(rows)], tmp_path / "f.pdf")
    words = [w[5] for w in _words(path)]
    assert (
        "王五六" in words
    )  # one word: no box glyph between, and in the order typed (no right-to-left override)
    assert "李" in words and "娜" in words  # the tab is a space


_WRITE_ONTO = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from app.printing.table_form import write_pdf
from app.services.common.files import WriteError
from tests.printing.test_table_form import _form, _rows
try:
    write_pdf([_form(_rows(int(sys.argv[2])))], sys.argv[1])
except WriteError as exc:
    print("WriteError", exc)
"""


def test_a_disk_that_fills_while_the_text_layer_is_fixed_is_a_message_not_a_crash(qapp, tmp_path, small_disk):
    """Qt's PDF fits, the copy with the searchable text layer does not: qpdf's overwrite-in-place aborted the
    whole program (std::terminate on QPDFSystemError) instead of raising."""
    import os
    import sys

    size = write_pdf([_form(_rows(3))], tmp_path / "probe.pdf").stat().st_size
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler.bin").write_bytes(b"\0" * max(0, free - size - 12 * 1024))
    done = subprocess.run(
        [sys.executable, "-c", _WRITE_ONTO, str(small_disk / "f.pdf"), "3"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "WriteError 无法写入" in done.stdout
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]  # no half file, no temp file left


def test_when_the_text_layer_cannot_be_fixed_the_pdf_is_still_written(qapp, tmp_path, monkeypatch):
    """The text layer is a help for searching; a qpdf failure of any kind must not cost the clerk her form."""
    import pikepdf

    def broken(*args, **kwargs):
        raise RuntimeError("qpdf: internal error")

    monkeypatch.setattr(pikepdf, "open", broken)
    path = write_pdf([_form(_rows(3))], tmp_path / "f.pdf")
    assert "21000003" in "".join(_pages(path))


def test_a_uyghur_name_extracts_as_letters_not_presentation_forms(qapp, tmp_path):
    name = "ئابدۇرەھىم"
    path = write_pdf([_form([(1, "21000001", name, "无误", "")])], tmp_path / "f.pdf")
    text = "".join(_pages(path))
    assert not any(0xFB50 <= ord(c) <= 0xFEFF for c in text)  # ﺋﺎﺑﺪ… would not be found by a search
    assert name in text or name[::-1] in text


def test_a_fifo_or_a_device_link_among_the_bundled_fonts_is_skipped(tmp_path):
    import os

    from app.printing.fonts import _plain_font_file

    fifo = tmp_path / "x.ttf"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.ttf"
    zero.symlink_to("/dev/zero")
    real = tmp_path / "ok.ttf"
    real.write_bytes(b"\0" * 64)
    assert not _plain_font_file(fifo) and not _plain_font_file(zero) and _plain_font_file(real)


def test_a_pdf_written_on_a_worker_thread_after_one_on_the_gui_thread_keeps_its_rare_characters(
    qapp, tmp_path
):
    """The background runner writes PDFs on pool threads that end when idle; each thread asks its own fonts.
    (With one cache for all threads, a pool thread's fonts answered for the GUI thread after that thread had
    ended, said 𪚥 and 𠇔 had no glyph, and the answer stuck: seen after the proofing tab's cancelled
    background export in the full suite. This test checks the sequence, the suite order showed the bug.)"""
    import time

    from PySide6.QtCore import QThreadPool

    from app.printing.fonts import undrawable

    rows = _rows(3)
    rows[1] = (2, "21000002", "王\U0002a6a5", "无误", "")
    rows[2] = (3, "21000003", "陈\U000201d4", "无误", "")
    errors: list[BaseException] = []

    def on_a_thread(name: str) -> str:
        def work():
            try:
                write_pdf([_form(rows)], tmp_path / name)
            except BaseException as exc:  # reported below, on the test's thread
                errors.append(exc)

        pool = QThreadPool()  # the background runner's kind of thread: a QThread that ends when idle
        pool.setExpiryTimeout(1)
        pool.start(work)
        pool.waitForDone()
        time.sleep(0.2)  # the idle thread has ended, and Qt has freed the fonts it made
        assert not errors
        return "".join(_pages(tmp_path / name))

    # a worker writes first (its thread then ends), then the GUI thread, then a new worker
    texts = [on_a_thread("w1.pdf")]
    if undrawable("\U0002a6a5"):
        pytest.skip("no font with CJK Extension B here (fonts-hanazono); .ci/run installs it")
    write_pdf([_form(rows)], tmp_path / "gui.pdf")
    texts += ["".join(_pages(tmp_path / "gui.pdf")), on_a_thread("w2.pdf")]
    for text in texts:
        assert "王\U0002a6a5" in text and "陈\U000201d4" in text
