"""HTML reader: the page a visitor sees, and everything in it a visitor does not see.

Why: a web page carries more than its rendered text. Developers comment out a table of records
(``<!-- -->``), hide a block with ``display:none`` or the ``hidden`` attribute, keep markup in
``<template>`` or ``<script type=text/template>``, put page data as JSON in ``<script>`` (JSON-LD,
``__NEXT_DATA__``, ``var data = [...]``), stash values in ``data-*`` attributes and hidden form
inputs, and describe the page in ``<meta>``. Each of those is read on its own surface; text under
a hidden element is reported once, as hidden, never also as visible.

Parsing is lxml's HTML parser with no network and libxml2's default limits (huge_tree off); a page
nested past the parser's depth limit is a `LimitExceeded` rather than a silently cut tree. The
bytes are decoded here (BOM, ``<meta charset>``, UTF-8, cp1252) so that libxml2 never guesses
Latin-1 for a UTF-8 page. JavaScript code is not prose and is not scanned as text; only the JSON
data inside scripts is read. Locations give the source line (``<p> line 120``, ``<!-- comment -->
line 40``, ``table 2, line 88``).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.model import EmbeddedFile, Location, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.csvtext import looks_like_header
from spillguard.readers.structured import (
    HTML_START_TAGS,
    Budget,
    head_text,
    walk_data,
)

#: pages are parsed in memory; bigger ones are a LimitExceeded
MAX_HTML_BYTES = 100 * 1024**2
#: libxml2 stops counting source lines here (its line field is 16 bits in the HTML parser)
_LINE_CAP = 65535
#: fragments (comments, templates) parsed inside fragments: no deeper than this
_MAX_FRAGMENT_DEPTH = 2
#: JSON candidates tried per script (``= {`` and ``= [`` positions)
_MAX_JS_CANDIDATES = 200

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre "
    "section summary table tbody thead tfoot td th tr ul title option label button legend "
    "noscript template html head center".split()
)
_SKIP_TAGS = frozenset({"style"})
_JSON_TYPES = re.compile(r"(?:application|text)/(?:[\w.+-]*\+)?json|importmap|speculationrules")
_TEMPLATE_TYPES = re.compile(
    r"text/(?:x-)?(?:template|html|handlebars|mustache|ng-template|x-handlebars-template"
    r"|x-jsrender|x-tmpl)"
)
_NO_VALUE_INPUTS = frozenset({"submit", "button", "reset", "image", "checkbox", "radio", "file"})
_TEXT_ATTRS = ("title", "alt", "aria-label", "placeholder", "summary")
_WS = re.compile(r"\s+")
_BORING_META = frozenset(
    {"viewport", "robots", "charset", "content-type", "x-ua-compatible", "theme-color"}
)
_END_TAGS = re.compile(rb"</\s*(?:body|html)\s*>", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.I
)
_STYLE_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none\b")
_STYLE_INVISIBLE = re.compile(r"(?:^|;)\s*visibility\s*:\s*(?:hidden|collapse)\b")
_OFFSCREEN = re.compile(
    r"(?:^|;)\s*(?:left|top|right|text-indent|margin-left)\s*:\s*-\s*\d{3,}(?:\.\d+)?(?:px|em|rem)"
    r"|clip\s*:\s*rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)"
    r"|(?:^|;)\s*(?:width|height)\s*:\s*0(?:px)?\s*;.*overflow\s*:\s*hidden"
    r"|(?:^|;)\s*(?:font-size|opacity)\s*:\s*0(?:px|%)?\s*(?:;|$)"
)
_JS_DATA = re.compile(r"(?:=|\(|:)\s*(?=[\[{])")
_SAFE_TYPE = re.compile(r"[\w.+/-]{1,60}")
_SAFE_NAME = re.compile(r"[A-Za-z_][\w\-:.]{0,40}")


# --------------------------------------------------------------------------------------------
# sniffing


_LEADING = re.compile(r"\s*(?:<!--.*?-->\s*|<\?xml[^>]*\?>\s*)*", re.S)
_FIRST_TAG = re.compile(r"<(!doctype\s+html|[A-Za-z][A-Za-z0-9]*)[\s>/]", re.I)


def sniff_html(source: Source) -> str | None:
    """``"html"`` when, after a BOM, whitespace, comments and an XML declaration, the file opens
    with an HTML doctype or an element an HTML page starts with (or an XHTML root)."""
    text = head_text(source.head)
    if text is None:
        return None
    m = _LEADING.match(text)
    pos = m.end() if m else 0
    tag = _FIRST_TAG.match(text, pos)
    if tag is None:
        return None
    name = tag.group(1).lower()
    if name.startswith("!doctype"):
        return "html"
    if text[:pos].lstrip().startswith("<?xml"):
        # XHTML is HTML; any other XML root belongs to the XML reader
        return "html" if name == "html" else None
    return "html" if name in HTML_START_TAGS else None


# --------------------------------------------------------------------------------------------
# parsing


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    if m is None:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_html(data: bytes, *, charset: str | None = None) -> str:
    """The page as text: BOM, then the given or declared charset, then UTF-8, then cp1252."""
    candidates: list[str] = []
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            candidates.append(enc)
            break
    for enc_name in (charset, _declared_charset(data)):
        if enc_name:
            try:
                name = codecs.lookup(enc_name).name
                # as browsers do: pages labelled Latin-1 or ASCII are decoded as windows-1252
                candidates.append("cp1252" if name in ("iso8859-1", "ascii") else name)
            except LookupError:
                pass  # an unknown charset name: the fallbacks below decide
    candidates += ["utf-8", "cp1252"]
    for enc in candidates:
        try:
            return data.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
    # cp1252 leaves five bytes undefined; Latin-1 decodes every byte and keeps ASCII intact
    return data.decode("latin-1")


def _parser() -> etree.HTMLParser:
    # lxml.etree's parser, not lxml.html's: plain elements, without a class lookup per node
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=False,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        collect_ids=False,
    )


def parse_html(text: str, *, what: str = "page") -> etree._Element:
    """Parse decoded HTML. Content after ``</html>`` is kept (libxml2 would drop it; browsers
    show it), and a tree cut by the parser's limits is an error, not a partial read."""
    data = _END_TAGS.sub(b"", text.encode("utf-8", "surrogatepass"))
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(f"the {what} could not be parsed as HTML (line {exc.lineno})") from None
    except etree.ParserError:
        raise CorruptFile(f"the {what} holds no HTML elements") from None
    for err in parser.error_log:
        msg = (err.message or "").lower()
        if "depth" in msg:
            raise LimitExceeded(
                f"the {what} nests elements more than 255 deep near line {err.line} (the "
                "parser's limit); the rest of it could not be read"
            )
        if "huge" in msg or err.type_name == "ERR_RESOURCE_LIMIT":
            raise LimitExceeded(
                f"the {what} goes over a parser limit near line {err.line}; it could not be read"
            )
    if root is None:
        raise CorruptFile(f"the {what} holds no HTML elements")
    return root


