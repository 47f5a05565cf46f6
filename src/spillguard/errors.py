"""The exception tree. Messages describe structure, never content: no raw value may appear here.

SpillguardError
├── ReadError                 a file could not be read fully -> verdict "error"
│   ├── EncryptedFile         password-protected or encrypted
│   ├── CorruptFile           malformed, truncated, not what it claims to be
│   ├── LimitExceeded         over a size, count or time limit
│   └── UnsupportedFormat     a type no reader handles (and that may hold data)
├── PolicyError               invalid configuration
└── UsageError                bad command-line use
"""

from __future__ import annotations


class SpillguardError(Exception):
    """Base class of every error spillguard raises on purpose."""


class ReadError(SpillguardError):
    """A file could not be read fully. Scans turn this into an ``error`` verdict that blocks."""


class EncryptedFile(ReadError):
    """The file is encrypted or password-protected, so its content cannot be inspected."""


class CorruptFile(ReadError):
    """The file is malformed or truncated, or is not the format it claims to be."""


class LimitExceeded(ReadError):
    """The file is over a configured limit (size, rows, members, expansion ratio, time)."""


class UnsupportedFormat(ReadError):
    """No reader handles this type of file."""


class PolicyError(SpillguardError):
    """The policy or configuration is invalid."""


class UsageError(SpillguardError):
    """The command line was used wrongly."""


__all__ = [
    "CorruptFile",
    "EncryptedFile",
    "LimitExceeded",
    "PolicyError",
    "ReadError",
    "SpillguardError",
    "UnsupportedFormat",
    "UsageError",
]
