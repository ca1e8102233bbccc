"""Sealing, verifying and purging the access log, day by day.

- ``seal`` (``ckan lyg-opendata audit seal``, scheduled after midnight) writes one row per
  closed Beijing day: ``root`` = SHA-256 over the day's record hashes in id order,
  ``seal_hash`` = SHA-256 over (day, count, first and last id, root, previous day's
  ``seal_hash``) — a chain of days;
- ``verify`` recomputes every record hash, every sealed day's root and the chain;
- ``purge`` deletes whole sealed days older than the retention; their seals stay, so the
  chain still verifies."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any, Callable, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.tables import utcnow
from ckanext.lyg_opendata.audit.model import (
    access_log, access_log_purge, access_log_seal)
from ckanext.lyg_opendata.workdays.calendar import day_end_utc, today_beijing
from ckanext.lyg_opendata.audit.log import (
    DayRoot, GENESIS, MIN_RETENTION_DAYS, PURGE_SETTING, engine, record_hash, seal_hash)

log = logging.getLogger(__name__)


# --- sealing --------------------------------------------------------------------

SEAL_LOCK = 0x4C59_4741  # pg advisory lock key of the sealer ("LYGA")


def _last_seal(conn):
    return conn.execute(sa.select(access_log_seal).order_by(access_log_seal.c.day.desc())
                        .limit(1)).first()


def last_closed_day(now: Optional[dt.datetime] = None, grace_minutes: int = 0) -> dt.date:
    """The last Beijing day that ended at least ``grace_minutes`` ago (writes that began
    before midnight have committed by then)."""
    now = now or utcnow()
    day = today_beijing(now) - dt.timedelta(days=1)
    while day_end_utc(day) + dt.timedelta(minutes=grace_minutes) > now:
        day -= dt.timedelta(days=1)
    return day


def seal(now: Optional[dt.datetime] = None, progress: Callable[[str], None] = lambda s: None,
         grace_minutes: Optional[int] = None) -> list[dict[str, Any]]:
    """Seal every closed day not sealed yet, from the first record's day (or the day after
    the last seal) on, empty days included, one transaction per day. Returns the seals."""
    if grace_minutes is None:
        grace_minutes = tk.config.get("ckanext.lyg_opendata.access_log.seal_grace_minutes")
    until = last_closed_day(now, grace_minutes)
    sealed = []
    with engine().connect() as conn:
        while True:
            with conn.begin():
                # one sealer at a time; each day in its own transaction
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEAL_LOCK})
                last = _last_seal(conn)
                if last is not None:
                    day, prev = last.day + dt.timedelta(days=1), last.seal_hash
                else:
                    day = conn.execute(sa.select(sa.func.min(access_log.c.day))).scalar()
                    prev = GENESIS
                if day is None or day > until:
                    break
                root = DayRoot(day)
                rows = conn.execute(
                    sa.select(access_log.c.id, access_log.c.record_hash)
                    .where(access_log.c.day == day).order_by(access_log.c.id)
                    .execution_options(yield_per=5000))
                for row in rows:
                    root.add(row.id, row.record_hash)
                values = {"day": day, "record_count": root.count, "first_id": root.first_id,
                          "last_id": root.last_id, "root": root.hexdigest(),
                          "prev_hash": prev, "sealed_at": utcnow()}
                values["seal_hash"] = seal_hash(day, root.count, root.first_id,
                                                root.last_id, values["root"], prev)
                conn.execute(access_log_seal.insert().values(**values))
            if root.count:
                progress(f"{day.isoformat()}: {root.count} records sealed, "
                         f"root {values['root'][:16]}…")
            sealed.append(values)
    return sealed


# --- verifying ------------------------------------------------------------------

@dataclasses.dataclass
class Problem:
    day: dt.date
    message: str
    record_id: Optional[int] = None
    created: Optional[dt.datetime] = None

    def __str__(self) -> str:
        if self.record_id is not None:
            when = self.created.replace(tzinfo=dt.timezone.utc).astimezone(
                dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S.%f")
            return f"record {self.record_id} ({when} Beijing time): {self.message}"
        return f"day {self.day.isoformat()}: {self.message}"


@dataclasses.dataclass
class Verification:
    records: int = 0
    days_sealed: int = 0
    days_purged: int = 0
    unsealed_records: int = 0
    problems: list = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(progress: Callable[[str], None] = lambda s: None,
           every: int = 10000) -> Verification:
    """Check every record's hash, every sealed day's root and count, and the chain of
    seals. Problems are listed in time order (the first is the first broken record)."""
    result = Verification()
    with engine().connect() as conn:
        seals = {s.day: s for s in conn.execute(
            sa.select(access_log_seal).order_by(access_log_seal.c.day))}
        purged_before = conn.execute(sa.select(sa.func.max(access_log_purge.c.before_day))).scalar()
        # 1. the chain of seals
        prev, prev_day = GENESIS, None
        for day, s in seals.items():
            if prev_day is not None and day != prev_day + dt.timedelta(days=1):
                result.problems.append(Problem(day, f"seal chain has a gap after {prev_day}"))
            if s.prev_hash != prev:
                result.problems.append(Problem(day, "seal does not chain to the previous day's seal"))
            if seal_hash(day, s.record_count, s.first_id, s.last_id, s.root, s.prev_hash) != s.seal_hash:
                result.problems.append(Problem(day, "seal hash does not match the seal's content"))
            prev, prev_day = s.seal_hash, day
        # 2. every record, day by day
        rows = conn.execute(
            sa.select(access_log).order_by(access_log.c.day, access_log.c.id)
            .execution_options(yield_per=5000))
        current: Optional[DayRoot] = None
        seen_days = set()

        def close(root: Optional[DayRoot]):
            if root is None:
                return
            seen_days.add(root.day)
            s = seals.get(root.day)
            if s is None:
                return
            result.days_sealed += 1
            if (root.count, root.first_id, root.last_id) != (s.record_count, s.first_id, s.last_id):
                result.problems.append(Problem(
                    root.day, f"{root.count} records (ids {root.first_id}–{root.last_id}) where "
                              f"the seal has {s.record_count} (ids {s.first_id}–{s.last_id}): "
                              f"records were removed or added after sealing"))
            elif root.hexdigest() != s.root:
                result.problems.append(Problem(
                    root.day, "the day's root does not match its seal: a record of the day "
                              "was altered (its hash recomputed) or records were reordered"))
            progress(f"{root.day.isoformat()}: {root.count} records, sealed, "
                     f"{'ok' if not [p for p in result.problems if p.day == root.day] else 'BROKEN'}")

        for row in rows:
            if current is None or current.day != row.day:
                close(current)
                current = DayRoot(row.day)
            record = row._asdict()
            if record_hash(record) != row.record_hash:
                result.problems.append(Problem(row.day, "content does not match its hash",
                                               row.id, row.created))
            elif row.day != today_beijing(row.created):
                result.problems.append(Problem(row.day, "day does not match its time",
                                               row.id, row.created))
            current.add(row.id, row.record_hash)
            result.records += 1
            if row.day not in seals:
                result.unsealed_records += 1
            if result.records % every == 0:
                progress(f"… {result.records} records checked")
        close(current)
        # 3. sealed days without any record left
        for day, s in seals.items():
            if day in seen_days:
                continue
            if s.record_count == 0:
                result.days_sealed += 1
            elif purged_before is not None and day < purged_before:
                result.days_purged += 1
            else:
                result.days_sealed += 1
                result.problems.append(Problem(
                    day, f"all {s.record_count} sealed records are missing (not purged)"))
    result.problems.sort(key=lambda p: (p.day, p.record_id is None, p.record_id or 0))
    return result


# --- purging --------------------------------------------------------------------

def retention_days() -> int:
    days = tk.config.get("ckanext.lyg_opendata.access_log.retention_days")
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"ckanext.lyg_opendata.access_log.retention_days is {days}; "
                         f"records are kept at least {MIN_RETENTION_DAYS} days")
    return days


def purge(now: Optional[dt.datetime] = None,
          progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Seal what is closed, then delete the records of sealed days older than the
    retention, one day per transaction, and note the purge (append-only)."""
    days = retention_days()
    now = now or utcnow()
    seal(now, progress)
    before = today_beijing(now) - dt.timedelta(days=days)
    total = 0
    with engine().connect() as conn:
        day_rows = conn.execute(
            sa.select(access_log.c.day, sa.func.count()).where(access_log.c.day < before)
            .group_by(access_log.c.day).order_by(access_log.c.day)).all()
        conn.rollback()  # end the reading transaction; each day is deleted in its own
        for day, count in day_rows:
            with conn.begin():
                # the trigger lets this transaction (and nothing else) delete old sealed days
                conn.execute(sa.text(f"SET LOCAL {PURGE_SETTING} = 'on'"))
                deleted = conn.execute(access_log.delete().where(access_log.c.day == day)).rowcount
            total += deleted
            progress(f"{day.isoformat()}: {deleted} records purged")
        with conn.begin():
            conn.execute(access_log_purge.insert().values(
                purged_at=utcnow(), before_day=before, retention_days=days, record_count=total))
    log.info("access log purge: %s records before %s deleted", total, before)
    return {"before_day": before, "retention_days": days, "records": total}
