"""The structured corpus: generated tables of people's records and clean tables.

Every column is labelled.

Each table is a list of string rows plus, for every column, the entity its values are (or ``None``
when they are none of the measured entities), and the number of distinct people in it. Column sets
follow the incidents in ../shared/DESIGN.md: detention statistics with a records tab, police
officer lists, victim and witness registers, HR exports, contact lists. Headers are in English or
Spanish, some tables have no header row, and values are messy the way exports are (surnames in
capitals, "LAST, First", stray spaces, mixed date and phone formats, blanks).

A column's label says what its values *are*: a person's name, date of birth, nationality, A-number,
Social Security number, phone number, e-mail address or street address. A country column in an
aggregate table holds no one's nationality and is labelled ``None``; a facility's switchboard number
is still a phone number. Values come from Faker with a fixed seed; nothing here is a real person.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

#: the entities measured at column level
ENTITIES: tuple[str, ...] = (
    "PERSON",
    "DATE_OF_BIRTH",
    "NATIONALITY",
    "A_NUMBER",
    "US_SSN",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "STREET_ADDRESS",
)

#: Latin-script locales the names, addresses and phone numbers are drawn from
LOCALES = ("en_US", "es_MX", "es_ES", "en_GB", "fr_FR", "pt_BR", "de_DE", "it_IT", "pl_PL", "tr_TR")

#: citizenship as detention statistics print it (country names) and as case files do (demonyms)
COUNTRIES = (
    "Mexico", "Guatemala", "Honduras", "El Salvador", "Cuba", "Venezuela", "Nicaragua",
    "Colombia", "Ecuador", "Haiti", "Brazil", "India", "China", "Peru", "Dominican Republic",
    "Romania", "Russia", "Ukraine", "Mauritania", "Senegal", "Afghanistan", "Turkey", "Nigeria",
    "Ghana", "Bangladesh", "Nepal", "Vietnam", "Jamaica", "Cameroon", "Eritrea",
)  # fmt: skip
DEMONYMS = (
    "Mexican", "Guatemalan", "Honduran", "Salvadoran", "Cuban", "Venezuelan", "Nicaraguan",
    "Colombian", "Ecuadorian", "Haitian", "Brazilian", "Indian", "Chinese", "Peruvian",
    "Dominican", "Romanian", "Russian", "Ukrainian", "Mauritanian", "Senegalese", "Afghan",
    "Turkish", "Nigerian", "Ghanaian", "Bangladeshi", "Nepalese", "Vietnamese", "Jamaican",
)  # fmt: skip
PAISES = (
    "México", "Guatemala", "Honduras", "El Salvador", "Cuba", "Venezuela", "Nicaragua",
    "Colombia", "Ecuador", "Haití", "Brasil", "India", "China", "Perú", "República Dominicana",
)  # fmt: skip
FACILITIES = (
    "Adelanto ICE Processing Center", "Otero County Processing Center", "Stewart Detention Center",
    "La Palma Correctional Center", "Krome North SPC", "Port Isabel SPC", "Eloy Detention Center",
    "South Texas ICE Processing Center", "Moshannon Valley Processing Center",
)  # fmt: skip
STATUSES = ("Pending", "Final order", "Released on bond", "Removed", "Awaiting hearing", "Parole")
ESTADOS = ("Pendiente", "Orden final", "Liberado bajo fianza", "Deportado", "En espera")
RANKS = ("Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Detective")
UNITS = ("Response", "Neighbourhood", "CID", "Roads Policing", "Custody", "Public Protection")
DEPARTMENTS = ("Finance", "Housing", "Planning", "Legal", "IT", "Social Care", "Libraries")


@dataclass(slots=True)
class LabelledTable:
    name: str
    #: the header row as it appears in the file, or None when the table has none
    header: list[str] | None
    rows: list[list[str]]
    #: per column: the entity its values are, or None
    labels: list[str | None]
    #: distinct people the table is about (0 for a clean table)
    people: int
    kind: str = "records"  # "records" or "clean"
    notes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return sum(1 for r in self.rows for v in r if v.strip())

    def all_rows(self) -> list[list[str]]:
        return ([self.header] if self.header else []) + self.rows


class _Gen:
    """Value generators with messy variants, seeded."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(seed * 100 + i)
        self.used_a: set[str] = set()

    def faker(self, locales: tuple[str, ...] = LOCALES) -> Faker:
        return self.fakers[self.rnd.choice(locales)]

    def names(self, locales: tuple[str, ...] = LOCALES) -> tuple[str, str]:
        f = self.faker(locales)
        return f.first_name(), f.last_name()

    def full_name(self, style: str, locales: tuple[str, ...] = LOCALES) -> str:
        given, family = self.names(locales)
        if style == "upper_last":
            return f"{family.upper()}, {given}"
        if style == "last_first":
            return f"{family}, {given}"
        if style == "caps":
            return f"{given} {family}".upper()
        if style == "middle":
            return f"{given} {self.rnd.choice('ABCDEFGHJKLMNPRSTW')}. {family}"
        if style == "double":
            g2, f2 = self.names(locales)
            return f"{given} {g2} {family} {f2}"
        return f"{given} {family}"

    def dob(self, fmt: str) -> str:
        d = date(1940, 1, 1) + timedelta(days=self.rnd.randrange(0, 365 * 66))
        return _fmt_date(d, fmt)

    def other_date(self, fmt: str) -> str:
        d = date(2021, 1, 1) + timedelta(days=self.rnd.randrange(0, 700))
        return _fmt_date(d, fmt)

    def a_number(self, style: str) -> str:
        while True:
            digits = f"{self.rnd.randrange(10_000_000, 250_000_000):09d}"
            if digits not in self.used_a:
                self.used_a.add(digits)
                break
        if style == "A":
            return "A" + digits
        if style == "dash":
            return f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        if style == "space":
            return f"A {digits}"
        return digits

    def ssn(self, style: str) -> str:
        s = self.fakers["en_US"].ssn()
        return s.replace("-", "") if style == "plain" else s

    def phone(self, locales: tuple[str, ...]) -> str:
        return str(self.faker(locales).phone_number())

    def email(self, given: str, family: str) -> str:
        f = self.fakers["en_US"]
        local = self.rnd.choice(
            [
                f"{given}.{family}",
                f"{given[0]}{family}",
                f"{family}{self.rnd.randrange(10, 99)}",
                f"{given}_{family}",
            ]
        )
        local = _ascii(local).lower().replace(" ", "")
        return f"{local}@{f.free_email_domain()}"

    def address(self, locales: tuple[str, ...], full: bool) -> str:
        f = self.faker(locales)
        if full:
            return " ".join(str(f.address()).split("\n"))
        return str(f.street_address())


