"""Fixture builders for Word, PowerPoint and OpenDocument files shaped like real leaks.

Each builder writes a real file (python-docx / python-pptx for the basics; raw XML patched into the
zip for what those libraries cannot write: tracked changes, hidden text, hidden slides, ODF) and
returns a `Built`: how many people it exposes, on which surfaces, and the planted values (for the
never-the-second-leak test). Data is synthetic (`tests.builders.person_records`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
import pptx
from pptx.util import Inches
from xlwt import CompoundDoc

from spillguard.model import Surface
from tests import builders
from tests.builders import patch_zip, person_records

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: a valid-shaped SSN (area 2xx, group and serial not zero), synthetic
FOOTER_SSN = "287-65-4321"


@dataclass(slots=True)
class Built:
    """What a builder planted: people exposed, surfaces they sit on, raw values to grep for."""

    people: int
    surfaces: frozenset[Surface] = frozenset()
    secrets: set[str] = field(default_factory=set)


def secrets_of(records: Sequence[dict[str, Any]]) -> set[str]:
    """Raw values of records that must never appear in any output."""
    out: set[str] = set()
    for r in records:
        out.add(r["name"])
        for key in ("first_name", "last_name"):
            if len(r[key]) >= 6:
                out.add(r[key])
        out.add(r["a_digits"])
        out.add(r["birthdate"].isoformat())
        out.add(r["birthdate"].strftime("%m/%d/%Y"))
        out.add(re.sub(r"\D", "", r["phone"])[-10:])
    return out


def _dob(r: dict[str, Any]) -> str:
    return str(r["birthdate"].strftime("%m/%d/%Y"))


# -- DOCX helpers ---------------------------------------------------------------------------------
def _marker_run(marker: str) -> str:
    return f"<w:r><w:t>{marker}</w:t></w:r>"


def _replace_markers(path: Path, part: str, runs: dict[str, str]) -> None:
    """Replace each marker paragraph's run (written by python-docx) with raw WordprocessingML."""

    def edit(data: bytes) -> bytes:
        text = data.decode()
        for marker, xml in runs.items():
            run = _marker_run(marker)
            assert run in text, marker
            text = text.replace(run, xml)
        return text.encode()

    patch_zip(path, edit={part: edit})


