"""Reminders of objections waiting for an answer (Art 20, 39): each agency hears, once a day,
about its open objections that are due within ``objections.remind_days`` working days or
overdue. Run by ``ckan lyg-opendata objections remind`` (config/crontab)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.objections import notices, workflow
from ckanext.lyg_opendata.objections.model import Objection


def due(today: Optional[dt.date] = None) -> dict[str, list[dict[str, Any]]]:
    """Open objections due soon or overdue, by the agency they are routed to."""
    today = today or workdays.today_beijing()
    within = tk.config.get("ckanext.lyg_opendata.objections.remind_days")
    cal = workdays.Calendar()
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = model.Session.query(Objection).filter(Objection.status.in_(workflow.OPEN_STATES),
                                                 Objection.status != "escalated")
    for obj in rows:
        info = workflow.clock_info(obj, cal, today)
        if info["overdue"] or info["days_left"] <= within:
            row = workflow.objection_dict(obj, "insider", cal, events=False)
            row.update(info)
            row["_last_reminded"] = obj.last_reminded
            out[obj.organization_id or ""].append(row)
    return dict(out)


def remind(today: Optional[dt.date] = None, dry_run: bool = False) -> list[dict[str, Any]]:
    """Queue one notice (and mail) per agency; returns what was (or would be) sent."""
    today = today or workdays.today_beijing()
    report = []
    for org_id, rows in due(today).items():
        fresh = [r for r in rows if r["_last_reminded"] != today]
        org = model.Session.get(model.Group, org_id) if org_id else None
        line = {"organization": org.name if org else "", "count": len(fresh),
                "overdue": sum(1 for r in fresh if r["overdue"]), "recipients": 0,
                "objections": [r["id"] for r in fresh]}
        if fresh and not dry_run and org_id:
            for obj in model.Session.query(Objection).filter(
                    Objection.id.in_(line["objections"])).with_for_update():
                obj.last_reminded = today
                workflow.record(obj, None, "remind", obj.status, obj.status, public=False,
                                role="system")
            model.repo.commit()
            line["recipients"] = notices.reminded(org_id, fresh)
        report.append(line)
    return report
