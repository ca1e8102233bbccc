"""The objection workflow (Art 20): states, the allowed transitions, deadlines, who sees what.

    submitted ─accept→ accepted ─answer→ answered ─dispute→ reopened ─answer→ answered
              └reject→ rejected ─┘(dispute/escalate once)  └escalate→ escalated ─answer→ answered
                                                                      └return_to_agency→ reopened
    moderation (supervisors): hide, merge (duplicates), reassign (to another agency), close

The shared shape (``ckanext.lyg_opendata.workflow``): each transition locks the objection row,
checks the move against ``TRANSITIONS``, writes the row and an event, the action commits, then
the dataset is re-indexed (the public marker) and the notices follow from the action's success
signal (``notices``). The public marker "有异议，核实中" shows while an objection is in a
``MARKER_STATES`` state.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.objections import codes, corrections
from ckanext.lyg_opendata.objections.model import Objection, ObjectionEvent

log = logging.getLogger(__name__)
_ = tk._

ALL_STATES = frozenset(codes.codes("status"))
# clock running: the agency (or the supervisors) owe an answer
OPEN_STATES = frozenset({"submitted", "accepted", "reopened", "escalated"})
# the public marker 有异议，核实中 (and the search filter)
MARKER_STATES = frozenset({"accepted", "reopened", "escalated"})
FINAL_STATES = frozenset({"hidden", "merged", "closed"})

# action -> (states it may start from, state it leads to); one table, tested exhaustively
TRANSITIONS = shared.Transitions({
    "accept": (frozenset({"submitted"}), "accepted"),
    "reject": (frozenset({"submitted"}), "rejected"),
    "answer": (frozenset({"accepted", "reopened", "escalated"}), "answered"),
    "dispute": (frozenset({"answered", "rejected"}), "reopened"),
    "escalate": (frozenset({"answered", "rejected"}), "escalated"),
    "return_to_agency": (frozenset({"escalated"}), "reopened"),
    "hide": (ALL_STATES - {"hidden", "merged"}, "hidden"),
    "merge": (frozenset({"submitted", "accepted", "reopened", "escalated"}), "merged"),
    "reassign": (frozenset({"submitted", "accepted", "reopened"}), "submitted"),
    "close": (ALL_STATES - FINAL_STATES, "closed"),
}, status_label=lambda code: codes.label("status", code),
   action_label=lambda code: codes.label("event", code),
   refused=N_("An objection that is %(status)s cannot be %(action)s"))
MODERATION = frozenset({"hide", "merge", "reassign", "close", "return_to_agency"})


utcnow = shared.utcnow


def deadline_days() -> int:
    return tk.config.get("ckanext.lyg_opendata.objections.deadline_days")


# --- who is who ----------------------------------------------------------------------------

def user_obj(user) -> Optional[model.User]:
    return roles._user(user)


def is_agency_staff(user, obj: Objection) -> bool:
    """Editors and admins of the agency the objection is routed to."""
    return roles.is_agency_editor(user, obj.organization_id)


def is_insider(user, obj: Objection) -> bool:
    """Who handles it: supervisors, the routed agency's staff and the dataset's own agency's."""
    if roles.is_supervisor(user) or is_agency_staff(user, obj):
        return True
    pkg = model.Session.get(model.Package, obj.package_id)
    return bool(pkg) and roles.is_agency_editor(user, pkg.owner_org)


def is_raiser(user, obj: Objection) -> bool:
    u = user_obj(user)
    return bool(u) and obj.raised_by == u.id


def viewer_level(user, obj: Objection) -> str:
    """"insider", "raiser" or "public": how much of the objection the user may see."""
    if is_insider(user, obj):
        return "insider"
    if is_raiser(user, obj):
        return "raiser"
    return "public"


def actor_role(user, obj: Objection, action: str) -> str:
    if action in ("raise", "dispute", "escalate"):
        return "raiser"
    if action in MODERATION:
        return "supervisor"
    if is_agency_staff(user, obj):
        return "agency"
    pkg = model.Session.get(model.Package, obj.package_id)
    if pkg and roles.is_agency_editor(user, pkg.owner_org) and not roles.is_supervisor(user):
        return "agency"
    return "supervisor" if roles.is_supervisor(user) else "agency"


# --- deadlines -----------------------------------------------------------------------------