def _run(text: str, *, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _letter_base(doc: Any) -> None:
    doc.add_heading("Office of Immigration Review", level=1)
    doc.add_paragraph("November 3, 2022")
    doc.add_paragraph("Re: Quarterly detention statistics for the northern district")
    doc.add_paragraph(
        "This letter summarises the number of people held at contract facilities during the "
        "quarter. Totals are given by facility and by month, as requested."
    )


def tracked_deletion_letter(path: Path, *, seed: int = 40) -> Built:
    """A letter whose tracked deletion holds a detainee's name, birthdate and A-number, plus an
    insertion; the deleted words are not shown by Word's 'no markup' view. Blocks."""
    r = person_records(1, seed=seed)[0]
    doc = docx.Document()
    _letter_base(doc)
    doc.add_paragraph("@@DEL@@")
    doc.add_paragraph("Sincerely, the Records Division")
    doc.save(str(path))
    deleted = f"The case of {r['name']}, born {_dob(r)}, A-number {r['a_number']}, was reviewed. "
    xml = (
        _run("The figures cover all facilities. ")
        + '<w:del w:id="1" w:author="Records Editor" w:date="2022-11-02T10:00:00Z"><w:r>'
        f'<w:delText xml:space="preserve">{escape(deleted)}</w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="Records Editor" w:date="2022-11-02T10:01:00Z">'
        + _run("Individual cases are not discussed.")
        + "</w:ins>"
    )
    _replace_markers(path, "word/document.xml", {"@@DEL@@": xml})
    return Built(1, frozenset({Surface.TRACKED_CHANGE}), secrets_of([r]))


def comment_docx(path: Path, *, seed: int = 41) -> Built:
    """A report with a reviewer's comment holding a person's name and mobile number. Blocks."""
    r = person_records(1, seed=seed)[0]
    doc = docx.Document()
    doc.add_heading("Facility inspection summary", level=1)
    p = doc.add_paragraph("Inspections were completed at all eight facilities this quarter.")
    doc.add_comment(
        p.runs,
        text=f"Call the detainee's sister {r['name']} back on {r['phone']} before publishing.",
        author="Reviewer",
        initials="RV",
    )
    doc.save(str(path))
    return Built(1, frozenset({Surface.COMMENT}), secrets_of([r]))


def footer_ssn_docx(path: Path) -> Built:
    """A form letter whose footer carries an SSN (a template left filled in). Blocks."""
    doc = docx.Document()
    doc.add_heading("Benefit eligibility notice", level=1)
    doc.add_paragraph("Your application was received and is being processed.")
    doc.sections[0].footer.paragraphs[0].text = f"Case reference SSN {FOOTER_SSN} - page 1"
    doc.save(str(path))
    return Built(1, frozenset({Surface.HEADER_FOOTER}), {FOOTER_SSN, FOOTER_SSN.replace("-", "")})


def hidden_text_docx(path: Path, *, seed: int = 42) -> Built:
    """A memo with a hidden (w:vanish) run naming a person and a birthdate. Blocks."""
    r = person_records(1, seed=seed)[0]
    doc = docx.Document()
    doc.add_heading("Program update", level=1)
    doc.add_paragraph("@@HID@@")
    doc.add_paragraph("The program continues through the next fiscal year.")
    doc.save(str(path))
    xml = _run("Enrollment grew by four percent. ") + _run(
        f"Client: {r['name']}, date of birth {_dob(r)}.", rpr="<w:rPr><w:vanish/></w:rPr>"
    )
    _replace_markers(path, "word/document.xml", {"@@HID@@": xml})
    return Built(1, frozenset({Surface.HIDDEN_TEXT}), secrets_of([r]))


def table_docx(path: Path, *, n: int = 50, seed: int = 43) -> Built:
    """A Word report with a visible table of `n` people (name, birthdate, A-number...)."""
    records = person_records(n, seed=seed)
    doc = docx.Document()
    doc.add_heading("Detainee transfer list", level=1)
    doc.add_paragraph("The following people were transferred during the period.")
    table = doc.add_table(rows=1, cols=5)
    for cell, h in zip(
        table.rows[0].cells,
        ("Name", "Date of birth", "A-Number", "Nationality", "Facility"),
        strict=True,
    ):
        cell.text = h
    for r in records:
        cells = table.add_row().cells
        vals = (r["name"], _dob(r), r["a_number"], r["nationality"], r["facility"])
        for cell, v in zip(cells, vals, strict=True):
            cell.text = v
    doc.add_paragraph("End of list.")
    doc.save(str(path))
    return Built(n, frozenset({Surface.VISIBLE}), secrets_of(records))


EMBED_NAME = "word/embeddings/Microsoft_Excel_Worksheet.xlsx"


def embedded_xlsx_docx(path: Path, *, n: int = 30) -> Built:
    """A briefing note with an embedded workbook whose hidden sheet lists `n` detainees (as
    Word stores an inserted Excel object: a package part under word/embeddings). Blocks."""
    xlsx = path.with_suffix(".inner.xlsx")
    builders.detention_workbook(xlsx, n=n)
    doc = docx.Document()
    doc.add_heading("Briefing note", level=1)
    doc.add_paragraph("The attached workbook gives the monthly totals.")
    doc.save(str(path))
    rel = (
        f'<Relationship Id="rIdEmb1" Type="{REL}/package" '
        'Target="embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
    )
    ct = (
        '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet"/>'
    )
    patch_zip(
        path,
        add={EMBED_NAME: xlsx.read_bytes()},
        edit={
            "word/_rels/document.xml.rels": lambda d: d.replace(
                b"</Relationships>", rel.encode() + b"</Relationships>"
            ),
            "[Content_Types].xml": lambda d: d.replace(b"</Types>", ct.encode() + b"</Types>"),
        },
    )
    xlsx.unlink()
    return Built(n, frozenset({Surface.HIDDEN_SHEET}), secrets_of(person_records(n, seed=0)))


def ole_package(name: str, payload: bytes) -> bytes:
    """An OLE object as Word stores a file dragged into a document: a CFB whose
    ``\\x01Ole10Native`` stream wraps `payload` (Packager Shell Object)."""
    label = name.encode("cp1252") + b"\x00"
    body = (
        b"\x02\x00"
        + label
        + (b"C:\\Temp\\" + label)
        + b"\x00\x00\x03\x00"
        + b"\x00\x00\x00\x00"
        + (b"C:\\Temp\\" + label)
        + len(payload).to_bytes(4, "little")
        + payload
    )
    stream = len(body).to_bytes(4, "little") + body
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, stream + b"\x00" * max(0, 5000 - len(stream)))
    data = bytearray(out.getvalue())
    old = "Workbook".encode("utf-16-le")
    at = data.index(old)
    new = "\x01Ole10Native".encode("utf-16-le")
    data[at : at + 64] = new + b"\x00" * (64 - len(new))
    data[at + 64 : at + 66] = (len(new) + 2).to_bytes(2, "little")
    return bytes(data)


