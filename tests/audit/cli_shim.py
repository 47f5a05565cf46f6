"""`python -m tests.audit.cli_shim ...`: the spillguard CLI with the audit commands registered
(until cli.py registers them itself; then this is the same CLI)."""

from __future__ import annotations

from spillguard import cli_audit
from spillguard.cli import app, main

if not any(c.name == "audit" for c in app.registered_commands):
    cli_audit.register(app)

if __name__ == "__main__":
    main()
