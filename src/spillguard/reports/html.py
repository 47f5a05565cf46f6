"""One self-contained HTML page (``--format html``) for the person who must act on the report.

Inline CSS only: no script, no font, no image, no external asset, and a Content-Security-Policy
that forbids loading any, so the page can be mailed or attached to a ticket and opened offline.
Readable on a phone (viewport meta, one column, long names wrap). Every string from the model is
escaped with `html.escape`; samples are the masked ones of the model.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from spillguard.model import FileResult, Finding, Report, Verdict
from spillguard.reports.plain import (
    FILE_VERDICT_WORDS,
    REPORT_VERDICT_WORDS,
    files_scanned,
    hidden_places,
    people,
    report_hidden_places,
    verdict_counts,
    what,
    where,
)

MAX_FINDINGS_PER_FILE = 500

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#1b1f24;background:#f4f5f7}
main{max-width:60rem;margin:0 auto;padding:0 1rem 2rem}
h1{font-size:1.5rem;margin:0}
h2{font-size:1.1rem;margin:0;overflow-wrap:anywhere}
.banner{padding:1.25rem 1rem;color:#fff}
.banner p{margin:.35rem 0 0}
.v-block,.v-error{background:#b3261e}.v-warn{background:#8a5300}.v-pass{background:#1e6b34}
.summary{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.stat{flex:1 1 10rem;background:#fff;border-radius:.5rem;padding:.75rem 1rem;
 box-shadow:0 1px 2px rgba(0,0,0,.12)}
.stat b{display:block;font-size:1.6rem}
.file{background:#fff;border-radius:.5rem;margin:1rem 0;padding:1rem;
 box-shadow:0 1px 2px rgba(0,0,0,.12);border-left:.4rem solid #8c959f}
.file.f-block,.file.f-error{border-left-color:#b3261e}.file.f-warn{border-left-color:#c27c0e}
.file.f-pass{border-left-color:#1e6b34}
.meta{color:#57606a;font-size:.9rem;margin:.25rem 0 .5rem}
.badge{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.8rem;font-weight:600;
 text-transform:uppercase;letter-spacing:.03em;color:#fff;background:#57606a;vertical-align:.1em}
.s-critical{background:#8e1519}.s-high{background:#c4321e}.s-medium{background:#b06000}
.s-low{background:#4a6fa5}.s-info{background:#6e7781}
.b-block,.b-error{background:#b3261e}.b-warn{background:#8a5300}.b-pass{background:#1e6b34}
ul.findings{list-style:none;padding:0;margin:.5rem 0}
ul.findings li{border-top:1px solid #e1e4e8;padding:.6rem 0}
.what{font-weight:600}
dl{margin:.3rem 0 0;display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;
 font-size:.92rem}
dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
code{font:.92em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef0f3;
 padding:0 .25rem;border-radius:.2rem}
.error{background:#fdecea;border-radius:.35rem;padding:.6rem .8rem}
.notes{background:#fff8e5;border-radius:.35rem;padding:.6rem .8rem .6rem 1.8rem}
footer{color:#57606a;font-size:.85rem;margin-top:2rem}
@media (max-width:30rem){dl{grid-template-columns:1fr}dt{margin-top:.3rem}
 .stat b{font-size:1.3rem}}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def page(title: str, css: str, body: str) -> str:
    """A self-contained HTML page: no script, nothing fetched, no referrer (`_CSP`)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="referrer" content="no-referrer">
<title>{esc(title)}</title>
<style>{css}</style>
</head>
<body>
{body}
</body>
</html>
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def _finding(f: Finding) -> str:
    sev = f.severity.value
    rows = [("where", esc(where(f))), ("sample", f"<code>{esc(f.sample)}</code>")]
    if f.people:
        rows.append(("people", f"{people(f.people)} in this table"))
    if f.explanation:
        rows.append(("why", esc(f.explanation)))
    rows.append(("detector", f"{esc(f.detector)} (confidence {f.confidence:.2f})"))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<li><span class="badge s-{sev}">{sev}</span> '
        f'<span class="what">{esc(what(f))}</span><dl>{dl}</dl></li>'
    )


def _file(fr: FileResult) -> str:
    v = fr.verdict.value
    meta = [fr.file_type or "unknown type"]
    if fr.size:
        meta.append(f"{fr.size:,} bytes")
    if fr.individuals:
        meta.append(f"{people(fr.individuals)} exposed")
    places = hidden_places(fr)
    if places:
        meta.append("hidden places: " + ", ".join(places))
    parts = [
        f'<section class="file f-{v}">',
        f'<h2><span class="badge b-{v}">{esc(FILE_VERDICT_WORDS[fr.verdict])}</span> '
        f"{esc(fr.path)}</h2>",
        f'<p class="meta">{esc(" · ".join(meta))}</p>',
    ]
    if fr.verdict is Verdict.ERROR:
        parts.append(
            '<p class="error">This file could not be fully read, so it was not cleared: '
            f"{esc(fr.error or 'unknown reason')}</p>"
        )
    if fr.reasons:
        parts.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in fr.reasons) + "</ul>")
    if fr.findings:
        items = "".join(_finding(f) for f in fr.findings[:MAX_FINDINGS_PER_FILE])
        parts.append(f'<ul class="findings">{items}</ul>')
        left = len(fr.findings) - MAX_FINDINGS_PER_FILE
        if left > 0:
            parts.append(f"<p>… and {left:,} more findings (see the JSON report).</p>")
    elif fr.verdict is Verdict.PASS:
        parts.append("<p>No personal data found.</p>")
    if fr.not_inspected:
        notes = "".join(
            f"<li>{esc(n.location.where or n.location.member or 'part of the file')} "
            f"({esc(n.location.surface.label)}): {esc(n.reason)}</li>"
            for n in fr.not_inspected
        )
        parts.append(f'<p><b>Not inspected</b></p><ul class="notes">{notes}</ul>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """The whole page as one string."""
    s = report.summary()
    verdict = report.verdict
    head = REPORT_VERDICT_WORDS[verdict]
    places = report_hidden_places(report)
    stats = [
        (f"{s['files']:,}", files_scanned(s["files"]).split(" ", 1)[1]),
        (f"{s['individuals']:,}", "people exposed (estimated)"),
        (f"{len(places)}", f"hidden place{'s' if len(places) != 1 else ''} with personal data"),
    ]
    stat_html = "".join(f'<div class="stat"><b>{a}</b>{esc(b)}</div>' for a, b in stats)
    order = {Verdict.ERROR: 0, Verdict.BLOCK: 0, Verdict.WARN: 1, Verdict.PASS: 2}
    files = sorted(report.files, key=lambda fr: order[fr.verdict])
    body = "\n".join(_file(fr) for fr in files)
    places_html = (
        "<p><b>Hidden places with personal data:</b> " + esc(", ".join(places)) + "</p>"
        if places
        else ""
    )
    body_html = f"""<header class="banner v-{verdict.value}" id="verdict">
<h1>{esc(head)}</h1>
<p>{esc(files_scanned(s["files"]))}: {esc(verdict_counts(report))}.</p>
</header>
<main>
<div class="summary">{stat_html}</div>
{places_html}
{body}
<footer>spillguard {esc(report.version)}. Samples are masked and fingerprints are keyed hashes:
no personal value appears in this report.</footer>
</main>"""
    return page(f"spillguard: {head}", _CSS, body_html)


class HtmlReporter:
    format = "html"

    def render(self, report: Report, out: TextIO) -> None:
        out.write(render_html(report))
