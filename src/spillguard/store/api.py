"""The audit store: what each audit met at each URL, and what that says about exposures.

A resource's history is its fetches, one per audit, in audit order. From it come the exposure
window (first seen, last seen exposing, gone since) and the diff between audits. Recording the
same URL twice in one audit replaces the first record, so a resumed crawl never duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Engine, and_, func, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from spillguard import __version__
from spillguard.store.db import StoreError, _reason, mask_url
from spillguard.store.models import Audit, Fetch, Resource, Result, Site, StoredFinding

if TYPE_CHECKING:
    from spillguard.model import FileResult
    from spillguard.store.batch import AuditWriter

#: verdicts that mean a resource exposes personal data
EXPOSING = frozenset({"block", "warn"})
_GONE_STATUS = (404, 410)
_VERDICT_ORDER = {"block": 0, "error": 1, "warn": 2, "pass": 3}

_FINDING_KEYS = (
    "entity",
    "severity",
    "visibility",
    "surface",
    "location",
    "member",
    "count",
    "people",
    "sample",
    "confidence",
    "detector",
    "explanation",
    "fingerprint",
    "accepted",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def normalise_site(site: str) -> str:
    """The origin of a site URL: ``HTTPS://WWW.Example.gov:443/x`` -> ``https://www.example.gov``."""
    parts = urlsplit(site.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not a site URL (http or https with a host): {site!r}")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raise StoreError(f"not a valid port in the site URL: {site!r}") from None
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class AuditInfo:
    """One audit. `complete`: the crawl reached its natural end (not cut by a limit or a kill)."""

    id: int
    site: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    complete: bool

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True)
class StoredResult:
    """What is kept of a scan: reusable by content hash. Masked samples and fingerprints only."""

    sha256: str
    verdict: str
    individuals: int
    file_type: str
    error: str | None
    findings: list[dict[str, Any]] = field(default_factory=list)
    not_inspected: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @classmethod
    def from_file_result(cls, fr: FileResult) -> StoredResult:
        """The part of a scan result that is stored (`FileResult.to_dict` without the path)."""
        d = fr.to_dict()
        return cls(
            sha256=fr.sha256,
            verdict=fr.verdict.value,
            individuals=fr.individuals,
            file_type=fr.file_type,
            error=fr.error,
            findings=d["findings"],
            not_inspected=d["not_inspected"],
            reasons=list(fr.reasons),
        )

    @property
    def entities(self) -> list[str]:
        """The entities of the findings that count (accepted ones do not), sorted."""
        return sorted({str(f["entity"]) for f in self.findings if not f.get("accepted")})

    @cached_property
    def digest(self) -> str:
        """A hash of everything stored of the result (computed once)."""
        body = json.dumps(
            {
                "verdict": self.verdict,
                "individuals": self.individuals,
                "file_type": self.file_type,
                "error": self.error,
                "findings": [{k: f.get(k) for k in _FINDING_KEYS} for f in self.findings],
                "not_inspected": self.not_inspected,
                "reasons": self.reasons,
            },
            sort_keys=True,
            ensure_ascii=True,
        )
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class Validators:
    """What a conditional request needs: the stored ETag, Last-Modified and content hash."""

    etag: str | None
    last_modified: str | None
    sha256: str | None


@dataclass(frozen=True)
class ExposureChange:
    """A resource that started, changed or stopped exposing personal data between two audits."""

    url: str
    verdict: str
    individuals: int
    entities: list[str]
    #: for a changed exposure: the verdict and people of the previous audit
    previous_verdict: str | None = None
    previous_individuals: int | None = None
    #: for a removed exposure: "gone" (404, 410, or not met by a complete audit) or "clean"
    now: str | None = None


@dataclass(frozen=True)
class AuditDiff:
    """An audit against the previous finished audit of the same site."""

    audit: AuditInfo
    previous: AuditInfo | None
    new: list[ExposureChange]
    changed: list[ExposureChange]
    removed: list[ExposureChange]
    errors: list[tuple[str, str]]
    resources: int

    @property
    def new_blocking(self) -> bool:
        """A blocking exposure appeared: a new one, or one that now blocks and did not before."""
        return any(c.verdict == "block" for c in self.new) or any(
            c.verdict == "block" and c.previous_verdict != "block" for c in self.changed
        )


