"""Migrations: an empty database upgrades to the newest schema, which matches the models, and
downgrade/upgrade round-trips."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from spillguard.store import open_store
from spillguard.store.db import alembic_config, current_revision, downgrade, make_engine, upgrade
from spillguard.store.models import Base

TABLES = {"sites", "audits", "resources", "fetches", "results", "findings"}


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_an_empty_database_upgrades_to_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert _tables(engine) == set()
        assert current_revision(engine) is None
        upgrade(engine)
        assert _tables(engine) == TABLES | {"alembic_version"}
        assert current_revision(engine) == _head()
        with engine.connect() as conn:
            diffs = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diffs == []
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_round_trip(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert _tables(engine) == {"alembic_version"}
        assert current_revision(engine) is None
        upgrade(engine)
        assert _tables(engine) >= TABLES
        assert current_revision(engine) == _head()
    finally:
        engine.dispose()


def test_open_store_migrates_and_reopening_keeps_the_data(db_url: str) -> None:
    with open_store(db_url) as store:
        info = store.start_audit("https://www.example.gov", settings={"max_pages": 3})
    with open_store(db_url) as store:
        assert [a.id for a in store.audits()] == [info.id]
        assert store.audits()[0].site == "https://www.example.gov"
