"""Scoring: per-entity precision, recall and F1 for prose spans and for table columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchmarks.compare.prose import Span

#: a prediction of the key entity lying on a gold span of one of these types is neither right nor
#: wrong: Presidio's DATE_TIME is any date, its LOCATION any place, its NRP also religions
DONT_CARE: dict[str, frozenset[str]] = {
    "DATE_OF_BIRTH": frozenset({"DATE_TIME"}),
    "STREET_ADDRESS": frozenset({"GPE", "ZIP_CODE"}),
    "NATIONALITY": frozenset({"RELIGION", "GPE"}),
}


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def score_spans(
    gold: Sequence[Span], pred: Iterable[Span], entities: Sequence[str]
) -> dict[str, Counts]:
    """Entity-level matching: a prediction is right when it overlaps a gold span of its entity
    (each gold span matched once; a second prediction on the same gold span is not counted)."""
    out = {e: Counts() for e in entities}
    pred = list(pred)
    for e in entities:
        g = [s for s in gold if s.entity == e]
        care = DONT_CARE.get(e, frozenset())
        ignore = [s for s in gold if s.entity in care]
        matched = [False] * len(g)
        for p in (p for p in pred if p.entity == e):
            hit = False
            for i, s in enumerate(g):
                if _overlaps(p, s):
                    hit = True
                    if not matched[i]:
                        matched[i] = True
                        out[e].tp += 1
                    break
            if hit:
                continue
            if any(_overlaps(p, s) for s in ignore):
                continue
            out[e].fp += 1
        out[e].fn += matched.count(False)
    return out


def score_columns(
    truth: Sequence[str | None], predicted: dict[int, set[str]], entities: Sequence[str]
) -> dict[str, Counts]:
    out = {e: Counts() for e in entities}
    for j, label in enumerate(truth):
        got = predicted.get(j, set())
        for e in entities:
            if label == e and e in got:
                out[e].tp += 1
            elif label == e:
                out[e].fn += 1
            elif e in got:
                out[e].fp += 1
    return out