def deadline(obj: Objection, cal: Optional[workdays.Calendar] = None) -> tuple[dt.date, bool]:
    """(the day by which an answer is due, provisional) — working days on the shared calendar."""
    cal = cal or workdays.Calendar()
    return cal.add_workdays(obj.clock_start, obj.deadline_days)


def clock_info(obj: Objection, cal: Optional[workdays.Calendar] = None,
               today: Optional[dt.date] = None) -> dict[str, Any]:
    """Deadline, working days left and the overdue flag, computed now (never stored)."""
    return shared.clock(obj.clock_start, obj.deadline_days, obj.status in OPEN_STATES, cal, today)


def _stored_due(row: Any, cal: workdays.Calendar, _today: dt.date) -> dict[str, Any]:
    return {"due_on": cal.add_workdays(row.clock_start, row.deadline_days)[0]}


shared.store_due(
    Objection, ("clock_start", "deadline_days"), ("due_on",), _stored_due,
    lambda year: sa.and_(Objection.clock_start <= dt.date(year, 12, 31),
                         Objection.due_on >= dt.date(year, 1, 1)))


def overdue_clause(today: Optional[dt.date] = None) -> Any:
    """SQL: the objections whose clock runs and whose due date has passed (``clock_info``'s
    ``overdue``, on the stored due date)."""
    return sa.and_(Objection.status.in_(OPEN_STATES),
                   Objection.due_on < (today or workdays.today_beijing()))


# --- records -------------------------------------------------------------------------------

def lock(objection_id: str) -> Objection:
    return shared.locked(Objection, objection_id, _("Objection not found"))


def get(objection_id: str) -> Objection:
    return shared.find(Objection, objection_id, _("Objection not found"))


def record(obj: Objection, user, action: str, from_status: Optional[str], to_status: Optional[str],
           text: Optional[str] = None, public: bool = True, data: Optional[dict] = None,
           role: Optional[str] = None) -> ObjectionEvent:
    u = user_obj(user)
    return shared.record(ObjectionEvent, objection_id=obj.id, actor_id=u.id if u else None,
                         actor_role=role or actor_role(user, obj, action), action=action,
                         from_status=from_status, to_status=to_status, text=text,
                         public=public, data=data)


def reindex(package_id: str) -> None:
    """The marker lives in the search index (``under_objection``): index the dataset again
    (from this session's state, without committing it: ``defer_commit`` callers own that)."""
    from ckan.logic import index_update_package
    try:
        index_update_package({"model": model, "ignore_auth": True, "validate": False,
                              "use_cache": False}, package_id)
    except Exception:  # the marker on the page reads the database; search catches up later
        log.exception("could not re-index dataset %s after an objection changed", package_id)


def transition(context: dict, objection_id: str, action: str, **fields: Any) -> Objection:
    """Move an objection; raises ValidationError when the move is not allowed. The notices
    follow from the action's success (``notices``)."""
    user = context.get("user")
    obj = lock(objection_id)
    status = obj.status
    target = TRANSITIONS.target(action, status)
    text = fields.get("text")
    public = True
    data: dict[str, Any] = {}
    now = utcnow()
    if action == "accept":
        obj.accepted_at = now
    elif action == "reject":
        obj.decision_reason = text
    elif action == "answer":
        obj.answer_outcome = fields["outcome"]
        obj.answer_text = text
        obj.answer_activity_id = fields.get("activity_id")
        obj.answer_public = fields.get("public", True)
        obj.answered_at = now
        public = obj.answer_public
        data = {"outcome": obj.answer_outcome, "activity_id": obj.answer_activity_id}
    elif action in ("dispute", "escalate"):
        if obj.disputed_at is not None:
            shared.fail("text", _("An answer can be disputed only once"))
        obj.dispute_text = text
        obj.disputed_at = now
        obj.clock_start = workdays.today_beijing()
    elif action == "return_to_agency":
        obj.clock_start = workdays.today_beijing()
    elif action in ("hide", "close"):
        obj.moderation_reason = text
        public = action != "hide"
    elif action == "merge":
        target_obj = model.Session.get(Objection, fields.get("merge_into") or "")
        if target_obj is None or target_obj.id == obj.id or target_obj.package_id != obj.package_id \
                or target_obj.status in {"hidden", "merged"}:
            shared.fail("merge_into",
                        _("Choose another objection of the same dataset that is not hidden or merged"))
        obj.merged_into = target_obj.id
        obj.moderation_reason = text
        data = {"merge_into": target_obj.id}
    elif action == "reassign":
        org = model.Group.get(fields.get("organization") or "")
        if org is None or not org.is_organization or org.state != "active":
            shared.fail("organization", _("No such data-opening body"))
        if org.id == obj.organization_id:
            shared.fail("organization", _("The objection is already with this data-opening body"))
        data = {"from_organization": obj.organization_id, "to_organization": org.id}
        obj.organization_id = org.id
        obj.clock_start = workdays.today_beijing()
        obj.accepted_at = None
        obj.moderation_reason = text
    role = actor_role(user, obj, action)
    obj.status = target
    record(obj, user, action, status, target, text=text, public=public, data=data or None, role=role)
    shared.commit(context)
    if status in MARKER_STATES or target in MARKER_STATES:
        reindex(obj.package_id)
    return obj


