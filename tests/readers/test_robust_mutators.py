"""A mutation fuzzer for spreadsheet readers: valid seeds in, damaged and hostile files out.

Why: the files spillguard meets in the wild are truncated downloads, half-written exports and
files crafted to break parsers. Each mutator below makes one such kind of damage, deterministically
for a `random.Random`. `tests/readers/test_robust.py` runs a bounded, seeded sample of them on
every test run; ``scripts/corpus_check.py --fuzz N`` runs thousands, each in a child process with a
timeout and a memory cap. The tests in this module only check that the mutators do what they say.
"""

from __future__ import annotations

import csv
import io
import random
import re
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlwt

from tests import builders

Members = list[tuple[str, bytes]]
ByteMutator = Callable[[bytes, random.Random], bytes]
ZipMutator = Callable[[Members, random.Random], Members]

# -- seeds ----------------------------------------------------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def write_ods(path: Path, rows: list[list[str]], *, hidden_rows: list[list[str]]) -> None:
    """A small ODS file the way LibreOffice lays it out: a visible and a hidden table."""

    def table(name: str, style: str, body: list[list[str]]) -> str:
        cells = "".join(
            "<table:table-row>"
            + "".join(
                '<table:table-cell office:value-type="string">'
                f"<text:p>{v}</text:p></table:table-cell>"
                for v in r
            )
            + "</table:table-row>"
            for r in body
        )
        return f'<table:table table:name="{name}" table:style-name="{style}">{cells}</table:table>'

    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
        'office:version="1.3"><office:automatic-styles>'
        '<style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        + table("Summary", "ta1", rows)
        + table("Staff", "ta2", hidden_rows)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime.decode()}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mime, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def write_xls(path: Path, rows: list[list[str]]) -> None:
    """A small BIFF8 workbook with a visible and a hidden sheet (xlwt)."""
    wb = xlwt.Workbook()
    for name, visibility in (("Summary", 0), ("Staff", 1)):
        ws = wb.add_sheet(name)
        ws.visibility = visibility
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                ws.write(i, j, value)
    wb.save(str(path))


