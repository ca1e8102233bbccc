"""The workflow of an application for conditional data (申请, Art 10, 19), in the shared shape
(``ckanext.lyg_opendata.workflow``): its states and ``Transitions`` table, the datasets one
may apply for, the Art 19 clock and the transitions. The settings: ``settings.py``; who may
see what: ``visibility.py``.

The clock: received = the Beijing date of submission, due = the N-th working day after it
(N = ``deadline_workdays``, 10 by default), moved by the working days the clock was paused
for a request for more information. It is computed when it is read, from the stored dates
and the calendar table, so a deadline that was provisional (its year not loaded) becomes
final as soon as the year is loaded. The same answer is stored for the lists (``due_on``,
``due_provisional``, ``pause_left``: ``stored_due``), written by every flush that changes the
clock's columns and recomputed when a calendar year is loaded (``workflow.store_due``).

States: submitted → info_requested → submitted (once), submitted → approved | refused,
info_requested → refused, submitted | info_requested → withdrawn (by the applicant)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.access.applications.settings import (
    deadline_workdays, privacy_notice_version)
from ckanext.lyg_opendata.access.model import Agreement, Application, ApplicationEvent
from ckanext.lyg_opendata.workdays import Calendar, today_beijing

_ = tk._


OPEN = frozenset({"submitted", "info_requested"})
STATUSES = ("submitted", "info_requested", "approved", "refused", "withdrawn")

# action -> (states it may start from, state it leads to); one table, tested exhaustively.
# Its refusals have one message per action (``NOT_ALLOWED``, ``check_transition``).
TRANSITIONS = shared.Transitions({
    "withdraw": (frozenset({"submitted", "info_requested"}), "withdrawn"),
    "request_info": (frozenset({"submitted"}), "info_requested"),
    "supply_info": (frozenset({"info_requested"}), "submitted"),
    "approve": (frozenset({"submitted"}), "approved"),
    "refuse": (frozenset({"submitted", "info_requested"}), "refused"),
}, status_label=lambda code: status_label(code), action_label=lambda code: action_label(code))

STATUS_LABELS = {
    "submitted": N_("Submitted, awaiting decision"),
    "info_requested": N_("More information requested"),
    "approved": N_("Approved"),
    "refused": N_("Refused"),
    "withdrawn": N_("Withdrawn"),
}
ACTION_LABELS = {
    "submit": N_("Application submitted"),
    "withdraw": N_("Application withdrawn"),
    "request_info": N_("More information requested"),
    "supply_info": N_("Information supplied"),
    "approve": N_("Application approved"),
    "refuse": N_("Application refused"),
    "remind_due": N_("Deadline reminder sent"),
    "remind_overdue": N_("Overdue reminder sent"),
    "erase_personal_data": N_("Personal data erased after the retention period"),
}
APPLICANT_TYPES = {"individual": N_("Individual"),
                   "organization": N_("Legal person or other organization")}

def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))


def applicant_type_label(kind: str) -> str:
    return _(APPLICANT_TYPES.get(kind, kind))


# --- datasets -----------------------------------------------------------------------------

def dataset_for(package_id: str) -> model.Package:
    pkg = model.Package.get(package_id or "")
    if pkg is None or pkg.state == "deleted" or pkg.type != "dataset":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return pkg


def is_applicable(pkg: model.Package) -> bool:
    """Applications are taken for published conditional datasets only."""
    extras = pkg.extras
    return (pkg.state == "active" and extras.get("open_type") == "conditional"
            and extras.get("review_status") == "published")


def check_applicable(pkg: model.Package) -> None:
    if not is_applicable(pkg):
        raise tk.ValidationError({"package_id": [_(
            "Only published datasets of the open type \u201cconditional\u201d take applications; "
            "other data is either open to everyone without applying or not open")]})


def active_resource_ids(pkg: model.Package) -> list[str]:
    return [r.id for r in sorted(pkg.resources, key=lambda r: r.position or 0)]


def check_resources(pkg: model.Package, ids: list[str], field: str = "resource_ids") -> list[str]:
    known = active_resource_ids(pkg)
    if not known:
        raise tk.ValidationError({field: [_("This dataset has no data resources to apply for")]})
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise tk.ValidationError({field: [_("Not a data resource of this dataset: %s")
                                          % ", ".join(unknown)]})
    return ids


def open_application(user_id: str, package_id: str) -> Optional[Application]:
    return model.Session.query(Application).filter(
        Application.user_id == user_id, Application.package_id == package_id,
        Application.status.in_(OPEN)).first()


def latest_application(user_id: str, package_id: str) -> Optional[Application]:
    return model.Session.query(Application).filter(
        Application.user_id == user_id, Application.package_id == package_id).order_by(
        Application.created.desc()).first()


# --- the clock ------------------------------------------------------------------------------

def pause_workdays(app: Application, cal: Calendar, today: dt.date) -> tuple[int, bool]:
    """Working days the clock stood still for the request for more information: after the
    request up to and including the reply (up to today while still waiting)."""
    if not app.info_requested_on:
        return 0, False
    end = app.info_supplied_on or today
    if app.status != "info_requested" and not app.info_supplied_on:
        # decided (refused, withdrawn) while waiting: paused until the decision
        end = decided_day(app) or today
    days, provisional = cal.workdays_between(app.info_requested_on, end)
    return max(days, 0), provisional


def decided_day(app: Application) -> Optional[dt.date]:
    return today_beijing(app.decided_at) if app.decided_at else None


def deadline(app: Application, cal: Optional[Calendar] = None,
             today: Optional[dt.date] = None) -> dict[str, Any]:
    """The Art 19 clock of an application, computed now from its stored dates.

    ``due_on``: the last day of the answer period (moves while paused); ``provisional``:
    a year it depends on is not loaded; ``days_left``: working days after today up to the
    due day (0: due today), for open applications; ``overdue``: an open, not paused
    application whose due day has passed; ``answered_in_time`` for decided ones."""
    cal = cal or Calendar()
    today = today or today_beijing()
    n = app.deadline_workdays or deadline_workdays()
    pause, p1 = pause_workdays(app, cal, today)
    due, p2 = cal.add_workdays(app.received_on, n + pause)
    is_open = app.status in OPEN
    paused = app.status == "info_requested"
    days_left = None
    p3 = False
    if is_open:
        days_left, p3 = cal.workdays_between(today, due)
    decided_on = decided_day(app)
    return {
        "received_on": app.received_on.isoformat(),
        "deadline_workdays": n,
        "due_on": due.isoformat(),
        "provisional": bool(p1 or p2 or p3),
        "paused": paused,
        "pause_workdays": pause,
        "days_left": days_left,
        "overdue": is_open and not paused and today > due,
        "decided_on": decided_on.isoformat() if decided_on else None,
        "answered_in_time": (decided_on <= due) if decided_on and app.status in (
            "approved", "refused") else None,
    }


def stored_due(app: Any, cal: Calendar, today: dt.date) -> dict[str, Any]:
    """The stored clock columns: ``due_on`` and ``due_provisional`` as ``deadline`` gives
    them today (exact and fixed unless the application waits for information), and for an
    application waiting for information ``pause_left``, the working days its clock had left
    when it stopped: its due date on any later day is ``paused_due(day, pause_left)``."""
    info = deadline(app, cal, today)
    left = None
    if (app.status == "info_requested" and app.info_requested_on and not app.info_supplied_on
            and app.received_on <= app.info_requested_on <= today):
        n = app.deadline_workdays or deadline_workdays()
        left = n - cal.workdays_between(app.received_on, app.info_requested_on)[0]
    return {"due_on": dt.date.fromisoformat(info["due_on"]),
            "due_provisional": info["provisional"], "pause_left": left}


def paused_due(today: dt.date, left: int, cal: Calendar) -> dt.date:
    """The due date today of an application waiting for information whose clock had
    ``left`` working days when it stopped — ``deadline``'s answer, which is the ``left``-th
    working day after today (0 or fewer: counted back from the last working day up to
    today), whenever the application was received."""
    if left >= 1:
        return cal.add_workdays(today, left)[0]
    day, need = today, 1 - left
    while True:
        if cal.is_workday(day)[0]:
            need -= 1
            if not need:
                return day
        day -= dt.timedelta(days=1)


def refresh_stored_due(app: Application, cal: Optional[Calendar] = None) -> None:
    """Write the stored clock columns in the row now (no commit; a flush does it too)."""
    for name, value in stored_due(app, cal or Calendar(), today_beijing()).items():
        setattr(app, name, value)


shared.store_due(
    Application, ("received_on", "deadline_workdays", "status", "info_requested_on",
                  "info_supplied_on", "decided_at"),
    ("due_on", "due_provisional", "pause_left"), stored_due,
    lambda year: sa.and_(Application.received_on <= dt.date(year, 12, 31),
                         sa.or_(Application.due_on >= dt.date(year, 1, 1),
                                Application.status.in_(OPEN))))


# --- transitions ----------------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _user(context: dict) -> Optional[model.User]:
    return roles._user(context.get("user"))


def lock(application_id: str) -> Application:
    return shared.locked(Application, application_id, _("Application not found"))


def get(application_id: str) -> Application:
    return shared.find(Application, application_id, _("Application not found"))


def record(app: Application, actor: Optional[model.User], action: str,
           from_status: Optional[str], to_status: Optional[str],
           reason: Optional[str] = None, data: Optional[dict] = None) -> ApplicationEvent:
    return shared.record(ApplicationEvent, application_id=app.id,
                         actor_id=actor.id if actor else None, action=action,
                         from_status=from_status, to_status=to_status, reason=reason, data=data)


def check_transition(app: Application, action: str) -> str:
    if not TRANSITIONS.can(action, app.status):
        shared.fail("status", _(NOT_ALLOWED[action]) % status_label(app.status))
    if action == "request_info" and app.info_requested_on:
        shared.fail("status", _("More information can be requested only once per application"))
    return TRANSITIONS.target(action, app.status)


NOT_ALLOWED = {
    "withdraw": N_("An application that is \u201c%s\u201d cannot be withdrawn"),
    "request_info": N_("No more information can be asked for an application that is \u201c%s\u201d"),
    "supply_info": N_("An application that is \u201c%s\u201d takes no more information"),
    "approve": N_("An application that is \u201c%s\u201d cannot be approved"),
    "refuse": N_("An application that is \u201c%s\u201d cannot be refused"),
}


def create(context: dict, pkg: model.Package, data: dict) -> Application:
    user = _user(context)
    if open_application(user.id, pkg.id):
        raise tk.ValidationError({"package_id": [_(
            "You already have an open application for this dataset: withdraw it or wait for "
            "the decision before applying again")]})
    if data["applicant_type"] == "organization":
        from ckanext.lyg_opendata.identity import organisations
        organisations.check_may_apply_as(user.id, data.get("credit_code"))
    today = today_beijing()
    app = Application(
        package_id=pkg.id, org_id=pkg.owner_org, user_id=user.id, status="submitted",
        applicant_type=data["applicant_type"], applicant_name=data["applicant_name"],
        credit_code=data.get("credit_code"), contact_name=data.get("contact_name"),
        contact_phone=data["contact_phone"], contact_email=data["contact_email"],
        purpose=data["purpose"], scenario=data["scenario"],
        security_measures=data["security_measures"], resource_ids=data.get("resource_ids") or [],
        term_start=data["term_start"], term_end=data["term_end"],
        conditions_accepted=True, privacy_notice_version=privacy_notice_version(),
        consent_at=_now(), received_on=today, deadline_workdays=deadline_workdays(),
        due_on=today, due_provisional=False)
    refresh_stored_due(app)
    model.Session.add(app)
    try:
        model.Session.flush()
    except IntegrityError:
        model.Session.rollback()
        raise tk.ValidationError({"package_id": [_(
            "You already have an open application for this dataset: withdraw it or wait for "
            "the decision before applying again")]})
    record(app, user, "submit", None, "submitted",
           data={"privacy_notice_version": app.privacy_notice_version,
                 "conditions_accepted": True})
    return app  # flushed: the action commits; the agency hears from ``_notice_after``


def transition(context: dict, application_id: str, action: str, **fields) -> Application:
    """Move an application: lock, check, change, record (flushed). The action commits; the
    notices follow from its success (``_notice_after``)."""
    actor = _user(context)
    app = lock(application_id)
    source = app.status
    target = check_transition(app, action)
    today = today_beijing()
    reason = None
    data: dict[str, Any] = {}
    if action == "withdraw":
        reason = fields.get("reason") or None
        app.decided_at = _now()
    elif action == "request_info":
        reason = app.info_request = fields["message"]
        app.info_requested_on = today
    elif action == "supply_info":
        reason = app.info_reply = fields["reply"]
        app.info_supplied_on = today
        app.reminded_on = None  # the due date moved: remind again before the new one
        data["pause_workdays"] = deadline(app, today=today)["pause_workdays"]
    elif action == "refuse":
        app.refusal_reason = fields["reason"]
        app.refusal_basis = fields["basis"]
        app.decided_at, app.decided_by = _now(), actor.id if actor else None
        reason = fields["reason"]
        data = {"basis": fields["basis"]}
    elif action == "approve":
        _approve(app, actor, fields)
        data = {"granted_resource_ids": app.granted_resource_ids,
                "granted_term_start": app.granted_term_start.isoformat(),
                "granted_term_end": app.granted_term_end.isoformat()}
        reason = app.conditions_of_use
    app.status = target
    refresh_stored_due(app)
    record(app, actor, action, source, target, reason=reason, data=data or None)
    return app


def _approve(app: Application, actor: Optional[model.User], fields: dict) -> None:
    pkg = model.Package.get(app.package_id)
    available = active_resource_ids(pkg) if pkg else []
    requested = [r for r in (app.resource_ids or available) if r in available]
    granted = fields.get("granted_resource_ids") or requested
    errors: dict[str, list[str]] = {}
    if not requested:
        errors["granted_resource_ids"] = [_("None of the requested data resources exists any more")]
    elif any(r not in requested for r in granted):
        errors["granted_resource_ids"] = [_("Only data resources the applicant asked for can be granted")]
    start = fields.get("granted_term_start") or app.term_start
    end = fields.get("granted_term_end") or app.term_end
    if start < app.term_start or start > app.term_end:
        errors["granted_term_start"] = [_("The granted term must lie within the requested term")]
    if end > app.term_end or end < app.term_start:
        errors["granted_term_end"] = [_("The granted term must lie within the requested term")]
    elif end <= start:
        errors["granted_term_end"] = [_("The term must end after it starts")]
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    app.conditions_of_use = fields["conditions_of_use"]
    app.granted_resource_ids = [r for r in available if r in granted]  # dataset order
    app.granted_term_start, app.granted_term_end = start, end
    app.decided_at, app.decided_by = _now(), actor.id if actor else None
    from ckanext.lyg_opendata.access.agreements import workflow as agreement_workflow  # the agreements module (lazy)
    agreement_workflow.create_for_application(
        app, actor, report_interval_months=fields.get("report_interval_months") or None)


def agreement_for(application_id: str) -> Optional[Agreement]:
    return model.Session.query(Agreement).filter(
        Agreement.application_id == application_id).one_or_none()
