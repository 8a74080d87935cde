"""(院)系代码 from 学习形式 through the station's code table (seed 004: 成人脱产 001, 夜大（业余） 002, 函授 003,
网络教育 004), so a roster from the registry's own student system passes the pre-flight for that field."""

from __future__ import annotations

import pytest

from app.services.delivery.preflight import preflight
from app.services.delivery.source import load_delivery
from app.services.photo import load_preset
from app.services.roster.stations import StationData, StationError, StationService, infer_dept_code
from tests.roster_files import students, write_xlsx

REGISTRY_MODES = {"函授": "003", "业余": "002", "脱产": "001", "网络": "004"}


def registry_rows(count: int = 8) -> list[dict[str, object]]:
    """Columns as the registry's student system exports them: 证件号码, 学校名称, 专业, 学习形式, 系(所、函授站) —
    and no (院)系代码."""
    modes = list(REGISTRY_MODES)
    return [
        {
            "姓名": s["姓名"],
            "学号": s["学号"],
            "性别": s["性别"],
            "证件号码": s["身份证号码"],
            "学校名称": "郑州大学",
            "专业": s["专业名称"],
            "学历类别": s["学历类别"],
            "学习形式": modes[i % 4],
            "系(所、函授站)": "洛阳函授站",
            "班级": s["班级"],
        }
        for i, s in enumerate(students(count, seed=4))
    ]


def _dept_blockers(db, station):
    report = preflight(load_delivery(db.sessions, station.id), load_preset("legacy-192x144"))
    return sorted(b.shot_no for b in report.blockers if "(院)系代码" in b.message)


def test_registry_roster_gets_codes_from_its_learning_form_and_passes_preflight(
    db, station, importer, tmp_path
):
    rows = registry_rows()
    report = importer.import_file(write_xlsx(tmp_path / "学籍.xlsx", rows), station.id)
    assert report.imported == 8 and not report.rejected and not report.not_inferred
    assert [(n.row, n.reason) for n in report.inferred] == [
        (row_no, f"学习形式“{r['学习形式']}” → (院)系代码 {REGISTRY_MODES[r['学习形式']]}")
        for row_no, r in enumerate(rows, start=4)  # a title, the station line, the header, then the rows
    ]
    from app.models import Student

    with db.sessions() as s:
        stored = {st.student_no: st.dept_code for st in s.query(Student)}
    assert stored == {r["学号"]: REGISTRY_MODES[r["学习形式"]] for r in rows}
    assert _dept_blockers(db, station) == []


def test_without_the_learning_form_the_preflight_still_asks_for_the_code(db, station, importer, tmp_path):
    rows = [{k: v for k, v in r.items() if k != "学习形式"} for r in registry_rows(3)]
    report = importer.import_file(write_xlsx(tmp_path / "学籍.xlsx", rows), station.id)
    assert report.imported == 3 and report.inferred == []
    assert _dept_blockers(db, station) == [1, 2, 3]


def test_a_code_in_the_file_or_in_the_store_is_never_replaced(db, station, importer, tmp_path):
    rows = registry_rows(2)
    rows[0]["(院)系代码"] = "001"  # the file says 001 although 学习形式 is 函授: the file wins
    rows[1]["(院)系代码"] = ""
    importer.import_file(write_xlsx(tmp_path / "a.xlsx", rows), station.id)
    rows[1]["学习形式"] = "脱产"  # re-import: the stored 002 is kept, blank cells never erase
    report = importer.import_file(write_xlsx(tmp_path / "b.xlsx", rows), station.id)
    assert report.inferred == []
    from app.models import Student

    with db.sessions() as s:
        assert [st.dept_code for st in s.query(Student).order_by(Student.shot_no)] == ["001", "002"]


def test_an_unknown_learning_form_is_noted_not_rejected(db, station, importer, tmp_path):
    rows = registry_rows(1)
    rows[0]["学习形式"] = "自学考试"
    report = importer.import_file(write_xlsx(tmp_path / "a.xlsx", rows), station.id)
    assert report.imported == 1 and report.inferred == []
    assert [n.reason for n in report.not_inferred] == [
        "学习形式“自学考试”在本站的(院)系代码表中没有对应的代码，(院)系代码仍为空"
    ]


def test_the_station_table_decides_and_can_be_changed(db, station, importer, tmp_path):
    service = StationService(db.sessions, "测试员")
    codes = [dict(d) for d in station.dept_codes]
    codes[2]["modes"] = ["函授", "远程函授"]
    codes.append({"code": "009", "label": "专升本函授", "modes": ["专升本函授"]})
    service.set_fields(station.name, dept_codes=codes)
    rows = registry_rows(2)
    rows[0]["学习形式"], rows[1]["学习形式"] = "远程函授", "专升本函授"
    report = importer.import_file(write_xlsx(tmp_path / "a.xlsx", rows), station.id)
    assert [n.reason[-3:] for n in report.inferred] == ["003", "009"]
    codes[3]["modes"] = ["函授"]  # one 学习形式 for two codes cannot be
    with pytest.raises(StationError, match="学习形式“函授”同时对应（院）系代码 003 和 004"):
        service.set_fields(station.name, dept_codes=codes)


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("函授", "003"),
        ("业余", "002"),
        ("夜大", "002"),
        ("脱产", "001"),
        ("成人脱产", "001"),
        ("网络", "004"),
        ("网络教育", "004"),
        ("成人高等教育函授", "003"),
        (" 函 授 ", "003"),
        ("自考", None),
        ("", None),
    ],
)
def test_default_table_maps_the_registry_values(mode, code):
    default = StationData(name="x").dept_codes
    assert infer_dept_code(mode, default) == code


@pytest.mark.parametrize("mode", ["非全日制", "非脱产", "不脱产", "非 脱产"])
def test_a_negated_learning_form_gives_no_code(mode):
    """非全日制 / 不脱产 contain 全日制 / 脱产 but mean the opposite: no code, never 001 (成人脱产)."""
    default = StationData(name="x").dept_codes
    assert infer_dept_code(mode, default) is None


@pytest.mark.parametrize(
    ("mode", "code"), [("函授(业余)", None), ("函授（业余）", None), ("网络教育", "004")]
)
def test_a_learning_form_naming_two_codes_gives_none(mode, code):
    default = StationData(name="x").dept_codes
    assert infer_dept_code(mode, default) == code


def test_a_station_saved_before_the_mapping_with_overlapping_labels_still_saves(db, station):
    """002 夜大（业余） and 005 业余 both imply 业余: the station still saves (its fee can be changed), and
    业余 then gives no code rather than a guess."""
    service = StationService(db.sessions, "测试员")
    codes = [
        {"code": "001", "label": "成人脱产"},
        {"code": "002", "label": "夜大（业余）"},
        {"code": "005", "label": "业余"},
    ]
    service.set_fields(station.name, dept_codes=codes, fee_per_student="25")
    assert infer_dept_code("业余", codes) is None and infer_dept_code("脱产", codes) == "001"
