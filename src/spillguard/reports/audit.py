"""The audit report: what an audit of a live site found, against the previous one, and the
exposure windows. Text for people, JSON for programs and webhooks, one self-contained HTML page.

Built only from the store's records (verdicts, people counts, entity IDs, URLs, times): no
function here ever sees a sample, let alone a raw value. Every string in the HTML is escaped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from spillguard import __version__
from spillguard.entities import label
from spillguard.reports.html import esc, page
from spillguard.reports.plain import people
from spillguard.store import AuditDiff, AuditInfo, Exposure, ExposureChange

FORMATS = ("text", "json", "html")

_WORD = {"block": "BLOCKS", "warn": "warns", "pass": "clean", "error": "error"}


def iso(when: dt.datetime | None) -> str | None:
    """``2026-05-04T09:30:00Z`` (UTC), or None."""
    if when is None:
        return None
    return when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _when(when: dt.datetime | None) -> str:
    return "-" if when is None else when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _entities(entities: Sequence[str]) -> str:
    return ", ".join(label(e) for e in entities) or "personal data"


# --- JSON ----------------------------------------------------------------------------------------


def audit_info_dict(a: AuditInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "site": a.site,
        "started_at": iso(a.started_at),
        "finished_at": iso(a.finished_at),
        "complete": a.complete,
    }


def change_dict(c: ExposureChange) -> dict[str, Any]:
    out: dict[str, Any] = {
        "url": c.url,
        "verdict": c.verdict,
        "individuals": c.individuals,
        "entities": list(c.entities),
    }
    if c.previous_verdict is not None:
        out["previous_verdict"] = c.previous_verdict
        out["previous_individuals"] = c.previous_individuals
    if c.now is not None:
        out["now"] = c.now
    return out


def exposure_dict(e: Exposure) -> dict[str, Any]:
    return {
        "site": e.site,
        "url": e.url,
        "verdict": e.verdict,
        "individuals": e.individuals,
        "entities": list(e.entities),
        "first_seen": iso(e.first_seen),
        "last_seen": iso(e.last_seen),
        "gone_since": iso(e.gone_since),
    }


def diff_dict(diff: AuditDiff) -> dict[str, Any]:
    """The diff as JSON values (also the core of the webhook body)."""
    return {
        "audit": audit_info_dict(diff.audit),
        "previous": None if diff.previous is None else audit_info_dict(diff.previous),
        "resources": diff.resources,
        "new_blocking": diff.new_blocking,
        "new": [change_dict(c) for c in diff.new],
        "changed": [change_dict(c) for c in diff.changed],
        "removed": [change_dict(c) for c in diff.removed],
        "errors": [{"url": u, "reason": r} for u, r in diff.errors],
    }


def audit_dict(diff: AuditDiff, exposures: Sequence[Exposure]) -> dict[str, Any]:
    return {
        "tool": {"name": "spillguard", "version": __version__},
        **diff_dict(diff),
        "exposures": [exposure_dict(e) for e in exposures],
    }


def exposures_dict(exposures: Sequence[Exposure]) -> dict[str, Any]:
    return {
        "tool": {"name": "spillguard", "version": __version__},
        "exposures": [exposure_dict(e) for e in exposures],
        "summary": {
            "exposures": len(exposures),
            "current": sum(1 for e in exposures if e.gone_since is None),
            "gone": sum(1 for e in exposures if e.gone_since is not None),
            "individuals_current": sum(e.individuals for e in exposures if e.gone_since is None),
        },
    }


def _json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


# --- text ----------------------------------------------------------------------------------------


def _removed_word(c: ExposureChange) -> str:
    return "cleaned" if c.now == "clean" else "gone"


def _change_line(c: ExposureChange, *, removed: bool = False) -> str:
    head = _removed_word(c) if removed else _WORD.get(c.verdict, c.verdict)
    text = f"  {head:<7} {c.url}\n          {people(c.individuals)}: {_entities(c.entities)}"
    if c.previous_verdict is not None:
        was = _WORD.get(c.previous_verdict, c.previous_verdict)
        text += f" (before: {was}, {people(c.previous_individuals or 0)})"
    return text


def _exposure_lines(exposures: Sequence[Exposure], *, with_site: bool) -> list[str]:
    lines: list[str] = []
    for e in exposures:
        head = "gone" if e.gone_since is not None else _WORD.get(e.verdict, e.verdict)
        lines.append(f"  {head:<7} {e.url}")
        if with_site:
            lines.append(f"          site: {e.site}")
        lines.append(f"          {people(e.individuals)}: {_entities(e.entities)}")
        window = f"first seen {_when(e.first_seen)}, last seen {_when(e.last_seen)}"
        window += (
            f", gone since {_when(e.gone_since)}" if e.gone_since is not None else ", still online"
        )
        lines.append(f"          {window}")
    return lines


def _audit_head(a: AuditInfo) -> str:
    state = (
        "not finished"
        if a.finished_at is None
        else "complete"
        if a.complete
        else "stopped before the end (a limit, errors or an interruption): pages it did not "
        "reach are not counted as gone"
    )
    return f"audit #{a.id} of {a.site}, started {_when(a.started_at)}: {state}"


def render_audit_text(diff: AuditDiff, exposures: Sequence[Exposure]) -> str:
    lines = [f"spillguard {__version__}: {_audit_head(diff.audit)}"]
    if diff.previous is None:
        lines.append("First audit of this site: every exposure found is new.")
    else:
        lines.append(
            f"Compared with audit #{diff.previous.id} of {_when(diff.previous.started_at)}."
        )
    lines.append(f"Resources recorded: {diff.resources:,}")
    sections: list[tuple[str, list[ExposureChange], bool]] = [
        ("New exposures", diff.new, False),
        ("Changed exposures", diff.changed, False),
        ("Removed exposures (gone or now clean)", diff.removed, True),
    ]
    for title, items, removed in sections:
        if items:
            lines += ["", f"{title} ({len(items)}):"]
            lines += [_change_line(c, removed=removed) for c in items]
    if diff.errors:
        lines += ["", f"Could not be checked ({len(diff.errors)}): not cleared"]
        lines += [f"  {url}\n          {reason}" for url, reason in diff.errors]
    current = [e for e in exposures if e.gone_since is None]
    gone = [e for e in exposures if e.gone_since is not None]
    if exposures:
        lines += ["", f"Exposures of this site ({len(current)} online, {len(gone)} gone):"]
        lines += _exposure_lines(exposures, with_site=False)
    lines.append("")
    if diff.new_blocking:
        lines.append(
            "Result: NEW BLOCKING EXPOSURE: personal data is published that was not before."
        )
    elif current:
        lines.append(
            f"Result: no new blocking exposure; {len(current)} known exposure"
            f"{'s are' if len(current) != 1 else ' is'} still online."
        )
    else:
        lines.append("Result: no personal data exposed on the resources recorded.")
    return "\n".join(lines) + "\n"


def render_exposures_text(exposures: Sequence[Exposure]) -> str:
    if not exposures:
        return "No exposures recorded.\n"
    current = sum(1 for e in exposures if e.gone_since is None)
    sites = {e.site for e in exposures}
    lines = [
        f"{len(exposures)} exposure{'s' if len(exposures) != 1 else ''}: "
        f"{current} online, {len(exposures) - current} gone"
    ]
    lines += _exposure_lines(exposures, with_site=len(sites) > 1)
    return "\n".join(lines) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#1b1f24;background:#f4f5f7}
main{max-width:60rem;margin:0 auto;padding:0 1rem 2rem}
h1{font-size:1.5rem;margin:0}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.banner{padding:1.25rem 1rem;color:#fff}.banner p{margin:.35rem 0 0}
.v-block{background:#b3261e}.v-warn{background:#8a5300}.v-pass{background:#1e6b34}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:.5rem;
 box-shadow:0 1px 2px rgba(0,0,0,.12)}
th,td{text-align:left;padding:.5rem .6rem;border-top:1px solid #e1e4e8;vertical-align:top;
 overflow-wrap:break-word}
td.url{overflow-wrap:anywhere;min-width:12rem}td:first-child,th{white-space:nowrap}
th{color:#57606a;font-weight:600;font-size:.9rem;border-top:0}
.badge{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.8rem;font-weight:600;
 text-transform:uppercase;color:#fff;background:#57606a}
.b-block,.b-error{background:#b3261e}.b-warn{background:#8a5300}.b-gone,.b-cleaned,.b-pass{background:#1e6b34}
footer{color:#57606a;font-size:.85rem;margin-top:2rem}
@media (max-width:40rem){th:nth-child(n+4),td:nth-child(n+4){display:none}}
"""