@dataclass(frozen=True)
class Exposure:
    """A resource that exposed personal data, and the window in which it did."""

    site: str
    url: str
    verdict: str
    individuals: int
    entities: list[str]
    first_seen: dt.datetime
    last_seen: dt.datetime
    gone_since: dt.datetime | None


def _info(audit: Audit, origin: str) -> AuditInfo:
    return AuditInfo(
        id=audit.id,
        site=origin,
        started_at=audit.started_at,
        finished_at=audit.finished_at,
        complete=audit.complete,
    )


def was_there(absent: bool, status: int | None, not_modified: bool) -> bool:
    """The resource was there: a 2xx response, or a 304 that carried the earlier result."""
    if absent or status is None:
        return False
    return 200 <= status < 300 or not_modified


def was_gone(absent: bool, verdict: str | None, status: int | None) -> bool:
    """The resource was not met by a complete audit, or answered 404 or 410."""
    return absent or (verdict is None and status in _GONE_STATUS)


def _fetched(f: Fetch) -> bool:
    return was_there(f.absent, f.status, f.not_modified)


def _gone(f: Fetch) -> bool:
    return was_gone(f.absent, f.verdict, f.status)


class FetchLike(Protocol):
    """What the exposure window needs of a fetch (a `Fetch` row or a record not yet written)."""

    @property
    def absent(self) -> bool: ...
    @property
    def status(self) -> int | None: ...
    @property
    def not_modified(self) -> bool: ...
    @property
    def verdict(self) -> str | None: ...
    @property
    def sha256(self) -> str | None: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...


@dataclass(slots=True)
class Window:
    """A resource's first seen, last seen and gone since, and the validators of its last result."""

    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    gone_since: dt.datetime | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    def advance(self, f: FetchLike, when: dt.datetime) -> None:
        """Take in the next fetch of the history, made by an audit started at `when`."""
        if was_there(f.absent, f.status, f.not_modified):
            self.first_seen = self.first_seen or when
            self.last_seen = when
            self.gone_since = None
            if f.verdict not in (None, "error") and f.sha256:
                self.sha256, self.etag, self.last_modified = f.sha256, f.etag, f.last_modified
        elif was_gone(f.absent, f.verdict, f.status) and self.gone_since is None:
            self.gone_since = when

    def columns(self) -> dict[str, Any]:
        return {
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "gone_since": self.gone_since,
            "sha256": self.sha256,
            "etag": self.etag,
            "last_modified": self.last_modified,
        }


def _ended(f: Fetch) -> bool:
    """This record shows the resource no longer exposes: gone, or fetched and clean."""
    return _gone(f) or f.verdict == "pass"


def _result_row(result: StoredResult, digest: str) -> dict[str, Any]:
    """The columns of a `Result` row but its key and creation time."""
    return {
        "verdict": result.verdict,
        "individuals": result.individuals,
        "file_type": result.file_type,
        "error": result.error,
        "reasons": list(result.reasons),
        "not_inspected": [dict(n) for n in result.not_inspected],
        "digest": digest,
    }


def finding_row(sha256: str, ordinal: int, f: dict[str, Any]) -> dict[str, Any]:
    """The columns of a `StoredFinding` row for one finding (masked sample, fingerprint)."""
    return {
        "result_sha256": sha256,
        "ordinal": ordinal,
        "entity": str(f["entity"]),
        "severity": str(f["severity"]),
        "visibility": str(f["visibility"]),
        "surface": str(f["surface"]),
        "location": str(f["location"]),
        "member": f.get("member"),
        "count": int(f["count"]),
        "people": int(f.get("people") or 0),
        "sample": str(f["sample"]),
        "confidence": float(f["confidence"]),
        "detector": str(f["detector"]),
        "explanation": str(f.get("explanation") or ""),
        "fingerprint": str(f["fingerprint"]),
        "accepted": f.get("accepted"),
    }


