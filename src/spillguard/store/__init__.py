"""The audit database: every audit of a site, what it met at each URL, and the exposures.

SQLAlchemy 2 with Alembic migrations (run on open). SQLite by default, PostgreSQL with
``SPILLGUARD_DATABASE_URL=postgresql+psycopg://...``. Only masked samples and keyed-hash
fingerprints are stored, never a raw value.
"""

from __future__ import annotations

from spillguard.store.api import (
    EXPOSING,
    AuditDiff,
    AuditInfo,
    AuditStore,
    Exposure,
    ExposureChange,
    StoredResult,
    Validators,
    normalise_site,
)
from spillguard.store.batch import AuditWriter
from spillguard.store.db import StoreError, default_db_url, make_engine, resolve_url, upgrade


def open_store(url: str | None = None) -> AuditStore:
    """Open (and migrate to the newest schema) the audit database at `url`.

    `url` is a SQLAlchemy URL or a plain file path (a SQLite file); None: `default_db_url()`.
    """
    resolved = resolve_url(url) if url else default_db_url()
    engine = make_engine(resolved)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return AuditStore(engine, resolved)


__all__ = [
    "EXPOSING",
    "AuditDiff",
    "AuditInfo",
    "AuditStore",
    "AuditWriter",
    "Exposure",
    "ExposureChange",
    "StoreError",
    "StoredResult",
    "Validators",
    "default_db_url",
    "normalise_site",
    "open_store",
    "resolve_url",
]
