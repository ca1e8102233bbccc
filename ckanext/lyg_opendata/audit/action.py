"""Actions of the access log (Art 21)."""
from __future__ import annotations

__all__: list[str] = []
