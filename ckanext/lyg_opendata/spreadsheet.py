"""Cells of every CSV and XLSX file the portal writes (open lists, organisation open lists,
the access-log export, the working-day calendar): no cell becomes a live formula in the
spreadsheet program of whoever opens the file (CSV/formula injection, OWASP).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe (shown as text, the value readable); XLSX text cells are written as
strings, never as formulas. Numbers and dates stay what they are."""
from __future__ import annotations

from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def xlsx_text_cell(ws, value: str):
    """A write-only openpyxl cell holding ``value`` as a string (openpyxl would otherwise
    store a value starting with ``=`` as a formula)."""
    from openpyxl.cell import WriteOnlyCell
    cell = WriteOnlyCell(ws, value=safe_cell(value))
    cell.data_type = "s"
    return cell
