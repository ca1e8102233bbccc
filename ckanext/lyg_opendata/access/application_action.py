"""Actions of the application workflow (Art 19)."""
from __future__ import annotations

__all__: list[str] = []
