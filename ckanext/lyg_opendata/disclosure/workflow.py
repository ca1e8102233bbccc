"""Disclosure on application (依申请公开): states, transitions, the clock, who sees what.

    received ─request_correction→ correction_requested ─amend→ received (clock restarts)
    received ─extend→ received (once, at most 15 working days, by the agency's head)
    received ─transfer→ received (another agency; its clock starts from the transfer)
    received ─answer→ answered (one of the outcomes, with the content each requires)
    received | correction_requested ─withdraw→ withdrawn (by the applicant; a letter's
        withdrawal recorded by the agency with the day it was received)
    correction_requested ─lapse→ withdrawn (not amended in time: deemed withdrawn, Art 30)
    withdrawn ─amend→ received (a letter application closed by lapse whose amended letter was
        received in time but entered after the lapse: the lapse is undone)

The shared shape (``ckanext.lyg_opendata.workflow``): each transition locks the row, checks
the move against ``TRANSITIONS``, writes the row and an event, the action commits, the
notices follow from the action's success signal (``notices``).

Who is who: ``access``; what each viewer sees: ``present``; attachments: ``files``.

The clock (条例 Art 33, the city's guide 二 (三)): an answer is due 15 working days after the
day of receipt (the N-th working day after it, on the shared calendar: ``workdays``); an
amended application (补正) is received anew on the day it is amended; one extension adds at
most 15 working days. An application not amended within ``correction_days()`` working days
of the request for an amendment is deemed withdrawn (条例 Art 30: 视为放弃申请): the daily
``lapse`` job (``lapse.py``) moves it with the ``lapse`` transition.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure import access, codes, files
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent, DisclosureRequest
from ckanext.lyg_opendata.i18n import N_

_ = tk._

DEADLINE_DAYS = 15
MAX_EXTENSION_DAYS = 15
OPEN_STATES = frozenset({"received", "correction_requested"})
FINAL_STATES = frozenset({"answered", "withdrawn"})

# action -> (states it may start from, state it leads to); one table, tested exhaustively
TRANSITIONS = shared.Transitions({
    "request_correction": (frozenset({"received"}), "correction_requested"),
    # from withdrawn: only a registered application closed by ``lapse`` whose amended letter
    # was received in time (``lapse_to_undo``); the lapse is undone
    "amend": (frozenset({"correction_requested", "withdrawn"}), "received"),
    "extend": (frozenset({"received"}), "received"),
    "transfer": (frozenset({"received"}), "received"),
    "answer": (frozenset({"received"}), "answered"),
    "withdraw": (frozenset({"received", "correction_requested"}), "withdrawn"),
    "lapse": (frozenset({"correction_requested"}), "withdrawn"),
}, status_label=lambda code: codes.label("status", code),
   action_label=lambda code: codes.label("event", code),
   refused=N_("An application that is %(status)s cannot be %(action)s"))

APPLICANT_ACTIONS = access.APPLICANT_ACTIONS

utcnow = shared.utcnow


# --- the clock -----------------------------------------------------------------------------

def deadline(req: DisclosureRequest, cal: Optional[workdays.Calendar] = None) -> tuple[dt.date, bool]:
    """(the day by which the answer is due, provisional)."""
    cal = cal or workdays.Calendar()
    return cal.add_workdays(req.clock_start, req.deadline_days + (req.extension_days or 0))


def clock_info(req: DisclosureRequest, cal: Optional[workdays.Calendar] = None,
               today: Optional[dt.date] = None) -> dict[str, Any]:
    """Deadline, working days left, overdue — computed now, never stored. Paused while the
    agency waits for the amended application."""
    info = shared.clock(req.clock_start, req.deadline_days + (req.extension_days or 0),
                        req.status == "received", cal, today)
    info["paused"] = req.status == "correction_requested"
    info["answered_in_time"] = (req.answered_on <= dt.date.fromisoformat(info["deadline"])
                                if req.answered_on and info["deadline"] else None)
    return info


def correction_days() -> int:
    """Working days the applicant has to amend (``ckanext.lyg_opendata.disclosure.
    correction_days``); each request for an amendment keeps the number it was given."""
    return int(tk.config.get("ckanext.lyg_opendata.disclosure.correction_days"))


def correction_due(req: DisclosureRequest, cal: Optional[workdays.Calendar] = None
                   ) -> Optional[dt.date]:
    """The last day to amend: the N-th working day after the amendment was asked for (N as
    given then); None when no amendment is awaited."""
    if req.status != "correction_requested" or req.correction_requested_on is None:
        return None
    event = model.Session.query(DisclosureEvent).filter(
        DisclosureEvent.request_id == req.id,
        DisclosureEvent.action == "request_correction").order_by(
        DisclosureEvent.created.desc(), DisclosureEvent.id.desc()).first()
    days = (event.data or {}).get("days") if event is not None else None
    cal = cal or workdays.Calendar()
    return cal.add_workdays(req.correction_requested_on,
                            days if isinstance(days, int) else correction_days())[0]


def withdrawal_event(req: DisclosureRequest) -> Optional[DisclosureEvent]:
    """What withdrew a withdrawn application: the last ``withdraw`` or ``lapse`` event (a lapse
    undone by an amended letter received in time no longer counts once handling resumed)."""
    if req.status != "withdrawn":
        return None
    return model.Session.query(DisclosureEvent).filter(
        DisclosureEvent.request_id == req.id,
        DisclosureEvent.action.in_(("withdraw", "lapse"))).order_by(
        DisclosureEvent.created.desc(), DisclosureEvent.id.desc()).first()


def lapse_to_undo(req: DisclosureRequest) -> Optional[tuple[DisclosureEvent, dt.date]]:
    """(the ``lapse`` event, the last day to amend it counted) of a registered application
    (no account) closed as not amended in time: its amended letter may have been received in
    time and entered after the daily job closed it; None otherwise."""
    if not access.by_letter(req):
        return None
    event = withdrawal_event(req)
    due = (event.data or {}).get("correction_due") if event is not None else None
    if event is None or event.action != "lapse" or not due:
        return None
    return event, dt.date.fromisoformat(due)


# --- records -------------------------------------------------------------------------------

def get(request_id: str) -> DisclosureRequest:
    return shared.find(DisclosureRequest, request_id, _("Application for disclosure not found"))


def lock(request_id: str) -> DisclosureRequest:
    return shared.locked(DisclosureRequest, request_id, _("Application for disclosure not found"))


def record(req: DisclosureRequest, user, action: str, from_status: Optional[str],
           to_status: Optional[str], text: Optional[str] = None,
           data: Optional[dict] = None, role: Optional[str] = None) -> DisclosureEvent:
    u = access.user_obj(user)
    return shared.record(DisclosureEvent, request_id=req.id, actor_id=u.id if u else None,
                         actor_role=role or access.actor_role(user, req, action), action=action,
                         from_status=from_status, to_status=to_status, text=text, data=data)


def next_number(day: dt.date) -> str:
    """The receipt number: 依申请-<year>-<5 digits>, counted per year under a lock."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('lyg_disclosure_number'))"))
    prefix = f"YSQ-{day.year}-"
    last = model.Session.query(sa.func.max(DisclosureRequest.number)).filter(
        DisclosureRequest.number.like(prefix + "%")).scalar()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


