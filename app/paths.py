"""Where GradPhoto keeps its data: the user's data folder (QStandardPaths), or GRADPHOTO_DATA_DIR."""
from __future__ import annotations

import os
from pathlib import Path

from app import APP_NAME

ORGANISATION = "GradPhoto"


def data_dir() -> Path:
    override = os.environ.get("GRADPHOTO_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from PySide6.QtCore import QCoreApplication, QStandardPaths

        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APP_NAME)
        path = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    from app.db import sqlite_url

    return sqlite_url(data_dir() / "gradphoto.db")


def configure_user_presets() -> None:
    """A user's own presets live in the data folder, beside the database."""
    from app.services.photo.presets import set_user_presets_dir

    set_user_presets_dir(data_dir() / "presets")
