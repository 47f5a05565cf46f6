"""Fixture builders: synthetic person records and workbooks shaped like real leaks.

Pure functions, deterministic for a seed, used by tests and benchmarks. Values are made up with
Faker (many locales, romanised Latin-script names) and `random.Random(seed)`; they only need to
look real. Leaking builders return the true number of individuals they planted; clean ones 0.

Where openpyxl cannot write a structure (pivot caches, threaded comments, external-link caches,
chart caches, shared strings no cell uses), the builder writes or patches the raw OOXML parts
with zipfile, as Excel would store them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from faker import Faker
from openpyxl.comments import Comment
from openpyxl.packaging.custom import DateTimeProperty, StringProperty
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

# locale -> nationalities that fit its names (country names as a publisher writes them)
_LOCALES: dict[str, tuple[str, ...]] = {
    "es_MX": ("Mexico", "Guatemala", "Honduras", "El Salvador"),
    "es_CO": ("Colombia", "Venezuela", "Ecuador"),
    "es_AR": ("Argentina", "Peru", "Nicaragua", "Cuba"),
    "pt_BR": ("Brazil",),
    "en_US": ("United States", "Jamaica"),
    "fr_FR": ("Haiti", "Senegal", "Mauritania", "Cameroon"),
    "ru_RU": ("Russia", "Kazakhstan", "Uzbekistan"),
    "uk_UA": ("Ukraine",),
    "pl_PL": ("Poland",),
    "en_IN": ("India",),
    "en_PK": ("Pakistan", "Afghanistan"),
    "vi_VN": ("Vietnam",),
    "zh_CN": ("China",),
    "yo_NG": ("Nigeria",),
    "ha_NG": ("Nigeria", "Niger"),
    "sw": ("Kenya", "Tanzania"),
    "tw_GH": ("Ghana",),
    "tr_TR": ("Turkey",),
    "ro_RO": ("Romania",),
}

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
            "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
            "yu", "ya", "ye", "i", "yi", "g",
        ],
        strict=True,
    )
)  # fmt: skip

FACILITIES = (
    "Otero Ridge Processing Center",
    "Pine Prairie Detention Facility",
    "Coastal Bend Service Processing Center",
    "Red Mesa Correctional Center",
    "Willow Creek Family Residential Center",
    "Northgate Contract Detention Facility",
    "Saguaro Valley Processing Center",
    "Lakeshore County Jail",
)

CASE_STATUSES = (
    "Pending hearing",
    "Removal ordered",
    "Released on bond",
    "Asylum granted",
    "Appeal pending",
    "Credible fear review",
)

RECORD_HEADER = [
    "A-Number",
    "Last Name",
    "First Name",
    "Date of Birth",
    "Country of Citizenship",
    "Facility",
    "Case Status",
    "Book-In Date",
]

_AREA_CODES = (202, 210, 212, 305, 312, 415, 512, 713, 915, 956)
_REFERENCE_DAY = dt.date(2022, 11, 1)


def _latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            rep = _CYRILLIC[low]
            out.append(rep.capitalize() if ch != low else rep)
        else:
            out.append(ch)
    return "".join(out)


def _a_number(rng: random.Random) -> tuple[str, str]:
    """(digits, formatted) of an alien registration number: "A" + 9 digits, in varied styles."""
    digits = f"{rng.randrange(0, 10**9):09d}"
    style = rng.randrange(4)
    if style == 0:
        text = f"A{digits}"
    elif style == 1:
        text = f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    elif style == 2:
        text = f"A {digits[:3]} {digits[3:6]} {digits[6:]}"
    else:
        text = f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits, text


def phone_number(rng: random.Random) -> str:
    """A valid-looking North American number (real area code, no 555), in a varied format."""
    area = rng.choice(_AREA_CODES)
    exch = rng.randrange(200, 1000)
    while exch % 100 == 55 or exch == 555:
        exch = rng.randrange(200, 1000)
    line = rng.randrange(0, 10000)
    style = rng.randrange(3)
    if style == 0:
        return f"({area}) {exch}-{line:04d}"
    if style == 1:
        return f"{area}-{exch}-{line:04d}"
    return f"+1 {area} {exch} {line:04d}"


def person_records(n: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """`n` synthetic detainee records with globally diverse, romanised names.

    Keys: a_number (formatted), a_digits, first_name, last_name, name, birthdate (date, age
    18-75 on 2022-11-01), nationality, facility, case_status, book_in_date (date), phone.
    """
    rng = random.Random(seed)
    fakers: dict[str, Faker] = {}
    for i, loc in enumerate(_LOCALES):
        f = Faker(loc)
        f.seed_instance(seed * 1000 + i)
        fakers[loc] = f
    locales = list(_LOCALES)
    out: list[dict[str, Any]] = []
    for _ in range(n):
        loc = rng.choice(locales)
        f = fakers[loc]
        if loc == "zh_CN":
            first, last = f.first_romanized_name(), f.last_romanized_name()
        else:
            first, last = _latin(f.first_name()), _latin(f.last_name())
        age_days = rng.randrange(18 * 365 + 5, 75 * 365)
        digits, a_text = _a_number(rng)
        out.append(
            {
                "a_number": a_text,
                "a_digits": digits,
                "first_name": first,
                "last_name": last,
                "name": f"{first} {last}",
                "birthdate": _REFERENCE_DAY - dt.timedelta(days=age_days),
                "nationality": rng.choice(_LOCALES[loc]),
                "facility": rng.choice(FACILITIES),
                "case_status": rng.choice(CASE_STATUSES),
                "book_in_date": _REFERENCE_DAY - dt.timedelta(days=rng.randrange(1, 400)),
                "phone": phone_number(rng),
            }
        )
    return out


def record_row(r: dict[str, Any]) -> list[Any]:
    """A record as the 8 cells of `RECORD_HEADER`."""
    return [
        r["a_number"],
        r["last_name"],
        r["first_name"],
        r["birthdate"],
        r["nationality"],
        r["facility"],
        r["case_status"],
        r["book_in_date"],
    ]


# -- zip patching ---------------------------------------------------------------------------------
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def patch_zip(
    path: Path,
    *,
    add: dict[str, bytes] | None = None,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
    drop: Sequence[str] = (),
) -> None:
    """Rewrite the zip at `path`: add members, edit members with a function, drop members."""
    add = dict(add or {})
    edit = dict(edit or {})
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename in drop:
                continue
            if info.filename in edit:
                data = edit.pop(info.filename)(data)
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)
    if edit:
        raise KeyError(f"members to edit not found: {sorted(edit)}")


def _add_override(part: str, content_type: str) -> Callable[[bytes], bytes]:
    def fn(data: bytes) -> bytes:
        node = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        return data.replace(b"</Types>", node.encode() + b"</Types>")

    return fn


def _add_default(ext: str, content_type: str) -> Callable[[bytes], bytes]:
    def fn(data: bytes) -> bytes:
        if f'Extension="{ext}"'.encode() in data:
            return data
        node = f'<Default Extension="{ext}" ContentType="{content_type}"/>'
        return data.replace(b"</Types>", node.encode() + b"</Types>")

    return fn


def _chain(*fns: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def fn(data: bytes) -> bytes:
        for f in fns:
            data = f(data)
        return data

    return fn


def _add_rel(rel_id: str, rel_type: str, target: str) -> Callable[[bytes], bytes]:
    def fn(data: bytes) -> bytes:
        node = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'
        return data.replace(b"</Relationships>", node.encode() + b"</Relationships>")

    return fn


def _rels(*rels: tuple[str, str, str], external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    body = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target={quoteattr(g)}{mode}/>' for i, t, g in rels
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    ).encode()


def _insert_in_workbook(xml: bytes, fragment: str, *, before: Sequence[str]) -> bytes:
    """Insert `fragment` into workbook.xml before the first of the `before` elements present."""
    text = xml.decode()
    for tag in before:
        m = re.search(rf"<{tag}[\s/>]", text)
        if m:
            return (text[: m.start()] + fragment + text[m.start() :]).encode()
    return text.replace("</workbook>", fragment + "</workbook>").encode()


# -- workbook helpers -----------------------------------------------------------------------------
def _title_block(ws: Any, title: str) -> None:
    ws.append([title])
    ws.append(["Source: synthetic test data, not real people"])
    ws.append([])


def _records_sheet(ws: Any, records: list[dict[str, Any]]) -> None:
    ws.append(RECORD_HEADER)
    for r in records:
        ws.append(record_row(r))


def detention_workbook(path: Path, *, n: int = 6252, state: str = "hidden", seed: int = 0) -> int:
    """The Nov 2022 incident: 3 aggregate sheets plus a "Detainees" sheet of `n` records in
    `state` ("hidden" or "veryHidden"). Returns `n`."""
    records = person_records(n, seed=seed)
    wb = openpyxl.Workbook(write_only=True)
    by_fac: dict[str, int] = {}
    by_nat: dict[str, int] = {}
    by_month: dict[str, int] = {}
    for r in records:
        by_fac[r["facility"]] = by_fac.get(r["facility"], 0) + 1
        by_nat[r["nationality"]] = by_nat.get(r["nationality"], 0) + 1
        month = r["book_in_date"].strftime("%Y-%m")
        by_month[month] = by_month.get(month, 0) + 1
    for sheet, title, label, counts in (
        ("By Facility", "Detentions by facility, FY2023", "Facility", by_fac),
        ("By Nationality", "Detentions by country, FY2023", "Country of Citizenship", by_nat),
        ("By Month", "Book-ins by month, FY2023", "Month", by_month),
    ):
        ws = wb.create_sheet(sheet)
        _title_block(ws, title)
        ws.append([label, "Detained"])
        for key in sorted(counts):
            ws.append([key, counts[key]])
        ws.append(["Total", sum(counts.values())])
    ws = wb.create_sheet("Detainees")
    ws.sheet_state = state
    _records_sheet(ws, records)
    wb.save(path)
    return n


def hidden_columns_workbook(path: Path, *, n: int = 120, seed: int = 1) -> int:
    """A case list whose identifying columns (B:D: A-number, name, birthdate) are hidden."""
    records = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(["Facility", "A-Number", "Full Name", "Date of Birth", "Country", "Case Status"])
    for r in records:
        ws.append(
            [r["facility"], r["a_number"], r["name"], r["birthdate"], r["nationality"],
             r["case_status"]]
        )  # fmt: skip
    for col in "BCD":
        ws.column_dimensions[col].hidden = True
    wb.save(path)
    return n


def hidden_rows_workbook(path: Path, *, n: int = 80, seed: int = 2) -> int:
    """A table whose `n` person rows are hidden (grouped and collapsed); only the header and a
    total row show."""
    records = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Applicants"
    _title_block(ws, "Relocation applications, 2021")
    ws.append(["Reference", "Name", "Date of Birth", "Nationality", "Status"])
    first = ws.max_row + 1
    for r in records:
        ws.append([r["a_number"], r["name"], r["birthdate"], r["nationality"], r["case_status"]])
    for row in range(first, first + n):
        ws.row_dimensions[row].hidden = True
        ws.row_dimensions[row].outlineLevel = 1
    ws.append(["Total applications", n])
    wb.save(path)
    return n


def filtered_rows_workbook(path: Path, *, n: int = 150, seed: int = 3) -> int:
    """A records table with an active autofilter on Case Status: rows of other statuses are
    hidden by the filter. A hidden note row below the table is hidden but not filtered."""
    records = person_records(n, seed=seed)
    keep = CASE_STATUSES[2]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cases"
    _records_sheet(ws, records)
    ws.auto_filter.ref = f"A1:H{n + 1}"
    ws.auto_filter.add_filter_column(6, [keep])
    for i, r in enumerate(records, start=2):
        if r["case_status"] != keep:
            ws.row_dimensions[i].hidden = True
    ws.append([])
    ws.append(["internal note: draft v2, check totals before release"])
    ws.row_dimensions[n + 3].hidden = True
    wb.save(path)
    return n


def _clean_summary_sheet(ws: Any) -> None:
    _title_block(ws, "Detentions by facility, FY2023")
    ws.append(["Facility", "Detained", "Released"])
    for i, fac in enumerate(FACILITIES):
        ws.append([fac, 3 + i * 7, 1 + i])


# -- pivot cache ----------------------------------------------------------------------------------
_PIVOT_FIELDS = ("A-Number", "Name", "Date of Birth", "Nationality", "Facility", "Case Status")


def _pivot_parts(records: list[dict[str, Any]], *, with_records: bool) -> dict[str, bytes]:
    """Definition (+ records) parts of a pivot cache over `records`, sourced from sheet "Data"."""
    n = len(records)
    cols = {
        "A-Number": [r["a_number"] for r in records],
        "Name": [r["name"] for r in records],
        "Date of Birth": [r["birthdate"].isoformat() + "T00:00:00" for r in records],
        "Nationality": [r["nationality"] for r in records],
        "Facility": [r["facility"] for r in records],
        "Case Status": [r["case_status"] for r in records],
    }
    uniq: dict[str, list[str]] = {k: list(dict.fromkeys(v)) for k, v in cols.items()}
    # A-Number values live inline in the records (no sharedItems), as Excel does for unique text,
    # unless there are no records: then the definition must hold every value.
    inline = {"A-Number"} if with_records else set()
    fields = []
    for name in _PIVOT_FIELDS:
        if name in inline:
            fields.append(f'<cacheField name="{name}" numFmtId="0"><sharedItems/></cacheField>')
            continue
        tag = "d" if name == "Date of Birth" else "s"
        items = "".join(f"<{tag} v={quoteattr(v)}/>" for v in uniq[name])
        extra = (
            ' containsSemiMixedTypes="0" containsNonDate="0" containsDate="1"' if tag == "d" else ""
        )
        fields.append(
            f'<cacheField name="{name}" numFmtId="0"><sharedItems{extra} count="{len(uniq[name])}">'
            f"{items}</sharedItems></cacheField>"
        )
    rid = ' r:id="rId1"' if with_records else ""
    definition = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheDefinition xmlns="{NS_MAIN}" xmlns:r="{NS_R}"{rid} refreshOnLoad="1" '
        f'saveData="{1 if with_records else 0}" recordCount="{n}">'
        f'<cacheSource type="worksheet"><worksheetSource ref="A1:F{n + 1}" sheet="Data"/>'
        f'</cacheSource><cacheFields count="{len(fields)}">{"".join(fields)}</cacheFields>'
        "</pivotCacheDefinition>"
    ).encode()
    parts = {"xl/pivotCache/pivotCacheDefinition1.xml": definition}
    if with_records:
        index = {k: {v: i for i, v in enumerate(u)} for k, u in uniq.items()}
        rows = []
        for i in range(n):
            cells = []
            for name in _PIVOT_FIELDS:
                v = cols[name][i]
                if name in inline:
                    cells.append(f"<s v={quoteattr(v)}/>")
                else:
                    cells.append(f'<x v="{index[name][v]}"/>')
            rows.append("<r>" + "".join(cells) + "</r>")
        parts["xl/pivotCache/pivotCacheRecords1.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<pivotCacheRecords xmlns="{NS_MAIN}" xmlns:r="{NS_R}" count="{n}">'
            + "".join(rows)
            + "</pivotCacheRecords>"
        ).encode()
        parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = _rels(
            ("rId1", f"{REL_BASE}/pivotCacheRecords", "pivotCacheRecords1.xml")
        )
    return parts


def pivot_cache_only_workbook(
    path: Path, *, n: int = 300, seed: int = 4, with_records: bool = True
) -> int:
    """A summary sheet whose pivot cache still holds every source record, while the source sheet
    "Data" was deleted (Islington 2012). Calamine can open it: the summary sheet is a normal
    worksheet. `with_records=False` stores only the distinct values (sharedItems)."""
    records = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    _clean_summary_sheet(ws)
    wb.save(path)
    parts = _pivot_parts(records, with_records=with_records)
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    edits = [
        _add_override("xl/pivotCache/pivotCacheDefinition1.xml", f"{ct}.pivotCacheDefinition+xml")
    ]
    if with_records:
        edits.append(
            _add_override("xl/pivotCache/pivotCacheRecords1.xml", f"{ct}.pivotCacheRecords+xml")
        )
    patch_zip(
        path,
        add=parts,
        edit={
            "[Content_Types].xml": _chain(*edits),
            "xl/_rels/workbook.xml.rels": _add_rel(
                "rId90", f"{REL_BASE}/pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"
            ),
            "xl/workbook.xml": lambda d: _insert_in_workbook(
                d,
                f'<pivotCaches><pivotCache xmlns:r="{NS_R}" cacheId="1" r:id="rId90"/>'
                "</pivotCaches>",
                before=(
                    "smartTagPr",
                    "oleSize",
                    "customWorkbookViews",
                    "fileRecoveryPr",
                    "webPublishing",
                    "webPublishObjects",
                    "extLst",
                ),
            ),
        },
    )
    return n


# -- comments -------------------------------------------------------------------------------------
def comments_workbook(path: Path, *, seed: int = 5) -> int:
    """A clean summary whose cell comments name people, with phone numbers and A-numbers: three
    legacy notes and one threaded comment (with its person list). Returns 4."""
    rng = random.Random(seed)
    people = person_records(4, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    _clean_summary_sheet(ws)
    cells = ("B5", "C7", "B9")
    for cell, p in zip(cells, people[:3], strict=True):
        text = f"Called {p['name']} on {phone_number(rng)} about {p['a_number']}"
        ws[cell].comment = Comment(text, "Case Officer Dana Whitfield")
    wb.save(path)
    p = people[3]
    threaded = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"'
        ' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<threadedComment ref="D6" dT="2022-10-03T10:15:00.00" '
        'personId="{6B1B2C9E-0000-4000-8000-000000000001}" '
        'id="{0A1B2C3D-0000-4000-8000-000000000001}">'
        f"<text>{escape(p['name'])} (DOB {p['birthdate'].isoformat()}) moved here, "
        "remove before publishing</text></threadedComment></ThreadedComments>"
    ).encode()
    persons = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"'
        b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<person displayName="Priya Raghunathan" id="{6B1B2C9E-0000-4000-8000-000000000001}" '
        b'userId="priya.raghunathan@example.org" providerId="AD"/></personList>'
    )
    tc_type = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
    person_type = "http://schemas.microsoft.com/office/2017/10/relationships/person"
    ct = "application/vnd.ms-excel"
    patch_zip(
        path,
        add={
            "xl/threadedComments/threadedComment1.xml": threaded,
            "xl/persons/person.xml": persons,
        },
        edit={
            "[Content_Types].xml": _chain(
                _add_override(
                    "xl/threadedComments/threadedComment1.xml", f"{ct}.threadedcomments+xml"
                ),
                _add_override("xl/persons/person.xml", f"{ct}.person+xml"),
            ),
            "xl/worksheets/_rels/sheet1.xml.rels": _add_rel(
                "rId91", tc_type, "../threadedComments/threadedComment1.xml"
            ),
            "xl/_rels/workbook.xml.rels": _add_rel("rId92", person_type, "persons/person.xml"),
        },
    )
    return 4


def custom_property_workbook(path: Path, *, seed: int = 6) -> int:
    """A clean workbook whose custom document properties hold a person's name, birthdate and
    A-number (a template filled from a case system). Returns 1."""
    p = person_records(1, seed=seed)[0]
    wb = openpyxl.Workbook()
    _clean_summary_sheet(wb.active)
    wb.custom_doc_props.append(StringProperty(name="Subject Name", value=p["name"]))
    bd = dt.datetime.combine(p["birthdate"], dt.time(0, 0))
    wb.custom_doc_props.append(DateTimeProperty(name="Subject DOB", value=bd))
    wb.custom_doc_props.append(StringProperty(name="A-Number", value=p["a_number"]))
    wb.save(path)
    return 1


# -- clean workbooks ------------------------------------------------------------------------------
def clean_aggregate_workbook(path: Path, *, seed: int = 7) -> int:
    """Aggregate statistics with small counts (1, 2, 3): nothing personal. Returns 0."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "By Country"
    _title_block(ws, "Book-ins by country of citizenship and month")
    months = ["Oct 2022", "Nov 2022", "Dec 2022", "Jan 2023"]
    ws.append(["Country of Citizenship", *months, "Total"])
    for country in ("Mexico", "Guatemala", "Honduras", "Ecuador", "Haiti", "Ukraine", "India"):
        vals = [rng.choice((0, 1, 2, 3, 5, 12, 40)) for _ in months]
        ws.append([country, *vals, sum(vals)])
    ws2 = wb.create_sheet("By Facility")
    _clean_summary_sheet(ws2)
    wb.save(path)
    return 0


