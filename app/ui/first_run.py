"""First run: a short guide through naming the operator, creating a station, choosing a preset and a roster."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services.roster.stations import StationData, StationError
from app.ui.admin.station_dialog import preset_choices


class _StationPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("建立学习中心/函授站"))
        self.setSubTitle(
            self.tr(
                "这些信息会写进采集汇总表和采集卡；以后可在“学习中心”菜单中修改，费用与收款单位也在那里填写。"
            )
        )
        form = QFormLayout(self)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("first_station_name")
        self.name_edit.setPlaceholderText(self.tr("如：郑州大学继续教育学院洛阳函授站"))
        self.school_edit = QLineEdit()
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("10459")
        self.code_edit.setMaxLength(5)
        self.preset_combo = QComboBox()
        for key, label in preset_choices():
            self.preset_combo.addItem(label, key)
        self.preset_combo.setCurrentIndex(
            max(self.preset_combo.findData(wizard.settings.get("default_preset")), 0)
        )
        form.addRow(self.tr("名称 *"), self.name_edit)
        form.addRow(self.tr("所在院校名称"), self.school_edit)
        form.addRow(self.tr("院校代码（5 位）"), self.code_edit)
        form.addRow(self.tr("照片规格"), self.preset_combo)
        form.addRow(QLabel(self.tr("传统光盘流程选 144×192；学信网 2017 规范选 480×640。")))
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        form.addRow(self.error_label)

    def validatePage(self) -> bool:
        data = StationData(
            name=self.name_edit.text(),
            school_name=self.school_edit.text().strip(),
            school_code=self.code_edit.text().strip(),
            default_preset=self.preset_combo.currentData(),
        )
        try:
            existing = self.wizard_.stations.find(data.name) if data.name.strip() else None
            self.wizard_.station_id = existing.id if existing else self.wizard_.stations.create(data).id
        except StationError as exc:
            self.error_label.setText(str(exc))
            return False
        return True


class FirstRunWizard(QWizard):
    """Finishing it leaves a station selected and, if chosen, the roster import dialog open."""

    def __init__(self, parent: QWidget | None, settings, stations) -> None:
        super().__init__(parent)
        self.settings, self.stations = settings, stations
        self.station_id: int | None = None
        self.setWindowTitle(self.tr("欢迎使用学历图像工作台"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.addPage(self._welcome_page())
        self.station_page = _StationPage(self)
        self.addPage(self.station_page)
        self.addPage(self._roster_page())
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("跳过"))

    def _welcome_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(self.tr("欢迎"))
        page.setSubTitle(self.tr("三步即可开始：填写操作员、建立学习中心、导入花名册。"))
        layout = QFormLayout(page)
        self.operator_edit = QLineEdit(self.settings.get("operator"))
        self.operator_edit.setPlaceholderText(self.settings.operator())
        layout.addRow(self.tr("操作员姓名"), self.operator_edit)
        layout.addRow(QLabel(self.tr("每次修改都会以这个名字记入操作日志。")))
        return page

    def _roster_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(self.tr("导入花名册（可稍后再做）"))
        page.setSubTitle(
            self.tr("支持 .xlsx、.xls、.csv（UTF-8 或 GBK）；表头可以在标题行下面，导入前会逐行检查。")
        )
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.roster_edit = QLineEdit()
        self.roster_edit.setObjectName("first_roster_path")
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.roster_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("提示：“帮助”菜单里有拍摄日和图像校对的检查清单。")))
        return page

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择花名册文件"), "", self.tr("花名册 (*.xlsx *.xls *.csv);;所有文件 (*)")
        )
        if path:
            self.roster_edit.setText(path)

    def accept(self) -> None:
        if self.operator_edit.text().strip():
            self.settings.set("operator", self.operator_edit.text().strip())
        self.settings.set("first_run_done", True)
        super().accept()

    def reject(self) -> None:
        self.settings.set("first_run_done", True)
        super().reject()

    def roster_path(self) -> str:
        return self.roster_edit.text().strip()
