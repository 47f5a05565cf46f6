"""Alembic migrations of the audit database, run by `spillguard.store.db.upgrade`."""
