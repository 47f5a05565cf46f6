"""Shared helpers for the pattern detectors: context words, labels, digits.

Why a shared module: every detector decides partly from *context* — a column header given by the
caller, or the words just before a match in the same text. Doing that the same way everywhere keeps
explanations consistent ("context word 'SSN' in the column header") and lets us cache the header
check, which is asked once per cell but changes only once per column.

Nothing here ever returns or formats a matched value: only the fixed context keywords, which come
from our own word lists, are quoted in explanations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: how many characters before a match are searched for context words
WINDOW = 40

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[_\s]+")
_NON_DIGITS = re.compile(r"[^0-9]+")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")

_LABEL_CACHE_MAX = 4096

#: a sentence or clause boundary between a context word and a match; "No. X123" is not one
#: (the next word must look like a sentence start: capital then lower case)
_BREAK = re.compile(r"[.!?]\s+[A-Z][a-z]|;\s")


def normalise_label(label: str) -> str:
    """Turn a header such as ``DateOfBirth``, ``DATE_OF_BIRTH`` or ``A_Number`` into plain words.

    Headers come in programmer spellings; context words are written as prose, so we split camel
    case and underscores before matching.
    """
    if not label:
        return ""
    return _SEPARATORS.sub(" ", _CAMEL.sub(" ", label)).strip().lower()


def only_digits(value: str) -> str:
    """ASCII digits of `value`, in order (separators, letters and spaces dropped)."""
    return _NON_DIGITS.sub("", value)


def compact(value: str) -> str:
    """ASCII letters and digits of `value`, upper-cased (for IDs written with separators)."""
    return _NON_ALNUM.sub("", value).upper()


def all_same(value: str) -> bool:
    """True when every character is the same (``111111111``): placeholders, never real IDs."""
    return len(set(value)) <= 1


@dataclass(frozen=True, slots=True)
class ContextHit:
    """A context keyword found for a match; `where` is reviewer-readable."""

    word: str
    where: str  # "the column header or label" | "nearby text"

    def describe(self) -> str:
        return f"context word '{self.word}' in {self.where}"


class ContextWords:
    """A list of context keywords, matched in a caller's label and in the text before a match.

    `strong` patterns count anywhere. `label_only` patterns count only in the `context` argument
    (a header or label): e.g. "a number" is a fine column header for A-numbers but ordinary English
    in prose ("a number of cases"). Patterns are regex fragments, matched case-insensitively on
    word boundaries.
    """

    __slots__ = ("_cache", "_label_re", "_text_re")

    def __init__(self, strong: Iterable[str], *, label_only: Iterable[str] = ()) -> None:
        strong = list(strong)
        label_only = list(label_only)
        self._text_re = _compile(strong)
        self._label_re = _compile(strong + label_only)
        self._cache: dict[str, ContextHit | None] = {}

    def in_label(self, context: str) -> ContextHit | None:
        """The keyword found in a header/label, if any (cached: a column repeats its header)."""
        if not context:
            return None
        try:
            return self._cache[context]
        except KeyError:
            pass
        m = self._label_re.search(normalise_label(context))
        hit = ContextHit(_tidy(m.group(0)), "the column header or label") if m else None
        if len(self._cache) >= _LABEL_CACHE_MAX:
            self._cache.clear()
        self._cache[context] = hit
        return hit

    def near(self, text: str, start: int, *, window: int = WINDOW) -> ContextHit | None:
        """The keyword found in the `window` characters before `start` in `text`, if any."""
        if start <= 0:
            return None
        last = None
        for found in self._text_re.finditer(text, max(0, start - window), start):
            last = found  # keep the closest one
        if last is None or _BREAK.search(text, last.end(), start):
            # "Born 1987. Meeting on 2023-05-17": the word belongs to another sentence
            return None
        return ContextHit(_tidy(last.group(0)), "nearby text")

    def in_text(self, text: str) -> bool:
        """Whether the keyword occurs anywhere in `text` (a cheap pre-filter)."""
        return self._text_re.search(text) is not None

    def find(self, text: str, start: int, context: str) -> ContextHit | None:
        """Label first (cheapest, cached), then the nearby text."""
        return self.in_label(context) or self.near(text, start)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![0-9A-Za-z])(?:{body})(?![0-9A-Za-z])", re.IGNORECASE)


def _tidy(word: str) -> str:
    return " ".join(word.split())[:40]
