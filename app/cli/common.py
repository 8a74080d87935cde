"""What every subcommand shares: opening the store and naming the operator."""
from __future__ import annotations

import os

from app.db import Database


def open_database(url: str | None) -> Database:
    from app.paths import default_db_url

    return Database(url or os.environ.get("GRADPHOTO_DB") or default_db_url())


def operator_name() -> str:
    from app.services.audit import default_operator

    return os.environ.get("GRADPHOTO_OPERATOR") or default_operator()
