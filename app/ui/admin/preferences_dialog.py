"""Preferences (per user, QSettings): operator, language, default preset, hot folder, theme, reminders.

Station data (fee, payee, deadlines, a station's own preset) stays in the station dialog and the database.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.config import Settings
from app.ui.admin.station_dialog import preset_choices
from app.ui.i18n import tr_data

# Each language is named in itself (so a user can always find their own); "" follows the system locale.
LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))
THEMES = (
    ("system", QT_TRANSLATE_NOOP("Data", "跟随系统")),
    ("light", QT_TRANSLATE_NOOP("Data", "浅色")),
    ("dark", QT_TRANSLATE_NOOP("Data", "深色")),
)


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首选项"))
        self.settings = settings
        form = QFormLayout(self)
        self.operator_edit = QLineEdit(settings.get("operator"))
        self.operator_edit.setPlaceholderText(settings.operator())
        form.addRow(self.tr("操作员姓名（写入操作日志）"), self.operator_edit)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language_combo")
        self.language_combo.addItem(self.tr("跟随系统"), "")
        for key, label in LANGUAGES:
            self.language_combo.addItem(label, key)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(settings.get("language")), 0))
        form.addRow(self.tr("界面语言"), self.language_combo)
        self.preset_combo = QComboBox()
        for key, label in preset_choices():
            self.preset_combo.addItem(label, key)
        self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(settings.get("default_preset")), 0))
        form.addRow(self.tr("新建学习中心的默认照片规格"), self.preset_combo)
        folder_row = QHBoxLayout()
        self.hot_folder_edit = QLineEdit(settings.get("hot_folder"))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.hot_folder_edit, 1)
        folder_row.addWidget(browse)
        form.addRow(self.tr("热文件夹"), folder_row)
        self.theme_combo = QComboBox()
        for key, label in THEMES:
            self.theme_combo.addItem(tr_data(label), key)
        self.theme_combo.setCurrentIndex(max(self.theme_combo.findData(settings.get("theme")), 0))
        form.addRow(self.tr("外观"), self.theme_combo)
        self.remind_check = QCheckBox(self.tr("启动时提醒逾期未完成的图像校对"))
        self.remind_check.setChecked(bool(settings.get("remind_overdue")))
        form.addRow("", self.remind_check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择热文件夹"), self.hot_folder_edit.text())
        if folder:
            self.hot_folder_edit.setText(folder)

    def save(self) -> None:
        s = self.settings
        s.set("operator", self.operator_edit.text().strip())
        s.set("language", self.language_combo.currentData())
        s.set("default_preset", self.preset_combo.currentData())
        s.set("hot_folder", self.hot_folder_edit.text().strip())
        s.set("theme", self.theme_combo.currentData())
        s.set("remind_overdue", self.remind_check.isChecked())
        self.accept()


def apply_theme(app, theme: str) -> None:
    """Fusion with a dark palette, or the platform's own look."""

    if theme == "dark":
        app.setStyle("Fusion")
        palette = QPalette()
        for role, colour in (
            (QPalette.ColorRole.Window, "#2b2b2b"),
            (QPalette.ColorRole.WindowText, "#e6e6e6"),
            (QPalette.ColorRole.Base, "#1f1f1f"),
            (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
            (QPalette.ColorRole.Text, "#e6e6e6"),
            (QPalette.ColorRole.Button, "#353535"),
            (QPalette.ColorRole.ButtonText, "#e6e6e6"),
            (QPalette.ColorRole.Highlight, "#2f6db5"),
            (QPalette.ColorRole.HighlightedText, "#ffffff"),
            (QPalette.ColorRole.ToolTipBase, "#333"),
            (QPalette.ColorRole.ToolTipText, "#eee"),
        ):
            palette.setColor(role, QColor(colour))
        app.setPalette(palette)
    elif theme == "light":
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(app.style().standardPalette())
