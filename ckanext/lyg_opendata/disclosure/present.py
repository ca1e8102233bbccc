"""What each viewer sees of an application: the applicant's personal data masked for anyone
but the applicant, the handling agency and supervisors; the timeline; the clock."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.model as model

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.audit.reading import mask_name
from ckanext.lyg_opendata.disclosure import access, codes
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent, DisclosureRequest
from ckanext.lyg_opendata.disclosure.workflow import (
    TRANSITIONS, clock_info, correction_due, withdrawal_event)

# what is withheld from viewers who are not the applicant, the handling agency or supervisors
PERSONAL_FIELDS = ("id_number", "phone", "email", "address", "contact_person",
                   "legal_representative")


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
    full = access.sees_personal_data(viewer, req)
    gone = withdrawal_event(req)
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
        # the last day to amend (while an amendment is awaited); withdrawn as not amended
        "correction_due": _iso(correction_due(req, cal)),
        "lapsed": gone is not None and gone.action == "lapse",
        # a registered application withdrawn by letter: the day the agency received it
        "withdrawn_by_letter_on": (gone.data or {}).get("received_on")
        if gone is not None and gone.action == "withdraw" else None,
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
        # the Beijing day staff entered it (the clock runs from received_on, 签收)
        "registered_on": workdays.today_beijing(req.created).isoformat() if req.created else None,
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
