"""Reasons an operator may give for accepting a photo whose soft checks failed (resources/qc, data)."""

from __future__ import annotations

import json
from functools import cache

from app.services.photo.presets import resources_dir

OTHER = "其他（请在备注中说明）"
MAX_LENGTH = 300  # what a station bundle carries (exchange.bundle checks the same limit)


@cache
def override_reasons() -> tuple[str, ...]:
    """The listed reasons, in the order the file gives them; "其他" is always last."""
    path = resources_dir() / "qc" / "override_reasons.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reasons = tuple(str(r).strip() for r in data["reasons"] if str(r).strip())
    except (OSError, ValueError, KeyError, TypeError):
        reasons = ()
    return (*reasons, OTHER)


def check_reason(reason: str, note: str = "") -> str:
    """The reason as stored: one of the list (with the note for 其他); ValueError (Chinese) otherwise."""
    reason, note = (reason or "").strip(), (note or "").strip()
    if reason not in override_reasons():
        raise ValueError("请从列表中选择仍接受的理由")
    if reason == OTHER:
        if not note:
            raise ValueError("选择“其他”时请写明理由")
        return f"其他：{note}"[:MAX_LENGTH]
    return (reason + (f"（{note}）" if note else ""))[:MAX_LENGTH]
