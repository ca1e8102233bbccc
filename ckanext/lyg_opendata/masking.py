"""How the portal shortens a person's name and a client address where a record is kept but
the person need not be identified (access log pages, security-log retention, disclosure
registers), and how a person's own name, email, phone and ID number are found and replaced
by ``***`` in the texts kept after an erasure (``text_masker``). No imports of the domains:
any of them may use it."""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable, Optional


def mask_name(value: Optional[str]) -> Optional[str]:
    """Keep the first and last character: 张三丰 → 张*丰, zhangsan → z******n, 张三 → 张*."""
    if not value:
        return value
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_ip(value: Optional[str]) -> Optional[str]:
    """IPv4: last octet masked (10.1.2.*); IPv6: the first three groups kept (a:b:c:*)."""
    if not value:
        return value
    if ":" in value and "." not in value:
        groups = value.split(":")
        return ":".join(groups[:3]) + ":*"
    parts = value.rsplit(".", 1)
    return parts[0] + ".*" if len(parts) == 2 else "*"


# --- a person's own details in free text ------------------------------------------------------
#
# People write their phone number, ID number, name and email in many ways: full-width digits
# and letters (１３９１２３４５６７８, ＺＨＯＵ), full-width +８６, dashes and brackets, spaces
# between the digits. Matching is done on the text's NFKC form (full-width → half-width,
# ideographic space → space), in any letter case; what is replaced is the ORIGINAL text the
# match came from, so that the rest of the text stays exactly as written.

MASK = "***"

# between two digits of a phone number as people write it: 139 1234 5678, 0518-8582-1234,
# (0518) 85821234 (after NFKC: full-width dashes, brackets and spaces are half-width)
_PHONE_SEP = r"[\s\-.()‐‑‒–—−]{0,3}"
# between two characters of an ID number: 320705 19900101 1234
_NUMBER_SEP = r"[\s\-.‐‑‒–—−]{0,2}"


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def folded(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` in NFKC, and for each of its characters the span (start, end) in ``text`` of
    the characters it came from: a base character with its combining marks is normalised as
    one cluster (e + ◌́ → é), so that a match never splits it."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = nfkc(text[i:j])
        out.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(out), starts, ends


def phone_digits(value: str) -> Optional[str]:
    """A Chinese phone number's own digits, without the country code (+86, 0086, 86 before a
    mobile number) and the trunk 0 of an area code, in any width: 0518-85821234 → 51885821234,
    ＋８６ １３９ １２３４ ５６７８ → 13912345678. None for fewer than 7 digits."""
    text = nfkc(value).strip()
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+") or digits.startswith("00"):
        digits = digits.lstrip("0")
        digits = digits[2:] if digits.startswith("86") else digits
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    return digits if len(digits) >= 7 else None


def number_chars(value: str) -> Optional[str]:
    """An ID number's characters (NFKC, upper case, separators removed): ３２０７０５ １９９０…
    → 320705199…; None for fewer than 6 (not an identifying number)."""
    chars = re.sub(r"[^0-9A-Z]", "", nfkc(value).upper())
    return chars if len(chars) >= 6 else None


def _phone_pattern(digits: str) -> str:
    """The number however written: separators between its digits, with or without +86 / 0086
    / 86 and the trunk 0; never inside a longer run of digits."""
    return (r"(?<![0-9])(?:(?:(?:\+|00)\s*86|86)[\s\-.‐‑‒–—−]{0,3})?(?:\(?0|\()?"
            + _PHONE_SEP.join(digits) + r"(?![0-9])")


def _number_pattern(chars: str) -> str:
    """An ID number with or without separators, never inside a longer run of letters and
    digits."""
    return r"(?<![0-9A-Za-z])" + _NUMBER_SEP.join(map(re.escape, chars)) + r"(?![0-9A-Za-z])"


def text_masker(texts: Iterable[str], phones: Iterable[str] = (),
                numbers: Iterable[str] = ()) -> Callable[[str], str]:
    """A function replacing, in a text, a person's names and email addresses (``texts``, in
    any letter case and width), their phone numbers (however written, ``phone_digits``) and
    their ID numbers (``number_chars``) by ``***``."""
    ids = sorted({c for c in map(number_chars, numbers) if c}, key=len, reverse=True)
    tels = sorted({d for d in map(phone_digits, phones) if d}, key=len, reverse=True)
    words = sorted({w for w in (nfkc(t).strip() for t in texts) if len(w) >= 2},
                   key=len, reverse=True)  # longest first: an email before its name part
    parts = ([_number_pattern(c) for c in ids] + [_phone_pattern(d) for d in tels]
             + [re.escape(w) for w in words])
    if not parts:
        return lambda value: value
    pattern = re.compile("|".join(parts), re.IGNORECASE)

    def mask(value: str) -> str:
        norm, starts, ends = folded(value)
        out, last = [], 0
        for m in pattern.finditer(norm):
            if m.end() == m.start():
                continue
            start, end = starts[m.start()], ends[m.end() - 1]
            if start < last:  # within a cluster already replaced
                start = last
                if start >= end:
                    continue
            out += [value[last:start], MASK]
            last = end
        if not out:
            return value
        return "".join(out) + value[last:]
    return mask
