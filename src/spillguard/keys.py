"""Keyed hashes: identity without values.

Findings are deduplicated, counted and accepted by keyed hashes (BLAKE2b keyed with an
installation secret), never by the values themselves. The secret comes from
``SPILLGUARD_SECRET`` or from a file created on first use (``$XDG_CONFIG_HOME/spillguard/secret``,
mode 0600). Without the secret a fingerprint cannot be turned back into a value by guessing.
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
from pathlib import Path

ENV_SECRET = "SPILLGUARD_SECRET"
ENV_SECRET_FILE = "SPILLGUARD_SECRET_FILE"


def secret_path() -> Path:
    explicit = os.environ.get(ENV_SECRET_FILE)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "spillguard" / "secret"


@functools.cache
def installation_secret() -> bytes:
    """The key for every keyed hash spillguard makes (32 bytes)."""
    env = os.environ.get(ENV_SECRET)
    if env:
        return hashlib.blake2b(env.encode("utf-8"), digest_size=32).digest()
    path = secret_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    if len(data) < 16:
        from spillguard.errors import PolicyError

        raise PolicyError(f"the installation secret in {path} is too short (need 16+ bytes)")
    return data[:64]


def normalise(value: str) -> str:
    """Case, space and punctuation-insensitive form of a value, for identity and fingerprints."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def identity_key(kind: str, value: str) -> int:
    """A 64-bit keyed hash of a normalised value, used to count distinct people."""
    h = hashlib.blake2b(
        normalise(value).encode("utf-8"),
        digest_size=8,
        key=installation_secret(),
        person=kind.encode("ascii")[:16],
    )
    return int.from_bytes(h.digest(), "big")


def fingerprint(*fields: str) -> str:
    """A stable keyed hash of a finding: what it is, where, and (as a digest) what it holds."""
    h = hashlib.blake2b(digest_size=16, key=installation_secret(), person=b"sg-fingerprint")
    for f in fields:
        h.update(f.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()
