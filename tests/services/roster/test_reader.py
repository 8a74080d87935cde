import pytest

from app.services.roster.reader import RosterReadError, read_roster
from tests.roster_files import students, write_csv, write_xls, write_xlsx


def _names(sheet):
    col = next(c for c, k in sheet.mapping.items() if k == "name")
    return [cells[col] for _, cells in sheet.data_rows()]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_every_common_encoding(tmp_path, encoding):
    rows = students(4)
    roster = read_roster(write_csv(tmp_path / "r.csv", rows, encoding))
    sheet = roster.importable_sheets[0]
    assert _names(sheet) == [r["姓名"] for r in rows]
    assert roster.encoding in ("utf-8", "gb18030")


def test_tab_separated_text(tmp_path):
    rows = students(3)
    sheet = read_roster(write_csv(tmp_path / "r.csv", rows, "gbk", "\t")).importable_sheets[0]
    assert _names(sheet) == [r["姓名"] for r in rows]


def test_xls_with_title_row(tmp_path):
    rows = students(3)
    roster = read_roster(write_xls(tmp_path / "r.xls", rows, title="2025届学生名单"))
    sheet = roster.importable_sheets[0]
    assert sheet.header_row_no == 2
    assert _names(sheet) == [r["姓名"] for r in rows]


def test_xlsx_with_merged_title_rows_above_header(tmp_path):
    rows = students(3)
    sheet = read_roster(write_xlsx(tmp_path / "r.xlsx", rows, title=True)).importable_sheets[0]
    assert sheet.header_row_no == 3
    assert [r for r, _ in sheet.data_rows()] == [4, 5, 6]
    assert set(sheet.mapping.values()) >= {"name", "student_no", "sex", "id_number", "dept_code"}


def test_header_synonyms_and_odd_spacing(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "学生名单\n序号,姓 名,学籍号,性别,证件号码,（院）系代码,班级名称\n1,张三,2024001,男,11010519491231002X,003,一班\n",
        encoding="gbk",
    )
    sheet = read_roster(path).importable_sheets[0]
    assert sorted(sheet.mapping.values()) == sorted(
        ["name", "student_no", "sex", "id_number", "dept_code", "class_name"]
    )


@pytest.mark.parametrize("content", [b"PK\x03\x04 this is not a zip at all", b"\xd0\xcf\x11\xe0garbage" * 10])
def test_broken_workbook_gives_clear_message(tmp_path, content):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    with pytest.raises(RosterReadError) as info:
        read_roster(path)
    assert "坏文件.xlsx" in str(info.value)


def test_truncated_workbook(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", students(20))
    bad = tmp_path / "半截.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(RosterReadError, match="半截.xlsx"):
        read_roster(bad)


def test_binary_junk_named_csv(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(RosterReadError):
        read_roster(path)


def test_file_without_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(RosterReadError, match="表头"):
        read_roster(path)


def test_missing_file(tmp_path):
    with pytest.raises(RosterReadError, match="找不到"):
        read_roster(tmp_path / "nope.xlsx")


def test_a_pasted_cell_over_the_csv_limit_is_refused_in_chinese():
    import csv as _csv

    from app.services.roster.reader import RosterReadError, roster_from_text

    big = "x" * (_csv.field_size_limit() + 10)
    with pytest.raises(RosterReadError) as info:
        roster_from_text(f'姓名\t学号\n"{big}"\t1\n')
    message = str(info.value)
    assert "有单元格超过" in message and "field" not in message
