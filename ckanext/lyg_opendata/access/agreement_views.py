"""Pages of agreements, grants and usage reports."""
from __future__ import annotations

__all__: list[str] = []
