"""Create or edit a station: school, codes, fee and payee, preset and deadlines.

院校代码 and 所在院校名称 complete from seed 000's list (resources/school_codes.json): typing a code or part of a
name offers the matching schools, choosing one fills both; any other 5-digit code is still accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QSize, QStringListModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.photo import list_presets, load_preset
from app.services.photo.presets import resources_dir
from app.services.roster.stations import (
    SCHOOL_CODES_FILE,
    SchoolCode,
    StationData,
    code_modes,
    parse_modes,
    read_school_codes,
)
from app.ui.dialog_parts import ScrollBody, fit_to_screen, problem_label, save_cancel_buttons
from app.ui.i18n import tr_data

SCHOOL_TYPES = (QT_TRANSLATE_NOOP("Data", "普通高校"), QT_TRANSLATE_NOOP("Data", "网络教育"))
_CODE = re.compile(r"^\s*(\d{5})(?:\s|$)")


def code_of(text: str) -> str:
    """The 院校代码 in what the field shows: '10459' or a chosen '10459 郑州大学' → '10459'; anything else as
    typed (stripped), for the validation to name."""
    m = _CODE.match(text)
    return m.group(1) if m else text.strip()


def combo_value(combo: QComboBox) -> str:
    """An editable combo's value: the item's data when a listed item is shown, else the typed text."""
    data, text = combo.currentData(), combo.currentText()
    return data if data is not None and combo.itemText(combo.currentIndex()) == text else text


def preset_choices() -> list[tuple[str, str]]:
    """(name, title) of every preset, from the preset files themselves."""

    choices = []
    for name in list_presets():
        try:
            preset = load_preset(name)
        except ValueError:
            continue
        title = QCoreApplication.translate("StationDialog", "%1（%2×%3）")
        choices.append(
            (
                name,
                title.replace("%1", tr_data(preset.title))
                .replace("%2", str(preset.width))
                .replace("%3", str(preset.height)),
            )
        )
    return choices


class _OptionalDate(QWidget):
    """A date that may be unset: a checkbox plus a calendar date edit."""

    def __init__(self, value: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate(value) if value else QDate.currentDate())
        self.enabled.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.enabled.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)

    def value(self) -> dt.date | None:
        return self.edit.date().toPython() if self.enabled.isChecked() else None


class StationDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        data: StationData | None,
        submit: Callable[[StationData], None],
        creating: bool | None = None,
    ) -> None:
        super().__init__(parent)
        creating = data is None if creating is None else creating
        self.setWindowTitle(self.tr("新建学习中心/函授站") if creating else self.tr("编辑学习中心/函授站"))
        self._submit = submit
        data = data or StationData(name="")
        # Two columns: in one they were 753 px tall and put 保存 under a 1280×720 screen's taskbar.
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._build_school(data))
        left.addWidget(self._build_codes(data), 1)
        right.addWidget(self._build_fee(data))
        right.addWidget(self._build_deadlines(data))
        right.addStretch(1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollBody(body), 1)
        self.error_label = problem_label()
        layout.addWidget(self.error_label)
        layout.addWidget(save_cancel_buttons(self, self._on_accept))
        fit_to_screen(self, QSize(900, 0))  # room for a payee's address

    def _build_school(self, data: StationData) -> QGroupBox:
        box = QGroupBox(self.tr("基本信息"))
        form = QFormLayout(box)
        self.name_edit = QLineEdit(data.name)
        self.name_edit.setObjectName("station_name")
        self.name_edit.setPlaceholderText(self.tr("如：郑州大学继续教育学院洛阳函授站"))
        self.school_name_edit = QLineEdit(data.school_name)
        self.school_name_edit.setObjectName("station_school_name")
        self.school_code_edit = QLineEdit(data.school_code)
        self.school_code_edit.setObjectName("station_school_code")
        self.school_code_edit.setPlaceholderText(self.tr("5 位数字，或输入院校名称查找"))
        self.school_code_edit.setToolTip(
            self.tr("输入代码或院校名称的一部分，从河南省院校代码表中选择；表中没有的院校可直接填写 5 位代码")
        )
        self.school_codes: list[SchoolCode] = read_school_codes(resources_dir() / SCHOOL_CODES_FILE)
        self.code_completer = self._school_completer(self.school_code_edit)
        self.name_completer = self._school_completer(self.school_name_edit)
        self.school_type_combo = QComboBox()
        self.school_type_combo.setEditable(True)
        for value in SCHOOL_TYPES:  # shown translated, stored as the registry's Chinese value
            self.school_type_combo.addItem(tr_data(value), value)
        found = self.school_type_combo.findData(data.default_school_type)
        if found >= 0:
            self.school_type_combo.setCurrentIndex(found)
        else:
            self.school_type_combo.setEditText(data.default_school_type)
        self.preset_combo = QComboBox()
        for key, label in preset_choices():
            self.preset_combo.addItem(label, key)
        index = self.preset_combo.findData(data.default_preset)
        self.preset_combo.setCurrentIndex(max(index, 0))
        form.addRow(self.tr("名称 *"), self.name_edit)
        form.addRow(self.tr("所在院校名称"), self.school_name_edit)
        form.addRow(self.tr("院校代码"), self.school_code_edit)
        form.addRow(self.tr("默认所在校别"), self.school_type_combo)
        form.addRow(self.tr("默认照片规格"), self.preset_combo)
        self.identity_check = QCheckBox(self.tr("与录取照片做人脸比对（只作提示）"))
        self.identity_check.setObjectName("station_identity_check")
        self.identity_check.setChecked(data.identity_check)
        self.identity_check.setToolTip(
            self.tr(
                "新照片到达时与导入的录取照片比对，可能不是本人时提示摄影师核对。人脸属于敏感个人信息："
                "不需要时可关闭，关闭后不再计算（已导入的录取照片保留，随学生记录删除）。"
            )
        )
        form.addRow(self.tr("本人核验"), self.identity_check)
        return box

    def _school_completer(self, edit: QLineEdit) -> QCompleter:
        """'10459 郑州大学' for every listed school, matched anywhere (code or name), case aside."""
        completer = QCompleter(QStringListModel([c.label for c in self.school_codes], self), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        edit.setCompleter(completer)
        completer.activated[str].connect(self.choose_school)
        return completer

    def choose_school(self, label: str) -> None:
        """A listed school chosen: its code into 院校代码, its name into 所在院校名称."""
        found = next((c for c in self.school_codes if c.label == label), None)
        if found is None:
            return
        self.school_code_edit.setText(found.code)
        self.school_name_edit.setText(found.name)

    def _build_codes(self, data: StationData) -> QGroupBox:
        box = QGroupBox(self.tr("（院）系代码"))
        box.setToolTip(
            self.tr(
                "花名册没有（院）系代码时，按“学习形式”列查这张表得出代码；"
                "一个代码可对应几种写法，用“、”分隔（如 业余、夜大）"
            )
        )
        layout = QHBoxLayout(box)
        self.codes_model = QStandardItemModel(0, 3, self)
        self.codes_model.setHorizontalHeaderLabels(
            [self.tr("代码"), self.tr("含义"), self.tr("对应的学习形式")]
        )
        for entry in data.dept_codes:
            self.codes_model.appendRow(
                [
                    QStandardItem(entry.get("code", "")),
                    QStandardItem(entry.get("label", "")),
                    QStandardItem("、".join(code_modes(entry))),
                ]
            )
        self.codes_view = QTableView()
        self.codes_view.setObjectName("dept_codes")
        self.codes_view.setModel(self.codes_model)
        self.codes_view.setColumnWidth(0, 50)
        self.codes_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.codes_view.verticalHeader().hide()
        self.codes_view.setMaximumHeight(150)
        # Tall enough for the four default codes: the dialog opens at its size hint, which squeezed the
        # table to a row and a half.
        rows = max(4, self.codes_model.rowCount())
        self.codes_view.setMinimumHeight(
            min(
                150,
                self.codes_view.horizontalHeader().sizeHint().height()
                + rows * self.codes_view.verticalHeader().defaultSectionSize()
                + 2 * self.codes_view.frameWidth(),
            )
        )
        layout.addWidget(self.codes_view, 1)
        side = QVBoxLayout()
        add = QPushButton(self.tr("添加"))
        add.clicked.connect(
            lambda: self.codes_model.appendRow([QStandardItem(""), QStandardItem(""), QStandardItem("")])
        )
        remove = QPushButton(self.tr("删除"))
        remove.clicked.connect(self._remove_code)
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        layout.addLayout(side)
        return box

    def _remove_code(self) -> None:
        rows = sorted({i.row() for i in self.codes_view.selectionModel().selectedIndexes()}, reverse=True)
        for row in rows:
            self.codes_model.removeRow(row)

    def _build_fee(self, data: StationData) -> QGroupBox:
        box = QGroupBox(self.tr("费用与收款单位"))
        form = QFormLayout(box)
        self.fee_spin = QDoubleSpinBox()
        self.fee_spin.setRange(0, 10000)
        self.fee_spin.setDecimals(2)
        self.fee_spin.setSuffix(self.tr(" 元/人"))
        self.fee_spin.setValue(float(data.fee_per_student))
        self.payee_name = QLineEdit(data.payee_name)
        self.payee_address = QLineEdit(data.payee_address)
        self.payee_postcode = QLineEdit(data.payee_postcode)
        self.payee_contact = QLineEdit(data.payee_contact)
        self.payee_phone = QLineEdit(data.payee_phone)
        form.addRow(self.tr("每生费用"), self.fee_spin)
        form.addRow(self.tr("收款单位"), self.payee_name)
        form.addRow(self.tr("地址"), self.payee_address)
        form.addRow(self.tr("邮编"), self.payee_postcode)
        form.addRow(self.tr("联系人"), self.payee_contact)
        form.addRow(self.tr("电话"), self.payee_phone)
        return box

    def _build_deadlines(self, data: StationData) -> QGroupBox:
        box = QGroupBox(self.tr("截止日期"))
        form = QFormLayout(box)
        self.capture_deadline = _OptionalDate(data.capture_deadline)
        self.delivery_deadline = _OptionalDate(data.delivery_deadline)
        self.proofing_deadline = _OptionalDate(data.proofing_deadline)
        form.addRow(self.tr("采集完成"), self.capture_deadline)
        form.addRow(self.tr("光盘寄送"), self.delivery_deadline)
        form.addRow(self.tr("图像校对"), self.proofing_deadline)
        return box

    def data(self) -> StationData:
        codes = []
        for row in range(self.codes_model.rowCount()):
            code, label, modes = (
                self.codes_model.item(row, c).text() if self.codes_model.item(row, c) else ""
                for c in range(3)
            )
            codes.append({"code": code, "label": label, "modes": parse_modes(modes)})
        return StationData(
            name=self.name_edit.text(),
            school_name=self.school_name_edit.text().strip(),
            school_code=code_of(self.school_code_edit.text()),
            default_school_type=combo_value(self.school_type_combo).strip(),
            dept_codes=codes,
            fee_per_student=Decimal(str(round(self.fee_spin.value(), 2))),
            payee_name=self.payee_name.text().strip(),
            payee_address=self.payee_address.text().strip(),
            payee_postcode=self.payee_postcode.text().strip(),
            payee_contact=self.payee_contact.text().strip(),
            payee_phone=self.payee_phone.text().strip(),
            default_preset=self.preset_combo.currentData(),
            capture_deadline=self.capture_deadline.value(),
            delivery_deadline=self.delivery_deadline.value(),
            proofing_deadline=self.proofing_deadline.value(),
            identity_check=self.identity_check.isChecked(),
        )

    def _on_accept(self) -> None:
        try:
            self._submit(self.data())
        except ValueError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.accept()
