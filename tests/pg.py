"""PostgreSQL test helpers: one throw-away schema per test on the server named by GRADPHOTO_TEST_PG_URL."""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def fresh_schema_url(base_url: str, schema: str) -> str:
    """Create `schema` and return a URL whose connections use it as their search_path."""
    engine = create_engine(base_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def drop_schema(base_url: str, schema: str) -> None:
    engine = create_engine(base_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()
