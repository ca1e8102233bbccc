"""Complaints about the handling of an application for disclosure (投诉/举报, 条例 Art 51; the
city's guide 四): the applicant complains to the supervisors, who answer within
``DEADLINE_DAYS`` working days on the shared calendar (the platform's service level; the
条例 sets none). The answer page reminds of 行政复议 (60 days) and 行政诉讼 (6 months).

    filed ─answer→ answered (upheld / not upheld, with the supervisors' answer)
    filed ─withdraw→ withdrawn (by the complainant)

The shared shape (``ckanext.lyg_opendata.workflow``): lock, ``TRANSITIONS.target``, write,
record the event, commit; notices from ``@after`` receivers.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz, notify, roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure import access, codes, schema
from ckanext.lyg_opendata.disclosure.model import (
    DisclosureComplaint, DisclosureComplaintEvent, DisclosureRequest)
from ckanext.lyg_opendata.i18n import N_

_ = tk._
v = schema.v

DEADLINE_DAYS = 15

TRANSITIONS = shared.Transitions({
    "answer": (frozenset({"filed"}), "answered"),
    "withdraw": (frozenset({"filed"}), "withdrawn"),
}, status_label=lambda code: codes.label("complaint_status", code),
   action_label=lambda code: codes.label("complaint_event", code),
   refused=N_("A complaint that is %(status)s cannot be %(action)s"))


def get(complaint_id: str) -> DisclosureComplaint:
    return shared.find(DisclosureComplaint, complaint_id, _("Complaint not found"))


def _request(row: DisclosureComplaint) -> Optional[DisclosureRequest]:
    return model.Session.get(DisclosureRequest, row.request_id)


def is_complainant(user, row: DisclosureComplaint) -> bool:
    u = roles._user(user)
    return bool(u) and row.user_id == u.id


def may_view(user, row: DisclosureComplaint) -> bool:
    """The complainant, supervisors, and the staff of the agency the application is with."""
    req = _request(row)
    return (is_complainant(user, row) or roles.is_supervisor(user)
            or (req is not None and access.is_handling_staff(user, req)))


def clock_info(row: DisclosureComplaint, today: Optional[dt.date] = None) -> dict[str, Any]:
    return shared.clock(row.filed_on, DEADLINE_DAYS, row.status == "filed", today=today)


def complaint_dict(row: DisclosureComplaint, viewer) -> dict[str, Any]:
    req = _request(row)
    out = {"id": row.id, "request_id": row.request_id, "request_number": req.number if req else None,
           "organization_id": req.organization_id if req else None,
           "ground": row.ground, "ground_label": codes.label("complaint_ground", row.ground),
           "text": row.text, "status": row.status,
           "status_label": codes.label("complaint_status", row.status),
           "filed_on": row.filed_on.isoformat(), "finding": row.finding,
           "finding_label": codes.label("complaint_finding", row.finding) if row.finding else None,
           "answer_text": row.answer_text,
           "answered_on": row.answered_on.isoformat() if row.answered_on else None,
           "created": row.created.isoformat(),
           "allowed_actions": TRANSITIONS.allowed(row.status)}
    out.update(clock_info(row))
    return out


def _record(row: DisclosureComplaint, user, action: str, frm, to, text=None) -> None:
    shared.record(DisclosureComplaintEvent, complaint_id=row.id, actor_id=shared.actor_id(user),
                  action=action, from_status=frm, to_status=to, text=text)


# --- actions -------------------------------------------------------------------------------

def lyg_opendata_disclosure_complaint_create(context, data_dict):
    """The applicant complains to the supervisors about how the application was handled.

    :param request_id: the application; :param ground: see ``codes.COMPLAINT_GROUNDS``
    :param text: what the agency failed to do
    :returns: the complaint, with the day the supervisors' answer is due
    """
    data = schema.validate(data_dict, {
        "request_id": [v("not_empty"), v("unicode_safe")],
        "ground": [v("not_empty"), v("unicode_safe"), schema.one_of("complaint_ground")],
        "text": schema.text(minimum=5)})
    req = shared.find(DisclosureRequest, data["request_id"], _("Application for disclosure not found"))
    tk.check_access("lyg_opendata_disclosure_complaint_create", context, {"request_id": req.id})
    if data["ground"] == "not_answered" and req.status == "answered":
        shared.fail("ground", _("The application has been answered: choose another ground"))
    if model.Session.query(DisclosureComplaint.id).filter(
            DisclosureComplaint.request_id == req.id,
            DisclosureComplaint.status == "filed").first() is not None:
        shared.fail("text", _("A complaint about this application is being handled: wait for "
                              "its answer, or withdraw it first"))
    user = roles._user(context.get("user"))
    row = DisclosureComplaint(request_id=req.id, user_id=user.id if user else None,
                              ground=data["ground"], text=data["text"], status="filed",
                              filed_on=workdays.today_beijing())
    model.Session.add(row)
    model.Session.flush()
    _record(row, context.get("user"), "file", None, "filed", text=data["text"])
    shared.commit(context)
    return complaint_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_disclosure_complaint_show(context, data_dict):
    """One complaint. :param id: the complaint"""
    data = schema.validate(data_dict, schema.id_schema())
    return complaint_dict(get(data["id"]), context.get("user"))


def about_agencies(query, org_ids: list[str]):
    """The complaints about applications now with one of these agencies."""
    return query.join(DisclosureRequest, DisclosureRequest.id == DisclosureComplaint.request_id
                      ).filter(DisclosureRequest.organization_id.in_(org_ids or [""]))


def open_query(org_ids: Optional[list[str]] = None):
    """The count query of the complaints waiting for the supervisors' answer (about these
    agencies; None: all), not run."""
    query = model.Session.query(sa.func.count(DisclosureComplaint.id)).filter(
        DisclosureComplaint.status == "filed")
    if org_ids is not None:
        query = about_agencies(query, org_ids)
    return query


def open_count(org_ids: Optional[list[str]] = None) -> int:
    """Complaints waiting for the supervisors' answer (about these agencies; None: all)."""
    return open_query(org_ids).scalar() or 0


