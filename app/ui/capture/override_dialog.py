"""仍接受: accepting a photo whose soft checks failed, with a reason from the list (never a hard failure)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.capture.overrides import OTHER, override_reasons

RETAKE = 2  # the dialog's result when 重拍 was chosen (Accepted: 仍接受 with a reason; Rejected: nothing)


class OverrideDialog(QDialog):
    """Shows which soft checks failed and asks for the reason. 重拍 is the default button: Enter (pressed once
    more out of habit) marks the photo for a retake, never accepts it; 仍接受 needs a reason and a click."""

    def __init__(self, parent: QWidget | None, message: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("仍接受这张照片？"))
        self.setObjectName("override_dialog")
        layout = QVBoxLayout(self)
        text = QLabel(message)
        text.setWordWrap(True)
        layout.addWidget(text)
        hint = QLabel(
            self.tr("仍接受的照片会在花名册中显示为“仍接受”，报送预检会列出它和理由，并记入操作日志。")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        form = QFormLayout()
        self.reason = QComboBox()
        self.reason.setObjectName("override_reason")
        self.reason.addItem(self.tr("（请选择理由）"), "")
        for reason in override_reasons():
            self.reason.addItem(reason, reason)
        self.note = QLineEdit()
        self.note.setObjectName("override_note")
        self.note.setPlaceholderText(self.tr("补充说明（选“其他”时必填）"))
        form.addRow(self.tr("理由："), self.reason)
        form.addRow(self.tr("备注："), self.note)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.retake = self.buttons.addButton(self.tr("重拍"), QDialogButtonBox.ButtonRole.ActionRole)
        self.retake.setObjectName("override_retake")
        self.ok = self.buttons.addButton(self.tr("仍接受"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("override_accept")
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
            button.setDefault(False)
        self.retake.setDefault(
            True
        )  # Enter from the capture flow marks a retake, never accepts a failed photo
        self.retake.clicked.connect(lambda: self.done(RETAKE))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.currentIndexChanged.connect(self._update)
        self.note.textChanged.connect(self._update)
        self._update()

    def accept(self) -> None:  # only the 仍接受 button, enabled only with a reason, gets here
        if self.ok.isEnabled():
            super().accept()

    def _update(self) -> None:
        reason = self.reason.currentData() or ""
        self.ok.setEnabled(bool(reason) and (reason != OTHER or bool(self.note.text().strip())))

    def chosen(self) -> tuple[str, str]:
        return self.reason.currentData() or "", self.note.text().strip()
