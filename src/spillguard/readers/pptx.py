"""PPTX / PPTM reader: slide text and tables, and the layers a slide show never puts on screen.

Why: decks are published as they were presented, with everything the presenter kept for
themselves: speaker notes ("if asked: the case of ... A-number ..."), hidden backup slides full of
records, text boxes dragged off the edge of the slide, reviewers' comments, and embedded
workbooks behind charts. Each becomes a part with its own surface; tables stay tables.

Everything is read through `zipsafe` (bounded, no XML entities); unreadable parts raise a
`ReadError`, macros are reported as not inspected. Not read: chart caches (the chart's embedded
workbook is read instead), slide masters' placeholder prompts, alt text of pictures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from spillguard.errors import CorruptFile
from spillguard.model import Location, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.ooxml_common import (
    REL_NS,
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

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P = f"{{{P}}}"
_A = f"{{{A}}}"
_RID = f"{{{REL_NS}}}id"

_CT_PPTX = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    b"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
)
_CT_PPTM = (
    b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    b"application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
    b"application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
)
#: PowerPoint's default slide size (10 x 7.5 inches) in EMU, when presentation.xml gives none
_DEFAULT_SIZE = (9_144_000, 6_858_000)
#: notes-page placeholders that hold no words of the presenter
_NOTES_SKIP = frozenset({"sldImg", "sldNum", "hdr", "ftr", "dt"})


def _int(el: etree._Element | None, attr: str, default: int) -> int:
    if el is None:
        return default
    raw = el.get(attr)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise CorruptFile(
            f"a slide part has a <{local(el.tag)}> whose {attr} attribute is not a whole number"
        ) from None


@dataclass(slots=True)
class _Xf:
    """An affine map from a group's child coordinates to slide coordinates (scale, then move)."""

    sx: float = 1.0
    sy: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return x * self.sx + self.dx, y * self.sy + self.dy


@dataclass(slots=True)
class _Shape:
    """Text or a table found on a slide, with its box in slide coordinates (None: inherited)."""

    sid: str
    box: tuple[float, float, float, float] | None
    text: str = ""
    table: list[list[str]] | None = None
    placeholder: str | None = None


@dataclass(slots=True)
class _Slide:
    shapes: list[_Shape] = field(default_factory=list)


