"""Fixtures of the access log tests. The log's tables are not in CKAN's metadata (CKAN's
clean_db would DELETE from them, which the database refuses), so they are emptied here —
by their owner, with the triggers disabled for the moment, as only a test may."""
import datetime as dt

import pytest
import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata.audit import log
from ckanext.lyg_opendata.audit.model import TABLES

SECRET = "http://data.example.invalid/conditional/audit-secret.csv"


def empty_log_tables():
    with model.meta.engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.text(f"ALTER TABLE {table.name} DISABLE TRIGGER USER"))
            conn.execute(sa.text(f"TRUNCATE {table.name} RESTART IDENTITY"))
            conn.execute(sa.text(f"ALTER TABLE {table.name} ENABLE TRIGGER USER"))


@pytest.fixture
def audit_db(with_plugins, clean_db):
    empty_log_tables()


@pytest.fixture
def cond(create_dataset):
    """A conditional dataset of ``agency`` with one resource (a draft is enough here)."""
    return create_dataset(name="cond-audit", title="停车场收费明细", open_type="conditional",
                          open_conditions="仅向科研机构开放",
                          resources=[{"url": SECRET, "format": "CSV", "name": "明细"}])


def at(days_ago: int, hour: int = 10, now=None) -> dt.datetime:
    """A naive UTC instant ``days_ago`` Beijing days before today, at ``hour`` Beijing."""
    now = now or dt.datetime.now(dt.timezone.utc)
    day = log.today_beijing(now) - dt.timedelta(days=days_ago)
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def write(user, package, days_ago=0, hour=10, channel="ui", today_of=None, **kw):
    """A record ``days_ago`` Beijing days before the day of ``today_of`` (an aware UTC
    instant; default: now). Records that tests later filter by day share one ``today_of``
    and the tests compare with its day, not with a later today (the Beijing day turns at
    16:00 UTC; a module's world is read long after it was written)."""
    res = package["resources"][0]["id"] if package.get("resources") else None
    return log.append(user=user, package_id=package["id"], resource_id=res, channel=channel,
                      now=at(days_ago, hour, today_of), **kw)
