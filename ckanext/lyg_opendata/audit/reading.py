"""Reading the access log for its pages and exports: filters, counts, pages and batches, the
record of each disclosure of the log itself, and the masking of names and addresses."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any, Iterator, Optional

import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata.masking import mask_ip, mask_name  # noqa: F401 (re-exported)
from ckanext.lyg_opendata.tables import utcnow
from ckanext.lyg_opendata.audit.model import (
    access_log, access_log_disclosure, access_log_purge, access_log_seal)
from ckanext.lyg_opendata.audit.log import engine, text_of

log = logging.getLogger(__name__)


# --- reading --------------------------------------------------------------------

@dataclasses.dataclass
class Filters:
    package_id: Optional[str] = None
    org_id: Optional[str] = None
    user_id: Optional[str] = None
    user_name: Optional[str] = None
    channel: Optional[str] = None
    date_from: Optional[dt.date] = None
    date_to: Optional[dt.date] = None
    # None: everything (supervisors); otherwise only records of these organizations
    scope_org_ids: Optional[list] = None


def _where(f: Filters):
    c = access_log.c
    clauses = []
    if f.package_id:
        clauses.append(c.package_id == f.package_id)
    if f.org_id:
        clauses.append(c.org_id == f.org_id)
    if f.user_id:
        clauses.append(c.user_id == f.user_id)
    elif f.user_name:
        clauses.append(c.user_name == f.user_name)
    if f.channel:
        clauses.append(c.channel == f.channel)
    if f.date_from:
        clauses.append(c.day >= f.date_from)
    if f.date_to:
        clauses.append(c.day <= f.date_to)
    if f.scope_org_ids is not None:
        clauses.append(c.org_id.in_(f.scope_org_ids or [""]))
    return sa.and_(sa.true(), *clauses)


def _select(f: Filters):
    pkg = sa.table("package", sa.column("id"), sa.column("name"), sa.column("title"))
    res = sa.table("resource", sa.column("id"), sa.column("name"))
    org = sa.table("group", sa.column("id"), sa.column("name"), sa.column("title"))
    return (sa.select(access_log, pkg.c.name.label("package_name"),
                      pkg.c.title.label("package_title"), res.c.name.label("resource_name"),
                      org.c.name.label("org_name"), org.c.title.label("org_title"))
            .select_from(access_log.outerjoin(pkg, pkg.c.id == access_log.c.package_id)
                         .outerjoin(res, res.c.id == access_log.c.resource_id)
                         .outerjoin(org, org.c.id == access_log.c.org_id))
            .where(_where(f)))


def _unfiltered(f: Filters) -> bool:
    return f.scope_org_ids is None and not any(
        (f.package_id, f.org_id, f.user_id, f.user_name, f.channel, f.date_from, f.date_to))


def _segments(conn) -> Optional[list[tuple[int, Optional[int]]]]:
    """The whole log as (records, highest id) per day, newest first, without counting it:
    the days not sealed yet counted live (one range of the day index), the sealed ones from
    their seals (a sealed day is append-only and never changes; purged days left out).
    None when the days' id ranges overlap (then ids are not in day order and only a plain
    count and offset are right)."""
    purged_before = conn.execute(sa.select(sa.func.max(access_log_purge.c.before_day))).scalar()
    seals = sa.select(access_log_seal.c.day, access_log_seal.c.record_count,
                      access_log_seal.c.first_id, access_log_seal.c.last_id).where(
        access_log_seal.c.record_count > 0)
    if purged_before is not None:
        seals = seals.where(access_log_seal.c.day >= purged_before)
    sealed = conn.execute(seals.order_by(access_log_seal.c.day)).all()
    last_day, last_id = conn.execute(sa.select(sa.func.max(access_log_seal.c.day),
                                               sa.func.max(access_log_seal.c.last_id))).one()
    previous = None
    for s in sealed:
        if previous is not None and s.first_id <= previous:
            return None
        previous = s.last_id

    def live(clause):
        return conn.execute(sa.select(sa.func.count()).select_from(access_log).where(
            clause)).scalar_one()
    # the days after the last seal, and everything written after it: the same records
    # unless a record was added to a sealed day (``audit verify`` reports it)
    live_count = live(access_log.c.day > last_day if last_day else sa.true())
    if live_count != live(access_log.c.id > last_id if last_id else sa.true()):
        return None
    return [(live_count, None)] + [(s.record_count, s.last_id) for s in reversed(sealed)]


def count(f: Filters) -> int:
    with engine().connect() as conn:
        if _unfiltered(f):
            segments = _segments(conn)
            if segments is not None:
                return sum(n for n, _last in segments)
        return conn.execute(sa.select(sa.func.count()).select_from(access_log)
                            .where(_where(f))).scalar_one()


def _pseudonymised(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of a deleted account show its pseudonym (the stored record is unchanged:
    its hash and the day's seal still verify; identity/erasure.py)."""
    from ckanext.lyg_opendata.identity import erasure
    names = erasure.pseudonyms(r.get("user_id") for r in rows)
    for row in rows:
        if row.get("user_id") in names:
            row["user_name"] = names[row["user_id"]]
            row["user_fullname"] = None
    return rows


