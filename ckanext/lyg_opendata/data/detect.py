"""The personal-data detector (Art 14, 26): which columns of a table hold personal
information, with python-stdnum's check digits rather than our own.

Kinds found:

- ``ric`` 居民身份证号码 (GB 11643, 18 characters, ``stdnum.cn.ric``: check character,
  birth date and region) — personal;
- ``mobile`` 手机号码 (11 digits, 1[3-9]…, optionally +86 / 86) — personal;
- ``bank_card`` 银行卡号 (16–19 digits, Luhn check ``stdnum.luhn``, a known issuer
  prefix: 62 UnionPay, 4 Visa, 5 Mastercard, 3 JCB/Amex, 6 Discover) — personal;
- ``email`` 电子邮箱 — personal;
- ``uscc`` 统一社会信用代码 (GB 32100, ``stdnum.cn.uscc``) — a legal person's code, not
  personal: reported as a note that blocks nothing.

A column is flagged when a kind matches at least ``MIN_HITS`` of its values and at least
``MIN_SHARE`` of its non-empty values (so one stray number in a column of amounts is not
a finding, while a column of ID numbers with a few blanks is). Values are also searched
inside free text (an ID number inside a 备注), where the same thresholds apply.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, Iterable, Iterator, Optional

from stdnum import luhn
from stdnum.cn import ric, uscc

PERSONAL = ("ric", "mobile", "bank_card", "email")
NOTES = ("uscc",)
KINDS = PERSONAL + NOTES

MIN_HITS = 1
MIN_SHARE = 0.05
SAMPLES = 3

_RIC = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                  r"(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)")
_CARD = re.compile(r"(?<![0-9A-Za-z])((?:\d[ -]?){15,18}\d)(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_USCC = re.compile(r"(?<![0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})"
                   r"(?![0-9A-Za-z])")
_CARD_PREFIX = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|3[47]|35|6011|65)")


PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
             "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
             "61", "62", "63", "64", "65", "71", "81", "82"}


def is_ric(value: str) -> bool:
    """GB 11643: 18 characters, the check character (``stdnum.cn.ric``), a real birth
    date (``ric.get_birth_date``) and a province code. stdnum's own ``is_valid`` also
    requires the county code to have existed in the birth year, which rejects real numbers
    (a person born in 1970 in 海州区 carries 320706, a code of 1983)."""
    from stdnum.exceptions import ValidationError as StdnumError
    if len(value) != 18 or not value[:17].isdigit() or value[:2] not in PROVINCES:
        return False
    if value[-1] != ric.calc_check_digit(value):
        return False
    try:
        ric.get_birth_date(value)
    except StdnumError:
        return False
    return True


def is_bank_card(digits: str) -> bool:
    return (16 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits))
            and luhn.is_valid(digits))


def is_uscc(value: str) -> bool:
    return uscc.is_valid(value)


def matches(value: str) -> dict[str, str]:
    """The kinds found in one cell, each with the first matching text (normalised)."""
    found: dict[str, str] = {}
    if not value or len(value) < 6:
        return found
    for m in _RIC.finditer(value):
        if is_ric(m.group(1).upper()):
            found["ric"] = m.group(1).upper()
            break
    for m in _MOBILE.finditer(value):
        found["mobile"] = m.group(1)
        break
    for m in _CARD.finditer(value):
        digits = re.sub(r"[ -]", "", m.group(1))
        if digits != found.get("ric") and is_bank_card(digits):
            found["bank_card"] = digits
            break
    if "@" in value:
        m = _EMAIL.search(value)
        if m:
            found["email"] = m.group(0)
    for m in _USCC.finditer(value.upper()):
        if is_uscc(m.group(1)):
            found["uscc"] = m.group(1)
            break
    return found


def mask(kind: str, value: str) -> str:
    """A sample as the findings show it: 3207**********1234, 138****5678, z***@example.cn."""
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if kind == "mobile":
        return value[:3] + "*" * 4 + value[-4:]
    if kind == "uscc":
        return value  # a legal person's public code
    keep = 4
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


@dataclass
class ColumnFinding:
    column: str
    kind: str
    count: int
    rows: int
    samples: list[str] = field(default_factory=list)

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.column, "kind": self.kind, "count": self.count,
                "rows": self.rows, "samples": self.samples, "personal": self.personal}


# --- the column pre-filter ----------------------------------------------------------------
#
# Most columns hold nothing that could be personal data: every kind needs a long run of
# digits (11 for a mobile number, 17 for an ID number, 16 with separators for a bank card),
# an 18-character run of letters and digits (a credit code) or an "@". A block of a
# column's cells is joined and mapped byte by byte (digits, and for credit codes letters, to
# "0"; bank-card separators removed) and searched for such a run with ``bytes.__contains__``
# — a few C passes over the block instead of five regular expressions per cell. Only the
# cells of a block that contain a run go through ``matches`` (the regular expressions and the
# python-stdnum check digits). The filter is a superset of what ``matches`` can find, so no
# finding is lost (tests/data/test_scan.py compares both on generated tables).

_DIGITS = bytes.maketrans(b"0123456789", b"0" * 10)
_ALNUM = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                         b"0" * 62)
_RUN_DIGITS = b"0" * 11          # mobile (11), ID number (17 + check character), bare card
_RUN_CARD = b"0" * 16            # a card written with spaces or hyphens
_RUN_ALNUM = b"0" * 18           # a credit code (and an ID number ending in X)
_SEP = "\x00"                   # joins a block's cells (no PostgreSQL text holds it)
BLOCK = 512


def _candidates(cells: "tuple[str, ...]") -> Optional[list[int]]:
    """Indexes of the cells of a block that may hold a finding; None: every cell (a cell
    holds the separator)."""
    text = _SEP.join(cells)
    raw = text.encode("utf-8", "surrogatepass")
    digits = raw.translate(_DIGITS)
    has_digits = _RUN_DIGITS in digits
    joined = digits.translate(None, b" -")
    has_card = _RUN_CARD in joined
    has_alnum = _RUN_ALNUM in raw.translate(_ALNUM)
    has_at = "@" in text
    if not (has_digits or has_card or has_alnum or has_at):
        return []
    if text.count(_SEP) != len(cells) - 1:
        return None
    # which cells: the same tests per cell, on the block's mapped bytes split again
    found: set[int] = set()
    sep = _SEP.encode()
    if has_digits:
        found.update(i for i, c in enumerate(digits.split(sep)) if _RUN_DIGITS in c)
    if has_card:
        found.update(i for i, c in enumerate(joined.split(sep)) if _RUN_CARD in c)
    if has_alnum:
        found.update(i for i, c in enumerate(raw.translate(_ALNUM).split(sep))
                     if _RUN_ALNUM in c)
    if has_at:
        found.update(i for i, c in enumerate(cells) if "@" in c)
    return sorted(found)


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    return cell if isinstance(cell, str) else str(cell)


class TableScan:
    """Feed rows (any length); ``findings()`` gives the flagged columns. Rows are kept in
    blocks of ``BLOCK`` and scanned column by column (``_candidates``)."""

    def __init__(self, header: list[str]):
        self.header = [str(h) for h in header]
        self.nonempty = [0] * len(self.header)
        self.hits: dict[tuple[int, str], int] = {}
        self.samples: dict[tuple[int, str], list[str]] = {}
        self.rows = 0
        self._block: list[Any] = []

    def feed(self, row: Iterable[Any]) -> None:
        self._block.append(row)
        if len(self._block) >= BLOCK:
            self._flush()

    def feed_all(self, rows: Iterable[Iterable[Any]]) -> "TableScan":
        block = self._block
        for row in rows:
            block.append(row)
            if len(block) >= BLOCK:
                self._flush()
                block = self._block
        self._flush()
        return self

    def _flush(self) -> None:
        block, self._block = self._block, []
        if not block:
            return
        self.rows += len(block)
        width = len(self.header)
        columns = zip_longest(*block, fillvalue=None) if block else ()
        for i, column in enumerate(columns):
            if i >= width:
                break
            try:  # the common case: every cell is text (CSV, the DataStore)
                stripped = list(map(str.strip, column))
                cells = column
            except TypeError:  # numbers, dates, empty cells (XLSX, JSON, a short row)
                cells = tuple(map(_text, column))
                stripped = list(map(str.strip, cells))
            self.nonempty[i] += len(stripped) - stripped.count("")
            which = _candidates(cells)
            if which is None:
                which = range(len(stripped))
            for j in which:
                text = stripped[j]
                if len(text) < 6:
                    continue
                for kind, value in matches(text).items():
                    key = (i, kind)
                    self.hits[key] = self.hits.get(key, 0) + 1
                    samples = self.samples.setdefault(key, [])
                    if len(samples) < SAMPLES:
                        masked = mask(kind, value)
                        if masked not in samples:
                            samples.append(masked)

    def findings(self) -> list[ColumnFinding]:
        self._flush()
        out = []
        for (i, kind), count in sorted(self.hits.items()):
            if count >= MIN_HITS and count >= MIN_SHARE * max(self.nonempty[i], 1):
                out.append(ColumnFinding(self.header[i], kind, count, self.nonempty[i],
                                         self.samples[(i, kind)]))
        return out


def scan_rows(header: list[str], rows: Iterable[Iterable[Any]]) -> list[ColumnFinding]:
    return TableScan(header).feed_all(rows).findings()


# --- reading files -------------------------------------------------------------------------

TABULAR = {"CSV", "TSV", "XLSX", "XLS", "JSON", "GEOJSON", "TXT"}


def decode(raw: bytes) -> str:
    """Text of a file as Chinese government files come: UTF-8 (with or without BOM), else
    GB18030 (a superset of GBK and GB2312)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _csv_rows(text: str, delimiter: Optional[str] = None) -> Iterator[list[str]]:
    import csv
    import io
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _json_rows(text: str) -> tuple[list[str], list[list[Any]]]:
    import json
    data = json.loads(text)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        data = [f.get("properties") or {} for f in data.get("features") or []]
    elif isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    records = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
    header: list[str] = []
    for r in records:
        for k in r:
            if k not in header:
                header.append(k)
    if not records and isinstance(data, list):
        return ["value"], [[json.dumps(v, ensure_ascii=False)] for v in data]
    return header, [[r.get(h) for h in header] for r in records]


