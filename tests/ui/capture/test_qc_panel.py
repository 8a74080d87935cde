"""Issue 14: the photographer sees why — the banner names the failed checks, failures lead the table, and every
check explains itself on hover."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.capture.qc_panel import QcModel

CHECKS = [
    {"name": "faces", "label": "人脸数", "verdict": "pass", "hard": True, "message": ""},
    {
        "name": "sharpness",
        "label": "面部清晰度",
        "verdict": "warn",
        "hard": False,
        "message": "面部清晰度偏低（80）",
    },
    {
        "name": "backdrop_delta_e",
        "label": "背景色差",
        "verdict": "fail",
        "hard": False,
        "message": "背景色差为 19.3",
    },
    {"name": "exposure", "label": "面部曝光", "verdict": "pass", "hard": False, "message": ""},
    {
        "name": "coverage",
        "label": "画面完整",
        "verdict": "fail",
        "hard": True,
        "message": "画面不足，请后退重拍",
    },
]


def test_failures_lead_the_table_hard_first(qtbot):
    model = QcModel()
    model.set_checks(CHECKS)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == ["画面完整", "背景色差", "面部清晰度", "人脸数", "面部曝光"]


def test_each_check_explains_itself_on_hover(qtbot):
    model = QcModel()
    model.set_checks(CHECKS)
    tip = model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("背景色差为 19.3\n") and "规定颜色的背景布" in tip
    passing = model.index(3, 0).data(Qt.ItemDataRole.ToolTipRole)  # 人脸数 passed: still explained
    assert "恰好一个人" in passing


def test_the_banner_names_the_failed_checks(qtbot, window):
    tab = window.capture_tab
    tab._show_status("fail", CHECKS)
    assert tab.status_label.text() == "不合格：画面完整 · 背景色差"
    tab._show_status("ok", [])
    assert tab.status_label.text() == "合格"
