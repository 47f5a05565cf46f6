"""People's names and nationalities, with no model and nothing downloaded at run time.

Why a dictionary and rules rather than an NER model: spillguard must run offline, fast, on
samples of many spreadsheet columns, and explain every finding. The shipped dictionary (US Census
2010 surnames, SSA and Tzioumis given names: see docs/NAMES.md) holds about 95,000 given names
and 162,000 surnames from every region that has migrated to the US, with a frequency bucket per
name and a flag for names that are also common words ("Will", "May", "Rose", "Guerra").

Two entry points per entity:

* `PersonDetector` / `NationalityDetector` find spans in prose (and in a cell when the column
  header is passed as context);
* `name_cell_score` / `nationality_cell_score` say how much one short cell value looks like a
  name or a nationality, for the column engine that judges whole columns from samples.

Explanations never quote the value: they name the rule and the context.
"""

from __future__ import annotations

import gzip
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spillguard.detectors.base import Match
from spillguard.errors import SpillguardError

_FOLD_MAP = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
        "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D",
        "’": "'", "ʼ": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lookup key of a word: case-folded, accents stripped ("José", "JOSE", "Jose" -> "jose")."""
    if text.isascii() and "`" not in text:
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _key(word: str) -> str:
    """Dictionary key: the folded word with everything but a-z removed ("O'Brien" -> "obrien")."""
    return "".join(ch for ch in fold(word) if "a" <= ch <= "z")


# --------------------------------------------------------------------------------------------
# Shipped data


@dataclass(frozen=True, slots=True)
class _Lexicon:
    #: key -> frequency bucket 0..9, plus 10 when the name is also a common word
    given: _Codes
    surnames: _Codes


class _Codes:
    """Name -> code, decoded on look-up: building 257,000 ints at start-up cost 50 ms of every
    CLI run; look-ups are far fewer."""

    __slots__ = ("_raw",)

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw

    def get(self, key: str) -> int | None:
        code = self._raw.get(key)
        if code is None:
            return None
        return int(code[0]) + (10 if code.endswith("w") else 0)

    def __len__(self) -> int:
        return len(self._raw)


def _read_data(name: str) -> bytes:
    try:
        return resources.files("spillguard.data").joinpath(name).read_bytes()
    except FileNotFoundError as exc:
        raise SpillguardError(
            f"the shipped data file {name} is missing from the spillguard package; "
            "reinstall spillguard or run scripts/build_name_data.py"
        ) from exc


def _read_names(name: str) -> _Codes:
    lines = gzip.decompress(_read_data(name)).decode("ascii").splitlines()
    return _Codes(dict(line.split("\t", 1) for line in lines if "\t" in line))


@cache
def _lexicon() -> _Lexicon:
    """Loaded once, on first use (about 0.3 s), so importing spillguard stays cheap."""
    return _Lexicon(_read_names("given_names.tsv.gz"), _read_names("surnames.tsv.gz"))


def _weight(code: int | None) -> float:
    """How strongly a dictionary hit says "name": frequent names count more, words less."""
    if code is None:
        return 0.0
    weight = 0.55 + 0.05 * (code % 10)
    return weight * 0.5 if code >= 10 else weight


# Surname endings that mark a family name in Eastern Europe, the Caucasus, Greece, Turkey and
# Romania. Rules, not data: they let names the US lists miss ("Tkachenko") still count a little.
_SURNAME_ENDINGS = (
    "enko", "chuk", "czuk", "czyk", "chyk", "yuk", "iuk", "ski", "ska", "sky", "skyi", "skaya",
    "wicz", "vich", "vych", "ovic", "evic", "escu", "eanu", "poulos", "opoulou", "idis", "akis",
    "oglu", "shvili", "adze", "yan", "ian", "ova", "eva", "ovna", "yeva", "iev", "ieva",
)  # fmt: skip
#: weight of an unknown token that only has a surname ending
_ENDING_WEIGHT = 0.45
#: weight of an unknown capitalised word standing beside known names
_UNKNOWN_WEIGHT = 0.25


def _token_weights(token: str) -> tuple[float, float]:
    """(given-name weight, surname weight) of one token; hyphenated tokens by their parts."""
    lex = _lexicon()
    key = _key(token)
    if not key:
        return 0.0, 0.0
    g = _weight(lex.given.get(key))
    s = _weight(lex.surnames.get(key))
    if g == 0.0 and s == 0.0 and ("-" in token or "'" in fold(token)):
        parts = [p for p in re.split(r"[-']", fold(token)) if len(p) >= 2]
        if parts:
            both = [_token_weights(p) for p in parts]
            best = [max(pg, ps) for pg, ps in both]
            if min(best) > 0:
                g = s = sum(best) / len(best)
            elif max(best) > 0:
                g = s = 0.5 * sum(best) / len(best)
    if s == 0.0 and len(key) >= 5 and key.endswith(_SURNAME_ENDINGS):
        s = _ENDING_WEIGHT
    return g, s


# --------------------------------------------------------------------------------------------
# Word lists (compiled by hand: vocabulary, not people)

#: lower-case joining words inside names
_PARTICLES = frozenset(
    "de da del della dei di do dos das du la le van von der den ter ten bin binti ibn bint al el "
    "y e ben ould abu ap mac st".split()
)
#: titles and roles that announce a name (also accepted with a trailing dot)
_TITLES = frozenset(
    "mr mrs ms miss mx dr prof sir dame madam madame mme mlle m sr sra srta don dona senor senora "
    "senorita sres monsieur herr frau pan pani rev fr hon judge officer agent detainee detenido "
    "detenida inmate mister secretary director senator governor president mayor".split()
)
#: words that, said near a span, make it a person's name
_CONTEXT_WORDS = frozenset(
    "name names named nombre nombres apellido apellidos nom prenom detainee detainees detenido "
    "detenida detenidos inmate inmates migrant migrante applicant solicitante alias aka nee "
    "identified known called son daughter hijo hija wife husband esposa esposo mother father "
    "madre padre brother sister hermano hermana client cliente petitioner respondent "
    "beneficiary beneficiario victim victima witness testigo deceased fallecido".split()
)
#: generational suffixes, ignored when scoring
_SUFFIXES = frozenset("jr jr. sr. ii iii iv junior".split())
#: words that make a capitalised phrase an organisation, facility, document part or statistic
_ORG_WORDS = frozenset(
    """
    department dept office offices agency administration bureau service services commission
    committee council court courts district division branch unit section federal national
    government ministry police sheriff program programme project report act law policy table
    figure chapter appendix annex total totals subtotal grand sum average mean median number
    count data statistics statistic fiscal year quarter month monthly annual daily weekly
    detention detained detainees processing center centre facility facilities jail prison
    correctional correction corrections institution hospital clinic school university college
    institute academy foundation association society church company corporation corp inc llc
    ltd plc co group holdings bank trust fund partners solutions systems technologies
    international global street avenue ave road boulevard blvd lane highway route county parish
    city town village township region province state states united republic kingdom america
    american security homeland enforcement immigration customs border protection patrol
    citizenship naturalization asylum refugee refugees removal removals release releases
    released book booked bookins bookouts arrests arrest encounters apprehensions population
    airport station square building tower hall headquarters staff team board house senate
    congress parliament embassy consulate elementary garden gardens
    authority authorities council management operations operation intelligence defense defence
    justice health human homeland labor labour commerce treasury energy education transportation
    chief deputy acting assistant commissioner officers agents
    press release news update notice summary overview contents introduction conclusion
    average adp alos fy cy ytd ice cbp uscis dhs doj eoir ero hsi usa us uk eu un
    estado estados municipio departamento centro calle avenida oficina ministerio secretaria
    servicio servicios escuela universidad instituto gobierno policia total programa informe
    tabla cuadro anexo resumen seccion nacional federal migracion migratoria aduanas frontera
    detencion procesamiento condado ciudad region provincia republica reino unidos unida unido
    january february march september october november december
    monday tuesday wednesday thursday friday saturday sunday
    enero febrero marzo junio agosto septiembre setiembre octubre noviembre diciembre
    lunes martes miercoles jueves viernes sabado
    male female men women adults adult juveniles juvenile children minors family families
    unknown other others none yes pending active closed open granted denied approved
    sons brothers bros associates asociados hermanos hijos sucesores fils irmaos filhos cia
    industrias industries corporacion corporation compania sociedad grupo consulting
    """.split()
)
#: street-type words (after USPS Publication 28); they end a street name, so a candidate whose
#: last word is one of them is a street, unless that word is itself a frequent surname (Park)
_STREET_TYPES = frozenset(
    """
    alley annex arcade avenue bayou beach bend bluff bluffs bottom boulevard bridge brook brooks
    burg burgs bypass camp canyon cape causeway circle circles cliff cliffs club common commons
    corner corners course court courts cove coves creek crescent crest crossing crossroad curve
    dale dam divide drive drives estate estates expressway extension falls ferry field fields
    flat flats ford fords forest forge forges fork forks freeway garden gardens gateway glen
    glens green greens grove groves harbor harbors haven heights highway hill hills hollow inlet
    island islands isle junction junctions key keys knoll knolls lake lakes landing lane light
    lights loaf lock locks lodge loop mall manor manors meadow meadows mews mill mills mission
    motorway mountain mountains neck orchard oval overpass park parks parkway parkways pass
    passage path pike pine pines place plain plains plaza point points port ports prairie radial
    ramp ranch rapid rapids rest ridge ridges river road roads route row run shoal shoals shore
    shores skyway spring springs spur spurs square squares station stravenue stream street
    streets summit terrace throughway trace track trafficway trail trailer tunnel turnpike
    underpass union unions valley valleys viaduct view views village villages ville vista walk
    walks wall way ways well wells
    """.split()
)
_COMPANY_SUFFIX = re.compile(
    r"(?:^|[\s,])(?:s\.?\s?a\.?(?:\s?de\s?c\.?\s?v\.?)?|s\.?\s?l\.?(?:\s?[nu]\.?(?:\s?e\.?)?)?|"
    r"s\.?\s?c\.?|a\.?\s?c\.?|s\.?\s?a\.?\s?r\.?\s?l\.?|s\.?\s?a\.?\s?s\.?|s\.?\s?r\.?\s?l\.?|"
    r"ltda|gmbh|inc|llc|ltd|plc|l\.?l\.?c\.?|co\.|corp\.?|me|eireli|s/a|&)\.?(?=$|[\s,.])",
    re.IGNORECASE,
)
_FRENCH_PLACE = re.compile(
    r"-(?:sur|sous|la|le|les|en|lès|de|du|des|aux|au|d'[a-z]+)-", re.IGNORECASE
)
_CONJUNCTION = re.compile(r"\s(?:and|und|et|e|&)\s", re.IGNORECASE)
#: tokens that make a capitalised phrase a place
_PLACE_WORDS = frozenset(
    """
    port fort mount mt lake saint sainte san santa santo sao north south east west northern southern
    eastern western central new upper lower valley springs beach island islands bay hills
    heights river falls harbor harbour creek point isle coast gulf sierra puerto ciudad villa
    los las montana cerro laguna lago llano valle playa rue chemin allee impasse quai avenida
    calzada paseo ronda camino alameda vial travesia callejon carrera rua estrada travessa
    nueva nuevo
    """.split()
)
#: places whose words are ordinary names or not in the lists above (folded, space-separated)
_PLACES = frozenset(
    place.strip()
    for place in """
    el paso|otay mesa|port isabel|eloy|tacoma|adelanto|krome|dilley|karnes|
    pearsall|jena|tornillo|conroe|laredo|harlingen|brownsville|mcallen|houston|dallas|miami|
    phoenix|tucson|denver|atlanta|chicago|detroit|boston|seattle|portland|san diego|los angeles|
    new york|new jersey|new mexico|washington|baltimore|philadelphia|orlando|tampa|austin|
    san antonio|buffalo|batavia|newark|york|louisiana|texas|arizona|california|florida|
    georgia|virginia|carolina|dakota|montana|nevada|oregon|utah|idaho|alabama|alaska|arkansas|
    colorado|connecticut|delaware|hawaii|illinois|indiana|iowa|kansas|kentucky|maine|maryland|
    massachusetts|michigan|minnesota|mississippi|missouri|nebraska|new hampshire|ohio|oklahoma|
    pennsylvania|rhode island|tennessee|vermont|wisconsin|wyoming|puerto rico|guam|
    tijuana|juarez|ciudad juarez|matamoros|reynosa|nogales|mexicali|monterrey|guadalajara|
    tegucigalpa|san pedro sula|san salvador|managua|bogota|caracas|lima|quito|la paz|santiago|
    buenos aires|port au prince|santo domingo|havana|la habana|kingston|kabul|lagos|accra|
    addis ababa|nairobi|dakar|dhaka|delhi|new delhi|mumbai|karachi|manila|hanoi|beijing|
    kyiv|kiev|moscow|warsaw|bucharest|london|paris|madrid|berlin|rome|chad|georgia|
    israel|jamaica|columbia|savannah|hong kong|jan mayen|homeland security|grand total|
    total detained|detention center|processing center
    """.split("|")
)


# --------------------------------------------------------------------------------------------
# Person names


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    #: the word folded for look-ups, without a trailing dot
    folded: str


# a word: letters, inner apostrophes and hyphens, and a trailing dot for initials and titles
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’`](?=[^\W\d_])|-(?=[^\W\d_]))*\.?")
# what may stand between two words of one name: spaces, or a comma for "SURNAME, Given"
_GAP = re.compile(r"^(?:[ \t\u00a0]{1,3}|,[ \t\u00a0]{1,3})$")


def _is_cap(word: str) -> bool:
    """Title Case ("López", "McDonald", "O'Brien") or ALL CAPS ("LOPEZ")."""
    return word[:1].isupper()


def _is_allcaps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[:1].isupper()


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    known: int
    total: int
    order: str  # "given-first", "surname-first" or ""


def _score_name(words: Sequence[str], *, surname_first: bool = False) -> _Scored:
    """Score the main words of a candidate name (particles, titles, initials already removed).

    Why this shape: a full name is mostly known words, with a given name first and a surname
    last (or the reverse, in East Asian order and "SURNAME, Given" lists). One unknown word in
    three is common for rare or newly transliterated names and must not sink the score.
    """
    n = len(words)
    if n == 0:
        return _Scored(0.0, 0, 0, "")
    weights = [_token_weights(w) for w in words]
    best = [max(g, s) for g, s in weights]
    known = sum(1 for b in best if b > 0)
    if known == 0:
        return _Scored(0.0, 0, n, "")
    # an unknown word beside known names is probably a rarer name: it counts a little
    shaped = [
        b if b > 0 else (_UNKNOWN_WEIGHT if len(_key(w)) >= 3 else 0.0)
        for b, w in zip(best, words, strict=True)
    ]
    mean = sum(shaped) / n
    first_g, first_s = weights[0]
    last_g, last_s = weights[-1]
    order = ""
    bonus = 0.0
    if n >= 2:
        if surname_first and first_s > 0 and last_g > 0:
            order, bonus = "surname-first", 0.12
        elif first_g > 0 and last_s > 0:
            order, bonus = "given-first", 0.12
        elif first_s > 0 and last_g > 0:
            order, bonus = "surname-first", 0.08
        elif first_g >= 0.7 or last_s >= 0.7:
            bonus = 0.06
    score = 0.2 + 0.65 * mean + bonus
    if n >= 2 and known == 1:
        score = min(score, 0.6)
    return _Scored(min(score, 0.97), known, n, order)


def _is_place(words: Sequence[str]) -> bool:
    joined = " ".join(fold(w).rstrip(".") for w in words)
    if joined in _PLACES or joined in _countries().by_name:
        return True
    if any(_FRENCH_PLACE.search(w) for w in words):
        return True  # "Merle-la-Forêt", "Hebert-sur-Lucas": French commune names
    if (
        len(words) >= 2
        and fold(words[-1]).rstrip(".,") in _countries().by_name
        and max(_token_weights(words[-1].rstrip(".,"))) == 0
    ):
        return True  # "Terrugem Portugal", "OSLO Norway": a town and its country (not Jordan)
    last = fold(words[-1]).rstrip(".")
    if len(words) >= 2 and last in _STREET_TYPES:
        code = _lexicon().surnames.get(_key(last))
        return code is None or code % 10 <= 4
    return False


def _split_words(value: str) -> list[str]:
    return [m.group(0) for m in _WORD.finditer(value)]


_CELL_ALLOWED = re.compile(r"^[^\W\d_][\w'’`.\- ,\u00a0]*$")


def name_cell_score(value: str) -> float:
    """How much a short cell value looks like a person's name, from 0 to 1.

    Full names ("María Fernanda López Hernández", "LOPEZ, Maria", "Nguyen Van Thanh") score
    0.6-0.97; a single common given name or surname ("Maria", "Okonkwo") about 0.5-0.6; places,
    organisations, statistics labels, dates and codes score near 0. Fast: dictionary look-ups
    only, for the column engine that runs it on samples of every column.
    """
    text = value.strip()
    if not 2 <= len(text) <= 80 or not _CELL_ALLOWED.match(text):
        return 0.0
    if any(c.isdigit() for c in text) or _COMPANY_SUFFIX.search(text):
        return 0.0
    if _CONJUNCTION.search(text) or fold(text) in _countries().by_name:
        return 0.0
    surname_first = False
    if text.count(",") == 1:
        left, right = (part.strip() for part in text.split(","))
        if not left or not right:
            return 0.0
        words = _split_words(right) + _split_words(left)
        surname_first = False  # reordered to given-first above
    elif "," in text:
        return 0.0
    else:
        words = _split_words(text)
    main: list[str] = []
    for i, word in enumerate(words):
        low = fold(word).rstrip(".")
        if low in _ORG_WORDS or (low in _PLACE_WORDS and len(words) > 1):
            return 0.0
        if low in _SUFFIXES or _is_initial(word):
            continue
        if low in _PARTICLES and 0 < i < len(words) - 1:
            continue
        if low in _TITLES and i == 0 and len(words) > 1:
            continue
        main.append(word)
    if not main or len(main) > 6 or _is_place(main) or _is_place(words):
        return 0.0
    if len(main) == 1:
        g, s = _token_weights(main[0])
        best = max(g, s)
        return 0.0 if best == 0 else round(min(0.55, 0.1 + 0.5 * best), 3)
    scored = _score_name(main, surname_first=surname_first)
    score = scored.score
    if text == text.lower():
        score *= 0.85  # people's names are rarely written all in lower case
    return round(score, 3)


_SHAPE_WORD = re.compile(r"^[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*$")


def given_name_score(value: str) -> float:
    """How much one cell of one or two words is a given name ("Maria", "Enzo Gabriel")."""
    words = value.split()
    if not 1 <= len(words) <= 2 or not all(_is_cap(w) for w in words):
        return 0.0
    return min(_token_weights(w)[0] for w in words)


def surname_score(value: str) -> float:
    """How much one cell of one to three words is a surname ("Dziób", "de Jesús")."""
    words = [w for w in value.split() if fold(w) not in _PARTICLES]
    if not 1 <= len(words) <= 2 or not all(_is_cap(w) for w in words):
        return 0.0
    return max(max(_token_weights(w)) for w in words)


def name_shape(value: str) -> bool:
    """True when a short value is shaped like a full name: 2-4 capitalised words, none of them an
    organisation, place or statistics word. For text someone hid (white text, unused strings),
    where a name the dictionary does not know should still be found."""
    words = value.split()
    if not 2 <= len(words) <= 4 or len(value) > 60:
        return False
    if fold(value) in _countries().by_name:
        return False
    for w in words:
        if not _SHAPE_WORD.match(w) or not w[0].isupper() or (len(w) > 1 and w.isupper()):
            return False
        low = fold(w)
        if low in _ORG_WORDS or low in _PLACE_WORDS or low in _STOP:
            return False
    return not _is_place(words)


class PersonDetector:
    """Finds people's names in prose and in table cells.

    A candidate is a run of 2-4 capitalised words (with particles such as "de la", "van", "bin",
    hyphens and apostrophes), or "SURNAME, Given". Its confidence comes from how many words are
    known given names or surnames, their order, a title before it (Mr., Sra., Dr.) and name words
    nearby ("nombre", "detainee"); organisation and place words rule a candidate out.
    """

    id = "person-name"
    entities = ("PERSON",)

    #: spans below this confidence are not reported
    threshold = 0.5

    def find(self, text: str, *, context: str = "") -> Iterable[Match]:
        if not text or (not any(c.isupper() for c in text) and not context):
            return []
        if context and _header_says_person(context):
            cell = self._as_cell(text)
            if cell is not None:
                return [cell]
        return list(self._prose(text))

    def _as_cell(self, text: str) -> Match | None:
        stripped = text.strip()
        score = name_cell_score(stripped)
        if score < 0.35:
            return None
        start = text.index(stripped)
        return Match(
            entity="PERSON",
            start=start,
            end=start + len(stripped),
            value=stripped,
            confidence=round(min(0.97, score + 0.25), 3),
            detector=self.id,
            explanation="the column or field is for a person's name and the value is shaped "
            "like a name (known given names or surnames)",
        )

    def _prose(self, text: str) -> Iterator[Match]:
        tokens = [
            _Token(w, m.start(), m.end(), fold(w).rstrip("."))
            for m in _WORD.finditer(text)
            if (w := m.group(0))
        ]
        found: list[Match] = []
        for run in _runs(text, tokens):
            if run[0].start and _after_street_type(text, run[0].start):
                continue  # "Via Carlo Cattaneo", "Rua Augusta": a street named after someone
            match = self._judge(text, run)
            if match is not None:
                found.append(match)
        found.extend(_single_names(text, tokens, found))
        found.sort(key=lambda m: m.start)
        yield from found

    def _judge(self, text: str, run: list[_Token]) -> Match | None:
        # titles in front add confidence and are not part of the name
        title = False
        while run and run[0].folded in _TITLES and len(run) > 1:
            title = True
            run = run[1:]
        while run and run[-1].folded in _SUFFIXES:
            run = run[:-1]
        while run and run[-1].folded in _PARTICLES:
            run = run[:-1]
        if not run:
            return None
        comma_at = _comma_split(text, run)
        main = [
            t
            for i, t in enumerate(run)
            if not _is_initial(t.text)
            and (t.folded not in _PARTICLES or (i == 0 and _is_cap(t.text)))
        ]
        if not main or len(main) > 4:
            return None
        if len(main) == 1 and not title:
            return None
        words = [t.text for t in main]
        if _is_place(words):
            return None
        allcaps = all(_is_allcaps(w) for w in words)
        if comma_at is not None:
            # "LOPEZ HERNANDEZ, Maria Fernanda": score in given-first order
            left = [t.text for t in main if t.start < comma_at]
            right = [t.text for t in main if t.start > comma_at]
            if not left or not right or not all(_is_allcaps(w) for w in left):
                return None
            scored = _score_name(right + left)
            why = "written as 'SURNAME, Given'"
        else:
            scored = _score_name(words)
            why = ""
        if len(main) == 1:
            g, s = _token_weights(words[0])
            scored = _Scored(0.3 + 0.5 * max(g, s) if max(g, s) else 0.0, 1, 1, "")
        conf = scored.score
        if scored.known == 0:
            return None
        if allcaps and scored.known < scored.total:
            return None  # ALL-CAPS headings need every word to be a known name
        ctx = _context_words(text, run[0].start, run[-1].end)
        if title:
            conf += 0.15
        if ctx:
            conf += 0.1
        conf = min(conf, 0.97)
        if conf < self.threshold:
            return None
        parts = [f"{scored.known} of {scored.total} words are known given names or surnames"]
        if scored.order:
            parts.append(f"in {scored.order} order")
        if why:
            parts.append(why)
        if title:
            parts.append("preceded by a title")
        if ctx:
            parts.append("a word about names or people is nearby")
        start, end = run[0].start, run[-1].end
        if _COMPANY_SUFFIX.search(text[start : end + 16]):
            return None  # "Osorio y Corona S.A." is a company
        return Match(
            entity="PERSON",
            start=start,
            end=end,
            value=text[start:end],
            confidence=round(conf, 3),
            detector=self.id,
            explanation="; ".join(parts),
        )


#: words just before a lone given name or surname that say it is a person's ("Hi Paul", "my
#: name is Sofia", "my kid Jaroslava", "her maiden name is Kristensen")
_CUE_BEFORE = frozenset(
    """hi hello hey dear thanks named called told asked kid son daughter wife husband partner
    brother sister mother father mum mom dad grandson granddaughter nephew niece cousin uncle
    aunt friend boyfriend girlfriend colleague said says tell thanked met""".split()
)
_CUE_BEFORE_PAIRS = frozenset(
    {("name", "is"), ("names", "are"), ("call", "me"), ("calls", "me"), ("thank", "you")}
)
#: words just after a lone name that say it is a person ("Naile said", "Motoko is from")
_CUE_AFTER = frozenset(
    """said says told asked shouted replied wrote explained added smiled laughed whispered gave
    lives lived works worked himself herself""".split()
)
_CUE_AFTER_PAIRS = frozenset(
    {("had", "given"), ("has", "given"), ("was", "born"), ("is", "from"), ("was", "from")}
)
#: what a possessive name owns that makes it a person's ("Sandra's address")
_POSSESSED = frozenset(
    """address name phone number email e-mail daughter son wife husband mother father account
    birthday card passport""".split()
)
_SPEAKER_AFTER = re.compile(r"\A\s?:")
_STRONG_TITLES = frozenset("mr mrs ms miss mx dr prof sr sra srta herr frau mme mlle".split())
_STREET_BEFORE = frozenset(
    "via viale rua rue calle avenida av avda paseo plaza praca largo travessa carrer ul ulica "
    "plac aleja corso piazza strada boulevard bd bvd".split()
)


def _after_street_type(text: str, start: int) -> bool:
    m = re.search(r"([^\W\d_]+)\.?\s+\Z", text[max(0, start - 16) : start])
    return m is not None and fold(m.group(1)) in _STREET_BEFORE


def _single_names(text: str, tokens: Sequence[_Token], found: Sequence[Match]) -> list[Match]:
    """Lone given names and surnames: parts of a full name found in the same text, or a known
    name with a word beside it that says it is a person's."""
    taken = [(m.start, m.end) for m in found]
    parts = {
        fold(w).rstrip(".")
        for m in found
        if " " in m.value.strip()
        for w in _WORD.findall(m.value)
        if len(w.rstrip(".")) >= 3
    }
    out: list[Match] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        first = tok.text[:1]
        if not first.isupper() or (len(tok.text) > 3 and _is_allcaps(tok.text)):
            continue
        low = tok.folded
        in_parts = low in parts
        titled = cue = speaker = listed = False
        if not in_parts:
            # cheap tests first: most capitalised words have no cue around them at all
            prev = tokens[i - 1] if i > 0 and _close(text, tokens[i - 1].end, tok.start) else None
            nxt = (
                tokens[i + 1] if i + 1 < n and _close(text, tok.end, tokens[i + 1].start) else None
            )
            titled = prev is not None and prev.folded in _STRONG_TITLES
            cue = _cued(tokens, i, prev, nxt, text)
            after = text[tok.end : tok.end + 3]
            speaker = bool(_SPEAKER_AFTER.match(after)) and _starts_sentence(text, tok.start)
            listed = (
                i > 0
                and (
                    text[tokens[i - 1].end : tok.start] in _LIST_GAPS
                    or tokens[i - 1].folded in _LIST_JOIN
                )
            ) or (
                i + 1 < n
                and (
                    text[tok.end : tokens[i + 1].start] in _LIST_GAPS
                    or tokens[i + 1].folded in _LIST_JOIN
                )
            )
            if not (titled or cue or speaker or listed):
                continue
        if any(a <= tok.start < b for a, b in taken):
            continue
        if low in _STOP or low in _TITLES or low in _ORG_WORDS or low in _PLACE_WORDS:
            continue
        word = tok.text.rstrip(".")
        if word.endswith(("'s", "’s")):
            word, low = word[:-2], low[:-2]  # "Sandra's address": the name is Sandra
        if len(word) < 2:
            continue
        why = ""
        conf = 0.0
        if in_parts:
            why = "a given name or surname of a person named in full in the same text"
            conf = 0.75
        else:
            g, sn = _token_weights(word)
            known = max(g, sn) > 0 and not _common_word(low)
            if titled and (known or not _dictionary_word(low)):
                why, conf = "a surname after a title", 0.7
            elif known and cue:
                why, conf = (
                    "a known given name or surname, with a word that says it is a person",
                    0.65,
                )
            elif known and speaker:
                why, conf = "a known given name opening a line of dialogue", 0.6
            elif listed and _in_name_list(text, tokens, i):
                why, conf = "one of a list of known given names", 0.6
        if why:
            out.append(
                Match(
                    entity="PERSON",
                    start=tok.start,
                    end=tok.start + len(word),
                    value=word,
                    confidence=conf,
                    detector="person-name",
                    explanation=why,
                )
            )
    return out


