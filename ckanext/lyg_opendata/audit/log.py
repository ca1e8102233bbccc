"""Writing the access log: the canonical content and hash of a record, appending one, and
who was served a dataset's data.

Tamper evidence without a single chain head:

- every record stores ``record_hash`` = SHA-256 of its canonical content (:func:`canonical`),
  computed when it is written; writers never read another record, so downloads never
  wait on a lock;
- records are grouped by their Beijing day and sealed, verified and purged per day
  (:mod:`.seals`); the log is read, filtered and masked for its pages and exports in
  :mod:`.reading`."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata.tables import utcnow
from ckanext.lyg_opendata.audit.model import (
    CHANNELS, access_log)
from ckanext.lyg_opendata.workdays.calendar import today_beijing




log = logging.getLogger(__name__)


MIN_RETENTION_DAYS = 183  # six months (Art 21 "keep the records"); also in the migration
GENESIS = "0" * 64
PURGE_SETTING = "lyg_opendata.access_log_purge"
HASHED_FIELDS = ("created", "day", "user_id", "user_name", "user_fullname", "package_id",
                 "resource_id", "org_id", "channel", "ip", "user_agent", "grant_id")
USER_AGENT_MAX = 512


def engine():
    return model.meta.engine


# --- hashing --------------------------------------------------------------------

def text_of(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's hash is taken over: version, then the hashed fields as sorted,
    compact JSON (UTF-8; the timestamp with microseconds)."""
    body = {"v": 1}
    body.update({f: text_of(record.get(f)) for f in HASHED_FIELDS})
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
               if now is not None and now.tzinfo else now) or utcnow()
    known = _user_object(user)
    with engine().begin() as conn:
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
    with engine().connect() as conn:
        pkg = conn.execute(sa.text("SELECT id FROM package WHERE id = :p OR name = :p"),
                           {"p": package_id}).first()
        pid = pkg.id if pkg else package_id
        rows = conn.execute(
            sa.select(access_log.c.user_id).where(access_log.c.package_id == pid,
                                                  access_log.c.user_id.isnot(None))
            .group_by(access_log.c.user_id).order_by(sa.func.min(access_log.c.id)))
        return [r.user_id for r in rows]
