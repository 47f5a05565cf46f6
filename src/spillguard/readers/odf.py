"""OpenDocument text and presentations (ODT, ODP, ODG and templates), and what ODS shares.

Why: LibreOffice files keep the same hidden layers as Word and PowerPoint files, under other
names: ``<text:tracked-changes>`` keeps deleted paragraphs, ``<office:annotation>`` holds
comments and their authors, ``<text:hidden-text>``, hidden paragraphs, sections and character
styles with ``text:display="none"`` hide text in place, presentations keep hidden slides
(``presentation:visibility="hidden"``) and speaker notes, ``meta.xml`` names people, and
``Object N/`` folders are whole embedded documents. Each becomes a part with its surface; tables
stay tables. Everything is read through `zipsafe`; an encrypted package (``encryption-data`` in
the manifest) is an `EncryptedFile`.

Not read: ``ObjectReplacements/`` and ``Thumbnails/`` (rendered previews of content that is read
itself), shapes placed off a presentation page, flat XML files (``.fodt``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded
from spillguard.model import Location, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.ooxml_common import LocFn, embedded_item, media_files
from spillguard.readers.sniff import is_zip, zip_member_head
from spillguard.readers.tables import MAX_GRID_CELLS, find_header_row
from spillguard.readers.zipsafe import ZIP_ERRORS, SafeZip, local, parse_part, try_list_zip

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
PRES = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
DC = "http://purl.org/dc/elements/1.1/"
XLINK = "http://www.w3.org/1999/xlink"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
MATHML = "http://www.w3.org/1998/Math/MathML"
_MANIFEST_ROOT = re.compile(rb'full-path="/"\s+manifest:media-type="([^"]{1,100})"')
_STORED_MIMETYPE = re.compile(rb"mimetype(application/vnd\.oasis\.opendocument\.[a-z-]{1,40})")
_MANIFEST_ROOT_REV = re.compile(rb'media-type="([^"]{1,100})"\s+manifest:full-path="/"')
_T = f"{{{TEXT}}}"
_TB = f"{{{TABLE}}}"
_O = f"{{{OFFICE}}}"
_D = f"{{{DRAW}}}"

#: mimetype -> file type this reader reports
MIMETYPES: dict[bytes, str] = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.text-template": "odt",
    b"application/vnd.oasis.opendocument.text-master": "odt",
    b"application/vnd.oasis.opendocument.text-web": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/vnd.oasis.opendocument.presentation-template": "odp",
    b"application/vnd.oasis.opendocument.graphics": "odg",
    b"application/vnd.oasis.opendocument.graphics-template": "odg",
}
_CHART_TYPES = ("application/vnd.oasis.opendocument.chart",)

#: meta.xml elements that are dates, counters or software names, not words anyone wrote
_META_SKIP = frozenset(
    {
        "creation-date", "date", "print-date", "generator", "document-statistic",
        "editing-cycles", "editing-duration", "template", "auto-reload", "hyperlink-behaviour",
        "language",
    }
)  # fmt: skip
_META_AUTHORS = frozenset({"creator", "initial-creator", "printed-by"})
_PARAS = (f"{_T}p", f"{_T}h")
#: columns of a spreadsheet grid (LibreOffice's limit; Excel's is 16,384)
_MAX_COLUMNS = 16_384


# -- shared helpers (also used by the ODS reader) ------------------------------------------------
def is_encrypted(zf: SafeZip) -> bool:
    """Whether any part of the package is encrypted (zip flag, or ``encryption-data`` in the
    manifest, which is how ODF marks password-protected parts)."""
    if any(zf.is_encrypted(n) for n in zf.names()):
        return True
    name = "META-INF/manifest.xml"
    return zf.has(name) and b"encryption-data" in zf.read(name)


def odf_text(el: etree._Element) -> str:
    """The text of an element as a reader sees it: ``text:s`` spaces, tabs and line breaks
    expanded; annotations and footnote bodies left out (they are read as parts of their own)."""
    out: list[str] = []
    skip_depth = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag
        name = local(tag)
        skipped = node is not el and name in (
            "annotation",
            "note-body",
            "note-citation",
            "tracked-changes",
        )
        if event == "start":
            if skipped:
                skip_depth += 1
            if skip_depth:
                continue
            if tag == f"{_T}s":
                out.append(" " * max(1, min(_count(node), 1000)))
            elif tag == f"{_T}tab":
                out.append("\t")
            elif tag == f"{_T}line-break":
                out.append("\n")
            elif node.text and isinstance(tag, str):
                out.append(node.text)
            if tag in _PARAS and node is not el and out and not out[-1].endswith("\n"):
                out.append("\n")
        else:
            if skipped:
                skip_depth -= 1
            if not skip_depth and node is not el and node.tail:
                out.append(node.tail)
    return "".join(out).strip()


def _count(node: etree._Element) -> int:
    raw = node.get(f"{_T}c") or "1"
    try:
        return int(raw)
    except ValueError:
        return 1


def meta_parts(zf: SafeZip, loc: LocFn) -> Iterator[TextPart]:
    """``meta.xml``: authors (context ``author``), title, subject, keywords, user fields."""
    name = "meta.xml"
    if not zf.has(name):
        return
    root = parse_part(zf, name)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        lname = local(el.tag)
        text = (el.text or "").strip()
        if not text or lname in _META_SKIP or len(el):
            continue
        if lname == "user-defined":
            field = el.get(f"{{{META}}}name") or "user field"
            yield TextPart(
                text=text, location=loc(Surface.METADATA, f"meta.xml {field}"), context=field
            )
            continue
        ctx = "author" if lname in _META_AUTHORS else lname
        yield TextPart(text=text, location=loc(Surface.METADATA, f"meta.xml {lname}"), context=ctx)


def hidden_styles(*roots: etree._Element | None) -> set[str]:
    """Names of styles whose text is not displayed (``text:display="none"`` or
    ``"condition"`` in their text properties)."""
    out: set[str] = set()
    for root in roots:
        if root is None:
            continue
        for st in root.iter(f"{{{STYLE}}}style"):
            props = st.find(f"{{{STYLE}}}text-properties")
            if props is not None and props.get(f"{_T}display") in ("none", "condition"):
                out.add(st.get(f"{{{STYLE}}}name") or "")
    out.discard("")
    return out


def table_part(tbl: etree._Element, location: Location, name: str) -> TablePart | None:
    """A ``table:table`` as a `TablePart`: header rows (or a first row that looks like one) as
    the header, repeated rows and columns expanded within a bound."""
    grid: list[list[str]] = []
    header_rows = 0
    cells_seen = 0
    for row in tbl.iter(f"{_TB}table-row"):
        if _owner_table(row) is not tbl:
            continue
        cells: list[str] = []
        for cell in row:
            if local(cell.tag) not in ("table-cell", "covered-table-cell"):
                continue
            reps = _repeat(cell, "number-columns-repeated")
            text = odf_text(cell)
            if len(cells) + reps > _MAX_COLUMNS:
                if text or any(odf_text(c) for c in cell.itersiblings()):
                    raise CorruptFile(f"the {name} has more columns than a table can hold")
                break  # the empty rest of a row, written as one repeated cell
            cells.extend([text] * reps)
        while cells and not cells[-1]:
            cells.pop()
        reps = _repeat(row, "number-rows-repeated")
        copies = reps if any(cells) else 1
        cells_seen += copies * max(len(cells), 1)
        if cells_seen > MAX_GRID_CELLS:
            raise LimitExceeded(
                f"the {name} spreads its values over more than {MAX_GRID_CELLS:,} cells once its "
                "repeated rows and columns are expanded"
            )
        parent = row.getparent()
        if parent is not None and local(parent.tag) == "table-header-rows":
            header_rows += copies
        grid.extend([list(cells) for _ in range(copies)])
    if not any(any(v.strip() for v in r) for r in grid):
        return None
    width = max(len(r) for r in grid)
    for r in grid:
        r.extend([""] * (width - len(r)))
    has_header = header_rows == 1 or (len(grid) > 1 and find_header_row(grid[:12], max_scan=1) == 0)
    header = grid[0] if has_header else [""] * width
    body = grid[1:] if has_header else grid
    first = 2 if has_header else 1
    rows = [(first + i, r) for i, r in enumerate(body) if any(v.strip() for v in r)]
    return TablePart(
        header=header,
        rows=rows,
        location=location,
        column_labels=[str(j + 1) for j in range(width)],
        sheet=name,
        total_rows=len(rows),
    )


def _owner_table(el: etree._Element) -> etree._Element | None:
    for anc in el.iterancestors(f"{_TB}table"):
        return anc
    return None


def _repeat(el: etree._Element, attr: str) -> int:
    raw = el.get(f"{_TB}{attr}")
    if raw is None:
        return 1
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise CorruptFile(f"an ODF table has a {attr} attribute that is not a positive number")
    return n


def _member_head(source: Source, name: str, *, size: int) -> bytes | None:
    """`zip_member_head`, also None when a deflated member fails to inflate (reading reports
    that damage precisely; sniffing only decides who reads)."""
    try:
        return zip_member_head(source.path, name, size=size)
    except ZIP_ERRORS:
        return None


def _damaged_type(source: Source) -> str | None:
    """The type of an OpenDocument file whose ``mimetype`` and manifest cannot be read (a bad
    checksum, a truncated archive), so that reading reports the precise damage instead of
    "unsupported format": the stored ``mimetype`` member is still visible at the start of the
    file; failing that, ODF part names break the tie with the extension."""
    m = _STORED_MIMETYPE.search(source.head[:256])
    if m is not None and m.group(1) in MIMETYPES:
        return MIMETYPES[m.group(1)]
    names = try_list_zip(source.path)
    if names is None or not {"content.xml", "META-INF/manifest.xml"} <= set(names):
        return None
    ext = source.path.suffix.lower().lstrip(".")
    return ext if ext in ("odt", "odp", "odg") else None


# -- the reader -----------------------------------------------------------------------------------
class OdfReader:
    """Reads OpenDocument text, presentations and drawings (spreadsheets: `XlsOdsReader`)."""

    id = "odf"

    def sniff(self, source: Source) -> str | None:
        if not is_zip(source.head):
            return None
        mimetype = _member_head(source, "mimetype", size=128)
        if mimetype is not None:
            return MIMETYPES.get(mimetype.strip())
        # older writers (and damaged copies) leave out the optional ``mimetype`` member; the
        # manifest's root entry names the document type just as well
        manifest = _member_head(source, "META-INF/manifest.xml", size=8192) or b""
        found = _MANIFEST_ROOT.search(manifest) or _MANIFEST_ROOT_REV.search(manifest)
        if found is None:
            return _damaged_type(source)
        return MIMETYPES.get(found.group(1).strip())

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        with SafeZip(source.path, limits=source.limits, label="OpenDocument file") as zf:
            if is_encrypted(zf):
                raise EncryptedFile(
                    "the OpenDocument file is password-protected (encrypted); its content "
                    "cannot be inspected"
                )
            if not zf.has("content.xml"):
                raise CorruptFile("the OpenDocument file has no content.xml")
            yield from _OdfDoc(zf, source).read()


@dataclass(slots=True)
class _Counters:
    tables: int = 0
    deletions: int = 0
    comments: int = 0
    notes: int = 0
    hidden: int = 0


class _OdfDoc:
    def __init__(self, zf: SafeZip, source: Source) -> None:
        self.zf = zf
        self.source = source
        self.n = _Counters()
        self.authors: list[str] = []
        styles = parse_part(zf, "styles.xml") if zf.has("styles.xml") else None
        self.common_hidden = hidden_styles(styles)

    def loc(self, surface: Surface, where: str) -> Location:
        return Location(
            path=self.source.display, surface=surface, where=where, member=self.source.member
        )

    def read(self) -> Iterator[ReadItem]:
        yield from self._content("content.xml", base=Surface.VISIBLE, prefix="")
        yield from self._objects()
        if self.authors:
            yield TextPart(
                text="\n".join(dict.fromkeys(self.authors)),
                location=self.loc(Surface.METADATA, "authors of comments and tracked changes"),
                context="author",
            )
        yield from meta_parts(self.zf, self.loc)
        yield from self._pictures()

    # -- one content.xml -------------------------------------------------------------------
    def _content(
        self, part: str, *, base: Surface, prefix: str, chart: bool = False
    ) -> Iterator[ReadItem]:
        root = parse_part(self.zf, part, huge=True)
        if root.tag == f"{{{MATHML}}}math":  # a formula object is bare MathML, no office:body
            yield from self._formula(root, base, prefix)
            return
        auto = root.find(f"{_O}automatic-styles")
        hidden = self.common_hidden | hidden_styles(auto)
        body = root.find(f"{_O}body")
        if body is None:
            raise CorruptFile(f"the part {part} has no office:body")
        yield from self._tracked(body, prefix)
        yield from self._annotations(body, prefix)
        yield from self._hidden(body, hidden, prefix)
        pres = body.find(f"{_O}presentation")
        if pres is None:
            pres = body.find(f"{_O}drawing")
        if pres is not None:
            yield from self._pages(pres, auto, base, prefix)
            return
        yield from self._notes(body, base, prefix)
        table_surface = Surface.CHART_CACHE if chart else base
        yield from self._tables(body, table_surface, prefix)
        yield from self._paragraphs(body, base, f"{prefix}text")

    def _tracked(self, body: etree._Element, prefix: str) -> Iterator[ReadItem]:
        for tc in list(body.iter(f"{_T}tracked-changes")):
            for region in tc.iter(f"{_T}changed-region"):
                for deletion in region.iter(f"{_T}deletion"):
                    self._change_authors(deletion)
                    info = deletion.find(f"{_O}change-info")
                    if info is not None:
                        deletion.remove(info)
                    text = odf_text(deletion)
                    if text:
                        self.n.deletions += 1
                        yield TextPart(
                            text=text,
                            location=self.loc(
                                Surface.TRACKED_CHANGE,
                                f"{prefix}tracked deletion #{self.n.deletions}",
                            ),
                        )
                for other in region:
                    if local(other.tag) != "deletion":
                        self._change_authors(other)
            _drop(tc)

    def _change_authors(self, change: etree._Element) -> None:
        for creator in change.iter(f"{{{DC}}}creator"):
            if creator.text and creator.text.strip():
                self.authors.append(creator.text.strip())

    def _annotations(self, body: etree._Element, prefix: str) -> Iterator[ReadItem]:
        for ann in [e for e in body.iter() if local(e.tag) == "annotation"]:
            for meta_el in list(ann):
                if meta_el.tag in (
                    f"{{{DC}}}creator",
                    f"{{{DC}}}date",
                    f"{{{META}}}creator-initials",
                ):
                    if meta_el.tag == f"{{{DC}}}creator" and (meta_el.text or "").strip():
                        self.authors.append((meta_el.text or "").strip())
                    ann.remove(meta_el)
            text = odf_text(ann)
            if text:
                self.n.comments += 1
                yield TextPart(
                    text=text,
                    location=self.loc(Surface.COMMENT, f"{prefix}comment {self.n.comments}"),
                )
            _drop(ann)

    def _hidden(self, body: etree._Element, styles: set[str], prefix: str) -> Iterator[ReadItem]:
        """Hidden text, hidden paragraphs, hidden sections and text in a hidden style."""
        targets: list[etree._Element] = []
        for el in body.iter():
            tag = el.tag
            if tag == f"{_T}hidden-paragraph":
                parent = el.getparent()
                if parent is not None and parent is not body:
                    targets.append(parent)
            elif (
                tag == f"{_T}hidden-text"
                or (tag == f"{_T}section" and el.get(f"{_T}display") in ("none", "condition"))
                or (
                    tag in (f"{_T}span", f"{_T}p", f"{_T}h", f"{_T}section")
                    and el.get(f"{_T}style-name") in styles
                )
            ):
                targets.append(el)
        chosen = set(targets)
        for el in dict.fromkeys(targets):
            if any(a in chosen for a in el.iterancestors()):
                continue  # read with the hidden element that holds it
            text = odf_text(el)
            if el.tag == f"{_T}hidden-text":
                value = (el.get(f"{_T}string-value") or "").strip()
                text = " ".join(t for t in (value, text) if t)
            if text:
                self.n.hidden += 1
                yield TextPart(
                    text=text,
                    location=self.loc(Surface.HIDDEN_TEXT, f"{prefix}hidden text #{self.n.hidden}"),
                )
            _drop(el)

    def _notes(self, body: etree._Element, surface: Surface, prefix: str) -> Iterator[ReadItem]:
        for note in list(body.iter(f"{_T}note")):
            kind = note.get(f"{_T}note-class") or "footnote"
            nb = note.find(f"{_T}note-body")
            text = odf_text(nb) if nb is not None else ""
            if text:
                self.n.notes += 1
                yield TextPart(
                    text=text, location=self.loc(surface, f"{prefix}{kind} {self.n.notes}")
                )
            if nb is not None:
                _drop(nb)

    def _tables(self, body: etree._Element, surface: Surface, prefix: str) -> Iterator[ReadItem]:
        for tbl in list(body.iter(f"{_TB}table")):
            if _owner_table(tbl) is not None or tbl.getparent() is None:
                continue  # nested tables are read as their cell's text
            self.n.tables += 1
            name = f"{prefix}table {self.n.tables}"
            part = table_part(tbl, self.loc(surface, name), name)
            if part is not None:
                yield part
            _drop(tbl)

    def _paragraphs(
        self, container: etree._Element, surface: Surface, label: str
    ) -> Iterator[ReadItem]:
        """Top-level paragraphs and headings in blocks of 50, with where they are."""
        block: list[tuple[int, str]] = []
        k = 0
        for p in container.iter(*_PARAS):
            if any(a.tag in _PARAS for a in p.iterancestors()):
                continue  # a paragraph inside a frame inside a paragraph: read with its host
            k += 1
            text = odf_text(p)
            if text:
                block.append((k, text))
            if len(block) >= 50:
                yield self._block(block, surface, label)
                block = []
        if block:
            yield self._block(block, surface, label)

    def _block(self, block: list[tuple[int, str]], surface: Surface, label: str) -> TextPart:
        a, b = block[0][0], block[-1][0]
        span = f"paragraph {a}" if a == b else f"paragraphs {a}-{b}"
        return TextPart(
            text="\n".join(t for _, t in block), location=self.loc(surface, f"{label}, {span}")
        )

    # -- presentations ---------------------------------------------------------------------
    def _pages(
        self,
        pres: etree._Element,
        auto: etree._Element | None,
        base: Surface,
        prefix: str,
    ) -> Iterator[ReadItem]:
        hidden_pages: set[str] = set()
        if auto is not None:
            for st in auto.iter(f"{{{STYLE}}}style"):
                props = st.find(f"{{{STYLE}}}drawing-page-properties")
                if props is not None and props.get(f"{{{PRES}}}visibility") == "hidden":
                    hidden_pages.add(st.get(f"{{{STYLE}}}name") or "")
        for n, page in enumerate(pres.iterchildren(f"{_D}page"), start=1):
            hidden = (
                page.get(f"{_D}style-name") in hidden_pages
                or page.get(f"{{{PRES}}}visibility") == "hidden"
            )
            surface = Surface.HIDDEN_SLIDE if hidden else base
            label = f"{prefix}slide {n}" + (" (hidden)" if hidden else "")
            for notes in list(page.iter(f"{{{PRES}}}notes")):
                text = "\n".join(
                    odf_text(p)
                    for p in notes.iter(*_PARAS)
                    if not any(a.tag in _PARAS for a in p.iterancestors())
                ).strip()
                if text:
                    yield TextPart(
                        text=text, location=self.loc(Surface.SPEAKER_NOTES, f"{label} notes")
                    )
                _drop(notes)
            for k, tbl in enumerate(list(page.iter(f"{_TB}table")), start=1):
                if _owner_table(tbl) is not None:
                    continue
                name = f"{label}, table {k}"
                part = table_part(tbl, self.loc(surface, name), name)
                if part is not None:
                    yield part
                _drop(tbl)
            texts = [
                odf_text(p)
                for p in page.iter(*_PARAS)
                if not any(a.tag in _PARAS for a in p.iterancestors())
            ]
            text = "\n".join(t for t in texts if t)
            if text:
                yield TextPart(text=text, location=self.loc(surface, label))

    def _formula(self, root: etree._Element, surface: Surface, prefix: str) -> Iterator[ReadItem]:
        """A formula's text: its StarMath source when kept (readable as written), otherwise the
        MathML tokens in order."""
        notes = [a.text or "" for a in root.iter(f"{{{MATHML}}}annotation")]
        text = (
            " ".join(notes)
            if any(notes)
            else " ".join(t.strip() for t in root.itertext() if isinstance(t, str))
        )
        if text.strip():
            yield TextPart(text=text.strip(), location=self.loc(surface, f"{prefix}formula"))

    # -- embedded objects and pictures -----------------------------------------------------
    def _objects(self) -> Iterator[ReadItem]:
        yield from embedded_objects(self.zf, self.loc, self._sub_document)

    def _sub_document(self, folder: str, media_type: str) -> Iterator[ReadItem]:
        chart = media_type in _CHART_TYPES
        yield from self._content(
            f"{folder}/content.xml",
            base=Surface.VISIBLE if chart else Surface.ATTACHMENT,
            prefix=f"{folder}/ ",
            chart=chart,
        )

    def _pictures(self) -> Iterator[ReadItem]:
        yield from media_files(self.zf, "Pictures/")


SubDocFn = Callable[[str, str], Iterator[ReadItem]]


def embedded_objects(zf: SafeZip, loc: LocFn, read_sub: SubDocFn) -> Iterator[ReadItem]:
    """``Object N/`` sub-documents (read through `read_sub(folder, media type)`), and binary
    objects (OLE, stored as a plain ``Object N`` member) as `EmbeddedFile`s."""
    types: dict[str, str] = {}
    if zf.has("META-INF/manifest.xml"):
        for fe in parse_part(zf, "META-INF/manifest.xml").iter(f"{{{MANIFEST}}}file-entry"):
            path = (fe.get(f"{{{MANIFEST}}}full-path") or "").rstrip("/")
            types[path] = fe.get(f"{{{MANIFEST}}}media-type") or ""
    folders: set[str] = set()
    for name in zf.names():
        top = name.split("/", 1)[0]
        if not top.startswith("Object ") or top.startswith("ObjectReplacements"):
            continue
        if "/" in name:
            folders.add(top)
        else:
            yield embedded_item(name, zf.read(name), loc)
    for folder in sorted(folders):
        if zf.has(f"{folder}/content.xml"):
            yield from read_sub(folder, types.get(folder, ""))
        else:
            yield NotInspected(
                location=loc(Surface.ATTACHMENT, folder),
                reason="an embedded object without content.xml; its parts are not inspected",
            )


def _drop(el: etree._Element) -> None:
    """Remove `el` from its tree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


__all__ = [
    "MIMETYPES",
    "OdfReader",
    "embedded_objects",
    "hidden_styles",
    "is_encrypted",
    "meta_parts",
    "odf_text",
    "table_part",
]
