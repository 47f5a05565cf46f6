"""spillguard: stops personal data from being published by mistake."""

from __future__ import annotations

__version__ = "0.1.0"
