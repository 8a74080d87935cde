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


def test_the_day_at_a_glance_and_the_retake_queue(qtbot, window, tmp_path):
    """The counter shows the station and the shown student's class; the 补拍名单 filter lists retake marks and
    the students proofing sent back for their photo."""
    from sqlalchemy import select

    from app.models import Student
    from app.services.roster.stations import StationData
    from tests.roster_files import students, write_xlsx

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    rows = students(5)
    for i, r in enumerate(rows):
        r["班级"] = "1班" if i < 3 else "2班"
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    with window.db.sessions.begin() as s:
        st = list(s.scalars(select(Student).order_by(Student.shot_no)))
        st[0].photo_state, st[1].photo_state, st[2].photo_state = "accepted", "retake", "override"
        st[3].photo_state, st[3].proof_state, st[3].proof_errors = "accepted", "wrong", [{"kind": "not_self"}]
        ids = [x.id for x in st]
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    tab = window.capture_tab
    tab.select_student(ids[0])
    assert tab.progress_label.text() == (
        "全站：合格 2 · 仍接受 1 · 需重拍 1 · 待复核 0 · 未拍 1（共 5）\n"
        "1班：合格 1 · 仍接受 1 · 需重拍 1 · 待复核 0 · 未拍 0（共 3）"
    )
    tab.state_combo.setCurrentIndex(tab.state_combo.findData("__retakes__"))
    shown = [tab.queue_model.student_at(r).id for r in range(tab.queue_model.rowCount())]
    assert sorted(shown) == sorted([ids[1], ids[3]])
    assert tab.retake_reasons[ids[3]] == "照片非本人"
    tab.state_combo.setCurrentIndex(0)
    assert tab.queue_model.rowCount() == 5
