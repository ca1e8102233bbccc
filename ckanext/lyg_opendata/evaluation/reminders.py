"""Reminders of rectification notices (Art 39) waiting for the agency's response: each agency
hears, once a day, about its notices due within ``REMIND_DAYS`` working days or overdue;
supervisors hear about every overdue one (the list for the report to the city government).
Run by ``ckan lyg-opendata rectifications remind`` (daily)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation import workflow
from ckanext.lyg_opendata.evaluation.model import Rectification, RectificationEvent

_ = tk._

REMIND_DAYS = 3


def due(today: dt.date) -> dict[str, list[tuple[Rectification, dict[str, Any]]]]:
    """Notices the agency owes an answer to, due soon or overdue, by agency, not yet
    reminded today."""
    cal = workdays.Calendar()
    reminded = {rid for (rid,) in model.Session.query(RectificationEvent.rectification_id).filter(
        RectificationEvent.action == "remind", RectificationEvent.text == today.isoformat())}
    out: dict[str, list] = defaultdict(list)
    for row in model.Session.query(Rectification).filter(
            Rectification.status.in_(workflow.RUNNING)).order_by(Rectification.created):
        info = shared.clock(row.clock_start, row.deadline_days, True, cal, today)
        if row.id not in reminded and (info["overdue"] or info["days_left"] <= REMIND_DAYS):
            out[row.organization_id].append((row, info))
    return dict(out)


def _url(row: Rectification) -> str:
    return tk.url_for("lyg_opendata_evaluation.rectification_read", id=row.id, _external=True)


def remind(today: Optional[dt.date] = None, dry_run: bool = False) -> list[dict[str, Any]]:
    today = today or workdays.today_beijing()
    report = []
    overdue_all = []
    for org_id, rows in due(today).items():
        org = model.Session.get(model.Group, org_id)
        line = {"organization": org.name if org else "", "count": len(rows),
                "overdue": sum(1 for _r, i in rows if i["overdue"]), "recipients": 0}
        overdue_all += [(org, r, i) for r, i in rows if i["overdue"]]
        if not dry_run:
            for row, _info in rows:
                shared.record(RectificationEvent, rectification_id=row.id, actor_id=None,
                              action="remind", from_status=row.status, to_status=row.status,
                              text=today.isoformat())
            lines = [f"- {workflow.ground_label(r.ground)}: "
                     + (_("overdue since %s") % i["deadline"] if i["overdue"]
                        else _("response due by %s") % i["deadline"]) + f" {_url(r)}"
                     for r, i in rows]
            subject = _("Rectification notices waiting for your response: %d") % len(rows)
            line["recipients"] = notify.notify_users(
                notify.agency_staff(org_id), subject, "\n".join([subject] + lines),
                link=tk.url_for("lyg_opendata_evaluation.rectification_index", _external=True),
                commit=False)
        report.append(line)
    if overdue_all and not dry_run:
        subject = _("Overdue rectification notices: %d") % len(overdue_all)
        notify.notify_users(notify.supervisors(), subject, "\n".join(
            [subject] + [f"- {(o.title or o.name) if o else ''}: {i['deadline']} {_url(r)}"
                         for o, r, i in overdue_all]),
            link=tk.url_for("lyg_opendata_evaluation.rectification_index", overdue="true",
                            _external=True), commit=False)
    if not dry_run:
        model.repo.commit()
    return report
