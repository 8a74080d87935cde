"""Render the README's "clerk's day" screenshots: the real widgets, offscreen, on a throw-away store.

    QT_QPA_PLATFORM=offscreen LANG=zh_CN.UTF-8 python docs/render_clerk_day.py --out docs/screenshots

Copy (three rows selected, the context menu open), export (a filtered view and the workbook it wrote, as
LibreOffice prints it), the rejected rows of a messy roster, the saved rejected rows, their re-import after
the fix, and an empty search. The roster is the made-up demo roster. Needs LibreOffice Calc and pdftoppm for
the two workbook pictures (skipped without them).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from openpyxl import load_workbook
    from PySide6.QtCore import QItemSelectionModel, QPoint, QSettings, QThreadPool
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from app.config import Settings
    from app.db import Database, sqlite_url
    from app.services.roster.demo import make_students, write_roster_xlsx
    from app.services.roster.stations import StationData
    from app.ui.main_window import MainWindow
    from app.ui.roster.model import COLUMN_INDEX

    app = QApplication.instance() or QApplication([])

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QThreadPool.globalInstance().waitForDone(50)
            app.processEvents()

    def with_menu(widget, tools, at: QPoint, name: str) -> None:
        """The window with the table's context menu painted where a right click at `at` opens it."""
        shot = widget.grab()
        menu = tools.build_menu()
        menu.popup(tools.view.viewport().mapToGlobal(at))
        settle(0.2)
        picture = menu.grab()
        menu.close()
        corner = tools.view.viewport().mapTo(widget, at)
        painter = QPainter(shot)
        painter.drawPixmap(corner, picture)
        painter.end()
        shot.save(str(args.out / name))
        print(args.out / name)

    def save(widget, name: str) -> None:
        widget.grab().save(str(args.out / name))
        print(args.out / name)

    def workbook_png(xlsx: Path, name: str, folder: Path, dpi: int = 80, band: int = 0) -> None:
        """The first printed page of a workbook as LibreOffice prints it (`band`: only its top, in pixels)."""
        soffice = shutil.which("soffice")
        if not soffice or not shutil.which("pdftoppm"):
            print(f"skipped {name}: LibreOffice or pdftoppm missing")
            return
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(xlsx)],
            check=True,
            capture_output=True,
        )
        pdf = folder / (xlsx.stem + ".pdf")
        out = args.out / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
            + (["-x", "0", "-y", "0", "-W", str(int(11.7 * dpi)), "-H", str(band)] if band else [])
            + [str(pdf), str(out.with_suffix(""))],
            check=True,
        )
        print(out)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(sqlite_url(folder / "demo.db"))
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(db, settings)
        window.scanner.enabled = False
        window.resize(1280, 760)
        window.show()
        station = window.stations.create(
            StationData(name="洛阳函授站", school_name="郑州大学", school_code="10459")
        )
        window.reload_stations(station.id)
        roster = make_students(120, seed=5)
        window.importer.import_file(write_roster_xlsx(folder / "r.xlsx", roster[:100]), station.id)
        window.events.rosterChanged.emit()
        settle()
        tab = window.roster_tab

        # 1. Copy: three rows selected, the menu open on them.
        selection = tab.table.selectionModel()
        selection.clearSelection()
        for row in (2, 3, 4):
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            selection.select(tab.model.index(row, 0), flags)
        tab.table_tools.copy_selection()
        settle()
        rect = tab.table.visualRect(tab.model.index(4, COLUMN_INDEX["name"]))
        with_menu(window, tab.table_tools, rect.center(), "clerk_copy.png")

        # 2. Export: one class, those without a photo, 照片 and 层次 hidden; the workbook it writes.
        tab.class_combo.setCurrentIndex(2)
        tab.photo_combo.setCurrentIndex(tab.photo_combo.findData("none"))
        tab.table_tools.set_column_visible(COLUMN_INDEX["photo"], False)
        tab.table_tools.set_column_visible(COLUMN_INDEX["level"], False)
        tab.table.clearSelection()
        settle()
        rect = tab.table.visualRect(tab.model.index(6, COLUMN_INDEX["major"]))
        with_menu(window, tab.table_tools, rect.center(), "clerk_export.png")
        exported = folder / "未拍照片的学生.xlsx"
        tab.table_tools.export_view(exported)
        settle(1.5)
        workbook_png(exported, "clerk_export_xlsx.png", folder)
        tab.clear_filters()
        tab.table_tools.reset_columns()

        # 3. A messy roster: title rows, IDs a spreadsheet broke, a duplicate, a missing sex.
        messy = [dict(r) for r in roster[100:120]]
        messy[2]["身份证号码"] = messy[2]["身份证号码"][:-1] + ("0" if messy[2]["身份证号码"][-1] != "0" else "1")
        messy[5]["身份证号码"] = "4101051990"
        messy[9]["身份证号码"] = messy[1]["身份证号码"]
        messy[13]["性别"] = ""
        good = {r["学号"]: r for r in roster[100:120]}
        tab.start_import(str(write_roster_xlsx(folder / "洛阳花名册-补报.xlsx", messy)))
        settle(1.0)
        dialog = tab.current_dialog
        dialog.check_button.click()
        settle(1.0)
        dialog.import_button.click()
        settle(1.5)
        dialog.save_rejected(str(folder / "洛阳花名册-补报-被拒绝的行.xlsx"))
        settle(1.0)
        save(dialog, "clerk_rejected.png")
        dialog.close()
        rejected = folder / "洛阳花名册-补报-被拒绝的行.xlsx"
        workbook_png(rejected, "clerk_rejected_xlsx.png", folder, dpi=220, band=330)

        # 4. Fixed in the workbook, imported again: only those rows.
        wb = load_workbook(rejected)
        ws = wb.active
        header = [c.value for c in ws[1]]
        for r in range(2, ws.max_row + 1):
            source = good[ws.cell(r, header.index("学号") + 1).value]
            ws.cell(r, header.index("身份证号码") + 1).value = source["身份证号码"]
            ws.cell(r, header.index("性别") + 1).value = source["性别"]
        wb.save(rejected)
        tab.current_dialog = None
        tab.start_import(str(rejected))
        settle(1.0)
        again = tab.current_dialog
        again.check_button.click()
        settle(1.0)
        save(again, "clerk_reimport.png")
        again.close()

        # 5. A search that finds nobody says so, with the way back.
        tab.search_edit.setText("欧阳")
        settle(0.5)
        save(window, "clerk_empty.png")
        window.close()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
