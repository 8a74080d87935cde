"""A 校对反馈表 as a class hands it back: title, header, students' own words, a blank line, the signature footer."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HEADER = ["序号", "学号", "姓名", "校对结果（无异常填“无误”，异常情况请如实填写异常内容）", "本人签名"]
FOOTER = ["班级名称：2021级会计1班", "", "辅导员签名：李明", "学院领导：", "学院（公章）"]
STRANGER = ("2099999", "外人甲")


def feedback_rows(data: list[dict]) -> list[list[object]]:
    """Rows as students fill them in; data[3] is 买买提·艾力, written with an ASCII full stop and no 学号."""
    words = ["无误", "照片不是本人", "看不到照片", "民族应为维吾尔族，照片模糊", "头发太乱了，想重拍"]
    rows: list[list[object]] = [
        ["高等教育学历电子注册图像信息校对反馈表（2024届）", "", "", "", ""],
        ["班级：2021级会计1班", "", "", "", ""],
        HEADER,
    ]
    for i, (d, said) in enumerate(zip(data, words), start=1):
        no, name = str(d["学号"]), str(d["姓名"])
        if i == 4:
            no, name = "", name.replace("·", ".")
        rows.append([i, no, name, said, name])
    rows.append([6, STRANGER[0], STRANGER[1], "无误", STRANGER[1]])
    rows.append(["", "", "", "", ""])
    rows.append(FOOTER)
    return rows


def write_sheet(path: Path, rows: list[list[object]]) -> Path:
    if path.suffix == ".xlsx":
        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(path)
    else:
        encoding = "gbk" if "gbk" in path.stem else "utf-8-sig"
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(rows)
    return path