def build_seeds(folder: Path) -> list[Path]:
    """Valid files of every family the readers handle, small enough to mutate quickly."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds: list[Path] = []

    def add(name: str, build: Callable[[Path], object]) -> None:
        path = folder / name
        build(path)
        seeds.append(path)

    add("detention.xlsx", lambda p: builders.detention_workbook(p, n=40))
    add("filtered.xlsx", lambda p: builders.filtered_rows_workbook(p, n=30))
    add("comments.xlsx", builders.comments_workbook)
    add("pivot.xlsx", lambda p: builders.pivot_cache_only_workbook(p, n=30))
    add("external.xlsx", lambda p: builders.external_link_workbook(p, n=10))
    add("chart.xlsx", builders.chart_cache_workbook)
    add("white.xlsx", builders.white_text_workbook)
    add("names.xlsx", builders.defined_names_workbook)
    add("orphans.xlsx", builders.orphan_strings_workbook)
    add("macro.xlsm", builders.macro_embedded_workbook)
    add("records.csv", lambda p: builders.records_csv(p, 40))
    people = [builders.record_row(r) for r in builders.person_records(15, seed=3)]
    table = [[str(v) for v in r] for r in [builders.RECORD_HEADER, *people]]
    add("records.xls", lambda p: write_xls(p, table))
    add("records.ods", lambda p: write_ods(p, table[:3], hidden_rows=table))
    return seeds


def build_doc_seeds(folder: Path) -> list[Path]:
    """Valid documents (PDF, Word, PowerPoint, ODF, HTML, e-mail, archives, images) to mutate:
    the document readers' counterpart of `build_seeds`, kept apart so that the spreadsheet
    sample in `test_robust.py` stays as fast as it was."""
    from tests import builders_archive as arc
    from tests import builders_office as office
    from tests import builders_pdf as pdf
    from tests import builders_web as web

    folder.mkdir(parents=True, exist_ok=True)
    seeds: list[Path] = []

    def add(name: str, build: Callable[[Path], object]) -> None:
        path = folder / name
        build(path)
        seeds.append(path)

    add("covered.pdf", pdf.covered_filing_pdf)
    add("revised.pdf", pdf.revised_pdf)
    add("attachment.pdf", pdf.attachment_pdf)
    add("annotated.pdf", pdf.annotated_pdf)
    add("form.pdf", pdf.form_pdf)
    add("metadata.pdf", pdf.metadata_pdf)
    add("layer.pdf", pdf.layer_pdf)
    add("image_only.pdf", pdf.image_only_pdf)
    add("tracked.docx", office.tracked_deletion_letter)
    add("comment.docx", office.comment_docx)
    add("hidden.docx", office.hidden_text_docx)
    add("table.docx", lambda p: office.table_docx(p, n=15))
    add("embedded.docx", lambda p: office.embedded_xlsx_docx(p, n=8))
    add("olepkg.docx", lambda p: office.ole_packaged_csv_docx(p, n=8))
    add("notes.pptx", office.notes_pptx)
    add("hidden_slide.pptx", lambda p: office.hidden_slide_pptx(p, n=6))
    add("leaks.odt", office.odt_leaks)
    add("hidden.odt", office.odt_hidden)
    add("leaks.odp", office.odp_leaks)
    add("news.html", web.news_page_with_hidden_records)
    add("table.html", lambda p: web.people_table_page(p, n=10))
    add("jsonld.html", web.jsonld_person_page)
    add("roster.json", lambda p: web.json_roster(p, n=10))
    add("export.xml", lambda p: web.xml_export(p, n=10))
    add("staff.yaml", lambda p: web.yaml_staff(p, n=5))
    add("mail.eml", lambda p: web.eml_with_csv_attachment(p, n=10))
    add("records.zip", lambda p: arc.records_zip(p, n=10))
    add("records.csv.gz", lambda p: arc.gzip_csv(p, n=10))
    add("author.png", arc.png_with_author)
    return seeds


# -- byte-level mutators (any file) ---------------------------------------------------------------


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, max(1, len(data)))]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        if buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def zero_range(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 4096))
    return data[:start] + b"\0" * (end - start) + data[end:]


def splice_duplicate(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 2:
        return data + data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 2048))
    at = rng.randrange(len(data))
    return data[:at] + data[a:b] + data[at:]


BYTE_MUTATORS: dict[str, ByteMutator] = {
    "truncate": truncate,
    "flip_bytes": flip_bytes,
    "zero_range": zero_range,
    "splice_duplicate": splice_duplicate,
}

# -- PDF mutators (syntax-level damage a byte flip rarely produces) --------------------------------


def _sub_one(data: bytes, rng: random.Random, pattern: bytes, repl: bytes) -> bytes:
    hits = list(re.finditer(pattern, data))
    if not hits:
        return data + b"\n%%EOF\n"
    m = rng.choice(hits)
    return data[: m.start()] + m.expand(repl) + data[m.end() :]


def pdf_length_lie(data: bytes, rng: random.Random) -> bytes:
    value = rng.choice([b"0", b"1", b"-5", b"999999999", b"99999999999999999999", b"1.5"])
    return _sub_one(data, rng, rb"/Length \d+", b"/Length " + value)


def pdf_startxref_lie(data: bytes, rng: random.Random) -> bytes:
    value = rng.choice([b"0", b"7", b"-1", b"999999999", str(len(data) // 2).encode()])
    return _sub_one(data, rng, rb"startxref\s+\d+", b"startxref\n" + value)


def pdf_count_lie(data: bytes, rng: random.Random) -> bytes:
    value = rng.choice([b"0", b"-1", b"2147483647", b"99999999999", b"1e9"])
    return _sub_one(data, rng, rb"/Count \d+", b"/Count " + value)


def pdf_kids_cycle(data: bytes, rng: random.Random) -> bytes:
    """A page tree whose /Kids points back at a /Pages node (or a page at itself)."""
    m = re.search(rb"(\d+) 0 obj\s*<<[^>]*?/Type\s*/Pages", data)
    target = m.group(1) if m else b"1"
    return _sub_one(data, rng, rb"/Kids\s*\[[^\]]*\]", b"/Kids [ " + target + b" 0 R ]")


def pdf_deep_array(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([200, 5_000, 100_000])
    deep = b"[" * depth + b"]" * depth
    return _sub_one(data, rng, rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox " + deep)


def pdf_huge_mediabox(data: bytes, rng: random.Random) -> bytes:
    box = rng.choice([b"[0 0 14400 14400]", b"[0 0 1e9 1e9]", b"[0 0 0 0]", b"[0 0 -612 -792]"])
    return _sub_one(data, rng, rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox " + box)


def pdf_filter_swap(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice([b"/LZWDecode", b"/DCTDecode", b"/JBIG2Decode", b"/Crypt", b"/Nope"])
    return _sub_one(data, rng, rb"/FlateDecode", name)


def pdf_stream_bomb(data: bytes, rng: random.Random) -> bytes:
    """A content stream that inflates to hundreds of megabytes of zeros."""
    import zlib

    raw = zlib.compress(b"\0" * (rng.choice([64, 256]) * 1024 * 1024), 9)
    head = b"<< /Length " + str(len(raw)).encode() + b" /Filter /FlateDecode >>\nstream\n"
    hits = list(re.finditer(rb"<<[^<>]*/Length \d+[^<>]*>>\s*stream\r?\n.*?endstream", data, re.S))
    if not hits:
        return data
    m = rng.choice(hits)
    return data[: m.start()] + head + raw + b"\nendstream" + data[m.end() :]


def pdf_ref_loop(data: bytes, rng: random.Random) -> bytes:
    """An indirect object that is a reference to itself (``5 0 obj 5 0 R endobj``)."""
    hits = list(re.finditer(rb"(\d+) 0 obj", data))
    if not hits:
        return data
    m = rng.choice(hits)
    return data + b"\n" + m.group(1) + b" 0 obj " + m.group(1) + b" 0 R endobj\n"


PDF_MUTATORS: dict[str, ByteMutator] = {
    "pdf_length_lie": pdf_length_lie,
    "pdf_startxref_lie": pdf_startxref_lie,
    "pdf_count_lie": pdf_count_lie,
    "pdf_kids_cycle": pdf_kids_cycle,
    "pdf_deep_array": pdf_deep_array,
    "pdf_huge_mediabox": pdf_huge_mediabox,
    "pdf_filter_swap": pdf_filter_swap,
    "pdf_stream_bomb": pdf_stream_bomb,
    "pdf_ref_loop": pdf_ref_loop,
}

# -- CSV / text mutators --------------------------------------------------------------------------


def csv_nul_bytes(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        buf.insert(rng.randrange(len(buf) + 1), 0)
    return bytes(buf)


def csv_mixed_line_endings(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines()
    return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r", b"\n\r"]) for line in lines)


def csv_long_line(data: bytes, rng: random.Random) -> bytes:
    """One line of ~50 MB: a single field, or many fields on one line."""
    size = 50 * 1024 * 1024
    line = b"x" * size if rng.random() < 0.5 else b"ab," * (size // 3)
    return data + line + b"\n"


def csv_unbalanced_quote(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + b'"' + data[at:]


def csv_bad_encoding(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x80\x81"]) + data[at:]


def csv_bom_mix(data: bytes, rng: random.Random) -> bytes:
    bom = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
    return bom + data


def csv_many_columns(data: bytes, rng: random.Random) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([f"c{i}" for i in range(rng.choice([300, 5000]))])
    return data + out.getvalue().encode()


CSV_MUTATORS: dict[str, ByteMutator] = {
    "csv_nul_bytes": csv_nul_bytes,
    "csv_mixed_line_endings": csv_mixed_line_endings,
    "csv_unbalanced_quote": csv_unbalanced_quote,
    "csv_bad_encoding": csv_bad_encoding,
    "csv_bom_mix": csv_bom_mix,
    "csv_many_columns": csv_many_columns,
}
#: slow to write and to scan: only for the fuzzer script and one dedicated test
CSV_BIG_MUTATORS: dict[str, ByteMutator] = {"csv_long_line": csv_long_line}

# -- zip container mutators -----------------------------------------------------------------------


def read_members(data: bytes) -> Members:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write_members(members: Members) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in members:
                ctype = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                zf.writestr(zipfile.ZipInfo(name), body, compress_type=ctype)
    return buf.getvalue()


def _pick(members: Members, rng: random.Random, pattern: str = r".*\.(xml|rels)$") -> int | None:
    idx = [i for i, (n, _) in enumerate(members) if re.search(pattern, n, re.IGNORECASE)]
    return rng.choice(idx) if idx else None


def _edit(members: Members, i: int, body: bytes) -> Members:
    out = list(members)
    out[i] = (out[i][0], body)
    return out


def xml_truncate(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = members[i][1]
    return _edit(members, i, body[: rng.randrange(max(1, len(body)))])


def xml_unclosed_tag(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = members[i][1]
    closes = [m.start() for m in re.finditer(rb"</", body)]
    if not closes:
        return members
    at = rng.choice(closes)
    end = body.index(b">", at) + 1
    return _edit(members, i, body[:at] + body[end:])


def xml_bad_entity(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = members[i][1]
    gts = [m.end() for m in re.finditer(rb">", body)][1:]
    if not gts:
        return members
    at = rng.choice(gts)
    junk = rng.choice([b"&bogus;", b"&#xFFFFFFF;", b"&#0;", b"&", b"&#x1;", b"<![CDATA[", b"\xff"])
    return _edit(members, i, body[:at] + junk + body[at:])


def xml_huge_attribute(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = members[i][1]
    m = re.search(rb"(<[A-Za-z][^>\s/]*)", body[body.find(b"?>") + 2 :] if b"?>" in body else body)
    if not m:
        return members
    base = body.find(b"?>") + 2 if b"?>" in body else 0
    at = base + m.end()
    attr = b' huge="' + b"A" * rng.choice([11 * 1024 * 1024, 200_000]) + b'"'
    return _edit(members, i, body[:at] + attr + body[at:])


def xml_deep_nesting(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = members[i][1]
    closes = [m.start() for m in re.finditer(rb"</", body)]
    if not closes:
        return members
    at = closes[-1]
    depth = rng.choice([300, 5000, 300_000])
    return _edit(members, i, body[:at] + b"<d>" * depth + b"</d>" * depth + body[at:])


_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "' % k + (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10 + b'">'
        for k in range(1, 10)
    )
    + b"]>\n"
)


def xml_billion_laughs(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", members[i][1])
    m = re.search(rb"<[A-Za-z][^>]*>", body)
    if not m:
        return members
    at = m.end()
    return _edit(members, i, _LAUGHS + body[:at] + b"&lol9;" + body[at:])


def xml_external_entity(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng)
    if i is None:
        return members
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", members[i][1])
    m = re.search(rb"<[A-Za-z][^>]*>", body)
    if not m:
        return members
    root = re.match(rb"<([A-Za-z][^\s>/]*)", body[m.start() :])
    name = root.group(1) if root else b"x"
    doctype = b'<!DOCTYPE %s [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' % name
    return _edit(members, i, doctype + body[: m.end()] + b"&xxe;" + body[m.end() :])


def drop_member(members: Members, rng: random.Random) -> Members:
    i = rng.randrange(len(members)) if members else None
    return members if i is None else members[:i] + members[i + 1 :]


def empty_member(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng, r".*")
    return members if i is None else _edit(members, i, b"")


def duplicate_member(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng, r".*")
    if i is None:
        return members
    name, body = members[i]
    other = body[: len(body) // 2] if rng.random() < 0.5 else b"<x/>"
    return [*members, (name, other)]


def rels_outside(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng, r"\.rels$")
    if i is None:
        return members
    body = members[i][1]
    targets = list(re.finditer(rb'Target="([^"]*)"', body))
    if not targets:
        return members
    m = rng.choice(targets)
    evil = rng.choice(
        [b"../../etc/passwd", b"/../../../etc/passwd", b"file:///etc/passwd", b"", b"/", b"..",
         b"xl/worksheets/", b"C:\\Windows\\win.ini", b"%2e%2e/%2e%2e/x", b"xl/workbook.xml"]
    )  # fmt: skip
    return _edit(members, i, body[: m.start(1)] + evil + body[m.end(1) :])


def wrong_content_type(members: Members, rng: random.Random) -> Members:
    i = _pick(members, rng, r"^\[Content_Types\]\.xml$")
    if i is None:
        return members
    body = members[i][1]
    choice = rng.randrange(3)
    if choice == 0:
        body = body.replace(b"spreadsheetml.sheet.main+xml", b"wordprocessingml.document.main+xml")
    elif choice == 1:
        body = re.sub(rb'ContentType="[^"]*"', b'ContentType="text/plain"', body)
    else:
        return members[:i] + members[i + 1 :]
    return _edit(members, i, body)


_CELL_REFS = [b"XFD1048577", b"A0", b"ZZZZ1", b"XFD1048576", b"", b"1A", b"A-1", b"$A$1",
              b"A99999999999999999999", b"AAAAAAAAAA1", b"a1", b"A1:B2"]  # fmt: skip
_NUMBERS = [b"-1", b"0", b"99999999999", b"1e5", b"abc", b"", b"2147483648", b"1.5", b"NaN",
            b"-99999999999999999999", b"0x10", b" 1"]  # fmt: skip


def _sub_attr(body: bytes, rng: random.Random, attr: bytes, values: list[bytes]) -> bytes:
    hits = list(re.finditer(rb"\s" + attr + rb'="([^"]*)"', body))
    if not hits:
        return body
    m = rng.choice(hits)
    return body[: m.start(1)] + rng.choice(values) + body[m.end(1) :]


def _sheet_edit(members: Members, rng: random.Random, fn: Callable[[bytes], bytes]) -> Members:
    i = _pick(members, rng, r"(worksheets/sheet\d+|content)\.xml$")
    return members if i is None else _edit(members, i, fn(members[i][1]))


def absurd_cell_ref(members: Members, rng: random.Random) -> Members:
    return _sheet_edit(members, rng, lambda b: _sub_attr(b, rng, b"r", _CELL_REFS))


def dimension_lie(members: Members, rng: random.Random) -> Members:
    lie = rng.choice([b"A1:XFD1048576", b"A1", b"B2:A1", b"junk", b"A1:A1048577"])

    def fn(body: bytes) -> bytes:
        if b"<dimension" in body:
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + lie + b'"', body)
        return body.replace(b"<sheetData", b'<dimension ref="' + lie + b'"/><sheetData', 1)

    return _sheet_edit(members, rng, fn)


def far_cell(members: Members, rng: random.Random) -> Members:
    """A real value in the last cell of the grid: a dense reader would allocate 17 billion."""
    ref = rng.choice([b"XFD1048576", b"A1048576", b"XFD1", b"ZZ900000"])
    row = re.sub(rb"\D", b"", ref)
    cell = b'<row r="' + row + b'"><c r="' + ref + b'" t="inlineStr"><is><t>x</t></is></c></row>'
    return _sheet_edit(members, rng, lambda b: b.replace(b"</sheetData>", cell + b"</sheetData>"))


def shared_string_out_of_range(members: Members, rng: random.Random) -> Members:
    def fn(body: bytes) -> bytes:
        bad = rng.choice([b"999999", b"-1", b"abc", b"4294967296", b""])
        hits = list(re.finditer(rb'<c [^>]*t="s"[^>]*>\s*<v>(\d+)</v>', body))
        if hits:
            m = rng.choice(hits)
            return body[: m.start(1)] + bad + body[m.end(1) :]
        inline = list(re.finditer(rb'(<c [^>]*)t="inlineStr"([^>]*)>(.*?)</c>', body, re.S))
        if not inline:
            return body
        m = rng.choice(inline)
        cell = m.group(1) + b't="s"' + m.group(2) + b"><v>" + bad + b"</v></c>"
        return body[: m.start()] + cell + body[m.end() :]

    return _sheet_edit(members, rng, fn)


def style_out_of_range(members: Members, rng: random.Random) -> Members:
    vals = [b"99999", b"-1", b"x", b"", b"4294967296"]

    def fn(body: bytes) -> bytes:
        if b' s="' in body:
            return _sub_attr(body, rng, b"s", vals)
        return body.replace(b"<c ", b'<c s="' + rng.choice(vals) + b'" ', 1)

    return _sheet_edit(members, rng, fn)


def row_number(members: Members, rng: random.Random) -> Members:
    def fn(body: bytes) -> bytes:
        hits = list(re.finditer(rb'<row [^>]*?r="([^"]*)"', body))
        if not hits:
            return body
        m = rng.choice(hits)
        return body[: m.start(1)] + rng.choice(_NUMBERS) + body[m.end(1) :]

    return _sheet_edit(members, rng, fn)


def numeric_attribute(members: Members, rng: random.Random) -> Members:
    """Any numeric-looking attribute anywhere (ids, counts, sizes, indices) made absurd."""
    i = _pick(members, rng)
    if i is None:
        return members
    body = members[i][1]
    hits = list(re.finditer(rb'\s[\w:]+="(\d+(?:\.\d+)?)"', body))
    if not hits:
        return members
    m = rng.choice(hits)
    return _edit(members, i, body[: m.start(1)] + rng.choice(_NUMBERS) + body[m.end(1) :])


def ods_repeat(members: Members, rng: random.Random) -> Members:
    """ODS run-length attributes made huge: a single cell repeated over the whole grid."""
    i = _pick(members, rng, r"^content\.xml$")
    if i is None:
        return members
    body = members[i][1]
    n = rng.choice([b"1048576", b"16384", b"100000000", b"-1", b"abc"])
    attr = rng.choice([b"table:number-columns-repeated", b"table:number-rows-repeated"])
    tag = b"<table:table-cell " if b"columns" in attr else b"<table:table-row"
    hits = [m.end() for m in re.finditer(re.escape(tag), body)]
    if not hits:
        return members
    at = rng.choice(hits)
    return _edit(members, i, body[:at] + b" " + attr + b'="' + n + b'"' + body[at:])


def zip_bad_crc(data: bytes, rng: random.Random) -> bytes:
    """Change the stored CRC-32 of one member (central directory and local header)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if i.file_size]
    if not infos:
        return data
    info = rng.choice(infos)
    buf = bytearray(data)
    bad = struct.pack("<I", (info.CRC ^ 0x5A5A5A5A) & 0xFFFFFFFF)
    buf[info.header_offset + 14 : info.header_offset + 18] = bad
    cd = bytes(buf).rfind(b"PK\x01\x02" + b"", 0)
    pos = bytes(buf).find(b"PK\x01\x02")
    while pos != -1 and cd != -1:
        (offset,) = struct.unpack_from("<I", buf, pos + 42)
        if offset == info.header_offset:
            buf[pos + 16 : pos + 20] = bad
            break
        pos = bytes(buf).find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


