"""The webhook: a JSON POST when an audit finds something newly or differently exposed.

The body says what changed and where (site, audit, URLs, verdicts, people, entity names) and
nothing of the data itself: no samples, no fingerprints, no values. A webhook that fails is
reported by the caller; the audit is already stored.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from spillguard import __version__
from spillguard.errors import SpillguardError
from spillguard.store import AuditDiff


class NotifyError(SpillguardError):
    """The webhook could not be delivered."""


def should_notify(diff: AuditDiff) -> bool:
    """True when something is newly exposed or exposed differently."""
    return bool(diff.new or diff.changed)


def payload(diff: AuditDiff) -> dict[str, Any]:
    """The webhook body for an audit's diff: what changed and where, no samples, no values."""
    from spillguard.reports.audit import diff_dict

    body = diff_dict(diff)
    return {
        "tool": {"name": "spillguard", "version": __version__},
        "event": "audit.exposures",
        "site": diff.audit.site,
        "counts": {
            "resources": diff.resources,
            "new": len(diff.new),
            "changed": len(diff.changed),
            "removed": len(diff.removed),
            "errors": len(diff.errors),
        },
        **body,
    }


def send(url: str, body: dict[str, Any], *, timeout: float = 15.0) -> int:
    """POST `body` as JSON to `url`; the HTTP status, or `NotifyError`."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise NotifyError(f"the webhook URL must be http or https, not {url!r}")
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"spillguard/{__version__}",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status = int(resp.status)
    except urllib.error.HTTPError as exc:
        raise NotifyError(f"the webhook {url} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or type(exc).__name__
        raise NotifyError(f"the webhook {url} could not be reached ({reason})") from None
    if not 200 <= status < 300:
        raise NotifyError(f"the webhook {url} answered HTTP {status}")
    return status


__all__ = ["NotifyError", "payload", "send", "should_notify"]