# --- transitions ---------------------------------------------------------------------------

def transition(context: dict, request_id: str, action: str, **fields: Any) -> DisclosureRequest:
    """Move an application; a field-level ValidationError when the move is not allowed."""
    user = context.get("user")
    req = lock(request_id)
    status = req.status
    target = TRANSITIONS.target(action, status)
    text = fields.get("text")
    data: dict[str, Any] = {}
    today = workdays.today_beijing()
    u = access.user_obj(user)
    if action == "request_correction":
        req.correction_request = text
        req.correction_requested_on = today
        days = correction_days()
        # the time to amend as told to the applicant (its last day is computed when read)
        data = {"days": days, "due": workdays.Calendar().add_workdays(today, days)[0].isoformat()}
    elif action == "amend":
        amend_by = correction_due(req)
        undo = lapse_to_undo(req) if status == "withdrawn" else None
        if status == "withdrawn":
            if undo is None:  # withdrawn by the applicant, or an online application
                refused = str(TRANSITIONS.refused)  # the table's message (marked there)
                shared.fail("status", _(refused) % {
                    "status": codes.label("status", status), "action": codes.label("event", action)})
            else:
                amend_by = undo[1]
        # online: amended today by the applicant; registered (no account): the agency
        # records the amended letter and the day it received it
        day = today
        if req.user_id is None:
            if not fields.get("received_on"):
                shared.fail("received_on", _("Give the day the amended application was received"))
            day = fields["received_on"]
            if req.correction_requested_on and day < req.correction_requested_on:
                shared.fail("received_on", _(
                    "The amended application cannot have been received before the amendment "
                    "was asked for (%s)") % req.correction_requested_on.isoformat())
            if amend_by is not None and day > amend_by:
                shared.fail("received_on", _(
                    "The time to amend ended on %s: the application is deemed withdrawn.")
                    % amend_by.isoformat())
        elif amend_by is not None and today > amend_by:
            shared.fail("description", _(
                "The time to amend ended on %s: the application is deemed withdrawn. You may "
                "apply again.") % amend_by.isoformat())
        req.description = fields["description"]
        if fields.get("purpose"):
            req.purpose = fields["purpose"]
        req.amended_on = day
        req.clock_start = day  # received anew: the clock restarts from the amended application
        data = {"previous_clock_start": req.correction_requested_on.isoformat()
                if req.correction_requested_on else None}
        if req.user_id is None:
            data["received_on"] = day.isoformat()
        if undo is not None:  # the amended letter was received in time: the lapse is undone
            data.update(undoes="lapse", correction_due=undo[1].isoformat(),
                        lapsed_on=workdays.today_beijing(undo[0].created).isoformat())
    elif action == "extend":
        if req.extension_days:
            shared.fail("days", _("The answer period can be extended only once"))
        days = fields["days"]
        if days < 1 or days > MAX_EXTENSION_DAYS:
            shared.fail("days", _("An extension is between 1 and %d working days") % MAX_EXTENSION_DAYS)
        due, _p = deadline(req)
        if today > due:
            shared.fail("days", _("The answer period has already ended: it cannot be extended"))
        req.extension_days = days
        req.extension_reason = text
        req.extended_by = u.id if u else None
        req.extended_at = utcnow()
        data = {"days": days}
    elif action == "transfer":
        org = model.Group.get(fields.get("organization") or "")
        if org is None or not org.is_organization or org.state != "active":
            shared.fail("organization", _("No such agency"))
        if org.id == req.organization_id:
            shared.fail("organization", _("The application is already with this agency"))
        data = {"from_organization": req.organization_id, "to_organization": org.id}
        req.previous_organization_id = req.organization_id
        req.organization_id = org.id
        req.clock_start = today
        req.extension_days = 0
        req.extension_reason = None
    elif action == "answer":
        apply_answer(req, fields)
        req.answered_at = utcnow()
        req.answered_on = today
        req.answered_by = u.id if u else None
        data = {"outcome": req.outcome}
        text = req.answer_text
    elif action == "withdraw":
        req.withdrawal_reason = text
        if access.by_letter(req):
            # the agency records the withdrawal letter and the day it received it
            day = fields.get("received_on")
            if not day:
                shared.fail("received_on", _("Give the day the withdrawal letter was received"))
            if day < req.received_on:
                shared.fail("received_on", _(
                    "The withdrawal cannot have been received before the application (%s)")
                    % req.received_on.isoformat())
            data = {"received_on": day.isoformat()}
    elif action == "lapse":
        amend_by = correction_due(req)
        if amend_by is None:
            shared.fail("status", _("No amendment with a time limit is awaited"))
        elif today <= amend_by:
            shared.fail("status", _("The time to amend has not ended: the application can be "
                                    "closed as not amended only after %s") % amend_by.isoformat())
        else:
            data = {"correction_due": amend_by.isoformat()}
    role = "system" if action == "lapse" else access.actor_role(user, req, action)
    if (action == "amend" and req.user_id is None) or (action == "withdraw" and access.by_letter(req)):
        role = "agency"  # the amended letter or the withdrawal letter, recorded by the agency
    req.status = target
    record(req, user, action, status, target, text=text, data=data or None, role=role)
    shared.commit(context)
    return req


