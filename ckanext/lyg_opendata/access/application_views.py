"""Pages of the application workflow."""
from __future__ import annotations

__all__: list[str] = []