def _badge(word: str) -> str:
    return f'<span class="badge b-{esc(word)}">{esc(_WORD.get(word, word))}</span>'


def _change_table(items: Sequence[ExposureChange], *, removed: bool = False) -> str:
    rows = []
    for c in items:
        before = ""
        if c.previous_verdict is not None:
            before = (
                f"{esc(_WORD.get(c.previous_verdict, c.previous_verdict))}, "
                f"{esc(people(c.previous_individuals or 0))}"
            )
        rows.append(
            f"<tr><td>{_badge(_removed_word(c) if removed else c.verdict)}</td>"
            f'<td class="url">{esc(c.url)}</td>'
            f"<td>{esc(people(c.individuals))}</td><td>{esc(_entities(c.entities))}</td>"
            f"<td>{before}</td></tr>"
        )
    head = "<tr><th></th><th>URL</th><th>people</th><th>what</th><th>before</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _exposure_table(exposures: Sequence[Exposure]) -> str:
    rows = []
    for e in exposures:
        state = "gone" if e.gone_since is not None else e.verdict
        rows.append(
            f"<tr><td>{_badge(state)}</td>"
            f'<td class="url">{esc(e.url)}</td>'
            f"<td>{esc(people(e.individuals))}</td><td>{esc(_entities(e.entities))}</td>"
            f"<td>{esc(_when(e.first_seen))}</td><td>{esc(_when(e.last_seen))}</td>"
            f"<td>{esc(_when(e.gone_since) if e.gone_since else 'still online')}</td></tr>"
        )
    head = (
        "<tr><th></th><th>URL</th><th>people</th><th>what</th><th>first seen</th>"
        "<th>last seen</th><th>gone since</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def render_audit_html(diff: AuditDiff, exposures: Sequence[Exposure]) -> str:
    current = [e for e in exposures if e.gone_since is None]
    if diff.new_blocking:
        tone, head = "block", "New blocking exposure"
    elif current:
        tone, head = "warn", f"{len(current)} exposure{'s' if len(current) != 1 else ''} online"
    else:
        tone, head = "pass", "No personal data exposed"
    compared = (
        "First audit of this site: every exposure found is new."
        if diff.previous is None
        else f"Compared with audit #{diff.previous.id} of {_when(diff.previous.started_at)}."
    )
    parts = []
    for title, items, removed in (
        ("New exposures", diff.new, False),
        ("Changed exposures", diff.changed, False),
        ("Removed exposures (gone or now clean)", diff.removed, True),
    ):
        if items:
            parts.append(
                f"<h2>{esc(title)} ({len(items)})</h2>{_change_table(items, removed=removed)}"
            )
    if diff.errors:
        rows = "".join(
            f'<tr><td class="url">{esc(u)}</td><td>{esc(r)}</td></tr>' for u, r in diff.errors
        )
        parts.append(
            f"<h2>Could not be checked ({len(diff.errors)}): not cleared</h2>"
            f"<table><tr><th>URL</th><th>reason</th></tr>{rows}</table>"
        )
    if exposures:
        parts.append(
            f"<h2>Exposures ({len(current)} online, {len(exposures) - len(current)} gone)</h2>"
            + _exposure_table(exposures)
        )
    body = "\n".join(parts)
    html_body = f"""<header class="banner v-{tone}" id="verdict">
<h1>{esc(head)}</h1>
<p>{esc(_audit_head(diff.audit))}</p>
<p>{esc(compared)} Resources recorded: {diff.resources:,}.</p>
</header>
<main>
{body}
<footer>spillguard {esc(__version__)}. Only verdicts, people counts and kinds of data are shown:
no personal value appears in this report.</footer>
</main>"""
    return page(f"spillguard audit: {head}", _CSS, html_body)


# --- entry points --------------------------------------------------------------------------------


def render_audit(diff: AuditDiff, exposures: Sequence[Exposure], fmt: str) -> str:
    """The audit report in `fmt` (text, json or html)."""
    if fmt == "json":
        return _json(audit_dict(diff, exposures))
    if fmt == "html":
        return render_audit_html(diff, exposures)
    if fmt == "text":
        return render_audit_text(diff, exposures)
    raise ValueError(f"unknown audit report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render_exposures(exposures: Sequence[Exposure], fmt: str) -> str:
    """The exposure list in `fmt` (text or json)."""
    if fmt == "json":
        return _json(exposures_dict(exposures))
    if fmt == "text":
        return render_exposures_text(exposures)
    raise ValueError(f"unknown exposures format {fmt!r}; choose text or json")
