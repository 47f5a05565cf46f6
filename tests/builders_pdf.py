"""PDF fixture builders: real PDFs shaped like real leaks, and clean controls.

reportlab writes the ordinary documents (it draws text, rectangles, images, form fields, and
encrypts); pikepdf adds what reportlab cannot (annotations, attachments, optional-content layers,
encryption with an owner password only), and the incremental update is appended by hand exactly as
an editor appends one: changed objects, a cross-reference section and a trailer with /Prev.

Every builder writes the file and returns a `PdfTruth`: the people exposed, the surfaces where
they are, and the raw values planted (for the never-the-second-leak test). People come from
`tests.builders.person_records`, restricted to names the standard PDF fonts can encode.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.pdfgen.textobject import PDFTextObject

from tests import builders

FONT = "Helvetica"
PAGE_W, PAGE_H = letter


@dataclass(slots=True)
class PdfTruth:
    """What a builder planted: how many people, on which surfaces, and the raw values."""

    people: int
    surfaces: set[str] = field(default_factory=set)
    secrets: set[str] = field(default_factory=set)
    records: list[dict[str, Any]] = field(default_factory=list)


def _encodable(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def people(n: int, *, seed: int) -> list[dict[str, Any]]:
    """`n` synthetic people whose names the standard PDF fonts (WinAnsi) can draw."""
    out: list[dict[str, Any]] = []
    pool = builders.person_records(n * 4 + 20, seed=seed)
    for r in pool:
        if _encodable(r["name"]) and len(r["last_name"]) >= 3 and len(r["first_name"]) >= 3:
            out.append(r)
        if len(out) == n:
            return out
    raise AssertionError("not enough encodable names; raise the pool size")


def secrets_of(records: list[dict[str, Any]]) -> set[str]:
    """The raw values of `records` that must never appear in any output."""
    out: set[str] = set()
    for r in records:
        out.add(r["name"])
        for key in ("first_name", "last_name"):
            if len(r[key]) >= 6:
                out.add(r[key])
        out.add(r["a_digits"])
        bd = r["birthdate"]
        out.add(bd.isoformat())
        out.add(bd.strftime("%m/%d/%Y"))
        out.add(re.sub(r"\D", "", r["phone"])[-10:])
    return out


def _canvas(path: Path, *, title: str = "Court filing") -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=letter, invariant=True)
    c.setTitle(title)
    c.setAuthor("Records Office")
    c.setCreator("Records Office")
    return c


def _heading(c: canvas.Canvas, text: str, y: float = 740) -> None:
    c.setFont(FONT, 14)
    c.drawString(72, y, text)
    c.setFont(FONT, 11)


def _black_box(c: canvas.Canvas, x: float, y: float, text: str, size: float = 11) -> None:
    """A black rectangle exactly over `text` drawn at (x, y)."""
    c.saveState()
    c.setFillColorRGB(0, 0, 0)
    width = stringWidth(text, FONT, size)
    c.rect(x - 1, y - 3, width + 2, size + 4, fill=1, stroke=0)
    c.restoreState()


def _filing(path: Path, records: list[dict[str, Any]], *, leave_text: bool) -> None:
    c = _canvas(path)
    _heading(c, "UNITED STATES DISTRICT COURT - NOTICE OF FILING")
    y = 700.0
    c.drawString(72, y, "The following respondents appeared before the court on the stated dates.")
    y -= 30
    for r in records:
        label = "Respondent: "
        c.drawString(72, y, label)
        x = 72 + stringWidth(label, FONT, 11)
        secret = f"{r['name']}, {r['a_number']}"
        if leave_text:
            c.drawString(x, y, secret)
        _black_box(c, x, y, secret)
        c.drawString(x + stringWidth(secret, FONT, 11) + 10, y, "- hearing scheduled.")
        y -= 24
    c.drawString(72, y - 20, "Filed by the Office of the Clerk.")
    c.showPage()
    c.save()


def covered_filing_pdf(path: Path, *, n: int = 4, seed: int = 40) -> PdfTruth:
    """A court filing whose names and A-numbers are under black boxes, still extractable."""
    records = people(n, seed=seed)
    _filing(path, records, leave_text=True)
    return PdfTruth(n, {"redaction_overlay"}, secrets_of(records), records)


def properly_redacted_pdf(path: Path, *, n: int = 4, seed: int = 40) -> PdfTruth:
    """The same filing redacted properly: the text is gone, only the boxes remain."""
    _filing(path, people(n, seed=seed), leave_text=False)
    return PdfTruth(0)


def image_covered_pdf(path: Path, *, seed: int = 41) -> PdfTruth:
    """A name and A-number pasted over with a black picture (an image, not a rectangle)."""
    (r,) = people(1, seed=seed)
    c = _canvas(path)
    _heading(c, "Case notes")
    secret = f"{r['name']} {r['a_number']}"
    c.drawString(72, 700, secret)
    img = Image.new("RGB", (40, 8), (0, 0, 0))
    width = stringWidth(secret, FONT, 11)
    c.drawImage(ImageReader(img), 70, 696, width=width + 4, height=16)
    c.drawString(72, 660, "The matter was continued.")
    c.showPage()
    c.save()
    return PdfTruth(1, {"redaction_overlay"}, secrets_of([r]), [r])


def redact_annotation_pdf(path: Path, *, seed: int = 42) -> PdfTruth:
    """Text marked for redaction with /Redact annotations that were never applied."""
    (r,) = people(1, seed=seed)
    c = _canvas(path)
    _heading(c, "Witness statement")
    secret = f"{r['name']}, {r['a_number']}"
    c.drawString(72, 700, secret)
    c.drawString(72, 660, "Statement taken at the field office.")
    c.showPage()
    c.save()
    width = stringWidth(secret, FONT, 11)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        annot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Redact,
                Rect=[70, 696, 74 + width, 712],
                IC=[0, 0, 0],
            )
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))
        pdf.save(path)
    return PdfTruth(1, {"redaction_overlay"}, secrets_of([r]), [r])


# -- incremental update -------------------------------------------------------------------------
def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content(lines: list[str]) -> bytes:
    out = [b"BT /F1 11 Tf 72 720 Td 16 TL"]
    for line in lines:
        out.append(_pdf_string(line) + b" '")
    out.append(b"ET")
    return b"\n".join(out)


def _simple_pdf(lines: list[str]) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(PAGE_W, PAGE_H))
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type1,
        BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding,
    )
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
    page.Contents = pdf.make_stream(_content(lines))
    return pdf


def append_revision(path: Path, lines: list[str]) -> None:
    """Append an incremental update that replaces page 1's content with `lines`.

    Written the way an editor writes one: the new content stream under the old object number,
    a cross-reference section for that object alone, and a trailer that points back (/Prev).
    """
    data = path.read_bytes()
    prev = int(re.findall(rb"startxref\s+(\d+)\s*%%EOF", data)[-1])
    with pikepdf.open(path) as pdf:
        num = pdf.pages[0].obj.Contents.objgen[0]
        root = pdf.Root.objgen[0]
        size = int(pdf.trailer.Size)
    body = _content(lines)
    obj = b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (num, len(body), body)
    offset = len(data) + 1
    xref_at = offset + len(obj)
    xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (num, offset)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        prev,
        xref_at,
    )
    path.write_bytes(data + b"\n" + obj + xref + trailer)


def revised_pdf(path: Path, *, seed: int = 43) -> PdfTruth:
    """Revision 1 named a person with an A-number; revision 2 replaced them with a placeholder."""
    (r,) = people(1, seed=seed)
    first = [
        "Notice of custody determination",
        f"Subject: {r['name']}, {r['a_number']}",
        "The determination is final.",
    ]
    pdf = _simple_pdf(first)
    pdf.save(path, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    append_revision(path, [first[0], "Subject: [withheld]", first[2]])
    return PdfTruth(1, {"previous_revision"}, secrets_of([r]), [r])


# -- structure: attachments, annotations, forms, metadata, layers --------------------------------
def _plain_page(path: Path, lines: list[str], *, title: str = "Report") -> None:
    c = _canvas(path, title=title)
    _heading(c, title)
    y = 700.0
    for line in lines:
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    c.save()


def attachment_pdf(
    path: Path, *, n: int = 30, seed: int = 44, via_annotation: bool = False
) -> PdfTruth:
    """A harmless cover page with a CSV of person records attached: in the document's
    /EmbeddedFiles, or (`via_annotation`) in a /FileAttachment annotation on the page."""
    _plain_page(path, ["Quarterly detention statistics are attached."], title="Statistics")
    csv_path = path.with_suffix(".attached.csv")
    builders.records_csv(csv_path, n, seed=seed)
    data = csv_path.read_bytes()
    csv_path.unlink()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(pdf, data, mime_type="text/csv", filename="detainees.csv")
        if via_annotation:
            annot = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.FileAttachment,
                Rect=[500, 700, 520, 720],
                FS=spec.obj,
            )
            pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))
        else:
            pdf.attachments["detainees.csv"] = spec
        pdf.save(path)
    records = builders.person_records(n, seed=seed)
    return PdfTruth(n, {"attachment"}, secrets_of(records), records)


def annotated_pdf(path: Path, *, seed: int = 45) -> PdfTruth:
    """A sticky note that holds a person's phone number, signed by its author."""
    (r,) = people(1, seed=seed)
    _plain_page(path, ["Site visit summary: all inspections complete."], title="Site visit")
    note = f"Call back {r['name']} on {r['phone']} about the appeal."
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        annot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[400, 700, 420, 720],
                Contents=pikepdf.String(note),
                T=pikepdf.String("Case Worker 7"),
            )
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))
        pdf.save(path)
    return PdfTruth(1, {"annotation"}, secrets_of([r]), [r])


