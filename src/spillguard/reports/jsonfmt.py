"""The JSON report: the contract of DESIGN.md (fields may be added, never renamed)."""

from __future__ import annotations

import json
from typing import TextIO

from spillguard.model import Report


class JsonReporter:
    format = "json"

    def render(self, report: Report, out: TextIO) -> None:
        json.dump(report.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