def _close(text: str, end: int, start: int) -> bool:
    """Whether two words stand side by side (spaces, or a comma or dot after the first)."""
    gap = text[end:start]
    return len(gap) <= 3 and gap.strip(" ,.") == ""


def _cued(
    tokens: Sequence[_Token], i: int, prev: _Token | None, nxt: _Token | None, text: str
) -> bool:
    if prev is not None:
        if prev.folded in _CUE_BEFORE:
            return True
        if i > 1 and (tokens[i - 2].folded, prev.folded) in _CUE_BEFORE_PAIRS:
            return True
    tok = tokens[i]
    if nxt is not None:
        if tok.folded.endswith(("'s", "’s")):
            return nxt.folded in _POSSESSED
        if nxt.folded in _CUE_AFTER:
            return True
        if i + 2 < len(tokens) and (nxt.folded, tokens[i + 2].folded) in _CUE_AFTER_PAIRS:
            return True
    return False


#: what stands between the members of a list of names
_LIST_GAPS = frozenset({", ", ",", " and ", " or ", " y ", " e ", " et ", " und "})


def _dictionary_word(low: str) -> bool:
    """Whether the name lists mark the word as an ordinary word too ("Will", "Hope")."""
    lex = _lexicon()
    key = _key(low)
    return (lex.given.get(key) or 0) >= 10 or (lex.surnames.get(key) or 0) >= 10


