"""Auth functions of the access log."""
from __future__ import annotations

__all__: list[str] = []
