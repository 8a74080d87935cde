"""The quality-check panel: each check's value, threshold and a green/amber/red mark."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from app.services.identity.compare import THRESHOLD, UNKNOWN, UNLIKE, Comparison
from app.services.photo.qc import QualityCheck
from app.ui.i18n import qc_threshold, tr_data

VERDICT_COLOURS = {"pass": "#2e9d46", "warn": "#e0a000", "fail": "#d32f2f"}
STATUS_TEXT = {
    "ok": QT_TRANSLATE_NOOP("QcPanel", "合格"),
    "warn": QT_TRANSLATE_NOOP("QcPanel", "需留意"),
    "fail": QT_TRANSLATE_NOOP("QcPanel", "不合格"),
    "error": QT_TRANSLATE_NOOP("QcPanel", "无法读取"),
}


# What each check measures and what the photographer does about it: one hover away in the check table.
CHECK_HELP = {
    "faces": QT_TRANSLATE_NOOP(
        "QcHelp", "画面中须恰好一个人。请其他人离开画面；未检测到人脸时检查光线、让学生正对镜头。"
    ),
    "output_size": QT_TRANSLATE_NOOP("QcHelp", "成品像素须与规格一致。不通过是程序问题，请报告。"),
    "coverage": QT_TRANSLATE_NOOP(
        "QcHelp",
        "裁剪框超出原片、需要填色的部分不得超过输出高度的约 1%。请相机后退或拉远，头顶和两肩都留出背景。",
    ),
    "roll": QT_TRANSLATE_NOOP("QcHelp", "两眼连线的倾角。请学生坐正、头摆正后重拍。"),
    "crown_px": QT_TRANSLATE_NOOP(
        "QcHelp", "头顶到上边的距离须在规格范围内。多为头顶上方空间不够或头太小：调整距离重拍。"
    ),
    "eyes_px": QT_TRANSLATE_NOOP("QcHelp", "眼睛到上边的距离须在规格范围内。调整距离或高度重拍。"),
    "face_width_px": QT_TRANSLATE_NOOP(
        "QcHelp", "脸颊到脸颊的宽度（估算）。不足时请学生靠近重拍；核对无误可仍接受。"
    ),
    "upscale": QT_TRANSLATE_NOOP(
        "QcHelp", "成品被放大的倍数：原片分辨率不够会发虚。用相机原片，或拉近重拍。"
    ),
    "file_size": QT_TRANSLATE_NOOP(
        "QcHelp", "JPEG 文件大小须在规格范围内。过大多为背景杂乱、噪点多：换纯色背景重拍。"
    ),
    "crown_found": QT_TRANSLATE_NOOP(
        "QcHelp", "两种方法找到的头顶不一致，或头发与背景太接近。看预览核对头顶位置，不对就调整裁剪框或重拍。"
    ),
    "crown_offset": QT_TRANSLATE_NOOP(
        "QcHelp", "头顶偏离取景线（手动调整后才出现）。按 Home 恢复自动裁剪，或继续调整。"
    ),
    "chin_offset": QT_TRANSLATE_NOOP(
        "QcHelp", "下巴偏离取景线（手动调整后才出现）。按 Home 恢复自动裁剪，或继续调整。"
    ),
    "center_offset": QT_TRANSLATE_NOOP(
        "QcHelp", "两眼中点偏离中线（手动调整后才出现）。按 Home 恢复自动裁剪，或继续调整。"
    ),
    "head_band": QT_TRANSLATE_NOOP("QcHelp", "头发或帽子越过左右留白线。请学生整理头发或摘帽重拍。"),
    "backdrop_delta_e": QT_TRANSLATE_NOOP(
        "QcHelp", "背景与规定颜色（如浅蓝）的色差。请用规定颜色的背景布；核对可用时可选理由仍接受。"
    ),
    "backdrop_uniformity": QT_TRANSLATE_NOOP(
        "QcHelp", "背景不均匀：阴影、褶皱或杂物。拉平背景布、打光去阴影后重拍。"
    ),
    "sharpness": QT_TRANSLATE_NOOP("QcHelp", "面部不够清晰：对焦不准、抖动或翻拍。重新对焦、稳住相机重拍。"),
    "exposure": QT_TRANSLATE_NOOP("QcHelp", "面部过暗或过亮。调整灯光或曝光补偿后重拍。"),
    "identity": QT_TRANSLATE_NOOP(
        "QcHelp",
        "与录取照片的人脸比对，只作提示：距离越小越像同一人。请看一眼录取照片核对本人；"
        "确是本人可选理由仍接受。“相同”不等于确认是本人：相貌相近的人模型常分不开。",
    ),
}

# The identity pre-check's badge on the capture tab: state → (words, colour). The states are the verdict
# codes of app.services.identity (same, unlike, unknown) and what the tab knows besides.
IDENTITY_BADGES = {
    "same": (QT_TRANSLATE_NOOP("Identity", "相同"), "#2e9d46"),
    "unlike": (QT_TRANSLATE_NOOP("Identity", "可能不是本人，请核对"), "#e0a000"),
    "unknown": (QT_TRANSLATE_NOOP("Identity", "无法比对"), "#8a8a8a"),
    "none": (QT_TRANSLATE_NOOP("Identity", "无录取照片"), "#8a8a8a"),
    "pending": (QT_TRANSLATE_NOOP("Identity", "正在比对……"), "#8a8a8a"),
    "off": (QT_TRANSLATE_NOOP("Identity", "本站已关闭人脸比对"), "#8a8a8a"),
}
IDENTITY_LABELS = {
    "pass": QT_TRANSLATE_NOOP("Data", "本人核验"),
    "fail": QT_TRANSLATE_NOOP("Data", "可能不是本人"),
    "warn": QT_TRANSLATE_NOOP("Data", "无法比对"),
}


def identity_badge_text(state: str) -> str:
    return (
        QCoreApplication.translate("Identity", IDENTITY_BADGES[state][0]) if state in IDENTITY_BADGES else ""
    )


def identity_check(result: Comparison) -> QualityCheck:
    """The verdict as one more soft check in the table: 可能不是本人 fails (accepted with a reason, as the
    capture service asks), 无法比对 is a warning, 相同 passes."""
    verdict = {UNLIKE: "fail", UNKNOWN: "warn"}.get(result.verdict, "pass")
    if result.distance is None:
        message = result.reason
    else:
        message = f"与录取照片的距离 {result.distance:.2f}（阈值 {THRESHOLD}，越小越像同一人；仅供参考）"
    return QualityCheck(
        name="identity",
        value=None if result.distance is None else round(result.distance, 2),
        threshold=f"≤{THRESHOLD} 通过",
        verdict=verdict,
        label=IDENTITY_LABELS[verdict],
        message=message,
        hard=False,
    )


_SEVERITY = {"fail": 0, "warn": 1, "pass": 2}


def _get(check, key, default=None):
    return check.get(key, default) if isinstance(check, dict) else getattr(check, key, default)


def ordered_checks(checks) -> list:
    """Failures first (hard before soft), then warnings, then passes; otherwise in the engine's order."""
    items = list(checks or [])
    return sorted(
        items,
        key=lambda c: (_SEVERITY.get(_get(c, "verdict"), 3), 0 if _get(c, "hard") else 1),
    )