def zip_deflate_garbage(data: bytes, rng: random.Random) -> bytes:
    """Overwrite part of one member's compressed stream with random bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if i.compress_size > 4]
    if not infos:
        return data
    info = rng.choice(infos)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    at = start + rng.randrange(info.compress_size)
    n = min(rng.randint(1, 64), start + info.compress_size - at)
    return data[:at] + bytes(rng.randrange(256) for _ in range(n)) + data[at + n :]


def zip_lying_sizes(data: bytes, rng: random.Random) -> bytes:
    """Declared uncompressed size of one member changed in the central directory."""
    buf = bytearray(data)
    positions = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    if not positions:
        return data
    pos = rng.choice(positions)
    value = rng.choice([0, 1, 0xFFFFFFFE, 10**9])
    struct.pack_into("<I", buf, pos + 24, value)
    return bytes(buf)


ZIP_MUTATORS: dict[str, ZipMutator] = {
    "xml_truncate": xml_truncate,
    "xml_unclosed_tag": xml_unclosed_tag,
    "xml_bad_entity": xml_bad_entity,
    "xml_huge_attribute": xml_huge_attribute,
    "xml_deep_nesting": xml_deep_nesting,
    "xml_billion_laughs": xml_billion_laughs,
    "xml_external_entity": xml_external_entity,
    "drop_member": drop_member,
    "empty_member": empty_member,
    "duplicate_member": duplicate_member,
    "rels_outside": rels_outside,
    "wrong_content_type": wrong_content_type,
    "absurd_cell_ref": absurd_cell_ref,
    "dimension_lie": dimension_lie,
    "far_cell": far_cell,
    "shared_string_out_of_range": shared_string_out_of_range,
    "style_out_of_range": style_out_of_range,
    "row_number": row_number,
    "numeric_attribute": numeric_attribute,
    "ods_repeat": ods_repeat,
}
ZIP_BYTE_MUTATORS: dict[str, ByteMutator] = {
    "zip_bad_crc": zip_bad_crc,
    "zip_deflate_garbage": zip_deflate_garbage,
    "zip_lying_sizes": zip_lying_sizes,
}


def family(path: Path) -> str:
    """``pdf``, ``zip``, ``csv`` or ``bin``: which mutators apply to a seed."""
    head = path.read_bytes()[:4]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        return "zip"
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return "csv"
    return "bin"


def mutate(data: bytes, fam: str, rng: random.Random, *, big: bool = False) -> tuple[str, bytes]:
    """One mutation of a seed's bytes: (mutator name, mutated bytes). Deterministic for `rng`."""
    pool: list[str] = list(BYTE_MUTATORS)
    if fam == "zip":
        pool += list(ZIP_MUTATORS) * 3 + list(ZIP_BYTE_MUTATORS)
    elif fam == "csv":
        pool += list(CSV_MUTATORS) * 2 + (list(CSV_BIG_MUTATORS) if big else [])
    elif fam == "pdf":
        pool += list(PDF_MUTATORS) * 2
    name = rng.choice(pool)
    if name in ZIP_MUTATORS:
        return name, write_members(ZIP_MUTATORS[name](read_members(data), rng))
    fn = {
        **BYTE_MUTATORS,
        **CSV_MUTATORS,
        **CSV_BIG_MUTATORS,
        **ZIP_BYTE_MUTATORS,
        **PDF_MUTATORS,
    }[name]
    return name, fn(data, rng)


