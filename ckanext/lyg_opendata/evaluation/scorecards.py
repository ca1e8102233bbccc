"""Agency scorecards (Art 37): per agency (数据开放主体) and year (Beijing dates), figures
counted from the tables. Shares are percentages (None when there is nothing to count);
``score`` is the mean of the shares an agency has (freshness on time, applications answered
in time, objections answered in time) and ranks the agencies for supervisors.

- datasets: published (public) datasets now, by open type;
- open-list completeness: the share of those entries whose Art 11 columns all hold a value
  (data items, formats, update frequency, conditions of conditional data, data domain,
  published on);
- freshness: of those, how many are overdue for an update now (catalog/freshness.py);
- review: median days from a submission to the decision (approve/return) decided in the
  year, and the share returned;
- applications: received in the year; decided in the year, in time (the Beijing day of the
  decision on or before the due day, Art 19), median working days from receipt to decision;
  open and past their due day now;
- objections: answered in the year, in time (on or before their working-day deadline);
- usage reports submitted in the year (grants of the agency's applications);
- ratings (评价, Art 18/25) given in the year to the agency's datasets: how many, and their
  mean over the three dimensions (1–5; hidden comments still count as ratings);
- downloads and API calls (``datastore_search``) of the agency's datasets in the year
  (portal/usage.py, Beijing days);
- rectification notices open now (issued, responded, sent back or escalated; not closed).

Each figure is one query for all agencies (grouped by agency), never one per agency.
"""
from __future__ import annotations

import datetime as dt
import statistics
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model

from ckanext.lyg_opendata import roles, workdays

FIGURES = ("datasets_unconditional", "datasets_conditional", "open_list_complete_share",
           "freshness_overdue", "freshness_on_time_share", "review_decisions",
           "review_median_days", "review_return_share", "applications_received",
           "applications_decided", "applications_in_time_share",
           "applications_median_workdays", "applications_overdue", "objections_answered",
           "objections_in_time_share", "usage_reports", "downloads", "api_calls", "ratings",
           "ratings_average", "rectifications_open", "score")


def _share(part: int, whole: int) -> Optional[float]:
    return round(100.0 * part / whole, 1) if whole else None


def _median(values: list[float]) -> Optional[float]:
    return round(statistics.median(values), 1) if values else None


def _bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year's Beijing days as naive UTC instants [start, end)."""
    start = dt.datetime(year, 1, 1) - dt.timedelta(hours=8)
    return start, dt.datetime(year + 1, 1, 1) - dt.timedelta(hours=8)


def _filled(key: str):
    """The catalog field ``key`` holds a value (extras are text; an empty list is "[]")."""
    text = sa.func.btrim(sa.func.coalesce(model.package_table.c.extras[key].astext, ""))
    return text.notin_(("", "[]"))


def open_list_complete():
    """An entry of the open list with every Art 11 column filled (SQL, on ``package``)."""
    p, r = model.package_table, model.resource_table
    has_format = sa.exists().where(r.c.package_id == p.c.id, r.c.state == "active",
                                   sa.func.btrim(sa.func.coalesce(r.c.format, "")) != "")
    return sa.and_(_filled("data_items"), _filled("update_frequency"),
                   _filled("subject_areas"), _filled("issued"), has_format,
                   sa.or_(p.c.extras["open_type"].astext != "conditional",
                          _filled("open_conditions")))


def agencies(at: Optional[dt.datetime] = None) -> list[model.Group]:
    """The active agencies (created before ``at`` when given)."""
    sup = roles.supervisor_org()
    q = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    if at is not None:
        q = q.filter(model.Group.created < at)
    return [g for g in q.order_by(model.Group.title).all() if not sup or g.id != sup.id]


