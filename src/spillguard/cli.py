"""The command line. Exit codes: 0 nothing blocks, 1 blocked (or a file could not be inspected),
2 usage or internal error."""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from spillguard import __version__, cli_audit
from spillguard.changes import added_exposures, changed_files
from spillguard.errors import SpillguardError
from spillguard.model import Report, Verdict
from spillguard.plugins import reporters
from spillguard.policy import load_policy, with_overrides
from spillguard.scanner import expand, iter_scan
from spillguard.workers import default_jobs

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2

#: the --policy option, the same for every command that reads the policy
PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy file (default: spillguard.toml or pyproject.toml)."),
]

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="spillguard stops personal data from being published by mistake.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spillguard {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """spillguard stops personal data from being published by mistake."""


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[str], None] | None]:
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=sys.stderr)
    with Progress(
        TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        console=console, transient=True,
    ) as prog:  # fmt: skip
        task = prog.add_task("", total=total)

        def advance(name: str) -> None:
            prog.update(task, advance=1, description=Path(name).name[:40])

        yield advance


def exit_code(report: Report, fail_on: str) -> int:
    verdict = report.verdict
    if verdict is Verdict.BLOCK:
        return EXIT_BLOCKED
    if fail_on == "warn" and verdict is Verdict.WARN:
        return EXIT_BLOCKED
    return EXIT_OK


@app.command()
def scan(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to scan.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="Output format: text, json, sarif, markdown, jsonl or html."
        ),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    policy_file: PolicyOption = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Exit 1 on 'block' (default) or also on 'warn'."),
    ] = None,
    records_block: Annotated[
        int | None,
        typer.Option("--records-block", help="A visible table of this many people blocks."),
    ] = None,
    not_inspected_blocks: Annotated[
        bool | None,
        typer.Option(
            "--not-inspected-blocks/--not-inspected-warns",
            help="Block (or only warn) when some content was not inspected.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Files scanned at once (default: all cores).", min=1),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", help="Seconds per file before it is an error (0: none).", min=0
        ),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option("--changed-since", help="Scan only files changed since this git revision."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: on a TTY)."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log to stderr.")] = False,
) -> None:
    """Scan files a release would publish; block the release if they expose personal data."""
    # qpdf reports damaged PDFs through this logger; the verdict already says it, once.
    logging.getLogger("pikepdf").setLevel(logging.ERROR)
    if verbose:
        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(message)s"
        )
    available = reporters()
    if fmt not in available:
        typer.echo(
            f"error: unknown format {fmt!r}; choose one of: {', '.join(sorted(available))}",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    if fail_on not in (None, "block", "warn"):
        typer.echo("error: --fail-on must be 'block' or 'warn'", err=True)
        raise typer.Exit(EXIT_USAGE)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: no such file or directory: {', '.join(missing)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        policy = with_overrides(
            load_policy(policy_file),
            fail_on=fail_on,
            records_block=records_block,
            not_inspected_blocks=not_inspected_blocks,
            time_limit=time_limit,
        )
        targets = expand(paths, policy=policy)
        if changed_since is not None:
            changed = changed_files(changed_since, cwd=Path.cwd())
            targets = [t for t in targets if t.path.resolve() in changed]
        show = progress if progress is not None else (sys.stderr.isatty() and len(targets) > 1)
        report = Report(version=__version__)
        with _progress(len(targets), bool(show)) as advance:
            report.files.extend(
                iter_scan(
                    targets,
                    policy=policy,
                    progress=advance,
                    jobs=jobs or default_jobs(),
                    isolate=True,
                )
            )
        buf = io.StringIO()
        available[fmt].render(report, buf)
    except SpillguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    for fr in report.files:
        for r in fr.reasons:
            if r.startswith("EXPIRED ACCEPTANCE"):
                typer.echo(f"warning: {fr.path}: {r}", err=True)
    if output is not None:
        output.write_text(buf.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buf.getvalue())
        sys.stdout.flush()
    raise typer.Exit(exit_code(report, policy.fail_on))


@app.command()
def accept(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to scan.")],
    reason: Annotated[str, typer.Option("--reason", help="Why publishing this is acceptable.")],
    expires: Annotated[
        str, typer.Option("--expires", help="Date the acceptance ends (YYYY-MM-DD).")
    ],
    fingerprint: Annotated[
        list[str] | None,
        typer.Option("--fingerprint", help="A finding's fingerprint (repeatable)."),
    ] = None,
    all_findings: Annotated[
        bool, typer.Option("--all", help="Accept every finding of the scanned files.")
    ] = False,
    by: Annotated[str | None, typer.Option("--by", help="Who accepts (default: $USER).")] = None,
    accepted_file: Annotated[
        Path | None,
        typer.Option("--file", help="Accepted-findings file (default: .spillguard-accepted.toml)."),
    ] = None,
    policy_file: PolicyOption = None,
) -> None:
    """Record findings as reviewed and accepted for publication, by fingerprint."""
    import datetime as dt
    import os

    from spillguard.accept import ACCEPTED_FILE, Acceptance, add_acceptances, find_accepted_file

    try:
        until = dt.date.fromisoformat(expires)
    except ValueError:
        typer.echo("error: --expires must be a date like 2027-05-31", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if until <= dt.date.today():
        typer.echo("error: --expires must be a date in the future", err=True)
        raise typer.Exit(EXIT_USAGE)
    if not fingerprint and not all_findings:
        typer.echo("error: give --fingerprint FP (see --format json) or --all", err=True)
        raise typer.Exit(EXIT_USAGE)
    who = by or os.environ.get("USER") or os.environ.get("USERNAME") or ""
    if not who:
        typer.echo("error: say who accepts with --by", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        policy = load_policy(policy_file)
        target = accepted_file or find_accepted_file(Path.cwd()) or Path(ACCEPTED_FILE)
        report = Report(version=__version__)
        report.files.extend(iter_scan(expand(paths, policy=policy), policy=policy))
        wanted = set(fingerprint or [])
        new = [
            Acceptance(
                fingerprint=f.fingerprint,
                reason=reason,
                by=who,
                accepted=dt.date.today(),
                expires=until,
                entity=f.entity,
                path=fr.path,
                location=f.location,
            )
            for fr in report.files
            for f in fr.findings
            if all_findings or f.fingerprint in wanted
        ]
        missing = wanted - {a.fingerprint for a in new}
        if missing:
            typer.echo(
                f"error: no finding has the fingerprint {', '.join(sorted(missing))}", err=True
            )
            raise typer.Exit(EXIT_USAGE)
        n = add_acceptances(target, new)
    except SpillguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(f"accepted {n} finding{'s' if n != 1 else ''} until {until.isoformat()} in {target}")


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The tree that is live now.")],
    new: Annotated[Path, typer.Argument(help="The tree about to be published.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    policy_file: PolicyOption = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Files scanned at once.", min=1)
    ] = None,
) -> None:
    """Say what an update would add: exposures in NEW that OLD does not already publish."""
    import json

    if fmt not in ("text", "json"):
        typer.echo("error: --format must be text or json", err=True)
        raise typer.Exit(EXIT_USAGE)
    for p in (old, new):
        if not p.is_dir():
            typer.echo(f"error: not a directory: {p}", err=True)
            raise typer.Exit(EXIT_USAGE)
    try:
        policy = load_policy(policy_file)
        reports = []
        for tree in (old, new):
            r = Report(version=__version__)
            r.files.extend(
                iter_scan(
                    expand([tree], policy=policy),
                    policy=policy,
                    jobs=jobs or default_jobs(),
                    isolate=True,
                )
            )
            reports.append(r)
    except SpillguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    added = added_exposures(reports[0], reports[1], old_root=old, new_root=new)
    if fmt == "json":
        out = {
            "tool": {"name": "spillguard", "version": __version__},
            "blocked": any(a.blocking for a in added),
            "added": [
                {
                    "path": a.path,
                    "new_file": a.new_file,
                    "people": a.people,
                    "error": a.error,
                    "summary": a.sentence(),
                    "findings": [f.to_dict() for f in a.findings],
                }
                for a in added
            ],
        }
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    elif not added:
        sys.stdout.write("this update adds no personal data that is not already published\n")
    else:
        for a in added:
            sys.stdout.write(("BLOCKS  " if a.blocking else "note    ") + a.sentence() + "\n")
    raise typer.Exit(EXIT_BLOCKED if any(a.blocking for a in added) else EXIT_OK)


policy_app = typer.Typer(help="Show the policy that scans follow.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@policy_app.command("show")
def policy_show(
    policy_file: PolicyOption = None,
) -> None:
    """Print the effective policy (defaults, then the policy file) and where it came from."""
    try:
        policy = load_policy(policy_file)
    except SpillguardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    sys.stdout.write(policy.to_toml())


cli_audit.register(app)  # spillguard audit, spillguard exposures


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - never print a traceback that may quote content
        sys.stderr.write(f"internal error ({type(exc).__name__}); please report it\n")
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
