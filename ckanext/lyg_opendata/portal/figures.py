"""Home page and statistics page figures, computed from the database and cached in Redis.

``compute()`` reads PostgreSQL (one query per figure); ``cached()`` returns the copy kept in
Redis and recomputes it when it is missing or older than
``ckanext.lyg_opendata.home.figures_ttl`` seconds; ``refresh()`` (run by
``ckan lyg-opendata portal refresh-figures`` from config/crontab) recomputes and stores it.
No state is kept in the web process.

The statistics page (``/opendata/stats``) reads ``stats_cached()``: series over time (one row
per month, Beijing time) and breakdowns, each a list of rows of codes and counts (labels are
translated when the page is rendered, so one cached copy serves every language). Only
aggregates of the public catalog and counts of the workflows: no title of an unpublished
dataset, no name, contact or address of a person.
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

from ckanext.lyg_opendata.catalog.public import packages as _public_packages

log = logging.getLogger(__name__)

_KEY = "lyg_opendata:home_figures"
_STATS_KEY = "lyg_opendata:stats_figures"


def _key(name: str = _KEY) -> str:
    # one cache per site (the tests' slots share a Redis server, each with its own db)
    return f"{tk.config.get('ckan.site_id')}:{name}"


def compute() -> dict[str, Any]:
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.portal.usage import Usage
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

    # use of the public catalog (portal/usage.py: every successful download and API call,
    # open and conditional data alike; the access log holds only conditional data)
    u = Usage.__table__
    channels = dict(s.execute(sa.select(u.c.channel, sa.func.sum(u.c.count))
                              .select_from(u.join(p, u.c.package_id == p.c.id))
                              .where(public).group_by(u.c.channel)).all())

    decided = s.query(Application).filter(Application.status.in_(("approved", "refused")))
    answered = decided.count()
    # answered in time: decided (Beijing day) on or before the due day (Art 19)
    beijing_day = sa.cast(Application.decided_at + dt.timedelta(hours=8), sa.Date)
    in_time = decided.filter(beijing_day <= Application.due_on).count()

    objections_answered = s.query(sa.func.count(Objection.id)).filter(
        Objection.answered_at.isnot(None)).scalar()

    used = s.execute(
        sa.select(p.c.name, p.c.title, sa.func.sum(u.c.count).label("n"))
        .select_from(p.join(u, u.c.package_id == p.c.id))
        .where(public, u.c.channel.in_(("download", "api"))).group_by(p.c.name, p.c.title)
        .order_by(sa.text("n DESC"), p.c.title).limit(6)).all()

    return {
        "computed": dt.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "datasets": datasets,
        "by_open_type": {k: v for k, v in by_type.items() if k},
        "agencies": len(agencies),
        "agency_counts": [{"name": a.name, "title": a.title, "count": a[3]} for a in agencies],
        "resources": resources,
        "subject_areas": areas,
        "downloads": int(channels.get("download") or 0),
        "api_calls": int(channels.get("api") or 0),
        "applications_answered": answered,
        "applications_in_time": in_time,
        "applications_in_time_share": round(100.0 * in_time / answered) if answered else None,
        "objections_answered": objections_answered or 0,
        "most_used": [{"name": row.name, "title": row.title, "count": int(row.n)} for row in used],
    }


def _codes(raw) -> list[str]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return [raw]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _store(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    ttl = tk.config.get("ckanext.lyg_opendata.home.figures_ttl")
    try:
        connect_to_redis().set(_key(name), json.dumps(figures), ex=max(int(ttl), 1))
    except Exception:  # Redis down: the page still shows fresh figures
        log.exception("could not cache the figures %s", name)
    return figures


def _read(name: str):
    try:
        raw = connect_to_redis().get(_key(name))
    except Exception:
        log.exception("could not read the figures %s from Redis", name)
        raw = None
    return json.loads(raw) if raw else None


def refresh() -> dict[str, Any]:
    return _store(_KEY, compute())


def cached() -> dict[str, Any]:
    return _read(_KEY) or refresh()


def stats_refresh() -> dict[str, Any]:
    return _store(_STATS_KEY, compute_stats())


def stats_cached() -> dict[str, Any]:
    return _read(_STATS_KEY) or stats_refresh()


def invalidate() -> None:
    connect_to_redis().delete(_key(_KEY), _key(_STATS_KEY))


# --- the statistics page ----------------------------------------------------------------

def _beijing_month(column):
    """'YYYY-MM' of a naive UTC timestamp column, in Beijing time."""
    return sa.func.to_char(column + sa.text("interval '8 hours'"), "YYYY-MM")


def _day_month(column):
    return sa.func.to_char(column, "YYYY-MM")


def _monthly(*queries: tuple[str, Any]) -> list[list]:
    """Rows ``[month, n1, n2, …]`` over every month any query has, oldest first; each query
    yields ``(month, count)`` rows."""
    by_month: dict[str, dict[str, int]] = {}
    names = [name for name, _q in queries]
    for name, query in queries:
        for month, n in model.Session.execute(query).all():
            if month:
                by_month.setdefault(month, {})[name] = int(n)
    return [[month] + [by_month[month].get(name, 0) for name in names]
            for month in sorted(by_month)]


def compute_stats() -> dict[str, Any]:
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.portal.usage import Usage
    from ckanext.lyg_opendata.objections.model import Objection

    s = model.Session
    p = model.package_table
    r = model.resource_table
    g = model.group_table
    public = _public_packages()
    open_type = p.c.extras["open_type"].astext
    issued_month = sa.func.substr(p.c.extras["issued"].astext, 1, 7)

    # datasets published per month (the first publication, ``issued``), by open type
    published = _monthly(*[
        (code, sa.select(issued_month, sa.func.count()).where(public, open_type == code)
         .group_by(issued_month)) for code in ("unconditional", "conditional")])
    total = 0
    for row in published:
        total += row[1] + row[2]
        row.append(total)

    resources_by_type = dict(s.execute(
        sa.select(open_type, sa.func.count()).select_from(r.join(p, r.c.package_id == p.c.id))
        .where(public, r.c.state == "active").group_by(open_type)).all())
    datasets_by_type = dict(s.execute(
        sa.select(open_type, sa.func.count()).where(public).group_by(open_type)).all())
    by_type = [[code, datasets_by_type.get(code, 0), resources_by_type.get(code, 0)]
               for code in ("unconditional", "conditional")]

    areas: dict[str, int] = {}
    for raw in s.execute(sa.select(p.c.extras["subject_areas"].astext).where(public)).scalars():
        for code in _codes(raw):
            areas[code] = areas.get(code, 0) + 1
    by_area = sorted(([code, n] for code, n in areas.items()), key=lambda x: (-x[1], x[0]))

    res_count = (sa.select(sa.func.count()).select_from(r)
                 .where(r.c.package_id == p.c.id, r.c.state == "active")
                 .correlate(p).scalar_subquery())
    agencies = s.execute(
        sa.select(g.c.title, g.c.name, sa.func.count(p.c.id), sa.func.sum(res_count))
        .select_from(g.join(p, sa.and_(p.c.owner_org == g.c.id, public)))
        .where(g.c.state == "active", g.c.is_organization.is_(True))
        .group_by(g.c.id, g.c.name, g.c.title)
        .order_by(sa.func.count(p.c.id).desc(), g.c.title)).all()
    by_agency = [[a[0] or a[1], int(a[2]), int(a[3] or 0)] for a in agencies]

    # downloads and API calls of every dataset (portal/usage.py counts them per Beijing
    # day; the access log holds only conditional data, Art 21)
    u = Usage.__table__
    month = _day_month(u.c.day)
    usage = _monthly(
        ("downloads", sa.select(month, sa.func.sum(u.c.count)).where(
            u.c.channel == "download").group_by(month)),
        ("api_calls", sa.select(month, sa.func.sum(u.c.count)).where(
            u.c.channel == "api").group_by(month)))

    A = Application.__table__
    decided_month = _beijing_month(A.c.decided_at)
    beijing_day = sa.cast(A.c.decided_at + sa.text("interval '8 hours'"), sa.Date)
    applications = _monthly(
        ("received", sa.select(_day_month(A.c.received_on), sa.func.count())
         .group_by(_day_month(A.c.received_on))),
        ("approved", sa.select(decided_month, sa.func.count())
         .where(A.c.status == "approved").group_by(decided_month)),
        ("refused", sa.select(decided_month, sa.func.count())
         .where(A.c.status == "refused").group_by(decided_month)),
        ("in_time", sa.select(decided_month, sa.func.count())
         .where(A.c.status.in_(("approved", "refused")), beijing_day <= A.c.due_on)
         .group_by(decided_month)))
    for row in applications:
        answered = row[2] + row[3]
        row.append(round(100.0 * row[4] / answered) if answered else None)

    OBJ = Objection.__table__
    objections = _monthly(
        ("received", sa.select(_beijing_month(OBJ.c.created), sa.func.count())
         .group_by(_beijing_month(OBJ.c.created))),
        ("answered", sa.select(_beijing_month(OBJ.c.answered_at), sa.func.count())
         .where(OBJ.c.answered_at.isnot(None)).group_by(_beijing_month(OBJ.c.answered_at))))

    quality_distribution, quality_by_month = _quality_series(public)

    return {
        "computed": dt.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "series": {
            "datasets_by_month": published,
            "datasets_by_open_type": by_type,
            "datasets_by_subject_area": by_area,
            "datasets_by_agency": by_agency,
            "usage_by_month": usage,
            "applications_by_month": applications,
            "objections_by_month": objections,
            "quality_distribution": quality_distribution,
            "quality_by_month": quality_by_month,
        },
    }


def _quality_series(public) -> tuple[list[list], list[list]]:
    """The quality scores (evaluation/quality.py) of the datasets public now: how many have
    each rating by their newest score (``[rating, datasets]``, best first; empty before any
    score), and each month's mean score and how many datasets had each rating that month
    (``[month, mean, excellent, good, sufficient, needs improvement]``, oldest first)."""
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    from ckanext.lyg_opendata.evaluation.quality import RATINGS
    codes = [code for code, _floor, _label in RATINGS]
    p = model.package_table
    Q = QualityScore.__table__
    scored = Q.join(p, sa.and_(p.c.id == Q.c.package_id, public))
    newest = (sa.select(Q.c.package_id, sa.func.max(Q.c.month).label("month"))
              .group_by(Q.c.package_id).subquery())
    latest = dict(model.Session.execute(
        sa.select(Q.c.rating, sa.func.count()).select_from(scored.join(newest, sa.and_(
            newest.c.package_id == Q.c.package_id, newest.c.month == Q.c.month)))
        .group_by(Q.c.rating)).all())
    distribution = [[code, int(latest.get(code, 0))] for code in codes] if latest else []
    months = model.Session.execute(
        sa.select(Q.c.month, sa.func.avg(Q.c.score),
                  *[sa.func.count().filter(Q.c.rating == code) for code in codes])
        .select_from(scored).group_by(Q.c.month).order_by(Q.c.month)).all()
    history = [[m[0], round(float(m[1]), 1)] + [int(n) for n in m[2:]] for m in months]
    return distribution, history
