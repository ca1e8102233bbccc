"""Cells of every CSV and XLSX file the portal writes (open lists, organisation open lists,
the access-log export, the working-day calendar): no cell becomes a live formula in the
spreadsheet program of whoever opens the file (CSV/formula injection, OWASP).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe (shown as text, the value readable); XLSX text cells are written as
strings, never as formulas. Numbers and dates stay what they are.

XLSX downloads (the open lists, the yearly evaluation report's figures): the workbook is
written in openpyxl's write-only mode to a temporary file (:func:`saved`, memory stays flat)
and read back to the client in chunks (:func:`stream`)."""
from __future__ import annotations

import tempfile
from typing import IO, Any, Iterable, Iterator

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024                   # bytes per chunk of a streamed download
SPOOL = 8 * 1024 * 1024             # a workbook up to this size stays in memory


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


def saved(workbook: Any) -> IO[bytes]:
    """``workbook`` (openpyxl) saved to a temporary file, rewound, for :func:`stream`."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)
    workbook.save(out)
    out.seek(0)
    return out  # type: ignore[return-value]


def stream(file: IO[bytes], headers: dict[str, str],
           mimetype: str = XLSX_MIMETYPE) -> Response:
    """A download of ``file`` read in chunks of :data:`CHUNK` bytes; the file is closed when
    the response ends."""
    def read() -> Iterator[bytes]:
        with file:
            while True:
                chunk = file.read(CHUNK)
                if not chunk:
                    return
                yield chunk
    return Response(read(), mimetype=mimetype, headers=headers)
