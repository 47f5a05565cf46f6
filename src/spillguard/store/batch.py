"""`AuditWriter`: what a crawl records, written in batches, with the audit's state in memory.

`AuditStore.record_fetch` recomputes a resource's window from its whole history and opens a
transaction per record: right for a few records, too slow for a crawl. The writer loads the site's
resources, their previous results and those results once per audit, updates each window from the
state before this audit (the audit being the site's latest), and writes a batch of records in one
transaction (every `batch_size` records or `max_age` seconds, and at `flush`). What it writes is
what `record_fetch` would have written. A record not yet flushed when the process is killed is
simply not in the audit: the resumed crawl fetches it again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from spillguard.store.api import (
    _FINDING_KEYS,
    StoredResult,
    Validators,
    Window,
    _now,
    _result_row,
    finding_row,
)
from spillguard.store.db import StoreError
from spillguard.store.models import Audit, Fetch, Resource, Result, Site, StoredFinding

if TYPE_CHECKING:
    from spillguard.store.api import AuditStore

_CHUNK = 500


@dataclass(slots=True)
class FetchRecord:
    """A fetch row not yet written (the columns of `Fetch` but the ids)."""

    fetched_at: dt.datetime
    status: int | None
    content_type: str | None
    size: int
    sha256: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    note: str | None
    verdict: str | None = None
    individuals: int = 0
    entities: list[str] = field(default_factory=list)
    absent: bool = False

    def values(self) -> dict[str, Any]:
        return {
            "fetched_at": self.fetched_at,
            "status": self.status,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "not_modified": self.not_modified,
            "absent": self.absent,
            "note": self.note,
            "verdict": self.verdict,
            "individuals": self.individuals,
            "entities": list(self.entities),
        }


@dataclass(slots=True)
class _Carry:
    """The latest earlier fetch of a resource with a result (what a 304 carries forward)."""

    sha256: str
    verdict: str
    individuals: int
    entities: list[str]
    content_type: str | None
    size: int
    etag: str | None
    last_modified: str | None


@dataclass(slots=True)
class _Res:
    url: str
    id: int | None
    #: the window before this audit, the window with this audit's record, the one in the database
    base: Window
    now: Window
    stored: Window
    #: the database holds a fetch of this audit for it
    has_fetch: bool = False
    carry: _Carry | None = None


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


class AuditWriter:
    """Records one open audit's fetches in batches. Get it with `AuditStore.writer`."""

    def __init__(
        self, store: AuditStore, audit_id: int, *, batch_size: int = 200, max_age: float = 0.1
    ) -> None:
        self._store = store
        self.audit_id = audit_id
        self.batch_size = max(1, batch_size)
        self.max_age = max_age
        self._res: dict[str, _Res] = {}
        self._results: dict[str, StoredResult] = {}
        #: digest of each result as the database holds it (known so far)
        self._digests: dict[str, str] = {}
        self._pending: dict[str, FetchRecord] = {}
        self._pending_results: dict[str, StoredResult] = {}
        self._oldest = 0.0
        self._site_id = 0
        self._origin = ""
        self._when = _now()
        #: False: a later audit of the site exists; every record goes to `record_fetch`
        self._latest = True
        self._load()

    # --- loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        with self._store._session() as s:
            audit = self._store._audit(s, self.audit_id, open_only=True)
            self._site_id, self._when = audit.site_id, audit.started_at
            self._origin = s.scalar(select(Site.origin).where(Site.id == audit.site_id)) or ""
            later = s.scalar(
                select(func.count())
                .select_from(Audit)
                .where(Audit.site_id == audit.site_id, Audit.id > audit.id)
            )
            self._latest = not later
            self._res = {}
            for row in s.execute(
                select(
                    Resource.id,
                    Resource.url,
                    Resource.first_seen,
                    Resource.last_seen,
                    Resource.gone_since,
                    Resource.sha256,
                    Resource.etag,
                    Resource.last_modified,
                ).where(Resource.site_id == audit.site_id)
            ):
                window = Window(*row[2:])
                self._res[row.url] = _Res(
                    row.url, row.id, _copy(window), _copy(window), _copy(window)
                )
            by_id = {r.id: r for r in self._res.values()}
            mine = s.scalars(
                select(Fetch.resource_id)
                .join(Resource, Resource.id == Fetch.resource_id)
                .where(Fetch.audit_id == self.audit_id, Resource.site_id == audit.site_id)
            ).all()
            for rid in mine:
                by_id[rid].has_fetch = True
            self._load_bases(s, [by_id[rid] for rid in mine])
            self._load_carries(s, by_id)
            shas = {r.carry.sha256 for r in by_id.values() if r.carry} | {
                r.now.sha256 for r in by_id.values() if r.now.sha256
            }
            self._load_results(s, shas)

    def _load_bases(self, s: Session, resources: list[_Res]) -> None:
        """The window before this audit of resources it already recorded (a resumed audit)."""
        for chunk in _chunks(resources):
            ids = {r.id: r for r in chunk}
            bases = {rid: Window() for rid in ids}
            history = s.execute(
                select(Fetch, Audit.started_at)
                .join(Audit, Audit.id == Fetch.audit_id)
                .where(Fetch.resource_id.in_(list(ids)), Fetch.audit_id != self.audit_id)
                .order_by(Fetch.resource_id, Fetch.audit_id)
            )
            for f, when in history:
                bases[f.resource_id].advance(f, when)
            for rid, res in ids.items():
                res.base = bases[rid]

    def _load_carries(self, s: Session, by_id: dict[int | None, _Res]) -> None:
        latest = (
            select(Fetch.resource_id, func.max(Fetch.audit_id).label("audit_id"))
            .join(Resource, Resource.id == Fetch.resource_id)
            .where(
                Resource.site_id == self._site_id,
                Fetch.audit_id < self.audit_id,
                Fetch.verdict.is_not(None),
                Fetch.sha256.is_not(None),
            )
            .group_by(Fetch.resource_id)
            .subquery()
        )
        rows = s.execute(
            select(
                Fetch.resource_id,
                Fetch.sha256,
                Fetch.verdict,
                Fetch.individuals,
                Fetch.entities,
                Fetch.content_type,
                Fetch.size,
                Fetch.etag,
                Fetch.last_modified,
            ).join(
                latest,
                and_(
                    Fetch.resource_id == latest.c.resource_id,
                    Fetch.audit_id == latest.c.audit_id,
                ),
            )
        )
        for row in rows:
            res = by_id.get(row.resource_id)
            if res is not None and row.sha256 is not None and row.verdict is not None:
                res.carry = _Carry(
                    row.sha256,
                    row.verdict,
                    row.individuals,
                    list(row.entities),
                    row.content_type,
                    row.size,
                    row.etag,
                    row.last_modified,
                )

    def _load_results(self, s: Session, shas: Iterable[str]) -> None:
        for chunk in _chunks(sorted(shas)):
            rows = {r.sha256: r for r in s.scalars(select(Result).where(Result.sha256.in_(chunk)))}
            findings: dict[str, list[dict[str, Any]]] = {sha: [] for sha in rows}
            for f in s.scalars(
                select(StoredFinding)
                .where(StoredFinding.result_sha256.in_(chunk))
                .order_by(StoredFinding.result_sha256, StoredFinding.ordinal)
            ):
                findings[f.result_sha256].append({k: getattr(f, k) for k in _FINDING_KEYS})
            for sha, row in rows.items():
                self._results[sha] = StoredResult(
                    sha256=row.sha256,
                    verdict=row.verdict,
                    individuals=row.individuals,
                    file_type=row.file_type,
                    error=row.error,
                    findings=findings[sha],
                    not_inspected=list(row.not_inspected),
                    reasons=list(row.reasons),
                )
                self._digests[sha] = row.digest

    # --- reading ------------------------------------------------------------------------------

    def validators(self, url: str) -> Validators | None:
        """As `AuditStore.validators`, including this audit's records not yet flushed."""
        if not self._latest:
            return self._store.validators(self._origin, url)
        res = self._res.get(url)
        if res is None or res.now.sha256 is None:
            return None
        now = res.now
        return Validators(etag=now.etag, last_modified=now.last_modified, sha256=now.sha256)

    def stored_result(self, sha256: str) -> StoredResult | None:
        """As `AuditStore.stored_result`; the site's results are answered from memory."""
        known = self._results.get(sha256)
        if known is not None:
            return known
        if not self._store._has_result(sha256):
            return None
        got = self._store.stored_result(sha256)
        if got is not None:
            self._results[sha256] = got
            self._digests.setdefault(sha256, got.digest)
        return got

    # --- recording ----------------------------------------------------------------------------

    def record(
        self,
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
        """As `AuditStore.record_fetch`; written at the next flush."""
        if not self._latest:
            if result is not None:
                self._results[result.sha256] = result
            self._store.record_fetch(
                self.audit_id,
                url=url,
                status=status,
                content_type=content_type,
                size=size,
                sha256=sha256,
                etag=etag,
                last_modified=last_modified,
                result=result,
                note=note,
                not_modified=not_modified,
            )
            return
        carry = status == 304 or not_modified
        res = self._res.get(url)
        if res is None:
            res = _Res(url, None, Window(), Window(), Window())
            self._res[url] = res
        rec = FetchRecord(
            fetched_at=_now(),
            status=status,
            content_type=content_type,
            size=size,
            sha256=sha256,
            etag=etag,
            last_modified=last_modified,
            not_modified=carry,
            note=note,
        )
        if result is not None:
            self._keep_result(result)
            rec.sha256 = result.sha256
            rec.verdict = result.verdict
            rec.individuals = result.individuals
            rec.entities = result.entities
        elif carry:
            prev = res.carry
            if prev is None:
                rec.not_modified = False
                rec.note = note or "not modified (HTTP 304), but no earlier result is stored for it"
            else:
                rec.sha256 = prev.sha256
                rec.verdict = prev.verdict
                rec.individuals = prev.individuals
                rec.entities = list(prev.entities)
                rec.content_type = content_type or prev.content_type
                rec.size = size or prev.size
                rec.etag = etag or prev.etag
                rec.last_modified = last_modified or prev.last_modified
        res.now = _copy(res.base)
        res.now.advance(rec, self._when)
        if not self._pending:
            self._oldest = time.monotonic()
        self._pending[url] = rec
        if len(self._pending) >= self.batch_size or time.monotonic() - self._oldest >= self.max_age:
            self.flush()

    def _keep_result(self, result: StoredResult) -> None:
        self._results[result.sha256] = result
        if self._digests.get(result.sha256) != result.digest:
            self._pending_results[result.sha256] = result

    @property
    def pending(self) -> int:
        """Records not yet written."""
        return len(self._pending)

    def flush(self) -> None:
        """Write the pending records in one transaction. On a failure they are lost (and said)."""
        if not self._pending:
            return
        pending, results = self._pending, self._pending_results
        self._pending, self._pending_results = {}, {}
        try:
            new_ids, digests = self._write(pending, results)
        except StoreError as exc:
            self._recover()
            raise StoreError(
                f"{exc}; {len(pending)} records of audit #{self.audit_id} were not written, the "
                "audit is not complete"
            ) from None
        for url, rid in new_ids.items():
            self._res[url].id = rid
        for url in pending:
            res = self._res[url]
            res.has_fetch = True
            res.stored = _copy(res.now)
        self._digests.update(digests)

    def _write(
        self, pending: dict[str, FetchRecord], results: dict[str, StoredResult]
    ) -> tuple[dict[str, int], dict[str, str]]:
        with self._store._session() as s:
            self._store._audit(s, self.audit_id, open_only=True)
            resources = [self._res[url] for url in pending]
            new = [r for r in resources if r.id is None]
            ids: dict[str, int] = {}
            if new:
                rows = s.execute(
                    insert(Resource).returning(
                        Resource.id, Resource.url, sort_by_parameter_order=True
                    ),
                    [{"site_id": self._site_id, "url": r.url, **r.now.columns()} for r in new],
                )
                ids = {url: rid for rid, url in rows}
            changed = [
                {"id": r.id, **r.now.columns()}
                for r in resources
                if r.id is not None and r.now != r.stored
            ]
            if changed:
                s.execute(update(Resource), changed)
            digests = self._write_results(s, results)
            again = [r.id for r in resources if r.has_fetch]
            for chunk in _chunks(again):
                s.execute(
                    delete(Fetch).where(
                        Fetch.audit_id == self.audit_id, Fetch.resource_id.in_(chunk)
                    )
                )
            s.execute(
                insert(Fetch),
                [
                    {
                        "audit_id": self.audit_id,
                        "resource_id": self._res[url].id or ids[url],
                        **rec.values(),
                    }
                    for url, rec in pending.items()
                ],
            )
        return ids, digests

    def _write_results(self, s: Session, results: dict[str, StoredResult]) -> dict[str, str]:
        if not results:
            return {}
        unknown = [sha for sha in results if sha not in self._digests]
        stored = {sha: self._digests[sha] for sha in results if sha in self._digests}
        for chunk in _chunks(unknown):
            rows = s.execute(select(Result.sha256, Result.digest).where(Result.sha256.in_(chunk)))
            stored.update((sha, digest) for sha, digest in rows)
        digests = {sha: r.digest for sha, r in results.items()}
        fresh = [sha for sha in results if sha not in stored]
        replaced = [sha for sha in results if sha in stored and stored[sha] != digests[sha]]
        for chunk in _chunks(replaced):
            s.execute(delete(StoredFinding).where(StoredFinding.result_sha256.in_(chunk)))
        if replaced:
            s.execute(
                update(Result),
                [{"sha256": sha, **_result_row(results[sha], digests[sha])} for sha in replaced],
            )
        if fresh:
            now = _now()
            s.execute(
                insert(Result),
                [
                    {"sha256": sha, "created_at": now, **_result_row(results[sha], digests[sha])}
                    for sha in fresh
                ],
            )
        findings = [
            finding_row(sha, i, f)
            for sha in fresh + replaced
            for i, f in enumerate(results[sha].findings)
        ]
        if findings:
            s.execute(insert(StoredFinding), findings)
        return digests

    def _recover(self) -> None:
        """After a failed write: reload what the database holds (or record nothing more)."""
        try:
            self._load()
        except StoreError:
            self._latest = False  # every later record goes to record_fetch, and fails there


def _copy(w: Window) -> Window:
    return replace(w)
