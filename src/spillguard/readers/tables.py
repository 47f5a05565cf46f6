"""Small helpers for grids of cells: where the header is, column letters, cell text.

Why: spreadsheets published by agencies rarely start at A1 with a header. They open with title
lines ("Detention statistics FY2023", "Source: ..."), then a header, then data. Detectors judge a
column by its header and its values, so readers need the real header row; and every reader of a
grid (xlsx, xls, ods, csv) should turn cells into the same strings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence

#: cells of a sheet's used range (rows x columns) read into memory at once. calamine holds a
#: sheet as a dense grid, so one value at A1 and one at XFD1048576 would ask for 17 billion cells
#: (and an ODS row repeated a million times is one line of XML): over this bound a sheet is a
#: LimitExceeded, not an exhausted machine. 25 million cells take about 1 GB to read.
MAX_GRID_CELLS = 25_000_000

_NUMERIC = re.compile(r"[-+(]?[$€£¥]?\s*\d[\d,. ]*%?\)?")
_DATEISH = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def column_letter(index0: int) -> str:
    """Excel column letters of a 0-based column index: 0 -> "A", 25 -> "Z", 26 -> "AA"."""
    if index0 < 0:
        raise ValueError("column index must be >= 0")
    letters = ""
    n = index0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@functools.lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """0-based index of Excel column letters: "A" -> 0, "AA" -> 26. (Cached: it runs on every
    cell reference of every sheet.)"""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError("not a column reference")
        n = n * 26 + (ord(ch) - ord("A") + 1)
    if n == 0:
        raise ValueError("not a column reference")
    return n - 1


def format_cell(value: object) -> str:
    """The text a detector should see for a cell value (calamine, openpyxl or csv).

    Dates become ISO ``YYYY-MM-DD`` (datetimes at midnight too; other datetimes keep their time),
    whole floats lose their ``.0`` (``123.0`` -> ``"123"``, so IDs stored as numbers read as
    written), None becomes ``""``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_label(value: object) -> bool:
    """A cell that could be a column name: text that is not a number or a date."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text:
        return False
    return not (_NUMERIC.fullmatch(text) or _DATEISH.fullmatch(text))


def _width(row: Sequence[object]) -> int:
    return sum(1 for v in row if not _is_empty(v))


def find_header_row(rows: Sequence[Sequence[object]], *, max_scan: int = 30) -> int | None:
    """Index (0-based, into `rows`) of the header row, or None when there is no header.

    A header row: at least two non-empty cells (one for a one-column table), nearly all of them
    labels (text that is not a number or a date), no label repeated, at least half as wide as
    the rows that follow it, and followed by at least one non-empty row. Title lines above the
    header are narrower than the data and are passed over; a sheet of numbers has no header.
    """
    limit = min(len(rows), max_scan)
    for i in range(limit):
        row = rows[i]
        filled = [v for v in row if not _is_empty(v)]
        if not filled:
            continue
        following = [r for r in rows[i + 1 : i + 11] if _width(r) > 0]
        if not following:
            return None
        data_width = max(_width(r) for r in following)
        min_cells = 1 if data_width <= 1 else 2
        if len(filled) < min_cells:
            continue
        labels = [v for v in filled if _is_label(v)]
        if len(labels) < 0.8 * len(filled):
            continue
        names = [str(v).strip().casefold() for v in labels]
        if len(set(names)) != len(names):
            continue
        if len(filled) < 0.5 * data_width:
            continue
        return i
    return None
