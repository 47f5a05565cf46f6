"""Telephone numbers (PHONE_NUMBER).

Validation is Google's libphonenumber (the `phonenumbers` port) with leniency VALID and default
region US; international numbers written with "+" are recognised for every country. The library
is slow compared with a regex, so a cheap regex first finds runs of at least seven digits with
phone punctuation, and only those regions are handed to the matcher.

libphonenumber is permissive about grouping, so numbers written like IDs are filtered out here:
US numbers must be grouped the way people write phone numbers (3-3-4, 1-3-3-4, or unbroken), and a
number right after a letter code ("INV-2023-000123") or an ID word (order, invoice, account...) is
not a phone number. Facility switchboards are real phone numbers and are reported: the assessment
decides how much they matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextHit, ContextWords

#: a run of digits and phone punctuation holding at least 7 digits
_REGION = re.compile(
    r"\+?\(?[0-9](?:[0-9]|[ \t.\-/()]{1,3}(?=[0-9(]))+\)?"
    r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?[0-9]{1,6}\b)?",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"[ \t]?(?:x|ext\.?|extension)[ \t]?[0-9]{1,6}$", re.IGNORECASE)
#: unmistakably a phone number's writing: "+", an area code in brackets, or an extension
_PHONE_SHAPED = re.compile(
    r"^\(\d{2,5}\)\s?\d|\d[ \t]?(?:x|ext\.?|extension)[ \t]?\d", re.IGNORECASE
)
#: written the way a national number is outside North America: a trunk prefix (0) or an
#: international call prefix (00), with separators between groups
_NATIONAL = re.compile(r"\(?0[0-9]*[)\s.\-/]")
#: countries whose national formats are tried when a phone word is near or the number is
#: written with a trunk prefix; "+" numbers are read for every country
WIDE_REGIONS: tuple[str, ...] = (
    "GB", "IE", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "PT", "PL", "SE", "DK", "NO",
    "FI", "BR", "MX", "AR", "CO", "IN", "AU", "TR", "CA",
)  # fmt: skip
_DIGITS7 = re.compile(r"[0-9](?:[^0-9]{0,3}[0-9]){6}")
_GROUPS = re.compile(r"[0-9]+")
_LETTER_CODE_BEFORE = re.compile(r"[A-Za-z]{1,6}[#\-/_]\s?\Z")

_NANP_GROUPINGS = frozenset({(10,), (3, 3, 4), (1, 3, 3, 4), (3, 7), (1, 10), (1, 3, 7)})

CONTEXT = ContextWords(
    [
        r"phone",
        r"tel\.?",
        r"telephone",
        r"t[eé]l[eé]fono",
        r"t[ée]l[ée]phone",
        r"mobile",
        r"cell(?:ular)?",
        r"celular",
        r"m[oó]vil",
        r"fax",
        r"call",
        r"ph\.?",
        r"contact",
        r"switchboard",
        r"hotline",
        r"whatsapp",
        r"reach(?:ed|able)?\s+(?:me\s+)?(?:at|on)",
        r"answer(?:s|ing)?\s+(?:at|on)",
        r"dial",
        r"text\s+me",
    ],
    label_only=[r"tel", r"mob", r"cel"],
)

#: words that say the number is an identifier, not a phone number
NOT_PHONE = ContextWords(
    [
        r"order",
        r"invoice",
        r"inv\.?",
        r"account",
        r"acct\.?",
        r"ref(?:erence)?\.?",
        r"id",
        r"case",
        r"receipt",
        r"tracking",
        r"serial",
        r"sku",
        r"isbn",
        r"claim",
        r"policy",
        r"ticket",
        r"transaction",
        r"a-number",
        r"alien",
        r"ssn",
        r"passport",
        r"i-94",
        r"cpf",
        r"routing",
    ],
    label_only=[r"number", r"no", r"#", r"code", r"zip", r"postal"],
)


@dataclass(frozen=True, slots=True)
class _Found:
    """A number libphonenumber accepted inside a candidate region (offsets relative to it)."""

    start: int
    end: int
    region: str
    international: bool
    #: the country whose national format read it (wide reading only)
    tried: str = ""
    #: the right length for a phone number, but not a number in service (fictional area code)
    possible: bool = False


_CACHE_MAX = 8192


class PhoneNumberDetector:
    """PHONE_NUMBER: numbers libphonenumber validates, US by default, any country with '+'."""

    id: str = "phone-number"
    entities: tuple[str, ...] = ("PHONE_NUMBER",)

    def __init__(self) -> None:
        # a column often repeats the same number (a facility switchboard on every row):
        # remember what the library said about each candidate string
        self._cache: dict[tuple[str, bool], tuple[_Found, ...]] = {}
        self._regions = list(WIDE_REGIONS)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 7 or not _DIGITS7.search(text):
            return
        phone_label = CONTEXT.in_label(context)
        id_label = NOT_PHONE.in_label(context) if phone_label is None else None
        for region in _REGION.finditer(text):
            lo = max(0, region.start() - 1)
            hi = min(len(text), region.end() + 1)
            near = phone_label or CONTEXT.near(text, region.start())
            raw = region.group(0)
            # without a phone word, a national-format number needs the length of one (ten
            # digits or more: a ZIP+4 code "03676-4741" has nine)
            wide = near is not None or (
                bool(_NATIONAL.match(raw)) and sum(c.isdigit() for c in raw) >= 10
            )
            for found in self._validate(text[lo:hi], raw, wide):
                start, end = lo + found.start, lo + found.end
                if _LETTER_CODE_BEFORE.search(text, max(0, start - 8), start):
                    continue
                hit = near if start == region.start() else phone_label or CONTEXT.near(text, start)
                if hit is None:
                    if NOT_PHONE.near(text, start, window=20):
                        continue
                    if id_label is not None and text[start:end].isdigit():
                        continue
                yield self._match(text, start, end, found, hit)

    def _validate(self, window: str, region: str, wide: bool) -> tuple[_Found, ...]:
        """Numbers in `window` (the region plus one character each side), cached."""
        key = (window, wide)
        try:
            return self._cache[key]
        except KeyError:
            pass
        result = _validate(window, region)
        if not result and wide:
            result = _validate_wide(window, region, self._regions)
            if result and result[0].tried != self._regions[0]:
                # a column or a document is usually one country's: try that country first next
                self._regions.remove(result[0].tried)
                self._regions.insert(0, result[0].tried)
        if not result and (region.lstrip("(").startswith("+") or _PHONE_SHAPED.search(region)):
            result = _possible(window)
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _match(
        self, text: str, start: int, end: int, found: _Found, hit: ContextHit | None
    ) -> Match:
        parts = [
            f"valid telephone number for {found.region}"
            + (" in international format" if found.international else ""),
        ]
        if found.possible:
            parts = [
                "written the way telephone numbers are (international '+', or an area code in "
                "brackets, or an extension) and of a telephone number's length, though not a "
                "number in service"
            ]
        bare = text[start:end].isdigit()
        if hit is not None:
            parts.append(hit.describe())
            confidence = 0.75 if found.possible else 0.9
        elif found.possible:
            confidence = 0.6
        elif bare:
            parts.append("written as bare digits with no phone context word nearby")
            confidence = 0.5
        else:
            confidence = 0.8
        return Match(
            entity="PHONE_NUMBER",
            start=start,
            end=end,
            value=text[start:end],
            confidence=confidence,
            detector=self.id,
            explanation="; ".join(parts),
        )


def _validate(window: str, region: str) -> tuple[_Found, ...]:
    region = _EXTENSION.sub("", region)
    digits = sum(c.isdigit() for c in region)
    if digits < 7:
        return ()
    if not region.lstrip("(").startswith("+"):
        # without "+" the number is read as North American: 10 digits, or 11 with a leading 1
        # (or a run of several numbers); dates, A-numbers and SSNs have fewer and stop here
        if digits < 10:
            return ()
        if digits <= 11:
            runs = _GROUPS.findall(region)
            if tuple(len(g) for g in runs) not in _NANP_GROUPINGS:
                return ()
            national = "".join(runs)[-10:]
            if national[0] in "01" or national[3] in "01":
                return ()  # area code and exchange never start with 0 or 1 (NANP plan)
    out = []
    for pm in PhoneNumberMatcher(window, "US", leniency=Leniency.VALID):
        raw = pm.raw_string
        international = raw.lstrip("(").startswith("+")
        if not international and pm.number.country_code == 1:
            groups = tuple(len(g) for g in _GROUPS.findall(_EXTENSION.sub("", raw)))
            if groups not in _NANP_GROUPINGS:
                continue
        code = phonenumbers.region_code_for_number(pm.number) or "an unknown region"
        out.append(_Found(pm.start, pm.end, code, international))
    return tuple(out)


def _validate_wide(window: str, region: str, order: Sequence[str]) -> tuple[_Found, ...]:
    """Read the number in the national formats of `order`; the first that validates wins."""
    digits = sum(c.isdigit() for c in _EXTENSION.sub("", region))
    if digits < 8 or region.lstrip("(").startswith("+"):
        return ()
    for code in order:
        out = [
            _Found(
                pm.start,
                pm.end,
                phonenumbers.region_code_for_number(pm.number) or code,
                False,
                code,
            )
            for pm in PhoneNumberMatcher(window, code, leniency=Leniency.VALID)
        ]
        if out:
            return tuple(out)
    return ()


def _possible(window: str) -> tuple[_Found, ...]:
    """Numbers of a possible length (not validated), read as North American or international."""
    return tuple(
        _Found(
            pm.start,
            pm.end,
            phonenumbers.region_code_for_country_code(pm.number.country_code or 0)
            or "an unknown region",
            pm.raw_string.lstrip("(").startswith("+"),
            possible=True,
        )
        for pm in PhoneNumberMatcher(window, "US", leniency=Leniency.POSSIBLE)
        if sum(c.isdigit() for c in _EXTENSION.sub("", pm.raw_string)) >= 10
    )
