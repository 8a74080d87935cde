"""打印拍摄签到卡…: ask for a folder, write the station's sign-in cards (a PDF per class) in the background,
then say which files were written. A function for a menu or a button: export_signin_cards(parent, db, station_id).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.printing.signin_cards_pdf import export_signin_cards as write_signin_cards
from app.ui.ops import BackgroundOp

_LISTED = 12  # file names listed in the result message; the rest are counted


def result_message(files: list[Path], folder: Path) -> str:
    """已生成 n 份签到卡 PDF → folder, then the file names (a long list cut short)."""
    text = (
        QCoreApplication.translate("SigninCards", "已生成 %1 份签到卡 PDF（每班一份）→ %2")
        .replace("%1", str(len(files)))
        .replace("%2", str(folder))
    )
    names = [f"  {f.name}" for f in files[:_LISTED]]
    if len(files) > _LISTED:
        names.append(
            QCoreApplication.translate("SigninCards", "  …… 另有 %1 份").replace(
                "%1", str(len(files) - _LISTED)
            )
        )
    hint = QCoreApplication.translate(
        "SigninCards", "请用 A4 纸按实际大小（100%）打印，不要“适合页面”缩放，沿虚线剪开。"
    )
    return "\n".join([text, *names, "", hint])


def export_signin_cards(
    parent: QWidget | None,
    db,
    station_id: int | None,
    folder: Path | str | None = None,
    operator: str = "",
) -> BackgroundOp | None:
    """Ask for a folder (unless `folder` is given), then write the cards in the one background runner.
    Returns the running op, or None when there was nothing to do (no station, the dialog cancelled)."""
    if station_id is None:
        QMessageBox.information(
            parent,
            QCoreApplication.translate("SigninCards", "拍摄签到卡"),
            QCoreApplication.translate("SigninCards", "请先选择学习中心"),
        )
        return None
    if folder is None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("SigninCards", "选择签到卡的保存文件夹"), start
        )
        if not folder:
            return None
    out = Path(folder)
    sessions = db.sessions

    def work(ctx):
        return write_signin_cards(sessions, station_id, out, operator, ctx)

    return (
        BackgroundOp(parent, work, QCoreApplication.translate("SigninCards", "正在生成签到卡…"))
        .success(
            lambda files: QMessageBox.information(
                parent,
                QCoreApplication.translate("SigninCards", "签到卡已生成"),
                result_message(files, out),
            )
        )
        .failure(
            lambda exc: QMessageBox.warning(
                parent, QCoreApplication.translate("SigninCards", "无法生成签到卡"), str(exc)
            )
        )
        .run()
    )