def read_table(path: str, fmt: str) -> tuple[list[str], Iterable[Iterable[Any]]]:
    """Header and rows of a file; anything not tabular is read as lines of text."""
    fmt = (fmt or "").upper()
    if fmt in ("XLSX", "XLSM"):
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)

        def rows():
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    yield row
        it = iter(rows())
        header = [str(h) if h is not None else "" for h in next(it, [])]
        return header, it
    with open(path, "rb") as f:
        raw = f.read()
    if fmt == "PDF" or raw[:5] == b"%PDF-":
        return ["text"], ([line] for line in _pdf_text(path))
    text = decode(raw)
    if fmt in ("JSON", "GEOJSON"):
        try:
            return _json_rows(text)
        except ValueError:
            pass
    if fmt in ("CSV", "TSV", "TXT", ""):
        it = _csv_rows(text, "\t" if fmt == "TSV" else None)
        return [str(h) for h in next(it, [])], it
    return ["text"], ([line] for line in text.splitlines())


def _pdf_text(path: str) -> list[str]:
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf comes with the test extras only
        return []
    try:
        return [line for page in PdfReader(path).pages
                for line in (page.extract_text() or "").splitlines()]
    except Exception:  # noqa: BLE001 - an unreadable PDF has nothing to scan
        return []
