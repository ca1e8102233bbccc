"""What a rectification notice is pre-filled with: the figures behind a ground, for one
agency (the supervisor edits the text before issuing). Applications: those past their
deadline and still unanswered, and those answered late (Art 19); open list: the published
entries whose update is overdue (freshness)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays

_ = tk._

LATE_WINDOW_DAYS = 365


def _applications(org_id: str, today: dt.date) -> dict[str, Any]:
    from ckanext.lyg_opendata.access.model import Application
    p = model.Package
    overdue = (model.Session.query(Application, p.title, p.name)
               .join(p, p.id == Application.package_id)
               .filter(Application.org_id == org_id, Application.status == "submitted",
                       Application.due_on < today)
               .order_by(Application.due_on).all())
    beijing_day = sa.cast(Application.decided_at + dt.timedelta(hours=8), sa.Date)
    late = (model.Session.query(Application, p.title, p.name, beijing_day)
            .join(p, p.id == Application.package_id)
            .filter(Application.org_id == org_id,
                    Application.status.in_(("approved", "refused")),
                    beijing_day > Application.due_on,
                    Application.decided_at >= dt.datetime.combine(
                        today - dt.timedelta(days=LATE_WINDOW_DAYS), dt.time()))
            .order_by(Application.due_on).all())
    items = [{"id": a.id, "dataset": title or name, "received_on": a.received_on.isoformat(),
              "due_on": a.due_on.isoformat(), "answered_on": None} for a, title, name in overdue]
    items += [{"id": a.id, "dataset": title or name, "received_on": a.received_on.isoformat(),
               "due_on": a.due_on.isoformat(), "answered_on": day.isoformat()}
              for a, title, name, day in late]
    lines = []
    if overdue:
        lines.append(_("%d application(s) past their deadline and not answered:") % len(overdue))
        lines += [_("- %(dataset)s: received %(received)s, due %(due)s") % {
            "dataset": i["dataset"], "received": i["received_on"], "due": i["due_on"]}
            for i in items if i["answered_on"] is None]
    if late:
        lines.append(_("%d application(s) answered after their deadline:") % len(late))
        lines += [_("- %(dataset)s: due %(due)s, answered %(answered)s") % {
            "dataset": i["dataset"], "due": i["due_on"], "answered": i["answered_on"]}
            for i in items if i["answered_on"] is not None]
    return {"kind": "applications", "overdue": len(overdue), "late": len(late),
            "items": items, "text": "\n".join(lines)}


def _open_list(org_id: str) -> dict[str, Any]:
    from ckanext.lyg_opendata.catalog import freshness
    groups = freshness.overdue_by_organization(org_id)
    items = [{"id": d["id"], "dataset": d["title"], "due_day": d["due_day"],
              "days_overdue": d["days_overdue"]} for g in groups for d in g["datasets"]]
    lines = []
    if items:
        lines.append(_("%d published dataset(s) not updated as their update frequency requires:")
                     % len(items))
        lines += [_("- %(dataset)s: update due %(due)s") % {"dataset": i["dataset"],
                                                           "due": i["due_day"]} for i in items]
    return {"kind": "open_list", "overdue": len(items), "items": items, "text": "\n".join(lines)}


def for_ground(org_id: str, ground: str, today: dt.date | None = None) -> dict[str, Any]:
    """``{"text": the suggested findings, "items": the records they name, …}``; an empty
    text when the platform holds no figure for the ground."""
    today = today or workdays.today_beijing()
    if ground == "applications":
        return _applications(org_id, today)
    if ground == "open_list":
        return _open_list(org_id)
    return {"kind": ground, "items": [], "text": ""}
