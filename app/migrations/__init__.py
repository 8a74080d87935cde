"""Alembic migrations of the one schema (env.py and versions/); run at start-up by app.db."""
