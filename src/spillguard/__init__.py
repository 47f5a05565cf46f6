"""spillguard: stops personal data from being published by mistake."""

from __future__ import annotations

__version__ = "0.1.0"

from spillguard.errors import (
    CorruptFile,
    EncryptedFile,
    LimitExceeded,
    PolicyError,
    ReadError,
    SpillguardError,
    UnsupportedFormat,
)
from spillguard.model import (
    FileResult,
    Finding,
    Location,
    Report,
    Severity,
    Surface,
    TablePart,
    TextPart,
    Verdict,
)
from spillguard.policy import Policy
from spillguard.scanner import scan

__all__ = [
    "CorruptFile",
    "EncryptedFile",
    "FileResult",
    "Finding",
    "LimitExceeded",
    "Location",
    "Policy",
    "PolicyError",
    "ReadError",
    "Report",
    "Severity",
    "SpillguardError",
    "Surface",
    "TablePart",
    "TextPart",
    "UnsupportedFormat",
    "Verdict",
    "__version__",
    "scan",
]