def _in_name_list(text: str, tokens: Sequence[_Token], i: int) -> bool:
    """Whether token `i` stands in a list like "Sulimat, Brian, Susan and Colleen" whose
    members are mostly known given names."""

    def step(j: int, d: int) -> int | None:
        """The next member from token j in direction d, across ", " or " and "."""
        k = j + d
        if not 0 <= k < len(tokens):
            return None
        a, b = (tokens[j], tokens[k]) if d > 0 else (tokens[k], tokens[j])
        gap = text[a.end : b.start]
        if gap in (", ", ","):
            if tokens[k].folded in _LIST_JOIN:  # "Susan, and Colleen"
                return step(k, d)
            return k
        if gap == " " and tokens[k].folded in _LIST_JOIN:
            k2 = k + d
            if 0 <= k2 < len(tokens):
                a, b = (tokens[k], tokens[k2]) if d > 0 else (tokens[k2], tokens[k])
                if text[a.end : b.start] == " ":
                    return k2
        return None

    members = [i]
    for d in (-1, 1):
        at = step(i, d)
        while at is not None and len(members) < 60:
            members.append(at)
            at = step(at, d)
    if len(members) < 3:
        return False
    known = 0
    for m in members:
        t = tokens[m]
        if not _is_cap(t.text) or t.folded in _PLACES or _nat_lookup(t.text) is not None:
            return False  # "Texas, Florida, Georgia and Virginia" are places
        g, _s = _token_weights(t.text.rstrip("."))
        if g > 0:
            known += 1
    return known >= 0.75 * len(members)


