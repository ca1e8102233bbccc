"""Readable, stable, unique names (URL slugs) for harvested entries.

The name is chosen once, when the entry is created, and kept on every later sync: from the
source's own identifier when it is a short readable token, else from the title (Chinese in
pinyin: 连云港市公交线路 → ``lianyungangshi-gongjiao-xianlu``), else from the harvest
source's name. A name already taken gets ``-2``, ``-3``…

Several fetch consumers import at once, each in its own transaction, and CKAN's name
validator reads only committed rows: it does not protect concurrent creators. A name is
taken with a PostgreSQL transaction-level advisory lock on it, held until the importing
transaction ends; a name another transaction holds counts as taken (the next one is tried,
nobody waits).
"""
from __future__ import annotations

import re

import sqlalchemy as sa

import ckan.model as model
from ckan.lib.munge import munge_name

MAX_LENGTH = 90
# pg_try_advisory_xact_lock(NAME_LOCK, hashtext(name)): one transaction holds a new name
NAME_LOCK = 0x4C594E  # "LYN"
_HAN = re.compile(r"[\u3400-\u9fff]")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-``; Chinese characters in pinyin."""
    text = (text or "").strip()
    if _HAN.search(text):
        from pypinyin import Style, lazy_pinyin
        words = [part for part in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [s])
                 if part.isascii()]
        text = " ".join(words)
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    text = re.sub(r"-{2,}", "-", text)
    return munge_name(text)[:MAX_LENGTH].strip("-") if text else ""


def _readable(candidate: str) -> bool:
    """At least one letter and not a bare number or a one-letter stump."""
    return len(candidate) >= 3 and bool(re.search(r"[a-z]", candidate))


def base_name(identifier: str | None, title: str | None, fallback: str) -> str:
    ident = (identifier or "").strip()
    if "://" in ident:
        ident = ident.rstrip("/#").rsplit("/", 1)[-1].split("#")[-1]
    from_ident = slug(ident) if ident and len(ident) <= 60 and not _looks_random(ident) else ""
    if _readable(from_ident):
        return from_ident
    from_title = slug(title or "")
    if _readable(from_title):
        return _shorten(from_title)
    return slug(fallback) or "harvested"


def _looks_random(ident: str) -> bool:
    """UUIDs and long hex strings are identifiers, not names."""
    return bool(re.fullmatch(r"[0-9a-fA-F-]{16,}", ident))


def _shorten(name: str) -> str:
    """Pinyin of a long title, cut at a word boundary."""
    if len(name) <= 60:
        return name
    return name[:60].rsplit("-", 1)[0]


def _hold(name: str) -> bool:
    """True when this transaction now holds ``name`` (until it ends); False when another
    one does."""
    return bool(model.Session.execute(sa.select(sa.func.pg_try_advisory_xact_lock(
        NAME_LOCK, sa.func.hashtext(name)))).scalar())


def _in_use(name: str) -> bool:
    return model.Session.query(model.Package.id).filter(model.Package.name == name).first() \
        is not None


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free in the database and in
    ``taken`` (names given earlier in the same run) and not held by another transaction.
    The name returned is held until the caller's transaction ends (commit or rollback):
    the caller creates the entry with it in that transaction."""
    base = base[:MAX_LENGTH - 6].strip("-") or "harvested"
    candidate, n = base, 1
    while True:
        # checked again once held: it may have been committed in between
        if candidate not in taken and not _in_use(candidate) and _hold(candidate) \
                and not _in_use(candidate):
            break
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
