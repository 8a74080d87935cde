"""The one print preview: every tab's previews go through here.

The preview dialog paints on its printer whenever it repaints, long after the function that opened it has
returned; the printer must live exactly as long as the dialog. A QPrinter kept only in a local variable was
freed when the function returned, and the next repaint of the (non-modal) preview crashed the program. Here
the dialog holds its printer and whatever it paints from, and is deleted when closed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from app.printing.table_form import page_layout
from app.ui.dialog_parts import fit_to_screen


def open_preview(
    parent: QWidget,
    title: str,
    landscape: bool,
    paint: Callable[[QPrinter], object],
    keep: object = None,
    modal: bool = False,
) -> QPrintPreviewDialog:
    """A print preview of `paint(printer)`; `keep` is anything the painting needs kept alive (a document)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(landscape))
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog._printer = printer  # owned for the dialog's whole life: its repaints use it
    dialog._keep = keep
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(QCoreApplication.translate("Preview", "打印预览 - %1").replace("%1", title))
    dialog.paintRequested.connect(paint)
    fit_to_screen(dialog, QSize(1100, 800))  # a page as tall as the screen allows, never taller
    if modal:
        dialog.exec()
    else:
        dialog.open()
    return dialog