@tk.side_effect_free
def lyg_opendata_disclosure_complaint_list(context, data_dict):
    """Complaints: of one application (``request_id``: whoever may see the application), or
    all (supervisors) or those about the applications of one's agencies (agency staff), open
    ones first.

    :param request_id: the application (optional); :param status: a status (optional)
    """
    data = schema.validate(data_dict, {
        "request_id": [v("ignore_missing"), v("unicode_safe")],
        "status": [v("ignore_missing"), v("unicode_safe"), schema.one_of("complaint_status")]})
    query = model.Session.query(DisclosureComplaint)
    user = context.get("user")
    if data.get("request_id"):
        req = shared.find(DisclosureRequest, data["request_id"], _("Application for disclosure not found"))
        query = query.filter(DisclosureComplaint.request_id == req.id)
        if not (roles.is_supervisor(user) or access.is_handling_staff(user, req)):
            u = roles._user(user)
            query = query.filter(DisclosureComplaint.user_id == (u.id if u else ""))
    elif not roles.is_supervisor(user):
        query = about_agencies(query, roles.editable_org_ids(user))
    if data.get("status"):
        query = query.filter(DisclosureComplaint.status == data["status"])
    rows = query.order_by(DisclosureComplaint.status != "filed", DisclosureComplaint.filed_on,
                          DisclosureComplaint.id).all()
    results = [complaint_dict(r, user) for r in rows]
    return {"count": len(results), "results": results,
            "overdue_count": sum(1 for r in results if r["overdue"])}


def lyg_opendata_disclosure_complaint_answer(context, data_dict):
    """The supervisors answer a complaint.

    :param id: the complaint; :param finding: ``upheld`` or ``not_upheld``
    :param answer_text: the answer to the complainant
    """
    data = schema.validate(data_dict, {
        **schema.id_schema(),
        "finding": [v("not_empty"), v("unicode_safe"), schema.one_of("complaint_finding")],
        "answer_text": schema.text(minimum=5)})
    row = shared.locked(DisclosureComplaint, data["id"], _("Complaint not found"))
    to = TRANSITIONS.target("answer", row.status)
    row.finding, row.answer_text = data["finding"], data["answer_text"]
    row.answered_on = workdays.today_beijing()
    row.answered_by = shared.actor_id(context.get("user"))
    _record(row, context.get("user"), "answer", row.status, to, text=data["answer_text"])
    row.status = to
    shared.commit(context)
    return complaint_dict(row, context.get("user"))


