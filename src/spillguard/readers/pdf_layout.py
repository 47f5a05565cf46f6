"""What a PDF page shows and what it hides: glyphs compared with what is painted over them.

Why pdfium's page objects and not a content-stream interpreter of our own: PDFium already runs the
content stream (cm matrices, q/Q, colour spaces, form XObjects, marked content) and hands back the
page objects in painting order with their bounds, fill colours, draw modes and text render modes,
and its text page maps every glyph back to the text object that drew it. So a glyph is *covered*
when an opaque filled rectangle or an image painted after its text object (or a /Redact
annotation, which sits above all page content) covers the glyph's centre: the bad redaction of the
TSA manual and the Manafort filing. A glyph is *invisible* when its render mode paints nothing
(3 or 7), its fill is fully transparent, its colour is the colour of what lies under it, its font
is under a point, or it lies outside the crop box. A glyph in an optional-content layer that is
switched off is *layered* (hidden text).

Two exceptions keep scanned documents with an OCR text layer from looking like leaks: invisible
text over an image painted before it, and any text under an image that covers most of the page,
is what the image shows (an OCR layer), so it counts as the page's visible text.

All coordinates are PDF user space of the page (points, origin bottom left), as pdfium reports.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

#: render modes that paint nothing (3: invisible, 7: add to clipping path only)
_INVISIBLE_MODES = frozenset(
    {pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP}
)
#: text smaller than this (points) cannot be read on screen or paper
TINY_FONT_POINTS = 1.0
#: an image covering this share of the page is a scan, not a patch over a word
FULL_PAGE_SHARE = 0.8
#: channel distance under which text colour "is" the background colour (0-255 scale)
_SAME_COLOUR = 16
#: paths with more segments than this are drawings, not redaction boxes
_MAX_PATH_SEGMENTS = 400
#: a page with more objects than this is not checked for covered text (reported)
MAX_PAGE_OBJECTS = 200_000
_EPS = 0.01


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in page space."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def of_points(cls, pts: Sequence[tuple[float, float]]) -> Box:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return cls(min(xs), min(ys), max(xs), max(ys))

    def contains(self, x: float, y: float) -> bool:
        return self.x0 - _EPS <= x <= self.x1 + _EPS and self.y0 - _EPS <= y <= self.y1 + _EPS

    def intersects(self, other: Box) -> bool:
        return not (
            other.x1 < self.x0 or other.x0 > self.x1 or other.y1 < self.y0 or other.y0 > self.y1
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0 - 1
            and self.y0 >= other.y0 - 1
            and self.x1 <= other.x1 + 1
            and self.y1 <= other.y1 + 1
        )

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def label(self) -> str:
        """``(72,700,340,711)``: rounded to whole points, as shown to people."""
        return f"({round(self.x0)},{round(self.y0)},{round(self.x1)},{round(self.y1)})"


@dataclass(frozen=True, slots=True)
class Painted:
    """Something painted on the page that hides what lies under it."""

    order: int
    box: Box
    kind: str  # "box" (opaque filled rectangle), "image", "annotation"
    rgb: tuple[int, int, int] | None = None
    full_page: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """Hidden text of one kind at one place on a page. `reason` says why it is hidden."""

    text: str
    box: Box
    reason: str


@dataclass(slots=True)
class PageLayout:
    """A page's text split by what a reader of the page would see."""

    text: str
    covered: list[Run] = field(default_factory=list)
    invisible: list[Run] = field(default_factory=list)
    layered: list[Run] = field(default_factory=list)
    images: int = 0
    #: optional-content markers whose layer could not be named (membership dictionaries)
    unnamed_layers: int = 0
    objects_over_limit: bool = False


@dataclass(slots=True)
class _TextObj:
    order: int
    bounds: Box
    mode: int
    rgba: tuple[int, int, int, int]
    size: float
    layer: str | None
    checked: bool = False  # whether its glyphs need a look one by one
    #: what is painted over or under its area, in painting order
    near: list[Painted] = field(default_factory=list)
    #: whether its colour is that of the background, by what lies under it (-1: the page)
    background: dict[int, bool] = field(default_factory=dict)


