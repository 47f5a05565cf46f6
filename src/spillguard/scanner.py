"""The pipeline: read -> detect -> assess, one file at a time, into a `Report`."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spillguard import __version__
from spillguard.assess import assess
from spillguard.detect import Hit, PeopleLedger, RecordSet, TextCollector, detect_table
from spillguard.detectors.base import TextDetector
from spillguard.errors import CorruptFile, LimitExceeded, ReadError, UnsupportedFormat
from spillguard.model import (
    EmbeddedFile,
    FileResult,
    Location,
    NotInspected,
    Part,
    Report,
    Surface,
    TablePart,
    TextPart,
    Verdict,
)
from spillguard.plugins import detectors as registered_detectors
from spillguard.plugins import readers as registered_readers
from spillguard.policy import DEFAULT_POLICY, Policy, relative_posix
from spillguard.readers.base import HEAD_BYTES, Reader, Source
from spillguard.workers import run_workers

log = logging.getLogger("spillguard")

#: names that promise a structured format: empty, they are broken, not harmless
_STRUCTURED_SUFFIXES = {
    ".xlsx": "an XLSX workbook",
    ".xlsm": "an XLSM workbook",
    ".xls": "an XLS workbook",
    ".ods": "an ODS spreadsheet",
    ".pdf": "a PDF document",
    ".docx": "a Word document",
    ".docm": "a Word document",
    ".pptx": "a PowerPoint presentation",
    ".pptm": "a PowerPoint presentation",
    ".odt": "an OpenDocument text",
    ".odp": "an OpenDocument presentation",
    ".zip": "a ZIP archive",
}

_SKIP_DIRS = {".git", ".hg", ".svn"}

ProgressFn = Callable[[str], None]


@dataclass(slots=True)
class Target:
    path: Path
    display: str


def expand(paths: Iterable[str | Path], *, policy: Policy = DEFAULT_POLICY) -> list[Target]:
    """Files under the given paths, in a stable order. Directories are walked recursively and
    filtered by the policy's include/exclude globs; files named directly are always scanned."""
    out: list[Target] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                for name in sorted(files):
                    fp = Path(root) / name
                    if fp.is_symlink() and not fp.exists():
                        continue
                    if not policy.selects(relative_posix(fp, path)):
                        continue
                    out.append(Target(fp, str(fp)))
        else:
            out.append(Target(path, str(path)))
    return out


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def choose_reader(source: Source, readers: Sequence[Reader]) -> tuple[Reader, str]:
    for r in readers:
        ft = r.sniff(source)
        if ft:
            return r, ft
    head = source.head
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        raise UnsupportedFormat(
            "a ZIP container that is not a spreadsheet spillguard reads; its members were not "
            "inspected"
        )
    if head.startswith(b"%PDF"):
        raise UnsupportedFormat("a PDF document: PDF files are not inspected yet")
    raise UnsupportedFormat("a binary file of a type spillguard does not recognise; not inspected")


def scan_file(
    target: Target,
    *,
    policy: Policy = DEFAULT_POLICY,
    readers: Sequence[Reader] | None = None,
    detectors: Sequence[TextDetector] | None = None,
) -> FileResult:
    """Scan one file. Never raises for a bad file: the result carries an ``error`` verdict."""
    started = time.perf_counter()
    result = FileResult(path=target.display, sha256="", verdict=Verdict.ERROR)
    try:
        _scan_into(result, target, policy, readers, detectors)
    except ReadError as exc:
        result.verdict = Verdict.ERROR
        result.error = str(exc)
        result.findings = []
    except (OSError, MemoryError, RecursionError) as exc:
        result.verdict = Verdict.ERROR
        result.error = f"the file could not be read ({type(exc).__name__})"
        result.findings = []
    except Exception as exc:  # noqa: BLE001 - fail closed on any bug, without quoting content
        log.debug("internal error while scanning %s: %s", target.display, type(exc).__name__)
        result.verdict = Verdict.ERROR
        result.error = (
            f"internal error while reading this file ({type(exc).__name__}); the file was not "
            "fully inspected"
        )
        result.findings = []
    result.seconds = time.perf_counter() - started
    return result


def _scan_into(
    result: FileResult,
    target: Target,
    policy: Policy,
    readers: Sequence[Reader] | None,
    detectors: Sequence[TextDetector] | None,
) -> None:
    limits = policy.limits()
    path = target.path
    if not path.exists():
        raise ReadError("the file does not exist")
    if not path.is_file():
        raise ReadError("not a regular file (a directory, device, pipe or socket); not inspected")
    size = path.stat().st_size
    result.size = size
    result.sha256 = sha256_of(path)
    if size > limits.max_file_bytes:
        raise LimitExceeded(
            f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,} bytes"
        )
    if size == 0:
        promised = _STRUCTURED_SUFFIXES.get(path.suffix.lower())
        if promised:
            raise CorruptFile(f"the file is empty (0 bytes) but its name says it is {promised}")
        result.verdict = Verdict.PASS
        result.file_type = "empty"
        result.reasons.append("empty file: nothing to inspect")
        return
    source = Source.from_path(path, display=target.display, limits=limits)
    readers_list = list(readers or registered_readers())
    reader, file_type = choose_reader(source, readers_list)
    result.file_type = file_type
    dets = list(detectors or registered_detectors())
    ledger = PeopleLedger()
    text = TextCollector(ledger, allow=policy.allow)
    hits: list[Hit] = []
    records: list[RecordSet] = []
    notes: list[NotInspected] = []
    part_no = 0
    with tempfile.TemporaryDirectory(prefix="spillguard-") as tmp:
        for item in _items(reader, source, file_type, readers_list, Path(tmp)):
            if isinstance(item, NotInspected):
                notes.append(item)
            elif isinstance(item, TablePart):
                part_no += 1
                outcome = detect_table(item, dets, ledger, part_no=part_no, allow=policy.allow)
                hits.extend(outcome.hits)
                if outcome.records:
                    records.append(outcome.records)
            elif isinstance(item, TextPart):
                text.add_part(item, dets)
    text.finish()
    hits.extend(text.hits())
    verdict, findings, reasons = assess(hits, records, notes, policy)
    result.verdict = verdict
    result.findings = findings
    result.reasons = reasons
    result.not_inspected = notes
    # The ledger dedupes people across surfaces by name; a single table knows better when
    # different people share a name. Take whichever sees more distinct people.
    result.individuals = max([ledger.count(), *(r.people for r in records)])


