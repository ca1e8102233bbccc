"""The data-request workflow (数据需求, Art 18, 25): states, transitions, the answer clock and
what each viewer sees.

    submitted ─route (supervisors)/claim (an agency)→ assigned ─answer→ planned ─answer→ opened
        ↑                                               │  │            (or the linked dataset
        └───────────── answer_not_ours ─────────────────┘  │             is published)
                         answer_need_info → need_info ─supplement→ assigned (clock resumes)
    assigned → opened | conditional | refused (final answers); requester: withdraw;
    supervisors: hide (with a reason), route again

The shared shape (``ckanext.lyg_opendata.workflow``): each transition locks the request row,
checks the move against ``TRANSITIONS``, writes the row and an event, the action commits; the
notices follow from the action's success signal (``notices``). The clock runs only while the
request is ``assigned``; 需补充说明 pauses it and keeps the working days left.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.participation import codes
from ckanext.lyg_opendata.participation.model import (
    DataRequest, DataRequestDataset, DataRequestEvent, DataRequestSupport)

_ = tk._

ALL_STATES = frozenset(codes.codes("status"))
FINAL_STATES = frozenset({"opened", "conditional", "refused", "withdrawn", "hidden"})
RUNNING = "assigned"

TRANSITIONS = shared.Transitions({
    "route": (frozenset({"submitted", "assigned", "need_info"}), "assigned"),
    "claim": (frozenset({"submitted"}), "assigned"),
    "answer_planned": (frozenset({"assigned"}), "planned"),
    "answer_opened": (frozenset({"assigned", "planned"}), "opened"),
    "answer_conditional": (frozenset({"assigned", "planned"}), "conditional"),
    "answer_refused": (frozenset({"assigned"}), "refused"),
    "answer_not_ours": (frozenset({"assigned"}), "submitted"),
    "answer_need_info": (frozenset({"assigned"}), "need_info"),
    "supplement": (frozenset({"need_info"}), "assigned"),
    "withdraw": (frozenset({"submitted", "assigned", "need_info"}), "withdrawn"),
    "hide": (ALL_STATES - {"hidden"}, "hidden"),
}, status_label=lambda code: codes.label("status", code),
   action_label=lambda code: codes.label("event", code),
   refused=N_("A data request that is %(status)s cannot be %(action)s"))

SUPERVISOR_VERBS = frozenset({"route", "hide"})
REQUESTER_VERBS = frozenset({"supplement", "withdraw"})

utcnow = shared.utcnow


def deadline_days() -> int:
    return tk.config.get("ckanext.lyg_opendata.participation.deadline_days")


# --- who is who ----------------------------------------------------------------------------

def is_requester(user, req: DataRequest) -> bool:
    u = roles._user(user)
    return bool(u and req.requested_by and req.requested_by == u.id)


def is_agency_staff(user, req: DataRequest) -> bool:
    """Editors and admins of the agency the request is routed to."""
    return bool(req.organization_id) and roles.is_agency_editor(user, req.organization_id)


def viewer_level(user, req: DataRequest) -> str:
    """"insider" (supervisors, the routed agency), "requester" or "public"."""
    if roles.is_supervisor(user) or is_agency_staff(user, req):
        return "insider"
    if is_requester(user, req):
        return "requester"
    return "public"


def actor_role(user, req: DataRequest, verb: str) -> str:
    if verb in REQUESTER_VERBS or verb == "create":
        return "requester"
    if verb in SUPERVISOR_VERBS:
        return "supervisor"
    if is_agency_staff(user, req) or verb == "claim":
        return "agency"
    return "supervisor" if roles.is_supervisor(user) else "agency"


# --- the clock -----------------------------------------------------------------------------

def clock_info(req: DataRequest, cal: Optional[workdays.Calendar] = None,
               today: Optional[dt.date] = None) -> dict[str, Any]:
    if req.status != RUNNING:
        return {"deadline": None, "deadline_provisional": False, "days_left": None,
                "overdue": False, "paused_days_left": req.clock_days
                if req.status == "need_info" else None}
    out = shared.clock(req.clock_start, req.clock_days or deadline_days(), True, cal, today)
    out["paused_days_left"] = None
    return out


def _start_clock(req: DataRequest, days: Optional[int] = None) -> None:
    req.clock_start = workdays.today_beijing()
    req.clock_days = days if days is not None else deadline_days()


def _pause_clock(req: DataRequest) -> None:
    """Keep the working days left (at least one) and stop the clock."""
    cal = workdays.Calendar()
    if req.clock_start is not None:
        due, _prov = cal.add_workdays(req.clock_start, req.clock_days or deadline_days())
        left, _unsure = cal.workdays_between(workdays.today_beijing(), due)
        req.clock_days = max(left, 1)
    req.clock_start = None


# --- records -------------------------------------------------------------------------------

def get(request_id: str) -> DataRequest:
    return shared.find(DataRequest, request_id, _("Data request not found"))


def lock(request_id: str) -> DataRequest:
    return shared.locked(DataRequest, request_id, _("Data request not found"))


def record(req: DataRequest, user, action: str, from_status: Optional[str],
           to_status: Optional[str], text: Optional[str] = None, data: Optional[dict] = None,
           role: Optional[str] = None) -> DataRequestEvent:
    return shared.record(DataRequestEvent, request_id=req.id, actor_id=shared.actor_id(user),
                         actor_role=role or actor_role(user, req, action), action=action,
                         from_status=from_status, to_status=to_status, text=text, data=data)


def link_datasets(req: DataRequest, package_ids: list[str]) -> None:
    existing = {r.package_id for r in model.Session.query(DataRequestDataset).filter(
        DataRequestDataset.request_id == req.id)}
    for pid in package_ids:
        if pid not in existing:
            model.Session.add(DataRequestDataset(request_id=req.id, package_id=pid))
    model.Session.flush()


def transition(context: dict, request_id: str, verb: str, **fields: Any) -> DataRequest:
    """Move a request; a field-level ValidationError when the move is not allowed. The
    values in ``fields`` are validated by the action (schema) before this is called."""
    user = context.get("user")
    req = lock(request_id)
    status = req.status
    target = TRANSITIONS.target(verb, status)
    text = fields.get("text")
    data: dict[str, Any] = {}
    now = utcnow()
    role = fields.get("role") or actor_role(user, req, verb)
    if verb in ("route", "claim"):
        org = fields["organization"]
        if verb == "route" and org.id == req.organization_id and status == "assigned":
            shared.fail("organization", _("The request is already with this data-opening body"))
        data = {"from_organization": req.organization_id, "to_organization": org.id}
        req.organization_id = org.id
        _start_clock(req)
        if verb == "route" and text:
            req.moderation_reason = text
    elif verb.startswith("answer_"):
        answer = verb[len("answer_"):]
        req.answer = answer
        req.answer_text = text
        req.answered_at = now
        if answer == "planned":
            req.planned_date = fields["planned_date"]
            data = {"planned_date": req.planned_date.isoformat()}
        elif answer == "conditional":
            req.application_url = fields["application_url"]
        elif answer == "refused":
            req.legal_basis = fields["legal_basis"]
            data = {"legal_basis": req.legal_basis}
        elif answer == "not_ours":
            data = {"from_organization": req.organization_id}
            req.organization_id = None
            req.clock_start = None
            req.clock_days = None
        elif answer == "need_info":
            _pause_clock(req)
        if fields.get("package_ids"):
            link_datasets(req, fields["package_ids"])
            data["package_ids"] = list(fields["package_ids"])
    elif verb == "supplement":
        req.description = req.description + "\n\n" + _("Added details:") + "\n" + text
        _start_clock(req, req.clock_days)
    elif verb == "hide":
        req.moderation_reason = text
    req.status = target
    record(req, user, fields.get("event") or verb, status, target, text=text,
           data=data or None, role=role)
    shared.commit(context)
    return req


def support(context: dict, request_id: str) -> DataRequest:
    """One "+1" per user: the row's primary key and the locked request agree."""
    u = roles._user(context.get("user"))
    req = lock(request_id)
    if req.status in ("withdrawn", "hidden"):
        shared.fail("id", _("This data request can no longer be supported"))
    if req.requested_by == u.id:
        shared.fail("id", _("You filed this request yourself"))
    if model.Session.get(DataRequestSupport, (req.id, u.id)) is not None:
        shared.fail("id", _("You already support this request"))
    model.Session.add(DataRequestSupport(request_id=req.id, user_id=u.id))
    req.support_count = (req.support_count or 0) + 1
    model.Session.flush()
    shared.commit(context)
    return req