def ole_packaged_csv_docx(path: Path, *, n: int = 20, seed: int = 44) -> Built:
    """A document with a CSV of people embedded as an OLE package (oleObject1.bin). Blocks."""
    csv_path = path.with_suffix(".csv")
    builders.records_csv(csv_path, n, seed=seed)
    doc = docx.Document()
    doc.add_paragraph("Data file attached.")
    doc.save(str(path))
    patch_zip(
        path,
        add={"word/embeddings/oleObject1.bin": ole_package("records.csv", csv_path.read_bytes())},
    )
    csv_path.unlink()
    return Built(n, frozenset({Surface.ATTACHMENT}), secrets_of(person_records(n, seed=seed)))


def policy_memo_docx(path: Path) -> Built:
    """Clean control: a policy memo with no personal data."""
    doc = docx.Document()
    doc.add_heading("Memorandum: records retention policy", level=1)
    for text in (
        "Purpose. This memo sets the retention periods for case files held by field offices.",
        "Scope. It applies to paper and electronic records created after January 1, 2020.",
        "Policy. Case files are kept for seven years after closure, then destroyed securely.",
        "Questions about this memo go to the records management unit.",
    ):
        doc.add_paragraph(text)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Record type"
    table.rows[0].cells[1].text = "Retention (years)"
    for kind, years in (("Case file", "7"), ("Correspondence", "3"), ("Statistics", "10")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = kind, years
    doc.save(str(path))
    return Built(0)


PRESS_OFFICIALS = ("Margaret Ellison", "David Okafor")


def press_release_docx(path: Path) -> Built:
    """Clean control: a press release quoting two officials and an advocate by name, with the
    press office's address. Not blocked."""
    doc = docx.Document()
    doc.add_heading("Agency announces new case processing centre", level=1)
    doc.add_paragraph(
        f'"This centre will cut waiting times in half," said Director {PRESS_OFFICIALS[0]}.'
    )
    doc.add_paragraph(
        f"Deputy Secretary {PRESS_OFFICIALS[1]} added that the centre opens in March and will "
        "employ 120 staff."
    )
    doc.add_paragraph(
        'Advocate Laura Whitcombe of the Legal Aid Alliance welcomed the move: "It is overdue."'
    )
    doc.add_paragraph("Media contact: press@agency.gov")
    doc.save(str(path))
    return Built(0)


# -- PPTX -----------------------------------------------------------------------------------------
def _slide(prs: Any, title: str, body: str) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = body
    return slide


def notes_pptx(path: Path, *, seed: int = 45) -> Built:
    """A briefing deck whose speaker notes name a detainee and give the A-number. Blocks."""
    r = person_records(1, seed=seed)[0]
    prs = pptx.Presentation()
    _slide(prs, "Detention overview", "Average daily population rose 4% this quarter.")
    s2 = _slide(prs, "Facilities", "Eight facilities, three new contracts.")
    s2.notes_slide.notes_text_frame.text = (
        f"If asked: the case of {r['name']} (A-number {r['a_number']}) is under review."
    )
    prs.save(str(path))
    return Built(1, frozenset({Surface.SPEAKER_NOTES}), secrets_of([r]))


def hidden_slide_pptx(path: Path, *, n: int = 12, seed: int = 46) -> Built:
    """A deck with a hidden slide holding a table of detainee records. Blocks."""
    records = person_records(n, seed=seed)
    prs = pptx.Presentation()
    _slide(prs, "Quarterly statistics", "Totals by facility are on the next slide.")
    s2 = prs.slides.add_slide(prs.slide_layouts[5])
    s2.shapes.title.text = "Backup: records"
    rows, cols = n + 1, 4
    shape = s2.shapes.add_table(rows, cols, Inches(0.3), Inches(1.3), Inches(9), Inches(5))
    table = shape.table
    for j, h in enumerate(("Name", "Date of birth", "A-Number", "Nationality")):
        table.cell(0, j).text = h
    for i, r in enumerate(records, start=1):
        for j, v in enumerate((r["name"], _dob(r), r["a_number"], r["nationality"])):
            table.cell(i, j).text = v
    s2._element.set("show", "0")
    _slide(prs, "Next steps", "Contracts are reviewed in the spring.")
    prs.save(str(path))
    return Built(n, frozenset({Surface.HIDDEN_SLIDE}), secrets_of(records))


def off_slide_pptx(path: Path, *, seed: int = 47) -> Built:
    """A slide with a text box parked to the right of the slide, outside what is shown."""
    r = person_records(1, seed=seed)[0]
    prs = pptx.Presentation()
    s = _slide(prs, "Case processing", "Processing times fell to 41 days.")
    box = s.shapes.add_textbox(prs.slide_width + Inches(1), Inches(1), Inches(3), Inches(1))
    box.text_frame.text = f"{r['name']}, born {_dob(r)}, A-number {r['a_number']}"
    prs.save(str(path))
    return Built(1, frozenset({Surface.OFF_SLIDE}), secrets_of([r]))


def aggregate_pptx(path: Path) -> Built:
    """Clean control: a deck of aggregate statistics."""
    prs = pptx.Presentation()
    _slide(prs, "Detention statistics FY2022", "Prepared by the statistics office.")
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = "Average daily population by facility"
    shape = s.shapes.add_table(5, 3, Inches(0.5), Inches(1.5), Inches(8), Inches(3))
    t = shape.table
    for j, h in enumerate(("Facility", "FY2021", "FY2022")):
        t.cell(0, j).text = h
    for i, (fac, a, b) in enumerate(
        (
            (builders.FACILITIES[0], "412", "455"),
            (builders.FACILITIES[1], "198", "176"),
            (builders.FACILITIES[2], "640", "702"),
            ("Total", "1250", "1333"),
        ),
        start=1,
    ):
        for j, v in enumerate((fac, a, b)):
            t.cell(i, j).text = v
    s.notes_slide.notes_text_frame.text = "Numbers rounded; see the methodology note."
    prs.save(str(path))
    return Built(0)


# -- ODF ------------------------------------------------------------------------------------------
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
ODT_MIME = "application/vnd.oasis.opendocument.text"
ODP_MIME = "application/vnd.oasis.opendocument.presentation"
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def write_odf(
    path: Path,
    mimetype: str,
    body: str,
    *,
    styles: str = "",
    meta: str = "",
    extra: dict[str, bytes] | None = None,
    encrypted: bool = False,
) -> None:
    """An ODF package as LibreOffice lays it out: mimetype first and stored, then the parts."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} '
        f'office:version="1.3"><office:automatic-styles>{styles}</office:automatic-styles>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    meta_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS} '
        f'office:version="1.3"><office:meta>{meta}</office:meta></office:document-meta>'
    )
    enc = (
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"/>'
        if encrypted
        else ""
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{enc}</manifest:file-entry>"
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("meta.xml", meta_xml, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def odt_leaks(path: Path, *, seed: int = 48) -> Built:
    """An ODT letter with a tracked deletion (name, birthdate, A-number) and an annotation
    holding another person's phone number; the editor is named in meta.xml. Blocks."""
    r1, r2 = person_records(2, seed=seed)
    deleted = f"The case of {r1['name']}, born {_dob(r1)}, A-number {r1['a_number']}."
    body = (
        "<office:text><text:tracked-changes>"
        '<text:changed-region text:id="ct1"><text:deletion><office:change-info>'
        "<dc:creator>Records Editor</dc:creator><dc:date>2022-11-02T10:00:00</dc:date>"
        f"</office:change-info><text:p>{escape(deleted)}</text:p></text:deletion>"
        "</text:changed-region></text:tracked-changes>"
        '<text:h text:outline-level="1">Quarterly statistics</text:h>'
        '<text:p>Totals are given by facility.<text:change text:change-id="ct1"/> '
        "Individual cases are not discussed."
        "<office:annotation><dc:creator>Reviewer</dc:creator>"
        f"<text:p>Call {escape(r2['name'])} back on {escape(r2['phone'])}.</text:p>"
        "</office:annotation></text:p>"
        "<text:p>Sincerely, the Records Division</text:p></office:text>"
    )
    meta = "<dc:creator>Records Editor</dc:creator><dc:title>Quarterly letter</dc:title>"
    write_odf(path, ODT_MIME, body, meta=meta)
    return Built(2, frozenset({Surface.TRACKED_CHANGE, Surface.COMMENT}), secrets_of([r1, r2]))


def odt_hidden(path: Path, *, seed: int = 49) -> Built:
    """An ODT with hidden text (text:hidden-text, a display:none span) and a table of people."""
    recs = person_records(6, seed=seed)
    rows = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>"
            for v in (r["name"], _dob(r), r["a_number"])
        )
        + "</table:table-row>"
        for r in recs[2:]
    )
    header = "".join(
        f"<table:table-cell><text:p>{h}</text:p></table:table-cell>"
        for h in ("Name", "Date of birth", "A-Number")
    )
    body = (
        "<office:text><text:p>Program update for the quarter."
        f'<text:hidden-text text:condition="ooow:1" text:string-value="{escape(recs[0]["name"])}'
        f' {_dob(recs[0])}" text:is-hidden="true"/></text:p>'
        f'<text:p>Enrollment grew. <text:span text:style-name="Hid">{escape(recs[1]["name"])}'
        f", born {_dob(recs[1])}</text:span></text:p>"
        '<table:table table:name="Table1"><table:table-column table:number-columns-repeated="3"/>'
        f"<table:table-header-rows><table:table-row>{header}</table:table-row>"
        f"</table:table-header-rows>{rows}</table:table></office:text>"
    )
    styles = (
        '<style:style style:name="Hid" style:family="text">'
        '<style:text-properties text:display="none"/></style:style>'
    )
    write_odf(path, ODT_MIME, body, styles=styles)
    return Built(6, frozenset({Surface.HIDDEN_TEXT, Surface.VISIBLE}), secrets_of(recs))


