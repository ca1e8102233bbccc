"""Writing, sealing, verifying and purging the access log.

Tamper evidence without a single chain head:

- every record stores ``record_hash`` = SHA-256 of its canonical content (:func:`canonical`),
  computed when it is written; writers never read another record, so downloads never
  wait on a lock;
- records are grouped by their Beijing day. ``seal`` (``ckan lyg-opendata audit seal``,
  scheduled after midnight) writes one row per closed day: ``root`` = SHA-256 over the
  day's record hashes in id order, ``seal_hash`` = SHA-256 over (day, count, first and
  last id, root, previous day's ``seal_hash``) — a chain of days;
- ``verify`` recomputes every record hash, every sealed day's root and the chain;
- ``purge`` deletes whole sealed days older than the retention; their seals stay, so the
  chain still verifies.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from typing import Any, Callable, Iterator, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.audit.model import (
    CHANNELS, access_log, access_log_disclosure, access_log_purge, access_log_seal)
from ckanext.lyg_opendata.workdays.calendar import day_end_utc, today_beijing

log = logging.getLogger(__name__)

MIN_RETENTION_DAYS = 183  # six months (Art 21 "keep the records"); also in the migration
GENESIS = "0" * 64
PURGE_SETTING = "lyg_opendata.access_log_purge"
HASHED_FIELDS = ("created", "day", "user_id", "user_name", "user_fullname", "package_id",
                 "resource_id", "org_id", "channel", "ip", "user_agent", "grant_id")
USER_AGENT_MAX = 512


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _engine():
    return model.meta.engine


# --- hashing --------------------------------------------------------------------

def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's hash is taken over: version, then the hashed fields as sorted,
    compact JSON (UTF-8; the timestamp with microseconds)."""
    body = {"v": 1}
    body.update({f: _text(record.get(f)) for f in HASHED_FIELDS})
    return json.dumps(body, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


class DayRoot:
    """Streaming root of one day: SHA-256 over ``day`` and the record hashes in id order."""

    def __init__(self, day: dt.date):
        self.day = day
        self.count = 0
        self.first_id: Optional[int] = None
        self.last_id: Optional[int] = None
        self._h = hashlib.sha256(f"lyg-access-log-day|{day.isoformat()}".encode())

    def add(self, record_id: int, hash_: str) -> None:
        self._h.update(b"|" + hash_.encode())
        self.count += 1
        if self.first_id is None:
            self.first_id = record_id
        self.last_id = record_id

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def seal_hash(day: dt.date, count: int, first_id, last_id, root: str, prev_hash: str) -> str:
    text = f"v1|{day.isoformat()}|{count}|{first_id or ''}|{last_id or ''}|{root}|{prev_hash}"
    return hashlib.sha256(text.encode()).hexdigest()


# --- writing --------------------------------------------------------------------

LOOKUP = sa.text("""
SELECT p.id AS package_id, p.owner_org AS org_id, u.id AS user_id, u.name AS user_name,
       u.fullname AS user_fullname
FROM (SELECT 1) AS one
LEFT JOIN package p ON p.id = :p OR p.name = :p
LEFT JOIN "user" u ON :u <> '' AND (u.id = :u OR u.name = :u)
LIMIT 1""")


def _user_object(user) -> Optional[dict[str, Optional[str]]]:
    """The fields of a user given as an object (no query), None for a name or id."""
    if user is None or user == "":
        return {"user_id": None, "user_name": None, "user_fullname": None}
    if isinstance(user, model.User):
        return {"user_id": user.id, "user_name": user.name, "user_fullname": user.fullname}
    if not isinstance(user, str):  # flask-login's current_user proxy
        if getattr(user, "is_anonymous", False) or not getattr(user, "id", None):
            return {"user_id": None, "user_name": None, "user_fullname": None}
        return {"user_id": user.id, "user_name": user.name,
                "user_fullname": getattr(user, "fullname", None)}
    return None


def _request_fields() -> dict[str, Optional[str]]:
    import flask
    if not flask.has_request_context():
        return {"ip": None, "user_agent": None}
    request = flask.request
    agent = request.headers.get("User-Agent") or None
    return {"ip": request.remote_addr or None,
            "user_agent": agent[:USER_AGENT_MAX] if agent else None}


def append(*, user, package_id: str, resource_id: Optional[str], channel: str,
           grant_id: Optional[str] = None, ip: Any = ..., user_agent: Any = ...,
           now: Optional[dt.datetime] = None) -> int:
    """Write one record in its own short transaction (committed at once, whatever the
    caller's session holds) and return its id. Raises on failure: a caller that cannot
    log must not serve the data."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
    if not package_id:
        raise ValueError("package_id is required")
    created = (now.astimezone(dt.timezone.utc).replace(tzinfo=None)
               if now is not None and now.tzinfo else now) or _utcnow()
    known = _user_object(user)
    with _engine().begin() as conn:
        # one round trip for the dataset's organization and the user's name at the time
        found = conn.execute(LOOKUP, {"p": package_id,
                                      "u": "" if known is not None else user}).first()
        record = {"created": created, "day": today_beijing(created),
                  "package_id": found.package_id or package_id, "org_id": found.org_id,
                  "resource_id": resource_id or None, "channel": channel,
                  "grant_id": grant_id or None}
        if known is not None:
            record.update(known)
        elif found.user_id:
            record.update(user_id=found.user_id, user_name=found.user_name,
                          user_fullname=found.user_fullname)
        else:  # keep what we were told: the record must not be lost
            record.update(user_id=None, user_name=user, user_fullname=None)
        record.update(_request_fields())
        if ip is not ...:
            record["ip"] = ip
        if user_agent is not ...:
            record["user_agent"] = user_agent
        record["record_hash"] = record_hash(record)
        return conn.execute(access_log.insert().values(**record)
                            .returning(access_log.c.id)).scalar_one()


def people_who_accessed(package_id: str) -> list[str]:
    with _engine().connect() as conn:
        pkg = conn.execute(sa.text("SELECT id FROM package WHERE id = :p OR name = :p"),
                           {"p": package_id}).first()
        pid = pkg.id if pkg else package_id
        rows = conn.execute(
            sa.select(access_log.c.user_id).where(access_log.c.package_id == pid,
                                                  access_log.c.user_id.isnot(None))
            .group_by(access_log.c.user_id).order_by(sa.func.min(access_log.c.id)))
        return [r.user_id for r in rows]


# --- sealing --------------------------------------------------------------------

SEAL_LOCK = 0x4C59_4741  # pg advisory lock key of the sealer ("LYGA")


def _last_seal(conn):
    return conn.execute(sa.select(access_log_seal).order_by(access_log_seal.c.day.desc())
                        .limit(1)).first()


def last_closed_day(now: Optional[dt.datetime] = None, grace_minutes: int = 0) -> dt.date:
    """The last Beijing day that ended at least ``grace_minutes`` ago (writes that began
    before midnight have committed by then)."""
    now = now or _utcnow()
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
    with _engine().connect() as conn:
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
                          "prev_hash": prev, "sealed_at": _utcnow()}
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
    with _engine().connect() as conn:
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
    now = now or _utcnow()
    seal(now, progress)
    before = today_beijing(now) - dt.timedelta(days=days)
    total = 0
    with _engine().connect() as conn:
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
                purged_at=_utcnow(), before_day=before, retention_days=days, record_count=total))
    log.info("access log purge: %s records before %s deleted", total, before)
    return {"before_day": before, "retention_days": days, "records": total}


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


def count(f: Filters) -> int:
    with _engine().connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(access_log)
                            .where(_where(f))).scalar_one()


def query(f: Filters, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """Newest first."""
    with _engine().connect() as conn:
        rows = conn.execute(_select(f).order_by(access_log.c.id.desc()).limit(limit).offset(offset))
        return [r._asdict() for r in rows]


def iterate(f: Filters, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every matching record, newest first, in batches (keyset paging: no long transaction)."""
    before = None
    while True:
        stmt = _select(f).order_by(access_log.c.id.desc()).limit(batch)
        if before is not None:
            stmt = stmt.where(access_log.c.id < before)
        with _engine().connect() as conn:
            rows = [r._asdict() for r in conn.execute(stmt)]
        yield from rows
        if len(rows) < batch:
            return
        before = rows[-1]["id"]


def note_disclosure(*, user, reason: str, how: str, filters: dict[str, Any]) -> None:
    """Remember that ``user`` was shown the log unmasked (append-only), and log it."""
    obj = model.User.get(user) if isinstance(user, str) else user
    with _engine().begin() as conn:
        conn.execute(access_log_disclosure.insert().values(
            created=_utcnow(), user_id=obj.id if obj else None,
            user_name=obj.name if obj else user, reason=reason, how=how,
            filters={k: _text(v) for k, v in filters.items() if v not in (None, "")}))
    log.warning("access log shown unmasked (%s) to %s, reason: %s, filters: %s",
                how, obj.name if obj else user, reason, filters)


def disclosures(limit: int = 100) -> list[dict[str, Any]]:
    with _engine().connect() as conn:
        return [r._asdict() for r in conn.execute(
            sa.select(access_log_disclosure).order_by(access_log_disclosure.c.id.desc())
            .limit(limit))]


# --- masking --------------------------------------------------------------------

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


def masked(record: dict[str, Any]) -> dict[str, Any]:
    record = dict(record)
    record["user_id"] = None
    record["user_name"] = mask_name(record.get("user_name"))
    record["user_fullname"] = mask_name(record.get("user_fullname"))
    record["ip"] = mask_ip(record.get("ip"))
    record["user_agent"] = None
    return record