# --- what each viewer sees -----------------------------------------------------------------

def mask(name: Optional[str]) -> str:
    """The requester's name as the public sees it when they chose not to show it."""
    name = (name or "").strip()
    return (name[0] + "**") if name else "**"


def requester_name(req: DataRequest, level: str) -> str:
    u = model.Session.get(model.User, req.requested_by) if req.requested_by else None
    real = (u.fullname or u.name) if u else ""
    if level == "insider" or req.show_name:
        return real or _("(deleted user)")
    return mask(real)


def _org(org_id: Optional[str]) -> Optional[dict]:
    org = model.Session.get(model.Group, org_id) if org_id else None
    return {"id": org.id, "name": org.name, "title": org.title or org.name} if org else None


def datasets_of(req: DataRequest, level: str) -> list[dict]:
    rows = model.Session.query(model.Package).join(
        DataRequestDataset, DataRequestDataset.package_id == model.Package.id).filter(
        DataRequestDataset.request_id == req.id).order_by(model.Package.title)
    out = []
    for pkg in rows:
        public = pkg.state == "active" and not pkg.private \
            and pkg.extras.get("review_status") == "published"
        if public or level == "insider":
            out.append({"id": pkg.id, "name": pkg.name, "title": pkg.title or pkg.name,
                        "published": public})
    return out


