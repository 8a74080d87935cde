"""Delete chosen students' enrolment (admission) photos: one confirmation naming them, then the files and their
face data removed in the background (EnrolmentService.delete_for_student, audited), and the change announced."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from app.services.identity.enrolment import EnrolmentService
from app.ui.events import AppEvents
from app.ui.ops import BackgroundOp


def menu_text() -> str:
    """The action's name, the same in the roster's and the capture tab's menus."""
    return QCoreApplication.translate("EnrolmentDelete", "删除录取照片…")


def _say(parent: QWidget, text: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 10000)


def delete_enrolment(
    parent: QWidget, identity: EnrolmentService, students: list[tuple[int, str]], events: AppEvents
) -> BackgroundOp | None:
    """`students`: (id, "学号 姓名") of those having an enrolment photo. Asked once (named when one, counted when
    several; never a 身份证号), then deleted off the GUI thread with Cancel; `events.enrolmentChanged` carries
    the ids deleted, also after a Cancel or an error part-way. None when there is nothing to do or No."""
    if not students:
        return None
    if len(students) == 1:
        question = QCoreApplication.translate("EnrolmentDelete", "删除 %1 的录取照片？").replace(
            "%1", students[0][1]
        )
    else:
        question = QCoreApplication.translate("EnrolmentDelete", "删除所选 %1 名学生的录取照片？").replace(
            "%1", str(len(students))
        )
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("EnrolmentDelete", "删除录取照片"),
        question
        + "\n\n"
        + QCoreApplication.translate(
            "EnrolmentDelete", "录取照片文件及由它算出的人脸特征数据会立即删除，无法撤销。"
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    ids = [sid for sid, _label in students]
    deleted: list[int] = []  # read on the GUI thread only once the work has ended

    def work(ctx) -> int:
        """How many students were gone through before a Cancel (all of them without one)."""
        for index, sid in enumerate(ids):
            if ctx.cancelled():
                return index
            if identity.delete_for_student(sid):  # False: deleted meanwhile (another window, a merge)
                deleted.append(sid)
            ctx.progress(index + 1, len(ids))
        return len(ids)

    def done(reached: int) -> None:
        events.enrolmentChanged.emit(list(deleted))
        text = QCoreApplication.translate("EnrolmentDelete", "已删除 %1 名学生的录取照片").replace(
            "%1", str(len(deleted))
        )
        if reached < len(ids):
            text += QCoreApplication.translate("EnrolmentDelete", "（已取消，其余 %1 名未删除）").replace(
                "%1", str(len(ids) - reached)
            )
        _say(parent, text)

    def failed(exc: BaseException) -> None:
        events.enrolmentChanged.emit(list(deleted))
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("EnrolmentDelete", "删除录取照片"),
            QCoreApplication.translate("EnrolmentDelete", "已删除 %1 名，其余未删除：%2")
            .replace("%1", str(len(deleted)))
            .replace("%2", str(exc)),
        )

    return (
        BackgroundOp(parent, work, QCoreApplication.translate("EnrolmentDelete", "正在删除录取照片…"))
        .success(done)
        .failure(failed)
        .run()
    )