# --- what each viewer sees -----------------------------------------------------------------

def _activity_url(activity_id: Optional[str]) -> Optional[str]:
    if not activity_id:
        return None
    try:
        return tk.url_for("activity.package_changes", id=activity_id)
    except Exception:  # the activity plugin is not enabled
        return None


def _correction(obj: Objection) -> list[dict[str, str]]:
    return corrections.correction_diff(obj.package_id, obj.answer_activity_id)


def event_dict(event: ObjectionEvent, level: str) -> dict[str, Any]:
    out = {"action": event.action, "action_label": codes.label("event", event.action),
           "from_status": event.from_status, "to_status": event.to_status,
           "actor_role": event.actor_role, "actor_role_label": codes.label("role", event.actor_role),
           "text": event.text if (event.public or level != "public") else None,
           "text_withheld": not event.public and level == "public" and bool(event.text),
           "created": event.created.isoformat()}
    if event.action == "raise":
        out["text"] = None  # the description is on the objection (and withheld where needed)
    if level == "insider" and event.actor_id:
        actor = model.Session.get(model.User, event.actor_id)
        out["actor"] = actor.name if actor else None
        out["actor_display_name"] = actor.display_name if actor else None
    if event.data and level != "public":
        out["data"] = event.data
    elif event.data and event.action in ("answer", "merge"):
        out["data"] = {k: v for k, v in event.data.items() if k in ("outcome", "activity_id", "merge_into")}
    return out


