"""Disclosure on application (依申请公开): states, transitions, the clock, who sees what.

    received ─request_correction→ correction_requested ─amend→ received (clock restarts)
    received ─extend→ received (once, at most 15 working days, by the agency's head)
    received ─transfer→ received (another agency; its clock starts from the transfer)
    received ─answer→ answered (one of the outcomes, with the content each requires)
    received | correction_requested ─withdraw→ withdrawn (by the applicant)

The shared shape (``ckanext.lyg_opendata.workflow``): each transition locks the row, checks
the move against ``TRANSITIONS``, writes the row and an event, the action commits, the
notices follow from the action's success signal (``notices``).

The clock (条例 Art 33, the city's guide 二 (三)): an answer is due 15 working days after the
day of receipt (the N-th working day after it, on the shared calendar: ``workdays``); an
amended application (补正) is received anew on the day it is amended; one extension adds at
most 15 working days.
"""
from __future__ import annotations

import datetime as dt
import pathlib
import re
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.audit.reading import mask_name
from ckanext.lyg_opendata.disclosure import codes
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
    "amend": (frozenset({"correction_requested"}), "received"),
    "extend": (frozenset({"received"}), "received"),
    "transfer": (frozenset({"received"}), "received"),
    "answer": (frozenset({"received"}), "answered"),
    "withdraw": (frozenset({"received", "correction_requested"}), "withdrawn"),
}, status_label=lambda code: codes.label("status", code),
   action_label=lambda code: codes.label("event", code),
   refused=N_("An application that is %(status)s cannot be %(action)s"))

APPLICANT_ACTIONS = frozenset({"amend", "withdraw"})

# what is withheld from viewers who are not the applicant, the handling agency or supervisors
PERSONAL_FIELDS = ("id_number", "phone", "email", "address", "contact_person",
                   "legal_representative")

utcnow = shared.utcnow


# --- who is who ----------------------------------------------------------------------------

def user_obj(user) -> Optional[model.User]:
    return roles._user(user)


def is_sysadmin(user) -> bool:
    u = user_obj(user)
    return bool(u) and u.sysadmin


def is_handling_staff(user, req: DisclosureRequest) -> bool:
    """Editors and admins of the agency the application is with (sysadmins as operator)."""
    return is_sysadmin(user) or roles.is_agency_editor(user, req.organization_id)


def is_agency_head(user, req: DisclosureRequest) -> bool:
    """The agency's designated head approves an extension: its admins (sysadmins too)."""
    return is_sysadmin(user) or roles.agency_role(user, req.organization_id) == "admin"


def is_applicant(user, req: DisclosureRequest) -> bool:
    u = user_obj(user)
    return bool(u) and bool(req.user_id) and req.user_id == u.id


def sees_personal_data(user, req: DisclosureRequest) -> bool:
    return is_applicant(user, req) or is_handling_staff(user, req) or roles.is_supervisor(user)


def may_view(user, req: DisclosureRequest) -> bool:
    """The applicant, the handling agency, supervisors; the agency that transferred it
    away keeps a view of it, without the applicant's personal data."""
    if sees_personal_data(user, req):
        return True
    return bool(req.previous_organization_id) and roles.is_agency_editor(
        user, req.previous_organization_id)


def actor_role(user, req: DisclosureRequest, action: str) -> str:
    if action in APPLICANT_ACTIONS or action == "submit":
        return "applicant"
    if roles.is_agency_editor(user, req.organization_id):
        return "agency"
    return "supervisor" if roles.is_supervisor(user) else "agency"


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


# --- records -------------------------------------------------------------------------------

def get(request_id: str) -> DisclosureRequest:
    return shared.find(DisclosureRequest, request_id, _("Application for disclosure not found"))


def lock(request_id: str) -> DisclosureRequest:
    return shared.locked(DisclosureRequest, request_id, _("Application for disclosure not found"))