# --------------------------------------------------------------------------------------------
# the walk


@dataclass(frozen=True, slots=True)
class _State:
    """What applies to a node: hidden by which ancestor (a label), and the nearest block."""

    hidden: str | None = None
    block: str = "body"
    pre: bool = False
    textless: bool = False  # inside a data table: its text is already in a TablePart


@dataclass(slots=True)
class _Buffer:
    pieces: list[str] = field(default_factory=list)
    line: int = 0
    state: _State | None = None


def _style_hidden(style: str) -> str | None:
    s = style.lower().replace("!important", "")
    if _STYLE_NONE.search(s):
        return "style=display:none"
    if _STYLE_INVISIBLE.search(s):
        return "style=visibility:hidden"
    if _OFFSCREEN.search(s):
        return "off-screen"
    return None


def hidden_reason(el: etree._Element) -> str | None:
    """Why an element is not shown, as a fixed label (``<div style=display:none>``), or None."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in ("template", "noscript"):
        return f"<{tag}>"
    if el.get("hidden") is not None:
        return f"<{tag} hidden>"
    style = el.get("style")
    if style:
        why = _style_hidden(style)
        if why is not None:
            if why == "off-screen" and (el.get("aria-hidden") or "").lower() == "true":
                why = "aria-hidden off-screen"
            return f"<{tag} {why}>"
    if tag == "input" and (el.get("type") or "").lower() == "hidden":
        return "<input type=hidden>"
    return None


def _sl(node: object) -> int | None:
    """The source line of a node (lxml's stubs type it loosely)."""
    line = getattr(node, "sourceline", None)
    return line if isinstance(line, int) else None


def _text_content(node: etree._Element) -> str:
    return "".join(str(t) for t in node.itertext())


def _line(n: int | None, offset: int) -> str:
    if n is None:
        return "line ?"
    if n >= _LINE_CAP:
        return f"line {_LINE_CAP} or later"
    return f"line {n + offset}"


class HtmlWalk:
    """Walks a parsed page (or a fragment of one) and yields its parts.

    `surface` is the surface of the whole tree (VISIBLE for a page; HTML_COMMENT for markup
    inside a comment, HIDDEN_ELEMENT for a template); `label` replaces the block tag in
    locations of a fragment (``<!-- comment -->``); `offset` shifts line numbers to the page's.
    """

    def __init__(
        self,
        source: Source,
        *,
        surface: Surface = Surface.VISIBLE,
        label: str = "",
        offset: int = 0,
        where_prefix: str = "",
        depth: int = 0,
        counters: dict[str, int] | None = None,
    ) -> None:
        self.source = source
        self.surface = surface
        self.label = label
        self.offset = offset
        self.where_prefix = where_prefix
        self.depth = depth
        self.counters = counters if counters is not None else {"table": 0, "data": 0}
        self.buf = _Buffer()
        self.prev_block = ""

    # -- locations ---------------------------------------------------------------------------
    def _surface(self, state: _State) -> Surface:
        if self.surface is not Surface.VISIBLE:
            return self.surface
        return Surface.HIDDEN_ELEMENT if state.hidden else Surface.VISIBLE

    def _where(self, state: _State | None, line: int | None, tag: str = "") -> str:
        if self.label:
            head = self.label
        elif state is not None and state.hidden:
            head = state.hidden
        else:
            head = f"<{tag or (state.block if state else 'body')}>"
        return f"{self.where_prefix}{head} {_line(line, self.offset)}"

    def _loc(self, where: str, surface: Surface) -> Location:
        return Location(self.source.display, surface, where, self.source.member)

    # -- text buffer -------------------------------------------------------------------------
    def _add(self, text: str | None, state: _State, line: int | None) -> Iterator[ReadItem]:
        if not text or state.textless:
            return
        if self.buf.state is not None and self.buf.state != state and self.buf.pieces:
            yield from self._flush()
        if not self.buf.pieces:
            self.buf.line = line or 0
            self.buf.state = state
        self.buf.pieces.append(text if state.pre or text == "\n" else _WS.sub(" ", text))

    def _flush(self) -> Iterator[ReadItem]:
        buf = self.buf
        self.buf = _Buffer()
        if not buf.pieces or buf.state is None:
            return
        text = "".join(buf.pieces)
        if not buf.state.pre:
            text = "\n".join(ln.strip() for ln in text.split("\n"))
        text = text.strip()
        if not text:
            return
        context = self.prev_block if len(self.prev_block) <= 40 else ""
        self.prev_block = text
        yield TextPart(
            text=text,
            location=self._loc(self._where(buf.state, buf.line), self._surface(buf.state)),
            context=context,
        )

    # -- the walk ----------------------------------------------------------------------------
    def run(self, root: etree._Element, *, siblings: bool = True) -> Iterator[ReadItem]:
        state = _State()
        if siblings:
            node = root.getprevious()
            before: list[Any] = []
            while node is not None:
                before.append(node)
                node = node.getprevious()
            for n in reversed(before):
                yield from self._comment(n, state)
        # (node, state, closing, parent_state)
        stack: list[tuple[Any, _State, bool, _State]] = [(root, state, False, state)]
        while stack:
            node, st, closing, parent = stack.pop()
            if closing:
                tag = node.tag.lower()
                if tag in BLOCK_TAGS or st != parent:
                    yield from self._flush()
                yield from self._add(node.tail, parent, _sl(node))
                continue
            if isinstance(node, etree._Comment):
                yield from self._comment(node, st)
                yield from self._add(node.tail, st, _sl(node))
                continue
            if not isinstance(node.tag, str):  # processing instruction, entity
                yield from self._add(node.tail, st, _sl(node))
                continue
            tag = node.tag.lower()
            own = hidden_reason(node)
            new = st
            if own is not None and st.hidden is None:
                new = _State(hidden=own, block=st.block, pre=st.pre, textless=st.textless)
            if tag in BLOCK_TAGS:
                new = _State(hidden=new.hidden, block=tag, pre=new.pre or tag == "pre",
                             textless=new.textless)  # fmt: skip
            if tag == "textarea":
                new = _State(hidden=new.hidden, block=new.block, pre=True, textless=new.textless)
            if tag in BLOCK_TAGS or new.hidden != st.hidden:
                yield from self._flush()
            yield from self._attributes(node, tag, new)
            if tag == "script":
                yield from self._flush()
                yield from self._script(node, new)
                yield from self._add(node.tail, st, _sl(node))
                continue
            if tag in _SKIP_TAGS:
                yield from self._add(node.tail, st, _sl(node))
                continue
            if tag == "br":
                yield from self._add("\n", new, _sl(node))
                yield from self._add(node.tail, st, _sl(node))
                continue
            if tag == "table" and not new.textless and _is_data_table(node):
                yield from self._flush()
                yield from self._table(node, new)
                new = _State(hidden=new.hidden, block="table", pre=new.pre, textless=True)
            yield from self._add(node.text, new, _sl(node))
            stack.append((node, new, True, st))
            stack.extend((child, new, False, new) for child in reversed(node))
        yield from self._flush()
        if siblings:
            node = root.getnext()
            while node is not None:
                yield from self._comment(node, state)
                node = node.getnext()

    # -- comments ----------------------------------------------------------------------------
    def _comment(self, node: Any, state: _State) -> Iterator[ReadItem]:
        if not isinstance(node, etree._Comment):
            return
        text = node.text or ""
        if not text.strip():
            return
        end = _sl(node)
        # libxml2 gives the line where the comment ends
        line = None if end is None else max(1, end - text.count("\n"))
        surface = Surface.HTML_COMMENT
        label = "<!-- comment -->"
        yield from self._flush()
        yield from self.fragment(text, line, surface, label)

    def fragment(
        self, text: str, line: int | None, surface: Surface, label: str
    ) -> Iterator[ReadItem]:
        """Markup or text kept out of the page (a comment, a template): read on `surface`."""
        where = f"{self.where_prefix}{label} {_line(line, self.offset)}"
        has_markup = re.search(r"<[A-Za-z!/]", text) is not None
        if has_markup and self.depth < _MAX_FRAGMENT_DEPTH:
            try:
                root = parse_html(text, what="markup inside a comment or template")
            except CorruptFile:
                root = None  # fragments that hold no element: read as text below
            if root is not None:
                sub = HtmlWalk(
                    self.source,
                    surface=surface,
                    label=label,
                    offset=self.offset + (line or 1) - 1,
                    where_prefix=self.where_prefix,
                    depth=self.depth + 1,
                    counters=self.counters,
                )
                yield from sub.run(root)
                return
        table = delimited_table(text)
        if table is not None:
            header, numbered, other = table
            first = (line or 1) + self.offset
            rows = [(first + n - 1, cells) for n, cells in numbered]
            yield _table_part(self.source, header, rows, self._loc(where, surface))
            if other:
                rest = "\n".join(ln for _, ln in other)
                yield TextPart(text=rest, location=self._loc(where, surface))
            return
        yield TextPart(text=text.strip(), location=self._loc(where, surface))

    # -- attributes --------------------------------------------------------------------------
    def _attributes(self, el: etree._Element, tag: str, state: _State) -> Iterator[ReadItem]:
        attrib = el.attrib
        if not attrib:
            return
        line = _sl(el)
        surface = self._surface(state)
        hidden_surface = (
            self.surface if self.surface is not Surface.VISIBLE else (Surface.HIDDEN_ELEMENT)
        )
        if tag == "meta":
            yield from self._meta(el, line)
            return
        for raw_name, raw_value in attrib.items():
            value = str(raw_value)
            if not value.strip():
                continue
            low = str(raw_name).lower()
            if low.startswith("data-"):
                shown = low if _SAFE_NAME.fullmatch(low) else "data-*"
                where = (
                    self._where(None, line, f"{tag} {shown}")
                    if not self.label
                    else (self._where(state, line))
                )
                yield from self._maybe_json(value, where, hidden_surface, low)
            elif low in ("href", "src") and value.lstrip()[:5].lower() == "data:":
                yield from self._data_url(value.strip(), tag, line)
            elif low == "href" and value.lstrip().lower().startswith(("mailto:", "tel:", "sms:")):
                scheme, _, rest = value.strip().partition(":")
                addr = urllib.parse.unquote(rest).replace("?", " ").replace("&", " ")
                if addr.strip():
                    yield TextPart(
                        text=addr.strip(),
                        location=self._loc(
                            self._where(state, line, f"a href={scheme.lower()}:"), surface
                        ),
                        context="link",
                    )
            elif low in _TEXT_ATTRS:
                yield TextPart(
                    text=value.strip(),
                    location=self._loc(self._where(state, line, f"{tag} {low}"), surface),
                    context=low,
                )
            elif low == "srcdoc" and tag == "iframe":
                yield from self.fragment(value, line, surface, "<iframe srcdoc>")
        if tag in ("input", "button", "option", "param"):
            kind = (el.get("type") or "").lower()
            value = str(el.get("value") or "")
            if value.strip() and kind not in _NO_VALUE_INPUTS:
                if tag == "option" and value.strip() == (el.text or "").strip():
                    return
                label = "<input type=hidden>" if kind == "hidden" else f"<{tag} value>"
                name = str(el.get("name") or el.get("id") or "")
                yield TextPart(
                    text=value.strip(),
                    location=self._loc(
                        (self.label and self._where(state, line))
                        or f"{self.where_prefix}{label} {_line(line, self.offset)}",
                        hidden_surface,
                    ),
                    context=name if _SAFE_NAME.fullmatch(name) else "",
                )

    def _meta(self, el: etree._Element, line: int | None) -> Iterator[ReadItem]:
        content = el.get("content")
        name = el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv")
        if not content or not content.strip() or not name:
            return
        low = name.lower()
        if low in (
            "viewport",
            "robots",
            "charset",
            "content-type",
            "x-ua-compatible",
            "theme-color",
        ):
            return
        context = "author" if "author" in low or "creator" in low else low
        shown = low if _SAFE_NAME.fullmatch(low) else "name"
        surface = self.surface if self.surface is not Surface.VISIBLE else Surface.METADATA
        yield TextPart(
            text=content.strip(),
            location=self._loc(
                f"{self.where_prefix}<meta {shown}> {_line(line, self.offset)}", surface
            ),
            context=context,
        )

    def _maybe_json(
        self, value: str, where: str, surface: Surface, context: str
    ) -> Iterator[ReadItem]:
        s = value.strip()
        if s[:1] in ("{", "[") and len(s) > 2:
            try:
                data = json.loads(s)
            except (json.JSONDecodeError, RecursionError):
                data = None
            if isinstance(data, dict | list):
                yield from walk_data(
                    data, self.source, surface=surface, where_prefix=f"{where}, ",
                    budget=Budget(len(s)), kind="JSON in an attribute",
                )  # fmt: skip
                return
        yield TextPart(text=s, location=self._loc(where, surface), context=context)

    def _data_url(self, url: str, tag: str, line: int | None) -> Iterator[ReadItem]:
        meta, sep, payload = url[5:].partition(",")
        name = f"data URL in <{tag}> {_line(line, self.offset)}"
        where = f"{self.where_prefix}{name}"
        if not sep:
            yield NotInspected(self._loc(where, Surface.ATTACHMENT), "a malformed data: URL")
            return
        try:
            if meta.lower().endswith(";base64"):
                data = base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
            else:
                data = urllib.parse.unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            yield NotInspected(
                self._loc(where, Surface.ATTACHMENT),
                "a data: URL whose base64 content is damaged; it was not inspected",
            )
            return
        if data:
            yield EmbeddedFile(name=name, data=data, surface=Surface.ATTACHMENT)

    # -- scripts -----------------------------------------------------------------------------
    def _script(self, el: etree._Element, state: _State) -> Iterator[ReadItem]:
        text = el.text or ""
        if not text.strip():
            return
        kind = (el.get("type") or "").split(";")[0].strip().lower()
        line = _sl(el)
        if _TEMPLATE_TYPES.fullmatch(kind):
            surface = (
                self.surface if self.surface is not Surface.VISIBLE else (Surface.HIDDEN_ELEMENT)
            )
            yield from self.fragment(text, line, surface, f"<script type={kind}>")
            return
        surface = self.surface if self.surface is not Surface.VISIBLE else Surface.SCRIPT_DATA
        label = f"<script type={kind}>" if kind and _SAFE_TYPE.fullmatch(kind) else "<script>"
        where = f"{self.where_prefix}{self.label or label} {_line(line, self.offset)}"
        if _JSON_TYPES.fullmatch(kind):
            body = _unwrap_script(text)
            try:
                data = json.loads(body)
            except (json.JSONDecodeError, RecursionError):
                # declared JSON that is not: still read, as text
                yield TextPart(text=body, location=self._loc(where, surface), context="script")
                return
            yield from walk_data(
                data, self.source, surface=surface, where_prefix=f"{where}, ",
                budget=Budget(len(body)), kind="JSON in a script",
            )  # fmt: skip
            return
        yield from self._js_data(text, where, surface)

    def _js_data(self, text: str, where: str, surface: Surface) -> Iterator[ReadItem]:
        """JSON literals assigned or passed in JavaScript (``var data = [...]``). Object
        literals that are not JSON (unquoted keys) are code, and code is not read."""
        decoder = json.JSONDecoder()
        pos = 0
        tried = 0
        n = 0
        while tried < _MAX_JS_CANDIDATES:
            m = _JS_DATA.search(text, pos)
            if m is None:
                break
            tried += 1
            start = m.end()
            try:
                data, end = decoder.raw_decode(text, start)
            except (json.JSONDecodeError, RecursionError):
                pos = start + 1
                continue
            pos = end
            if isinstance(data, dict | list) and data and end - start >= 16:
                n += 1
                yield from walk_data(
                    data, self.source, surface=surface,
                    where_prefix=f"{where}, literal {n}, ", budget=Budget(end - start),
                    kind="JSON in a script",
                )  # fmt: skip

    # -- tables ------------------------------------------------------------------------------
    def _table(self, table: etree._Element, state: _State) -> Iterator[ReadItem]:
        self.counters["table"] += 1
        number = self.counters["table"]
        base = f"table {number}, {_line(_sl(table), self.offset)}"
        if self.label:
            base = f"{self.label} {base}"
        elif state.hidden:
            base = f"{state.hidden} {base}"
        base = f"{self.where_prefix}{base}"
        surface = self._surface(state)
        hidden_surface = (
            self.surface if self.surface is not Surface.VISIBLE else (Surface.HIDDEN_ELEMENT)
        )
        rows: list[tuple[int, list[str], bool, bool]] = []  # (number, cells, all th, hidden)
        side: list[TextPart] = []
        for i, tr in enumerate(_rows(table), start=1):
            row_hidden = _row_hidden(tr, table)
            cells: list[str] = []
            all_th = True
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                all_th = all_th and cell.tag.lower() == "th"
                text, hidden_bits = _cell_text(cell)
                for bit, why, ln in hidden_bits:
                    side.append(
                        TextPart(
                            text=bit,
                            location=self._loc(
                                f"{base}, {why} {_line(ln, self.offset)}", hidden_surface
                            ),
                        )
                    )
                span = _int(cell.get("colspan"), 1, 100)
                cells.append(text)
                cells.extend([""] * (span - 1))
            if cells:
                rows.append((i, cells, all_th and bool(cells), row_hidden))
        caption = table.find("caption")
        if caption is not None:
            ctext = _WS.sub(" ", _text_content(caption)).strip()
            if ctext:
                side.append(
                    TextPart(
                        text=ctext,
                        location=self._loc(f"{base}, caption", surface),
                        context="caption",
                    )
                )
        if rows:
            first = rows[0]
            body = rows[1:]
            has_header = (
                first[2]
                or _in_thead(table)
                or looks_like_header(first[1], [r[1] for r in body[:50]])
            )
            if not has_header:
                body = rows
            header = list(first[1]) if has_header else []
            width = max([len(header), *(len(r[1]) for r in body)]) if body else len(header)
            header += [""] * (width - len(header))
            visible = [(n, c) for n, c, _, h in body if not h]
            hidden = [(n, c) for n, c, _, h in body if h]
            if visible:
                yield _table_part(self.source, header, visible, self._loc(base, surface))
            if hidden:
                yield _table_part(
                    self.source, header, hidden,
                    self._loc(f"{base}, hidden rows", hidden_surface),
                )  # fmt: skip
        yield from side


def _unwrap_script(text: str) -> str:
    s = text.strip()
    for a, b in (("<!--", "-->"), ("/*<![CDATA[*/", "/*]]>*/"), ("<![CDATA[", "]]>")):
        if s.startswith(a) and s.endswith(b):
            s = s[len(a) : -len(b)].strip()
    return s


def _int(value: str | None, default: int, cap: int) -> int:
    try:
        n = int((value or "").strip())
    except ValueError:
        return default
    return max(1, min(n, cap))


def _rows(table: etree._Element) -> list[etree._Element]:
    return [tr for tr in table.iter("tr")]


def _in_thead(table: etree._Element) -> bool:
    trs = _rows(table)
    if not trs:
        return False
    parent = trs[0].getparent()
    return parent is not None and isinstance(parent.tag, str) and parent.tag.lower() == "thead"


def _row_hidden(tr: etree._Element, table: etree._Element) -> bool:
    node: etree._Element | None = tr
    while node is not None and node is not table:
        if hidden_reason(node) is not None:
            return True
        node = node.getparent()
    return False


def _is_data_table(table: etree._Element) -> bool:
    """A table of data, not a layout grid: no nested table, not marked presentational, and
    either header cells or at least two rows of two cells."""
    role = (table.get("role") or "").lower()
    if role in ("presentation", "none"):
        return False
    if any(True for _ in table.iterdescendants("table")):
        return False
    rows = _rows(table)
    if not rows:
        return False
    if any(True for _ in table.iterdescendants("th")):
        return True
    widths = [sum(1 for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th"))
              for tr in rows]  # fmt: skip
    return len(rows) >= 2 and max(widths) >= 2


def _cell_text(cell: etree._Element) -> tuple[str, list[tuple[str, str, int | None]]]:
    """A cell's visible text, and the text of hidden elements inside it (reported apart)."""
    visible: list[str] = []
    hidden: list[tuple[str, str, int | None]] = []
    stack: list[tuple[Any, bool]] = [(cell, False)]
    while stack:
        node, is_tail = stack.pop()
        if is_tail:
            if node.tail:
                visible.append(node.tail)
            continue
        if isinstance(node, etree._Comment) or not isinstance(node.tag, str):
            stack.append((node, True))
            continue
        tag = node.tag.lower()
        if node is not cell:
            why = hidden_reason(node)
            if why is not None:
                t = _WS.sub(" ", _text_content(node)).strip()
                if t:
                    hidden.append((t, why, _sl(node)))
                stack.append((node, True))
                continue
            if tag in ("script", "style"):
                stack.append((node, True))
                continue
            if tag == "br":
                visible.append(" ")
        if node.text:
            visible.append(node.text)
        if node is not cell:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _WS.sub(" ", "".join(visible)).strip(), hidden


def _table_part(
    source: Source, header: list[str], rows: Sequence[tuple[int, list[str]]], loc: Location
) -> TablePart:
    width = max([len(header), *(len(c) for _, c in rows)])
    header = header + [""] * (width - len(header))
    labels = [f"column {i + 1}" if not h else _short(h) for i, h in enumerate(header)]
    padded = [(n, c + [""] * (width - len(c))) for n, c in rows]
    return TablePart(
        header=header,
        rows=iter(padded),
        location=loc,
        column_labels=labels,
        total_rows=len(padded),
    )


def _short(h: str) -> str:
    return h if len(h) <= 60 else h[:57] + "..."


_DELIMS = (",", "\t", ";", "|")


def delimited_table(
    text: str,
) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, str]]] | None:
    """Lines of delimited values (records pasted into a comment): header, numbered rows and the
    lines that are not records (a note above the data), or None. At least three lines with the
    same number (2 or more) of fields, and most lines are such records."""
    lines = [(i, ln.strip()) for i, ln in enumerate(text.splitlines(), start=1) if ln.strip()]
    if len(lines) < 3:
        return None
    for d in _DELIMS:
        split = [(i, [f.strip() for f in ln.split(d)]) for i, ln in lines]
        widths = Counter(len(f) for _, f in split)
        width, count = widths.most_common(1)[0]
        if width < 2 or count < 3 or count < 0.6 * len(split):
            continue
        records = [(i, f) for i, f in split if len(f) == width]
        other = [(i, ln) for (i, ln), (_, f) in zip(lines, split, strict=True) if len(f) != width]
        first = records[0][1]
        body = records[1:]
        if looks_like_header(first, [f for _, f in body[:50]]):
            return first, body, other
        return [""] * width, records, other
    return None


