"""Street addresses (STREET_ADDRESS): a house number with a street name and a street type.

Why it matters: a home address places a person; with a name it is an identifying record. Why it
needs care: numbers next to capitalised words are everywhere (sections, chapters, dates, money),
so a number alone with words never counts. A match needs one of these shapes:

- number first, then a street name ending in a street suffix from USPS Publication 28 Appendix C1
  ("1600 Pennsylvania Avenue", "42 Willow Brk", "7 Callum Flats") or UK unit first
  ("Flat 58 Teresa Spur");
- a street type first, then the name and the house number, as most of Europe and Latin America
  write it ("Calle de Alcalá 21", "Via Roma 3", "ul. Długa 5", "Rua Augusta, 120",
  "29, rue de Rivoli"), or a street type as the last part of the name ("Hauptstraße 5",
  "Berliner Straße 7", "Atatürk Caddesi No: 15", "Lumbyholmvej 46");
- post-office and military boxes ("P.O. Box 255", "PSC 8356, Box 1595 APO AP 16835").

The match then takes in a unit ("Apt. 5", "Suite 508", "Piso 4"), a city, state and ZIP or
postcode when they follow. Parts may be on separate lines (``\\n`` or the two characters
``\\n``). A context word just before ("address", "lives at", "domicilio", "Anschrift") raises
the confidence, and lets a bare "name and number" count after it ("lives at Fitjabraut 87").

Explanations name the rule, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords

#: USPS Publication 28, Appendix C1: primary street suffix names and their common or standard
#: abbreviations, plus UK street types (Close, Mews, Gardens...)
_USPS_SUFFIXES = """
alley allee aly ally annex anex annx anx arcade arc avenue av ave aven avenu avn avnue
bayou bayoo byu beach bch bend bnd bluff bluf blf bluffs blfs bottom bot btm bottm
boulevard boul boulv blvd branch brnch br bridge brdge brg brook brk brooks brks burg bg
burgs bgs bypass bypa bypas byps byp camp cmp cp canyon canyn cnyn cyn cape cpe causeway
causwa cswy center cen cent centr centre cnter cntr ctr centers ctrs circle circ circl crcl
crcle cir circles cirs cliff clf cliffs clfs club clb common cmn commons cmns corner cor
corners cors course crse court ct courts cts cove cv coves cvs creek crk crescent cres crsent
crsnt crest crst crossing crssng xing crossroad xrd crossroads xrds curve curv dale dl dam dm
divide div dvd dv drive driv drv dr drives drs estate est estates ests expressway exp expr
express expw expy extension ext extn extnsn extensions exts fall falls fls ferry frry fry
field fld fields flds flat flt flats flts ford frd fords frds forest forests frst forge forg
frg forges frgs fork frk forks frks fort frt ft freeway freewy frway frwy fwy garden gardn
grden grdn gdn gardens gdns grdns gateway gatewy gatway gtway gtwy glen gln glens glns green
grn greens grns grove grov grv groves grvs harbor harb harbr hrbor hbr harbors hbrs haven hvn
heights ht hts highway highwy hiway hiwy hway hwy hill hl hills hls hollow hllw holw holws
inlet inlt island islnd is islands islnds iss isle isles junction jction jctn junctn juncton
jct junctions jctns jcts key ky keys kys knoll knol knl knolls knls lake lk lakes lks land
landing lndng lndg lane ln light lgt lights lgts loaf lf lock lck locks lcks lodge ldge lodg
ldg loop loops mall manor mnr manors mnrs meadow mdw meadows mdws medows mews mill ml mills
mls mission missn msn motorway mtwy mount mnt mt mountain mntain mntn mountin mtin mtn
mountains mntns mtns neck nck orchard orchrd orch oval ovl overpass opas park prk parks
parkway parkwy pkway pky pkwy parkways pkwys pass passage psge path paths pike pikes pk pine
pnes pines place pl plain pln plains plns plaza plz plza point pt points pts port prt ports
prts prairie prr pr radial rad radiel radl ramp ranch ranches rnch rnchs rapid rpd rapids rpds
rest rst ridge rdge rdg ridges rdgs river rvr rivr riv road rd roads rds route rte row rue run
shoal shl shoals shls shore shoar shr shores shoars shrs skyway skwy spring spng sprng spg
springs spngs sprngs spgs spur spurs square sqr sqre squ sq squares sqrs sqs station statn
stn sta stravenue strav straven stravn strvn strvnue stra stream streme strm street strt str
st streets sts summit sumit sumitt smt terrace terr ter throughway trwy trace traces trce track
tracks trak trk trks trafficway trfy trail trails trl trls trailer trlr trlrs tunnel tunel tunl
tunls tunnels tunnl turnpike trnpk turnpk tpke underpass upas union un unions uns valley vally
vlly vly valleys vlys viaduct vdct via viadct view vw views vws village vill villag villg
villiage vlg villages vlgs ville vl vista vist vst vsta vis walk walks wall way wy ways well
wl wells wls
close gate rise parade chase croft drove end wharf yard quay wynd vale approach embankment
broadway promenade grange
"""

#: abbreviations and words too common in prose to end a street on their own: they count only
#: capitalised and after a name that is not a stop word ("St" is also "Saint", "Is" a verb)
_WEAK_SUFFIXES = frozenset(
    "is un pr pl br dl dm dv ft mt ml pt cp bg ky lf hl wl cv vl wy dr st ct ln rd sq rue via "
    "end gate rest key land run well wall row mall pass path port".split()
)
_TOO_SHORT = frozenset("is un pr br dl dm dv cp bg ky lf hl wl cv vl wy pk rad vis".split())

SUFFIXES: frozenset[str] = frozenset(_USPS_SUFFIXES.split()) - _TOO_SHORT

#: street types written before the name (house number after, or before with a comma)
_TYPES_FIRST = """
rue avenue av av. avda avda. avd. boulevard bd bd. blvd bulevar chemin allée allee impasse quai
place route cours square passage voie sentier esplanade faubourg montée cité hameau
calle c/ cl. paseo pº camino carretera ctra. plaza pza. ronda rambla travesía travesia callejón
callejon cañada urbanización urbanizacion urb. pasadizo pasaje alameda glorieta vía costanilla
cuesta carrera transversal diagonal calzada privada cerrada circuito corredor viaducto
prolongación prolongacion retorno periférico periferico andador circunvalación circunvalacion
eje avenida
carrer passeig plaça avinguda travessera
via viale piazza piazzale corso largo vicolo contrada strada borgo canale incrocio rotonda
stretto lungomare lungotevere salita vico traversa piazzetta circonvallazione
rua r. travessa praça praca estrada rodovia viela vila parque campo fazenda passarela trecho
residencial setor quadra conjunto ladeira loteamento sítio sitio chácara chacara condomínio
condominio núcleo nucleo lago morro vale jardim aeroporto distrito feira área area colônia
colonia esplanada pátio patio recanto vereda quinta beco
ulica ul. ul plac pl. aleja al. aleje osiedle os. rondo skwer
ulice náměstí nám. třída
odos οδός λεωφόρος λεωφ.
"""
TYPES_FIRST: frozenset[str] = frozenset(_TYPES_FIRST.split())

#: types that may be written in lower case in running text ("29, rue de Rivoli", "via Roma 3")
_LOWER_OK = frozenset(
    "rue chemin allée allee impasse quai calle avenida carrer rua travessa praça praca ulica ul. "
    "ul plac pl. aleja al. viale piazza corso via vicolo".split()
)

#: French types follow the house number in lower case ("29, rue de Rivoli")
_FRENCH = frozenset(
    "rue avenue boulevard bd chemin allée allee impasse place quai route cours square passage "
    "voie sentier esplanade faubourg".split()
)

#: street types that end a name, as a separate word ("Berliner Straße 7", "Atatürk Caddesi")
_TYPES_LAST = frozenset(
    """