def form_pdf(path: Path, *, seed: int = 46) -> PdfTruth:
    """An application form with its fields filled: name, date of birth, A-number."""
    (r,) = people(1, seed=seed)
    c = _canvas(path, title="Application form")
    _heading(c, "Application for a travel document")
    form = c.acroForm
    fields = (
        ("applicant_name", "Full name", r["name"]),
        ("date_of_birth", "Date of birth", r["birthdate"].strftime("%m/%d/%Y")),
        ("a_number", "A-Number", r["a_number"]),
    )
    y = 680.0
    for name, label, value in fields:
        c.drawString(72, y + 6, label)
        form.textfield(name=name, value=value, x=200, y=y, width=250, height=20)
        y -= 40
    c.showPage()
    c.save()
    return PdfTruth(1, {"form_field"}, secrets_of([r]), [r])


def metadata_pdf(path: Path, *, seed: int = 47) -> PdfTruth:
    """A clean memo whose Info and XMP metadata name its author (a member of staff)."""
    (r,) = people(1, seed=seed)
    c = canvas.Canvas(str(path), pagesize=letter, invariant=True)
    c.setAuthor(r["name"])
    c.setTitle("Facility inspection schedule")
    c.setFont(FONT, 11)
    c.drawString(72, 700, "Inspections resume in March.")
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [r["name"]]
            meta["dc:title"] = "Facility inspection schedule"
        pdf.save(path)
    return PdfTruth(1, {"metadata"}, {r["name"]}, [r])


