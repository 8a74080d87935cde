"""Where GradPhoto keeps its data: the user's data folder (QStandardPaths), or GRADPHOTO_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

from app import APP_NAME
from app.db import sqlite_url
from app.services.capture.photo_store import PhotoStore
from app.services.photo.presets import set_user_presets_dir

ORGANISATION = "GradPhoto"


def data_dir() -> Path:
    override = os.environ.get("GRADPHOTO_DATA_DIR")
    if override:
        path = Path(override)
    else:
        # deferred: Qt is loaded only when no GRADPHOTO_DATA_DIR is set, so the CLI and services stay Qt-free
        from PySide6.QtCore import QCoreApplication, QStandardPaths

        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APP_NAME)
        path = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Readable by its user only (0700 folders, 0600 files) on POSIX; a Windows profile already is."""
    if os.name != "posix":
        return
    try:
        path.chmod(0o700 if path.is_dir() else 0o600)
    except OSError:
        pass  # a folder on a share or stick that keeps no modes


def default_db_url() -> str:
    return sqlite_url(data_dir() / "gradphoto.db")


def configure_user_presets() -> None:
    """A user's own presets live in the data folder, beside the database."""
    set_user_presets_dir(data_dir() / "presets")


def photo_store_for(db) -> PhotoStore:
    """The photo folder beside a SQLite database, or in the data folder for a server database."""
    path = db.sqlite_path
    if path is not None:
        return PhotoStore(path.parent / "photos")
    return PhotoStore(data_dir() / "photos")
