"""Actions of objections and reports (Art 20, 25, 38)."""
from __future__ import annotations

__all__: list[str] = []
