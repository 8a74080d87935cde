"""The rules every student record obeys, each broken once in an imported row; the messages are literals."""

import pytest

from app.services.roster.stations import StationData, StationService
from tests.roster_files import students, write_xlsx


def _import_one(importer, station_id, tmp_path, **cells):
    row = students(1)[0]
    row.update(cells)
    return importer.import_file(write_xlsx(tmp_path / "r.xlsx", [row]), station_id)


def test_birth_date_must_match_the_id_number(station, importer, tmp_path):
    report = _import_one(
        importer, station.id, tmp_path, 身份证号码="11010519491231002X", 性别="女", 出生日期="1949-01-01"
    )
    assert report.imported == 0
    assert "出生日期 1949-01-01 与身份证号码中的出生日期不符" in report.rejected[0].reason


def test_a_department_code_outside_the_stations_list_is_refused(station, importer, tmp_path):
    report = _import_one(importer, station.id, tmp_path, **{"(院)系代码": "A01"})
    assert report.imported == 0
    assert "(院)系代码“A01”不在本站的代码表中（001、002、003、004）" in report.rejected[0].reason


def test_a_number_that_fits_two_codes_is_refused_not_guessed(db, importer, tmp_path):
    station = StationService(db.sessions, "测试员").create(
        StationData(
            name="双码站",
            school_name="郑州大学",
            school_code="10459",
            dept_codes=[{"code": "03", "name": "函授"}, {"code": "003", "name": "函授"}],
        )
    )
    report = _import_one(importer, station.id, tmp_path, **{"(院)系代码": 3})  # Excel made 003 a number
    assert report.imported == 0
    assert "(院)系代码“3”不在本站的代码表中（003、03）" in report.rejected[0].reason


def test_an_enrolment_file_name_keeps_the_name_and_refuses_a_folder():
    from app.services.common.values import ValueProblem
    from app.services.roster.rules import _convert

    assert _convert("enrolment_file", r"D:\录取照片\IMG_0031.JPG") == "IMG_0031.JPG"
    assert _convert("enrolment_file", "") == ""
    for folder in ("C:/录取照片/", "..", ".", "\\"):
        with pytest.raises(ValueProblem, match="是文件夹，不是文件名"):
            _convert("enrolment_file", folder)
