"""Broken input gets a clear error verdict, never a traceback; odd-but-valid input is read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from spillguard import Verdict, scan
from tests import builders


def _error_of(path: Path) -> str:
    (fr,) = scan([path]).files
    assert fr.verdict is Verdict.ERROR, (fr.verdict, fr.reasons)
    assert fr.error
    assert "Traceback" not in fr.error
    return fr.error


def test_truncated_xlsx(tmp_path: Path) -> None:
    full = tmp_path / "full.xlsx"
    builders.detention_workbook(full, n=300)
    cut = tmp_path / "cut.xlsx"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    msg = _error_of(cut)
    assert any(w in msg.lower() for w in ("truncated", "corrupt", "damaged", "not a valid"))


def test_password_protected_xlsx(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    builders.hidden_rows_workbook(plain)
    enc = tmp_path / "locked.xlsx"
    office = msoffcrypto.OfficeFile(io.BytesIO(plain.read_bytes()))
    out = io.BytesIO()
    office.encrypt("s3cret", out)
    enc.write_bytes(out.getvalue())
    assert "encrypt" in _error_of(enc).lower() or "password" in _error_of(enc).lower()


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "report.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("notes.txt", "hello")
    msg = _error_of(p)
    assert "zip" in msg.lower()


def test_empty_file_named_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    assert "empty" in _error_of(p).lower()


def test_empty_text_file_passes_with_a_note(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    (fr,) = scan([p]).files
    assert fr.verdict is Verdict.PASS
    assert fr.reasons == ["empty file: nothing to inspect"]


def test_zero_byte_sheet(tmp_path: Path) -> None:
    full = tmp_path / "full.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Facility", "Detained"])
    wb.active.append(["North", 12])
    wb.save(full)
    broken = tmp_path / "zero-sheet.xlsx"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            dst.writestr(
                item, b"" if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            )
    assert "sheet1.xml" in _error_of(broken)


def test_utf16_csv_is_read(tmp_path: Path) -> None:
    p = tmp_path / "records-utf16.csv"
    builders.records_csv(p, 200)
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode("utf-16"))
    (fr,) = scan([p]).files
    assert fr.verdict is Verdict.BLOCK, (fr.verdict, fr.error)
    assert 180 <= fr.individuals <= 220


def test_extension_does_not_decide_the_type(tmp_path: Path) -> None:
    p = tmp_path / "data.csv"
    builders.detention_workbook(p, n=50)
    (fr,) = scan([p]).files
    assert fr.file_type == "xlsx"
    assert fr.verdict is Verdict.BLOCK


@pytest.mark.parametrize("payload", [b"\x00\x01\x02\x03garbage" * 100, bytes(range(256)) * 40])
def test_unknown_binary_is_reported_not_ignored(tmp_path: Path, payload: bytes) -> None:
    p = tmp_path / "blob.bin"
    p.write_bytes(payload)
    assert "not" in _error_of(p)


def test_a_pipe_is_an_error_not_a_hang(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in _error_of(fifo)
