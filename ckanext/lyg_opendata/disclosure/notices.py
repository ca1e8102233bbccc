"""Who hears about an application for disclosure (notify.notify_users: an in-portal notice
plus an email), from the action's success signal (``workflow.after``): receivers write
without committing. Mails never carry the applicant's personal data, only the receipt
number and the link."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure import codes
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

_ = tk._


def _link(req: DisclosureRequest) -> str:
    return tk.url_for("lyg_opendata_disclosure.read", id=req.id, _external=True)


def _applicant(req: DisclosureRequest) -> list:
    user = model.Session.get(model.User, req.user_id) if req.user_id else None
    return [user] if user else []


def _agency(org_id) -> list:
    return notify.agency_staff(org_id) if org_id else []


def _send(users, subject: str, body: str, link: str) -> None:
    notify.notify_users(users, subject, body, link=link, commit=False)


@shared.after(*(f"lyg_opendata_disclosure_{verb}" for verb in (
    "create", "register", "request_correction", "amend", "extend", "transfer", "answer",
    "withdraw", "lapse")))
def after_action(context, data_dict, result) -> None:
    req = model.Session.get(DisclosureRequest, (result or {}).get("id") or "")
    if req is None:
        return
    from ckanext.lyg_opendata.disclosure.model import DisclosureEvent
    event = model.Session.query(DisclosureEvent).filter(
        DisclosureEvent.request_id == req.id).order_by(
        DisclosureEvent.created.desc(), DisclosureEvent.id.desc()).first()
    if event is not None:
        transition(req, event.action, result, event.data)


def transition(req: DisclosureRequest, action: str, result: dict,
               event_data: Optional[dict] = None) -> None:
    link = _link(req)
    number = req.number
    due = result.get("deadline") or ""
    if action in ("submit", "amend", "withdraw", "transfer"):
        subject = {
            "submit": _("New application for disclosure %s"),
            "amend": _("Application for disclosure %s amended"),
            "withdraw": _("Application for disclosure %s withdrawn"),
            "transfer": _("Application for disclosure %s transferred to your agency"),
        }[action] % number
        body = subject
        if action != "withdraw":
            body += "\n" + _("The answer is due by %s (15 working days).") % due
        _send(_agency(req.organization_id), subject, body, link)
    if action == "submit":
        subject = _("Your application for disclosure was received: %s") % number
        body = subject + "\n" + _("The answer is due by %s (15 working days).") % due
        _send(_applicant(req), subject, body, link)
    elif action == "lapse":
        amend_by = (event_data or {}).get("correction_due") or ""
        subject = _("Your application for disclosure %(number)s: %(event)s") % {
            "number": number, "event": codes.label("event", action)}
        body = _("Your application was not amended by %s: it is deemed withdrawn and will not "
                 "be handled further. You may apply again.") % amend_by
        _send(_applicant(req), subject, body, link)
        subject = _("Application for disclosure %s closed: not amended in time") % number
        _send(_agency(req.organization_id), subject, subject, link)
    elif action in ("request_correction", "extend", "transfer", "answer"):
        subject = _("Your application for disclosure %(number)s: %(event)s") % {
            "number": number, "event": codes.label("event", action)}
        body = {
            "request_correction": _("Please amend your application:\n\n%s") % (req.correction_request or "")
            + "\n\n" + _("Amend it by %s; an application not amended by then is deemed withdrawn.")
            % (result.get("correction_due") or ""),
            "extend": _("The answer period was extended; the answer is now due by %s.") % due,
            "transfer": _("Your application is now handled by %s.") % (
                result.get("organization_title") or ""),
            "answer": _("Answer: %s. Read it and download the answer notice on the "
                        "application's page.") % (codes.label("outcome", req.outcome)),
        }[action]
        _send(_applicant(req), subject, body, link)


def amend_reminder(req: DisclosureRequest, amend_by: dt.date, days_left: int) -> int:
    """Remind the applicant that the time to amend ends soon (the daily ``remind`` job,
    ``reminders.remind_amend``); the number of people told."""
    subject = _("Your application for disclosure %(number)s: amend it by %(day)s") % {
        "number": req.number, "day": amend_by.isoformat()}
    body = (_("The time to amend your application ends on %(day)s (%(left)d working day(s) "
              "left). An application not amended by then is deemed withdrawn.") % {
                "day": amend_by.isoformat(), "left": days_left}
            + "\n\n" + _("What to amend:") + "\n" + (req.correction_request or "")
            + "\n\n" + _("Amend it on the application's page."))
    users = _applicant(req)
    _send(users, subject, body, _link(req))
    return len(users)