def write_mutants(
    out: Path,
    *,
    count: int,
    seed: int = 0,
    big: bool = True,
    seeds: list[Path] | None = None,
    only: str = "",
) -> list[Path]:
    """Build seeds under `out/seeds` and write `count` mutants to `out`, named after what was
    done (``001-00042-detention-far_cell.xlsx``) so that a failure can be reproduced. `only`
    keeps the seeds whose name ends with it (``".xls"``)."""
    if seeds is None:
        seeds = build_seeds(out / "seeds") + build_doc_seeds(out / "docseeds")
    seeds = [p for p in seeds if p.name.endswith(only)]
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    cache = {p: (p.read_bytes(), family(p)) for p in seeds}
    for k in range(count):
        rng = random.Random(seed * 1_000_003 + k)
        src = rng.choice(seeds)
        data, fam = cache[src]
        name, mutated = mutate(data, fam, rng, big=big)
        path = out / f"{seed:03d}-{k:05d}-{src.stem}-{name}{src.suffix}"
        path.write_bytes(mutated)
        paths.append(path)
    return paths


# -- tests of the mutators themselves -------------------------------------------------------------


def test_zip_mutators_keep_a_readable_zip_and_change_it(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    builders.detention_workbook(path, n=5)
    members = read_members(path.read_bytes())
    for name, fn in ZIP_MUTATORS.items():
        if name == "ods_repeat":
            continue
        changed = any(fn(members, random.Random(s)) != members for s in range(8))
        assert changed, name


def test_bad_crc_is_caught_by_zipfile(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    builders.detention_workbook(path, n=5)
    bad = zip_bad_crc(path.read_bytes(), random.Random(1))
    with zipfile.ZipFile(io.BytesIO(bad)) as zf:
        assert zf.testzip() is not None


def test_mutants_are_deterministic(tmp_path: Path) -> None:
    seed = tmp_path / "records.csv"
    builders.records_csv(seed, 10)
    a = write_mutants(tmp_path / "a", count=5, seed=7, big=False, seeds=[seed])
    b = write_mutants(tmp_path / "b", count=5, seed=7, big=False, seeds=[seed])
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
