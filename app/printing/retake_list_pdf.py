"""The per-class 补拍名单: who needs a new photo and why, a page per class, to hand to the photographer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.models import Station
from app.printing.table_form import NAME, TEXT, TableForm, write_pdf
from app.services.common.classes import group_by_class
from app.services.proofing.retakes import retake_queue


class NothingToRetake(Exception):
    """No student of the station needs a new photo."""


def retake_forms(sessions: sessionmaker[Session], station_id: int) -> list[TableForm]:
    entries = retake_queue(sessions, station_id)
    with sessions() as s:
        station = s.get(Station, station_id)
        station_name = station.name if station is not None else ""
    today = dt.date.today().isoformat()
    forms = []
    for class_name, group in group_by_class(entries, lambda e: e.class_name).items():
        forms.append(
            TableForm(
                title="补拍名单",
                lines_above=[
                    f"学习中心：{station_name}　　班级：{class_name}　　共 {len(group)} 人　　{today}"
                ],
                headers=["拍摄序号", "姓名", "学号", "原因", "补拍确认"],
                rows=[[e.shot_no, e.name, e.student_no, e.reason, ""] for e in group],
                column_widths=[0, 1, 0, 5, 3],
                center_columns={0},
                wrap={1: NAME, 3: TEXT},
                footer_lines=["补拍后在拍摄页接受新照片；校对退回的学生补拍后请提醒其重新登录学信网校对。"],
            )
        )
    return forms


def write_retake_list(sessions: sessionmaker[Session], station_id: int, path: Path | str) -> tuple[Path, int]:
    """One PDF, a page (or more) per class; returns the file and how many students it lists."""
    forms = retake_forms(sessions, station_id)
    if not forms:
        raise NothingToRetake("没有需要补拍的学生")
    return write_pdf(forms, path), sum(len(f.rows) for f in forms)
