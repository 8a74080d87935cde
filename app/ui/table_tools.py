"""What every table does the way a spreadsheet does: copy rows, export the view, keep its columns, say why
it is empty.

`TableTools(view, name)` is attached once to any QTableView:

- Ctrl+C (and the context menu) copies the selected rows — the visible columns in their shown order, with the
  header line — as tab-separated text that pastes into Excel and WPS as rows and columns (an HTML flavour
  beside it makes both keep every cell as text). 身份证号 are masked unless the table shows them in full.
- The context menu exports the current view (its filter, its sort, its visible columns) to an .xlsx
  (app.services.common.table_export, text-typed cells, in the background runner).
- Column widths, order, hidden columns and the sort are kept per table in the settings (tables/<name>).
- `set_empty_state(fn)` shows, over an empty table, why it is empty and a button for what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from app.services.common.table_export import cell_text, html_table, masked_rows, save_table, tsv
from app.ui.ops import BackgroundOp

# (why, what to do, the slot doing it): what an empty table says; a None action shows only the reason.
EmptyState = tuple[str, str | None, Callable[[], object] | None]


def find_settings(widget: QWidget | None) -> Settings | None:
    """The Settings of the nearest ancestor holding one (a tab or the main window), if any."""
    while widget is not None:
        found = getattr(widget, "settings", None)
        if isinstance(found, Settings):
            return found
        widget = widget.parentWidget()
    return None


class EmptyOverlay(QWidget):
    """Centred over an empty table's viewport: the reason, and a link-like button doing the next step."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_empty")
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("empty_text")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #666; font-size: 11pt;")
        self.button = QPushButton()
        self.button.setObjectName("empty_action")
        self.button.setFlat(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setStyleSheet("color: #1565c0; text-decoration: underline; font-size: 11pt;")
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self._slot: Callable[[], object] | None = None
        self.button.clicked.connect(self._clicked)
        self.hide()

    def _clicked(self) -> None:
        if self._slot is not None:
            self._slot()

    def show_state(self, state: EmptyState) -> None:
        why, action, slot = state
        self.label.setText(why)
        self._slot = slot
        self.button.setText(action or "")
        self.button.setVisible(bool(action and slot))
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def text(self) -> str:
        """What the overlay says, as one line ('没有符合条件的学生 — 清除筛选')."""
        if self._slot is not None and self.button.text():
            return f"{self.label.text()} — {self.button.text()}"
        return self.label.text()


class TableTools(QObject):
    exported = Signal(object)  # the Path written

    def __init__(
        self,
        view: QTableView,
        name: str,
        title: str = "",
        settings: Settings | None = None,
        reveal: Callable[[], bool] | None = None,
        on_export: Callable[[str, Path | None, int, bool], None] | None = None,
    ) -> None:
        """`name` keys the saved columns, `title` names the exported sheet and file; `reveal` says whether the
        table shows 身份证号 in full (copied and exported as shown then); `on_export(kind, path, rows,
        full_ids)` is told of every copy ('copy') and export ('xlsx'), to record full numbers in the audit."""
        super().__init__(view)
        self.view, self.name, self.title = view, name, title or name
        self._settings, self.reveal, self.on_export = settings, reveal, on_export
        self._restored = False
        self._empty_state: Callable[[], EmptyState | None] | None = None
        self.overlay = EmptyOverlay(view.viewport(), name)
        self.extra_actions: list[QAction] = []
        self._enabled: dict[QAction, Callable[[], bool]] = {}
        self.last_path: Path | None = None
        self.op: BackgroundOp | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self._columns_menu().exec(header.mapToGlobal(pos))
        )
        header.setSectionsMovable(True)
        for signal in (header.sectionResized, header.sectionMoved, header.sortIndicatorChanged):
            signal.connect(lambda *_: self.save_state())
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.refresh_empty)

    # -- settings ------------------------------------------------------------------------------------
    def settings(self) -> Settings | None:
        return self._settings or find_settings(self.view)

    def _key(self) -> str:
        # The column count is part of the key: a state saved for other columns is never applied to these.
        return f"{self.name}/{self.view.model().columnCount()}"

    def restore_state(self) -> bool:
        """Apply the saved widths, order, hidden columns and sort (once the table is shown)."""
        self._restored = True
        settings = self.settings()
        state = settings.table_state(self._key()) if settings else b""
        header = self.view.horizontalHeader()
        # A sortable view re-sorts its model itself when the restored sort indicator arrives.
        return bool(state) and header.restoreState(QByteArray(state))

    def save_state(self) -> None:
        if not self._restored:
            return  # the table's own set-up, before the saved state was applied, is not the user's choice
        settings = self.settings()
        if settings is not None:
            settings.set_table_state(self._key(), bytes(self.view.horizontalHeader().saveState().data()))

    def reset_columns(self) -> None:
        """Every column shown again in its own place."""
        header = self.view.horizontalHeader()
        for logical in range(header.count()):
            header.setSectionHidden(logical, False)
            header.moveSection(header.visualIndex(logical), logical)
        self.save_state()

    # -- what is shown ------------------------------------------------------------------------------------
    def visible_columns(self) -> list[int]:
        header = self.view.horizontalHeader()
        logical = (header.logicalIndex(v) for v in range(header.count()))
        return [c for c in logical if not header.isSectionHidden(c)]

    def headers(self) -> list[str]:
        model = self.view.model()
        return [
            cell_text(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
            for c in self.visible_columns()
        ]

    def selected_rows(self) -> list[int]:
        selection = self.view.selectionModel()
        if selection is None:
            return []
        # From the selection's ranges, not selectedIndexes(): 10,000 whole rows are one range but 120,000
        # indexes (a second on the GUI thread before anything is copied).
        rows: set[int] = set()
        for block in selection.selection():
            rows.update(range(block.top(), block.bottom() + 1))
        return sorted(rows)

    def rows(self, which: list[int] | None = None) -> list[list[object]]:
        """The shown text of these view rows (all when None), visible columns only, as the table shows them."""
        model = self.view.model()
        columns = self.visible_columns()
        wanted = range(model.rowCount()) if which is None else which
        bulk = getattr(model, "display_rows", None)
        if bulk is not None:  # a large model's own fast path: no QModelIndex per cell
            return bulk(list(wanted), columns)
        # model.data called directly: a Python model answers without the round trip through Qt's C++ side
        # that index.data() takes.
        data, index, role = model.data, model.index, Qt.ItemDataRole.DisplayRole
        return [[data(index(r, c), role) for c in columns] for r in wanted]

    def _full_ids(self) -> bool:
        return bool(self.reveal and self.reveal())

    def _shown(self, rows: list[list[object]]) -> list[list[str]]:
        return [[cell_text(v) for v in r] for r in rows] if self._full_ids() else masked_rows(rows)

    # -- copy ---------------------------------------------------------------------------------------------
    def copy_text(self, which: list[int] | None = None) -> str:
        """The TSV Ctrl+C puts on the clipboard for these rows (the selection when None)."""
        return tsv(self.headers(), self._shown(self.rows(self.selected_rows() if which is None else which)))

    def copy_selection(self, all_rows: bool = False) -> int:
        which = None if all_rows else self.selected_rows()
        if which is not None and not which:
            return 0
        rows = self._shown(self.rows(which))
        data = QMimeData()
        data.setText(tsv(self.headers(), rows))
        data.setHtml(html_table(self.headers(), rows))
        QGuiApplication.clipboard().setMimeData(data)
        if self.on_export:
            self.on_export("copy", None, len(rows), self._full_ids())
        status = getattr(self.view.window(), "statusBar", None)
        if callable(status):
            status().showMessage(
                self.tr("已复制 %1 行（含表头），可直接粘贴到 Excel 或 WPS").replace("%1", str(len(rows))),
                5000,
            )
        return len(rows)

    # -- export -------------------------------------------------------------------------------------------
    def export_view(self, path: str | Path | None = None) -> None:
        """Write the current view to an .xlsx (asks where when no path is given), in the background."""
        if path is None:
            settings = self.settings()
            start = settings.get("last_export_dir") if settings else ""
            suggested = str(Path(start or Path.home()) / f"{self.title}.xlsx")
            chosen, _ = QFileDialog.getSaveFileName(
                self.view, self.tr("导出当前表格"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
            )
            if not chosen:
                return
            path = chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx"
            if settings:
                settings.set("last_export_dir", str(Path(path).parent))
        target = Path(path)
        headers, rows, full = self.headers(), self._shown(self.rows()), self._full_ids()
        title = self.title
        self.op = BackgroundOp(
            self.view,
            lambda _ctx: save_table(target, headers, rows, title),
            self.tr("正在导出表格……"),
            cancellable=False,
        )
        self.op.success(lambda n: self._exported(target, n, full)).failure(self._export_failed).run()

    def _exported(self, path: Path, count: int, full: bool) -> None:
        self.op = None
        self.last_path = path
        if self.on_export:
            self.on_export("xlsx", path, count, full)
        status = getattr(self.view.window(), "statusBar", None)
        if callable(status):
            status().showMessage(
                self.tr("已导出 %1 行到 %2").replace("%1", str(count)).replace("%2", str(path)), 8000
            )
        self.exported.emit(path)

    def _export_failed(self, exc: BaseException) -> None:
        self.op = None
        QMessageBox.warning(
            self.view, self.tr("导出失败"), self.tr("表格未能导出：%1").replace("%1", str(exc))
        )

    # -- menus -------------------------------------------------------------------------------------------
    def add_action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | None = None,
        enabled: Callable[[], bool] | None = None,
    ) -> QAction:
        """An action of this table's own (e.g. paste rows), listed in its context menu; `enabled()`, asked each
        time the menu opens, says whether it applies to the rows selected then."""
        action = QAction(text, self.view)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutVisibleInContextMenu(True)
        action.triggered.connect(lambda _=False: slot())
        self.extra_actions.append(action)
        if enabled is not None:
            self._enabled[action] = enabled
        return action

    def build_menu(self) -> QMenu:
        menu = QMenu(self.view)
        copy = menu.addAction(self.tr("复制所选行（含表头）"), lambda: self.copy_selection())
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.setShortcutVisibleInContextMenu(True)
        copy.setEnabled(self.view.selectionModel() is not None and self.view.selectionModel().hasSelection())
        menu.addAction(self.tr("复制整个表格"), lambda: self.copy_selection(all_rows=True)).setEnabled(
            self.view.model().rowCount() > 0
        )
        menu.addAction(self.tr("导出当前视图到 Excel…"), lambda: self.export_view()).setEnabled(
            self.view.model().rowCount() > 0
        )
        if self.extra_actions:
            menu.addSeparator()
            for action in self.extra_actions:
                if action in self._enabled:
                    action.setEnabled(self._enabled[action]())
                menu.addAction(action)
        menu.addSeparator()
        menu.addMenu(self._columns_menu(menu))
        return menu

    def _columns_menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu(self.tr("显示的列"), parent or self.view)
        header, model = self.view.horizontalHeader(), self.view.model()
        shown = self.visible_columns()
        for logical in range(header.count()):
            text = cell_text(
                model.headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            )
            action = menu.addAction(text or self.tr("（第 %1 列）").replace("%1", str(logical + 1)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            action.setEnabled(not (len(shown) == 1 and logical in shown))  # never hide the last one
            action.toggled.connect(lambda on, c=logical: self.set_column_visible(c, on))
        menu.addSeparator()
        menu.addAction(self.tr("恢复默认列"), self.reset_columns)
        return menu

    def set_column_visible(self, column: int, visible: bool) -> None:
        self.view.horizontalHeader().setSectionHidden(column, not visible)
        self.save_state()

    def _context_menu(self, pos) -> None:
        self.build_menu().exec(self.view.viewport().mapToGlobal(pos))

    # -- empty state ---------------------------------------------------------------------------------------
    def set_empty_state(self, state: Callable[[], EmptyState | None]) -> None:
        """`state()` says, when the table has no rows, why and what to do; None: say nothing."""
        self._empty_state = state
        self.refresh_empty()

    def refresh_empty(self) -> None:
        state = self._empty_state() if self._empty_state and self.view.model().rowCount() == 0 else None
        if state is None:
            self.overlay.hide()
        else:
            self.overlay.show_state(state)

    def empty_text(self) -> str:
        """What the table says while empty ('' when it has rows or nothing to say)."""
        return self.overlay.text() if not self.overlay.isHidden() else ""

    # -- events ------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.view:
            if kind == QEvent.Type.Show and not self._restored:
                self.restore_state()
            elif kind == QEvent.Type.ShortcutOverride and self._owns(event):
                event.accept()  # the key comes here as a key press, not to a window-wide shortcut
                return True
            elif kind == QEvent.Type.KeyPress and self._owns(event):
                if event.matches(QKeySequence.StandardKey.Copy):
                    self.copy_selection()
                else:
                    next(a for a in self.extra_actions if self._shortcut_of(a, event)).trigger()
                return True
        elif kind == QEvent.Type.Resize and self.overlay.isVisible():
            self.overlay.setGeometry(self.view.viewport().rect())
        return False

    @staticmethod
    def _shortcut_of(action: QAction, event) -> bool:
        combo = event.keyCombination().toCombined()
        return not action.shortcut().isEmpty() and action.shortcut()[0].toCombined() == combo

    def _owns(self, event) -> bool:
        return event.matches(QKeySequence.StandardKey.Copy) or any(
            self._shortcut_of(a, event) for a in self.extra_actions
        )


def attach(view: QTableView, name: str, title: str = "", multi: bool = True, **kwargs) -> TableTools:
    """TableTools on `view`, with rows selectable as a block (Shift/Ctrl click) for copying unless `multi` is
    False (a list acting on one row at a time, such as the backups)."""
    if multi and view.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection:
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    tools = TableTools(view, name, title, **kwargs)
    view.setProperty("table_tools", True)
    return tools
