"""Actions of agreements, grants and usage reports (Art 19, 24, 40)."""
from __future__ import annotations

__all__: list[str] = []