def _addr(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix that applies `inner` first, then `outer`."""
    sa, sb, sc, sd, se, sf = outer
    ma, mb, mc, md, me, mf = inner
    return (
        sa * ma + sc * mb,
        sb * ma + sd * mb,
        sa * mc + sc * md,
        sb * mc + sd * md,
        sa * me + sc * mf + se,
        sb * me + sd * mf + sf,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _matrix(obj: pdfium.PdfObject) -> Matrix:
    pm = obj.get_matrix()
    return (pm.a, pm.b, pm.c, pm.d, pm.e, pm.f)


def _bounds(obj: pdfium.PdfObject, to_page: Matrix) -> Box:
    x0, y0, x1, y1 = obj.get_bounds()
    if to_page == _IDENTITY:
        return Box(x0, y0, x1, y1)
    return Box.of_points(
        [_apply(to_page, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    )


def _fill_rgba(raw: object) -> tuple[int, int, int, int]:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFPageObj_GetFillColor(raw, r, g, b, a):
        return (0, 0, 0, 255)
    return (r.value, g.value, b.value, a.value)


def _wide(fn: object, *args: object) -> str:
    """Call a pdfium function that writes UTF-16LE text into a buffer (up to 256 bytes)."""
    length = ctypes.c_ulong()
    buf = (ctypes.c_ushort * 128)()
    ok = fn(*args, buf, ctypes.sizeof(buf), ctypes.byref(length))  # type: ignore[operator]
    if not ok:
        return ""
    size = min(length.value, ctypes.sizeof(buf))
    return ctypes.string_at(buf, size).decode("utf-16-le", "replace").rstrip("\x00")


def _layer_of(raw: object) -> tuple[str | None, bool]:
    """(layer name, True if an optional-content marker had no name) for a page object."""
    unnamed = False
    for k in range(pdfium_c.FPDFPageObj_CountMarks(raw)):
        mark = pdfium_c.FPDFPageObj_GetMark(raw, k)
        if not mark or _wide(pdfium_c.FPDFPageObjMark_GetName, mark) != "OC":
            continue
        name = _wide(pdfium_c.FPDFPageObjMark_GetParamStringValue, mark, b"Name")
        if name:
            return name, False
        unnamed = True
    return None, unnamed


def _rect_boxes(raw: object, to_page: Matrix) -> list[Box]:
    """The axis-aligned rectangles a filled path consists of (other shapes are ignored)."""
    n = pdfium_c.FPDFPath_CountSegments(raw)
    if n <= 0 or n > _MAX_PATH_SEGMENTS:
        return []
    m = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    bezier: list[bool] = []
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, m[0], m[1])
        pt = _apply(to_page, m[0].value, m[1].value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([pt])
            bezier.append(False)
        else:
            subpaths[-1].append(pt)
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                bezier[-1] = True
    out = []
    for pts, curved in zip(subpaths, bezier, strict=True):
        if curved:
            continue
        if (
            len(pts) >= 2
            and abs(pts[0][0] - pts[-1][0]) < _EPS
            and abs(pts[0][1] - pts[-1][1]) < _EPS
        ):
            pts = pts[:-1]
        if len(pts) != 4:
            continue
        box = Box.of_points(pts)
        on_corners = all(
            (abs(x - box.x0) < _EPS or abs(x - box.x1) < _EPS)
            and (abs(y - box.y0) < _EPS or abs(y - box.y1) < _EPS)
            for x, y in pts
        )
        if on_corners and box.area > 0:
            out.append(box)
    return out


def _walk(page: pdfium.PdfPage) -> Iterator[tuple[int, pdfium.PdfObject, Matrix]]:
    """Page objects in painting order, each with the matrix from its space to page space."""
    stack: list[Matrix] = [_IDENTITY]
    for order, obj in enumerate(page.get_objects(max_depth=15)):
        del stack[obj.level + 1 :]
        to_page = stack[obj.level]
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            stack.append(_compose(to_page, _matrix(obj)))
        yield order, obj, to_page


def _collect(
    page: pdfium.PdfPage, page_area: float, layout: PageLayout
) -> tuple[dict[int, _TextObj], list[Painted]]:
    texts: dict[int, _TextObj] = {}
    painted: list[Painted] = []
    for order, obj, to_page in _walk(page):
        if order >= MAX_PAGE_OBJECTS:
            layout.objects_over_limit = True
            break
        raw = obj.raw
        kind = obj.type
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            layer, unnamed = _layer_of(raw)
            layout.unnamed_layers += unnamed
            size = ctypes.c_float()
            pdfium_c.FPDFTextObj_GetFontSize(raw, size)
            m = _compose(to_page, _matrix(obj))
            scale = abs(m[0] * m[3] - m[1] * m[2]) ** 0.5
            texts[_addr(raw)] = _TextObj(
                order=order,
                bounds=_bounds(obj, to_page),
                mode=pdfium_c.FPDFTextObj_GetTextRenderMode(raw),
                rgba=_fill_rgba(raw),
                size=size.value * scale,
                layer=layer,
            )
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            layout.images += 1
            if pdfium_c.FPDFPageObj_HasTransparency(raw):
                continue
            box = _bounds(obj, to_page)
            full = page_area > 0 and box.area >= FULL_PAGE_SHARE * page_area
            painted.append(Painted(order, box, "image", None, full))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            fillmode, stroke = ctypes.c_int(), ctypes.c_int()
            pdfium_c.FPDFPath_GetDrawMode(raw, fillmode, stroke)
            if fillmode.value == pdfium_c.FPDF_FILLMODE_NONE:
                continue
            rgba = _fill_rgba(raw)
            if rgba[3] < 255 or pdfium_c.FPDFPageObj_HasTransparency(raw):
                continue
            for box in _rect_boxes(raw, _compose(to_page, _matrix(obj))):
                painted.append(Painted(order, box, "box", rgba[:3]))
    return texts, painted


def _near(a: Sequence[int], b: Sequence[int]) -> bool:
    return all(abs(x - y) <= _SAME_COLOUR for x, y in zip(a, b, strict=False))


def _may_hide(p: Painted, t: _TextObj) -> bool:
    """Whether `p` (near `t`) may hide glyphs of `t`: painted over them, or their colour."""
    if p.order > t.order:
        return True
    return p.rgb is not None and _near(p.rgb, t.rgba[:3])


def _mark_suspects(
    texts: dict[int, _TextObj], painted: list[Painted], crop: Box, off_layers: frozenset[str]
) -> bool:
    """Flag text objects whose glyphs need checking one by one; True if any is flagged."""
    any_flag = False
    for t in texts.values():
        area = t.bounds.grown(2.0)
        t.near = [p for p in painted if p.box.intersects(area)]
        t.checked = (
            t.mode in _INVISIBLE_MODES
            or t.rgba[3] == 0
            or t.size < TINY_FONT_POINTS
            or (t.layer is not None and t.layer in off_layers)
            or not t.bounds.inside(crop)
            or _near(t.rgba[:3], (255, 255, 255))
            or any(_may_hide(p, t) for p in t.near)
        )
        any_flag = any_flag or t.checked
    return any_flag


@dataclass(frozen=True, slots=True)
class _Hide:
    """Why a glyph is hidden: covered by `painted`, invisible for `label`, or in layer `label`."""

    kind: str  # "covered", "invisible", "layer"
    label: str
    painted: Painted | None = None


_GEN = "gen"  # a glyph pdfium generated (line break) or a space: it joins what surrounds it
Key = _Hide | str | None


def _classify(
    t: _TextObj, cx: float, cy: float, crop: Box, off_layers: frozenset[str]
) -> _Hide | None:
    """Why this glyph is hidden, or None when a reader of the page sees it."""
    under: Painted | None = None  # the topmost thing painted before the glyph, under it
    for p in t.near:
        if not p.box.contains(cx, cy):
            continue
        if p.order > t.order:
            if p.kind == "image" and p.full_page:
                continue  # a scanned page over its own OCR text
            return _Hide("covered", _COVERED_REASONS[p.kind], p)
        if under is None or p.order > under.order:
            under = p
    over_image = under is not None and under.kind == "image"
    if t.layer is not None and t.layer in off_layers:
        return _Hide("layer", t.layer)
    if t.mode in _INVISIBLE_MODES and not over_image:
        return _Hide("invisible", "text drawn in an invisible render mode")
    if t.rgba[3] == 0 and not over_image:
        return _Hide("invisible", "text drawn fully transparent")
    if t.size < TINY_FONT_POINTS and t.mode not in _INVISIBLE_MODES:
        return _Hide("invisible", "text in a font too small to read")
    if not crop.contains(cx, cy):
        return _Hide("invisible", "text placed outside the visible page area")
    if t.mode not in _INVISIBLE_MODES and _same_colour(t, under):
        return _Hide("invisible", "text drawn in the colour of its background")
    return None


def _same_colour(t: _TextObj, under: Painted | None) -> bool:
    """Whether `t` is drawn in the colour of what lies under it (the page is white)."""
    key = -1 if under is None else under.order
    same = t.background.get(key)
    if same is None:
        background = (255, 255, 255) if under is None else under.rgb
        same = background is not None and _near(t.rgba[:3], background)
        t.background[key] = same
    return same


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def analyse_page(
    page: pdfium.PdfPage,
    *,
    crop: Box,
    overlays: Sequence[Box] = (),
    off_layers: frozenset[str] = frozenset(),
) -> PageLayout:
    """Split one page's text into what is seen and what is covered, invisible or layered.

    `overlays` are boxes painted above all page content (unapplied /Redact annotations, filled
    markup annotations); `off_layers` names optional-content groups switched off by default.
    """
    textpage = page.get_textpage()
    try:
        return _analyse(page, textpage, crop, overlays, off_layers)
    finally:
        textpage.close()


def _analyse(
    page: pdfium.PdfPage,
    textpage: pdfium.PdfTextPage,
    crop: Box,
    overlays: Sequence[Box],
    off_layers: frozenset[str],
) -> PageLayout:
    layout = PageLayout(text="")
    n = textpage.count_chars()
    texts, painted = _collect(page, crop.area, layout)
    above_all = 1 << 40
    painted.extend(Painted(above_all, box, "annotation") for box in overlays)
    if n <= 0:
        return layout
    if layout.objects_over_limit or not _mark_suspects(texts, painted, crop, off_layers):
        layout.text = _clean(textpage.get_text_range(0, n))
        return layout
    keys: list[Key] = []  # per glyph: None when visible, _GEN, or why it is hidden
    boxes: dict[int, Box] = {}
    raw_tp = textpage.raw
    cache: dict[int, _TextObj | None] = {}
    left, right, bottom, top = (
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
    )
    for i in range(n):
        handle = pdfium_c.FPDFText_GetTextObject(raw_tp, i)
        addr = _addr(handle)
        if not addr:
            keys.append(_GEN)
            continue
        t = cache.get(addr) if addr in cache else cache.setdefault(addr, texts.get(addr))
        if t is None or not t.checked:
            keys.append(None)
            continue
        pdfium_c.FPDFText_GetCharBox(raw_tp, i, left, right, bottom, top)
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        if x1 - x0 <= 0 and y1 - y0 <= 0:
            keys.append(_GEN)  # a space: it belongs to whatever surrounds it
            continue
        boxes[i] = Box(x0, y0, x1, y1)
        keys.append(_classify(t, (x0 + x1) / 2, (y0 + y1) / 2, crop, off_layers))
    _assemble(layout, textpage, keys, boxes)
    return layout


def _assemble(
    layout: PageLayout, textpage: pdfium.PdfTextPage, keys: list[Key], boxes: dict[int, Box]
) -> None:
    """Cut the glyph sequence into visible text and hidden runs."""
    runs: list[tuple[_Hide, int, int]] = []  # (why, first index, last index) of hidden runs
    n = len(keys)
    i = 0
    while i < n:
        key = keys[i]
        if not isinstance(key, _Hide):
            i += 1
            continue
        start = last = i
        j = i + 1
        while j < n and (keys[j] == key or keys[j] == _GEN):
            if keys[j] == key:
                last = j
            j += 1
        runs.append((key, start, last))
        i = last + 1
    visible: list[str] = []
    pos = 0
    for _, start, last in runs:
        if start > pos:
            visible.append(textpage.get_text_range(pos, start - pos))
        visible.append(" ")
        pos = last + 1
    if pos < n:
        visible.append(textpage.get_text_range(pos, n - pos))
    layout.text = _clean("".join(visible))
    # covered runs group by the box over them; other runs stay apart, one per place
    grouped: dict[tuple[_Hide, int], tuple[list[str], Box]] = {}
    for key, start, last in runs:
        text = _clean(textpage.get_text_range(start, last - start + 1)).strip()
        if not text:
            continue
        if key.painted is not None:
            box = key.painted.box
            gkey = (key, -1)
        else:
            glyphs = [boxes[k] for k in range(start, last + 1) if k in boxes]
            box = glyphs[0]
            for g in glyphs[1:]:
                box = box.union(g)
            gkey = (key, start)
        if gkey in grouped:
            parts, old = grouped[gkey]
            parts.append(text)
            grouped[gkey] = (parts, old.union(box))
        else:
            grouped[gkey] = ([text], box)
    for (key, _), (parts, box) in grouped.items():
        run = Run("\n".join(parts), box, key.label)
        if key.kind == "covered":
            layout.covered.append(run)
        elif key.kind == "layer":
            layout.layered.append(run)
        else:
            layout.invisible.append(run)


_COVERED_REASONS = {
    "box": "text under an opaque box painted over it",
    "image": "text under an image painted over it",
    "annotation": "text under a redaction or markup annotation that was never applied",
}
