"""DOCX / DOCM reader: the text a reader of the document sees, and every layer Word keeps out of
sight.

Why: a Word file carries more than its page. Tracked deletions keep the deleted words (a UN report
once published the names its editors had struck out), hidden text (``w:vanish``) is in the file
but not on the page, comments and their authors ride along, headers and footers are easy to
forget, and embedded workbooks can hold whole tables of people. Each of those becomes a part with
its own surface; tables stay tables (`TablePart`) so their columns are judged as columns. Deleted
and hidden text never appears in the visible body part, so a finding's surface says truly where
the reader of the published file would (not) see it.

Parts are read through `zipsafe` (bounded, no XML entities); anything that cannot be read raises
a `ReadError`; what is seen but not read (macros) is a `NotInspected` note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from spillguard.errors import CorruptFile
from spillguard.model import EmbeddedFile, Location, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.ooxml_common import (
    doc_props,
    embedded_files,
    main_part,
    media_files,
    read_rels,
    script_notes,
    sniff_ooxml,
)
from spillguard.readers.tables import find_header_row
from spillguard.readers.zipsafe import SafeZip, local, parse_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"

_CT_DOCX = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_CT_DOCM = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)

#: paragraphs per body text part: small enough that "paragraphs 51-100" finds the place
PARAGRAPHS_PER_PART = 50
#: rows scanned for a header row in a Word table (only the first row may be the header)
_HEADER_SCAN = 12

_FALSE = frozenset({"0", "false", "off", "none"})
_DELETED = frozenset({f"{_W}del", f"{_W}moveFrom"})
_INSERTED = frozenset({f"{_W}ins", f"{_W}moveTo"})
_BLOCK_CONTAINERS = frozenset(
    {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"}
)
_NOTE_SKIP = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_STORY_PARTS = re.compile(r"word/(header|footer)\d*\.xml", re.IGNORECASE)


def _on(el: etree._Element | None) -> bool | None:
    """A toggle property (``<w:vanish/>``, ``w:val="0"``): True, False, or None when absent."""
    if el is None:
        return None
    return (el.get(f"{_W}val") or "true").strip().lower() not in _FALSE


# -- styles ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Styles:
    """Which styles hide their text (``w:vanish`` in the style's run properties, inherited
    through ``w:basedOn``)."""

    based_on: dict[str, str] = field(default_factory=dict)
    vanish: dict[str, bool] = field(default_factory=dict)

    def hidden(self, style_id: str | None) -> bool:
        seen = 0
        while style_id and seen < 50:  # basedOn chains are short; a loop is damage, not data
            if style_id in self.vanish:
                return self.vanish[style_id]
            style_id = self.based_on.get(style_id)
            seen += 1
        return False


def _read_styles(zf: SafeZip, rels: dict[str, str]) -> _Styles:
    out = _Styles()
    name = rels.get("styles") or "word/styles.xml"
    if not zf.has(name):
        return out
    for st in parse_part(zf, name).iter(f"{_W}style"):
        sid = st.get(f"{_W}styleId")
        if not sid:
            continue
        based = st.find(f"{_W}basedOn")
        if based is not None and based.get(f"{_W}val"):
            out.based_on[sid] = based.get(f"{_W}val") or ""
        rpr = st.find(f"{_W}rPr")
        v = _on(rpr.find(f"{_W}vanish")) if rpr is not None else None
        if v is not None:
            out.vanish[sid] = v
    return out


# -- one paragraph --------------------------------------------------------------------------------
@dataclass(slots=True)
class _Para:
    """The text of one paragraph, split by what a reader of the page sees."""

    visible: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # segments, one per hidden stretch
    deleted: dict[int, list[str]] = field(default_factory=dict)  # deletion number -> text
    inserted: dict[int, list[str]] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)  # field codes (instrText)

    def visible_text(self) -> str:
        return "".join(self.visible).strip()


class _Story:
    """Reads the paragraphs and tables of one part (the body, a footer, a comment...)."""

    def __init__(self, reader: _DocxReader) -> None:
        self.r = reader

    def paragraph(self, p: etree._Element) -> _Para:
        out = _Para()
        ppr = p.find(f"{_W}pPr")
        pstyle = None
        if ppr is not None:
            ps = ppr.find(f"{_W}pStyle")
            pstyle = ps.get(f"{_W}val") if ps is not None else None
        para_hidden = self.r.styles.hidden(pstyle)
        last_hidden = False
        for el in p.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{_W}t" or tag == f"{_W}delText":
                text = el.text or ""
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                text = "\t"
            elif tag in (f"{_W}br", f"{_W}cr"):
                text = "\n"
            elif tag == f"{_W}noBreakHyphen":
                text = "-"
            elif tag in (f"{_W}instrText", f"{_W}delInstrText"):
                if el.text and el.text.strip() and not self._in_fallback(el, p):
                    out.fields.append(el.text.strip())
                continue
            elif tag in _DELETED | _INSERTED or tag == f"{_W}rPrChange":
                author = el.get(f"{_W}author")
                if author and author.strip():
                    self.r.revision_authors.add(author.strip())
                continue
            else:
                continue
            if not text:
                continue
            deleted, inserted, run, fallback = self._context(el, p)
            if fallback:
                continue  # mc:Fallback repeats the mc:Choice content for old readers
            if deleted is not None:
                n = self.r.change_no(deleted)
                out.deleted.setdefault(n, []).append(text)
                continue
            if self._run_hidden(run, para_hidden):
                if not last_hidden:
                    out.hidden.append("")
                out.hidden[-1] += text
                last_hidden = True
                continue
            last_hidden = False
            out.visible.append(text)
            if inserted is not None:
                out.inserted.setdefault(self.r.change_no(inserted), []).append(text)
        return out

    @staticmethod
    def _in_fallback(el: etree._Element, stop: etree._Element) -> bool:
        for anc in el.iterancestors():
            if anc is stop:
                return False
            if anc.tag == f"{{{MC}}}Fallback":
                return True
        return False

    @staticmethod
    def _context(
        el: etree._Element, stop: etree._Element
    ) -> tuple[etree._Element | None, etree._Element | None, etree._Element | None, bool]:
        """(enclosing deletion, enclosing insertion, enclosing run, inside mc:Fallback)."""
        deleted = inserted = run = None
        for anc in el.iterancestors():
            tag = anc.tag
            if tag == f"{_W}r" and run is None:
                run = anc
            elif tag in _DELETED and deleted is None:
                deleted = anc
            elif tag in _INSERTED and inserted is None:
                inserted = anc
            elif tag == f"{{{MC}}}Fallback":
                return deleted, inserted, run, True
            if anc is stop:
                break
        if el.tag == f"{_W}delText" and deleted is None:
            deleted = el  # a stray delText outside <w:del> is still deleted text
        return deleted, inserted, run, False

    def _run_hidden(self, run: etree._Element | None, para_hidden: bool) -> bool:
        if run is None:
            return para_hidden
        rpr = run.find(f"{_W}rPr")
        if rpr is not None:
            own = _on(rpr.find(f"{_W}vanish"))
            if own is not None:
                return own
            rs = rpr.find(f"{_W}rStyle")
            if rs is not None and self.r.styles.hidden(rs.get(f"{_W}val")):
                return True
        return para_hidden


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """The block-level paragraphs and tables of a container, through content controls and
    custom XML wrappers, in document order."""
    stack: list[Iterator[etree._Element]] = [iter(container)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        if el.tag in (f"{_W}p", f"{_W}tbl"):
            yield el
        elif el.tag in _BLOCK_CONTAINERS:
            stack.append(iter(el))
        elif el.tag == f"{{{MC}}}AlternateContent":
            choice = el.find(f"{{{MC}}}Choice")
            if choice is not None:
                stack.append(iter(choice))


# -- the reader -----------------------------------------------------------------------------------
class DocxReader:
    """Reads .docx / .docm (and templates) into parts, surface by surface."""

    id = "docx"

    def sniff(self, source: Source) -> str | None:
        return sniff_ooxml(
            source,
            main_part="word/document.xml",
            plain=("docx", _CT_DOCX),
            macro=("docm", _CT_DOCM),
        )

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        with SafeZip(source.path, limits=source.limits, label="Word document") as zf:
            yield from _DocxReader(zf, source).read()


class _DocxReader:
    def __init__(self, zf: SafeZip, source: Source) -> None:
        self.zf = zf
        self.source = source
        self.styles = _Styles()
        self.revision_authors: set[str] = set()
        self._change_nos: dict[int, int] = {}
        self._changes = 0
        self._tables = 0
        self.story = _Story(self)

    def loc(self, surface: Surface, where: str) -> Location:
        return Location(
            path=self.source.display, surface=surface, where=where, member=self.source.member
        )

    def change_no(self, el: etree._Element) -> int:
        """The number of a tracked change (``#N``), in document order across the file."""
        key = id(el)
        n = self._change_nos.get(key)
        if n is None:
            self._changes += 1
            n = self._change_nos[key] = self._changes
        return n

    # -- top level -------------------------------------------------------------------------
    def read(self) -> Iterator[ReadItem]:
        main = main_part(self.zf, "word/document.xml")
        if not self.zf.has(main):
            raise CorruptFile(f"the main part {main} is missing from the Word document")
        rels = read_rels(self.zf, main)
        by_kind: dict[str, list[str]] = {}
        for rel in rels.values():
            if not rel.external and self.zf.has(rel.target):
                by_kind.setdefault(rel.kind, []).append(self.zf.resolve(rel.target) or rel.target)
        self.styles = _read_styles(self.zf, {k: v[0] for k, v in by_kind.items()})
        root = parse_part(self.zf, main, huge=True)
        body = root.find(f"{_W}body")
        if body is None:
            raise CorruptFile(f"the part {main} has no document body")
        yield from self._story(body, part=main, label="body", surface=Surface.VISIBLE, body=True)
        # headers and footers: through the relationships, and any other such part in the file
        hf = sorted(
            set(by_kind.get("header", []) + by_kind.get("footer", []))
            | {n for n in self.zf.names() if _STORY_PARTS.fullmatch(n)}
        )
        for part in hf:
            yield from self._story(
                parse_part(self.zf, part), part=part, label=part, surface=Surface.HEADER_FOOTER
            )
        yield from self._notes(by_kind.get("footnotes", ["word/footnotes.xml"]), "footnote")
        yield from self._notes(by_kind.get("endnotes", ["word/endnotes.xml"]), "endnote")
        yield from self._comments(by_kind.get("comments", ["word/comments.xml"]))
        for part in by_kind.get("glossaryDocument", []):
            groot = parse_part(self.zf, part, huge=True)
            for gbody in groot.iter(f"{_W}body"):
                yield from self._story(
                    gbody,
                    part=part,
                    label=f"{part} (building blocks, not shown in the document)",
                    surface=Surface.HIDDEN_TEXT,
                )
        yield from self._people(by_kind.get("people", ["word/people.xml"]))
        yield from self._settings(by_kind.get("settings", ["word/settings.xml"]))
        if self.revision_authors:
            yield TextPart(
                text="\n".join(sorted(self.revision_authors)),
                location=self.loc(Surface.METADATA, "authors of tracked changes"),
                context="author",
            )
        yield from doc_props(self.zf, self.loc)
        for rel in rels.values():  # imported HTML/RTF chunks, rendered as document content
            if rel.kind == "aFChunk" and not rel.external and self.zf.has(rel.target):
                name = self.zf.resolve(rel.target) or rel.target
                yield EmbeddedFile(name=name, data=self.zf.read(name), surface=Surface.VISIBLE)
        yield from embedded_files(self.zf, "word/embeddings/", self.loc)
        yield from media_files(self.zf, "word/media/")
        yield from script_notes(self.zf, self.loc)

    # -- stories ---------------------------------------------------------------------------
    def _story(
        self,
        container: etree._Element,
        *,
        part: str,
        label: str,
        surface: Surface,
        body: bool = False,
        context: str = "",
    ) -> Iterator[ReadItem]:
        """Paragraph blocks, tables, hidden text and tracked changes of one story."""
        block: list[tuple[int, str]] = []
        blocks_out = 0
        pno = 0

        def flush() -> Iterator[ReadItem]:
            nonlocal blocks_out
            if not block:
                return
            text = "\n".join(t for _, t in block)
            a, b = block[0][0], block[-1][0]
            if body or blocks_out or pno > PARAGRAPHS_PER_PART:
                span = f"paragraph {a}" if a == b else f"paragraphs {a}-{b}"
                where = f"{label}, {span}"
            else:
                where = label
            blocks_out += 1
            block.clear()
            yield TextPart(text=text, location=self.loc(surface, where), context=context)

        for el in _blocks(container):
            if el.tag == f"{_W}tbl":
                yield from flush()
                yield from self._table(el, part=part, label=label, surface=surface)
                continue
            pno += 1
            para = self.story.paragraph(el)
            yield from self._layers(para, part=part, where=f"{label}, paragraph {pno}")
            text = para.visible_text()
            if text:
                block.append((pno, text))
                if len(block) >= PARAGRAPHS_PER_PART:
                    yield from flush()
        yield from flush()

    def _layers(self, para: _Para, *, part: str, where: str) -> Iterator[ReadItem]:
        """The paragraph's hidden text, deletions, insertions and field codes."""
        hidden = " ".join(s.strip() for s in para.hidden if s.strip())
        if hidden:
            yield TextPart(
                text=hidden, location=self.loc(Surface.HIDDEN_TEXT, f"{where} (hidden text)")
            )
        for kind, changes in (("deletion", para.deleted), ("insertion", para.inserted)):
            if not changes:
                continue
            text = " ".join("".join(v).strip() for v in changes.values() if "".join(v).strip())
            if not text:
                continue
            nos = sorted(changes)
            label = f"#{nos[0]}" if len(nos) == 1 else f"#{nos[0]}-#{nos[-1]}"
            plural = "s" if len(nos) > 1 else ""
            yield TextPart(
                text=text,
                location=self.loc(Surface.TRACKED_CHANGE, f"{part} tracked {kind}{plural} {label}"),
            )
        if para.fields:
            yield TextPart(
                text="\n".join(para.fields),
                location=self.loc(Surface.HIDDEN_TEXT, f"{where} (field codes)"),
                context="field code",
            )

    def _table(
        self, tbl: etree._Element, *, part: str, label: str, surface: Surface
    ) -> Iterator[ReadItem]:
        self._tables += 1
        k = self._tables
        name = f"table {k}" if label == "body" else f"{label}, table {k}"
        grid: list[list[str]] = []
        header_marked = False
        for r, tr in enumerate(tbl.iterchildren(f"{_W}tr"), start=1):
            if r == 1:
                trpr = tr.find(f"{_W}trPr")
                header_marked = bool(trpr is not None and _on(trpr.find(f"{_W}tblHeader")) is True)
            row: list[str] = []
            for c, tc in enumerate(_cells(tr), start=1):
                texts: list[str] = []
                for para in self._cell_paragraphs(tc):
                    yield from self._layers(para, part=part, where=f"{name}, row {r}, column {c}")
                    t = para.visible_text()
                    if t:
                        texts.append(t)
                row.append("\n".join(texts))
                span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                extra = _int_val(span) - 1 if span is not None else 0
                row.extend([""] * max(0, min(extra, 64)))
            grid.append(row)
        if not any(any(v.strip() for v in row) for row in grid):
            return
        width = max(len(row) for row in grid)
        for row in grid:
            row.extend([""] * (width - len(row)))
        has_header = header_marked or (
            len(grid) > 1 and find_header_row(grid[:_HEADER_SCAN], max_scan=1) == 0
        )
        header = grid[0] if has_header else [""] * width
        body = grid[1:] if has_header else grid
        first = 2 if has_header else 1
        rows = [(first + i, row) for i, row in enumerate(body) if any(v.strip() for v in row)]
        yield TablePart(
            header=header,
            rows=rows,
            location=self.loc(surface, name),
            column_labels=[str(j + 1) for j in range(width)],
            sheet=name,
            total_rows=len(rows),
        )

    def _cell_paragraphs(self, tc: etree._Element) -> Iterator[_Para]:
        """Paragraphs of a cell, nested tables flattened into the cell's text."""
        for el in _blocks(tc):
            if el.tag == f"{_W}p":
                yield self.story.paragraph(el)
            else:
                for tr in el.iterchildren(f"{_W}tr"):
                    for inner in _cells(tr):
                        yield from self._cell_paragraphs(inner)

    # -- notes, comments, people, settings -------------------------------------------------
    def _notes(self, parts: Iterable[str], kind: str) -> Iterator[ReadItem]:
        for part in parts:
            if not self.zf.has(part):
                continue
            for note in parse_part(self.zf, part, huge=True).iterchildren(f"{_W}{kind}"):
                if note.get(f"{_W}type") in _NOTE_SKIP:
                    continue
                nid = note.get(f"{_W}id") or "?"
                yield from self._story(
                    note, part=part, label=f"{kind} {nid}", surface=Surface.VISIBLE
                )

    def _comments(self, parts: Iterable[str]) -> Iterator[ReadItem]:
        authors: set[str] = set()
        for part in parts:
            if not self.zf.has(part):
                continue
            for n, cm in enumerate(
                parse_part(self.zf, part, huge=True).iterchildren(f"{_W}comment"), start=1
            ):
                author = (cm.get(f"{_W}author") or "").strip()
                if author:
                    authors.add(author)
                # numbered in order, as Word's comment pane lists them (ids start at 0)
                yield from self._story(cm, part=part, label=f"comment {n}", surface=Surface.COMMENT)
        if authors:
            yield TextPart(
                text="\n".join(sorted(authors)),
                location=self.loc(Surface.METADATA, "authors of comments"),
                context="author",
            )

    def _people(self, parts: Iterable[str]) -> Iterator[ReadItem]:
        """``word/people.xml``: the people who commented or edited, with account ids."""
        for part in parts:
            if not self.zf.has(part):
                continue
            values: list[str] = []
            for person in parse_part(self.zf, part).iter(f"{{{W15}}}person"):
                author = (person.get(f"{{{W15}}}author") or "").strip()
                if author:
                    values.append(author)
                for pi in person.iter(f"{{{W15}}}presenceInfo"):
                    uid = (pi.get(f"{{{W15}}}userId") or "").strip()
                    if uid:
                        values.append(uid)
            if values:
                yield TextPart(
                    text="\n".join(values),
                    location=self.loc(Surface.METADATA, f"{part} (people who commented)"),
                    context="author",
                )

    def _settings(self, parts: Iterable[str]) -> Iterator[ReadItem]:
        """Document variables (``w:docVars``): values stored in the file, never shown."""
        for part in parts:
            if not self.zf.has(part):
                continue
            for var in parse_part(self.zf, part).iter(f"{_W}docVar"):
                name = var.get(f"{_W}name") or ""
                value = (var.get(f"{_W}val") or "").strip()
                if value:
                    yield TextPart(
                        text=value,
                        location=self.loc(Surface.METADATA, f"document variable {name}"),
                        context=name,
                    )


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    """The cells of a row, through content controls and custom XML around them."""
    for el in tr:
        if el.tag == f"{_W}tc":
            yield el
        elif el.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = el.find(f"{_W}sdtContent") if el.tag == f"{_W}sdt" else el
            if content is not None:
                yield from (c for c in content if c.tag == f"{_W}tc")


def _int_val(el: etree._Element) -> int:
    raw = el.get(f"{_W}val") or "1"
    try:
        return int(raw)
    except ValueError:
        raise CorruptFile(
            f"a Word table has a <{local(el.tag)}> whose value is not a whole number"
        ) from None


__all__ = ["DocxReader"]