def _ascii(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def _fmt_date(d: date, fmt: str) -> str:
    if fmt == "iso":
        return d.isoformat()
    if fmt == "us":
        return f"{d.month}/{d.day}/{d.year}"
    if fmt == "us0":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if fmt == "eu":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if fmt == "long":
        return d.strftime("%d %b %Y")
    return d.strftime("%B %d, %Y")


Col = tuple[str, str, str | None, Callable[[dict[str, str]], str]]


def _messy(rnd: random.Random, value: str, rate: float) -> str:
    r = rnd.random()
    if r < rate / 2:
        return ""  # blank cell
    if r < rate:
        return f" {value} " if rnd.random() < 0.5 else value.upper()
    return value


def _records_table(
    g: _Gen,
    name: str,
    columns: list[Col],
    n: int,
    *,
    header: bool,
    mess: float,
    repeat: float = 0.0,
    id_col: str | None = None,
) -> LabelledTable:
    """Rows of people; `repeat` of them appear twice (a transfer, a second case) with one ID."""
    rnd = g.rnd
    people: list[dict[str, str]] = []
    rows: list[list[str]] = []
    for _ in range(n):
        if people and id_col and rnd.random() < repeat:
            person = dict(rnd.choice(people))
            person["again"] = "1"
        else:
            given, family = g.names(_locales_for(person_kind=name))
            person = {"given": given, "family": family}
            people.append(person)
        row = []
        for key, _h, _label, make in columns:
            if key not in person or key in _PER_ROW:
                person[key] = make(person)
            v = person[key]
            blankable = key != id_col and key not in ("name", "family")
            row.append(_messy(rnd, v, mess) if blankable else v)
        rows.append(row)
    hdr = [h for _k, h, _l, _m in columns]
    return LabelledTable(
        name=name,
        header=hdr if header else None,
        rows=rows,
        labels=[lab for _k, _h, lab, _m in columns],
        people=len(people),
    )


#: values that change from one row of the same person to the next
_PER_ROW = {"facility", "status", "bookin", "estado", "centro"}


def _locales_for(person_kind: str) -> tuple[str, ...]:
    if "detention" in person_kind or "es_" in person_kind:
        return ("es_MX", "es_ES", "pt_BR", "en_US", "fr_FR", "tr_TR")
    if "uk" in person_kind:
        return ("en_GB", "en_GB", "en_GB", "pl_PL", "it_IT")
    return LOCALES


def records_tables(g: _Gen, scale: float) -> list[LabelledTable]:
    rnd = g.rnd

    def n(lo: int, hi: int) -> int:
        return max(12, int(rnd.randrange(lo, hi) * scale))

    out: list[LabelledTable] = []
    for i in range(4):
        a_style = ["A", "plain", "dash", "A"][i]
        name_style = ["plain", "upper_last", "last_first", "double"][i]
        dfmt = ["us", "iso", "us0", "long"][i]
        cols: list[Col] = [
            ("name", "Name", "PERSON", lambda p, s=name_style: _name(g, p, s)),
            ("dob", "Date of Birth", "DATE_OF_BIRTH", lambda p, f=dfmt: g.dob(f)),
            (
                "nat",
                "Country of Citizenship" if i % 2 == 0 else "Nationality",
                "NATIONALITY",
                lambda p, i=i: rnd.choice(COUNTRIES if i % 2 == 0 else DEMONYMS),
            ),
            ("anum", "A-Number" if i != 2 else "Alien #", "A_NUMBER",
             lambda p, s=a_style: g.a_number(s)),
            ("facility", "Detention Facility", None, lambda p: rnd.choice(FACILITIES)),
            ("status", "Case Status", None, lambda p: rnd.choice(STATUSES)),
            ("bookin", "Book-In Date", None, lambda p, f=dfmt: g.other_date(f)),
        ]  # fmt: skip
        out.append(
            _records_table(
                g,
                f"detention records {i + 1}",
                cols,
                n(150, 600),
                header=i != 3,
                mess=0.03 * i,
                repeat=0.03,
                id_col="anum",
            )
        )
    # Spanish headers
    for i in range(2):
        cols = [
            ("name", "Nombre completo", "PERSON", lambda p: _name(g, p, "plain")),
            ("dob", "Fecha de nacimiento", "DATE_OF_BIRTH", lambda p: g.dob("eu")),
            ("nat", "Nacionalidad", "NATIONALITY", lambda p: rnd.choice(PAISES)),
            ("anum", "Número A", "A_NUMBER", lambda p: g.a_number("A")),
            ("centro", "Centro de detención", None, lambda p: rnd.choice(FACILITIES)),
            ("estado", "Estado del caso", None, lambda p: rnd.choice(ESTADOS)),
            ("phone", "Teléfono", "PHONE_NUMBER", lambda p: g.phone(("es_MX", "es_ES"))),
        ]
        out.append(
            _records_table(
                g, f"es_ detention expedientes {i + 1}", cols, n(100, 400), header=True, mess=0.02,
                repeat=0.02, id_col="anum",
            )
        )  # fmt: skip
    # split given / family names, police officers (no ID numbers; shared surnames)
    cols = [
        ("family", "Surname", "PERSON", lambda p: p["family"].upper()),
        ("given", "Forename", "PERSON", lambda p: p["given"]),
        ("rank", "Rank", None, lambda p: rnd.choice(RANKS)),
        ("unit", "Unit", None, lambda p: rnd.choice(UNITS)),
        ("phone", "Direct line", "PHONE_NUMBER", lambda p: g.phone(("en_GB",))),
    ]
    out.append(_records_table(g, "uk officers", cols, n(300, 900), header=True, mess=0.0))
    # HR export
    for i in range(2):
        cols = [
            ("name", "Employee Name", "PERSON", lambda p: _name(g, p, "middle")),
            ("ssn", "SSN", "US_SSN", lambda p, i=i: g.ssn("plain" if i else "dash")),
            ("dob", "DOB", "DATE_OF_BIRTH", lambda p: g.dob("us0")),
            ("email", "Personal Email", "EMAIL_ADDRESS",
             lambda p: g.email(p["given"], p["family"])),
            ("phone", "Home Phone", "PHONE_NUMBER", lambda p: g.phone(("en_US",))),
            ("addr", "Home Address", "STREET_ADDRESS",
             lambda p, i=i: g.address(("en_US",), full=bool(i))),
            ("dept", "Department", None, lambda p: rnd.choice(DEPARTMENTS)),
            ("salary", "Salary", None, lambda p: f"{rnd.randrange(28, 140) * 1000:,}"),
            ("start", "Start Date", None, lambda p: g.other_date("us0")),
        ]  # fmt: skip
        out.append(
            _records_table(
                g, f"hr export {i + 1}", cols, n(100, 500), header=True, mess=0.02,
                repeat=0.02, id_col="ssn",
            )
        )  # fmt: skip
    # victims and witnesses register
    cols = [
        ("name", "Victim / witness", "PERSON", lambda p: _name(g, p, "plain")),
        ("role", "Role", None, lambda p: rnd.choice(["Victim", "Witness", "Witness", "Victim"])),
        ("addr", "Address", "STREET_ADDRESS", lambda p: g.address(("en_GB",), full=True)),
        ("phone", "Contact number", "PHONE_NUMBER", lambda p: g.phone(("en_GB",))),
        ("crime", "Crime ref", None, lambda p: f"CR/{rnd.randrange(10000, 99999)}/22"),
    ]
    out.append(_records_table(g, "uk victims register", cols, n(80, 300), header=True, mess=0.03))
    # contact list, Spanish
    cols = [
        ("given", "Nombre", "PERSON", lambda p: p["given"]),
        ("family", "Apellidos", "PERSON", lambda p: p["family"]),
        ("email", "Correo electrónico", "EMAIL_ADDRESS",
         lambda p: g.email(p["given"], p["family"])),
        ("phone", "Móvil", "PHONE_NUMBER", lambda p: g.phone(("es_ES", "es_MX"))),
        ("addr", "Domicilio", "STREET_ADDRESS",
         lambda p: g.address(("es_ES", "es_MX"), full=False)),
    ]  # fmt: skip
    out.append(_records_table(g, "es_ contactos", cols, n(80, 300), header=True, mess=0.02))
    # headerless exports
    cols = [
        ("anum", "", "A_NUMBER", lambda p: g.a_number("A")),
        ("name", "", "PERSON", lambda p: _name(g, p, "upper_last")),
        ("dob", "", "DATE_OF_BIRTH", lambda p: g.dob("us")),
        ("nat", "", "NATIONALITY", lambda p: rnd.choice(COUNTRIES)),
        ("facility", "", None, lambda p: rnd.choice(FACILITIES)),
    ]
    out.append(_records_table(g, "detention headerless", cols, n(200, 500), header=False, mess=0))
    cols = [
        ("name", "", "PERSON", lambda p: _name(g, p, "plain")),
        ("email", "", "EMAIL_ADDRESS", lambda p: g.email(p["given"], p["family"])),
        ("phone", "", "PHONE_NUMBER", lambda p: g.phone(("en_US",))),
        ("ssn", "", "US_SSN", lambda p: g.ssn("dash")),
    ]
    out.append(
        _records_table(
            g, "contacts headerless", cols, n(100, 300), header=False, mess=0, id_col="ssn"
        )
    )
    return out


def _name(g: _Gen, p: dict[str, str], style: str) -> str:
    given, family = p["given"], p["family"]
    if style == "upper_last":
        return f"{family.upper()}, {given}"
    if style == "last_first":
        return f"{family}, {given}"
    if style == "middle":
        return f"{given} {g.rnd.choice('ABCDEFGHJKLMNPRSTW')}. {family}"
    if style == "double":
        return f"{given} {family} {g.names(('es_MX', 'es_ES'))[1]}"
    return f"{given} {family}"


def clean_tables(g: _Gen, scale: float) -> list[LabelledTable]:
    """Tables that hold no one's personal data (the switchboard directory holds phone numbers)."""
    rnd = g.rnd
    out: list[LabelledTable] = []

    def add(name: str, header: list[str], rows: list[list[str]], labels: list[str | None]) -> None:
        out.append(LabelledTable(name, header, rows, labels, people=0, kind="clean"))

    rows = []
    for c in COUNTRIES:
        d = rnd.randrange(5, 4000)
        rows.append([c, str(d), f"{d / 200:.1f}%", str(rnd.randrange(1, 300))])
    add(
        "detention by citizenship",
        ["Country of Citizenship", "Detained", "Share", "Removed"],
        rows,
        [None] * 4,
    )
    rows = [
        [f, rnd.choice(["TX", "CA", "GA", "AZ", "NM"]), str(rnd.randrange(100, 2000)),
         f"{rnd.random() * 60:.1f}"]
        for f in FACILITIES
    ]  # fmt: skip
    add("facility population", ["Facility", "State", "ADP", "ALOS"], rows, [None] * 4)
    rows = []
    for _ in range(max(20, int(200 * scale))):
        rows.append(
            [
                f"{rnd.randrange(100000, 999999)}",
                rnd.choice(["Stapler", "Toner cartridge", "A4 paper", "Desk lamp", "Chair"]),
                f"{rnd.randrange(1, 500)}",
                f"{rnd.random() * 300:.2f}",
                g.other_date("iso"),
            ]
        )
    add("stock list", ["SKU", "Item", "Qty", "Unit price", "Ordered"], rows, [None] * 5)
    rows = []
    for f in FACILITIES:
        fk = g.fakers["en_US"]
        rows.append([f, str(fk.street_address()), fk.city(), str(fk.phone_number())])
    add(
        "facility directory",
        ["Facility", "Street", "City", "Switchboard"],
        rows,
        [None, "STREET_ADDRESS", None, "PHONE_NUMBER"],
    )
    rows = []
    for y in range(2010, 2023):
        for m in ("Q1", "Q2", "Q3", "Q4"):
            rows.append([str(y), m, str(rnd.randrange(1000, 99999)), str(rnd.randrange(10, 900))])
    add("quarterly totals", ["Year", "Quarter", "Applications", "Grants"], rows, [None] * 4)
    rows = []
    for _ in range(max(20, int(120 * scale))):
        rows.append(
            [
                f"PO-{rnd.randrange(10**7, 10**8)}",
                g.other_date("us0"),
                rnd.choice(DEPARTMENTS),
                f"{rnd.randrange(100, 99999)}.{rnd.randrange(0, 99):02d}",
                g.fakers["en_US"].company(),
            ]
        )
    add(
        "spend over 500",
        ["Reference", "Date paid", "Department", "Amount", "Supplier"],
        rows,
        [None] * 5,
    )
    rows = [[c, str(rnd.randrange(0, 500)), str(rnd.randrange(0, 500))] for c in PAISES]
    add("es_ solicitudes por país", ["País", "Solicitudes", "Concedidas"], rows, [None] * 3)
    rows = []
    for _ in range(max(20, int(150 * scale))):
        rows.append(
            [
                str(rnd.randrange(10**8, 10**9)),  # nine digits, like an A-number, but a case ID
                rnd.choice(["Open", "Closed", "Referred"]),
                g.other_date("iso"),
                rnd.choice(UNITS),
            ]
        )
    add("incident log", ["Incident number", "Status", "Opened", "Team"], rows, [None] * 4)
    return out


#: column kinds for the randomised tables: header variants (English and Spanish), label
HEADERS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "name": (
        ("Name", "Full Name", "Detainee Name", "Client", "Applicant", "Employee", "Resident",
         "Officer name", "Contact", "Nombre", "Nombre y apellidos", "Solicitante", "NAME"),
        "PERSON",
    ),
    "dob": (
        ("Date of Birth", "DOB", "Birth Date", "D.O.B.", "Birthdate", "Fecha de nacimiento",
         "Fecha Nac.", "BIRTH_DT"),
        "DATE_OF_BIRTH",
    ),
    "nat": (
        ("Nationality", "Citizenship", "Country of Citizenship", "Nacionalidad",
         "País de nacionalidad", "Citizenship Country"),
        "NATIONALITY",
    ),
    "anum": (
        ("A-Number", "A Number", "Alien Number", "A#", "Alien Registration Number", "Número A",
         "A_NUMBER"),
        "A_NUMBER",
    ),
    "ssn": (
        ("SSN", "Social Security Number", "SS#", "Social Security No.", "SOC_SEC_NO"),
        "US_SSN",
    ),
    "phone": (
        ("Phone", "Telephone", "Mobile", "Cell", "Home Phone", "Contact number", "Teléfono",
         "Tel.", "Phone Number"),
        "PHONE_NUMBER",
    ),
    "email": (
        ("Email", "E-mail address", "Personal email", "Correo", "Correo electrónico", "EMAIL_ADDR"),
        "EMAIL_ADDRESS",
    ),
    "addr": (
        ("Address", "Home Address", "Street Address", "Residential address", "Domicilio",
         "Dirección", "Mailing Address"),
        "STREET_ADDRESS",
    ),
    "facility": (("Facility", "Centro", "Location"), None),
    "status": (("Status", "Case Status", "Estado"), None),
    "event": (("Book-in date", "Date received", "Fecha de ingreso", "Hearing date"), None),
    "dept": (("Department", "Team", "Unit"), None),
    "amount": (("Amount", "Salary", "Fee paid"), None),
    "ref": (("Case number", "Reference", "Expediente"), None),
}  # fmt: skip
_SPLIT_NAMES = (
    ("First Name", "Last Name"),
    ("Given name", "Family name"),
    ("Forename", "Surname"),
    ("Nombre", "Apellidos"),
    ("FIRST_NAME", "LAST_NAME"),
)


