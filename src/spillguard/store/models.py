"""The audit database tables (SQLAlchemy 2 typed declarative models).

No raw personal value is ever stored: findings keep the masked sample and the keyed-hash
fingerprint of `Finding.to_dict()`, nothing else. Times are timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: constraint names that are the same on every backend (and in the migrations)
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone: UTC is assumed)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the audit database keeps UTC times only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Site(Base):
    """A site audited: its normalised origin (``https://www.example.gov``)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(512), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Audit(Base):
    """One crawl of a site. `complete`: the crawl reached its natural end."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    tool_version: Mapped[str] = mapped_column(String(64))


class Resource(Base):
    """A URL of a site, with when it was first and last fetched and since when it is gone."""

    __tablename__ = "resources"
    __table_args__ = (UniqueConstraint("site_id", "url", name="uq_resources_site_id_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_seen: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    gone_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    etag: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(Text, nullable=True)


class Result(Base):
    """What is kept of a scan, keyed by content hash so unchanged content is never rescanned."""

    __tablename__ = "results"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16))
    individuals: Mapped[int] = mapped_column(Integer)
    file_type: Mapped[str] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    not_inspected: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: sha256 of the result as canonical JSON: a rescan that found the same is not rewritten
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class StoredFinding(Base):
    """One finding of a result: masked sample and keyed-hash fingerprint only."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_sha256: Mapped[str] = mapped_column(
        ForeignKey("results.sha256", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    visibility: Mapped[str] = mapped_column(String(16))
    surface: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(Text)
    member: Mapped[str | None] = mapped_column(Text, nullable=True)
    count: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    sample: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    detector: Mapped[str] = mapped_column(String(128))
    explanation: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(128))
    accepted: Mapped[str | None] = mapped_column(Text, nullable=True)


class Fetch(Base):
    """What one audit met at one URL. `absent`: a complete audit did not meet the resource.

    The verdict, people and entities are copied from the result, so the history of a resource
    stays as it was seen even if the result of its content is later replaced by a rescan.
    """

    __tablename__ = "fetches"
    __table_args__ = (
        UniqueConstraint("audit_id", "resource_id", name="uq_fetches_audit_id_resource_id"),
        Index("ix_fetches_resource_id_audit_id", "resource_id", "audit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    fetched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str | None] = mapped_column(Text, nullable=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    etag: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(Text, nullable=True)
    not_modified: Mapped[bool] = mapped_column(Boolean, default=False)
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    individuals: Mapped[int] = mapped_column(Integer, default=0)
    entities: Mapped[list[str]] = mapped_column(JSON)