def _para_text(container: etree._Element) -> str:
    """The text of a text body (``p:txBody``, ``a:txBody``): paragraphs on lines."""
    lines: list[str] = []
    for p in container.iter(f"{_A}p"):
        bits: list[str] = []
        for el in p.iter(f"{_A}t", f"{_A}br"):
            bits.append("\n" if el.tag == f"{_A}br" else (el.text or ""))
        line = "".join(bits).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def _box(xfrm: etree._Element | None, xf: _Xf) -> tuple[float, float, float, float] | None:
    if xfrm is None:
        return None
    off = xfrm.find(f"{_A}off")
    ext = xfrm.find(f"{_A}ext")
    if off is None:
        return None
    x, y = _int(off, "x", 0), _int(off, "y", 0)
    cx, cy = _int(ext, "cx", 0), _int(ext, "cy", 0)
    x0, y0 = xf.apply(x, y)
    x1, y1 = xf.apply(x + cx, y + cy)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _shapes(tree: etree._Element) -> list[_Shape]:
    """Every shape with text or a table in a shape tree, groups flattened, in z-order."""
    out: list[_Shape] = []
    stack: list[tuple[Iterator[etree._Element], _Xf]] = [(iter(tree), _Xf())]
    while stack:
        it, xf = stack[-1]
        el = next(it, None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if tag == f"{{{MC}}}AlternateContent":
            choice = el.find(f"{{{MC}}}Choice")
            if choice is not None:
                stack.append((iter(choice), xf))
            continue
        if tag == f"{_P}grpSp":
            gx = el.find(f"{_P}grpSpPr/{_A}xfrm")
            stack.append((iter(el), _group_xf(gx, xf)))
            continue
        nv = next((c for c in el if local(c.tag).startswith("nv")), None)
        cnv = nv.find(f"{_P}cNvPr") if nv is not None else None
        sid = cnv.get("id", "?") if cnv is not None else "?"
        ph = nv.find(f"{_P}nvPr/{_P}ph") if nv is not None else None
        placeholder = (ph.get("type") or "body") if ph is not None else None
        if tag == f"{_P}sp":
            body = el.find(f"{_P}txBody")
            text = _para_text(body) if body is not None else ""
            if text:
                box = _box(el.find(f"{_P}spPr/{_A}xfrm"), xf)
                out.append(_Shape(sid, box, text=text, placeholder=placeholder))
        elif tag == f"{_P}graphicFrame":
            tbl = el.find(f"{_A}graphic/{_A}graphicData/{_A}tbl")
            if tbl is not None:
                grid = [
                    [_para_text(tc) for tc in tr.iterchildren(f"{_A}tc")]
                    for tr in tbl.iterchildren(f"{_A}tr")
                ]
                box = _box(el.find(f"{_P}xfrm"), xf)
                out.append(_Shape(sid, box, table=grid, placeholder=placeholder))
    return out


def _group_xf(gx: etree._Element | None, parent: _Xf) -> _Xf:
    if gx is None:
        return parent
    off, ext = gx.find(f"{_A}off"), gx.find(f"{_A}ext")
    choff, chext = gx.find(f"{_A}chOff"), gx.find(f"{_A}chExt")
    x, y = _int(off, "x", 0), _int(off, "y", 0)
    cx, cy = _int(ext, "cx", 0), _int(ext, "cy", 0)
    chx, chy = _int(choff, "x", x), _int(choff, "y", y)
    chcx, chcy = _int(chext, "cx", cx), _int(chext, "cy", cy)
    sx = cx / chcx if chcx else 1.0
    sy = cy / chcy if chcy else 1.0
    # child point p maps to off + (p - chOff) * scale, then through the parent group
    local_xf = _Xf(sx, sy, x - chx * sx, y - chy * sy)
    return _Xf(
        parent.sx * local_xf.sx,
        parent.sy * local_xf.sy,
        parent.sx * local_xf.dx + parent.dx,
        parent.sy * local_xf.dy + parent.dy,
    )


class PptxReader:
    """Reads .pptx / .pptm / .ppsx (and templates) into parts, surface by surface."""

    id = "pptx"

    def sniff(self, source: Source) -> str | None:
        return sniff_ooxml(
            source,
            main_part="ppt/presentation.xml",
            plain=("pptx", _CT_PPTX),
            macro=("pptm", _CT_PPTM),
        )

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        with SafeZip(source.path, limits=source.limits, label="presentation") as zf:
            yield from _DeckReader(zf, source).read()


class _DeckReader:
    def __init__(self, zf: SafeZip, source: Source) -> None:
        self.zf = zf
        self.source = source
        self.width, self.height = _DEFAULT_SIZE
        self.slide_no: dict[str, int] = {}  # slide part -> number shown in PowerPoint
        self.comment_slide: dict[str, int] = {}  # comments part -> slide number

    def loc(self, surface: Surface, where: str) -> Location:
        return Location(
            path=self.source.display, surface=surface, where=where, member=self.source.member
        )

    def read(self) -> Iterator[ReadItem]:
        main = main_part(self.zf, "ppt/presentation.xml")
        if not self.zf.has(main):
            raise CorruptFile(f"the main part {main} is missing from the presentation")
        root = parse_part(self.zf, main)
        rels = read_rels(self.zf, main)
        size = root.find(f"{_P}sldSz")
        if size is not None:
            self.width = _int(size, "cx", _DEFAULT_SIZE[0])
            self.height = _int(size, "cy", _DEFAULT_SIZE[1])
        order: list[str] = []
        lst = root.find(f"{_P}sldIdLst")
        for sid in lst.iterchildren(f"{_P}sldId") if lst is not None else ():
            rel = rels.get(sid.get(_RID) or "")
            if rel is None or rel.external or not self.zf.has(rel.target):
                raise CorruptFile(f"slide {len(order) + 1} listed in {main} has no part")
            order.append(self.zf.resolve(rel.target) or rel.target)
        for n, part in enumerate(order, start=1):
            self.slide_no[part] = n
        for n, part in enumerate(order, start=1):
            yield from self._slide(part, n, listed=True)
        # slide parts the slide list does not name: never shown, still in the file
        extra = sorted(
            name
            for name in self.zf.names()
            if name.lower().startswith("ppt/slides/slide")
            and name.lower().endswith(".xml")
            and name not in self.slide_no
        )
        for k, part in enumerate(extra, start=len(order) + 1):
            yield from self._slide(part, k, listed=False)
        yield from self._masters()
        yield from self._comments()
        yield from doc_props(self.zf, self.loc)
        yield from embedded_files(self.zf, "ppt/embeddings/", self.loc)
        yield from media_files(self.zf, "ppt/media/")
        yield from script_notes(self.zf, self.loc)

    # -- slides ----------------------------------------------------------------------------
    def _off_slide(self, box: tuple[float, float, float, float] | None) -> bool:
        if box is None:
            return False  # a placeholder in its layout's place
        x0, y0, x1, y1 = box
        return x0 >= self.width or y0 >= self.height or x1 <= 0 or y1 <= 0

    def _slide(self, part: str, n: int, *, listed: bool) -> Iterator[ReadItem]:
        root = parse_part(self.zf, part, huge=True)
        hidden = (root.get("show") or "1").strip().lower() in ("0", "false")
        surface = Surface.HIDDEN_SLIDE if hidden or not listed else Surface.VISIBLE
        label = f"slide {n}" if listed else f"{part} (not in the slide list)"
        if hidden:
            label += " (hidden)"
        tree = root.find(f"{_P}cSld/{_P}spTree")
        shapes = _shapes(tree) if tree is not None else []
        texts: list[str] = []
        tables = 0
        for shape in shapes:
            off = self._off_slide(shape.box)
            s = Surface.OFF_SLIDE if off else surface
            where = f"{label}, shape {shape.sid} (outside the slide)" if off else label
            if shape.table is not None:
                tables += 1
                yield from _table(shape.table, self.loc(s, f"{where}, table {tables}"))
            elif off:
                yield TextPart(text=shape.text, location=self.loc(s, where))
            else:
                texts.append(shape.text)
        if texts:
            yield TextPart(text="\n".join(texts), location=self.loc(surface, label))
        for rel in read_rels(self.zf, part).values():
            if rel.external or not self.zf.has(rel.target):
                continue
            target = self.zf.resolve(rel.target) or rel.target
            if rel.kind == "notesSlide":
                yield from self._notes(target, label)
            elif rel.kind == "comments":
                self.comment_slide[target] = n

    def _notes(self, part: str, label: str) -> Iterator[ReadItem]:
        root = parse_part(self.zf, part, huge=True)
        tree = root.find(f"{_P}cSld/{_P}spTree")
        if tree is None:
            return
        texts = [s.text for s in _shapes(tree) if s.text and s.placeholder not in _NOTES_SKIP]
        if texts:
            yield TextPart(
                text="\n".join(texts),
                location=self.loc(Surface.SPEAKER_NOTES, f"{label} notes"),
            )

    def _masters(self) -> Iterator[ReadItem]:
        """Text placed on slide masters and layouts (not placeholder prompts): shown on every
        slide that uses them."""
        for name in self.zf.names():
            low = name.lower()
            if not (
                low.startswith(("ppt/slidemasters/", "ppt/slidelayouts/"))
                and low.endswith(".xml")
                and "/_rels/" not in low
            ):
                continue
            tree = parse_part(self.zf, name).find(f"{_P}cSld/{_P}spTree")
            if tree is None:
                continue
            texts = [s.text for s in _shapes(tree) if s.text and s.placeholder is None]
            if texts:
                yield TextPart(text="\n".join(texts), location=self.loc(Surface.VISIBLE, name))

    # -- comments --------------------------------------------------------------------------
    def _comments(self) -> Iterator[ReadItem]:
        authors: list[str] = []
        for name in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
            if self.zf.has(name):
                for el in parse_part(self.zf, name).iter():
                    if local(el.tag) in ("cmAuthor", "author"):
                        for attr in ("name", "userId"):
                            v = (el.get(attr) or "").strip()
                            if v:
                                authors.append(v)
        parts = sorted(
            n
            for n in self.zf.names()
            if n.lower().startswith("ppt/comments/") and n.lower().endswith(".xml")
            and "/_rels/" not in n.lower()
        )  # fmt: skip
        for part in parts:
            slide = self.comment_slide.get(part)
            base = f"slide {slide} comment" if slide else f"{part} comment"
            k = 0
            for el in parse_part(self.zf, part).iter():
                if local(el.tag) not in ("cm", "reply"):
                    continue
                k += 1
                body = next(
                    (c for c in el if local(c.tag) in ("text", "txBody")), None
                )  # legacy <p:text>, modern <p188:txBody>
                if body is None:
                    continue
                text = (body.text or "").strip() if local(body.tag) == "text" else _para_text(body)
                if text:
                    yield TextPart(text=text, location=self.loc(Surface.COMMENT, f"{base} {k}"))
        if authors:
            yield TextPart(
                text="\n".join(dict.fromkeys(authors)),
                location=self.loc(Surface.METADATA, "authors of comments"),
                context="author",
            )


def _table(grid: list[list[str]], location: Location) -> Iterator[ReadItem]:
    if not any(any(v.strip() for v in row) for row in grid):
        return
    width = max(len(r) for r in grid)
    for row in grid:
        row.extend([""] * (width - len(row)))
    has_header = len(grid) > 1 and find_header_row(grid[:12], max_scan=1) == 0
    header = grid[0] if has_header else [""] * width
    body = grid[1:] if has_header else grid
    first = 2 if has_header else 1
    rows = [(first + i, r) for i, r in enumerate(body) if any(v.strip() for v in r)]
    yield TablePart(
        header=header,
        rows=rows,
        location=location,
        column_labels=[str(j + 1) for j in range(width)],
        sheet=location.where,
        total_rows=len(rows),
    )


__all__ = ["PptxReader"]
