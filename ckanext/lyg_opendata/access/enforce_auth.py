"""Chained core auth functions (DataStore …) that keep conditional data from leaking (Art 17)."""
from __future__ import annotations

__all__: list[str] = []
