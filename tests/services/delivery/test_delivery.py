"""Delivery: the 汇总表 read back cell by cell, pre-flight, the package (folder/zip/ISO), fees, cards."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEvent, Student
from app.services.capture.photo_store import PhotoStore
from app.services.delivery import package
from app.services.delivery.cards import save_cards
from app.services.delivery.fees import rmb_upper, save_fees
from app.services.delivery.package import PackageBuilder, PackageRefused, Progress
from app.services.delivery.preflight import preflight
from app.services.delivery.source import SUMMARY_COLUMNS, load_delivery
from app.services.delivery.summary import save_summary
from app.services.photo import load_preset
from app.services.photo.naming import file_name_problem
from tests.delivery_data import add_photos, jpeg_size, roster
from tests.roster_files import students

HEADERS = [
    "拍摄序号",
    "姓名",
    "学号",
    "性别",
    "身份证号码",
    "专业名称",
    "学历类别",
    "所在校别",
    "(院)系代码",
    "所在院校名称",
    "院校代码",
]


@pytest.fixture
def store(tmp_path):
    return PhotoStore(tmp_path / "photos")


@pytest.fixture
def builder(db, store):
    return PackageBuilder(db.sessions, store, "测试员")


def _edit(db, shot_no: int, **values) -> None:
    """Put data into the store that the importer would reject (the pre-flight must still catch it)."""
    with db.sessions.begin() as s:
        st = s.scalars(select(Student).where(Student.shot_no == shot_no)).one()
        for k, v in values.items():
            setattr(st, k, v)


# -- the 汇总表 --------------------------------------------------------------------------------------


def _special_rows():
    rows = students(3)
    rows[0]["学号"] = "0012345"  # leading zeros
    rows[1]["身份证号码"] = "11010519491231002X"  # trailing X
    rows[1]["性别"] = "女"
    rows[1]["出生日期"] = "1949-12-31"
    return rows


def test_summary_workbook_layout_cell_by_cell(db, station, importer, tmp_path):
    roster(importer, station, tmp_path, 3, _special_rows())
    delivery = load_delivery(db.sessions, station.id)
    path = tmp_path / "汇总表.xlsx"
    save_summary(delivery, path)
    ws = load_workbook(path).active
    assert ws["A1"].value == "高等教育学历证书电子注册图像信息采集汇总表"
    assert ws["A2"].value == "校外学习中心（函授站）名称: 洛阳函授站"
    assert [c.value for c in ws[3]] == HEADERS
    assert "A1:K1" in {str(r) for r in ws.merged_cells.ranges}
    for r, s in enumerate(delivery.students, start=4):
        row = [c.value for c in ws[r]]
        assert row == [
            s.shot_no,
            s.name,
            s.student_no,
            s.sex,
            s.id_number,
            s.major,
            s.edu_category,
            s.school_type,
            s.dept_code,
            s.school_name,
            s.school_code,
        ]
        for col in (3, 5, 9, 11):  # 学号, 身份证号码, (院)系代码, 院校代码: text, formatted as text
            cell = ws.cell(r, col)
            assert cell.data_type == "s" and cell.number_format == "@"
        assert ws.cell(r, 1).border.left.style == "thin"
    assert ws["C4"].value == "0012345"
    assert ws["E5"].value == "11010519491231002X"
    assert ws["K4"].value == "10459" and ws["I4"].value in {"002", "003", "004"}
    assert ws.max_row == 3 + len(delivery.students)
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.column_dimensions["E"].width >= 20


def test_summary_workbook_is_reproducible(db, station, importer, tmp_path):
    roster(importer, station, tmp_path, 5)
    delivery = load_delivery(db.sessions, station.id)
    first = save_summary(delivery, tmp_path / "a.xlsx")
    second = save_summary(load_delivery(db.sessions, station.id), tmp_path / "b.xlsx")
    assert first == second == (tmp_path / "a.xlsx").read_bytes()


def test_withdrawn_students_are_not_delivered(db, station, importer, tmp_path):
    roster(importer, station, tmp_path, 4)
    _edit(db, 2, withdrawn=True)
    assert [s.shot_no for s in load_delivery(db.sessions, station.id).students] == [1, 3, 4]


# -- pre-flight -----------------------------------------------------------------------------------


def test_preflight_lists_every_blocker_by_student(db, station, importer, store, tmp_path):
    roster(importer, station, tmp_path, 10)
    add_photos(
        db,
        store,
        tmp_path,
        station.id,
        skip=(1,),
        state={2: "retake", 3: "pending", 8: "override", 9: "override"},
        qc={4: "fail", 7: "hard", 8: "fail", 9: "hard"},
    )
    _edit(db, 5, id_number="410105199001011230")  # wrong check digit (never valid on import)
    _edit(db, 6, major="")
    report = preflight(load_delivery(db.sessions, station.id), load_preset("legacy-192x144"))
    kinds = {b.shot_no: b.kind for b in report.blockers}
    assert kinds == {
        1: "no_photo",
        2: "not_accepted",
        3: "not_accepted",
        4: "qc_soft",  # a soft failure nobody accepted
        5: "id_number",
        6: "missing",
        7: "qc_hard",
        9: "qc_hard",  # a hard failure blocks whatever the state says
    }
    # 仍接受 with a reason is the same answer at export as at capture: a listed warning, not a blocker.
    assert [(w.shot_no, w.kind) for w in report.warnings] == [(8, "override")]
    assert report.overrides == 1 and "仍接受" in report.summary()
    assert "人工核对" in report.warning_lines()[0]
    lines = "\n".join(report.lines())
    assert "清晰度" in lines and "专业名称" in lines and "校验位" in lines and "画面完整" in lines
    assert "410105199001011230" not in lines  # the number never goes into a message
    assert report.blocked_ids and not report.ok


def test_preflight_catches_duplicate_and_unsafe_file_names(db, station, importer, store, tmp_path):
    rows = students(4)
    rows[1]["姓名"] = rows[0]["姓名"]
    roster(importer, station, tmp_path, 4, rows)
    add_photos(db, store, tmp_path, station.id)
    _edit(db, 3, name="王/五")
    report = preflight(load_delivery(db.sessions, station.id), load_preset("legacy-192x144"), "{name}.jpg")
    kinds = sorted((b.shot_no, b.kind) for b in report.blockers)
    # 王/五 was stored before today's field rules: the pre-flight lists the name itself too.
    assert kinds == [(1, "duplicate_name"), (2, "duplicate_name"), (3, "file_name"), (3, "invalid_field")]
    assert file_name_problem("CON.jpg") and file_name_problem(" 1.JPG") and not file_name_problem("12.JPG")


def test_unknown_naming_field_is_refused(db, station, importer, tmp_path):
    from app.services.delivery.source import DeliveryError

    roster(importer, station, tmp_path, 2)
    with pytest.raises(DeliveryError, match="exam_no"):
        preflight(load_delivery(db.sessions, station.id), load_preset("chsi-2017-480x640"), "{exam_no}.jpg")


def test_naming_templates_that_would_make_bad_files_are_refused(db, station, importer, tmp_path):
    from app.services.delivery.source import DeliveryError

    roster(importer, station, tmp_path, 2)
    delivery, preset = load_delivery(db.sessions, station.id), load_preset("legacy-192x144")
    for template, why in (
        ("{student_no}", "应以 .jpg"),
        ("{shot_no}.png", "应以 .jpg"),
        ("{shot_no:03d}.jpg", "{shot_no:03d}"),
    ):
        with pytest.raises(DeliveryError, match=re.escape(why)):
            preflight(delivery, preset, template)
    for template in ("{shot_no}.JPG", "{id_number}.jpg", "{student_no}.jpeg"):
        preflight(delivery, preset, template)


# -- the package -------------------------------------------------------------------------------------


def _ready(db, station, importer, store, tmp_path, count=6, **photos):
    roster(importer, station, tmp_path, count)
    add_photos(db, store, tmp_path, station.id, **photos)


def test_packaging_refuses_a_roster_with_blockers(db, station, importer, store, builder, tmp_path):
    _ready(db, station, importer, store, tmp_path, skip=(2,), state={4: "retake"}, flat=(5,))
    out = tmp_path / "out"
    with pytest.raises(PackageRefused) as refused:
        builder.build(station.id, out)
    kinds = {b.shot_no: b.kind for b in refused.value.report.blockers}
    assert kinds == {2: "no_photo", 4: "not_accepted", 5: "file_size"}  # size found by rendering
    assert not out.exists()  # nothing written, no staging left behind, not even the folder it made
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(PackageRefused):
        builder.build(station.id, existing)
    assert existing.is_dir() and list(existing.iterdir()) == []  # a folder the user chose stays


def test_preflight_with_rendering_finds_sizes_without_writing(
    db, station, importer, store, builder, tmp_path
):
    _ready(db, station, importer, store, tmp_path, count=3, flat=(2,))
    assert builder.check(station.id).ok  # the data alone is fine
    report = builder.check(station.id, render=True)
    assert [(b.shot_no, b.kind) for b in report.blockers] == [(2, "file_size")]
    assert "KB" in report.blockers[0].message and "6–30 KB" in report.blockers[0].message


def test_package_folder_manifest_matches_files_and_reruns_identically(
    db, station, importer, store, builder, tmp_path
):
    _ready(db, station, importer, store, tmp_path, skip=(3,))
    out = tmp_path / "out"
    result = builder.build(station.id, out, "folder", exclude_blocked=True)
    root = result.path
    photos = sorted(p.name for p in (root / "照片").iterdir())
    assert photos == sorted(f"{n}.JPG" for n in (1, 2, 4, 5, 6))
    assert jpeg_size((root / "照片" / "1.JPG").read_bytes()) == (144, 192)
    manifest = (root / "manifest.csv").read_bytes()
    assert manifest.startswith(b"\xef\xbb\xbf")
    lines = manifest.decode("utf-8-sig").splitlines()
    assert lines[0] == "文件,大小（字节）,SHA-256"
    listed = {}
    for line in lines[1:]:
        path, size, sha = line.split(",")
        listed[path] = (int(size), sha)
    on_disk = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    assert set(listed) == set(on_disk) - {"manifest.csv"}
    for path, (size, sha) in listed.items():
        data = on_disk[path].read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha)
    readme = (root / "说明.txt").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and "照片数量：5 张" in readme.decode("utf-8-sig")
    ws = load_workbook(root / "采集汇总表.xlsx").active
    assert [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)] == [1, 2, 4, 5, 6]
    photo_bytes = {p.name: p.read_bytes() for p in (root / "照片").iterdir()}
    again = builder.build(station.id, out, "folder", exclude_blocked=True)
    assert (again.path / "manifest.csv").read_bytes() == manifest
    assert {p.name: p.read_bytes() for p in (again.path / "照片").iterdir()} == photo_bytes
    assert sorted(p.name for p in out.iterdir()) == [root.name]  # replaced in place, no leftovers
    with db.sessions() as s:
        excluded = s.scalars(select(AuditEvent).where(AuditEvent.action == "delivery-exclude")).all()
        packaged = s.scalars(select(AuditEvent).where(AuditEvent.action == "export-package")).all()
    assert len(excluded) == 2 and "没有照片" in excluded[0].summary and excluded[0].operator == "测试员"
    assert len(packaged) == 2


def test_package_zip_has_utf8_names_and_the_folder_content(db, station, importer, store, builder, tmp_path):
    _ready(db, station, importer, store, tmp_path, count=4)
    folder = builder.build(station.id, tmp_path / "f", "folder")
    result = builder.build(station.id, tmp_path / "z", "zip")
    assert result.path.suffix == ".zip"
    with zipfile.ZipFile(result.path) as zf:
        infos = zf.infolist()
        assert all(i.flag_bits & 0x800 for i in infos if not i.filename.isascii())  # UTF-8 flag
        assert any(not i.filename.isascii() for i in infos)
        names = {i.filename for i in infos}
        assert {"采集汇总表.xlsx", "说明.txt", "manifest.csv", "照片/1.JPG"} <= names
        for name in names:
            assert zf.read(name) == (folder.path / name).read_bytes()


def test_package_iso_lists_joliet_names_and_reads_back(db, station, importer, store, builder, tmp_path):
    import pycdlib

    _ready(db, station, importer, store, tmp_path, count=3)
    folder = builder.build(station.id, tmp_path / "f", "folder")
    result = builder.build(station.id, tmp_path / "i", "iso")
    iso = pycdlib.PyCdlib()
    iso.open(str(result.path))
    try:

        def names(**where):
            return sorted(
                c.file_identifier().decode("utf-16-be" if "joliet_path" in where else "ascii")
                for c in iso.list_children(**where)
                if not c.is_dot() and not c.is_dotdot()
            )

        assert names(joliet_path="/") == sorted(["manifest.csv", "说明.txt", "采集汇总表.xlsx", "照片"])
        assert names(joliet_path="/照片") == ["1.JPG", "2.JPG", "3.JPG"]
        assert names(iso_path="/") == ["MANIFEST.CSV;1", "PHOTOS", "README.TXT;1", "SUMMARY.XLSX;1"]
        assert names(iso_path="/PHOTOS") == ["1.JPG;1", "2.JPG;1", "3.JPG;1"]
        for rel in ("照片/2.JPG", "采集汇总表.xlsx", "manifest.csv"):
            buf = io.BytesIO()
            iso.get_file_from_iso_fp(buf, joliet_path="/" + rel)
            assert buf.getvalue() == (folder.path / rel).read_bytes()
    finally:
        iso.close()


def test_package_naming_by_id_number(db, station, importer, store, builder, tmp_path):
    _ready(db, station, importer, store, tmp_path, count=2)
    result = builder.build(station.id, tmp_path / "o", "folder", naming="{id_number}.jpg")
    ids = [s.id_number for s in load_delivery(db.sessions, station.id).students]
    assert sorted(p.name for p in (result.path / "照片").iterdir()) == sorted(f"{i}.jpg" for i in ids)


def test_cancelled_package_leaves_nothing(db, station, importer, store, builder, tmp_path):
    from app.services.delivery.package import Cancelled, Progress

    class Stop(Progress):
        def cancelled(self) -> bool:
            return True

    _ready(db, station, importer, store, tmp_path, count=2)
    with pytest.raises(Cancelled):
        builder.build(station.id, tmp_path / "o", "zip", progress=Stop())
    assert not (tmp_path / "o").exists()  # nothing left, not even the folder the run made


# -- fees and capture cards ------------------------------------------------------------------------------


def test_fee_workbook_and_amount_in_words(db, station, importer, tmp_path):
    from app.services.roster.stations import StationData, StationService

    svc = StationService(db.sessions, "测试员")
    data = StationData.from_station(svc.get(station.id))
    data.fee_per_student, data.payee_name, data.payee_phone = (
        Decimal("15"),
        "中国图片社信息采集中心",
        "010-63072432",
    )
    svc.update(station.id, data)
    roster(importer, station, tmp_path, 45)  # two classes of 40 and 5
    path = tmp_path / "fees.xlsx"
    tally = save_fees(load_delivery(db.sessions, station.id), path)
    assert tally.count == 45 and tally.total == Decimal("675.00")
    ws = load_workbook(path).active
    assert ws["A1"].value == "高等教育学历证书电子注册图像信息卡制作费用汇总"
    assert [c.value for c in ws[3]] == ["序号", "班级", "人数", "每生费用（元）", "金额（元）"]
    assert [ws.cell(r, 3).value for r in (4, 5)] == [40, 5]
    assert ws["B6"].value == "合计" and ws["C6"].value == 45 and ws["E6"].value == 675
    texts = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1)]
    assert "合计金额（大写）：人民币陆佰柒拾伍元整" in texts
    assert "收款单位：中国图片社信息采集中心" in texts and "联系电话：010-63072432" in texts
    assert rmb_upper(Decimal("10020.5")) == "壹万零贰拾元伍角整"
    assert rmb_upper(Decimal("1000000.05")) == "壹佰万元零伍分"


def test_capture_card_workbook(db, station, importer, tmp_path):
    roster(importer, station, tmp_path, 3, _special_rows())
    _edit(db, 1, name="张喆")
    _edit(db, 3, name="阿依古丽·吐尔逊", student_no="2023A0003")
    path = tmp_path / "cards.xlsx"
    save_cards(load_delivery(db.sessions, station.id), path)
    ws = load_workbook(path).active
    headers = [c.value for c in ws[3]]
    assert headers[:8] == [
        "拍摄序号",
        "所在院校名称",
        "院校代码",
        "(院)系代码",
        "学历类别",
        "所在校别",
        "姓名",
        "姓名区位码",
    ]
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert ws.cell(4, col["姓名区位码"]).value == "5337 0000"
    assert "喆 zhe" in ws.cell(4, col["姓名说明"]).value
    assert ws.cell(4, col["学号"]).value == "0012345" and ws.cell(4, col["学号"]).data_type == "s"
    assert ws.cell(5, col["身份证号字母位置"]).value == "第18位填涂0和1"
    assert ws.cell(5, col["身份证号码"]).value == "11010519491231002X"
    assert ws.cell(6, col["姓名区位码"]).value in ("", None) and "手写" in ws.cell(6, col["姓名说明"]).value
    assert ws.cell(6, col["学号字母位置"]).value == "第5位填涂0和1"
    assert ws.cell(4, 1).fill.fgColor.rgb.endswith("FFF2CC")  # needs hand work: shaded


def test_summary_columns_match_the_seed_order():
    assert [h for _, h in SUMMARY_COLUMNS] == HEADERS


PACKAGE = "洛阳函授站_图像采集报送"


def test_a_failed_zip_leaves_the_previous_package_untouched(
    db, station, importer, store, builder, tmp_path, monkeypatch
):
    _ready(db, station, importer, store, tmp_path, count=2)
    out = tmp_path / "out"
    before = builder.build(station.id, out, "zip").path.read_bytes()

    def half_then_fail(files, handle):
        handle.write(b"PK\x03\x04 half")
        raise RuntimeError("disk went away")

    monkeypatch.setattr(package, "write_zip", half_then_fail)
    with pytest.raises(RuntimeError):
        builder.build(station.id, out, "zip")
    assert sorted(p.name for p in out.iterdir()) == [f"{PACKAGE}.zip"]
    assert (out / f"{PACKAGE}.zip").read_bytes() == before


def test_the_package_is_built_in_a_hidden_folder(db, station, importer, store, builder, tmp_path):
    _ready(db, station, importer, store, tmp_path, count=2)
    out = tmp_path / "out"
    seen: list[str] = []

    class Watch(Progress):
        def progress(self, done, total):
            seen.extend(p.name for p in out.iterdir())

    builder.build(station.id, out, "folder", progress=Watch())
    assert seen and all(name.startswith(".gradphoto-package-") for name in seen)
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]


def test_a_failed_folder_swap_puts_the_previous_package_back(
    db, station, importer, store, builder, tmp_path, monkeypatch
):
    _ready(db, station, importer, store, tmp_path, count=2)
    out = tmp_path / "out"
    before = (builder.build(station.id, out, "folder").path / "manifest.csv").read_bytes()
    real_replace = package.os.replace

    def refuse_the_new_one(src, dst):
        if Path(src).name.startswith(".gradphoto-package-"):
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(package.os, "replace", refuse_the_new_one)
    with pytest.raises(OSError):
        builder.build(station.id, out, "folder")
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]
    assert (out / PACKAGE / "manifest.csv").read_bytes() == before


def test_each_excluded_student_is_audited_once_under_its_own_id(
    db, station, importer, store, builder, tmp_path
):
    _ready(db, station, importer, store, tmp_path, count=4, skip=(2,), state={4: "retake"})
    builder.build(station.id, tmp_path / "out", "folder", exclude_blocked=True)
    with db.sessions() as s:
        by_shot = {shot: sid for shot, sid in s.execute(select(Student.shot_no, Student.id))}
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "delivery-exclude")).all()
        assert sorted(e.entity_id for e in events) == sorted([by_shot[2], by_shot[4]])
        assert {e.entity for e in events} == {"student"}


def test_stages_left_by_a_killed_run_are_removed_by_the_next(tmp_path):
    """A killed packaging run leaves a hidden staging folder (photos, 汇总表 with full IDs); the next run in
    that folder removes it once nothing has written into it for 15 minutes, and leaves a live one alone."""
    import os
    import time

    from app.services.delivery.package import STAGE_PREFIX, remove_stale_stages

    out = tmp_path / "out"
    stale = out / f"{STAGE_PREFIX}dead"
    live = out / f"{STAGE_PREFIX}live"
    old_swap = out / ".洛阳_图像采集报送.old-4242"
    for folder in (stale, live, old_swap):
        (folder / "照片").mkdir(parents=True)
        (folder / "照片" / "1.JPG").write_bytes(b"x")
    hour_ago = time.time() - 3600
    for p in [stale, *stale.rglob("*"), old_swap, *old_swap.rglob("*")]:
        os.utime(p, (hour_ago, hour_ago))
    user_folder = out / "我的文件"
    user_folder.mkdir()
    os.utime(user_folder, (hour_ago, hour_ago))
    assert sorted(p.name for p in remove_stale_stages(out)) == sorted([stale.name, old_swap.name])
    assert live.is_dir() and user_folder.is_dir() and not stale.exists()


def test_two_iso_exports_of_the_same_data_are_byte_identical(db, station, importer, store, builder, tmp_path):
    """The ISO carried the time of writing in 108 bytes; it now carries the data's date, in UTC."""
    import time

    _ready(db, station, importer, store, tmp_path, count=3)
    first = builder.build(station.id, tmp_path / "a", "iso").path.read_bytes()
    time.sleep(1.1)  # a second later: every clock-based date would differ
    second = builder.build(station.id, tmp_path / "b", "iso").path.read_bytes()
    assert first == second
    import pycdlib.pycdlib

    assert pycdlib.pycdlib.time is time  # the real clock is back for everyone else