def compute(year: int, org_ids: Optional[list[str]] = None,
            today: Optional[dt.date] = None,
            at: Optional[dt.datetime] = None) -> list[dict[str, Any]]:
    """The cards of ``year``. The figures "now" (datasets, completeness, updates and
    applications overdue, notices open) are taken at ``at`` (naive UTC) when given — the
    yearly report of a year that has ended passes its end (``evaluation/asof.py``) —, else
    at present."""
    from ckanext.lyg_opendata.access.model import Application, Grant, UsageReport
    from ckanext.lyg_opendata.catalog import freshness
    from ckanext.lyg_opendata.catalog.model import ReviewEvent
    from ckanext.lyg_opendata.objections.model import Objection
    from ckanext.lyg_opendata.catalog.public import packages as _public_packages

    from ckanext.lyg_opendata.evaluation import asof

    s = model.Session
    if at is not None:
        today = workdays.today_beijing(at)
    today = today or workdays.today_beijing()
    cal = workdays.Calendar()
    start, end = _bounds(year)
    public = asof.public_packages_at(at) if at is not None else _public_packages()
    orgs = [g for g in agencies(at) if org_ids is None or g.id in org_ids]
    ids = [g.id for g in orgs]
    cards = {g.id: {"id": g.id, "name": g.name, "title": g.title or g.name,
                    **{f: 0 for f in FIGURES}} for g in orgs}
    p = model.package_table
    ot = p.c.extras["open_type"].astext
    complete: dict[str, int] = {}
    for org_id, kind, n, ok in s.execute(sa.select(
            p.c.owner_org, ot, sa.func.count(),
            sa.func.count().filter(open_list_complete())).where(
            public, p.c.owner_org.in_(ids)).group_by(p.c.owner_org, ot)):
        if kind in ("unconditional", "conditional"):
            cards[org_id][f"datasets_{kind}"] = n
            complete[org_id] = complete.get(org_id, 0) + ok
    then = None if at is None else {row[0] for row in s.execute(
        sa.select(p.c.id).where(public, p.c.owner_org.in_(ids)))}
    for group in freshness.overdue_by_organization(now=at):
        if group["id"] in cards:
            cards[group["id"]]["freshness_overdue"] = group["count"] if then is None else sum(
                1 for d in group["datasets"] if d["id"] in then)

    # review: a submission and the decision that follows it
    events = s.query(ReviewEvent.package_id, ReviewEvent.action, ReviewEvent.created,
                     p.c.owner_org).join(p, p.c.id == ReviewEvent.package_id).filter(
        p.c.owner_org.in_(ids), ReviewEvent.action.in_(("submit", "approve", "return")),
        ReviewEvent.created < end).order_by(ReviewEvent.package_id, ReviewEvent.created).all()
    review: dict[str, list] = {i: [] for i in ids}
    submitted: dict[str, dt.datetime] = {}
    for pkg_id, action, created, org_id in events:
        if action == "submit":
            submitted[pkg_id] = created
        elif pkg_id in submitted:
            since = submitted.pop(pkg_id)
            if created >= start:
                review[org_id].append((action, (created - since).total_seconds() / 86400))

    A = Application
    decided_day = sa.cast(A.decided_at + dt.timedelta(hours=8), sa.Date)
    received = dict(s.query(A.org_id, sa.func.count()).filter(
        A.org_id.in_(ids), A.received_on >= dt.date(year, 1, 1),
        A.received_on < dt.date(year + 1, 1, 1)).group_by(A.org_id).all())
    decisions = s.query(A.org_id, A.received_on, A.due_on, decided_day).filter(
        A.org_id.in_(ids), A.status.in_(("approved", "refused")),
        A.decided_at >= start, A.decided_at < end).all()
    if at is None:
        waiting = A.status == "submitted"
    else:
        from ckanext.lyg_opendata.access.model import ApplicationEvent
        waiting = sa.and_(A.created < at, sa.func.coalesce(
            asof.status_at(ApplicationEvent, A.id, at), "submitted") == "submitted")
    overdue = dict(s.query(A.org_id, sa.func.count()).filter(
        A.org_id.in_(ids), waiting, A.due_on < today).group_by(A.org_id).all())
    apps: dict[str, list] = {i: [] for i in ids}
    for org_id, got, due, day in decisions:
        apps[org_id].append((day <= due, cal.workdays_between(got, day)[0]))

    OBJ = Objection
    answered = s.query(OBJ.organization_id, OBJ.clock_start, OBJ.deadline_days, OBJ.answered_at).filter(
        OBJ.organization_id.in_(ids), OBJ.answered_at >= start, OBJ.answered_at < end).all()
    objections: dict[str, list] = {i: [] for i in ids}
    for org_id, clock_start, days, at in answered:
        due = cal.add_workdays(clock_start, days)[0]
        objections[org_id].append(workdays.today_beijing(at.replace(tzinfo=dt.timezone.utc)) <= due)

    reports = dict(s.query(A.org_id, sa.func.count(UsageReport.id)).join(
        Grant, Grant.id == UsageReport.grant_id).join(A, A.id == Grant.application_id).filter(
        A.org_id.in_(ids), UsageReport.submitted_at >= start,
        UsageReport.submitted_at < end).group_by(A.org_id).all())

    from ckanext.lyg_opendata.participation.model import Rating
    R = Rating
    rated = {org_id: (n, mean) for org_id, n, mean in s.query(
        p.c.owner_org, sa.func.count(R.id),
        sa.func.avg((R.quality + R.timeliness + R.usability) / 3.0)).join(
        p, p.c.id == R.package_id).filter(
        p.c.owner_org.in_(ids), R.created >= start, R.created < end).group_by(p.c.owner_org)}

    from ckanext.lyg_opendata.evaluation.model import Rectification, RectificationEvent
    from ckanext.lyg_opendata.portal.usage import Usage
    U = Usage
    usage: dict[tuple[str, str], int] = {(org_id, channel): int(n) for org_id, channel, n in s.query(
        p.c.owner_org, U.channel, sa.func.sum(U.count)).join(p, p.c.id == U.package_id).filter(
        p.c.owner_org.in_(ids), U.channel.in_(("download", "api")),
        U.day >= dt.date(year, 1, 1), U.day < dt.date(year + 1, 1, 1)).group_by(
        p.c.owner_org, U.channel)}
    if at is None:
        not_closed = Rectification.status != "closed"
    else:
        not_closed = sa.and_(Rectification.created < at, sa.func.coalesce(asof.status_at(
            RectificationEvent, Rectification.id, at), "issued") != "closed")
    rectifying = dict(s.query(Rectification.organization_id, sa.func.count()).filter(
        Rectification.organization_id.in_(ids), not_closed).group_by(
        Rectification.organization_id).all())

    for org_id, card in cards.items():
        card["downloads"] = usage.get((org_id, "download"), 0)
        card["api_calls"] = usage.get((org_id, "api"), 0)
        card["rectifications_open"] = rectifying.get(org_id, 0)
        card["ratings"], mean = rated.get(org_id, (0, None))
        card["ratings_average"] = round(float(mean), 2) if mean is not None else None
        public = card["datasets_unconditional"] + card["datasets_conditional"]
        card["freshness_on_time_share"] = _share(public - card["freshness_overdue"], public)
        card["open_list_complete_share"] = _share(complete.get(org_id, 0), public)
        card["review_decisions"] = len(review[org_id])
        card["review_median_days"] = _median([d for _a, d in review[org_id]])
        card["review_return_share"] = _share(
            sum(1 for a, _d in review[org_id] if a == "return"), len(review[org_id]))
        card["applications_received"] = received.get(org_id, 0)
        card["applications_decided"] = len(apps[org_id])
        card["applications_in_time_share"] = _share(sum(1 for ok, _d in apps[org_id] if ok),
                                                    len(apps[org_id]))
        card["applications_median_workdays"] = _median([d for _ok, d in apps[org_id]])
        card["applications_overdue"] = overdue.get(org_id, 0)
        card["objections_answered"] = len(objections[org_id])
        card["objections_in_time_share"] = _share(sum(objections[org_id]), len(objections[org_id]))
        card["usage_reports"] = reports.get(org_id, 0)
        shares = [card[k] for k in ("freshness_on_time_share", "applications_in_time_share",
                                    "objections_in_time_share") if card[k] is not None]
        card["score"] = round(sum(shares) / len(shares), 1) if shares else None
    ranked = sorted(cards.values(), key=lambda c: (c["score"] is None, -(c["score"] or 0),
                                                   c["title"]))
    for rank, card in enumerate(ranked, 1):
        card["rank"] = rank if card["score"] is not None else None
    return ranked


def average(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """The mean of each figure over the agencies that have it."""
    out: dict[str, Any] = {}
    for f in FIGURES:
        values = [c[f] for c in cards if c[f] is not None]
        out[f] = round(sum(values) / len(values), 1) if values else None
    return out
