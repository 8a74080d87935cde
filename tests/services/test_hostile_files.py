"""Issue 13: hostile files made by the tests are refused quickly, in Chinese, and links are never followed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.services.capture.hotfolder import HotFolderWatcher
from app.services.capture.photo_import import photo_files
from app.services.capture.photo_store import PhotoStore, PhotoStoreError
from app.services.photo import PhotoLoadError, load_photo
from app.services.roster.reader import RosterReadError, read_roster
from tests.hostile_data import WORKBOOK_BOMBS, patched_workbook, png_bomb, progressive_jpeg_bomb, xfd_workbook
from tests.roster_files import students, write_xlsx

REPO = Path(__file__).resolve().parents[2]


def test_an_image_bomb_is_refused_from_its_header(tmp_path):
    bomb = png_bomb(tmp_path / "bomb.png")
    assert bomb.stat().st_size < 200_000
    t0 = time.perf_counter()
    with pytest.raises(PhotoLoadError, match="太大"):
        load_photo(bomb, min_long_side=640)
    assert time.perf_counter() - t0 < 1.0


def test_an_image_bomb_costs_no_memory(tmp_path):
    """Peak memory of a fresh process refusing the bomb stays within 60 MB of the same process idle."""
    bomb = png_bomb(tmp_path / "bomb.png")
    code = (
        "import resource, sys; from app.services.photo import load_photo, PhotoLoadError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    load_photo(sys.argv[1], min_long_side=640)\nexcept PhotoLoadError:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(bomb)], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) < 60 * 1024  # KB


def test_a_cell_at_xfd1048576_is_refused_before_the_parser(tmp_path):
    """In a separate process: if the check failed, python-calamine would abort the process (512 GB)."""
    path = xfd_workbook(tmp_path / "xfd.xlsx")
    code = (
        "import sys, time; from app.services.roster.reader import read_roster, RosterReadError\n"
        "t = time.perf_counter()\n"
        "try:\n    read_roster(sys.argv[1])\nexcept RosterReadError as e:\n    print(e); print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-500:]
    message, seconds = out.stdout.strip().splitlines()
    assert "异常，拒绝读取" in message and "1048576" in message and float(seconds) < 1.0


def test_a_whitespace_bomb_is_refused_by_its_compression_ratio(tmp_path):
    path = tmp_path / "ws.xlsx"
    write_xlsx(path, students(2))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (40 << 20))
            dst.writestr(info.filename, data)
    assert bomb.stat().st_size < 1 << 20
    t0 = time.perf_counter()
    with pytest.raises(RosterReadError, match="压缩比异常"):
        read_roster(bomb)
    assert time.perf_counter() - t0 < 1.0


def test_a_normal_roster_still_reads(tmp_path):
    assert read_roster(write_xlsx(tmp_path / "r.xlsx", students(300))).importable_sheets


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")
def test_links_are_never_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    real = tmp_path / "real.jpg"
    Image.fromarray(np.full((300, 200, 3), 120, np.uint8)).save(real)
    folder = tmp_path / "camera"
    folder.mkdir()
    (folder / "20231030.jpg").symlink_to(secret)
    (folder / "2023.jpg").symlink_to(real)
    (folder / "sub").symlink_to(tmp_path)  # a link to a folder is not entered either
    (folder / "ok.jpg").write_bytes(real.read_bytes())
    (folder / "anim.gif").write_bytes(b"GIF89a")

    store = PhotoStore(tmp_path / "store")
    with pytest.raises(PhotoStoreError, match="20231030.jpg 是一个链接"):
        store.add(folder / "20231030.jpg")
    assert not any((tmp_path / "store").rglob("*.jpg"))  # no byte of the target was copied in
    with pytest.raises(PhotoLoadError, match="2023.jpg 是一个链接"):
        load_photo(folder / "2023.jpg")

    skipped: list = []
    assert photo_files(folder, skipped) == [folder / "ok.jpg"]
    reasons = {p.name: why for p, why in skipped}
    assert "链接" in reasons["20231030.jpg"] and "链接" in reasons["sub"] and "JPEG" in reasons["anim.gif"]

    with HotFolderWatcher(folder, include_existing=True) as watcher:
        assert [p.name for p in watcher.poll()] == ["ok.jpg"]
        assert watcher.poll() == []
    assert sorted(watcher.refused) == ["2023.jpg", "20231030.jpg", "sub"]  # the folder link too, not entered

    roster_link = tmp_path / "roster.xlsx"
    roster_link.symlink_to(write_xlsx(tmp_path / "r.xlsx", students(2)))
    with pytest.raises(RosterReadError, match="链接"):
        read_roster(roster_link)


def _patched_workbook(tmp_path: Path, name: str, change) -> Path:
    """A small real roster whose zip parts `change(parts)` rewrites (as an attacker's editor would)."""
    return patched_workbook(write_xlsx(tmp_path / f"src-{name}", students(2)), tmp_path / name, change)


def _read_in_a_fresh_process(path: Path) -> str:
    """read_roster in its own process (a check that failed could abort this one); what it said."""
    code = (
        "import sys; from app.services.roster.reader import read_roster, RosterReadError\n"
        "try:\n    read_roster(sys.argv[1]); print('READ')\nexcept RosterReadError as e:\n    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-300:]
    return out.stdout


@pytest.mark.parametrize(("name", "change"), list(WORKBOOK_BOMBS.items()))
def test_workbook_bombs_the_first_check_missed_are_refused(tmp_path, name, change):
    """Found by an attack: other quotes, rows without cell references, a sheet stored elsewhere, a huge
    shared-string count, and a range inside the row and column limits but too large in area. Each would
    make python-calamine abort or take gigabytes; run in a separate process in case the check fails."""
    path = _patched_workbook(tmp_path, name, change)
    message = _read_in_a_fresh_process(path)
    assert "异常，拒绝读取" in message, message


def test_a_progressive_jpeg_bomb_is_refused_from_its_header(tmp_path):
    """A progressive JPEG's SOF patched to 30000×30000 (a few hundred bytes) decoded to 2.6 GB."""
    bomb = progressive_jpeg_bomb(tmp_path / "bomb.jpg")
    t0 = time.perf_counter()
    with pytest.raises(PhotoLoadError, match="太大"):
        load_photo(bomb, min_long_side=640)
    assert time.perf_counter() - t0 < 1.0


def test_a_large_png_under_the_old_limit_is_refused(tmp_path):
    bomb = png_bomb(tmp_path / "mid.png", side=7700)  # 59 MP: passed the 60 MP limit, cost ~1 GB
    with pytest.raises(PhotoLoadError, match="太大"):
        load_photo(bomb, min_long_side=640)


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")
def test_a_linked_folder_given_to_crop_is_not_entered(tmp_path):
    from app.services.photo.batch import expand_inputs

    secret = tmp_path / "secret"
    secret.mkdir()
    Image.fromarray(np.full((300, 200, 3), 9, np.uint8)).save(secret / "a.jpg")
    link = tmp_path / "linkdir"
    link.symlink_to(secret)
    files, missing = expand_inputs([str(link)])
    assert files == [str(link)] and missing == []  # not expanded: the link itself, which is refused
    with pytest.raises(PhotoLoadError, match="链接"):
        load_photo(link)


@pytest.mark.parametrize(
    "maker", ["xls_bomb", "ods_bomb", "csv_newline_bomb", "csv_comma_bomb", "csv_cr_bomb"]
)
def test_roster_bombs_in_other_formats_are_refused_fast_and_small(tmp_path, maker):
    """Found by the second attack: an .xls with one cell at IV65536 (1.3 GB), an .ods repeating one cell
    20 million times (2.8 GB), 40 MB of newlines or of commas as CSV (7.3 GB, 1 GB). Each in a fresh process:
    refused in words, under 1 s and 200 MB."""
    from tests import hostile_data

    suffix = {"xls_bomb": ".xls", "ods_bomb": ".ods"}.get(maker, ".csv")
    path = getattr(hostile_data, maker)(tmp_path / f"bomb{suffix}")
    code = (
        "import resource, sys, time; from app.services.roster.reader import read_roster, RosterReadError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; t0 = time.perf_counter()\n"
        "try:\n    read_roster(sys.argv[1]); print('READ')\nexcept RosterReadError as e:\n    print(e)\n"
        "print(time.perf_counter() - t0, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-300:]
    message, figures = out.stdout.strip().rsplit("\n", 1)
    seconds, megabytes = figures.split()
    assert "异常，拒绝读取" in message, message
    assert float(seconds) < 1.0 and int(megabytes) < 200, figures


def test_an_ods_roster_with_libreoffice_trailing_rows_still_reads(tmp_path):
    from tests.hostile_data import ods_workbook

    rows = students(3)
    header = list(rows[0])
    path = ods_workbook(tmp_path / "r.ods", [header] + [[str(r[h]) for h in header] for r in rows])
    roster = read_roster(path)
    assert [r["学号"] for r in rows] == [row[header.index("学号")] for _, row in roster.sheets[0].data_rows()]


def test_a_large_transparent_png_just_under_the_limit_is_reduced_before_it_is_flattened(tmp_path):
    """Found by the second attack: a 105 KB 4999×4999 RGBA PNG (under the 25 MP limit, so decoded) cost
    645 MB in a crop, because the alpha was flattened and converted at full size. It is reduced first now."""
    arr = np.zeros((4999, 4999, 4), np.uint8)
    arr[..., 2] = 200
    arr[1500:, :, 3] = 255  # a transparent top band: a cut-out
    src = tmp_path / "cutout.png"
    Image.fromarray(arr, "RGBA").save(src)
    del arr
    small = tmp_path / "small.png"
    Image.new("RGBA", (300, 400), (0, 0, 200, 255)).save(small)
    code = (
        "import resource, sys; from app.services.photo import load_photo\n"
        "load_photo(sys.argv[2], min_long_side=640)  # every import and first-use cost paid\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "p = load_photo(sys.argv[1], min_long_side=640)\n"
        "print(max(p.image.shape[:2]), ','.join(sorted(p.open_edges)), "
        "(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(src), str(small)], cwd=REPO, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-300:]
    side, edges, grew = out.stdout.split()
    assert int(side) <= 1280 and "top" in edges.split(",")
    assert int(grew) < 250, out.stdout  # decoded RGBA and its premultiplied copy (~200 MB); it was 290+


@pytest.mark.parametrize("name", ["repeated.ods", "spaced.ods", "gt.ods", "middle.ods", "text_only.ods"])
def test_ods_bombs_in_every_spelling_are_refused(tmp_path, name):
    """Found by the re-attack: spaces around =, a > inside another attribute, and empty rows in the middle
    (5.6 KB, 3.7 GB) got past a byte pattern; the XML is parsed now. Run in a fresh process."""
    from tests.hostile_data import ods_bomb_named

    path = ods_bomb_named(tmp_path / name, name)
    message = _read_in_a_fresh_process(path)
    assert "异常，拒绝读取" in message, message


def test_a_row_wider_than_a_workbook_may_be_is_refused_when_pasted_or_in_a_csv(tmp_path):
    """A workbook is refused past 200 columns before any parser sees it; a paste or a CSV whose header line
    runs on for 1.9 million tab-separated cells was accepted (30 s looking for the header, then a preview
    of 1.9 million columns). Both are refused in words, in well under a second."""
    from app.services.roster.reader import roster_from_text

    wide = "姓名\t学号\t身份证号码" + "\t" * 1_900_000 + "\n张三\t2023001\t410105199003071234\n"
    (tmp_path / "wide.csv").write_text(wide, encoding="utf-8")
    for read in (lambda: roster_from_text(wide), lambda: read_roster(tmp_path / "wide.csv")):
        started = time.perf_counter()
        with pytest.raises(RosterReadError, match="列.*超过花名册的上限"):
            read()
        assert time.perf_counter() - started < 2.0
    # 200 columns is still a roster
    assert roster_from_text("姓名\t学号\t身份证号码" + "\t" * 197 + "\n张三\t1\t2\n").sheets
