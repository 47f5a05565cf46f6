"""Where the audit database is, how to connect to it, and migrating it to the current schema."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from spillguard.errors import SpillguardError

ENV_VAR = "SPILLGUARD_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


class StoreError(SpillguardError):
    """The audit database could not be opened, migrated or used."""


def default_db_url() -> str:
    """$SPILLGUARD_DATABASE_URL, else a SQLite file under $XDG_DATA_HOME/spillguard/."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return resolve_url(env)
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".local" / "share"
    folder = root / "spillguard"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {folder} for the audit database: {exc.strerror}") from None
    return URL.create("sqlite", database=str(folder / "audits.db")).render_as_string()


def resolve_url(value: str) -> str:
    """A SQLAlchemy URL as given, or a plain file path turned into a SQLite URL."""
    if _URL_RE.match(value):
        try:
            url = make_url(value)
        except ArgumentError:
            raise StoreError(f"not a database URL: {mask_url(value)}") from None
        return url.render_as_string(hide_password=False)
    path = Path(value).expanduser().resolve()
    if path.is_dir():
        raise StoreError(f"--db is a directory, not a database file: {path}")
    if not path.parent.is_dir():
        raise StoreError(f"the folder of the audit database does not exist: {path.parent}")
    return URL.create("sqlite", database=str(path)).render_as_string()


def mask_url(value: str) -> str:
    """The URL with any password replaced by ``***``, for messages and `AuditStore.url`."""
    try:
        return make_url(value).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", value)


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
            kwargs["connect_args"] = {"check_same_thread": False}
        else:
            kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use the database {mask_url(url)}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def alembic_config(engine: Engine | None = None) -> Any:
    """An Alembic config pointing at the migrations inside the package (no alembic.ini)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision` (the newest by default)."""
    from alembic import command

    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot open the audit database {mask_url(str(engine.url))}: {_reason(exc)}"
        ) from None


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` (``base``: no tables)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated)."""
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _reason(exc: SQLAlchemyError) -> str:
    """A short reason without SQL or parameters (they could quote stored text)."""
    orig = getattr(exc, "orig", None)
    if orig is not None:
        first = str(orig).strip().splitlines()
        return f"{type(orig).__name__}: {first[0]}" if first else type(orig).__name__
    return type(exc).__name__