def record(req: DisclosureRequest, user, action: str, from_status: Optional[str],
           to_status: Optional[str], text: Optional[str] = None,
           data: Optional[dict] = None, role: Optional[str] = None) -> DisclosureEvent:
    u = user_obj(user)
    return shared.record(DisclosureEvent, request_id=req.id, actor_id=u.id if u else None,
                         actor_role=role or actor_role(user, req, action), action=action,
                         from_status=from_status, to_status=to_status, text=text, data=data)


def next_number(day: dt.date) -> str:
    """The receipt number: 依申请-<year>-<5 digits>, counted per year under a lock."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('lyg_disclosure_number'))"))
    prefix = f"YSQ-{day.year}-"
    last = model.Session.query(sa.func.max(DisclosureRequest.number)).filter(
        DisclosureRequest.number.like(prefix + "%")).scalar()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


# --- attachments (the scanned letter, the answer's file) -----------------------------------

def read_upload(raw: Any, field: str) -> Optional[dict[str, Any]]:
    """A checked upload (the objections' type and size rules), errors on ``field``."""
    from ckanext.lyg_opendata.objections import evidence
    if raw in (None, ""):
        return None
    if not evidence.is_upload(raw):
        shared.fail(field, _("Send the attachment as a file upload"))
    try:
        return evidence.read(raw)
    except tk.ValidationError as err:
        messages = [m for msgs in err.error_dict.values() for m in msgs]
        model.Session.rollback()
        raise tk.ValidationError({field: messages})


def store_upload(req_id: str, kind: str, upload: dict[str, Any]) -> str:
    root = tk.config.get("ckan.storage_path")
    if not root:
        shared.fail(kind, _("Attachments are not enabled on this portal"))
    target = pathlib.Path(root) / "lyg_opendata" / "disclosure" / req_id
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{kind}.{upload['ext']}"
    path.write_bytes(upload["data"])
    return str(path.relative_to(root))


def absolute(relative: str) -> pathlib.Path:
    from ckanext.lyg_opendata.objections import evidence
    return evidence.absolute(relative)


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
    u = user_obj(user)
    if action == "request_correction":
        req.correction_request = text
        req.correction_requested_on = today
    elif action == "amend":
        req.description = fields["description"]
        if fields.get("purpose"):
            req.purpose = fields["purpose"]
        req.amended_on = today
        req.clock_start = today  # received anew: the clock restarts from the amended application
        data = {"previous_clock_start": req.correction_requested_on.isoformat()
                if req.correction_requested_on else None}
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
    role = actor_role(user, req, action)
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
        req.answer_file_path = store_upload(req.id, "answer", upload)
        req.answer_file_name = upload["name"]
        req.answer_file_mimetype = upload["mimetype"]


# --- what each viewer sees -----------------------------------------------------------------

def mask_number(value: Optional[str]) -> Optional[str]:
    """3207**********1234; short values: first and last character kept."""
    if not value:
        return value
    if len(value) <= 8:
        return mask_name(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: Optional[str]) -> Optional[str]:
    """138****5678; 0518-****1234."""
    if not value or len(value) < 8:
        return mask_name(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: Optional[str]) -> Optional[str]:
    if not value or "@" not in value:
        return mask_number(value)
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_request(out: dict[str, Any]) -> dict[str, Any]:
    if out["applicant_type"] == "individual":
        out["applicant_name"] = mask_name(out["applicant_name"])
    for name in ("id_number", "address"):
        out[name] = mask_number(out[name])
    out["phone"] = mask_phone(out["phone"])
    out["email"] = mask_email(out["email"])
    for name in ("contact_person", "legal_representative"):
        out[name] = mask_name(out[name])
    out["personal_data_masked"] = True
    out["has_letter"] = False
    return out


def _org(org_id: Optional[str]) -> Optional[model.Group]:
    return model.Session.get(model.Group, org_id) if org_id else None


def _iso(value) -> Optional[str]:
    return value.isoformat() if value else None


def event_dict(event: DisclosureEvent, full: bool) -> dict[str, Any]:
    out = {"action": event.action, "action_label": codes.label("event", event.action),
           "from_status": event.from_status, "to_status": event.to_status,
           "actor_role": event.actor_role, "actor_role_label": codes.label("role", event.actor_role),
           "text": event.text, "data": event.data, "created": event.created.isoformat()}
    if full and event.actor_id:
        actor = model.Session.get(model.User, event.actor_id)
        out["actor"] = actor.name if actor else None
        out["actor_display_name"] = actor.display_name if actor else None
    return out


def request_dict(req: DisclosureRequest, viewer, cal: Optional[workdays.Calendar] = None,
                 events: bool = True, today: Optional[dt.date] = None) -> dict[str, Any]:
    """The application as ``viewer`` may see it: personal data masked unless the viewer is
    the applicant, the handling agency or a supervisor."""
    org, prev = _org(req.organization_id), _org(req.previous_organization_id)
    full = sees_personal_data(viewer, req)
    out: dict[str, Any] = {
        "id": req.id, "number": req.number,
        "organization_id": req.organization_id,
        "organization_name": org.name if org else None,
        "organization_title": org.title if org else None,
        "previous_organization_title": prev.title if prev else None,
        "channel": req.channel, "channel_label": codes.label("channel", req.channel),
        "applicant_type": req.applicant_type,
        "applicant_type_label": codes.label("applicant_type", req.applicant_type),
        "organization_kind": req.organization_kind,
        "organization_kind_label": codes.label("organization_kind", req.organization_kind)
        if req.organization_kind else None,
        "applicant_name": req.applicant_name, "id_type": req.id_type,
        "id_type_label": codes.label("id_type", req.id_type) if req.id_type else None,
        "id_number": req.id_number, "credit_code": req.credit_code,
        "legal_representative": req.legal_representative, "contact_person": req.contact_person,
        "phone": req.phone, "email": req.email, "address": req.address,
        "description": req.description, "purpose": req.purpose,
        "delivery": req.delivery, "delivery_label": codes.label("delivery", req.delivery),
        "has_letter": bool(req.letter_path), "letter_name": req.letter_name,
        "status": req.status, "status_label": codes.label("status", req.status),
        "received_on": _iso(req.received_on), "clock_start": _iso(req.clock_start),
        "deadline_days": req.deadline_days, "extension_days": req.extension_days,
        "extension_reason": req.extension_reason, "extended_at": _iso(req.extended_at),
        "correction_request": req.correction_request,
        "correction_requested_on": _iso(req.correction_requested_on),
        "amended_on": _iso(req.amended_on),
        "outcome": req.outcome,
        "outcome_label": codes.label("outcome", req.outcome) if req.outcome else None,
        "answer_text": req.answer_text,
        "withheld_category": req.withheld_category,
        "withheld_category_label": codes.label("withheld_category", req.withheld_category)
        if req.withheld_category else None,
        "withheld_reason": req.withheld_reason, "legal_basis": req.legal_basis,
        "where_to_find": req.where_to_find, "holder_name": req.holder_name,
        "holder_contact": req.holder_contact,
        "has_answer_file": bool(req.answer_file_path), "answer_file_name": req.answer_file_name,
        "answered_at": _iso(req.answered_at), "answered_on": _iso(req.answered_on),
        "withdrawal_reason": req.withdrawal_reason,
        "created": req.created.isoformat(),
        "registered_by_staff": req.channel != "online",
        "personal_data_masked": False,
        "allowed_actions": TRANSITIONS.allowed(req.status),
    }
    out.update(clock_info(req, cal, today))
    if not full:
        mask_request(out)
    if events:
        rows = model.Session.query(DisclosureEvent).filter(
            DisclosureEvent.request_id == req.id).order_by(DisclosureEvent.created, DisclosureEvent.id)
        out["events"] = [event_dict(e, full) for e in rows]
    return out


ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")


def check_resident_id(value: str) -> bool:
    """The 18-digit resident ID number (GB 11643-1999) with its check digit (python-stdnum)."""
    from stdnum.cn import ric
    return bool(ID_NUMBER_RE.match(value)) and ric.is_valid(value)