def odp_leaks(path: Path, *, seed: int = 50) -> Built:
    """An ODP with a hidden slide of records and speaker notes naming a detainee. Blocks."""
    recs = person_records(4, seed=seed)
    hidden_lines = "".join(
        f"<text:p>{escape(r['name'])}, {_dob(r)}, {escape(r['a_number'])}</text:p>"
        for r in recs[1:]
    )
    r0 = recs[0]
    body = (
        "<office:presentation>"
        '<draw:page draw:name="Overview" draw:style-name="dpShow">'
        '<draw:frame svg:x="1cm" svg:y="1cm" svg:width="20cm" svg:height="3cm"><draw:text-box>'
        "<text:p>Average daily population rose 4%.</text:p></draw:text-box></draw:frame>"
        "<presentation:notes><draw:frame><draw:text-box>"
        f"<text:p>If asked: {escape(r0['name'])}, A-number {escape(r0['a_number'])}.</text:p>"
        "</draw:text-box></draw:frame></presentation:notes></draw:page>"
        '<draw:page draw:name="Backup" draw:style-name="dpHidden">'
        '<draw:frame svg:x="1cm" svg:y="1cm" svg:width="20cm" svg:height="10cm"><draw:text-box>'
        f"{hidden_lines}</draw:text-box></draw:frame></draw:page>"
        "</office:presentation>"
    )
    styles = (
        '<style:style style:name="dpShow" style:family="drawing-page">'
        '<style:drawing-page-properties presentation:visibility="visible"/></style:style>'
        '<style:style style:name="dpHidden" style:family="drawing-page">'
        '<style:drawing-page-properties presentation:visibility="hidden"/></style:style>'
    )
    write_odf(path, ODP_MIME, body, styles=styles)
    return Built(4, frozenset({Surface.HIDDEN_SLIDE, Surface.SPEAKER_NOTES}), secrets_of(recs))


