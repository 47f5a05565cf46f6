"""Incident corpus: workbooks and CSVs shaped like real leaks, and clean files that must pass.

Why a second builder module: tests/builders.py holds one tidy fixture per hidden surface, all
written the same way. Real publishers are not tidy. This corpus varies what the engine has to
cope with on files it has never seen: headers in Spanish, no header at all, headers on row 5
under merged titles, tables starting at C10, names as "LAST, First", surnames shared by many
people, A-numbers stored as integers, semicolon CSVs in cp1252, pivot caches whose source sheet
is hidden or deleted, rows hidden by a filter or by hand on the sheet everybody sees. The clean
controls carry the shapes that fool detectors: facilities and schools named after people, vendor
names that are surnames, nine-digit purchase orders, ISO country tables, small counts.

Every builder is deterministic, uses synthetic data only, and returns a `Truth`: how many
distinct people the file exposes (0 for a clean file) and the surfaces on which a blocking
finding is expected. `LEAKING` and `CLEAN` list every case for the parametrised test.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from faker import Faker
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from spillguard import Surface
from tests.builders import (
    FACILITIES,
    NS_MAIN,
    NS_R,
    REL_BASE,
    _add_override,
    _add_rel,
    _chain,
    _insert_in_workbook,
    _rels,
    patch_zip,
    person_records,
    phone_number,
    write_raw_workbook,
)


class Truth(NamedTuple):
    """What a builder planted: distinct people exposed, and where a blocking finding must be."""

    people: int
    surfaces: tuple[Surface, ...] = ()


@dataclass(frozen=True, slots=True)
class Case:
    """One file of the corpus: an id, the file name to write, and the builder."""

    id: str
    filename: str
    build: Callable[[Path], Truth]


def _faker(locale: str, seed: int) -> Faker:
    f = Faker(locale)
    f.seed_instance(seed)
    return f


def _one_line(address: str) -> str:
    return ", ".join(p.strip() for p in address.splitlines() if p.strip())


def _counts(values: Sequence[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items())


# =================================================================================================
# Leaking cases
# =================================================================================================

# -- 1. PSNI 2023 ---------------------------------------------------------------------------------
_NI_SURNAMES = (
    "Wilson", "Campbell", "Kelly", "Johnston", "Moore", "Thompson", "Smyth", "Brown", "O'Neill",
    "Doherty", "Stewart", "Quinn", "Robinson", "Murphy", "Graham", "McLaughlin", "Hamilton",
    "Murray", "Hughes", "Patterson", "Martin", "Bell", "McCann", "Gallagher", "Kerr", "McKeown",
    "Devlin", "Irvine", "McAuley", "Boyd", "Morrison", "Scott", "Anderson", "Reid", "Ferguson",
    "McCullough", "Hegarty", "Mullan", "Donnelly", "Maguire", "Armstrong", "Millar", "Craig",
)  # fmt: skip
_PSNI_RANKS = (
    ("Constable", 60), ("Sergeant", 14), ("Inspector", 4), ("Chief Inspector", 1),
    ("Superintendent", 1),
)  # fmt: skip
_PSNI_STAFF_GRADES = ("AA", "AO", "EO", "SO", "PO", "SPO", "Grade 7")
_PSNI_LOCATIONS = (
    "Belfast - Musgrave Street", "Belfast - Knocknagoney", "Lisburn - Thiepval", "Armagh",
    "Derry/Londonderry - Strand Road", "Enniskillen", "Omagh", "Coleraine", "Newry",
    "Ballymena", "Banbridge", "Brooklyn HQ", "Garnerville", "Dungannon", "Bangor",
)  # fmt: skip
_PSNI_DEPARTMENTS = (
    "Local Policing", "Crime Operations", "Operational Support", "Legacy and Justice",
    "Corporate Services", "C3 Intelligence", "Criminal Justice", "Finance and Support",
    "Human Resources", "Roads Policing", "Public Protection Branch",
)  # fmt: skip


def psni_workbook(path: Path, *, n: int = 9483, seed: int = 101) -> Truth:
    """PSNI, Aug 2023: a visible "FOI Response" sheet of counts by rank and grade, and a hidden
    sheet of every officer and member of staff. Surnames repeat by design (a small Northern
    Irish pool mixed with Faker en_GB/en_IE), and many people share surname and initials:
    only the service number tells them apart. Truth: one person per row."""
    rng = random.Random(seed)
    fakers = [_faker("en_GB", seed), _faker("en_IE", seed + 1)]
    ranks = [r for r, w in _PSNI_RANKS for _ in range(w)]
    numbers = rng.sample(range(10000, 99999), n)
    rows: list[list[Any]] = []
    for i in range(n):
        f = rng.choice(fakers)
        surname = rng.choice(_NI_SURNAMES) if rng.random() < 0.55 else f.last_name()
        first = f.first_name()
        style = rng.randrange(3)
        if style == 0:
            initials = first[0]
        elif style == 1:
            initials = f"{first[0]} {f.first_name()[0]}"
        else:
            initials = f"{first[0]}{f.first_name()[0]}"
        number: int | str
        if rng.random() < 0.72:
            rank, grade, number = rng.choice(ranks), "", numbers[i]
            contract = "Full Time" if rng.random() < 0.93 else "Part Time"
        else:
            rank, grade = "Police Staff", rng.choice(_PSNI_STAFF_GRADES)
            number = f"S{numbers[i]}"
            contract = rng.choice(("Full Time", "Full Time", "Part Time", "Temporary"))
        rows.append(
            [
                surname.upper() if rng.random() < 0.1 else surname,
                initials,
                rank,
                grade,
                number,
                rng.choice(_PSNI_LOCATIONS),
                rng.choice(_PSNI_DEPARTMENTS),
                contract,
            ]
        )
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("FOI Response")
    ws.append(["Freedom of Information Request F-2023-02345"])
    ws.append(["Request: the number of officers and staff by rank and grade."])
    ws.append([])
    ws.append(["Rank / Grade", "Number"])
    labels = [r[2] if r[3] == "" else f"Staff - {r[3]}" for r in rows]
    for label, count in _counts(labels):
        ws.append([label, count])
    ws.append(["Total", n])
    data = wb.create_sheet("Sheet2")
    data.sheet_state = "hidden"
    data.append(
        [
            "Surname",
            "Initials",
            "Rank",
            "Grade",
            "Service Number",
            "Location",
            "Department",
            "Contract Type",
        ]
    )
    for row in rows:
        data.append(row)
    wb.save(path)
    return Truth(n, (Surface.HIDDEN_SHEET,))


# -- 2. Norfolk & Suffolk -------------------------------------------------------------------------
_OFFENCES = (
    "Assault occasioning actual bodily harm", "Common assault", "Sexual assault on a female",
    "Domestic burglary", "Criminal damage to a dwelling", "Harassment", "Stalking",
    "Theft from the person", "Robbery of personal property", "Malicious communications",
)  # fmt: skip
_ETHNICITY_16 = (
    "W1 - White British", "W2 - White Irish", "W9 - Any other White", "A1 - Indian",
    "A2 - Pakistani", "B1 - Caribbean", "B2 - African", "M1 - White and Black Caribbean",
    "O9 - Any other", "NS - Not stated",
)  # fmt: skip


def _uk_person(f: Faker, rng: random.Random) -> tuple[str, dt.date, str]:
    name = f"{f.first_name()} {f.last_name()}"
    dob = dt.date(2023, 6, 30) - dt.timedelta(days=rng.randrange(16 * 365, 85 * 365))
    return name, dob, _one_line(f.address())


def norfolk_workbook(
    path: Path, *, victims: int = 800, repeats: int = 40, witnesses: int = 430, seed: int = 102
) -> Truth:
    """Norfolk & Suffolk police: a crime-statistics FOI whose hidden sheet kept the raw crime
    records: victims (some appear in two crimes) with birthdates and home addresses, and
    witness names. Truth: distinct victims plus witnesses."""
    rng = random.Random(seed)
    f = _faker("en_GB", seed)
    people = [_uk_person(f, rng) for _ in range(victims)]
    victim_rows = people + rng.sample(people, repeats)
    rng.shuffle(victim_rows)
    crimes = len(victim_rows)
    with_witness = set(rng.sample(range(crimes), witnesses))
    rows: list[list[Any]] = []
    start = dt.datetime(2022, 4, 1, 0, 0)
    for i, (vname, vdob, vaddr) in enumerate(victim_rows):
        recorded = start + dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        wname = f"{f.first_name()} {f.last_name()}" if i in with_witness else None
        rows.append(
            [
                f"{rng.choice((36, 37))}/{rng.randrange(10000, 99999)}/22",
                rng.choice(_OFFENCES),
                recorded,
                vname,
                vdob,
                vaddr,
                wname,
                rng.choice(_ETHNICITY_16),
                rng.choice(("Under investigation", "No further action", "Charged", "Caution")),
            ]
        )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Crime Statistics"
    ws.append(["Recorded crime by offence, April 2022 - March 2023"])
    ws.append([])
    months = [dt.date(2022, 4 + k, 1) if k < 9 else dt.date(2023, k - 8, 1) for k in range(12)]
    ws.append(["Offence", *[m.strftime("%b %Y") for m in months], "Total"])
    for offence in _OFFENCES:
        per = [sum(1 for r in rows if r[1] == offence and r[2].month == m.month) for m in months]
        ws.append([offence, *per, sum(per)])
    raw = wb.create_sheet("Raw data")
    raw.sheet_state = "hidden"
    raw.append(
        [
            "Crime Reference",
            "Offence",
            "Date Recorded",
            "Victim Name",
            "Victim DOB",
            "Victim Address",
            "Witness Name",
            "Ethnicity",
            "Outcome",
        ]
    )
    for row in rows:
        raw.append(row)
    wb.save(path)
    return Truth(victims + witnesses, (Surface.HIDDEN_SHEET,))


# -- 3. MoD Afghan relocations --------------------------------------------------------------------
_AF_GIVEN = (
    "Mohammad", "Ahmad", "Abdul", "Hamid", "Farid", "Rahim", "Karim", "Najib", "Zabihullah",
    "Hekmatullah", "Mirwais", "Sayed", "Jawad", "Habib", "Nasir", "Wahid", "Shafiq", "Rohullah",
    "Bashir", "Qasim", "Ajmal", "Fawad", "Samiullah", "Khalid", "Mustafa", "Zahra", "Fatima",
    "Maryam", "Shabnam", "Freshta", "Nargis", "Parwana", "Sima", "Laila", "Mahbooba",
)  # fmt: skip
_AF_FAMILY = (
    "Ahmadi", "Karimi", "Rahimi", "Hakimi", "Noori", "Sultani", "Wardak", "Safi", "Shinwari",
    "Popal", "Stanikzai", "Ahmadzai", "Hashimi", "Sadat", "Mohammadi", "Haidari", "Amiri",
    "Rasooli", "Azizi", "Barakzai", "Yousufzai", "Mansoor", "Nazari", "Qaderi", "Rahmani",
    "Sharifi", "Tokhi", "Zazai", "Jalali", "Faizi",
)  # fmt: skip
_ARAP_STATUS = (
    "Eligible - awaiting relocation", "Relocated", "Ineligible", "Under review",
    "Eligible - documents outstanding", "Referred to HO",
)  # fmt: skip


_MAIL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")


def _af_phone(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"+44 7{rng.randrange(400, 999)} {rng.randrange(100000, 999999)}"
    prefix = rng.randrange(70, 80)
    rest = rng.randrange(1000000, 9999999)
    style = rng.randrange(3)
    if style == 0:
        return f"+93{prefix}{rest}"
    if style == 1:
        return f"0093 {prefix} {str(rest)[:3]} {str(rest)[3:]}"
    return f"0{prefix}{rest}"


def mod_afghan_workbook(path: Path, *, n: int = 1800, seed: int = 103) -> Truth:
    """UK MoD, Feb 2022: one visible sheet that reads as a status summary; under it, hidden
    rows hold every applicant (name, personal e-mail, phone, dependants, status). Afghan names
    repeat a lot: the e-mail address is the identifier. Truth: one applicant per row."""
    rng = random.Random(seed)
    records: list[list[Any]] = []
    used: set[str] = set()
    for _ in range(n):
        given, family = rng.choice(_AF_GIVEN), rng.choice(_AF_FAMILY)
        while True:
            local = rng.choice(
                (
                    f"{given}.{family}{rng.randrange(1, 999)}",
                    f"{given[0]}{family}{rng.randrange(70, 2004)}",
                    f"{family}_{given}{rng.randrange(1, 99)}",
                )
            ).lower()
            email = f"{local}@{rng.choice(_MAIL_DOMAINS)}"
            if email not in used:
                used.add(email)
                break
        records.append(
            [
                f"{given} {family}",
                email,
                _af_phone(rng),
                rng.choice((0, 1, 2, 3, 4, 4, 5, 6, 7, 9)),
                rng.choice(_ARAP_STATUS),
            ]
        )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ARAP Summary"
    ws.append(["Afghan Relocations and Assistance Policy - casework summary"])
    ws.append(["Status", "Applications"])
    for status, count in _counts([r[4] for r in records]):
        ws.append([status, count])
    ws.append(["Total", n])
    ws.append([])
    first = ws.max_row + 1
    ws.append(["Name", "Email", "Phone", "Number of dependants", "Case status"])
    for r in records:
        ws.append(r)
    for row in range(first, ws.max_row + 1):
        ws.row_dimensions[row].hidden = True
    wb.save(path)
    return Truth(n, (Surface.HIDDEN_ROW,))


# -- 4. Islington 2012 ----------------------------------------------------------------------------
_WARDS = (
    "Barnsbury", "Bunhill", "Caledonian", "Canonbury", "Clerkenwell", "Finsbury Park",
    "Highbury East", "Highbury West", "Hillrise", "Holloway", "Junction", "Mildmay",
    "St George's", "St Mary's", "St Peter's", "Tollington",
)  # fmt: skip
_LONDON_ETHNICITY = (
    "White British", "White Irish", "White Other", "Black African", "Black Caribbean",
    "Asian Bangladeshi", "Asian Indian", "Mixed", "Chinese", "Turkish", "Not stated",
)  # fmt: skip
_ORIENTATION = ("Heterosexual", "Heterosexual", "Heterosexual", "Gay man", "Lesbian",
                "Bisexual", "Prefer not to say")  # fmt: skip
_NEED = ("Overcrowding", "Medical", "Domestic violence", "Homeless", "Harassment",
         "Under-occupation", "Decant", "Disrepair")  # fmt: skip
_ISLINGTON_FIELDS = ("Name", "Address", "Ward", "Ethnicity", "Sexual orientation",
                     "Reason for housing need")  # fmt: skip


def _islington_records(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    f = _faker("en_GB", seed)
    people = person_records(n, seed=seed)
    out: list[list[str]] = []
    for p in people:
        flat = f"Flat {rng.randrange(1, 120)}, " if rng.random() < 0.6 else ""
        street = f"{rng.randrange(1, 300)} {f.street_name()}"
        address = f"{flat}{street}, London N{rng.choice((1, 5, 7, 19))} {rng.randrange(1, 9)}"
        address += f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        out.append(
            [
                p["name"],
                address,
                rng.choice(_WARDS),
                rng.choice(_LONDON_ETHNICITY),
                rng.choice(_ORIENTATION),
                rng.choice(_NEED),
            ]
        )
    return out


def _pivot_xml(records: list[list[str]], *, source_sheet: str) -> dict[str, bytes]:
    """Cache definition, cache records and a pivot table (count of Name by Ward), the way Excel
    stores them: string fields keep their distinct values in sharedItems and records point at
    them with <x v>; the Address field (unique per row) is written inline as <s v>."""
    n = len(records)
    inline = {"Address"}
    uniq = [list(dict.fromkeys(r[k] for r in records)) for k in range(len(_ISLINGTON_FIELDS))]
    index = [{v: i for i, v in enumerate(u)} for u in uniq]
    fields = []
    for k, name in enumerate(_ISLINGTON_FIELDS):
        if name in inline:
            fields.append(
                f'<cacheField name={quoteattr(name)} numFmtId="0">'
                '<sharedItems longText="1"/></cacheField>'
            )
        else:
            items = "".join(f"<s v={quoteattr(v)}/>" for v in uniq[k])
            fields.append(
                f'<cacheField name={quoteattr(name)} numFmtId="0">'
                f'<sharedItems count="{len(uniq[k])}">{items}</sharedItems></cacheField>'
            )
    definition = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheDefinition xmlns="{NS_MAIN}" xmlns:r="{NS_R}" r:id="rId1" '
        f'refreshedBy="Housing Needs" refreshedDate="41061.5" createdVersion="4" '
        f'refreshedVersion="4" minRefreshableVersion="3" recordCount="{n}">'
        f'<cacheSource type="worksheet"><worksheetSource ref="A1:F{n + 1}" '
        f"sheet={quoteattr(source_sheet)}/></cacheSource>"
        f'<cacheFields count="{len(fields)}">{"".join(fields)}</cacheFields>'
        "</pivotCacheDefinition>"
    ).encode()
    rows = []
    for r in records:
        cells = []
        for k, name in enumerate(_ISLINGTON_FIELDS):
            if name in inline:
                cells.append(f"<s v={quoteattr(r[k])}/>")
            else:
                cells.append(f'<x v="{index[k][r[k]]}"/>')
        rows.append("<r>" + "".join(cells) + "</r>")
    cache_records = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheRecords xmlns="{NS_MAIN}" xmlns:r="{NS_R}" count="{n}">'
        + "".join(rows)
        + "</pivotCacheRecords>"
    ).encode()
    ward_k = _ISLINGTON_FIELDS.index("Ward")
    wards = uniq[ward_k]
    order = sorted(range(len(wards)), key=lambda i: wards[i])
    pivot_fields = []
    for k in range(len(_ISLINGTON_FIELDS)):
        if k == ward_k:
            items = "".join(f'<item x="{i}"/>' for i in order)
            pivot_fields.append(
                f'<pivotField axis="axisRow" showAll="0"><items count="{len(wards) + 1}">'
                f'{items}<item t="default"/></items></pivotField>'
            )
        elif k == 0:
            pivot_fields.append('<pivotField dataField="1" showAll="0"/>')
        else:
            pivot_fields.append('<pivotField showAll="0"/>')
    row_items = "".join(
        "<i><x/></i>" if j == 0 else f'<i><x v="{j}"/></i>' for j in range(len(wards))
    )
    table = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotTableDefinition xmlns="{NS_MAIN}" name="PivotTable1" cacheId="1" '
        'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" '
        'dataCaption="Values" updatedVersion="4" minRefreshableVersion="3" '
        'useAutoFormatting="1" itemPrintTitles="1" createdVersion="4" indent="0" outline="1" '
        'outlineData="1">'
        f'<location ref="A3:B{4 + len(wards)}" firstHeaderRow="1" firstDataRow="1" '
        'firstDataCol="1"/>'
        f'<pivotFields count="{len(pivot_fields)}">{"".join(pivot_fields)}</pivotFields>'
        f'<rowFields count="1"><field x="{ward_k}"/></rowFields>'
        f'<rowItems count="{len(wards) + 1}">{row_items}<i t="grand"><x/></i></rowItems>'
        '<colItems count="1"><i/></colItems>'
        '<dataFields count="1"><dataField name="Count of Name" fld="0" subtotal="count" '
        'baseField="0" baseItem="0"/></dataFields>'
        '<pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" showColHeaders="1" '
        'showRowStripes="0" showColStripes="0" showLastColumn="1"/>'
        "</pivotTableDefinition>"
    ).encode()
    return {
        "xl/pivotCache/pivotCacheDefinition1.xml": definition,
        "xl/pivotCache/pivotCacheRecords1.xml": cache_records,
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": _rels(
            ("rId1", f"{REL_BASE}/pivotCacheRecords", "pivotCacheRecords1.xml")
        ),
        "xl/pivotTables/pivotTable1.xml": table,
        "xl/pivotTables/_rels/pivotTable1.xml.rels": _rels(
            ("rId1", f"{REL_BASE}/pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")
        ),
    }


def islington_workbook(
    path: Path, *, n: int = 2375, source: str = "hidden", seed: int = 104
) -> Truth:
    """Islington Council, 2012: a pivot table of housing applicants by ward. Its cache holds
    every applicant (name, address, ethnicity, sexual orientation, reason for housing need).
    `source` is "hidden" (the source sheet is still there, hidden) or "deleted" (only the cache
    is left). The same people on two surfaces count once."""
    records = _islington_records(n, seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary by ward"
    ws.append(["Housing register: applicants by ward"])
    ws.append([])
    ws.append(["Row Labels", "Count of Name"])
    for ward, count in _counts([r[2] for r in records]):
        ws.append([ward, count])
    ws.append(["Grand Total", n])
    surfaces: tuple[Surface, ...] = (Surface.PIVOT_CACHE,)
    if source == "hidden":
        data = wb.create_sheet("Data")
        data.sheet_state = "hidden"
        data.append(list(_ISLINGTON_FIELDS))
        for r in records:
            data.append(r)
        surfaces = (Surface.PIVOT_CACHE, Surface.HIDDEN_SHEET)
    elif source != "deleted":
        raise ValueError(f"unknown source state {source!r}")
    wb.save(path)
    parts = _pivot_xml(records, source_sheet="Data")
    with zipfile.ZipFile(path) as zf:
        has_sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels" in zf.namelist()
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    pivot_rel = ("rId77", f"{REL_BASE}/pivotTable", "../pivotTables/pivotTable1.xml")
    edit: dict[str, Callable[[bytes], bytes]] = {
        "[Content_Types].xml": _chain(
            _add_override(
                "xl/pivotCache/pivotCacheDefinition1.xml", f"{ct}.pivotCacheDefinition+xml"
            ),
            _add_override("xl/pivotCache/pivotCacheRecords1.xml", f"{ct}.pivotCacheRecords+xml"),
            _add_override("xl/pivotTables/pivotTable1.xml", f"{ct}.pivotTable+xml"),
        ),
        "xl/_rels/workbook.xml.rels": _add_rel(
            "rId90", f"{REL_BASE}/pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"
        ),
        "xl/workbook.xml": lambda d: _insert_in_workbook(
            d,
            f'<pivotCaches><pivotCache xmlns:r="{NS_R}" cacheId="1" r:id="rId90"/></pivotCaches>',
            before=("smartTagPr", "oleSize", "fileRecoveryPr", "webPublishing", "extLst"),
        ),
    }
    if has_sheet_rels:
        edit["xl/worksheets/_rels/sheet1.xml.rels"] = _add_rel(*pivot_rel)
    else:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = _rels(pivot_rel)
    patch_zip(path, add=parts, edit=edit)
    return Truth(n, surfaces)


def islington_deleted_source_workbook(path: Path) -> Truth:
    """Islington, variant: the source sheet was deleted; only the pivot cache holds the people."""
    return islington_workbook(path, source="deleted")


# -- 5. Spanish-language records ------------------------------------------------------------------
_ES_COUNTRIES = {
    "es_MX": ("México",), "es_CO": ("Colombia", "Venezuela", "Ecuador"),
    "es_ES": ("Guatemala", "Honduras", "El Salvador", "Nicaragua", "Cuba"),
    "es_AR": ("Perú", "Argentina"),
}  # fmt: skip
_ES_STATUS = (
    "Pendiente de audiencia", "Orden de deportación", "Liberado bajo fianza", "Asilo concedido",
    "Apelación pendiente", "Revisión de miedo creíble",
)  # fmt: skip


def _es_people(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    fakers = {loc: _faker(loc, seed + i) for i, loc in enumerate(_ES_COUNTRIES)}
    out: list[dict[str, Any]] = []
    for _ in range(n):
        loc = rng.choice(list(_ES_COUNTRIES))
        f = fakers[loc]
        given = f.first_name() if rng.random() < 0.6 else f"{f.first_name()} {f.first_name()}"
        digits = f"{rng.randrange(0, 10**9):09d}"
        out.append(
            {
                "apellidos": f"{f.last_name()} {f.last_name()}",
                "nombres": given,
                "dob": dt.date(2022, 11, 1) - dt.timedelta(days=rng.randrange(6600, 27000)),
                "country": rng.choice(_ES_COUNTRIES[loc]),
                "a_digits": digits,
                "facility": rng.choice(FACILITIES),
                "status": rng.choice(_ES_STATUS),
            }
        )
    return out


def spanish_workbook(path: Path, *, n: int = 600, seed: int = 105) -> Truth:
    """A Spanish-language detention workbook: a visible "Resumen" of counts, and a hidden sheet
    of records with Spanish headers (Apellido(s), Nombre(s), Número A...), dates as Excel dates
    shown dd/mm/yyyy."""
    rng = random.Random(seed)
    people = _es_people(n, seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Resumen"
    ws.append(["Personas detenidas por centro, año fiscal 2023"])
    ws.append(["Centro de detención", "Personas"])
    for fac, count in _counts([p["facility"] for p in people]):
        ws.append([fac, count])
    data = wb.create_sheet("Registros")
    data.sheet_state = "hidden"
    data.append(
        [
            "Apellido(s)",
            "Nombre(s)",
            "Fecha de nacimiento",
            "Nacionalidad",
            "Número A",
            "Centro de detención",
            "Estado del caso",
        ]
    )
    for p in people:
        d = p["a_digits"]
        anum = f"A{d}" if rng.random() < 0.5 else f"A-{d[:3]}-{d[3:6]}-{d[6:]}"
        data.append(
            [p["apellidos"], p["nombres"], p["dob"], p["country"], anum, p["facility"],
             p["status"]]
        )  # fmt: skip
        data.cell(row=data.max_row, column=3).number_format = "DD/MM/YYYY"
    wb.save(path)
    return Truth(n, (Surface.HIDDEN_SHEET,))


# -- 6. Headerless, very hidden -------------------------------------------------------------------
def headerless_workbook(path: Path, *, n: int = 500, seed: int = 106) -> Truth:
    """A very hidden sheet whose first row is already data: full name, birthdate (an Excel
    date), country, A-number as an integer without the "A" (leading zeros lost, so some have
    8 digits), facility. Written in write-only mode, like a bulk export script would."""
    people = person_records(n, seed=seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["Detention statistics - see the published dashboard for detail"])
    ws.append(["Total book-ins", n])
    data = wb.create_sheet("xx_lookup")
    data.sheet_state = "veryHidden"
    for p in people:
        bd = dt.datetime.combine(p["birthdate"], dt.time())
        data.append([p["name"], bd, p["nationality"], int(p["a_digits"]), p["facility"]])
    wb.save(path)
    return Truth(n, (Surface.VERY_HIDDEN_SHEET,))


# -- 7. "LAST, First", header on row 5 ------------------------------------------------------------
def docket_workbook(path: Path, *, n: int = 400, seed: int = 107) -> Truth:
    """A visible docket exported from a case system: merged title rows, header on row 5, names
    as "LAST, First" in one "Full Name" column, DOB as text "03/14/1987", "Alien #" as 9-digit
    text, then a total line. A visible table identifying hundreds of people blocks."""
    people = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Docket"
    ws["A1"] = "U.S. Department of Homeland Security - Detained Docket"
    ws["A2"] = "Field Office: San Antonio   Run date: 11/01/2022"
    ws.merge_cells("A1:F1")
    ws.merge_cells("A2:F2")
    ws["A3"] = "FOR OFFICIAL USE ONLY"
    ws.append([])
    ws.append(["Alien #", "Full Name", "DOB", "Country of Birth", "Facility", "Next Hearing"])
    rng = random.Random(seed)
    for p in people:
        hearing = dt.date(2022, 11, 2) + dt.timedelta(days=rng.randrange(0, 120))
        ws.append(
            [
                p["a_digits"],
                f"{p['last_name'].upper()}, {p['first_name']}",
                p["birthdate"].strftime("%m/%d/%Y"),
                p["nationality"],
                p["facility"],
                hearing,
            ]
        )
    ws.append([])
    ws.append([f"Total detained: {n}"])
    wb.save(path)
    return Truth(n, (Surface.VISIBLE,))


# -- 8. Records at C10 beside an aggregate, columns hidden ----------------------------------------
def offset_hidden_columns_workbook(path: Path, *, n: int = 300, seed: int = 108) -> Truth:
    """A visible sheet with a small aggregate table at A3:B11 and, right beside it from C10, a
    records table whose columns C:H are hidden (the two tables touch on rows 10-11)."""
    people = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Overview"
    ws["A1"] = "Detention overview"
    ws["A3"], ws["B3"] = "Facility", "Detained"
    for i, (fac, count) in enumerate(_counts([p["facility"] for p in people]), start=4):
        ws.cell(row=i, column=1, value=fac)
        ws.cell(row=i, column=2, value=count)
    header = ["A-Number", "Name", "Date of Birth", "Nationality", "Facility", "Case Status"]
    for j, h in enumerate(header, start=3):
        ws.cell(row=10, column=j, value=h)
    for i, p in enumerate(people, start=11):
        vals = [p["a_number"], p["name"], p["birthdate"], p["nationality"], p["facility"],
                p["case_status"]]  # fmt: skip
        for j, v in enumerate(vals, start=3):
            ws.cell(row=i, column=j, value=v)
    for j in range(3, 9):
        ws.column_dimensions[get_column_letter(j)].hidden = True
    wb.save(path)
    return Truth(n, (Surface.HIDDEN_COLUMN,))


# -- 9. Rows hidden by an active autofilter -------------------------------------------------------
def autofilter_released_workbook(path: Path, *, n: int = 400, seed: int = 109) -> Truth:
    """A visible case list filtered to show only "Released" rows; the rows the filter hides
    hold people still detained, with A-numbers. Everyone in the table is exposed."""
    rng = random.Random(seed)
    people = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Releases"
    ws.append(["A#", "Last Name", "First Name", "DOB", "Citizenship", "Status", "Facility"])
    statuses = ["Released" if rng.random() < 0.3 else "Detained" for _ in people]
    for p, status in zip(people, statuses, strict=True):
        ws.append(
            [p["a_number"], p["last_name"], p["first_name"], p["birthdate"], p["nationality"],
             status, p["facility"]]
        )  # fmt: skip
    ws.auto_filter.ref = f"A1:G{n + 1}"
    ws.auto_filter.add_filter_column(5, ["Released"])
    for i, status in enumerate(statuses, start=2):
        if status != "Released":
            ws.row_dimensions[i].hidden = True
    wb.save(path)
    return Truth(n, (Surface.FILTERED_ROW,))


# -- 10. Semicolon cp1252 CSV ---------------------------------------------------------------------
def spanish_csv(path: Path, *, n: int = 700, seed: int = 110) -> Truth:
    """A case-system export as Excel writes "CSV (separado por punto y coma)" on a Spanish
    Windows: semicolons, cp1252, CRLF, Spanish headers, accented names, dd/mm/yyyy dates."""
    rng = random.Random(seed)
    people = _es_people(n, seed)
    with path.open("w", newline="", encoding="cp1252") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(
            [
                "Número de caso",
                "Apellidos",
                "Nombre",
                "Fecha de nacimiento",
                "País de nacionalidad",
                "Número A",
                "Centro",
                "Situación",
            ]
        )
        for k, p in enumerate(people):
            d = p["a_digits"]
            w.writerow(
                [
                    f"EXP-{2022}-{k + rng.randrange(1, 9):06d}",
                    p["apellidos"],
                    p["nombres"],
                    p["dob"].strftime("%d/%m/%Y"),
                    p["country"],
                    f"A {d[:3]} {d[3:6]} {d[6:]}",
                    p["facility"],
                    p["status"],
                ]
            )
    return Truth(n, (Surface.VISIBLE,))


# -- 11. Two comments -----------------------------------------------------------------------------
def _stats_sheet(ws: Any, rng: random.Random) -> None:
    ws.append(["Book-ins by facility and month, FY2023"])
    ws.append([])
    months = ["Oct 2022", "Nov 2022", "Dec 2022", "Jan 2023", "Feb 2023"]
    ws.append(["Facility", *months, "Total"])
    for fac in FACILITIES:
        vals = [rng.choice((1, 2, 3, 7, 18, 44, 120)) for _ in months]
        ws.append([fac, *vals, sum(vals)])


def comment_leak_workbook(path: Path, *, seed: int = 111) -> Truth:
    """A clean statistics sheet with two cell comments a checker left: "Checked against case
    of <name>, A<number>". Truth: 2 people, in comments."""
    rng = random.Random(seed)
    people = person_records(2, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "FY2023"
    _stats_sheet(ws, rng)
    for cell, p in zip(("C5", "E9"), people, strict=True):
        ws[cell].comment = Comment(
            f"Checked against case of {p['name']}, A{p['a_digits']}", "Statistics Unit"
        )
    wb.save(path)
    return Truth(2, (Surface.COMMENT,))


# -- 12. HR export --------------------------------------------------------------------------------
_DEPARTMENTS = ("Adult Social Care", "Housing", "Finance", "Planning", "Legal Services",
                "Environmental Health", "Customer Services", "IT", "Parks")  # fmt: skip
_JOBS = ("Case Officer", "Team Leader", "Administrator", "Senior Officer", "Analyst",
         "Service Manager", "Apprentice", "Technician")  # fmt: skip


def hr_export_workbook(path: Path, *, n: int = 250, seed: int = 112) -> Truth:
    """A staff headcount by department, published; a hidden "HR_export" sheet from the payroll
    system still holds every employee's date of birth, home address and personal mobile."""
    rng = random.Random(seed)
    fakers = [_faker("en_GB", seed), _faker("en_IN", seed + 1), _faker("pl_PL", seed + 2)]
    rows: list[list[Any]] = []
    for k in range(n):
        f = fakers[0] if rng.random() < 0.7 else rng.choice(fakers[1:])
        g = fakers[0]
        dob = dt.date(2023, 1, 1) - dt.timedelta(days=rng.randrange(18 * 365, 66 * 365))
        start = dt.date(2023, 1, 1) - dt.timedelta(days=rng.randrange(30, 25 * 365))
        rows.append(
            [
                f"E{10000 + k * 7 + rng.randrange(7):06d}",
                f.last_name(),
                f.first_name(),
                rng.choice(_JOBS),
                rng.choice(_DEPARTMENTS),
                dob,
                g.street_address().replace("\n", ", "),
                g.city(),
                g.postcode(),
                f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
                start,
            ]
        )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Headcount"
    ws.append(["Headcount by department, 31 March 2023"])
    ws.append(["Department", "Headcount", "FTE"])
    for dept, count in _counts([r[4] for r in rows]):
        ws.append([dept, count, round(count * 0.91, 1)])
    hr = wb.create_sheet("HR_export")
    hr.sheet_state = "hidden"
    hr.append(["Employee No", "Surname", "Forename", "Job Title", "Department", "Date of Birth",
               "Home Address", "Town", "Postcode", "Personal Mobile", "Start Date"])  # fmt: skip
    for r in rows:
        hr.append(r)
    wb.save(path)
    return Truth(n, (Surface.HIDDEN_SHEET,))


# -- 13. (extra) abbreviated headers, coded values -------------------------------------------------
_ISO3 = {"Mexico": "MEX", "Guatemala": "GTM", "Honduras": "HND", "El Salvador": "SLV",
         "Colombia": "COL", "Venezuela": "VEN", "Ecuador": "ECU", "Argentina": "ARG",
         "Peru": "PER", "Nicaragua": "NIC", "Cuba": "CUB", "Brazil": "BRA", "Haiti": "HTI",
         "India": "IND", "China": "CHN", "Russia": "RUS", "Ukraine": "UKR", "Nigeria": "NGA",
         "Ghana": "GHA", "Turkey": "TUR", "Romania": "ROU", "Vietnam": "VNM"}  # fmt: skip


def abbreviated_export_workbook(path: Path, *, n: int = 350, seed: int = 113) -> Truth:
    """(Extra) a hidden lookup sheet as a case system exports it: terse headers ("Detainee",
    "D.O.B.", "Nat.", "A No.", "Loc."), birthdates as yyyymmdd integers, ISO alpha-3
    nationality codes, facility codes."""
    people = person_records(n, seed=seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chart data"
    ws.append(["Month", "Book-ins"])
    for month, count in _counts([p["book_in_date"].strftime("%Y-%m") for p in people]):
        ws.append([month, count])
    data = wb.create_sheet("lkp")
    data.sheet_state = "hidden"
    data.append(["Detainee", "D.O.B.", "Nat.", "A No.", "Loc.", "Stat."])
    for p in people:
        data.append(
            [
                p["name"],
                int(p["birthdate"].strftime("%Y%m%d")),
                _ISO3.get(p["nationality"], "UNK"),
                p["a_number"],
                f"F{FACILITIES.index(p['facility']) + 101}",
                p["case_status"][:3].upper(),
            ]
        )
    wb.save(path)
    return Truth(n, (Surface.HIDDEN_SHEET,))


# =================================================================================================
# Clean controls
# =================================================================================================
_C1_COUNTRIES = ("Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela", "Cuba", "Haiti",
                 "India", "Ukraine", "China", "Colombia", "Ecuador")  # fmt: skip


def c1_aggregate_workbook(path: Path, *, seed: int = 201) -> Truth:
    """Aggregate detention statistics in long format: facility x country x month x gender x age
    band, with small counts (1, 2, 3) and percentages; plus a wide sheet by country."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Detail"
    ws.append(["Facility", "Country of Citizenship", "Month", "Gender", "Age Band", "Book-ins",
               "% of facility total"])  # fmt: skip
    rows: list[list[Any]] = []
    for fac in FACILITIES:
        for country in rng.sample(_C1_COUNTRIES, 6):
            for month in (dt.date(2022, 10, 1), dt.date(2022, 11, 1), dt.date(2022, 12, 1)):
                for gender in ("Male", "Female"):
                    band = rng.choice(("18-24", "25-34", "35-49", "50+"))
                    rows.append([fac, country, month, gender, band,
                                 rng.choice((1, 1, 2, 3, 4, 9, 15, 31))])  # fmt: skip
    totals = Counter[str]()
    for r in rows:
        totals[r[0]] += r[5]
    for r in rows:
        ws.append([*r, r[5] / totals[r[0]]])
        ws.cell(row=ws.max_row, column=3).number_format = "mmm yyyy"
        ws.cell(row=ws.max_row, column=7).number_format = "0.0%"
    wide = wb.create_sheet("By Country")
    wide.append(["Country of Citizenship", "Male", "Female", "Total", "Share"])
    grand = sum(r[5] for r in rows)
    for country in _C1_COUNTRIES:
        m = sum(r[5] for r in rows if r[1] == country and r[3] == "Male")
        fe = sum(r[5] for r in rows if r[1] == country and r[3] == "Female")
        wide.append([country, m, fe, m + fe, round((m + fe) / grand, 3)])
    wb.save(path)
    return Truth(0)


_C2_FACILITIES = (
    ("Joe Corley Processing Center", "Houston", "TX", "CDF"),
    ("Buffalo (Batavia) Service Processing Center", "Buffalo", "NY", "SPC"),
    ("Krome North Service Processing Center", "Miami", "FL", "SPC"),
    ("Port Isabel Service Processing Center", "Harlingen", "TX", "SPC"),
    ("Otay Mesa Detention Center", "San Diego", "CA", "CDF"),
    ("Adelanto ICE Processing Center", "Los Angeles", "CA", "CDF"),
    ("Stewart Detention Center", "Atlanta", "GA", "IGSA"),
    ("T. Don Hutto Residential Center", "San Antonio", "TX", "IGSA"),
    ("Robert A. Deyton Detention Facility", "Atlanta", "GA", "USMS IGA"),
    ("Eloy Detention Center", "Phoenix", "AZ", "IGSA"),
    ("Northwest ICE Processing Center", "Seattle", "WA", "CDF"),
    ("Elizabeth Contract Detention Facility", "Newark", "NJ", "CDF"),
    ("Montgomery Processing Center", "Houston", "TX", "CDF"),
    ("Winn Correctional Center", "New Orleans", "LA", "IGSA"),
    ("Bluebonnet Detention Facility", "Dallas", "TX", "IGSA"),
    ("Karnes County Immigration Processing Center", "San Antonio", "TX", "IGSA"),
    ("Moshannon Valley Processing Center", "Philadelphia", "PA", "CDF"),
    ("Jena/LaSalle Detention Facility", "New Orleans", "LA", "IGSA"),
    ("Florence Service Processing Center", "Phoenix", "AZ", "SPC"),
    ("Richard P. Stratton Hall", "Boston", "MA", "IGSA"),
)  # fmt: skip


def c2_facility_directory(path: Path, *, seed: int = 202) -> Truth:
    """Facility directory: facilities named after people, street addresses, switchboard and fax
    numbers, field office. Organisations, not people."""
    rng = random.Random(seed)
    f = _faker("en_US", seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Facilities"
    ws.append(["Detention facility locator (public)"])
    ws.append([])
    ws.append(["Facility Name", "Field Office", "Address", "City", "State", "ZIP", "Main Phone",
               "Fax", "Type"])  # fmt: skip
    for name, office, state, kind in _C2_FACILITIES:
        ws.append([name, office, f.street_address(), f.city(), state, f.zipcode(),
                   phone_number(rng), phone_number(rng), kind])  # fmt: skip
    wb.save(path)
    return Truth(0)


_C3_VENDORS = ("Garcia & Sons Ltd", "Nguyen Logistics LLC", "O'Brien Facilities Management",
               "Patel Medical Supplies Inc.", "Kowalski Brothers Construction",
               "Johnson Controls", "Okafor Catering Services", "Schmidt & Mueller GmbH",
               "Hernandez Transport Co.", "Li Wei Trading Company")  # fmt: skip


def c3_invoices_workbook(path: Path, *, n: int = 250, seed: int = 203) -> Truth:
    """Invoices and purchase orders: INV-2023-000123, 9-digit PO numbers stored as integers
    (the shape of an A-number without its "A"), vendors named after their founders."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "AP Ledger"
    ws.append(["Invoice Number", "PO Number", "Vendor ID", "Vendor", "Invoice Date", "Due Date",
               "Cost Center", "Amount", "Status"])  # fmt: skip
    for k in range(n):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
        vendor = rng.randrange(len(_C3_VENDORS))
        ws.append([f"INV-2023-{k * 3 + rng.randrange(3) + 100:06d}",
                   rng.randrange(100_000_000, 999_999_999), f"V{4100 + vendor * 13:06d}",
                   _C3_VENDORS[vendor], day, day + dt.timedelta(days=30),
                   rng.choice(("ERO-HOU", "ERO-SNA", "ERO-MIA", "HQ-OPS")),
                   round(rng.uniform(120, 250000), 2),
                   rng.choice(("Paid", "Open", "Disputed"))])  # fmt: skip
        ws.cell(row=ws.max_row, column=8).number_format = "#,##0.00"
    wb.save(path)
    return Truth(0)


def c4_officials_workbook(path: Path, *, seed: int = 204) -> Truth:
    """Eight public officials with titles, office phone lines and role mailboxes."""
    rng = random.Random(seed)
    f = _faker("en_US", seed)
    roles = (("Director", "director"), ("Deputy Director", "deputy"), ("Press Secretary", "press"),
             ("FOIA Officer", "foia"), ("Chief Counsel", "counsel"),
             ("Public Affairs Officer", "publicaffairs"), ("Ombudsman", "ombudsman"),
             ("Chief of Staff", "chiefofstaff"))  # fmt: skip
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Leadership"
    ws.append(["Name", "Title", "Office Phone", "E-mail"])
    for title, box in roles:
        ws.append([f.name(), title, phone_number(rng), f"{box}@agency.gov"])
    wb.save(path)
    return Truth(0)


def c5_events_workbook(path: Path, *, seed: int = 205) -> Truth:
    """An events calendar: dates, times, venues, topics, registration links."""
    rng = random.Random(seed)
    topics = ("Know your rights", "Budget consultation", "Road safety", "Recycling changes",
              "Housing strategy", "Youth services", "Flood planning")  # fmt: skip
    venues = ("Central Library, Room 2", "Town Hall Council Chamber", "Holloway Community Centre",
              "Online (Teams)", "Riverside Sports Hall")  # fmt: skip
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calendar 2023"
    ws.append(["Date", "Start", "End", "Event", "Venue", "Topic", "Registration"])
    for k in range(40):
        day = dt.date(2023, 1, 9) + dt.timedelta(days=k * 8 + rng.randrange(3))
        start = dt.time(rng.choice((9, 10, 14, 18)), rng.choice((0, 30)))
        end = dt.time(start.hour + 2, start.minute)
        topic = rng.choice(topics)
        ws.append([day, start, end, f"{topic} session", rng.choice(venues), topic,
                   f"https://events.example.gov/e/{2300 + k}"])  # fmt: skip
    wb.save(path)
    return Truth(0)


def c6_budget_workbook(path: Path, *, seed: int = 206) -> Truth:
    """A budget written as Excel writes it (shared strings, formulas with cached values): line
    items, account codes, fiscal years, totals and variance formulas on two sheets."""
    rng = random.Random(seed)
    strings: dict[str, int] = {}

    def s(ref: str, text: str) -> str:
        idx = strings.setdefault(text, len(strings))
        return f'<c r="{ref}" t="s"><v>{idx}</v></c>'

    def num(ref: str, value: float, formula: str | None = None) -> str:
        f = f"<f>{escape(formula)}</f>" if formula else ""
        return f'<c r="{ref}">{f}<v>{value}</v></c>'

    items = ("Salaries and wages", "Employee benefits", "Overtime", "Rent and utilities",
             "IT services", "Travel", "Training", "Contracted services", "Supplies",
             "Vehicle fleet")  # fmt: skip
    years = ("FY2022 Actual", "FY2023 Actual", "FY2024 Budget", "FY2025 Request")
    rows = [
        '<row r="1">' + s("A1", "Operating budget by line item") + "</row>",
        '<row r="3">'
        + s("A3", "Account")
        + s("B3", "Line item")
        + "".join(s(f"{c}3", y) for c, y in zip("CDEF", years, strict=True))
        + s("G3", "Change FY25 vs FY24 %")
        + "</row>",
    ]
    totals = [0.0] * 4
    for i, item in enumerate(items, start=4):
        vals = [float(rng.randrange(10**4, 10**7))]
        for _ in range(3):
            vals.append(round(vals[-1] * rng.uniform(0.95, 1.12), 0))
        totals = [t + v for t, v in zip(totals, vals, strict=True)]
        change = round((vals[3] - vals[2]) / vals[2] * 100, 4)
        rows.append(
            f'<row r="{i}">'
            + s(f"A{i}", f"{5100 + i * 10}-{rng.randrange(100, 999)}")
            + s(f"B{i}", item)
            + "".join(num(f"{c}{i}", v) for c, v in zip("CDEF", vals, strict=True))
            + num(f"G{i}", change, f"(F{i}-E{i})/E{i}*100")
            + "</row>"
        )
    last = 3 + len(items)
    t = last + 1
    rows.append(
        f'<row r="{t}">'
        + s(f"B{t}", "Total")
        + "".join(
            num(f"{c}{t}", v, f"SUM({c}4:{c}{last})") for c, v in zip("CDEF", totals, strict=True)
        )
        + "</row>"
    )
    summary = [
        '<row r="1">' + s("A1", "Fiscal year") + s("B1", "Total") + "</row>",
        *(
            f'<row r="{k}">' + s(f"A{k}", y) + num(f"B{k}", v, f"'Line items'!{c}{t}") + "</row>"
            for k, (y, v, c) in enumerate(zip(years, totals, "CDEF", strict=True), start=2)
        ),
    ]
    write_raw_workbook(
        path,
        sheets=[("Summary", "visible", "".join(summary)), ("Line items", "visible", "".join(rows))],
        shared_strings=list(strings),
    )
    return Truth(0)


_C7_SCHOOLS = (
    "John F. Kennedy High School", "Abraham Lincoln Elementary School",
    "George Washington Carver Middle School", "Cesar Chavez Academy", "Thurgood Marshall Academy",
    "Rosa Parks Elementary School", "Benjamin Franklin High School", "Sally Ride Elementary",
    "Frederick Douglass High School", "Roberto Clemente Community Academy",
    "Jackie Robinson Middle School", "Eleanor Roosevelt High School", "Walt Whitman High School",
    "Sonia Sotomayor Learning Academy", "Booker T. Washington High School",
    "Amelia Earhart Elementary", "Harriet Tubman Middle School", "Dr. Charles R. Drew Academy",
)  # fmt: skip
_C7_HOSPITALS = (
    "Martin Luther King Jr. Community Hospital", "Jackson Memorial Hospital",
    "Ben Taub General Hospital", "Ronald Reagan UCLA Medical Center",
    "John Peter Smith Hospital", "Zuckerberg San Francisco General Hospital",
    "Grady Memorial Hospital", "Mary Washington Hospital", "Johns Hopkins Bayview Medical Center",
    "St. Mary's Regional Medical Center", "Elmhurst Hospital Center",
)  # fmt: skip


def c7_institutions_workbook(path: Path, *, seed: int = 207) -> Truth:
    """School and hospital performance tables: institutions named after people, with rates,
    counts and an NCES-style 12-digit school ID and a 6-digit CMS provider number."""
    rng = random.Random(seed)
    f = _faker("en_US", seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Schools"
    ws.append(["School ID", "School", "City", "Enrollment", "Graduation rate", "Attendance %",
               "Students per teacher"])  # fmt: skip
    for name in _C7_SCHOOLS:
        ws.append([f"{rng.randrange(10**11, 10**12)}", name, f.city(), rng.randrange(180, 2600),
                   round(rng.uniform(0.61, 0.98), 3), round(rng.uniform(82, 97), 1),
                   round(rng.uniform(11, 24), 1)])  # fmt: skip
    hs = wb.create_sheet("Hospitals")
    hs.append(["Provider ID", "Hospital", "City", "State", "Beds", "Readmission rate",
               "Star rating", "ER median wait (min)"])  # fmt: skip
    for name in _C7_HOSPITALS:
        hs.append([f"{rng.randrange(10**5, 10**6)}", name, f.city(), f.state_abbr(),
                   rng.randrange(90, 1500), round(rng.uniform(0.11, 0.19), 3),
                   rng.randrange(1, 6), rng.randrange(90, 400)])  # fmt: skip
    wb.save(path)
    return Truth(0)


_C8_COUNTRIES = (
    ("AF", "AFG", 4, "Afghanistan"), ("AL", "ALB", 8, "Albania"), ("DZ", "DZA", 12, "Algeria"),
    ("AO", "AGO", 24, "Angola"), ("AR", "ARG", 32, "Argentina"), ("BD", "BGD", 50, "Bangladesh"),
    ("BR", "BRA", 76, "Brazil"), ("CM", "CMR", 120, "Cameroon"), ("CN", "CHN", 156, "China"),
    ("CO", "COL", 170, "Colombia"), ("CU", "CUB", 192, "Cuba"), ("EC", "ECU", 218, "Ecuador"),
    ("EG", "EGY", 818, "Egypt"), ("SV", "SLV", 222, "El Salvador"), ("ER", "ERI", 232, "Eritrea"),
    ("ET", "ETH", 231, "Ethiopia"), ("GH", "GHA", 288, "Ghana"), ("GT", "GTM", 320, "Guatemala"),
    ("HT", "HTI", 332, "Haiti"), ("HN", "HND", 340, "Honduras"), ("IN", "IND", 356, "India"),
    ("IR", "IRN", 364, "Iran"), ("IQ", "IRQ", 368, "Iraq"), ("JM", "JAM", 388, "Jamaica"),
    ("MX", "MEX", 484, "Mexico"), ("NI", "NIC", 558, "Nicaragua"), ("NG", "NGA", 566, "Nigeria"),
    ("PK", "PAK", 586, "Pakistan"), ("PE", "PER", 604, "Peru"), ("RO", "ROU", 642, "Romania"),
    ("RU", "RUS", 643, "Russian Federation"), ("SN", "SEN", 686, "Senegal"),
    ("SO", "SOM", 706, "Somalia"), ("SY", "SYR", 760, "Syrian Arab Republic"),
    ("TR", "TUR", 792, "Türkiye"), ("UA", "UKR", 804, "Ukraine"), ("VE", "VEN", 862, "Venezuela"),
    ("VN", "VNM", 704, "Viet Nam"), ("YE", "YEM", 887, "Yemen"), ("CD", "COD", 180,
    "Congo (Democratic Republic of the)"),
)  # fmt: skip


def c8_country_csv(path: Path, *, seed: int = 208) -> Truth:
    """Country-level asylum statistics as a CSV: ISO alpha-2, alpha-3 and numeric codes, country
    names, population, applications, decisions, recognition rate."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["iso2", "iso3", "m49", "country", "population", "applications",
                    "decisions", "recognised", "recognition_rate"])  # fmt: skip
        for iso2, iso3, m49, name in _C8_COUNTRIES:
            apps = rng.randrange(1, 40000)
            dec = rng.randrange(0, apps + 1)
            rec = rng.randrange(0, dec + 1)
            rate = f"{rec / dec:.3f}" if dec else ""
            w.writerow([iso2, iso3, f"{m49:03d}", name, rng.randrange(10**5, 1_400_000_000),
                        apps, dec, rec, rate])  # fmt: skip
    return Truth(0)


_C9_SUBJECTS = (
    "Police vehicle fleet costs", "Overtime payments 2022", "Number of officers by rank",
    "Use of force statistics", "Speed camera revenue", "Drone usage", "Body-worn video policy",
    "Recruitment figures", "Cyber security incidents", "Stop and search by ward",
    "Hate crime reports", "Contracts with IT suppliers", "Energy costs of HQ", "Dog bite incidents",
    "Firearms licences issued", "Missing persons reports", "Taser deployments",
)  # fmt: skip
_C9_OUTCOMES = ("Information provided in full", "Partially provided", "Information not held",
                "Refused - s.40(2) personal information", "Refused - s.12 cost limit",
                "Withdrawn")  # fmt: skip


def c9_foi_log_workbook(path: Path, *, n: int = 300, seed: int = 209) -> Truth:
    """A published FOI disclosure log: request ID, date received, short subject, outcome,
    exemption, days to respond. No requester names."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Disclosure log"
    ws.append(["Request ID", "Date Received", "Subject", "Outcome", "Exemptions",
               "Date Responded", "Days to respond"])  # fmt: skip
    for k in range(n):
        got = dt.date(2023, 1, 3) + dt.timedelta(days=k + rng.randrange(2))
        days = rng.randrange(3, 45)
        outcome = rng.choice(_C9_OUTCOMES)
        exemption = outcome.split(" - ")[1].split(" ")[0] if " - " in outcome else ""
        ws.append([f"FOI-2023-{k + 1:04d}", got, rng.choice(_C9_SUBJECTS), outcome, exemption,
                   got + dt.timedelta(days=days), days])  # fmt: skip
    wb.save(path)
    return Truth(0)


def c10_roster_workbook(path: Path, *, seed: int = 210) -> Truth:
    """A shift roster: shift codes, days, start and end times, rooms (A101, B-204), teams."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Roster wk 14"
    ws.append(["Shift", "Day", "Start", "End", "Room", "Team", "Staff required"])
    shifts = {"E1": (6, 14), "E2": (7, 15), "L1": (14, 22), "L2": (15, 23), "N1": (22, 6)}
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for day in days:
        for code, (h0, h1) in shifts.items():
            for _ in range(3):
                block = rng.choice("ABCD")
                room = f"{block}{rng.randrange(1, 4)}{rng.randrange(0, 3)}{rng.randrange(1, 9)}"
                if rng.random() < 0.4:
                    room = f"{room[0]}-{room[1:]}"
                ws.append([code, day, dt.time(h0), dt.time(h1), room,
                           f"Team {rng.choice('ABCDEF')}", rng.randrange(2, 9)])  # fmt: skip
    wb.save(path)
    return Truth(0)


def c11_baby_names_workbook(path: Path, *, seed: int = 211) -> Truth:
    """(Extra) the most popular baby names, as statistics offices publish them: rank, first
    name, count. Names with counts are statistics about names, not records of people."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    for k, (sheet, gender) in enumerate((("Boys", "male"), ("Girls", "female"))):
        f = _faker("en_GB", seed + k)
        names: list[str] = []
        while len(names) < 100:
            name = f.first_name_male() if gender == "male" else f.first_name_female()
            if name not in names:
                names.append(name)
        ws = wb.active if k == 0 else wb.create_sheet(sheet)
        ws.title = sheet
        ws.append([f"Top 100 {sheet.lower()}' names, England and Wales, 2022"])
        ws.append(["Rank", "Name", "Count"])
        count = 4500
        for rank, name in enumerate(names, start=1):
            ws.append([rank, name, count])
            count -= rng.randrange(5, 60)
    wb.save(path)
    return Truth(0)


_TRAFFIC = ("Lane closure", "Two-way signals", "Road closure", "None")


def c12_roadworks_workbook(path: Path, *, n: int = 80, seed: int = 212) -> Truth:
    """(Extra) a roadworks schedule: street names (many named after people), wards, utility
    companies, start and end dates. Places, not people."""
    rng = random.Random(seed)
    f = _faker("en_GB", seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Roadworks"
    ws.append(["Permit Ref", "Street", "Ward", "Promoter", "Start Date", "End Date",
               "Traffic Management"])  # fmt: skip
    for k in range(n):
        start = dt.date(2023, 5, 1) + dt.timedelta(days=rng.randrange(120))
        ws.append([f"IS{230500 + k * 11}", f.street_name(), rng.choice(_WARDS),
                   rng.choice(("Thames Water", "UK Power Networks", "Openreach", "Cadent Gas")),
                   start, start + dt.timedelta(days=rng.randrange(1, 30)),
                   rng.choice(_TRAFFIC)])  # fmt: skip
    wb.save(path)
    return Truth(0)


# =================================================================================================
LEAKING: tuple[Case, ...] = (
    Case("01-psni-hidden-sheet", "FOI-F-2023-02345.xlsx", psni_workbook),
    Case("02-norfolk-victims-witnesses", "crime-stats-foi.xlsx", norfolk_workbook),
    Case("03-mod-hidden-rows", "arap-summary.xlsx", mod_afghan_workbook),
    Case("04a-islington-pivot-hidden-source", "housing-by-ward.xlsx", islington_workbook),
    Case(
        "04b-islington-pivot-deleted-source",
        "housing-by-ward-2.xlsx",
        islington_deleted_source_workbook,
    ),
    Case("05-spanish-hidden-sheet", "detenciones-resumen.xlsx", spanish_workbook),
    Case("06-headerless-very-hidden", "stats-dashboard.xlsx", headerless_workbook),
    Case("07-last-first-header-row5", "detained-docket.xlsx", docket_workbook),
    Case("08-offset-table-hidden-columns", "overview.xlsx", offset_hidden_columns_workbook),
    Case("09-autofilter-released", "releases.xlsx", autofilter_released_workbook),
    Case("10-semicolon-cp1252-csv", "expedientes.csv", spanish_csv),
    Case("11-two-comments", "bookins-fy2023.xlsx", comment_leak_workbook),
    Case("12-hr-export-hidden", "headcount.xlsx", hr_export_workbook),
    Case("13-extra-abbreviated-headers", "bookins-chart.xlsx", abbreviated_export_workbook),
)

CLEAN: tuple[Case, ...] = (
    Case("C1-aggregate-long-format", "detention-stats-detail.xlsx", c1_aggregate_workbook),
    Case("C2-facility-directory", "facility-locator.xlsx", c2_facility_directory),
    Case("C3-invoices", "ap-ledger.xlsx", c3_invoices_workbook),
    Case("C4-public-officials", "leadership.xlsx", c4_officials_workbook),
    Case("C5-events-calendar", "events-2023.xlsx", c5_events_workbook),
    Case("C6-budget-formulas", "budget.xlsx", c6_budget_workbook),
    Case("C7-named-institutions", "performance.xlsx", c7_institutions_workbook),
    Case("C8-country-csv", "asylum-by-country.csv", c8_country_csv),
    Case("C9-foi-log", "disclosure-log.xlsx", c9_foi_log_workbook),
    Case("C10-roster", "roster.xlsx", c10_roster_workbook),
    Case("C11-extra-baby-names", "baby-names-2022.xlsx", c11_baby_names_workbook),
    Case("C12-extra-roadworks", "roadworks.xlsx", c12_roadworks_workbook),
)