_LIST_JOIN = frozenset({"and", "or", "y", "e", "et", "und"})


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence, a line or the text (scans back, no copy)."""
    j = pos - 1
    while j >= 0 and text[j].isspace():
        if text[j] == "\n":
            return True
        j -= 1
    return j < 0 or text[j] in '.!?:;•*-–—"“('


#: capitalised words that start sentences and headings and are never names
_STOP = frozenset(
    """
    the a an this that these those in on at for with by from of and or but if when while after
    before during our your their his her its it we they he she i you there here as to is are was
    were be been not no yes all any each every some per via re fw fwd subject dear hello hi
    el la los las un una en con por para del al y o que se su sus este esta estos estas
    le les des et ou pour avec dans sur par
    """.split()
)


def _runs(text: str, tokens: Sequence[_Token]) -> Iterator[list[_Token]]:
    """Split the token stream into runs of capitalised words that could be one name.

    Organisation words cut a run and drop what came before them ("Joe Corley Processing Center"
    is a facility, not a person); stop words and punctuation cut it too.
    """
    run: list[_Token] = []
    poisoned = False
    for i, tok in enumerate(tokens):
        low = tok.folded
        gap = text[tokens[i - 1].end : tok.start] if i else ""
        if poisoned:
            # the rest of a capitalised phrase that began with a place word is the place
            if gap.strip() == "" and (_is_cap(tok.text) or low in _PARTICLES):
                continue
            poisoned = False
        joined = bool(run) and bool(_GAP.match(gap))
        if joined and "," in gap and not (_is_allcaps(run[-1].text) and _comma_ok(run)):
            joined = False
        if not joined and run:
            yield run
            run = []
        if low in _ORG_WORDS and _is_cap(tok.text):
            run = []  # what came before names the organisation
            continue
        if low in _PARTICLES and run and not _is_allcaps(tok.text):
            run.append(tok)
            continue
        if low in _STOP:
            if run:
                yield run
            run = []
            continue
        if _is_cap(tok.text):
            if low in _PLACE_WORDS:
                run = []
                poisoned = True
                continue
            sentence_start = not run and _starts_sentence(text, tok.start)
            if sentence_start and low not in _TITLES and _common_word(low):
                continue  # "Will", "Hope" opening a sentence are words, not names
            run.append(tok)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _comma_ok(run: Sequence[_Token]) -> bool:
    """Only one comma per name and only after an ALL-CAPS surname part."""
    return all(_is_allcaps(t.text) or t.folded in _PARTICLES for t in run)


def _comma_split(text: str, run: Sequence[_Token]) -> int | None:
    for a, b in itertools.pairwise(run):
        if "," in text[a.end : b.start]:
            return a.end
    return None


def _common_word(low: str) -> bool:
    lex = _lexicon()
    key = _key(low)
    g = lex.given.get(key)
    s = lex.surnames.get(key)
    return (g is None or g >= 10) and (s is None or s >= 10)


def _context_words(text: str, start: int, end: int) -> bool:
    before = fold(text[max(0, start - 40) : start])
    after = fold(text[end : end + 25])
    words = set(re.findall(r"[a-z]+", before)) | set(re.findall(r"[a-z]+", after)[:3])
    return bool(words & _CONTEXT_WORDS)


@cache
def _header_says_person(context: str) -> bool:
    from spillguard.detectors.headers import classify_header

    hints = classify_header(context)
    return bool(hints) and hints[0].entity == "PERSON" and hints[0].weight >= 0.5


# --------------------------------------------------------------------------------------------
# Nationalities


@dataclass(frozen=True, slots=True)
class _Countries:
    #: folded country name -> alpha-2 code
    by_name: dict[str, str]
    #: folded demonym (any gender or number) -> alpha-2 code
    by_demonym: dict[str, str]
    alpha2: frozenset[str]
    alpha3: dict[str, str]
    #: the longest name or demonym, in words, for the prose scanner
    max_words: int
    #: first words of every name and demonym: the prose scanner only looks further after one
    first_words: frozenset[str]


#: well-known short and older forms CLDR does not list (folded)
_EXTRA_COUNTRY_NAMES = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "eeuu": "US", "ee.uu.": "US", "ee. uu.": "US",
    "estados unidos de america": "US", "united states of america": "US", "america": "US",
    "ivory coast": "CI", "burma": "MM", "holland": "NL", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "russian federation": "RU",
    "czech republic": "CZ", "republica checa": "CZ", "kosovo": "XK",
    "democratic republic of the congo": "CD", "republica democratica del congo": "CD",
    "drc": "CD", "republic of the congo": "CG", "south korea": "KR", "north korea": "KP",
    "corea del sur": "KR", "corea del norte": "KP", "viet nam": "VN", "laos": "LA",
    "syria": "SY", "iran": "IR", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "cape verde": "CV", "cabo verde": "CV", "east timor": "TL", "swaziland": "SZ",
    "macedonia": "MK", "turkey": "TR", "turquia": "TR", "haiti": "HT", "mexico": "MX",
}  # fmt: skip
_EXTRA_ALPHA3 = {"XKX": "XK"}


def _spanish_forms(word: str) -> list[str]:
    """Gender and number forms of a Spanish (or Portuguese/French) demonym."""
    forms = [word]
    if word.endswith("o"):
        stem = word[:-1]
        forms += [stem + "a", stem + "os", stem + "as"]
    elif word.endswith("es") or word.endswith(("an", "in", "on")):  # folded "francés" -> "frances"
        forms += [word + "a", word + "es", word + "as"]
    elif word.endswith("e") or word.endswith("i") or word.endswith("a"):
        forms += [word + "s"]
    elif word.endswith("l") or word.endswith("r"):
        forms += [word + "es"]
    return forms


def _english_forms(word: str) -> list[str]:
    forms = [word]
    if not word.endswith(("ese", "ss", "s", "i", "ch", "sh")):
        forms.append(word + "s")
    return forms


@cache
def _countries() -> _Countries:
    by_name: dict[str, str] = {}
    alpha3: dict[str, str] = dict(_EXTRA_ALPHA3)
    alpha2 = {"XK"}
    for line in _read_data("countries.tsv").decode("utf-8").splitlines():
        a2, a3, names = line.split("\t")
        alpha2.add(a2)
        alpha3[a3] = a2
        for name in names.split("|"):
            by_name.setdefault(name, a2)
    for name, a2 in _EXTRA_COUNTRY_NAMES.items():
        by_name.setdefault(name, a2)
    by_demonym: dict[str, str] = {}
    for line in _read_data("demonyms.tsv").decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        a2, english, spanish = ([*line.split("\t"), "", ""])[:3]
        for word in filter(None, (w.strip() for w in english.split(","))):
            for form in _english_forms(fold(word.strip())):
                by_demonym.setdefault(form, a2)
        for word in filter(None, (w.strip() for w in spanish.split(","))):
            for form in _spanish_forms(fold(word.strip())):
                by_demonym.setdefault(form, a2)
    by_demonym.pop("", None)
    keys = [*by_name, *by_demonym]
    longest = max(len(k.split()) for k in keys)
    first = frozenset(k.split()[0] for k in keys)
    return _Countries(by_name, by_demonym, frozenset(alpha2), alpha3, longest, first)


def _nat_lookup(value: str) -> tuple[str, str] | None:
    """(kind, alpha-2) of a whole value: "demonym", "country", "alpha3", "alpha2"."""
    data = _countries()
    folded = " ".join(fold(value).split()).strip(" .,;")
    if folded in data.by_demonym:
        return "demonym", data.by_demonym[folded]
    if folded in data.by_name:
        return "country", data.by_name[folded]
    # "Guatemala (GTM)", "Honduras - HND"
    stripped = re.sub(r"\s*[(\[\-–/]\s*[a-z]{2,3}\s*[)\]]?\s*$", "", folded)
    if stripped != folded and stripped in data.by_name:
        return "country", data.by_name[stripped]
    raw = value.strip()
    if raw.isupper() and raw.isalpha():
        if len(raw) == 3 and raw in data.alpha3:
            return "alpha3", data.alpha3[raw]
        if len(raw) == 2 and raw in data.alpha2:
            return "alpha2", raw
    return None


_NAT_HEADER_ENTITY = "NATIONALITY"


@cache
def _header_says_nationality(header: str) -> bool:
    from spillguard.detectors.headers import classify_header

    hints = classify_header(header)
    return any(h.entity == _NAT_HEADER_ENTITY and h.weight >= 0.5 for h in hints)


_CELL_NAT_SCORES = {"demonym": 0.9, "country": 0.7, "alpha3": 0.45, "alpha2": 0.3}


def nationality_cell_score(value: str, *, header: str = "") -> float:
    """How much a short cell value looks like a nationality, from 0 to 1.

    A demonym ("Guatemalan", "hondureña") scores 0.9; a country name 0.7 (a country column may
    hold places, not people's attributes, so the column engine weighs it with the table); an
    ISO 3166 alpha-3 code 0.45 and alpha-2 code 0.3, because short capitals are often other
    codes. With a nationality header (`header`), every recognised form scores at least 0.9.
    """
    text = value.strip()
    if not 2 <= len(text) <= 60:
        return 0.0
    found = _nat_lookup(text)
    if found is None:
        return 0.0
    score = _CELL_NAT_SCORES[found[0]]
    if header and _header_says_nationality(header):
        score = max(score, 0.9)
    return score


# prose patterns: a person attribute around a country or demonym
_NAT_BEFORE = re.compile(
    r"(?:\b(?:citizen|citizens|national|nationals|native|natives|subject|subjects|"
    r"ciudadano|ciudadana|ciudadanos|ciudadanas|nacional|nacionales|originario|originaria|"
    r"oriundo|oriunda|natural)\s+(?:of|de)(?:\s+the)?|"
    r"\b(?:born|nacido|nacida|nacidos|nee|ne)\s+(?:in|en|a)(?:\s+the)?|"
    r"\b(?:nationality|citizenship|nacionalidad|ciudadania|nationalite|"
    r"country\s+of\s+(?:citizenship|birth|origin|nationality)|"
    r"pais\s+de\s+(?:origen|nacimiento|nacionalidad|ciudadania))\s*(?:is|es|was|:|-|=)?|"
    r"\bde\s+nacionalidad)\s*$"
)
_NAT_AFTER = re.compile(
    r"^\s+(?:national|nationals|citizen|citizens|man|woman|men|women|male|female|boy|girl|"
    r"child|children|minor|minors|migrant|migrants|asylum[- ]seekers?|detainees?|"
    r"family|families|mother|father|national\b|refugees?|applicants?|"
    r"nacional|nacionales|ciudadano|ciudadana|ciudadanos|migrante|migrantes|detenido|"
    r"detenida|solicitante|refugiado|refugiada)\b"
)
_CITIZEN_AFTER = re.compile(r"^\s+(?:citizens?|nationals?)\b")
#: every context word of _NAT_BEFORE/_NAT_AFTER/_CITIZEN_AFTER, as a cheap pre-filter on
#: casefolded text (IGNORECASE makes this alternation ten times slower)
_NAT_ANY = re.compile(
    r"citizen|nation|native|subject|ciudadan|nacional|originari|oriund|natural|born|nacid|"
    r"\bn[ée]e?\b|countr|pa[ií]s|\bm[ae]n\b|wom[ae]n|male|\bboys?\b|girl|child|minor|migrant|"
    r"asylum|detaine|famil|mother|father|refug|applicant|detenid|solicitante|"
    r"\bi am\b|\bi'm\b|\bwe are\b|\bwe're\b|\b(?:he|she) is\b|\bthey are\b|"
    r"\b(?:he|she)'s\b|\bthey're\b",
)
#: a person saying what they are: "I am Italian", "we are proud Latvians"
_SELF_BEFORE = re.compile(
    r"(?:\bi\s+am|\bi'm|\bwe\s+are|\bwe're|\b(?:he|she)\s+is|\b(?:he|she)'s|\bthey\s+are|"
    r"\bthey're)(?:\s+(?:a|an|proud|also|originally|half|fully|both|all))*\s+$"
)
_NAT_WORD = re.compile(r"[^\W\d_]+(?:[.'’-][^\W\d_]+)*\.?")


class NationalityDetector:
    """Finds a person's nationality or citizenship.

    A country name alone is not a nationality (a news release mentions countries): in prose it
    needs a person-attribute context ("a Guatemalan national", "citizen of Honduras",
    "nacionalidad: hondureña"). With a nationality column header as context, a whole cell that
    is a country, demonym or ISO 3166 code is reported.
    """

    id = "nationality"
    entities = ("NATIONALITY",)

    def find(self, text: str, *, context: str = "") -> Iterable[Match]:
        if not text.strip():
            return []
        if context and _header_says_nationality(context):
            stripped = text.strip()
            found = _nat_lookup(stripped)
            if found is not None:
                start = text.index(stripped)
                return [
                    Match(
                        entity="NATIONALITY",
                        start=start,
                        end=start + len(stripped),
                        value=stripped,
                        confidence=0.9 if found[0] in ("demonym", "country") else 0.8,
                        detector=self.id,
                        explanation=f"the column header names a nationality and the value is a "
                        f"{_KIND_LABEL[found[0]]}",
                    )
                ]
        return list(self._prose(text))

    def _prose(self, text: str) -> Iterator[Match]:
        if not _NAT_ANY.search(text.casefold()):
            return  # no word that could make a country a person's nationality
        data = _countries()
        words = list(_NAT_WORD.finditer(text))
        folded = [fold(w.group(0)) for w in words]
        i = 0
        while i < len(words):
            hit = None
            if folded[i] in data.first_words or folded[i].rstrip(".") in data.first_words:
                for n in range(min(data.max_words, len(words) - i), 0, -1):
                    a, b = words[i].start(), words[i + n - 1].end()
                    raw = " ".join(folded[i : i + n])
                    for phrase, end in (
                        (raw, b),
                        (raw.rstrip("."), a + len(text[a:b].rstrip("."))),
                    ):
                        kind = _phrase_kind(data, phrase)
                        if kind == "demonym" or (kind == "country" and text[a:b][:1].isupper()):
                            hit = (a, end, kind, n)
                            break
                    if hit is not None:
                        break
            if hit is None:
                i += 1
                continue
            a, b, kind, n = hit
            before = fold(text[max(0, a - 60) : a])
            after = fold(text[b : b + 30])
            why = ""
            if _NAT_BEFORE.search(before):
                why = "follows a citizenship or nationality phrase"
            elif kind == "demonym" and _SELF_BEFORE.search(before):
                why = "says what a person is ('I am ...', 'we are ...')"
            elif kind == "demonym" and _NAT_AFTER.match(after):
                why = "describes a person (e.g. '... national', '... citizen')"
            elif kind == "country" and _CITIZEN_AFTER.match(after):
                why = "is followed by 'citizen' or 'national'"
            if why:
                yield Match(
                    entity="NATIONALITY",
                    start=a,
                    end=b,
                    value=text[a:b],
                    confidence=0.85 if kind == "demonym" else 0.8,
                    detector=self.id,
                    explanation=f"a {_KIND_LABEL[kind or 'country']} that {why}",
                )
            i += n


def _phrase_kind(data: _Countries, phrase: str) -> str | None:
    if phrase in data.by_demonym or (phrase.endswith("s") and phrase[:-1] in data.by_demonym):
        return "demonym"  # "Latvian", "Latvians"
    if phrase in data.by_name:
        return "country"
    return None


_KIND_LABEL = {
    "demonym": "nationality adjective (demonym)",
    "country": "country name",
    "alpha3": "three-letter ISO 3166 country code",
    "alpha2": "two-letter ISO 3166 country code",
}