def objection_dict(obj: Objection, level: str, cal: Optional[workdays.Calendar] = None,
                   events: bool = True) -> dict[str, Any]:
    """The objection as ``level`` ("public", "raiser", "insider") may see it. The public never
    gets who raised it, their contact, address or evidence; a privacy objection's description
    is withheld from the public (it could repeat what should not be public)."""
    pkg = model.Session.get(model.Package, obj.package_id)
    org = model.Session.get(model.Group, obj.organization_id) if obj.organization_id else None
    res = model.Session.get(model.Resource, obj.resource_id) if obj.resource_id else None
    withhold_description = level == "public" and obj.type == "privacy"
    answer_visible = obj.answer_public or level != "public"
    out: dict[str, Any] = {
        "id": obj.id,
        "package_id": obj.package_id,
        "package_name": pkg.name if pkg else None,
        "package_title": (pkg.title or pkg.name) if pkg else None,
        "organization_id": obj.organization_id,
        "organization_name": org.name if org else None,
        "organization_title": org.title if org else None,
        "resource_id": obj.resource_id,
        "resource_name": (res.name or res.url) if res else None,
        "data_item_code": obj.data_item_code,
        "type": obj.type, "type_label": codes.label("type", obj.type),
        "status": obj.status, "status_label": codes.label("status", obj.status),
        "under_verification": obj.status in MARKER_STATES,
        "description": None if withhold_description else obj.description,
        "description_withheld": withhold_description,
        "created": obj.created.isoformat(),
        "accepted_at": obj.accepted_at.isoformat() if obj.accepted_at else None,
        "decision_reason": obj.decision_reason,
        "answer_outcome": obj.answer_outcome if answer_visible else None,
        "answer_outcome_label": codes.label("outcome", obj.answer_outcome)
        if answer_visible and obj.answer_outcome else None,
        "answer_text": obj.answer_text if answer_visible else None,
        "answer_activity_id": obj.answer_activity_id if answer_visible else None,
        "answer_url": _activity_url(obj.answer_activity_id) if answer_visible else None,
        "correction": _correction(obj) if answer_visible else [],
        "answer_public": obj.answer_public,
        "answer_withheld": not answer_visible and bool(obj.answer_text),
        "answered_at": obj.answered_at.isoformat() if obj.answered_at else None,
        "dispute_text": obj.dispute_text,
        "disputed_at": obj.disputed_at.isoformat() if obj.disputed_at else None,
        "can_be_disputed": obj.disputed_at is None and obj.status in ("answered", "rejected"),
        "merged_into": obj.merged_into,
        "has_evidence": bool(obj.evidence_path) and level != "public",
    }
    out.update(clock_info(obj, cal))
    if level != "public":
        out["contact"] = obj.contact
        out["moderation_reason"] = obj.moderation_reason
        if obj.evidence_path:
            out["evidence"] = {"name": obj.evidence_name, "mimetype": obj.evidence_mimetype,
                               "size": obj.evidence_size,
                               "url": tk.url_for("lyg_opendata_objections.evidence", id=obj.id)}
    if level == "insider":
        raiser = model.Session.get(model.User, obj.raised_by) if obj.raised_by else None
        out["raised_by"] = raiser.name if raiser else None
        out["raised_by_display_name"] = raiser.display_name if raiser else None
        out["raised_by_email"] = raiser.email if raiser else None
    if events:
        rows = model.Session.query(ObjectionEvent).filter(
            ObjectionEvent.objection_id == obj.id).order_by(ObjectionEvent.created, ObjectionEvent.id)
        out["events"] = [event_dict(e, level) for e in rows
                         if level != "public" or e.action not in ("hide", "remind")]
    return out


# --- abuse: rate limits and the word filter -----------------------------------------------

def address_hash(ip: Optional[str]) -> Optional[str]:
    """A keyed hash of the client's address: counts per address without storing it."""
    if not ip:
        return None
    key = (tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or "lyg").encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()


def client_address() -> Optional[str]:
    import flask
    if not flask.has_request_context():
        return None
    return tk.request.remote_addr


def check_rate(table, user_column, ip_column, user_id: Optional[str], ip_hash: Optional[str]) -> None:
    """At most ``rate_limit.user`` objections (reports) per user and ``rate_limit.ip`` per
    client address in the last hour. The counters are the rows themselves (PostgreSQL), under
    a transaction-scoped advisory lock, so parallel requests and several web workers agree."""
    since = utcnow() - dt.timedelta(hours=1)
    checks = [(user_id, user_column, tk.config.get("ckanext.lyg_opendata.objections.rate_limit.user")),
              (ip_hash, ip_column, tk.config.get("ckanext.lyg_opendata.objections.rate_limit.ip"))]
    for key, column, limit in checks:
        if not key or not limit:
            continue
        model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                              {"k": f"lyg_opendata_rate:{table.__tablename__}:{key}"})
        count = model.Session.query(sa.func.count(table.id)).filter(
            column == key, table.created > since).scalar()
        if count >= limit:
            model.Session.rollback()
            raise tk.ValidationError({"rate_limit": [
                _("Too many submissions in the last hour; please try again later")]})


def blocked_word(text: Optional[str]) -> Optional[str]:
    words = tk.config.get("ckanext.lyg_opendata.objections.blocked_words") or []
    low = (text or "").lower()
    for word in words:
        if word and word.lower() in low:
            return word
    return None


def prefetch(rows: list) -> list:
    """The related rows, returned to be held: the session's identity map keeps a row only
    while something refers to it, so rows loaded and dropped are fetched again one by one."""
    kept: list = []

    def load(entity, ids):
        ids = {i for i in ids if i}
        if ids:
            kept.extend(model.Session.query(entity).filter(entity.id.in_(ids)).all())
    load(model.Package, (r.package_id for r in rows))
    load(model.Group, (r.organization_id for r in rows))
    load(model.Resource, (getattr(r, "resource_id", None) for r in rows))
    load(model.User, (getattr(r, attr, None) for r in rows
                      for attr in ("raised_by", "reported_by")))
    return kept
