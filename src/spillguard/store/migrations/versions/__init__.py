"""Alembic revisions of the audit database, oldest first."""
