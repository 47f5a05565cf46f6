"""Foreign national identity numbers (NATIONAL_ID) that python-stdnum validates strongly.

A handful, chosen for the people immigration and public-sector data is about and for how well
they validate:

- Mexican CURP: 18 characters with an embedded birth date, sex, state code and a check digit. The
  layout is so specific that it is reported without context.
- Brazilian CPF: 11 digits with two check digits. Written 000.000.000-00 it is reported alone;
  bare digits need a "CPF" context word.
- Spanish DNI (8 digits + check letter) with context; NIE (X/Y/Z + 7 digits + check letter) alone
  with lower confidence, with context higher.
- Polish PESEL (11 digits, embedded birth date, check digit) and Indian Aadhaar (12 digits,
  Verhoeff check) with context only: their check digits pass 1 random number in 10.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stdnum.br import cpf
from stdnum.es import dni, nie
from stdnum.in_ import aadhaar
from stdnum.mx import curp
from stdnum.pl import pesel

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextHit, ContextWords, all_same, compact

_B = r"(?<![0-9A-Za-z\-/.])"
_E = r"(?![0-9A-Za-z]|[\-/.][0-9A-Za-z])"


@dataclass(frozen=True, slots=True)
class _Scheme:
    name: str
    pattern: re.Pattern[str]
    is_valid: Callable[[str], bool]
    context: ContextWords
    #: confidence without context, or None when context is required
    alone: float | None
    with_context: float
    #: only this written layout may go without context (e.g. CPF with its dots and dash)
    alone_layout: re.Pattern[str] | None = None


_SCHEMES: tuple[_Scheme, ...] = (
    _Scheme(
        name="Mexican CURP (population registry code)",
        pattern=re.compile(
            rf"{_B}[A-Z][AEIOUX][A-Z]{{2}}[0-9]{{6}}[HMX][A-Z]{{5}}[0-9A-Z][0-9]{_E}"
        ),
        is_valid=curp.is_valid,
        context=ContextWords([r"curp", r"clave\s+[uú]nica"]),
        alone=0.9,
        with_context=0.98,
    ),
    _Scheme(
        name="Brazilian CPF (taxpayer registry number)",
        pattern=re.compile(
            rf"{_B}(?:[0-9]{{3}}\.[0-9]{{3}}\.[0-9]{{3}}-[0-9]{{2}}|[0-9]{{11}}){_E}"
        ),
        is_valid=cpf.is_valid,
        context=ContextWords([r"cpf", r"cadastro\s+de\s+pessoas\s+f[ií]sicas"]),
        alone=0.7,
        with_context=0.95,
        alone_layout=re.compile(r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}"),
    ),
    _Scheme(
        name="Spanish NIE (foreigner identity number)",
        pattern=re.compile(rf"{_B}[XYZxyz][- ]?[0-9]{{7}}[- ]?[A-Za-z]{_E}"),
        is_valid=nie.is_valid,
        context=ContextWords(
            [r"nie", r"n\.i\.e\.?", r"n[uú]mero\s+de\s+identidad\s+de\s+extranjero", r"nif"]
        ),
        alone=0.6,
        with_context=0.95,
    ),
    _Scheme(
        name="Spanish DNI (national identity document)",
        pattern=re.compile(rf"{_B}[0-9]{{8}}[- ]?[A-Za-z]{_E}"),
        is_valid=dni.is_valid,
        context=ContextWords(
            [r"dni", r"d\.n\.i\.?", r"nif", r"documento\s+nacional\s+de\s+identidad"]
        ),
        alone=None,
        with_context=0.95,
    ),
    _Scheme(
        name="Polish PESEL (national identification number)",
        pattern=re.compile(rf"{_B}[0-9]{{11}}{_E}"),
        is_valid=pesel.is_valid,
        context=ContextWords([r"pesel"]),
        alone=None,
        with_context=0.95,
    ),
    _Scheme(
        name="Indian Aadhaar (unique identity number)",
        pattern=re.compile(rf"{_B}[2-9][0-9]{{3}}[ \-]?[0-9]{{4}}[ \-]?[0-9]{{4}}{_E}"),
        is_valid=aadhaar.is_valid,
        context=ContextWords([r"aadhaa?r", r"uidai?", r"uid\s+(?:number|no\.?)"]),
        alone=None,
        with_context=0.95,
    ),
)

#: every scheme needs one of these: 7 digits in a row, a CURP's letters then birth date, a CPF's
#: dotted groups or Aadhaar's spaced groups
_PREFILTER = re.compile(r"[0-9]{3}(?:[0-9]{3}|[.\- ][0-9]{3})")


class NationalIdDetector:
    """NATIONAL_ID: CURP, CPF, DNI/NIE, PESEL, Aadhaar — only numbers whose checks pass."""

    id: str = "national-id"
    entities: tuple[str, ...] = ("NATIONAL_ID",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 9 or not _PREFILTER.search(text):
            return
        taken: list[tuple[int, int]] = []
        for scheme in _SCHEMES:
            label_hit = scheme.context.in_label(context)
            if scheme.alone is None and label_hit is None and not scheme.context.in_text(text):
                continue
            for m in scheme.pattern.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                value = m.group(0)
                if all_same(compact(value)[:8]) or not scheme.is_valid(value):
                    continue
                hit = label_hit or scheme.context.near(text, m.start())
                confidence = self._confidence(scheme, value, hit)
                if confidence is None:
                    continue
                taken.append((m.start(), m.end()))
                parts = [f"{scheme.name}; layout and check digit are valid"]
                parts.append(hit.describe() if hit else "distinctive layout, no context needed")
                yield Match(
                    entity="NATIONAL_ID",
                    start=m.start(),
                    end=m.end(),
                    value=value,
                    confidence=confidence,
                    detector=self.id,
                    explanation="; ".join(parts),
                )

    @staticmethod
    def _confidence(scheme: _Scheme, value: str, hit: ContextHit | None) -> float | None:
        if hit is not None:
            return scheme.with_context
        if scheme.alone is None:
            return None
        if scheme.alone_layout is not None and not scheme.alone_layout.fullmatch(value):
            return None
        return scheme.alone