class AuditStore:
    """The audits of one database. Open it with `open_store`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.url = mask_url(url)
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AuditStore({self.url!r})"

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"audit database error ({_reason(exc)})") from None

    # --- audits -------------------------------------------------------------------------------

    def start_audit(self, site: str, *, settings: dict[str, Any]) -> AuditInfo:
        """Begin a new audit of `site`; the settings are recorded with it."""
        origin = normalise_site(site)
        try:
            json.dumps(settings)
        except (TypeError, ValueError):
            raise StoreError("the audit settings must be plain JSON values") from None
        with self._session() as s:
            row = s.scalar(select(Site).where(Site.origin == origin))
            if row is None:
                row = Site(origin=origin, created_at=_now())
                s.add(row)
                s.flush()
            audit = Audit(
                site_id=row.id,
                started_at=_now(),
                finished_at=None,
                complete=False,
                settings=dict(settings),
                tool_version=__version__,
            )
            s.add(audit)
            s.flush()
            return _info(audit, origin)

    def unfinished_audit(self, site: str) -> AuditInfo | None:
        """The latest audit of `site` that was not finished (to resume), if any."""
        origin = normalise_site(site)
        with self._session() as s:
            audit = s.scalar(
                select(Audit)
                .join(Site, Site.id == Audit.site_id)
                .where(Site.origin == origin, Audit.finished_at.is_(None))
                .order_by(Audit.id.desc())
                .limit(1)
            )
            return None if audit is None else _info(audit, origin)

    def audits(self, site: str | None = None) -> list[AuditInfo]:
        """Every audit (of `site`), oldest first."""
        with self._session() as s:
            q = select(Audit, Site.origin).join(Site, Site.id == Audit.site_id)
            if site is not None:
                q = q.where(Site.origin == normalise_site(site))
            return [_info(a, o) for a, o in s.execute(q.order_by(Audit.id))]

    def finish_audit(self, audit_id: int, *, complete: bool) -> None:
        """Close an audit. A complete one marks the site's resources it did not meet as gone."""
        with self._session() as s:
            audit = self._audit(s, audit_id, open_only=True)
            audit.finished_at = _now()
            audit.complete = complete
            if not complete:
                return
            met = select(Fetch.resource_id).where(Fetch.audit_id == audit_id)
            missing = s.scalars(
                select(Resource.id).where(
                    Resource.site_id == audit.site_id,
                    Resource.last_seen.is_not(None),
                    Resource.gone_since.is_(None),
                    Resource.id.not_in(met),
                )
            ).all()
            if not missing:
                return
            absent = {"status": None, "size": 0, "not_modified": False, "absent": True}
            s.execute(
                insert(Fetch),
                [
                    {
                        "audit_id": audit_id,
                        "resource_id": rid,
                        "fetched_at": audit.finished_at,
                        "individuals": 0,
                        "entities": [],
                        **absent,
                    }
                    for rid in missing
                ],
            )
            later = s.scalar(
                select(func.count())
                .select_from(Audit)
                .where(Audit.site_id == audit.site_id, Audit.id > audit_id)
            )
            if later:
                for res in s.scalars(select(Resource).where(Resource.id.in_(missing))):
                    self._refresh(s, res)
                return
            # the latest audit: an absent record after a last seen makes the resource gone now
            for i in range(0, len(missing), 500):
                s.execute(
                    update(Resource)
                    .where(Resource.id.in_(missing[i : i + 500]))
                    .values(gone_since=audit.started_at)
                )

    def _audit(self, s: Session, audit_id: int, *, open_only: bool = False) -> Audit:
        audit = s.get(Audit, audit_id)
        if audit is None:
            raise StoreError(f"no audit #{audit_id} in {self.url}")
        if open_only and audit.finished_at is not None:
            raise StoreError(f"audit #{audit_id} is already finished")
        return audit

    # --- fetches ------------------------------------------------------------------------------

    def writer(self, audit_id: int, *, batch_size: int = 200, max_age: float = 0.1) -> AuditWriter:
        """A batched recorder for a crawl of the open audit `audit_id` (see `AuditWriter`)."""
        from spillguard.store.batch import AuditWriter

        return AuditWriter(self, audit_id, batch_size=batch_size, max_age=max_age)

    def seen_urls(self, audit_id: int) -> set[str]:
        """The URLs already recorded in this audit (a resumed crawl skips them)."""
        with self._session() as s:
            rows = s.scalars(
                select(Resource.url)
                .join(Fetch, Fetch.resource_id == Resource.id)
                .where(Fetch.audit_id == audit_id, Fetch.absent.is_(False))
            )
            return set(rows)

    def validators(self, site: str, url: str) -> Validators | None:
        """ETag, Last-Modified and hash of the stored result for `url`, if one can be reused."""
        origin = normalise_site(site)
        with self._session() as s:
            res = s.scalar(
                select(Resource)
                .join(Site, Site.id == Resource.site_id)
                .where(Site.origin == origin, Resource.url == url)
            )
            if res is None or res.sha256 is None:
                return None
            return Validators(etag=res.etag, last_modified=res.last_modified, sha256=res.sha256)

    def _has_result(self, sha256: str) -> bool:
        """Whether content with this hash has a stored result (one light query)."""
        try:
            with self._engine.connect() as conn:
                found = conn.execute(select(Result.sha256).where(Result.sha256 == sha256))
                return found.first() is not None
        except SQLAlchemyError as exc:
            raise StoreError(f"audit database error ({_reason(exc)})") from None

    def stored_result(self, sha256: str) -> StoredResult | None:
        """The stored result of content with this hash, from any site (None: never scanned)."""
        with self._session() as s:
            row = s.get(Result, sha256)
            if row is None:
                return None
            findings = s.scalars(
                select(StoredFinding)
                .where(StoredFinding.result_sha256 == sha256)
                .order_by(StoredFinding.ordinal)
            ).all()
            return StoredResult(
                sha256=row.sha256,
                verdict=row.verdict,
                individuals=row.individuals,
                file_type=row.file_type,
                error=row.error,
                findings=[{k: getattr(f, k) for k in _FINDING_KEYS} for f in findings],
                not_inspected=list(row.not_inspected),
                reasons=list(row.reasons),
            )

    def record_fetch(
        self,
        audit_id: int,
        *,
        url: str,
        status: int,
        content_type: str | None,
        size: int,
        sha256: str | None,
        etag: str | None,
        last_modified: str | None,
        result: StoredResult | None,
        note: str | None = None,
        not_modified: bool = False,
    ) -> None:
        """Record what this audit met at `url`; a second record of the same URL replaces it.

        A 304 (or `not_modified`) without a result carries the previous result forward; with no
        previous result it is recorded as an error. A result None with a note is an error or a
        skip, with its reason.
        """
        carry = status == 304 or not_modified
        with self._session() as s:
            audit = self._audit(s, audit_id, open_only=True)
            res = s.scalar(
                select(Resource).where(Resource.site_id == audit.site_id, Resource.url == url)
            )
            if res is None:
                res = Resource(site_id=audit.site_id, url=url)
                s.add(res)
                s.flush()
            fetch = s.scalar(
                select(Fetch).where(Fetch.audit_id == audit_id, Fetch.resource_id == res.id)
            )
            if fetch is None:
                fetch = Fetch(audit_id=audit_id, resource_id=res.id)
                s.add(fetch)
            fetch.fetched_at = _now()
            fetch.status = status
            fetch.content_type = content_type
            fetch.size = size
            fetch.sha256 = sha256
            fetch.etag = etag
            fetch.last_modified = last_modified
            fetch.not_modified = carry
            fetch.absent = False
            fetch.note = note
            fetch.verdict = None
            fetch.individuals = 0
            fetch.entities = []
            if result is not None:
                self._save_result(s, result)
                fetch.sha256 = result.sha256
                fetch.verdict = result.verdict
                fetch.individuals = result.individuals
                fetch.entities = result.entities
            elif carry:
                prev = self._previous(s, res.id, audit_id)
                if prev is None:
                    fetch.not_modified = False
                    fetch.note = note or (
                        "not modified (HTTP 304), but no earlier result is stored for it"
                    )
                else:
                    fetch.sha256 = prev.sha256
                    fetch.verdict = prev.verdict
                    fetch.individuals = prev.individuals
                    fetch.entities = list(prev.entities)
                    fetch.content_type = content_type or prev.content_type
                    fetch.size = size or prev.size
                    fetch.etag = etag or prev.etag
                    fetch.last_modified = last_modified or prev.last_modified
            s.flush()
            self._refresh(s, res)

    def _previous(self, s: Session, resource_id: int, audit_id: int) -> Fetch | None:
        """The latest fetch of an earlier audit with a result that can be carried forward."""
        return s.scalar(
            select(Fetch)
            .where(
                Fetch.resource_id == resource_id,
                Fetch.audit_id < audit_id,
                Fetch.verdict.is_not(None),
                Fetch.sha256.is_not(None),
            )
            .order_by(Fetch.audit_id.desc())
            .limit(1)
        )

    def _save_result(self, s: Session, result: StoredResult) -> None:
        digest = result.digest
        row = s.get(Result, result.sha256)
        if row is not None and row.digest == digest:
            return
        if row is None:
            row = Result(sha256=result.sha256, created_at=_now())
            s.add(row)
        else:
            for old in s.scalars(
                select(StoredFinding).where(StoredFinding.result_sha256 == result.sha256)
            ):
                s.delete(old)
        for key, value in _result_row(result, digest).items():
            setattr(row, key, value)
        s.flush()
        for i, f in enumerate(result.findings):
            s.add(StoredFinding(**finding_row(result.sha256, i, f)))

    def _refresh(self, s: Session, res: Resource) -> None:
        """Recompute first seen, last seen, gone since and validators from the history."""
        history = s.execute(
            select(Fetch, Audit.started_at)
            .join(Audit, Audit.id == Fetch.audit_id)
            .where(Fetch.resource_id == res.id)
            .order_by(Fetch.audit_id)
        )
        window = Window()
        for f, when in history:
            window.advance(f, when)
        for key, value in window.columns().items():
            setattr(res, key, value)

    # --- reading ------------------------------------------------------------------------------

    def diff(self, audit_id: int) -> AuditDiff:
        """New, changed and removed exposures against the previous finished audit."""
        with self._session() as s:
            audit = self._audit(s, audit_id)
            origin = s.scalar(select(Site.origin).where(Site.id == audit.site_id)) or ""
            prev_audit = s.scalar(
                select(Audit)
                .where(
                    Audit.site_id == audit.site_id,
                    Audit.id < audit_id,
                    Audit.finished_at.is_not(None),
                )
                .order_by(Audit.id.desc())
                .limit(1)
            )
            current = s.execute(
                select(Fetch, Resource.url, Result.error)
                .join(Resource, Resource.id == Fetch.resource_id)
                .outerjoin(Result, Result.sha256 == Fetch.sha256)
                .where(Fetch.audit_id == audit_id)
                .order_by(Resource.url)
            ).all()
            before = self._states_before(s, audit, [f.resource_id for f, _, _ in current])
            new: list[ExposureChange] = []
            changed: list[ExposureChange] = []
            removed: list[ExposureChange] = []
            errors: list[tuple[str, str]] = []
            for f, url, error in current:
                prev = before.get(f.resource_id)
                was = prev is not None and prev.verdict in EXPOSING
                if f.verdict in EXPOSING:
                    change = ExposureChange(url, f.verdict or "", f.individuals, list(f.entities))
                    if not was:
                        new.append(change)
                    elif prev is not None and (
                        prev.sha256 != f.sha256
                        or prev.verdict != f.verdict
                        or prev.individuals != f.individuals
                        or sorted(prev.entities) != sorted(f.entities)
                    ):
                        changed.append(
                            ExposureChange(
                                url,
                                f.verdict or "",
                                f.individuals,
                                list(f.entities),
                                previous_verdict=prev.verdict,
                                previous_individuals=prev.individuals,
                            )
                        )
                elif was and prev is not None and _ended(f):
                    removed.append(
                        ExposureChange(
                            url,
                            prev.verdict or "",
                            prev.individuals,
                            list(prev.entities),
                            now="gone" if _gone(f) else "clean",
                        )
                    )
                if f.absent or f.verdict in ("pass", "warn", "block") or _gone(f):
                    continue
                reason = f.note or error or (f"HTTP {f.status}" if f.status else "not scanned")
                errors.append((url, reason))
            return AuditDiff(
                audit=_info(audit, origin),
                previous=None if prev_audit is None else _info(prev_audit, origin),
                new=new,
                changed=changed,
                removed=removed,
                errors=errors,
                resources=sum(1 for f, _, _ in current if not f.absent),
            )

    def _states_before(
        self, s: Session, audit: Audit, resource_ids: Sequence[int]
    ) -> dict[int, Fetch]:
        """Each resource's last known state (exposing, clean or gone) in earlier finished audits."""
        if not resource_ids:
            return {}
        known = or_(
            Fetch.absent.is_(True),
            Fetch.verdict.in_(["pass", "warn", "block"]),
            and_(Fetch.verdict.is_(None), Fetch.status.in_(_GONE_STATUS)),
        )
        latest = (
            select(Fetch.resource_id, func.max(Fetch.audit_id).label("audit_id"))
            .join(Audit, Audit.id == Fetch.audit_id)
            .where(
                Audit.site_id == audit.site_id,
                Audit.id < audit.id,
                Audit.finished_at.is_not(None),
                known,
            )
            .group_by(Fetch.resource_id)
            .subquery()
        )
        rows = s.scalars(
            select(Fetch).join(
                latest,
                and_(
                    Fetch.resource_id == latest.c.resource_id,
                    Fetch.audit_id == latest.c.audit_id,
                ),
            )
        ).all()
        wanted = set(resource_ids)
        return {f.resource_id: f for f in rows if f.resource_id in wanted}

    def exposures(self, site: str | None = None, *, include_gone: bool = True) -> list[Exposure]:
        """Resources that exposed personal data, with their windows; current ones first."""
        with self._session() as s:
            exposing = select(Fetch.resource_id).where(Fetch.verdict.in_(sorted(EXPOSING)))
            q = (
                select(Fetch, Audit.started_at, Resource.url, Site.origin)
                .join(Audit, Audit.id == Fetch.audit_id)
                .join(Resource, Resource.id == Fetch.resource_id)
                .join(Site, Site.id == Resource.site_id)
                .where(Fetch.resource_id.in_(exposing))
            )
            if site is not None:
                q = q.where(Site.origin == normalise_site(site))
            rows = s.execute(q.order_by(Fetch.resource_id, Fetch.audit_id)).all()
        timelines: dict[int, list[tuple[Fetch, dt.datetime, str, str]]] = {}
        for row in rows:
            timelines.setdefault(row[0].resource_id, []).append(row)
        out: list[Exposure] = []
        for timeline in timelines.values():
            exp = _exposure(timeline)
            if exp is not None and (include_gone or exp.gone_since is None):
                out.append(exp)
        out.sort(
            key=lambda e: (
                e.site,
                e.gone_since is not None,
                _VERDICT_ORDER.get(e.verdict, 9),
                -e.individuals,
                e.url,
            )
        )
        return out

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()


def _exposure(timeline: list[tuple[Fetch, dt.datetime, str, str]]) -> Exposure | None:
    hits = [i for i, (f, _, _, _) in enumerate(timeline) if f.verdict in EXPOSING]
    if not hits:
        return None
    last_i = hits[-1]
    last, last_when, url, origin = timeline[last_i]
    gone_since = next((when for f, when, _, _ in timeline[last_i + 1 :] if _ended(f)), None)
    return Exposure(
        site=origin,
        url=url,
        verdict=last.verdict or "",
        individuals=last.individuals,
        entities=list(last.entities),
        first_seen=timeline[hits[0]][1],
        last_seen=last_when,
        gone_since=gone_since,
    )
