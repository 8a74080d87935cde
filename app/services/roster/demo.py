"""Realistic made-up rosters for the demo database, tests and benchmarks (no real person's data)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

from app.services.standards.idcard import check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉萍红华建国志宏文辉鹏飞欣怡子涵浩宇梓轩雨晨佳琪思远晓燕海波丹婷"
MINORITY_NAMES = (
    "艾力·买买提",
    "阿依古丽·吐尔逊",
    "迪丽娜尔·阿不都",
    "扎西顿珠",
    "其其格",
    "热合曼·阿不都热依木",
)
REGIONS = ("410105", "410102", "410302", "410403", "410702", "411102", "110105", "440305", "610113", "530802")
MAJORS = (
    "计算机科学与技术",
    "会计学",
    "工商管理",
    "汉语言文学",
    "土木工程",
    "护理学",
    "法学",
    "机械设计制造及其自动化",
    "电子商务",
    "学前教育",
)
ETHNICITIES = ("汉族",) * 12 + ("回族", "满族", "蒙古族", "维吾尔族", "藏族", "壮族")


def make_id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def make_students(
    count: int,
    seed: int = 7,
    school_name: str = "郑州大学",
    school_code: str = "10459",
    first_student_no: int = 1,
) -> list[dict[str, object]]:
    """Students with valid, unique 身份证号 and 学号, grouped into classes of about 40."""
    rng = random.Random(seed)
    students = []
    used_ids: set[str] = set()
    for i in range(count):
        male = rng.random() < 0.5
        if rng.random() < 0.01:
            name = rng.choice(MINORITY_NAMES)
        else:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        birth = dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 17))
        id_number = make_id_number(rng, birth, male)
        while id_number in used_ids:
            id_number = make_id_number(rng, birth, male)
        used_ids.add(id_number)
        # Everything that defines a class (year, level, major, mode) is drawn once per class of 40.
        class_no = i // 40 + 1
        class_rng = random.Random(seed * 1000 + class_no)
        level = "本科" if class_rng.random() < 0.55 else "专科"
        enrol_year = class_rng.choice((2023, 2024))
        years = 5 if level == "本科" else 3
        major = MAJORS[(class_no - 1) % len(MAJORS)]
        dept = class_rng.choice(("002", "003", "003", "004"))
        students.append(
            {
                "姓名": name,
                "学号": f"{enrol_year}{first_student_no + i:06d}",
                "性别": "男" if male else "女",
                "身份证号码": id_number,
                "专业名称": major,
                "学历类别": "成人本科" if level == "本科" else "成人专科",
                "所在校别": "网络教育" if dept == "004" else "普通高校",
                "(院)系代码": dept,
                "所在院校名称": school_name,
                "院校代码": school_code,
                "民族": rng.choice(ETHNICITIES),
                "出生日期": birth.isoformat(),
                "班级": f"{enrol_year}级{major}{class_no}班",
                "层次": level,
                "学制": str(years),
                "学习形式": {"002": "业余", "003": "函授", "004": "网络教育"}[dept],
                "入学日期": f"{enrol_year}-03-01",
                "预计毕业日期": f"{enrol_year + years}-07-01"
                if level == "本科"
                else f"{enrol_year + years}-01-01",
                "学籍状态": "在籍(注册学籍)",
            }
        )
    return students


def write_roster_xlsx(
    path: Path, students: list[dict[str, object]], station_name: str = "演示学习中心", title: bool = True
) -> Path:
    """A workbook like the ones stations send: a merged title, the station line, then the header."""

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "花名册"
    headers = list(students[0].keys()) if students else ["姓名", "学号", "性别", "身份证号码"]
    if title:
        ws.append(["高等教育学历证书电子注册图像信息采集汇总表"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.append([f"校外学习中心（函授站）名称：{station_name}"])
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    ws.append(headers)
    for s in students:
        ws.append([s.get(h) for h in headers])
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path