# --------------------------------------------------------------------------------------------
# the reader


def html_items(
    data: bytes, source: Source, *, where_prefix: str = "", charset: str | None = None
) -> Iterator[ReadItem]:
    """The parts of an HTML document given as bytes (a page, an e-mail's HTML body)."""
    text = decode_html(data, charset=charset)
    if not text.strip():
        return
    if not re.search(r"<[A-Za-z!]", text):
        yield TextPart(
            text=text.strip(),
            location=Location(
                source.display, Surface.VISIBLE, f"{where_prefix}text".strip(), source.member
            ),
        )
        return
    root = parse_html(text)
    yield from HtmlWalk(source, where_prefix=where_prefix).run(root)


class HtmlReader:
    """HTML pages: visible text by block, tables, comments, hidden elements, meta, script data."""

    id = "html"

    def __init__(self, *, max_bytes: int = MAX_HTML_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, source: Source) -> str | None:
        return sniff_html(source)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if source.size > self.max_bytes:
            raise LimitExceeded(
                f"the page is {source.size:,} bytes, over the limit of {self.max_bytes:,} bytes "
                "for HTML"
            )
        yield from html_items(source.path.read_bytes(), source)


__all__ = [
    "MAX_HTML_BYTES",
    "HtmlReader",
    "HtmlWalk",
    "decode_html",
    "delimited_table",
    "hidden_reason",
    "html_items",
    "parse_html",
    "sniff_html",
]
