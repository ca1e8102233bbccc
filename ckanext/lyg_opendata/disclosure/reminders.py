"""Reminders of applications for disclosure waiting for an answer: each agency hears, once a
day, about its applications due within ``REMIND_DAYS`` working days or overdue; supervisors
hear about every overdue one. Applicants asked to amend (补正) hear, once per request for an
amendment, when ``correction_reminder_days()`` working days or fewer are left to amend (an
event ``remind_amend`` in the timeline). Run by ``ckan lyg-opendata disclosure remind``
(daily)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workdays
from ckanext.lyg_opendata.disclosure import notices, workflow
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


def correction_reminder_days() -> int:
    """Working days before the time to amend ends when the applicant is reminded
    (``ckanext.lyg_opendata.disclosure.correction_reminder_days``; 0: never)."""
    return int(tk.config.get("ckanext.lyg_opendata.disclosure.correction_reminder_days"))


def amend_due(today: dt.date) -> list[tuple[DisclosureRequest, dt.date, int, str]]:
    """Applications awaiting an amendment whose time to amend ends within
    ``correction_reminder_days()`` working days (and has not ended), not yet reminded since
    the amendment was asked for: (application, last day to amend, working days left, the
    request's event id)."""
    days = correction_reminder_days()
    if days <= 0:
        return []
    cal = workdays.Calendar()
    out = []
    for req in model.Session.query(DisclosureRequest).filter(
            DisclosureRequest.status == "correction_requested").order_by(DisclosureRequest.number):
        amend_by = workflow.correction_due(req, cal)
        if amend_by is None or today > amend_by:
            continue
        left = cal.workdays_between(today, amend_by)[0]
        if left > days:
            continue
        asked = model.Session.query(DisclosureEvent).filter(
            DisclosureEvent.request_id == req.id,
            DisclosureEvent.action == "request_correction").order_by(
            DisclosureEvent.created.desc(), DisclosureEvent.id.desc()).first()
        asked_id = asked.id if asked is not None else ""
        reminded = model.Session.query(DisclosureEvent.id).filter(
            DisclosureEvent.request_id == req.id, DisclosureEvent.action == "remind_amend",
            DisclosureEvent.data["request_event"].astext == asked_id).first()
        if reminded is None:
            out.append((req, amend_by, left, asked_id))
    return out


def remind_amend(today: dt.date, dry_run: bool = False) -> dict[str, Any]:
    """Remind each applicant whose time to amend ends soon (once per request for an
    amendment): an in-portal notice and an email (``notices.amend_reminder``) and the event
    ``remind_amend``. Applications registered from a letter or fax have no account to tell:
    counted, not reminded (the agency has the 补正告知书 it sent)."""
    rows = amend_due(today)
    sent = recipients = 0
    for req, amend_by, left, asked_id in rows:
        if dry_run or not req.user_id:
            continue
        recipients += notices.amend_reminder(req, amend_by, left)
        workflow.record(req, None, "remind_amend", req.status, req.status, role="system",
                        data={"day": today.isoformat(), "correction_due": amend_by.isoformat(),
                              "request_event": asked_id})
        sent += 1
    return {"count": len(rows), "sent": sent, "recipients": recipients,
            "text": f"applicants reminded to amend: {len(rows)} due"
                    + ("" if dry_run else f", {sent} reminded, notice to {recipients} person(s)")}


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
    amend = remind_amend(today, dry_run)
    if not dry_run:
        model.repo.commit()
    return report + [{"text": amend["text"], "amend": amend}]