def _makers(
    g: _Gen, dfmt: str, a_style: str, ssn_style: str, locs: tuple[str, ...], spanish: bool
) -> dict[str, Callable[[dict[str, str]], str]]:
    rnd = g.rnd
    return {
        "dob": lambda p: g.dob(dfmt),
        "nat": lambda p: rnd.choice(PAISES if spanish else rnd.choice([COUNTRIES, DEMONYMS])),
        "anum": lambda p: g.a_number(a_style),
        "ssn": lambda p: g.ssn(ssn_style),
        "phone": lambda p: g.phone(locs),
        "email": lambda p: g.email(p["given"], p["family"]),
        "addr": lambda p: g.address(locs, full=rnd.random() < 0.4),
        "facility": lambda p: rnd.choice(FACILITIES),
        "status": lambda p: rnd.choice(ESTADOS if spanish else STATUSES),
        "event": lambda p: g.other_date(dfmt),
        "dept": lambda p: rnd.choice(DEPARTMENTS),
        "amount": lambda p: f"{rnd.randrange(100, 90000):,}",
        "ref": lambda p: f"{rnd.randrange(10**5, 10**7)}",
    }


def random_tables(g: _Gen, count: int, scale: float) -> list[LabelledTable]:
    """Tables with randomly chosen columns, header wording, order, formats and mess."""
    rnd = g.rnd
    out = []
    pool = ["dob", "nat", "anum", "ssn", "phone", "email", "addr"]
    others = ["facility", "status", "event", "dept", "amount", "ref"]
    for i in range(count):
        keys = rnd.sample(pool, rnd.randrange(1, 5)) + rnd.sample(others, rnd.randrange(0, 3))
        split = rnd.random() < 0.25
        name_style = rnd.choice(["plain", "plain", "upper_last", "last_first", "middle", "double"])
        dfmt = rnd.choice(["us", "us0", "iso", "eu", "long", "month"])
        a_style = rnd.choice(["A", "A", "plain", "dash", "space"])
        ssn_style = rnd.choice(["dash", "dash", "plain"])
        locs = rnd.choice([("en_US",), ("es_MX", "es_ES"), ("en_GB",), LOCALES])
        spanish = locs == ("es_MX", "es_ES")
        has_header = rnd.random() > 0.15
        if not has_header:
            # Without a header, a column of bare nine-digit numbers could be A-numbers, Social
            # Security numbers or case numbers: no one can label it, so IDs keep their own forms.
            a_style = "A" if a_style in ("plain", "space") else a_style
            ssn_style = "dash"
        cols: list[Col] = []
        if split:
            first, last = rnd.choice(_SPLIT_NAMES)
            cols.append(("given", first, "PERSON", lambda p: p["given"]))
            cols.append(("family", last, "PERSON", lambda p: p["family"]))
        else:
            header = rnd.choice(HEADERS["name"][0])
            cols.append(("name", header, "PERSON", lambda p, s=name_style: _name(g, p, s)))
        makers = _makers(g, dfmt, a_style, ssn_style, locs, spanish)
        for k in keys:
            variants, label = HEADERS[k]
            cols.append((k, rnd.choice(variants), label, makers[k]))
        order = cols[:2] if split else cols[:1]
        rest = cols[len(order) :]
        rnd.shuffle(rest)
        cols = order + rest if rnd.random() < 0.7 else rest + order
        id_col = "anum" if "anum" in keys else ("ssn" if "ssn" in keys else None)
        out.append(
            _records_table(
                g,
                f"random {i + 1}",
                cols,
                max(12, int(rnd.randrange(30, 250) * scale)),
                header=has_header,
                mess=rnd.choice([0.0, 0.0, 0.02, 0.05]),
                repeat=0.03 if id_col else 0.0,
                id_col=id_col,
            )
        )
    return out


def build(seed: int = 7, scale: float = 1.0, random_count: int = 80) -> list[LabelledTable]:
    g = _Gen(seed)
    return (
        records_tables(g, scale)
        + random_tables(g, max(4, int(random_count * min(1.0, scale * 2))), scale)
        + clean_tables(g, scale)
    )
