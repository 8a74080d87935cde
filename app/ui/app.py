"""Start the GUI: application object, translations, the store, the main window."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME
from app.config import Settings
from app.db import Database, sqlite_url
from app.logging_setup import mask_id_numbers, write_error_log
from app.paths import ORGANISATION, default_db_url
from app.printing.fonts import bundled_families, register_glyph_check
from app.services.common.errors import user_message
from app.services.proofing.service import ProofingService
from app.services.roster.demo import make_students, write_roster_xlsx
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService
from app.ui.admin.backup_dialog import startup_integrity_prompt
from app.ui.admin.preferences_dialog import apply_theme
from app.ui.i18n import install_translators, resolve_language
from app.ui.icons import icon
from app.ui.main_window import MainWindow, keep_alive
from app.ui.screenshots import take_screenshots

log = logging.getLogger(__name__)


def _qt_message(mode, context, message) -> None:
    logging.getLogger("qt").debug("%s", message)


def _install_excepthook() -> None:
    def hook(exc_type, exc, tb) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("未处理的错误：%s", text)
        write_error_log(text)
        app = QApplication.instance()
        if app is not None and threading.current_thread() is threading.main_thread():  # never a dialog off it
            known = user_message(exc) if exc is not None else None
            if known is not None:  # a full disk, a store held by another program: what to do about it
                QMessageBox.warning(
                    None, QCoreApplication.translate("App", "操作未能完成"), mask_id_numbers(known)
                )
                return
            QMessageBox.critical(
                None,
                QCoreApplication.translate("App", "程序错误"),
                QCoreApplication.translate("App", "发生了意外错误，已保存的数据不受影响。")
                + f"\n\n{exc_type.__name__}: {mask_id_numbers(str(exc))[:500]}",
            )

    sys.excepthook = hook


def create_demo_database() -> tuple[Database, int, Path]:
    """A throw-away store in a temp folder with a realistic demo roster: (db, station id, folder)."""

    folder = Path(tempfile.mkdtemp(prefix="gradphoto-demo-"))
    db = Database(sqlite_url(folder / "demo.db"))
    stations = StationService(db.sessions, "演示")
    station = stations.create(
        StationData(name="郑州大学继续教育学院洛阳函授站", school_name="郑州大学", school_code="10459")
    )
    stations.create(
        StationData(name="郑州大学继续教育学院南阳学习中心", school_name="郑州大学", school_code="10459")
    )
    workbook = write_roster_xlsx(folder / "演示花名册.xlsx", make_students(600), station.name)
    RosterImporter(db.sessions, "演示", backup=False).import_file(workbook, station.id)  # throw-away store
    _demo_proofing(db, station.id)
    return db, station.id, folder


def _demo_proofing(db: Database, station_id: int) -> None:
    """Some students have proofed, a few found errors: the proofing tab has something to show."""

    proofing = ProofingService(db.sessions, "演示")
    rows = proofing.rows(station_id)
    rng = random.Random(3)
    by_state: dict[str, list[int]] = {}
    for row in rows[:360]:
        state = rng.choices(
            ["correct", "unchecked", "wrong", "no_photo_pending", "no_record"], [70, 18, 6, 4, 2]
        )[0]
        by_state.setdefault(state, []).append(row.id)
    errors = [
        [{"kind": "not_self"}],
        [{"kind": "record", "field": "民族", "correct": "回族"}],
        [{"kind": "blurred"}],
    ]
    for state, ids in by_state.items():
        if state == "wrong":
            for i, sid in enumerate(ids):
                proofing.set_state([sid], state, errors[i % len(errors)])
        else:
            proofing.set_state(ids, state)
    proofing.set_deadline(station_id, dt.date.today() - dt.timedelta(days=3))


def run_gui(args: argparse.Namespace) -> int:
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)

    app.setWindowIcon(icon("gradphoto"))
    bundled_families()  # the forms' fonts in resources/fonts, registered on the GUI thread
    register_glyph_check()  # the pre-flight can now name characters no font prints
    settings = Settings()
    language = resolve_language(settings.get("language"))
    install_translators(app, language)
    _install_excepthook()

    try:
        if args.demo:
            # The demo keeps its own preferences too, so it never disturbs the user's real ones.
            db, demo_station, folder = create_demo_database()
            settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
            settings.set("last_station_id", demo_station)
            settings.set("language", language)
        else:
            url = args.db or default_db_url()

            if not startup_integrity_prompt(
                None, url
            ):  # a broken store is restored from a backup, or we stop
                return 1
            db = Database(url)
    except Exception as exc:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("App", "无法打开数据库"),
            QCoreApplication.translate("App", "无法打开或升级数据库：%1").replace("%1", str(exc)),
        )
        return 1
    created_station = None
    if args.station:
        station, created = StationService(db.sessions, settings.operator()).ensure(args.station)
        settings.set("last_station_id", station.id)
        if created:
            created_station = station.name
            print(f"已新建学习中心“{station.name}”（使用默认设置，可在“学习中心”菜单中修改）")
    window = MainWindow(db, settings)
    keep_alive(window)
    window.show_startup_message(created_station, db.backup_path)

    apply_theme(app, settings.get("theme"))
    window.show()
    if not args.demo and not getattr(args, "screenshots", None):
        if not window.stations.list() and not settings.get("first_run_done"):
            window.first_run()
        else:
            window.remind_overdue()
    if getattr(args, "screenshots", None):
        for path in take_screenshots(
            window, Path(args.screenshots), Path(args.photos) if args.photos else None
        ):
            print(f"已保存 {path}")
        return 0
    return app.exec()
