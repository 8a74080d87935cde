"""One delivery record: the disc, the stand-alone 汇总表, the fee tally and the card data count the same students;
the station's own settings block a disc and are named; 说明.txt speaks words, never a raw template."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import DeliveryRecord, Photo, Station, Student
from app.services.capture.photo_store import PhotoStore
from app.services.delivery.exports import ExportService
from app.services.delivery.package import PackageBuilder, PackageRefused
from app.services.delivery.records import CURRENT, LATEST, list_records
from app.services.delivery.source import DeliveryError
from app.services.roster.stations import StationData, StationService
from tests.delivery_data import add_photos, roster

FEE = Decimal("20.00")  # the station fixture's fee (StationData's default)


@pytest.fixture
def store(tmp_path):
    return PhotoStore(tmp_path / "photos")


@pytest.fixture
def builder(db, store):
    return PackageBuilder(db.sessions, store, "测试员")


@pytest.fixture
def exports(db, store):
    return ExportService(db.sessions, store, "测试员")


def _summary_shots(path) -> list[int]:
    ws = load_workbook(path).active
    return [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]


def _cards_shots(path) -> list[int]:
    ws = load_workbook(path).active
    assert ws.cell(3, 1).value == "拍摄序号"
    return [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]


def _fee_count_and_total(path) -> tuple[int, float]:
    ws = load_workbook(path).active
    (row,) = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == "合计"]
    return ws.cell(row, 3).value, ws.cell(row, 5).value


def _manifest_photos(root) -> list[str]:
    lines = (root / "manifest.csv").read_bytes().decode("utf-8-sig").splitlines()[1:]
    return sorted(line.split(",")[0] for line in lines if line.startswith("照片/"))


def _set_state(db, shot_no: int, state: str) -> None:
    with db.sessions.begin() as s:
        st = s.scalars(select(Student).where(Student.shot_no == shot_no)).one()
        st.photo_state = state
        for p in s.scalars(select(Photo).where(Photo.student_id == st.id)):
            p.review = state


def _four(exports, station, tmp_path, which=LATEST):
    """(summary, fees, cards) of delivery `which`, written into a new folder."""
    folder = tmp_path / f"wb-{len(list(tmp_path.glob('wb-*')))}"
    folder.mkdir()
    return tuple(
        exports.workbook(kind, station.id, folder / f"{kind}.xlsx", which)
        for kind in ("summary", "fees", "cards")
    )


def test_the_four_delivery_files_count_the_same_students_after_exclusion(
    db, station, importer, store, builder, exports, tmp_path
):
    roster(importer, station, tmp_path, 6)
    add_photos(db, store, tmp_path, station.id, skip=(3,), state={5: "retake"})
    # Before any disc: the station's current students, as before.
    summary, fees, cards = _four(exports, station, tmp_path)
    assert summary.record is None and _summary_shots(summary.path) == [1, 2, 3, 4, 5, 6]
    assert _fee_count_and_total(fees.path) == (6, 120)

    result = builder.build(station.id, tmp_path / "disc", "folder", exclude_blocked=True)
    assert result.count == 4 and result.record_id is not None
    disc = result.path
    assert _manifest_photos(disc) == ["照片/1.JPG", "照片/2.JPG", "照片/4.JPG", "照片/6.JPG"]
    assert _summary_shots(disc / "采集汇总表.xlsx") == [1, 2, 4, 6]

    summary, fees, cards = _four(exports, station, tmp_path)
    assert summary.record.id == result.record_id and summary.count == fees.count == cards.count == 4
    assert _summary_shots(summary.path) == [1, 2, 4, 6]
    assert _fee_count_and_total(fees.path) == (4, 80)  # 4 × 20 元, not 6 × 20
    assert _cards_shots(cards.path) == [1, 2, 4, 6]
    # Same students, same data: the stand-alone 汇总表 is the disc's, byte for byte.
    assert summary.path.read_bytes() == (disc / "采集汇总表.xlsx").read_bytes()

    # The record stays the record: a delivered student withdrawn afterwards is still counted.
    with db.sessions.begin() as s:
        s.scalars(select(Student).where(Student.shot_no == 2)).one().withdrawn = True
    summary, fees, cards = _four(exports, station, tmp_path, result.record_id)
    assert _summary_shots(summary.path) == [1, 2, 4, 6] and _fee_count_and_total(fees.path) == (4, 80)
    assert _cards_shots(cards.path) == [1, 2, 4, 6]
    # Asked for, the current students (withdrawn one left out, the two not delivered in).
    summary, fees, _ = _four(exports, station, tmp_path, CURRENT)
    assert _summary_shots(summary.path) == [1, 3, 4, 5, 6] and _fee_count_and_total(fees.path) == (5, 100)


def test_the_latest_disc_is_followed_and_an_older_one_on_request(
    db, station, importer, store, builder, exports, tmp_path
):
    roster(importer, station, tmp_path, 4)
    add_photos(db, store, tmp_path, station.id, state={2: "retake"})
    first = builder.build(station.id, tmp_path / "a", "zip", exclude_blocked=True)
    _set_state(db, 2, "accepted")  # retaken and accepted: the next disc holds everyone
    second = builder.build(station.id, tmp_path / "b", "iso")
    records = list_records(db.sessions, station.id)
    assert [(r.id, r.count, r.format, r.excluded_ids != ()) for r in records] == [
        (second.record_id, 4, "iso", False),
        (first.record_id, 3, "zip", True),
    ]
    assert records[0].path == str(second.path) and records[0].preset == "legacy-192x144"
    latest = _four(exports, station, tmp_path)
    assert [r.count for r in latest] == [4, 4, 4]
    older = _four(exports, station, tmp_path, first.record_id)
    assert _summary_shots(older[0].path) == [1, 3, 4] and _fee_count_and_total(older[1].path) == (3, 60)
    with zipfile.ZipFile(first.path) as zf:
        assert sorted(n for n in zf.namelist() if n.startswith("照片/")) == [
            "照片/1.JPG",
            "照片/3.JPG",
            "照片/4.JPG",
        ]


def test_a_record_of_another_station_or_none_is_refused(
    db, station, importer, store, builder, exports, tmp_path
):
    roster(importer, station, tmp_path, 2)
    add_photos(db, store, tmp_path, station.id)
    result = builder.build(station.id, tmp_path / "a")
    other = StationService(db.sessions).create(
        StationData(name="南阳学习中心", school_name="郑州大学", school_code="10459")
    )
    with pytest.raises(DeliveryError, match="不属于学习中心“南阳学习中心”"):
        exports.workbook("summary", other.id, tmp_path / "x.xlsx", result.record_id)
    with pytest.raises(DeliveryError, match="没有编号为 999 的报送记录"):
        exports.workbook("fees", station.id, tmp_path / "x.xlsx", 999)
    assert not (tmp_path / "x.xlsx").exists()


def test_a_refused_package_records_no_delivery(db, station, importer, store, builder, tmp_path):
    roster(importer, station, tmp_path, 3)
    add_photos(db, store, tmp_path, station.id, skip=(1,))
    with pytest.raises(PackageRefused):
        builder.build(station.id, tmp_path / "a")
    with db.sessions() as s:
        assert s.scalars(select(DeliveryRecord)).all() == []


# -- the station's own settings ----------------------------------------------------------------------


def _break_station(db, station_id: int, **values) -> None:
    """Put into the store what older versions allowed (or `roster import --station NEW` made)."""
    with db.sessions.begin() as s:
        st = s.get(Station, station_id)
        for k, v in values.items():
            setattr(st, k, v)


def test_a_station_without_school_code_fee_or_payee_blocks_every_disc_and_is_named(
    db, station, importer, store, builder, tmp_path
):
    roster(importer, station, tmp_path, 3)
    add_photos(db, store, tmp_path, station.id, skip=(2,))
    _break_station(db, station.id, school_name="", school_code="", fee_per_student=Decimal(0), payee_name=" ")
    report = builder.check(station.id)
    assert [p.field for p in report.station] == [
        "school_name",
        "school_code",
        "fee_per_student",
        "payee_name",
    ]
    assert not report.ok
    out = tmp_path / "out"
    with pytest.raises(PackageRefused) as refused:
        builder.build(station.id, out, exclude_blocked=True)  # excluding students cannot fix the station
    text = str(refused.value)
    for words in (
        "所在院校名称未填写",
        "院校代码未填写",
        "每生费用未填写",
        "收款单位未填写",
        "station set",
        "洛阳函授站",
    ):
        assert words in text
    assert [b.shot_no for b in refused.value.report.blockers] == [2]  # the students' problems listed too
    assert not out.exists()
    with db.sessions() as s:
        assert s.scalars(select(DeliveryRecord)).all() == []


def test_a_school_code_that_is_not_five_digits_blocks(db, station, importer, store, builder, tmp_path):
    roster(importer, station, tmp_path, 1)
    add_photos(db, store, tmp_path, station.id)
    for bad in ("1045", "104590", "1045a", "１０４５９"):
        _break_station(db, station.id, school_code=bad)
        (problem,) = builder.check(station.id).station
        assert problem.field == "school_code" and problem.message == f"院校代码“{bad}”应为 5 位数字"
    _break_station(db, station.id, school_code="10459")
    assert builder.check(station.id).ok


def test_a_station_made_by_name_only_is_incomplete_until_set(db, importer, store, builder, tmp_path):
    stations = StationService(db.sessions, "测试员")
    station, created = stations.ensure("新站")
    assert created and (station.school_name, station.school_code) == ("", "")
    roster(importer, station, tmp_path, 1)
    add_photos(db, store, tmp_path, station.id)
    assert {p.field for p in builder.check(station.id).station} == {"school_name", "school_code"}
    stations.set_fields("新站", school_name="河南大学", school_code="10475")
    assert builder.check(station.id).ok
    made, _ = stations.ensure("另一站", school_name="郑州大学", school_code="10459")
    assert (made.school_name, made.school_code) == ("郑州大学", "10459")


# -- 说明.txt in words -------------------------------------------------------------------------------

TEMPLATE = re.compile(r"\{\w*\}")


def _texts_of(root) -> dict[str, str]:
    """Every text a package holds: 说明.txt, manifest.csv and the 汇总表's XML parts."""
    out = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.suffix in (".txt", ".csv"):
            out[rel] = path.read_bytes().decode("utf-8-sig")
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    out[f"{rel}!{name}"] = zf.read(name).decode("utf-8")
    return out


@pytest.mark.parametrize(
    ("naming", "words"),
    [
        ("{shot_no}.JPG", "文件命名：照片按拍摄序号命名，如 1.JPG（位于“照片”文件夹）"),
        (
            "{student_no}_{shot_no}.jpg",
            "文件命名：照片按学号和拍摄序号命名，如 {no}_1.jpg（位于“照片”文件夹）",
        ),
    ],
)
def test_the_readme_says_in_words_how_photos_are_named_and_fills_the_school(
    db, station, importer, store, builder, tmp_path, naming, words
):
    roster(importer, station, tmp_path, 2)
    add_photos(db, store, tmp_path, station.id)
    with db.sessions() as s:
        first_no = s.scalars(select(Student.student_no).where(Student.shot_no == 1)).one()
    result = builder.build(station.id, tmp_path / "o", naming=naming)
    texts = _texts_of(result.path)
    readme = texts["说明.txt"].splitlines()
    assert words.replace("{no}", first_no) in readme
    assert "所在院校：郑州大学（院校代码 10459）" in readme
    assert len(texts) > 5  # the workbook's parts were read too
    leaked = {name: TEMPLATE.findall(text) for name, text in texts.items() if TEMPLATE.search(text)}
    assert leaked == {}