def valid_ssn(rng: random.Random) -> str:
    """A synthetic SSN that passes the validity rules (area, group and serial)."""
    while True:
        area = rng.randrange(1, 900)
        if area != 666:
            break
    return f"{area:03d}-{rng.randrange(1, 100):02d}-{rng.randrange(1, 10000):04d}"


def invisible_text_pdf(path: Path, *, seed: int = 48) -> PdfTruth:
    """SSNs in white-on-white text, in render mode 3 (invisible) and in a 0.5 pt font."""
    rng = random.Random(seed)
    ssns = [valid_ssn(rng) for _ in range(3)]
    c = _canvas(path, title="Benefits update")
    _heading(c, "Benefits update")
    c.drawString(72, 700, "Eligibility rules are unchanged this year.")
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.drawString(72, 600, f"SSN {ssns[0]}")
    c.restoreState()
    c.saveState()
    t: PDFTextObject = c.beginText(72, 560)
    t.setTextRenderMode(3)
    t.textLine(f"SSN {ssns[1]}")
    c.drawText(t)
    c.restoreState()
    c.saveState()
    c.setFont(FONT, 0.5)
    c.drawString(72, 520, f"SSN {ssns[2]}")
    c.restoreState()
    c.showPage()
    c.save()
    return PdfTruth(3, {"white_text"}, {s.replace("-", "") for s in ssns} | set(ssns))


def layer_pdf(path: Path, *, seed: int = 49) -> PdfTruth:
    """A name and A-number in an optional-content layer that is switched off."""
    (r,) = people(1, seed=seed)
    pdf = _simple_pdf(["Draft agenda for the review board."])
    page = pdf.pages[0]
    ocg = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Notes")))
    page.Resources.Properties = pikepdf.Dictionary(MC0=ocg)
    hidden = (
        b"/OC /MC0 BDC BT /F1 11 Tf 72 600 Td "
        + _pdf_string(f"{r['name']} {r['a_number']}")
        + b" Tj ET EMC"
    )
    page.Contents = pdf.make_stream(page.Contents.read_bytes() + b"\n" + hidden)
    pdf.Root.OCProperties = pikepdf.Dictionary(
        OCGs=[ocg], D=pikepdf.Dictionary(OFF=[ocg], Order=[ocg])
    )
    pdf.save(path)
    return PdfTruth(1, {"hidden_text"}, secrets_of([r]), [r])


