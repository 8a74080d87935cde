"""Every user preference declared once (key, type, default), stored per user in QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app import APP_NAME
from app.paths import ORGANISATION
from app.services.common.audit import default_operator


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any


OPTIONS = {
    o.key: o
    for o in (
        Option("operator", str, ""),
        Option("language", str, ""),  # zh_CN or en; "" follows the system locale (see app.ui.i18n)
        Option("last_station_id", int, 0),
        Option("last_import_dir", str, ""),
        Option("last_export_dir", str, ""),
        Option("hot_folder", str, ""),
        Option("default_preset", str, "legacy-192x144"),
        Option("theme", str, "system"),
        Option("remind_overdue", bool, True),
        Option("first_run_done", bool, False),
        Option("window/geometry", bytes, b""),
        Option("window/state", bytes, b""),
    )
}


class Settings:
    """Typed access to QSettings; tests pass their own QSettings file."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qs = qsettings or QSettings(ORGANISATION, APP_NAME)

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self._qs.value(key, option.default)
        if value is None:
            return option.default
        if option.type is bytes:
            return bytes(value) if value else b""
        if option.type is bool and isinstance(value, str):  # INI files hand booleans back as text
            return value.lower() in ("true", "1", "yes")
        try:
            return option.type(value)
        except (TypeError, ValueError):
            return option.default

    def set(self, key: str, value: Any) -> None:
        if key not in OPTIONS:
            raise KeyError(key)
        self._qs.setValue(key, value)

    # Each table's header (column widths, order, hidden columns, sort) as QHeaderView.saveState() gives it,
    # under tables/<name>: one key per table, so a table added later needs no declaration here.
    def table_state(self, name: str) -> bytes:
        value = self._qs.value(f"tables/{name}")
        # Only bytes are a header state: bytes(n) of a stored number would allocate n zero bytes.
        return bytes(value) if isinstance(value, (bytes, bytearray, QByteArray)) else b""

    def set_table_state(self, name: str, state: bytes) -> None:
        self._qs.setValue(f"tables/{name}", state)

    def operator(self) -> str:
        return self.get("operator") or default_operator()
