"""Logging configured once for the whole app; a filter masks any 身份证号 that slips into a message."""

from __future__ import annotations

import datetime as dt
import logging
import os

from app.services.common.masking import mask_id_numbers

__all__ = ["mask_id_numbers"]  # the one masker; it lives with the services, which use it too


class IdMaskingFilter(logging.Filter):
    """Personal data never reaches a log handler, whatever a caller formats into a message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: int = logging.WARNING) -> None:
    root = logging.getLogger()
    if getattr(root, "_gradphoto_configured", False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(IdMaskingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("app").setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    root._gradphoto_configured = True  # type: ignore[attr-defined]


def write_error_log(text: str) -> str | None:
    """Append an unexpected error's details (its traceback) to logs/errors.log in the data folder, every
    身份证号 masked, readable by the user only; returns the file's path, or None if it cannot be written."""
    try:
        # deferred: the data folder may load Qt (QStandardPaths); only an error pays for it
        from app.paths import data_dir

        folder = data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "errors.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n{mask_id_numbers(text)}\n")
        return str(path)
    except Exception:
        return None
