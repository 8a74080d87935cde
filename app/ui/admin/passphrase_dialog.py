"""The passphrase of an encrypted station bundle: set (twice) when exporting, asked when importing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.exchange.crypto import MIN_PASSPHRASE


class PassphraseDialog(QDialog):
    """Export: encryption on by default, the passphrase typed twice; import: the passphrase once."""

    def __init__(self, parent: QWidget | None, exporting: bool) -> None:
        super().__init__(parent)
        self.exporting = exporting
        self.setObjectName("passphrase_dialog")
        self.setWindowTitle(self.tr("数据包口令"))
        layout = QVBoxLayout(self)
        text = (
            self.tr(
                "数据包含全部学生的姓名和完整身份证号。建议用口令加密：U 盘丢失或被他人拷走也读不出内容。"
                "口令请另行告知接收方（电话或当面），不要和数据包放在一起。"
            )
            if exporting
            else self.tr("这个数据包已用口令加密，请输入导出方告知的口令。")
        )
        hint = QLabel(text)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.encrypt = QCheckBox(self.tr("用口令加密（推荐）"))
        self.encrypt.setChecked(True)
        self.encrypt.setVisible(exporting)
        layout.addWidget(self.encrypt)
        form = QFormLayout()
        self.first = QLineEdit()
        self.first.setObjectName("passphrase")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setObjectName("passphrase_again")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("口令："), self.first)
        if exporting:
            form.addRow(self.tr("再输入一次："), self.second)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for w in (self.first, self.second):
            w.textChanged.connect(self._update)
        self.encrypt.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        on = self.encrypt.isChecked() or not self.exporting
        self.first.setEnabled(on)
        self.second.setEnabled(on)
        problem = ""
        if on and self.exporting:
            if len(self.first.text()) < MIN_PASSPHRASE:
                problem = self.tr("口令至少 %1 个字符").replace("%1", str(MIN_PASSPHRASE))
            elif self.first.text() != self.second.text():
                problem = self.tr("两次输入的口令不一致")
        elif on and not self.first.text():
            problem = " "
        self.problem.setText(problem.strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def passphrase(self) -> str | None:
        """The passphrase, or None to export without encryption."""
        if self.exporting and not self.encrypt.isChecked():
            return None
        return self.first.text()