def _ods_cell(value: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
        "</table:table-cell>"
    )


def ods_leaks(path: Path, *, n: int = 20, seed: int = 51) -> Built:
    """An ODS whose visible sheet shows totals while `n` hidden rows hold detainee records, a
    filtered row, a hidden column of phone numbers, and a cell annotation naming a person."""
    recs = person_records(n + 2, seed=seed)
    header = "".join(_ods_cell(h) for h in ("Name", "Date of birth", "A-Number", "Phone"))
    visible = (
        "<table:table-row>"
        + _ods_cell("Total detained")
        + '<table:table-cell office:value-type="float" office:value="1333"><text:p>1333</text:p>'
        + "<office:annotation><dc:creator>Analyst</dc:creator>"
        + f"<text:p>Checked with {escape(recs[n]['name'])}, {escape(recs[n]['phone'])}</text:p>"
        + "</office:annotation></table:table-cell></table:table-row>"
    )

    def row(r: dict[str, Any], vis: str) -> str:
        attr = f' table:visibility="{vis}"' if vis else ""
        return (
            f"<table:table-row{attr}>"
            + "".join(_ods_cell(v) for v in (r["name"], _dob(r), r["a_number"], r["phone"]))
            + "</table:table-row>"
        )

    hidden = "".join(row(r, "collapse") for r in recs[:n])
    filtered = row(recs[n + 1], "filter")
    body = (
        "<office:spreadsheet>"
        '<table:table table:name="Summary" table:style-name="ta1">'
        '<table:table-column table:number-columns-repeated="3"/>'
        '<table:table-column table:visibility="collapse"/>'
        f"<table:table-row>{header}</table:table-row>{visible}{hidden}{filtered}"
        "</table:table></office:spreadsheet>"
    )
    styles = (
        '<style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
    )
    meta = "<meta:initial-creator>Statistics Office</meta:initial-creator>"
    write_odf(path, ODS_MIME, body, styles=styles, meta=meta)
    return Built(
        n + 2,
        frozenset(
            {Surface.HIDDEN_ROW, Surface.FILTERED_ROW, Surface.HIDDEN_COLUMN, Surface.COMMENT}
        ),
        secrets_of(recs),
    )


__all__ = [
    "EMBED_NAME",
    "FOOTER_SSN",
    "PRESS_OFFICIALS",
    "Built",
    "aggregate_pptx",
    "comment_docx",
    "embedded_xlsx_docx",
    "footer_ssn_docx",
    "hidden_slide_pptx",
    "hidden_text_docx",
    "notes_pptx",
    "odp_leaks",
    "ods_leaks",
    "odt_hidden",
    "odt_leaks",
    "off_slide_pptx",
    "ole_package",
    "ole_packaged_csv_docx",
    "policy_memo_docx",
    "press_release_docx",
    "secrets_of",
    "table_docx",
    "tracked_deletion_letter",
    "write_odf",
]
