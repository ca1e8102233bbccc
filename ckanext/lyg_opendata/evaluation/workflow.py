"""The rectification workflow (通知整改, Art 39): states, transitions, deadlines, who is who.

    issued ─respond→ responded ─close→ closed
      │  ↑               │
      │  └────return─────┘          (the clock starts again when a response is sent back)
      └─escalate→ escalated ─close→ closed     (escalate from issued, returned or responded:
                                                reported to the city government)

The shared shape (``ckanext.lyg_opendata.workflow``): each transition locks the row, checks
the move against ``TRANSITIONS``, writes the row and an event, the action commits; notices
follow from the action's success signal (``notices``). The deadline is counted in working days
on the shared calendar from ``clock_start``; it runs while the agency owes an answer
(``RUNNING``): a notice past its deadline there is overdue.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation.model import Rectification, RectificationEvent
from ckanext.lyg_opendata.i18n import N_

_ = tk._

# Art 39 (1)–(4); (3) names two failings
GROUNDS = {
    "open_list": N_("Did not open or update the open list and the data as required"),
    "applications": N_("Did not accept or answer applications as required"),
    "standards": N_("Did not follow the unified standards"),
    "separate_channels": N_("Opened data through a separate channel instead of the platform"),
    "preprocessing": N_("Did not pre-process (desensitise) data as required"),
}
STATUSES = {
    "issued": N_("Issued"), "responded": N_("Responded"), "returned": N_("Sent back"),
    "escalated": N_("Reported to the city government"), "closed": N_("Closed"),
}
ACTIONS = {
    "issue": N_("issued"), "respond": N_("responded"), "return": N_("sent back"),
    "escalate": N_("reported to the city government"), "close": N_("closed"),
    "remind": N_("reminded"),
}
RUNNING = frozenset({"issued", "returned"})
DEFAULT_DEADLINE_DAYS = 20
MAX_DEADLINE_DAYS = 90

TRANSITIONS = shared.Transitions({
    "respond": (frozenset({"issued", "returned"}), "responded"),
    "return": (frozenset({"responded"}), "returned"),
    "escalate": (frozenset({"issued", "returned", "responded"}), "escalated"),
    "close": (frozenset({"responded", "escalated"}), "closed"),
}, status_label=lambda code: status_label(code), action_label=lambda code: action_label(code),
   refused=N_("A rectification notice that is %(status)s cannot be %(action)s"))
SUPERVISOR_VERBS = frozenset({"return", "escalate", "close"})


def ground_label(code: Optional[str]) -> str:
    return _(GROUNDS[code]) if code in GROUNDS else (code or "")


def status_label(code: Optional[str]) -> str:
    return _(STATUSES[code]) if code in STATUSES else (code or "")


def action_label(code: Optional[str]) -> str:
    return _(ACTIONS[code]) if code in ACTIONS else (code or "")


# --- who is who ----------------------------------------------------------------------------

def is_agency_staff(user, row: Rectification) -> bool:
    """Editors and admins of the agency the notice is addressed to."""
    return roles.is_agency_editor(user, row.organization_id)


def may_read(user, row: Rectification) -> bool:
    return roles.is_supervisor(user) or is_agency_staff(user, row)


def may_respond(user, row: Rectification) -> bool:
    obj = roles._user(user)
    return bool(obj) and (obj.sysadmin or is_agency_staff(obj, row))


# --- rows ----------------------------------------------------------------------------------

def get(rectification_id: str) -> Rectification:
    return shared.find(Rectification, rectification_id, _("Rectification notice not found"))


def clock(row: Rectification, cal: Optional[workdays.Calendar] = None) -> dict[str, Any]:
    return shared.clock(row.clock_start, row.deadline_days, row.status in RUNNING, cal)


def transition(context: dict, rectification_id: str, verb: str, text: str) -> Rectification:
    row = shared.locked(Rectification, rectification_id, _("Rectification notice not found"))
    before = row.status
    target = TRANSITIONS.target(verb, before)
    now = shared.utcnow()
    if verb == "respond":
        row.response = text
        row.responded_at = now
    else:
        row.decision = text
        if verb == "return":
            row.clock_start = workdays.today_beijing()
        elif verb == "escalate":
            row.escalated_at = now
        elif verb == "close":
            row.closed_at = now
    row.status = target
    shared.record(RectificationEvent, rectification_id=row.id,
                  actor_id=shared.actor_id(context.get("user")), action=verb,
                  from_status=before, to_status=target, text=text)
    shared.commit(context)
    return row


def as_dict(row: Rectification, with_events: bool = False) -> dict[str, Any]:
    org = model.Session.get(model.Group, row.organization_id)
    issuer = model.Session.get(model.User, row.issued_by) if row.issued_by else None
    out = {
        "id": row.id, "organization_id": row.organization_id,
        "organization_name": org.name if org else None,
        "organization_title": (org.title or org.name) if org else None,
        "ground": row.ground, "ground_label": ground_label(row.ground),
        "findings": row.findings, "requirement": row.requirement,
        "evidence": row.evidence or {},
        "status": row.status, "status_label": status_label(row.status),
        "issued_by": issuer.name if issuer else None,
        "issued_by_fullname": (issuer.fullname or issuer.name) if issuer else None,
        "created": row.created.isoformat() if row.created else None,
        "clock_start": row.clock_start.isoformat(), "deadline_days": row.deadline_days,
        "response": row.response,
        "responded_at": row.responded_at.isoformat() if row.responded_at else None,
        "decision": row.decision,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "escalated_at": row.escalated_at.isoformat() if row.escalated_at else None,
        "allowed": TRANSITIONS.allowed(row.status),
        **clock(row),
    }
    if with_events:
        events = model.Session.query(RectificationEvent).filter(
            RectificationEvent.rectification_id == row.id).order_by(
            RectificationEvent.created, RectificationEvent.id).all()
        users = {u.id: u for u in model.Session.query(model.User).filter(
            model.User.id.in_([e.actor_id for e in events if e.actor_id]))} if events else {}
        out["events"] = [{
            "action": e.action, "action_label": action_label(e.action),
            "from_status": e.from_status, "to_status": e.to_status,
            "to_status_label": status_label(e.to_status), "text": e.text,
            "actor": (users[e.actor_id].fullname or users[e.actor_id].name)
            if e.actor_id in users else None,
            "created": e.created.isoformat()} for e in events]
    return out