# what each outcome must say (条例 Art 36; the guide's six kinds of answer)
REQUIRED = {
    "public": (),
    "partial": ("withheld_category", "withheld_reason", "legal_basis"),
    "already_public": ("where_to_find",),
    "withheld": ("withheld_category", "withheld_reason", "legal_basis"),
    "not_held": (),  # the holder and its contact when it can be determined (checked below)
    "not_exist": (),
    "unclear": (),
}


def apply_answer(req: DisclosureRequest, fields: dict[str, Any]) -> None:
    outcome = fields["outcome"]
    errors: dict[str, list[str]] = {}
    for name in REQUIRED[outcome]:
        if not fields.get(name):
            errors[name] = [_("Missing value")]
    if outcome == "not_held" and fields.get("holder_name") and not fields.get("holder_contact"):
        errors["holder_contact"] = [_("Give the contact details of the agency that holds it")]
    if outcome == "unclear" and not req.amended_on:
        errors["outcome"] = [_("Ask the applicant to amend the application first (补正)")]
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    req.outcome = outcome
    req.answer_text = fields["answer_text"]
    keep = set(REQUIRED[outcome]) | ({"holder_name", "holder_contact"} if outcome == "not_held" else set())
    for name in ("withheld_category", "withheld_reason", "legal_basis", "where_to_find",
                 "holder_name", "holder_contact"):
        setattr(req, name, fields.get(name) if name in keep else None)
    upload = fields.get("upload")
    if upload and outcome in ("public", "partial"):
        req.answer_file_path = files.store_upload(req.id, "answer", upload)
        req.answer_file_name = upload["name"]
        req.answer_file_mimetype = upload["mimetype"]


