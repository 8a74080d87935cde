"""Photo presets: every preset with its numbers; a user can duplicate one and change it (an agency's own rules)."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, QStringListModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.photo.presets import (
    PresetError,
    delete_user_preset,
    is_builtin,
    list_presets,
    load_preset,
    save_user_preset,
    validate_preset,
)
from app.ui.dialog_parts import ScrollBody, fit_to_screen
from app.ui.i18n import tr_data

# (key in the preset's "checks", label) for the framing tolerances a user may change.
TOLERANCES = (
    ("crown_offset", QT_TRANSLATE_NOOP("Data", "头顶位置偏差 %")),
    ("chin_offset", QT_TRANSLATE_NOOP("Data", "下巴位置偏差 %")),
    ("center_offset", QT_TRANSLATE_NOOP("Data", "左右居中偏差 %")),
    ("backdrop_delta_e", QT_TRANSLATE_NOOP("Data", "背景色差 ΔE")),
)


def _spin(minimum: float, maximum: float, decimals: int = 1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(minimum, maximum)
    box.setDecimals(decimals)
    return box


class PresetsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照片规格"))
        self.raw: dict[str, Any] = {}
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.names = QStringListModel(list_presets())
        self.list_view = QListView()
        self.list_view.setModel(self.names)
        self.list_view.selectionModel().currentChanged.connect(
            lambda cur, _prev: self.show_preset(cur.data())
        )
        left.addWidget(self.list_view, 1)
        duplicate = QPushButton(self.tr("复制为新规格…"))
        duplicate.clicked.connect(self.duplicate)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete)
        left.addWidget(duplicate)
        left.addWidget(self.delete_button)
        layout.addLayout(left, 1)
        layout.addWidget(self._build_form(), 3)
        self.list_view.setCurrentIndex(self.names.index(0))
        fit_to_screen(self, QSize(900, 620))

    def _build_form(self) -> QWidget:
        """The preset's numbers, scrolling on a short screen, with 保存 / 关闭 always below them."""
        panel = QWidget()
        fields = QWidget()
        outer = QVBoxLayout(fields)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        outer.addWidget(self.title_label)
        box = QGroupBox(self.tr("尺寸与取景（输出像素）"))
        form = QFormLayout(box)
        self.width_spin, self.height_spin = QSpinBox(), QSpinBox()
        for spin in (self.width_spin, self.height_spin):
            spin.setRange(50, 4000)
        self.crown_spin, self.chin_spin, self.center_spin = _spin(0, 4000), _spin(0, 4000), _spin(0, 3000)
        self.band_left, self.band_right = _spin(0, 3000), _spin(0, 3000)
        self.title_edit = QLineEdit()
        form.addRow(self.tr("名称"), self.title_edit)
        form.addRow(self.tr("宽 × 高"), self._pair(self.width_spin, self.height_spin))
        form.addRow(self.tr("头顶线 / 下巴线（距顶部）"), self._pair(self.crown_spin, self.chin_spin))
        form.addRow(self.tr("中心线"), self.center_spin)
        form.addRow(self.tr("左 / 右留白线"), self._pair(self.band_left, self.band_right))
        outer.addWidget(box)
        box2 = QGroupBox(self.tr("背景、文件与命名"))
        form2 = QFormLayout(box2)
        self.rgb = [QSpinBox() for _ in range(3)]
        for spin in self.rgb:
            spin.setRange(0, 255)
        rgb_row = QWidget()
        row = QHBoxLayout(rgb_row)
        row.setContentsMargins(0, 0, 0, 0)
        for spin in self.rgb:
            row.addWidget(spin)
        form2.addRow(self.tr("背景色 RGB"), rgb_row)
        self.quality_spin = QSpinBox()
        self.quality_spin.setRange(1, 100)
        self.min_kb, self.max_kb = _spin(0, 5000), _spin(1, 5000)
        self.rotate_check = QCheckBox(self.tr("允许自动扶正（按双眼连线）"))
        self.naming_edit = QLineEdit()
        self.naming_edit.setPlaceholderText("{shot_no}.JPG, {id_number}.jpg")
        form2.addRow(self.tr("JPEG 质量"), self.quality_spin)
        form2.addRow(self.tr("文件大小 KB（最小 / 最大）"), self._pair(self.min_kb, self.max_kb))
        form2.addRow("", self.rotate_check)
        form2.addRow(self.tr("命名模板（逗号分隔，第一个为默认）"), self.naming_edit)
        outer.addWidget(box2)
        box3 = QGroupBox(self.tr("容差（警告 / 不通过）"))
        form3 = QFormLayout(box3)
        self.tolerance_spins: dict[str, tuple[QDoubleSpinBox, QDoubleSpinBox]] = {}
        for key, label in TOLERANCES:
            pair = (_spin(0, 1000), _spin(0, 1000))
            self.tolerance_spins[key] = pair
            form3.addRow(tr_data(label), self._pair(*pair))
        outer.addWidget(box3)
        outer.addStretch(1)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(ScrollBody(fields), 1)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        side.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        side.addLayout(buttons)
        return panel

    @staticmethod
    def _pair(a: QWidget, b: QWidget) -> QWidget:
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(a)
        row.addWidget(b)
        return host

    # -- showing and editing ------------------------------------------------------------------------
    def show_preset(self, name: str | None) -> None:
        if not name:
            return
        preset = load_preset(name)
        self.raw = copy.deepcopy(preset.raw)
        builtin = is_builtin(name)
        self.title_label.setText(
            f"<b>{name}</b>" + (self.tr("（内置，只读；可复制后修改）") if builtin else "")
        )
        self.title_edit.setText(preset.title)
        self.width_spin.setValue(preset.width)
        self.height_spin.setValue(preset.height)
        self.crown_spin.setValue(preset.crown_y)
        self.chin_spin.setValue(preset.chin_y)
        self.center_spin.setValue(preset.center_x)
        self.band_left.setValue(preset.head_band_x[0])
        self.band_right.setValue(preset.head_band_x[1])
        for spin, value in zip(self.rgb, preset.backdrop_rgb):
            spin.setValue(value)
        self.quality_spin.setValue(preset.jpeg_quality)
        self.min_kb.setValue(preset.min_kb)
        self.max_kb.setValue(preset.max_kb)
        self.rotate_check.setChecked(preset.rotate)
        self.naming_edit.setText(", ".join(preset.naming))
        for key, (warn, fail) in self.tolerance_spins.items():
            spec = preset.checks.get(key, {})
            warn.setValue(float(spec.get("warn", 0)))
            fail.setValue(float(spec.get("fail", 0)))
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QSpinBox, QDoubleSpinBox, QLineEdit, QCheckBox)):
                widget.setEnabled(not builtin)
        self.save_button.setEnabled(not builtin)
        self.delete_button.setEnabled(not builtin)
        self.error_label.clear()

    def edited(self) -> dict[str, Any]:
        d = copy.deepcopy(self.raw)
        d["title"] = self.title_edit.text().strip() or d["name"]
        d["output"] = {"width": self.width_spin.value(), "height": self.height_spin.value()}
        d["framing"].update(
            crown_y=self.crown_spin.value(),
            chin_y=self.chin_spin.value(),
            center_x=self.center_spin.value(),
            head_band_x=[self.band_left.value(), self.band_right.value()],
        )
        d["backdrop"]["rgb"] = [s.value() for s in self.rgb]
        d["jpeg"].update(
            quality=self.quality_spin.value(), min_kb=self.min_kb.value(), max_kb=self.max_kb.value()
        )
        d.setdefault("rotation", {})["allow"] = self.rotate_check.isChecked()
        d["naming"] = [t.strip() for t in self.naming_edit.text().split(",") if t.strip()]
        for key, (warn, fail) in self.tolerance_spins.items():
            d.setdefault("checks", {}).setdefault(key, {}).update(warn=warn.value(), fail=fail.value())
        return d

    def duplicate(self, name: str | None = None) -> str | None:
        base = self.list_view.currentIndex().data()
        if name is None:
            name, ok = QInputDialog.getText(
                self,
                self.tr("复制规格"),
                self.tr("新规格的名称（字母、数字、横线）："),
                text=f"{base}-custom",
            )
            if not ok:
                return None
        d = copy.deepcopy(load_preset(base).raw)
        d["name"] = name.strip()
        d["title"] = f"{d.get('title', base)}（{name.strip()}）"
        d["source"] = f"duplicated from {base} by a user"
        try:
            save_user_preset(d)
        except (PresetError, OSError) as exc:
            QMessageBox.warning(self, self.tr("无法复制"), str(exc))
            return None
        self._reload(d["name"])
        return d["name"]

    def save(self) -> bool:
        d = self.edited()
        try:
            validate_preset(d)
            save_user_preset(d)
        except (PresetError, OSError) as exc:
            self.error_label.setText(str(exc))
            return False
        self.error_label.setText(self.tr("已保存"))
        return True

    def delete(self) -> None:
        name = self.list_view.currentIndex().data()
        if name and not is_builtin(name):
            delete_user_preset(name)
            self._reload(None)

    def _reload(self, select: str | None) -> None:
        names = list_presets()
        self.names.setStringList(names)
        row = names.index(select) if select in names else 0
        self.list_view.setCurrentIndex(self.names.index(row))
        self.show_preset(names[row])