straße strasse str. gasse weg allee platz damm ufer chaussee ring steig
straat laan plein gracht kade singel dreef
vej vei veien vegen vägen gata gatan gade allé
caddesi cad. cd. sokak sokağı sok. sk. bulvarı blv. mahallesi mah. yolu
út utca u. tér körút útja
""".split()
)

#: endings of one-word compound street names ("Hauptstraße", "Lumbyholmvej", "Olmstraat")
_COMPOUND = re.compile(
    r"(?:straße|strasse|str\.|gasse|weg|allee|platz|damm|ufer|chaussee|steig|pfad|stieg"
    r"|straat|laan|plein|gracht|kade|singel|dreef|steenweg"
    r"|vej|vei|veien|vegen|vägen|gata|gatan|gade|allé|alléen|stræde|stien|gränd|torget|torg)$",
    re.IGNORECASE,
)

#: lower-case words allowed inside a street or city name
_PARTICLES = frozenset(
    "de del la las los le les des du d' da do dos das di della delle dei degli e y i et und "
    "van von der den ten of the am an im sur upon on nad".split()
)

_DIRECTIONS = frozenset("n s e w ne nw se sw n. s. e. w. north south east west".split())

#: a house number after one of these words is something else ("Section 3", "Chapter 11")
_NOT_AFTER = frozenset(
    """
