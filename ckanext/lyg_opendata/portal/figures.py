"""Home page figures, computed from the database and cached in Redis.

``compute()`` reads PostgreSQL (one query per figure); ``cached()`` returns the copy kept in
Redis and recomputes it when it is missing or older than
``ckanext.lyg_opendata.home.figures_ttl`` seconds; ``refresh()`` (run by
``ckan lyg-opendata portal refresh-figures`` from config/crontab) recomputes and stores it.
No state is kept in the web process.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)

_KEY = "lyg_opendata:home_figures"


def _key() -> str:
    # one cache per site (the tests' slots share a Redis server, each with its own db)
    return f"{tk.config.get('ckan.site_id')}:{_KEY}"


def _public_packages():
    """The public catalog: active, not private, published datasets."""
    p = model.package_table
    return sa.and_(p.c.state == "active", p.c.private.is_(False), p.c.type == "dataset",
                   p.c.extras["review_status"].astext == "published")


def compute() -> dict[str, Any]:
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.audit.model import access_log
    from ckanext.lyg_opendata.objections.model import Objection

    s = model.Session
    p = model.package_table
    public = _public_packages()

    by_type = dict(s.execute(sa.select(p.c.extras["open_type"].astext, sa.func.count())
                             .where(public).group_by(p.c.extras["open_type"].astext)).all())
    datasets = sum(by_type.values())

    g = model.group_table
    agencies = s.execute(
        sa.select(g.c.id, g.c.name, g.c.title, sa.func.count(p.c.id))
        .select_from(g.join(p, sa.and_(p.c.owner_org == g.c.id, public)))
        .where(g.c.state == "active", g.c.is_organization.is_(True))
        .group_by(g.c.id, g.c.name, g.c.title)
        .order_by(sa.func.count(p.c.id).desc(), g.c.title)).all()

    r = model.resource_table
    resources = s.execute(sa.select(sa.func.count()).select_from(
        r.join(p, r.c.package_id == p.c.id)).where(public, r.c.state == "active")).scalar()

    # subject areas: a JSON list (or one code) in the extras of each public dataset
    areas_raw = s.execute(sa.select(p.c.extras["subject_areas"].astext).where(public)).scalars()
    areas: dict[str, int] = {}
    for raw in areas_raw:
        for code in _codes(raw):
            areas[code] = areas.get(code, 0) + 1

    channels = dict(s.execute(sa.select(access_log.c.channel, sa.func.count())
                              .group_by(access_log.c.channel)).all())

    decided = s.query(Application).filter(Application.status.in_(("approved", "refused")))
    answered = decided.count()
    # answered in time: decided (Beijing day) on or before the due day (Art 19)
    beijing_day = sa.cast(Application.decided_at + dt.timedelta(hours=8), sa.Date)
    in_time = decided.filter(beijing_day <= Application.due_on).count()

    objections_answered = s.query(sa.func.count(Objection.id)).filter(
        Objection.answered_at.isnot(None)).scalar()

    used = s.execute(
        sa.select(p.c.name, p.c.title, sa.func.count(access_log.c.id).label("n"))
        .select_from(p.join(access_log, access_log.c.package_id == p.c.id))
        .where(public).group_by(p.c.name, p.c.title)
        .order_by(sa.text("n DESC"), p.c.title).limit(6)).all()

    return {
        "computed": dt.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "datasets": datasets,
        "by_open_type": {k: v for k, v in by_type.items() if k},
        "agencies": len(agencies),
        "agency_counts": [{"name": a.name, "title": a.title, "count": a[3]} for a in agencies],
        "resources": resources,
        "subject_areas": areas,
        "downloads": channels.get("ui", 0) + channels.get("preview", 0),
        "api_calls": channels.get("api", 0) + channels.get("datastore", 0),
        "applications_answered": answered,
        "applications_in_time": in_time,
        "applications_in_time_share": round(100.0 * in_time / answered) if answered else None,
        "objections_answered": objections_answered or 0,
        "most_used": [{"name": u.name, "title": u.title, "count": u.n} for u in used],
    }


def _codes(raw) -> list[str]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return [raw]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def refresh() -> dict[str, Any]:
    figures = compute()
    ttl = tk.config.get("ckanext.lyg_opendata.home.figures_ttl")
    try:
        connect_to_redis().set(_key(), json.dumps(figures), ex=max(int(ttl), 1))
    except Exception:  # Redis down: the page still shows fresh figures
        log.exception("could not cache the home page figures")
    return figures


def cached() -> dict[str, Any]:
    try:
        raw = connect_to_redis().get(_key())
    except Exception:
        log.exception("could not read the home page figures from Redis")
        raw = None
    if raw:
        return json.loads(raw)
    return refresh()


def invalidate() -> None:
    connect_to_redis().delete(_key())
