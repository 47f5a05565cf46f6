"""Readers: one module per format family, plus sniffing and limits."""

from spillguard.readers.base import Limits, Reader, ReadItem, Source

__all__ = ["Limits", "ReadItem", "Reader", "Source"]
