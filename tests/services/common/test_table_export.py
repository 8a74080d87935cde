"""The Qt-free table writer behind Ctrl+C and 导出当前视图: TSV as Excel copies it, workbooks of text cells."""

from __future__ import annotations

from openpyxl import load_workbook

from app.services.common.table_export import html_table, masked_rows, save_table, sheet_name, tsv


def test_tsv_quotes_only_cells_holding_tabs_breaks_or_quotes():
    text = tsv(
        ["姓名", "备注"], [["张三", "a\tb"], ["李四", "第一行\n第二行"], ["王五", 'say "hi"'], [None, 3.0]]
    )
    assert text == ('姓名\t备注\r\n张三\t"a\tb"\r\n李四\t"第一行\n第二行"\r\n王五\t"say ""hi"""\r\n\t3\r\n')


def test_masked_rows_hide_the_birth_date_of_any_id_shaped_text():
    # an ID cell as the table shows it (region and last four); an ID inside other text as in logs
    assert masked_rows([["41010519900307123X", "学号 2023000001", "身份证 41010519900307123X 有误"]]) == [
        ["410105********123X", "学号 2023000001", "身份证 410105***********X 有误"]
    ]


def test_html_flavour_marks_every_cell_as_text():
    page = html_table(["身份证号码"], [["410105199003071234"], ["<b>"]])
    assert page.count("mso-number-format:'\\@'") == 2 and "&lt;b&gt;" in page


def test_workbook_cells_are_text_and_formulas_stay_text(tmp_path):
    path = tmp_path / "表.xlsx"
    n = save_table(
        path, ["学号", "身份证号码", "姓名"], [["0012", "410105199003071234", "=cmd|' /C calc'!A0"]], "花名册"
    )
    assert n == 1
    ws = load_workbook(path).active
    assert ws.title == "花名册"
    assert [c.value for c in ws[2]] == ["0012", "410105199003071234", "=cmd|' /C calc'!A0"]
    assert {c.data_type for c in ws[2]} == {"s"}
    assert {c.number_format for c in ws[2]} == {"@"}
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C2"


def test_sheet_names_excel_refuses_are_made_safe():
    assert sheet_name("a/b:c?" + "长" * 40) == ("a_b_c_" + "长" * 40)[:31]
    assert sheet_name("") == "Sheet1"


def test_tsv_cells_a_spreadsheet_would_run_get_an_apostrophe():
    """Excel, WPS and LibreOffice parse pasted text as if typed: a roster cell =HYPERLINK(…) or @SUM(…) would
    become a live formula in the clerk's sheet. A leading apostrophe keeps it text; plain numbers stay as they are."""
    text = tsv(["班级", "备注"], [['=HYPERLINK("http://x","点我")', "@SUM(1+1)"], ["+86 138", "-12"]])
    assert text == ('班级\t备注\r\n"\'=HYPERLINK(""http://x"",""点我"")"\t\'@SUM(1+1)\r\n\'+86 138\t-12\r\n')


def test_a_pasted_copy_of_such_cells_reads_back_without_the_apostrophe():
    from app.services.roster.reader import roster_from_text

    sheet = roster_from_text(
        tsv(["姓名", "学号", "身份证号码", "班级"], [["张三", "-A1", "410105199003071234", "=1+1"]])
    ).sheets[0]
    assert sheet.rows[-1][1] == ["张三", "-A1", "410105199003071234", "=1+1"]


def test_the_copy_masks_ids_exactly_as_the_tables_do():
    from app.services.common.masking import mask_id as copy_mask
    from app.services.standards.idcard import mask_id as table_mask

    for number in ("41010519900307123X", "410105900307123", "", "12345"):
        assert copy_mask(number) == table_mask(number)