section sec sec. chapter ch ch. article art art. page p p. pp pp. no no. nr nr. number vol
vol. volume part title rule clause item table figure fig fig. schedule annex appendix paragraph
para para. line version v v. release step phase grade level tier class form exhibit act bill
case docket ref ref. reference lot issue episode season week day year years month months
chapters sections pages items route highway hwy interstate i sr us hour hours minute minutes
room rooms floor gate gates platform seat row pier box psc cmr unit suite apt apt. apartment
flat studio ste ste. bldg building tel phone fax ext ext.
""".split()
)

_MONTHS = frozenset(
    """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
diciembre janvier février mars avril mai juin juillet août septembre octobre novembre décembre
januar februar märz april juni juli oktober dezember
""".split()
)

#: a word after the number that makes it a quantity, not a house number
_QUANTITY = frozenset(
    """
days day weeks week months month years year hours hour minutes minute times people persons
percent per pages page copies items km miles mi m kg lbs euros dollars pounds cases members
""".split()
)

#: company words: "2 Main Street Capital plc" is a company named after its address
_COMPANY = frozenset(
    "plc ltd ltd. limited inc inc. llc llp corp corp. capital partners holdings group fund "
    "trust bank associates".split()
)

_YEAR_PREPOSITIONS = frozenset(
    "in since by during until till from of before after circa around year fy".split()
)

ADDRESS_CONTEXT = ContextWords(
    [
        r"address(?:es)?",
        r"addr\.?",
        r"(?:lives?|living|lived|resides?|residing|resident|staying|stays?)\s+(?:at|in|on)",
        r"residence",
        r"home",
        r"mailing",
        r"domicilio",
        r"direcci[oó]n",
        r"domicili[ée]e?",
        r"adresse",
        r"anschrift",
        r"wohnhaft",
        r"wohnort",
        r"indirizzo",
        r"residente",
        r"endere[cç]o",
        r"morada",
        r"adres",
        r"ikamet",
        r"zamieszka[lł]y",
    ]
)

_UPPER = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_CAPW = rf"[A-Z{_UPPER}][\w'’.\-]*"
_PART = r"(?:de|del|la|le|les|do|da|dos|das|di|du|sur|upon|on|am|im|an|der|nad|pod|en)"
_CITYW = rf"[A-Z{_UPPER}][\w'’\-]*"
_CITY = rf"(?:(?:St|Ste|Mt|Ft)\.[ \t]*)?{_CITYW}(?:[ \t]+(?:{_CITYW}|{_PART})){{0,3}}"
#: between the parts of an address: comma, line break (real or written as backslash-n), spaces
_SEP = r"(?:[ \t]*(?:,|\r?\n|\\n)(?:[ \t]*(?:,|\r?\n|\\n))*[ \t]*|[ \t]+)"
_ZIP_US = r"\d{5}(?:-\d{4})?"
_POSTCODE_UK = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}"
_ZIP_EU = r"(?:\d{5}-\d{3}|\d{2}-\d{3}|\d{5}|\d{4}|\d{8})"

_UNIT_WORDS = (
    r"apt|apartment|apto|suite|ste|unit|flat|studio|room|rm|floor|fl|piso|puerta|pta|depto|dpto"
    r"|departamento|interior|int|edif|edificio|appartamento|app|piano|scala|interno|wohnung|whg"
    r"|étage|etage|bloco|bloque|sala|andar|casa|lote|lokal|daire|kat|door|bldg|building|esc"
    r"|escalera|mieszkanie|m"
)
_UNIT = re.compile(
    rf"(?:{_SEP}(?i:{_UNIT_WORDS})\.?[ \t]*[#:nº°.]*[ \t]*\d{{1,5}}[A-Za-z]?(?![\w])"
    rf"|[ \t]*,?[ \t]*#[ \t]*\d{{1,5}}[A-Za-z]?(?![\w]))"
)
_LOCALITY = re.compile(
    # postcode then city (most of Europe, Brazil): "77880 Sainte René", "04-915 Nysa"
    rf"{_SEP}{_ZIP_EU}[ \t]*,?[ \t]+{_CITY}(?:[ \t]*(?:/[ \t]*[A-Z]{{2}}|\([A-Z]{{2}}\)))?"
    # city, state and ZIP (US, Spain's "Cuenca, 48286"), or city and postcode (UK)
    rf"|(?:{_SEP}{_CITY}){{0,2}}{_SEP}(?:[A-Z]{{2,4}}{_SEP})?(?:{_ZIP_US}|{_POSTCODE_UK})(?![\w])"
)

_DIGIT = re.compile(r"\d")
#: what may follow a house number before the street: a letter, a range, a comma
_FOLLOW = re.compile(r",?((?:[ \t]+[^\s,;:()\[\]{}<>\"“”|]+){1,8})")
_FOLLOW_LINES = re.compile(r"[ \t]*(?:,|\r?\n|\\n)?[ \t]*((?:[^\s,;:()\[\]{}<>\"“”|]+[ \t]*){1,6})")
_WORD = re.compile(r"[^\s,;:()\[\]{}<>\"“”|]+")
_AFTER_HOUSE = re.compile(r"[ \t]*([^\W\d_][\w.]*)?")


def _maybe_po_box(text: str) -> bool:
    """Whether `text` can hold a PO box (a cheap pre-filter)."""
    return (
        "ox" in text
        or "OX" in text
        or "partado" in text
        or "aixa" in text
        or "ostfach" in text
        or "asilla" in text
        or "ostale" in text
    )


_PO_BOX = re.compile(
    r"(?<![\w])(?:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box|Postbox|Post[ \t]+Box"
    r"|Apartado(?:[ \t]+(?:de[ \t]+Correos|Postal))?|Caixa[ \t]+Postal|Postfach"
    r"|Casilla(?:[ \t]+de[ \t]+Correos?)?|Bo[iî]te[ \t]+[Pp]ostale)"
    r"[ \t]*(?:No\.?|#)?[ \t]*\d{1,6}(?![\w])",
    re.IGNORECASE,
)
_MILITARY = re.compile(
    rf"(?:(?<![\w])(?:(?:Unit|PSC|CMR)[ \t]+\d{{1,5}}[ \t]*,?[ \t]*Box[ \t]+\d{{1,5}}"
    rf"|(?:USNS|USNV|USS|USCGC)[ \t]+{_CAPW}(?:[ \t]+{_CAPW})?){_SEP})?"
    r"(?<![\w])[ADF]PO[ \t]+A[AEP][ \t]+\d{5}(?![\w])"
)

#: candidate positions, found by cheap scans before any word is looked at
_NUMBER_WORD = re.compile(
    rf"(\d{{1,6}}(?:[A-Za-z]|[-/]\d{{1,4}}[A-Za-z]?)?),?[ \t]+"
    rf"(?=[A-Z{_UPPER}\u0370-\u03ff]|\d{{1,3}}(?:st|nd|rd|th)\b"
    r"|(?:rue|avenue|boulevard|bd|chemin|all[ée]e|impasse|place|quai|route|cours|square|passage"
    r"|voie|sentier|esplanade|faubourg)\b)"
)
#: a number at the start of the text, a line or a word ("No:5" too)
_NUMBER_START = re.compile(r"[\s(\[\"“']\d|No[.:]\d")
_AFTER_WORD = frozenset(
    "abcdefghijklmnopqrstuvwxyz"
    + "abcdefghijklmnopqrstuvwxyz".upper()
    + _UPPER
    + _UPPER.lower()
    + ",.:ºª°"
)
#: a house number: not part of a decimal, a date, an amount, a code or a longer number
_HOUSE = re.compile(r"\d{1,5}(?:[A-Za-z]|[-/]\d{1,4}[A-Za-z]?)?(?![\w]|[.:/\-]\d|%)")
_UNIT_NUMBER = re.compile(
    r"(?:Flat|Studio|Apartment|Apt\.?|Unit|Suite|Room)[ \t]+\d{1,5}[A-Za-z]?(?![\w])"
)
_STRONG_UNIT = re.compile(
    rf"{_SEP}(?:Apt|Apartment|Suite|Flat|Piso|Depto|Interior|Appartamento|Wohnung)\.?[ \t]*#?\d"
)
_SIGNS = frozenset("no nr nº n° no. nr. #".split())
_NUMBER_SIGN = re.compile(r"(?:No|Nr|N[º°o]|n[º°o]|#)[.:]?")
_NUMBER_NAME_NUMBER = re.compile(
    rf"[ \t]+(?:{_CAPW}[ \t]+){{1,3}}\d{{1,5}}[A-Za-z]?(?![\w.,]\d|\w)"
)
#: stems of the address context words, searched in the lower-cased text (a cheap pre-filter)
_CONTEXT_GATE = re.compile(
    r"addr|adres|live|resid|domicil|direcci|anschrift|wohn|indirizzo|endere|morada|ikamet"
    r"|mailing|home|zamieszk"
)


Candidate = tuple[int, int, float, str]


def _clean(word: str) -> str:
    return word.lower().rstrip(".,")


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_word(word: str) -> bool:
    """A word that may be part of a street name: capitalised, an ordinal, or a particle."""
    if _capitalised(word):
        return True
    if word[:1].isdigit():
        return bool(re.fullmatch(r"\d{1,3}(?:st|nd|rd|th|º|ª|°|e|er|\.)", word))
    return word.lower() in _PARTICLES or word.lower() in ("d'", "l'")


class StreetAddressDetector:
    """STREET_ADDRESS: a house number with a street name and type, a PO box, a military box."""

    id: str = "street-address"
    entities: tuple[str, ...] = ("STREET_ADDRESS",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 5 or not _DIGIT.search(text):
            return
        # a line break written as the two characters backslash-n (an export, a JSON string) is
        # a line break: the same length keeps every offset valid in the original text
        work = text.replace("\\n", "\n ") if "\\n" in text else text
        found = self._candidates(work, context)
        found.sort()
        end = -1
        for start, stop, conf, why in found:
            if start < end:
                continue  # overlaps an earlier, longer-or-first match
            stop = self._extend(work, stop)
            value = text[start:stop]
            hit = ADDRESS_CONTEXT.find(work, start, context)
            if hit is not None:
                conf = min(0.95, conf + 0.1)
                why = f"{why}; {hit.describe()}"
            end = stop
            yield Match(
                entity="STREET_ADDRESS",
                start=start,
                end=stop,
                value=value,
                confidence=round(conf, 2),
                detector=self.id,
                explanation=f"street address: {why}",
            )

    # -- candidates -------------------------------------------------------------------------

    def _candidates(self, text: str, context: str) -> list[Candidate]:
        out: list[Candidate] = []
        if "PO A" in text:
            for m in _MILITARY.finditer(text):
                out.append((m.start(), m.end(), 0.9, "military post office (APO/FPO/DPO) address"))
        if _maybe_po_box(text):
            for m in _PO_BOX.finditer(text):
                if not _inside(m.start(), out):
                    out.append((m.start(), m.end(), 0.8, "post-office box number"))
        for m in _UNIT_NUMBER.finditer(text):
            if m.start() and text[m.start() - 1].isalnum():
                continue
            if not _inside(m.start(), out):
                cand = self._unit_first(text, m.start(), m.end())
                if cand is not None:
                    out.append(cand)
        relax: bool | None = None  # an address word anywhere: decided when first needed
        taken = -1
        starts = (m.end() - 1 for m in _NUMBER_START.finditer(text))
        for s in chain((0,), starts) if text[:1].isdigit() else starts:
            if s < taken or (out and _inside(s, out)):
                continue
            cand = None
            prev = text[s - 1] if s else ""
            num = None
            # house number last: a street type, a name, then the number
            if (prev in " \t" and s > 1 and text[s - 2] in _AFTER_WORD) or prev in ".:":
                num = _HOUSE.match(text, s)
                if num is not None:
                    cand = self._number_after(text, s, num.end())
            # house number first: a number, then a capitalised word (or a French street type)
            first = _NUMBER_WORD.match(text, s) if cand is None else None
            if first is not None:
                cand = self._number_first(text, s, first.end(1))
            if cand is None and (num is not None or first is not None):
                if relax is None:
                    relax = ADDRESS_CONTEXT.in_label(context) is not None
                if relax or _CONTEXT_GATE.search(text[max(0, s - 60) : s].lower()):
                    e = first.end(1) if first is not None else num.end() if num else s
                    cand = self._relaxed(text, s, e, context)
            if cand is not None and not _inside(cand[0], out):
                out.append(cand)
                taken = cand[1]
        return out

    @staticmethod
    def _line_words(text: str, s: int, limit: int = 90) -> list[tuple[int, str]]:
        """Words before position `s` on the same line, nearest last, with their starts."""
        lo = max(0, s - limit)
        head = text[lo:s]
        cut = head.rfind("\n")
        literal = head.rfind("\\n")
        if literal >= 0:
            cut = max(cut, literal + 1)
        if cut >= 0:
            lo, head = lo + cut + 1, head[cut + 1 :]
        elif lo > 0 and not text[lo - 1].isspace():
            sp = head.find(" ")
            if sp < 0:
                return []
            lo, head = lo + sp, head[sp:]  # the window began in the middle of a word
        out: list[tuple[int, str]] = []
        pos = len(head)
        for w in reversed(head.split()):
            pos = head.rfind(w, 0, pos)
            out.append((lo + pos, w))
        out.reverse()
        return out

    def _number_after(self, text: str, s: int, e: int) -> Candidate | None:
        """Street type and name before the house number: "Calle Mayor 5", "Hauptstraße 5"."""
        j = s - 1
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        prev = text[max(0, j - 30) : j].rsplit(None, 1)[-1:]
        if prev:
            word = prev[0].rstrip(",.:")
            low = word.lower()
            if low not in _SIGNS and (prev[0].endswith(":") or low in _NOT_AFTER):
                return None  # "Phone: 212", "Suite 5", "Box 12", "Page 3"
            if low in _MONTHS or not (
                word[:1].isupper() or low in _PARTICLES or low in _TYPES_LAST or low in _SIGNS
            ):
                return None
        if not self._ends_like_address(text, e):
            return None
        words = self._line_words(text, s)
        while words and _NUMBER_SIGN.fullmatch(words[-1][1]):
            words.pop()  # "No:", "Nr.", "nº"
        if not words:
            return None
        last_start, last = words[-1]
        last = last.rstrip(",")
        low = last.lower()
        if not (last[:1].isupper() or low in _PARTICLES or low in _TYPES_LAST):
            return None
        # type as the last word: "Berliner Straße 7", "Atatürk Caddesi No: 15"
        if low in _TYPES_LAST and len(words) >= 2:
            start = None
            for ws, w in reversed(words[:-1][-3:]):
                if not _capitalised(w) or w.endswith(","):
                    break
                start = ws
            if start is not None:
                return (start, e, 0.8, "street name, street type and house number")
        # one-word compound: "Hauptstraße 5", "Paul-Nevermann-Platz 47"
        if _capitalised(last) and len(last) > 5 and _COMPOUND.search(last):
            return (last_start, e, 0.8, "street name with a street-type ending and a house number")
        # a name, a number and a flat or suite: "Helmstok 174 Apt. 861"
        if _capitalised(last) and _STRONG_UNIT.match(text, e):
            start = None
            for ws, w in reversed(words[-3:]):
                if not _capitalised(w) or w.endswith((",", ":")) or _clean(w) in _MONTHS:
                    break
                start = ws
            if start is not None:
                return (start, e, 0.7, "street name, house number and flat or suite number")
        # type first: "Calle de Alcalá 21", "Via Roma, 3", "ul. Długa 5"
        names = 0
        for i in range(len(words) - 1, max(-1, len(words) - 8), -1):
            ws, w = words[i]
            low = w.lower().rstrip(",")
            if names and low in TYPES_FIRST:
                if not _capitalised(w) and low not in _LOWER_OK:
                    return None
                start = ws
                if i > 0 and words[i - 1][1].lower() in TYPES_FIRST:
                    start = words[i - 1][0]  # "Avda. Alameda Sundheim 46"
                return (start, e, 0.8, "street type, street name and house number")
            if not _name_word(w.rstrip(",")) or (i < len(words) - 1 and w.endswith(",")):
                return None
            if _capitalised(w) or w[:1].isdigit():
                names += 1
        return None

    def _unit_first(self, text: str, s: int, e: int) -> Candidate | None:
        """UK form: a unit, then a street without house number ("Flat 58 Teresa Spur")."""
        m = _FOLLOW_LINES.match(text, e)
        if m is None:
            return None
        end = _suffix_end(m.group(1), m.start(1), need_name=True)
        if end is None:
            return None
        return (s, end, 0.8, "flat or unit number, street name and street suffix")

    def _number_first(self, text: str, s: int, e: int) -> Candidate | None:
        """House number first: "1600 Pennsylvania Avenue", "29, rue de Rivoli"."""
        m = _FOLLOW.match(text, e)
        if m is None:
            return None
        head = text[max(0, s - 24) : s].split()
        before = _clean(head[-1]) if head else ""
        if before in _NOT_AFTER:
            return None
        rest, base = m.group(1), m.start(1)
        words = [(base + w.start(), w.group()) for w in _WORD.finditer(rest)]
        first = words[0][1]
        low = first.lower()
        if low in _MONTHS or low.rstrip(".,") in _MONTHS:
            return None
        number = int(text[s:e].rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                     .split("-")[0].split("/")[0])  # fmt: skip
        if 1800 <= number <= 2100 and before in _YEAR_PREPOSITIONS:
            return None
        if low in TYPES_FIRST and (low in _FRENCH or _capitalised(first)):
            # "29, rue de Rivoli", "23 Rue Abderrahmen Ziad", "893 Via Leopardi 83"
            end = None
            for ws, w in words[1:7]:
                w = w.rstrip(",.")
                if _capitalised(w):
                    end = ws + len(w)
                elif w.lower() not in _PARTICLES:
                    break
            if end is not None:
                num = re.match(r"[ \t]*,?[ \t]*\d{1,4}[A-Za-z]?(?![\w])", text[end : end + 12])
                if num:
                    end += num.end()
                return (s, end, 0.8, "house number, street type and street name")
        end = _suffix_end(rest, base, need_name=True)
        if end is None:
            return None
        nxt = _AFTER_HOUSE.match(text, end)
        if nxt and nxt.group(1) and _clean(nxt.group(1)) in _COMPANY:
            return None
        return (s, end, 0.7, "house number, street name and street suffix (USPS Publication 28)")

    def _relaxed(self, text: str, s: int, e: int, context: str) -> Candidate | None:
        """After an address context word: a name and a number, in either order."""
        label = ADDRESS_CONTEXT.in_label(context) is not None
        # name then number: "lives at Fitjabraut 87"
        words = self._line_words(text, s, 40)
        start = None
        for ws, w in reversed(words[-3:]):
            if not _capitalised(w) or w.endswith((":", ",")) or _clean(w) in _MONTHS:
                break
            start = ws
        if (
            start is not None
            and self._ends_like_address(text, e)
            and (label or ADDRESS_CONTEXT.near(text, start, window=20) is not None)
        ):
            return (start, e, 0.6, "street name and house number after an address word")
        # number, name, number: "788 Fitjabraut 87"
        m = _NUMBER_NAME_NUMBER.match(text, e)
        if m and (label or ADDRESS_CONTEXT.near(text, s, window=20) is not None):
            return (s, m.end(), 0.6, "house number, street name and number after an address word")
        return None

    @staticmethod
    def _ends_like_address(text: str, e: int) -> bool:
        """The house number is not the start of a quantity ("Via Rail 2 days")."""
        m = _AFTER_HOUSE.match(text, e)
        if m is None or not m.group(1):
            return True
        word = m.group(1)
        return _clean(word) not in _QUANTITY and (
            _capitalised(word) or word.lower().rstrip(".") in _UNIT_NAMES or word in _PARTICLES
        )

    @staticmethod
    def _extend(text: str, end: int) -> int:
        """Take in units, then a city with ZIP or postcode, after the street."""
        for _ in range(3):
            m = _UNIT.match(text, end)
            if m is None:
                break
            end = m.end()
        m = _LOCALITY.match(text, end)
        if m is not None:
            end = m.end()
        return end


_UNIT_NAMES = frozenset(_UNIT_WORDS.split("|")) | frozenset(
    "in and y e et und i w a en à em no na at".split()
)


def _suffix_end(rest: str, base: int, *, need_name: bool) -> int | None:
    """End offset of "Name ... Suffix" at the start of `rest` (which starts at `base`)."""
    best: int | None = None
    names = 0
    for w in _WORD.finditer(rest):
        word = w.group()
        core = word.rstrip(",")
        if not _name_word(core):
            break
        low = core.lower().rstrip(".")
        if (names or not need_name) and low in SUFFIXES and _capitalised(core):
            if low in _WEAK_SUFFIXES and names == 0:
                pass
            else:
                end = w.start() + len(core)
                if (
                    core.endswith(".") and len(low) > 4
                ):  # "Street." ends a sentence, "Ave." is short
                    end -= 1
                best = base + end
        if low not in _DIRECTIONS or names or len(low) > 2:
            names += 1
        if word.endswith(",") or names > 5:
            break
    return best


def _inside(pos: int, spans: list[Candidate]) -> bool:
    return any(s <= pos < e for s, e, _c, _w in spans)


_DETECTOR = StreetAddressDetector()


def street_address_score(value: str) -> float:
    """1.0 when a whole table cell is a street address (the address starts the cell)."""
    v = value.strip()
    if len(v) < 5 or len(v) > 200 or not _DIGIT.search(v):
        return 0.0
    for m in _DETECTOR.find(v):
        lead = v[: m.start].strip(" ,;\t\n")
        if (not lead or m.end - m.start >= 0.6 * len(v)) and len(v) - m.end <= 80:
            return 1.0
    return 0.0