def supported_by(req: DataRequest, user) -> bool:
    u = roles._user(user)
    return bool(u) and model.Session.get(DataRequestSupport, (req.id, u.id)) is not None


def event_dict(event: DataRequestEvent, level: str) -> dict[str, Any]:
    out = {"action": event.action, "action_label": codes.label("event", event.action),
           "from_status": event.from_status, "to_status": event.to_status,
           "actor_role": event.actor_role, "actor_role_label": codes.label("role", event.actor_role),
           "text": event.text if event.action not in ("create", "hide") or level == "insider" else None,
           "created": event.created.isoformat()}
    if level == "insider" and event.actor_id:
        actor = model.Session.get(model.User, event.actor_id)
        out["actor_display_name"] = actor.display_name if actor else None
    return out


def request_dict(req: DataRequest, level: str, user=None, cal: Optional[workdays.Calendar] = None,
                 events: bool = True) -> dict[str, Any]:
    """The request as ``level`` may see it: the public never gets the contact, nor the
    requester's real name unless they chose to show it."""
    today = workdays.today_beijing()
    out: dict[str, Any] = {
        "id": req.id, "title": req.title, "description": req.description,
        "purpose": req.purpose,
        "data_format": req.data_format, "data_format_label": codes.label("format", req.data_format)
        if req.data_format else None,
        "frequency": req.frequency, "frequency_label": codes.label("frequency", req.frequency)
        if req.frequency else None,
        "suggested_organization": _org(req.suggested_org_id),
        "organization": _org(req.organization_id),
        "requester_name": requester_name(req, level),
        "name_shown": bool(req.show_name),
        "status": req.status, "status_label": codes.label("status", req.status),
        "created": req.created.isoformat(),
        "answer": req.answer, "answer_label": codes.label("answer", req.answer) if req.answer else None,
        "answer_text": req.answer_text,
        "legal_basis": req.legal_basis,
        "legal_basis_label": codes.label("legal_basis", req.legal_basis) if req.legal_basis else None,
        "planned_date": req.planned_date.isoformat() if req.planned_date else None,
        "planned_overdue": bool(req.status == "planned" and req.planned_date
                                and today > req.planned_date),
        "application_url": req.application_url,
        "answered_at": req.answered_at.isoformat() if req.answered_at else None,
        "support_count": req.support_count or 0,
        "supported": supported_by(req, user),
        "is_requester": is_requester(user, req),
        "datasets": datasets_of(req, level),
    }
    out.update(clock_info(req, cal))
    if level != "public":
        out["contact"] = req.contact
        out["moderation_reason"] = req.moderation_reason
    if events:
        rows = model.Session.query(DataRequestEvent).filter(
            DataRequestEvent.request_id == req.id).order_by(DataRequestEvent.created,
                                                            DataRequestEvent.id)
        out["events"] = [event_dict(e, level) for e in rows]
    return out