def query(f: Filters, limit: int, offset: int = 0,
          total: Optional[int] = None) -> list[dict[str, Any]]:
    """Newest first. An offset costs what it skips, so a deep page is found another way:
    the whole log's pages start at the day that holds them (``_segments``); a filtered
    list's pages past the middle (``total``: its count) are read from the oldest end."""
    newest = access_log.c.id.desc()
    with engine().connect() as conn:
        # the page's ids first (the log's indexes alone), then their names joined: the
        # joins are made for the page, not for every row an offset skips
        stmt = sa.select(access_log.c.id).where(_where(f))
        segments = _segments(conn) if _unfiltered(f) and offset else None
        if segments is not None:
            skipped = 0
            for n, last_id in segments:
                if offset < skipped + n:
                    if last_id is not None:
                        stmt = stmt.where(access_log.c.id <= last_id)
                    stmt = stmt.order_by(newest).limit(limit).offset(offset - skipped)
                    break
                skipped += n
            else:
                return []
        elif total is not None and offset > total // 2:
            n = min(limit, total - offset)
            if n <= 0:
                return []
            # oldest first; the page is put newest first below
            stmt = stmt.order_by(access_log.c.id).limit(n).offset(total - offset - n)
        else:
            stmt = stmt.order_by(newest).limit(limit).offset(offset)
        page = stmt.subquery()
        rows = [r._asdict() for r in conn.execute(
            _select(f).where(access_log.c.id.in_(sa.select(page.c.id))).order_by(newest))]
        return _pseudonymised(rows)


def iterate(f: Filters, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every matching record, newest first, in batches (keyset paging: no long transaction)."""
    before = None
    while True:
        stmt = _select(f).order_by(access_log.c.id.desc()).limit(batch)
        if before is not None:
            stmt = stmt.where(access_log.c.id < before)
        with engine().connect() as conn:
            rows = _pseudonymised([r._asdict() for r in conn.execute(stmt)])
        yield from rows
        if len(rows) < batch:
            return
        before = rows[-1]["id"]


def note_disclosure(*, user, reason: str, how: str, filters: dict[str, Any]) -> None:
    """Remember that ``user`` was shown the log unmasked (append-only), and log it."""
    obj = model.User.get(user) if isinstance(user, str) else user
    with engine().begin() as conn:
        conn.execute(access_log_disclosure.insert().values(
            created=utcnow(), user_id=obj.id if obj else None,
            user_name=obj.name if obj else user, reason=reason, how=how,
            filters={k: text_of(v) for k, v in filters.items() if v not in (None, "")}))
    log.warning("access log shown unmasked (%s) to %s, reason: %s, filters: %s",
                how, obj.name if obj else user, reason, filters)


def disclosures(limit: int = 100) -> list[dict[str, Any]]:
    with engine().connect() as conn:
        return [r._asdict() for r in conn.execute(
            sa.select(access_log_disclosure).order_by(access_log_disclosure.c.id.desc())
            .limit(limit))]


# --- masking --------------------------------------------------------------------

def masked(record: dict[str, Any]) -> dict[str, Any]:
    record = dict(record)
    record["user_id"] = None
    record["user_name"] = mask_name(record.get("user_name"))
    record["user_fullname"] = mask_name(record.get("user_fullname"))
    record["ip"] = mask_ip(record.get("ip"))
    record["user_agent"] = None
    return record