def _items(
    reader: Reader, source: Source, file_type: str, readers: Sequence[Reader], tmp: Path
) -> Iterator[Part | NotInspected]:
    """The file's parts and notes, with embedded files read recursively in their place."""
    for item in reader.read(source, file_type):
        if isinstance(item, EmbeddedFile):
            yield from _embedded(item, source, readers, tmp)
        else:
            yield item


def _embedded(
    item: EmbeddedFile, parent: Source, readers: Sequence[Reader], tmp: Path
) -> Iterator[Part | NotInspected]:
    limits = parent.limits
    member = f"{parent.member}/{item.name}" if parent.member else item.name
    where = Location(parent.display, item.surface, item.name, parent.member)
    if parent.depth + 1 > limits.max_depth:
        raise LimitExceeded(
            f"{member} is nested {parent.depth + 1} files deep, over the limit of "
            f"{limits.max_depth}"
        )
    if item.path is not None:
        path = item.path
    else:
        fd, name = tempfile.mkstemp(dir=tmp)
        with os.fdopen(fd, "wb") as fh:
            fh.write(item.data or b"")
        path = Path(name)
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    src = Source(
        path=path,
        display=parent.display,
        size=size,
        head=head,
        limits=limits,
        member=member,
        depth=parent.depth + 1,
    )
    try:
        sub_reader, sub_type = choose_reader(src, readers)
    except UnsupportedFormat as exc:
        yield NotInspected(where, f"embedded file of a type spillguard does not read ({exc})")
        return
    try:
        for sub in _items(sub_reader, src, sub_type, readers, tmp):
            yield _resurface(sub, item.surface, member)
    except ReadError as exc:
        if str(exc).startswith("embedded file "):
            raise  # already names the innermost member
        raise type(exc)(f"embedded file {member}: {exc}") from None


def _resurface(item: Part | NotInspected, surface: Surface, member: str) -> Part | NotInspected:
    """Inner content keeps its own surface; visible content of a hidden container takes the
    container's (an attachment); every location names the member it came from."""
    loc = item.location
    new_surface = surface if loc.surface is Surface.VISIBLE else loc.surface
    if loc.member is None or new_surface is not loc.surface:
        loc = replace(loc, surface=new_surface, member=loc.member or member)
        if isinstance(item, NotInspected):
            return NotInspected(loc, item.reason)
        item.location = loc
    return item


def warm_up() -> None:
    """Load what every scan needs once, before worker processes are forked from this one."""
    from spillguard.detectors import names

    names.name_cell_score("Maria Lopez")
    names.nationality_cell_score("Mexico")


def iter_scan(
    targets: Sequence[Target],
    *,
    policy: Policy = DEFAULT_POLICY,
    progress: ProgressFn | None = None,
    jobs: int = 1,
    isolate: bool = False,
) -> Iterator[FileResult]:
    """Scan `targets`, yielding results in their order.

    With `jobs` > 1 or `isolate`, files are scanned in worker processes: in parallel, within the
    policy's time limit, and a reader that crashes its worker gives that file an error verdict.
    """
    readers = registered_readers()
    dets = registered_detectors()
    if jobs > 1 or isolate:
        warm_up()
        yield from run_workers(
            targets,
            scan=scan_file,
            display=_display,
            policy=policy,
            readers=readers,
            detectors=dets,
            jobs=jobs,
            time_limit=policy.time_limit,
            progress=progress,
        )
        return
    for t in targets:
        if progress:
            progress(t.display)
        yield scan_file(t, policy=policy, readers=readers, detectors=dets)


def _display(target: object) -> str:
    return target.display if isinstance(target, Target) else str(target)


def scan(
    paths: Iterable[str | Path],
    *,
    policy: Policy = DEFAULT_POLICY,
    progress: ProgressFn | None = None,
    jobs: int = 1,
    isolate: bool = False,
) -> Report:
    """Scan files and directories; return the report. The Python API behind ``spillguard scan``.

    `jobs` > 1 scans in that many worker processes; `isolate` uses a worker even for one job, so
    the policy's time limit holds and a crashing reader cannot take the caller down.
    """
    targets = expand(paths, policy=policy)
    report = Report(version=__version__)
    report.files.extend(
        iter_scan(targets, policy=policy, progress=progress, jobs=jobs, isolate=isolate)
    )
    return report
