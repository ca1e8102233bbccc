"""Reminders of applications for disclosure waiting for an answer: each agency hears, once a
day, about its applications due within ``REMIND_DAYS`` working days or overdue; supervisors
hear about every overdue one. Run by ``ckan lyg-opendata disclosure remind`` (daily)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.disclosure import workflow
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent, DisclosureRequest

_ = tk._

REMIND_DAYS = 3


def due(today: dt.date) -> dict[str, list[tuple[DisclosureRequest, dict[str, Any]]]]:
    """Applications being handled that are due soon or overdue, by agency, not yet reminded
    today."""
    cal = workdays.Calendar()
    out: dict[str, list] = defaultdict(list)
    reminded = {rid for (rid,) in model.Session.query(DisclosureEvent.request_id).filter(
        DisclosureEvent.action == "remind",
        DisclosureEvent.data["day"].astext == today.isoformat())}
    for req in model.Session.query(DisclosureRequest).filter(
            DisclosureRequest.status == "received").order_by(DisclosureRequest.number):
        info = workflow.clock_info(req, cal, today)
        if req.id not in reminded and (info["overdue"] or info["days_left"] <= REMIND_DAYS):
            out[req.organization_id or ""].append((req, info))
    return dict(out)


def _url(req: DisclosureRequest) -> str:
    return tk.url_for("lyg_opendata_disclosure.read", id=req.id, _external=True)


def remind(today: Optional[dt.date] = None, dry_run: bool = False) -> list[dict[str, Any]]:
    today = today or workdays.today_beijing()
    report = []
    overdue_all = []
    for org_id, rows in due(today).items():
        org = model.Session.get(model.Group, org_id) if org_id else None
        line = {"organization": org.name if org else "", "count": len(rows),
                "overdue": sum(1 for _r, i in rows if i["overdue"]), "recipients": 0}
        overdue_all += [(r, i) for r, i in rows if i["overdue"]]
        if not dry_run:
            for req, info in rows:
                workflow.record(req, None, "remind", req.status, req.status, role="system",
                                data={"day": today.isoformat(), "deadline": info["deadline"]})
            lines = [f"- {r.number}: " + (_("overdue") if i["overdue"] else _("due %s") % i["deadline"])
                     + f" {_url(r)}" for r, i in rows]
            subject = _("Applications for disclosure waiting for your answer: %d") % len(rows)
            staff = notify.agency_staff(org_id) if org_id else []
            line["recipients"] = notify.notify_users(
                staff, subject, "\n".join([subject] + lines),
                link=tk.url_for("lyg_opendata_disclosure.queue", _external=True), commit=False)
        report.append(line)
    if overdue_all and not dry_run:
        subject = _("Overdue applications for disclosure: %d") % len(overdue_all)
        notify.notify_users(notify.supervisors(), subject, "\n".join(
            [subject] + [f"- {r.number} ({i['deadline']}) {_url(r)}" for r, i in overdue_all]),
            link=tk.url_for("lyg_opendata_disclosure.queue", overdue="true", _external=True),
            commit=False)
    if not dry_run:
        model.repo.commit()
    return report