def lyg_opendata_disclosure_complaint_withdraw(context, data_dict):
    """The complainant withdraws the complaint. :param id: the complaint"""
    data = schema.validate(data_dict, schema.id_schema())
    row = shared.locked(DisclosureComplaint, data["id"], _("Complaint not found"))
    to = TRANSITIONS.target("withdraw", row.status)
    _record(row, context.get("user"), "withdraw", row.status, to)
    row.status = to
    shared.commit(context)
    return complaint_dict(row, context.get("user"))


# --- auth ----------------------------------------------------------------------------------

def _row(data_dict) -> Optional[DisclosureComplaint]:
    return authz.row(DisclosureComplaint, data_dict)


@tk.auth_sysadmins_check
@tk.auth_allow_anonymous_access
def auth_create(context, data_dict):
    req = shared.find(DisclosureRequest, (data_dict or {}).get("request_id"))
    if req is not None and access.is_applicant(context.get("user"), req):
        return authz.OK
    return authz.deny(_("Only the applicant can complain about the handling of the application"))


@tk.auth_allow_anonymous_access
def auth_show(context, data_dict):
    row = _row(data_dict)
    if row is not None and may_view(context.get("user"), row):
        return authz.OK
    return authz.deny(_("Not authorized to see this complaint"))


@tk.auth_allow_anonymous_access
def auth_list(context, data_dict):
    user = context.get("user")
    req = shared.find(DisclosureRequest, (data_dict or {}).get("request_id"))
    if roles.is_supervisor(user) or (req is not None and access.may_view(user, req)):
        return authz.OK
    if req is None and roles.editable_org_ids(user):
        return authz.OK     # the complaints about their agencies' applications
    return authz.deny(_("Only supervisors list every complaint"))


def auth_answer(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return authz.OK
    return authz.deny(_("Only supervisors answer complaints"))


@tk.auth_sysadmins_check
@tk.auth_allow_anonymous_access
def auth_withdraw(context, data_dict):
    row = _row(data_dict)
    if row is not None and is_complainant(context.get("user"), row):
        return authz.OK
    return authz.deny(_("Only the complainant can withdraw the complaint"))




# --- notices -------------------------------------------------------------------------------

def _link(row: DisclosureComplaint) -> str:
    return tk.url_for("lyg_opendata_disclosure.read", id=row.request_id, _external=True)


@shared.after("lyg_opendata_disclosure_complaint_create")
def after_file(context, data_dict, result) -> None:
    row = model.Session.get(DisclosureComplaint, (result or {}).get("id") or "")
    req = _request(row) if row else None
    if req is None:
        return
    subject = _("Complaint about the handling of application %s") % req.number
    body = subject + "\n" + codes.label("complaint_ground", row.ground) + "\n" + (
        _("The supervisors answer by %s.") % result.get("deadline"))
    users = notify.supervisors() + (notify.agency_staff(req.organization_id) if req.organization_id else [])
    notify.notify_users(users, subject, body, link=_link(row), commit=False)


@shared.after("lyg_opendata_disclosure_complaint_answer")
def after_answer(context, data_dict, result) -> None:
    row = model.Session.get(DisclosureComplaint, (result or {}).get("id") or "")
    req = _request(row) if row else None
    if req is None:
        return
    subject = _("Your complaint about application %(number)s: %(finding)s") % {
        "number": req.number, "finding": codes.label("complaint_finding", row.finding)}
    complainant = model.Session.get(model.User, row.user_id) if row.user_id else None
    notify.notify_users([complainant], subject, subject + "\n\n" + (row.answer_text or ""),
                        link=_link(row), commit=False)
    if req.organization_id:
        notify.notify_users(notify.agency_staff(req.organization_id), subject,
                            subject + "\n\n" + (row.answer_text or ""), link=_link(row), commit=False)
