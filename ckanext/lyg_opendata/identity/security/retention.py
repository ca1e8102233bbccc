"""Minimum retention of the security log's personal data (PIPL Art 19; docs/identity-security.md
"The audit list for sysadmins"): entries are kept (Cybersecurity Law Art 21: network logs at
least six months), but once they are older than
``ckanext.lyg_opendata.identity.security_log.address_days`` Beijing days, ``ckan lyg-opendata
identity purge-addresses`` (daily, config/crontab) shortens their client address (its last
part removed, as the access log's masked view: 10.1.2.*, 2001:db8:1:*) and masks a name typed
at a failed sign-in that matched no account (an email address of someone else, perhaps:
z*******n). The kind, time, account and actor of every entry stay."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.masking import mask_ip, mask_name
from ckanext.lyg_opendata.identity.security.model import SecurityEvent
from ckanext.lyg_opendata.workdays import today_beijing

MIN_DAYS = 183  # six months (Cybersecurity Law Art 21), as the access log's MIN_RETENTION_DAYS
OPTION = "ckanext.lyg_opendata.identity.security_log.address_days"
BATCH = 500
BEIJING = dt.timedelta(hours=8)


def address_days() -> int:
    return int(tk.config.get(OPTION))


def cutoff(today: Optional[dt.date] = None, days: Optional[int] = None) -> dt.datetime:
    """The UTC time (naive, as ``created``) of the Beijing midnight ``days`` days before
    ``today``: entries created before it are past the period."""
    day = (today or today_beijing()) - dt.timedelta(days=address_days() if days is None else days)
    return dt.datetime.combine(day, dt.time()) - BEIJING


def _due(before: dt.datetime):
    """Entries before ``before`` still holding a full address or an unmasked typed name (a
    masked value always holds ``*``; masking it again changes nothing)."""
    return model.Session.query(SecurityEvent).filter(
        SecurityEvent.created < before,
        sa.or_(sa.and_(SecurityEvent.address.isnot(None),
                       ~SecurityEvent.address.contains("*")),
               sa.and_(SecurityEvent.user_id.is_(None), SecurityEvent.login.isnot(None),
                       SecurityEvent.login != "", ~SecurityEvent.login.contains("*"))))


def purge(today: Optional[dt.date] = None, dry_run: bool = False) -> int:
    """Shorten the addresses and mask the unknown names of the entries past the period;
    returns how many entries were (or, dry run, would be) changed. Committed in batches:
    a run stopped half-way leaves whole entries, the next run does the rest."""
    days = address_days()
    if days < MIN_DAYS:
        raise ValueError(f"{OPTION} = {days}: the security log keeps client addresses at "
                         f"least {MIN_DAYS} days (Cybersecurity Law Art 21)")
    before = cutoff(today, days)
    if dry_run:
        return _due(before).count()
    done, last = 0, ""
    while True:
        rows = _due(before).filter(SecurityEvent.id > last).order_by(SecurityEvent.id) \
            .limit(BATCH).all()
        if not rows:
            return done
        for row in rows:
            if row.address and "*" not in row.address:
                row.address = mask_ip(row.address)
            if row.user_id is None and row.login and "*" not in row.login:
                row.login = mask_name(row.login)
        done += len(rows)
        last = rows[-1].id
        model.Session.commit()
