"""Reminders of data requests waiting for an answer: each agency hears about the requests
routed to it that are due within ``objections.remind_days`` working days or overdue (the
same setting as the objections' reminders). Run by ``ckan lyg-opendata data-requests remind``
once a day (config/crontab)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.participation import workflow
from ckanext.lyg_opendata.participation.model import DataRequest

_ = tk._


def due(today: Optional[dt.date] = None) -> dict[str, list[dict[str, Any]]]:
    """Requests with the clock running that are due soon or overdue, by agency."""
    today = today or workdays.today_beijing()
    within = tk.config.get("ckanext.lyg_opendata.objections.remind_days")
    cal = workdays.Calendar()
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = model.Session.query(DataRequest).filter(DataRequest.status == workflow.RUNNING,
                                                   DataRequest.organization_id.isnot(None))
    for req in rows.order_by(DataRequest.clock_start):
        info = workflow.clock_info(req, cal, today)
        if info["overdue"] or (info["days_left"] is not None and info["days_left"] <= within):
            out[req.organization_id].append({"id": req.id, "title": req.title, **info})
    return dict(out)


def remind(today: Optional[dt.date] = None, dry_run: bool = False) -> list[dict[str, Any]]:
    """One notice (and mail) per agency; returns what was (or would be) sent."""
    report = []
    for org_id, rows in due(today).items():
        org = model.Session.get(model.Group, org_id)
        line = {"organization": org.name if org else "", "count": len(rows),
                "overdue": sum(1 for r in rows if r["overdue"]), "recipients": 0}
        if not dry_run:
            staff = notify.agency_staff(org_id)
            subject = _("Data requests waiting for your answer: %d") % len(rows)
            lines = [subject]
            for r in rows:
                flag = _("overdue") if r["overdue"] else _("due %s") % r["deadline"]
                link = tk.url_for("lyg_opendata_participation.request_read", id=r["id"],
                                  _external=True)
                lines.append(f"- {r['title']} ({flag}): {link}")
            line["recipients"] = notify.notify_users(
                staff, subject, "\n".join(lines),
                link=tk.url_for("lyg_opendata_participation.requests", _external=True,
                                organization=org.name if org else None, status="open"))
        report.append(line)
    return report
