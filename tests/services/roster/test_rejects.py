"""The rejected rows saved again from a file that is itself a saved rejects workbook."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.roster_files import students, write_xlsx


def test_a_second_round_keeps_one_reason_column_with_the_new_reason(importer, station, tmp_path):
    rows = students(2, seed=5)
    for r in rows:
        r["拒绝原因"] = "身份证号码校验位错误（可能有数字录错）"  # the old reason, from the first round
    rows[1]["性别"] = ""  # fixed the ID, but now the sex is missing
    roster = importer.read(write_xlsx(tmp_path / "被拒绝的行.xlsx", rows, title=False))
    report = importer.plan(roster, station.id)
    assert [p.reason for p in report.rejected] == ["缺少性别"]
    out = tmp_path / "第二轮.xlsx"
    assert importer.save_rejected(roster, report, out, station.id) == 1
    got = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]
    headers = [h for h in rows[0] if h != "拒绝原因"] + ["拒绝原因"]
    assert got[0] == headers
    assert got[1] == [str(rows[1][h]) or None for h in headers[:-1]] + ["缺少性别"]