def _noise_image(seed: int, size: tuple[int, int] = (200, 260)) -> Image.Image:
    rng = random.Random(seed)
    img = Image.new("L", size, 255)
    px = img.load()
    assert px is not None
    for _ in range(size[0] * size[1] // 8):
        px[rng.randrange(size[0]), rng.randrange(size[1])] = rng.randrange(0, 120)
    return img.convert("RGB")


def image_only_pdf(path: Path, *, seed: int = 50) -> PdfTruth:
    """A scanned page: one picture, no text layer."""
    c = canvas.Canvas(str(path), pagesize=letter, invariant=True)
    c.drawImage(ImageReader(_noise_image(seed)), 0, 0, width=PAGE_W, height=PAGE_H)
    c.showPage()
    c.save()
    return PdfTruth(0)


def ocr_scan_pdf(path: Path, *, seed: int = 51) -> PdfTruth:
    """A scanned page with an invisible OCR text layer over it (clean prose): not hidden text."""
    c = canvas.Canvas(str(path), pagesize=letter, invariant=True)
    c.drawImage(ImageReader(_noise_image(seed)), 0, 0, width=PAGE_W, height=PAGE_H)
    t = c.beginText(72, 700)
    t.setFont(FONT, 11)
    t.setTextRenderMode(3)
    t.textLine("Minutes of the public meeting on facility budgets.")
    t.textLine("The committee approved the annual report.")
    c.drawText(t)
    c.showPage()
    c.save()
    return PdfTruth(0)


def encrypted_pdf(path: Path, *, user_password: str, seed: int = 52) -> PdfTruth:
    """The covered filing, encrypted: with a user password (unreadable) or owner-only."""
    plain = path.with_suffix(".plain.pdf")
    truth = covered_filing_pdf(plain, seed=seed)
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user=user_password))
    plain.unlink()
    return truth


def truncated_pdf(path: Path, *, seed: int = 53) -> PdfTruth:
    """The covered filing cut off at half its length (an interrupted upload)."""
    full = path.with_suffix(".full.pdf")
    truth = covered_filing_pdf(full, seed=seed)
    data = full.read_bytes()
    full.unlink()
    path.write_bytes(data[: len(data) // 2])
    return truth


# -- clean controls -----------------------------------------------------------------------------
def policy_memo_pdf(path: Path) -> PdfTruth:
    _plain_page(
        path,
        [
            "MEMORANDUM FOR: All field offices",
            "SUBJECT: Updated guidance on records retention",
            "1. Case files are retained for seven years after closure.",
            "2. Electronic copies must be stored in the approved system.",
            "3. Questions may be directed to the records policy unit.",
        ],
        title="Policy memorandum",
    )
    return PdfTruth(0)


def press_release_pdf(path: Path) -> PdfTruth:
    _plain_page(
        path,
        [
            "FOR IMMEDIATE RELEASE",
            "The agency today announced new oversight measures for detention facilities.",
            '"Transparency is our first duty," said Director Helen Castellano.',
            'Deputy Secretary Marcus Whitley added: "We will publish quarterly audits."',
            "Advocate Rosa Delgado of the Refugee Law Project welcomed the step.",
            "Media contact: press@agency.gov",
        ],
        title="Press release",
    )
    return PdfTruth(0)


def statistics_pdf(path: Path) -> PdfTruth:
    """A page of aggregate statistics drawn as a table with shaded header cells."""
    c = _canvas(path, title="Detention statistics")
    _heading(c, "Average daily population by facility type, FY2022")
    rows = [
        ("Facility type", "Q1", "Q2", "Q3", "Q4"),
        ("Service processing center", "4,211", "4,380", "4,102", "3,998"),
        ("Contract detention facility", "6,022", "6,140", "5,876", "5,910"),
        ("Family residential center", "512", "498", "530", "501"),
        ("Total", "10,745", "11,018", "10,508", "10,409"),
    ]
    y = 680.0
    for i, row in enumerate(rows):
        if i == 0:
            c.saveState()
            c.setFillColorRGB(0.85, 0.85, 0.85)
            c.rect(70, y - 4, 460, 18, fill=1, stroke=0)
            c.restoreState()
        x = 72.0
        for j, cell in enumerate(row):
            c.drawString(x, y, cell)
            x += 200 if j == 0 else 65
        y -= 22
    c.showPage()
    c.save()
    return PdfTruth(0)


def text_pages_pdf(path: Path, *, pages: int = 100) -> None:
    """A long plain-text report (for speed measurements): `pages` pages of prose."""
    c = _canvas(path, title="Annual report")
    rng = random.Random(7)
    words = (
        "the agency reviewed facility budgets staffing levels inspection results and policy "
        "changes across regions during the fiscal year with attention to oversight"
    ).split()
    for p in range(pages):
        _heading(c, f"Chapter {p + 1}")
        y = 710.0
        while y > 72:
            c.drawString(72, y, " ".join(rng.choice(words) for _ in range(12)))
            y -= 14
        c.showPage()
    c.save()