def facility_directory_workbook(path: Path, *, seed: int = 8) -> int:
    """Facility names, street addresses and switchboard numbers: organisations, not people."""
    rng = random.Random(seed)
    f = Faker("en_US")
    f.seed_instance(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Facilities"
    ws.append(["Facility", "Street Address", "City", "State", "ZIP", "Main Phone"])
    for fac in FACILITIES:
        ws.append(
            [fac, f.street_address(), f.city(), f.state_abbr(), f.zipcode(), phone_number(rng)]
        )
    wb.save(path)
    return 0


def invoice_workbook(path: Path, *, n: int = 60, seed: int = 9) -> int:
    """Invoices with order numbers that look like ID numbers, amounts and dates. Returns 0."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoices"
    ws.append(["Invoice No.", "Purchase Order", "Vendor", "Invoice Date", "Amount (USD)"])
    vendors = ("Acme Food Services", "Northwind Medical Supply", "Contoso Transport LLC")
    for i in range(n):
        ws.append(
            [
                f"INV-2023-{rng.randrange(10**5):05d}",
                f"PO{rng.randrange(10**9):09d}",
                rng.choice(vendors),
                dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                round(rng.uniform(100, 90000), 2),
            ]
        )
        del i
    wb.save(path)
    return 0


def event_dates_workbook(path: Path, *, seed: int = 10) -> int:
    """Public events with dates and venues, no people. Returns 0."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Events"
    ws.append(["Event", "Date", "Venue", "Expected attendance"])
    for name in ("Community meeting", "Open house", "Job fair", "Budget hearing", "Town hall"):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
        ws.append([name, day, "City Library, Room 2", rng.randrange(20, 400)])
    wb.save(path)
    return 0


def budget_workbook(path: Path, *, seed: int = 11) -> int:
    """A department budget: line items and amounts. Returns 0."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget FY2024"
    _title_block(ws, "Operating budget FY2024")
    ws.append(["Line item", "FY2023 actual", "FY2024 budget", "Change %"])
    for item in ("Salaries", "Benefits", "Facilities", "IT services", "Travel", "Training"):
        a = rng.randrange(10**4, 10**7)
        b = int(a * rng.uniform(0.9, 1.2))
        ws.append([item, a, b, round((b - a) / a * 100, 1)])
    wb.save(path)
    return 0


def records_csv(path: Path, n: int, *, seed: int = 12) -> int:
    """A CSV of `n` person records with the `RECORD_HEADER` columns. Returns `n`."""
    records = person_records(n, seed=seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(RECORD_HEADER)
        for r in records:
            w.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in record_row(r)])
    return n


# -- workbooks for the reader's other surfaces ----------------------------------------------------
def white_text_workbook(path: Path, *, seed: int = 13) -> int:
    """A clean table with two invisible cells: white text on no fill (C5), and a name formatted
    with the ``;;;`` number format (D6). Plus a cell whose font matches its dark fill (E7).
    Returns 3."""
    people = person_records(3, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    _clean_summary_sheet(ws)
    ws["C5"] = people[0]["name"]
    ws["C5"].font = Font(color="FFFFFFFF")
    ws["D6"] = people[1]["name"]
    ws["D6"].number_format = ";;;"
    ws["E7"] = people[2]["name"]
    ws["E7"].font = Font(color="FF1F3864")
    ws["E7"].fill = PatternFill("solid", fgColor="FF1F3864")
    wb.save(path)
    return 3


def defined_names_workbook(path: Path, *, seed: int = 14) -> int:
    """Defined names: a string constant holding a name, an array constant of A-numbers, and an
    ordinary range reference (not data). Returns 3."""
    people = person_records(3, seed=seed)
    wb = openpyxl.Workbook()
    _clean_summary_sheet(wb.active)
    wb.active.title = "Summary"
    wb.defined_names["ReviewedBy"] = DefinedName("ReviewedBy", attr_text=f'"{people[0]["name"]}"')
    arr = ",".join(f'"{p["a_number"]}"' for p in people[1:])
    wb.defined_names["Pending"] = DefinedName("Pending", attr_text="{" + arr + "}")
    wb.defined_names["Totals"] = DefinedName("Totals", attr_text="Summary!$B$5:$B$12")
    wb.save(path)
    return 3


def external_link_workbook(path: Path, *, n: int = 25, seed: int = 15) -> int:
    """A summary with an external-link part caching `n` records from a linked workbook
    (Hackney). Returns `n`."""
    records = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    _clean_summary_sheet(wb.active)
    wb.active.title = "Summary"
    wb.save(path)
    header = ["A-Number", "Name", "Date of Birth", "Nationality"]
    rows_xml = []
    all_rows = [header] + [
        [r["a_number"], r["name"], r["birthdate"].isoformat(), r["nationality"]] for r in records
    ]
    for i, row in enumerate(all_rows, start=1):
        cells = "".join(
            f'<cell r="{c}{i}" t="str"><v>{escape(v)}</v></cell>'
            for c, v in zip("ABCD", row, strict=True)
        )
        rows_xml.append(f'<row r="{i}">{cells}</row>')
    link = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<externalLink xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="Caseload"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0">' + "".join(rows_xml) + "</sheetData></sheetDataSet>"
        "</externalBook></externalLink>"
    ).encode()
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
    patch_zip(
        path,
        add={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": _rels(
                ("rId1", f"{REL_BASE}/externalLinkPath", "file:///C:/Cases/caseload_master.xlsx"),
                external=True,
            ),
        },
        edit={
            "[Content_Types].xml": _add_override("xl/externalLinks/externalLink1.xml", ct),
            "xl/_rels/workbook.xml.rels": _add_rel(
                "rId93", f"{REL_BASE}/externalLink", "externalLinks/externalLink1.xml"
            ),
            "xl/workbook.xml": lambda d: _insert_in_workbook(
                d,
                f'<externalReferences><externalReference xmlns:r="{NS_R}" r:id="rId93"/>'
                "</externalReferences>",
                before=("definedNames", "calcPr"),
            ),
        },
    )
    return n


def chart_cache_workbook(path: Path, *, seed: int = 16) -> int:
    """A bar chart whose category cache holds 5 people's names (its source cells were deleted).
    Returns 5."""
    people = person_records(5, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chart"
    ws.append(["Chart of days in detention"])
    wb.save(path)
    c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    pts_names = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(p["name"])}</c:v></c:pt>' for i, p in enumerate(people)
    )
    pts_vals = "".join(f'<c:pt idx="{i}"><c:v>{10 + i * 3}</c:v></c:pt>' for i in range(5))
    chart = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{c}" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<c:chart><c:plotArea><c:barChart><c:barDir val="col"/><c:ser><c:idx val="0"/>'
        '<c:order val="0"/><c:tx><c:strRef><c:f>Data!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
        '<c:pt idx="0"><c:v>Days detained</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:cat><c:strRef><c:f>Data!$A$2:$A$6</c:f><c:strCache><c:ptCount val="5"/>{pts_names}'
        "</c:strCache></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>Data!$B$2:$B$6</c:f><c:numCache><c:formatCode>General"
        f'</c:formatCode><c:ptCount val="5"/>{pts_vals}</c:numCache></c:numRef></c:val>'
        "</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>"
    ).encode()
    drawing = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<xdr:wsDr "
        b'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/>'
    )
    ct = "application/vnd.openxmlformats-officedocument"
    patch_zip(
        path,
        add={
            "xl/charts/chart1.xml": chart,
            "xl/drawings/drawing1.xml": drawing,
            "xl/drawings/_rels/drawing1.xml.rels": _rels(
                ("rId1", f"{REL_BASE}/chart", "../charts/chart1.xml")
            ),
        },
        edit={
            "[Content_Types].xml": _chain(
                _add_override("xl/charts/chart1.xml", f"{ct}.drawingml.chart+xml"),
                _add_override("xl/drawings/drawing1.xml", f"{ct}.drawing+xml"),
            ),
        },
    )
    return 5


def _cell_xml(ref: str, value: Any, strings: dict[str, int]) -> str:
    if isinstance(value, str):
        idx = strings.setdefault(value, len(strings))
        return f'<c r="{ref}" t="s"><v>{idx}</v></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def orphan_strings_workbook(path: Path, *, seed: int = 17) -> int:
    """A raw workbook using shared strings, like Excel writes, whose sharedStrings.xml still holds
    3 names that no cell uses any more (the cells were cleared). Returns 3."""
    people = person_records(3, seed=seed)
    strings: dict[str, int] = {}
    rows = [["Facility", "Detained"], *[[f, i + 2] for i, f in enumerate(FACILITIES[:4])]]
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell_xml(f"{'AB'[c]}{r}", v, strings) for c, v in enumerate(row))
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    for p in people:
        strings.setdefault(p["name"], len(strings))
    write_raw_workbook(
        path,
        sheets=[("Summary", "visible", "".join(sheet_rows))],
        shared_strings=list(strings),
    )
    return 3


def write_raw_workbook(
    path: Path,
    *,
    sheets: Sequence[tuple[str, str, str]],
    shared_strings: Sequence[str] = (),
    extra: dict[str, bytes] | None = None,
) -> None:
    """A minimal xlsx written by hand: `sheets` is (name, state, sheetData inner XML)."""
    ct_main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [
        ("/xl/workbook.xml", f"{ct_main}.sheet.main+xml"),
        ("/xl/styles.xml", f"{ct_main}.styles+xml"),
    ]
    wb_rels = []
    sheet_nodes = []
    parts: dict[str, bytes] = {}
    for i, (name, state, data) in enumerate(sheets, start=1):
        overrides.append((f"/xl/worksheets/sheet{i}.xml", f"{ct_main}.worksheet+xml"))
        wb_rels.append((f"rId{i}", f"{REL_BASE}/worksheet", f"worksheets/sheet{i}.xml"))
        st = "" if state == "visible" else f' state="{state}"'
        sheet_nodes.append(f'<sheet name={quoteattr(name)} sheetId="{i}"{st} r:id="rId{i}"/>')
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}">'
            f"<sheetData>{data}</sheetData></worksheet>"
        ).encode()
    k = len(sheets)
    wb_rels.append((f"rId{k + 1}", f"{REL_BASE}/styles", "styles.xml"))
    if shared_strings:
        overrides.append(("/xl/sharedStrings.xml", f"{ct_main}.sharedStrings+xml"))
        wb_rels.append((f"rId{k + 2}", f"{REL_BASE}/sharedStrings", "sharedStrings.xml"))
        sis = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared_strings)
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS_MAIN}" '
            f'count="{len(shared_strings)}" uniqueCount="{len(shared_strings)}">{sis}</sst>'
        ).encode()
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{NS_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        "</cellXfs>"
        "</styleSheet>"
    ).encode()
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS_MAIN}" '
        f'xmlns:r="{NS_R}"><sheets>{"".join(sheet_nodes)}</sheets></workbook>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = _rels(*wb_rels)
    parts["_rels/.rels"] = _rels(("rId1", f"{REL_BASE}/officeDocument", "xl/workbook.xml"))
    ct_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides)
        + "</Types>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct_xml)
        for name, data in parts.items():
            zf.writestr(name, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)


def macro_embedded_workbook(path: Path) -> int:
    """A clean .xlsm with a VBA project, an embedded OLE object and a Power Pivot data model:
    content the reader must report as not inspected. Returns 0."""
    clean_aggregate_workbook(path)
    ct_macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    patch_zip(
        path,
        add={
            "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
            "xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
            "xl/model/item.data": b"\0" * 256,
        },
        edit={
            "[Content_Types].xml": _chain(
                lambda d: re.sub(
                    rb'ContentType="application/vnd\.openxmlformats-officedocument\.spreadsheetml'
                    rb'\.sheet\.main\+xml"',
                    f'ContentType="{ct_macro}"'.encode(),
                    d,
                ),
                _add_default("bin", "application/vnd.ms-office.vbaProject"),
            )
        },
    )
    return 0
