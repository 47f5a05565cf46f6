"""Damaged PDFs: every mutation is either read or refused with a ReadError, never another error.

Byte flips and cuts over PDFs that use every surface the reader knows (covered text, revisions,
attachments, annotations, forms, metadata, layers). A found crash (a damaged Info key that made
pikepdf raise TypeError) is kept as a seed here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from spillguard.errors import ReadError
from spillguard.readers.base import Source
from spillguard.readers.pdf import PdfReader
from tests import builders_pdf as B

_BUILDERS = (
    B.covered_filing_pdf,
    B.revised_pdf,
    B.attachment_pdf,
    B.annotated_pdf,
    B.form_pdf,
    B.metadata_pdf,
    B.layer_pdf,
    B.redact_annotation_pdf,
)


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    root = tmp_path_factory.mktemp("pdf-originals")
    out = []
    for i, build in enumerate(_BUILDERS):
        path = root / f"{i}.pdf"
        build(path)
        out.append(path.read_bytes())
    return out


@pytest.mark.parametrize("seed", range(6))
def test_mutated_pdfs_read_or_refuse(originals: list[bytes], seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    reader = PdfReader()
    outcomes = {"read": 0, "refused": 0}
    for n in range(60):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            cut = rng.randrange(len(data))
            data = data[:cut] + data[-30:]
        path = tmp_path / f"m{n}.pdf"
        path.write_bytes(bytes(data))
        source = Source.from_path(path)
        if reader.sniff(source) is None:
            continue
        try:
            list(reader.read(source, "pdf"))
            outcomes["read"] += 1
        except ReadError as exc:
            message = str(exc)
            outcomes["refused"] += 1
            assert message
    assert outcomes["read"] > 0
    assert outcomes["refused"] > 0
