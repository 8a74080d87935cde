"""Roster table with 20,000 students: load, search per keystroke and sort, against a plain list scan."""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.roster.demo import make_students
from app.services.roster.names import pinyin_initials
from app.services.roster.service import StudentRow
from app.ui.roster.model import RosterTableModel

N = 20_000


def rows() -> list[StudentRow]:
    out = []
    for i, s in enumerate(make_students(N)):
        out.append(StudentRow(i + 1, 1, i + 1, s["姓名"], s["学号"], s["性别"], s["身份证号码"], s["专业名称"], s["班级"],
                              s["层次"], s["学历类别"], s["(院)系代码"], s["学籍状态"], False, pinyin_initials(s["姓名"]),
                              "none"))
    return out


def timed(fn, repeat=5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    QApplication([])
    data = rows()
    model = RosterTableModel()
    load_ms = timed(lambda: model.set_rows(data))
    # Baseline: the cheapest possible search, a bare substring scan over the names.
    base_ms = timed(lambda: [r for r in data if "张" in r.name])
    keystrokes = ["张", "zh", "zs", "2024", "123X", "计算机"]
    search_ms = statistics.median(timed(lambda k=k: model.set_filter(needle=k)) for k in keystrokes)
    model.set_filter(needle="")
    sort_ms = timed(lambda: model.sort(1, Qt.SortOrder.DescendingOrder))
    print(f"load {load_ms:.1f} ms, search {search_ms:.1f} ms per keystroke, sort {sort_ms:.1f} ms")
    print(f"BENCH roster_table_load_20k {load_ms:.1f} ms (baseline {base_ms:.1f} ms, ratio {load_ms / base_ms:.1f})")
    print(f"BENCH roster_search_20k {search_ms:.1f} ms (baseline {base_ms:.1f} ms, ratio {search_ms / base_ms:.1f})")
    print(f"BENCH roster_sort_20k {sort_ms:.1f} ms (baseline {base_ms:.1f} ms, ratio {sort_ms / base_ms:.1f})")


if __name__ == "__main__":
    main()
