"""The commands that work with the audit database: `spillguard exposures` (and `spillguard audit`).

Each command lives in its own function and is added by ``register(app)``; cli.py calls it once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from spillguard.audit.runner import AuditConfig
    from spillguard.store import AuditStore

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2

#: the --db option, the same for every command that uses the audit database
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Audit database: a SQLAlchemy URL or a file path (default: $SPILLGUARD_DATABASE_URL, "
        "else ~/.local/share/spillguard/audits.db).",
    ),
]


def resolve_db(db: str | None) -> str:
    """The database URL for a --db value (URL or path; None: the default)."""
    from spillguard.store import default_db_url, resolve_url

    return resolve_url(db) if db else default_db_url()


def open_db(db: str | None) -> AuditStore:
    """Open the audit store for a --db value; a failure is a usage error (exit 2), said plainly."""
    from spillguard.errors import SpillguardError
    from spillguard.store import open_store

    try:
        return open_store(resolve_db(db))
    except SpillguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def exposures(
    site: Annotated[
        str | None, typer.Option("--site", help="Only this site (e.g. https://www.example.gov).")
    ] = None,
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    current: Annotated[
        bool, typer.Option("--current", help="Only exposures still online (not gone).")
    ] = False,
) -> None:
    """List resources that expose personal data: first seen, last seen, gone since, people."""
    from spillguard.errors import SpillguardError
    from spillguard.reports.audit import render_exposures

    if fmt not in ("text", "json"):
        typer.echo("error: --format must be text or json", err=True)
        raise typer.Exit(EXIT_USAGE)
    store = open_db(db)
    try:
        site_key = _site_key(site) if site else None
        items = store.exposures(site_key, include_gone=not current)
    except SpillguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        store.close()
    sys.stdout.write(render_exposures(items, fmt))
    sys.stdout.flush()
    raise typer.Exit(EXIT_OK)


def _site_key(site: str) -> str:
    from spillguard.store import normalise_site

    return normalise_site(site)


def register(app: typer.Typer) -> None:
    """Add the audit-database commands to the spillguard app."""
    app.command("exposures")(exposures)
    register_audit(app)


# --- spillguard audit (helper CRAWL) -------------------------------------------------------------


def audit(
    url: Annotated[str, typer.Argument(help="The site to audit, e.g. https://www.example.gov/.")],
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", help="Fetch at most this many resources.", min=1)
    ] = None,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", help="Follow links this many hops deep.", min=0)
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Only fetch URLs matching this regex (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Never fetch URLs matching this regex (repeatable)."),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Another host name the audit may fetch from."),
    ] = None,
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or html.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    notify: Annotated[
        str | None,
        typer.Option("--notify", help="POST a JSON summary here when something new is exposed."),
    ] = None,
    every: Annotated[
        str | None,
        typer.Option("--every", help="Audit again at this interval (90s, 30m, 1h, 1d)."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow loopback, private and link-local addresses."),
    ] = False,
    max_size: Annotated[
        float,
        typer.Option("--max-size", help="Largest response in MB; larger ones are errors.", min=0),
    ] = 50.0,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for a response.", min=0.1)
    ] = 30.0,
    retries: Annotated[
        int, typer.Option("--retries", help="Retries of a failed request.", min=0)
    ] = 2,
    delay: Annotated[
        float,
        typer.Option("--delay", help="First delay between requests (AutoThrottle adapts).", min=0),
    ] = 1.0,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Files scanned at once (default: all cores).", min=1),
    ] = None,
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy file (default: spillguard.toml or pyproject.toml)."),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Start a new audit even if an unfinished one could resume."),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log to stderr.")] = False,
) -> None:
    """Crawl a live site, scan what it publishes, and report new, changed and removed exposures."""
    import re

    from spillguard.audit.runner import AuditConfig, AuditError, parse_every
    from spillguard.errors import SpillguardError
    from spillguard.policy import load_policy
    from spillguard.reports.audit import FORMATS
    from spillguard.workers import default_jobs

    if fmt not in FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    for pattern in [*(include or []), *(exclude or [])]:
        try:
            re.compile(pattern)
        except re.error as exc:
            typer.echo(f"error: invalid regular expression {pattern!r}: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
    try:
        interval = parse_every(every) if every is not None else None
        policy = load_policy(policy_file)
        db_url = resolve_db(db)
    except (AuditError, SpillguardError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    config = AuditConfig(
        url=url,
        db=db_url,
        max_pages=max_pages,
        max_depth=max_depth,
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        allow_private=allow_private,
        allow_hosts=tuple(allow_host or ()),
        max_size_mb=max_size,
        timeout=timeout,
        retries=retries,
        jobs=jobs or default_jobs(),
        delay=delay,
        policy=policy,
        fresh=fresh,
        notify=notify,
        verbose=verbose,
    )
    if interval is None:
        try:
            code = _audit_once(config, fmt, output)
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            code = EXIT_USAGE  # not 1: that would mean a new blocking exposure
        raise typer.Exit(code)
    raise typer.Exit(_audit_every(config, fmt, output, interval))


def _audit_once(config: AuditConfig, fmt: str, output: Path | None) -> int:
    """Run one audit, write its report; the exit code (0, 1 new blocking exposure, 2 failed)."""
    from spillguard.audit.runner import AuditError, run_audit
    from spillguard.errors import SpillguardError
    from spillguard.reports.audit import render_audit

    def say(line: str) -> None:
        typer.echo(line, err=True)

    try:
        outcome = run_audit(config, echo=say)
    except (AuditError, SpillguardError) as exc:
        say(f"error: {exc}")
        return EXIT_USAGE
    for problem in outcome.problems:
        say(f"note: {problem}")
    if not outcome.finished or outcome.diff is None:
        say(f"audit #{outcome.audit.id} was not finished; run the same command again to resume it")
        return EXIT_USAGE
    diff = outcome.diff
    text = render_audit(diff, outcome.exposures, fmt)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    say(
        f"audit #{diff.audit.id} of {diff.audit.site}: {diff.resources} resources, "
        f"{len(diff.new)} new, {len(diff.changed)} changed, {len(diff.removed)} removed "
        f"exposures, {len(diff.errors)} errors; this run scanned {outcome.scanned} and reused "
        f"{outcome.reused} results" + ("" if diff.audit.complete else " (not complete)")
    )
    if outcome.notify_error:
        say(f"warning: the webhook was not delivered: {outcome.notify_error}")
    elif outcome.notified:
        say("webhook sent")
    if diff.new_blocking:
        return EXIT_BLOCKED
    if outcome.start_failed:
        say("error: the start page got no answer, so nothing was inspected (fail closed)")
        return EXIT_USAGE
    return EXIT_OK


def _audit_every(config: AuditConfig, fmt: str, output: Path | None, interval: float) -> int:
    """Audit at `interval` until Ctrl-C (between runs); the last run's exit code."""
    import time

    code = EXIT_OK
    runs = 0
    try:
        while True:
            began = time.monotonic()
            code = _audit_once(config, fmt, output)
            runs += 1
            if code == EXIT_USAGE and runs == 1:
                return code  # a first run that cannot work will not work later
            wait = max(0.0, interval - (time.monotonic() - began))
            typer.echo(f"next audit in {wait:.0f} s (Ctrl-C stops)", err=True)
            time.sleep(wait)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    return code


def register_audit(app: typer.Typer) -> None:
    """Add `spillguard audit` to the app."""
    app.command("audit")(audit)