def failure_summary(checks) -> str:
    """The failed checks in words for the banner: "背景色差 · 画面完整" (hard ones first)."""
    names = [
        tr_data(_get(c, "label")) or _get(c, "name")
        for c in ordered_checks(checks)
        if _get(c, "verdict") == "fail"
    ]
    return " · ".join(names)


def check_help(check) -> str:
    """The hover text of a check: its result in words, then what it measures and what to do."""
    name = _get(check, "name")
    parts = [
        _get(check, "message") or "",
        QCoreApplication.translate("QcHelp", CHECK_HELP[name]) if name in CHECK_HELP else "",
    ]
    return "\n".join(p for p in parts if p)


def status_text(status: str) -> str:
    """The big ok/warn/fail banner of the capture tab, in the interface language."""
    return QCoreApplication.translate("QcPanel", STATUS_TEXT[status]) if status in STATUS_TEXT else status


def dot_icon(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class QcModel(QAbstractTableModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("QcModel", "检查项"),
        QT_TRANSLATE_NOOP("QcModel", "测量值"),
        QT_TRANSLATE_NOOP("QcModel", "标准"),
        QT_TRANSLATE_NOOP("QcModel", "结论"),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._checks: list = []
        self._icons = {k: dot_icon(v) for k, v in VERDICT_COLOURS.items()}

    def set_checks(self, checks) -> None:
        self.beginResetModel()
        self._checks = ordered_checks(checks)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._checks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("QcModel", self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        check = self._checks[index.row()]
        get = check.get if isinstance(check, dict) else lambda k, d=None: getattr(check, k, d)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return tr_data(get("label")) or get("name")
            if column == 1:
                value = get("value")
                return "" if value is None else f"{value:g} {get('unit') or ''}".strip()
            if column == 2:
                return qc_threshold(get("threshold"))
            if get("verdict") == "fail":
                return (
                    QCoreApplication.translate("QcModel", "不通过（须重拍）")
                    if get("hard")
                    else QCoreApplication.translate("QcModel", "不通过（可仍接受）")
                )
            return {
                "pass": QCoreApplication.translate("QcModel", "通过"),
                "warn": QCoreApplication.translate("QcModel", "注意"),
            }.get(get("verdict"), "")
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return self._icons.get(get("verdict"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return check_help(check) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(QColor(VERDICT_COLOURS.get(get("verdict"), "#000000")))
        return None
