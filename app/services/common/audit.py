"""The audit trail: every change recorded with who, when, what, old → new."""

from __future__ import annotations

import datetime as dt
import getpass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent


def default_operator() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # getuser raises on some sandboxed Windows accounts
        return "unknown"


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def record(
    session: Session,
    operator: str,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an AuditEvent to the session; it commits with the change it describes."""
    event = AuditEvent(
        operator=operator or default_operator(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        old=jsonable(old) if old is not None else None,
        new=jsonable(new) if new is not None else None,
    )
    session.add(event)
    return event


def events_for(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(stmt))
