"""Applications for conditional data (申请, Art 10, 19): the rules, in one place.

- the form's schema and validators (统一社会信用代码 per GB 32100-2015, mainland phone
  numbers, minimum lengths, the requested term);
- the state machine, in the shared shape (``ckanext.lyg_opendata.workflow``): a
  ``Transitions`` table; each transition locks the application row, writes it and an event
  (flushed), the action commits (unless ``defer_commit``) and the notices follow from the
  action's success signal (``_notice_after``: a failing notice never fails a committed
  decision);
- the Art 19 clock: received = the Beijing date of submission, due = the N-th working day
  after it (N = ``deadline_workdays``, 10 by default), moved by the working days the
  clock was paused for a request for more information. It is computed when it is read,
  from the stored dates and the calendar table, so a deadline that was provisional (its
  year not loaded) becomes final as soon as the year is loaded, with nothing to recompute.
  The stored ``due_on`` / ``due_provisional`` columns only cache the last computation (at
  every transition and every ``applications remind`` run).

States: submitted → info_requested → submitted (once), submitted → approved | refused,
info_requested → refused, submitted | info_requested → withdrawn (by the applicant).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import events as events_shape
from ckanext.lyg_opendata import notify, roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.access.model import Agreement, Application, ApplicationEvent
from ckanext.lyg_opendata.workdays import Calendar, today_beijing

_ = tk._


CONFIG = "ckanext.lyg_opendata.applications."
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

# what a supervisor (watching deadlines, Art 39) does not see of an application
PERSONAL_FIELDS = ("contact_name", "contact_phone", "contact_email")


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))


def applicant_type_label(kind: str) -> str:
    return _(APPLICANT_TYPES.get(kind, kind))


# --- settings ---------------------------------------------------------------------------

def deadline_workdays() -> int:
    return int(tk.config.get(CONFIG + "deadline_workdays"))


def reminder_workdays() -> int:
    return int(tk.config.get(CONFIG + "reminder_workdays"))


def max_term_years() -> int:
    return int(tk.config.get(CONFIG + "max_term_years"))


def min_length(field: str) -> int:
    return int(tk.config.get(CONFIG + f"{field}_min_length"))


def privacy_notice_version() -> str:
    return tk.config.get(CONFIG + "privacy_notice_version")


def privacy_notice() -> str:
    """The privacy notice shown on the form (configurable; a translated default)."""
    text = tk.config.get(CONFIG + "privacy_notice")
    if text:
        return text
    return _(
        "The application keeps the personal data you enter here (name, contact person, phone "
        "number, email address, unified social credit code) and your account name, so that "
        "the data-opening body can examine your application, contact you, conclude the "
        "agreement and trace the use of the data (Art 19, 21, 24). It is seen only by you, "
        "the data-opening body that holds the dataset and the platform operator; supervisors "
        "see the application without the contact details. It is never published with the "
        "dataset. It is kept while the application and any agreement last and for "
        "%(years)d years after, as the record of the decision, and then deleted."
    ) % {"years": int(tk.config.get(CONFIG + "retention_years"))}


# --- validators ---------------------------------------------------------------------------

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(f"^[{CREDIT_CODE_CHARSET}]{{18}}$")


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015), computed by python-stdnum
    (``stdnum.cn.uscc``: 31 - (Σ value × weight mod 31), 31 giving 0)."""
    from stdnum.cn import uscc
    return uscc.calc_check_digit(first17[:17])


def is_valid_credit_code(code: str) -> bool:
    from stdnum.cn import uscc
    return bool(CREDIT_CODE_RE.match(code or "")) and uscc.is_valid(code)


def credit_code_validator(value: Any, context) -> str:
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, ValidationError as StdnumError
    code = re.sub(r"\s", "", str(value or "")).upper()
    format_error = _("A unified social credit code has 18 characters: digits and capital "
                     "letters other than I, O, S, V and Z")
    if not CREDIT_CODE_RE.match(code):
        raise tk.Invalid(format_error)
    try:
        uscc.validate(code)
    except InvalidChecksum:
        raise tk.Invalid(_("This unified social credit code is not valid: its check character "
                           "does not match (GB 32100-2015)"))
    except StdnumError:
        raise tk.Invalid(format_error)
    return code


MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^(?:\+?86-?)?0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def phone_validator(value: Any, context) -> str:
    phone = re.sub(r"[\s()（）]", "", str(value or ""))
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise tk.Invalid(_("Enter a mainland China mobile number (11 digits) or a landline "
                           "number with its area code, e.g. 0518-85821234"))
    return phone


def date_validator(value: Any, context) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise tk.Invalid(_("Enter a date as YYYY-MM-DD"))


def min_length_validator(field: str):
    def validator(value: Any, context) -> str:
        text = str(value).strip()
        n = min_length(field)
        if len(text) < n:
            raise tk.Invalid(_("Please write at least %d characters") % n)
        return text
    return validator


def true_validator(message: str):
    def validator(value: Any, context) -> bool:
        if value is not True:
            raise tk.Invalid(_(message))
        return value
    return validator


def id_list_validator(value: Any, context) -> list[str]:
    """A list of ids from a list, a comma-separated string, or "all" / empty (= all)."""
    if value in (None, "", "all", ["all"], []):
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(_("A list of data resource ids is expected"))
    if "all" in value:
        return []
    return list(dict.fromkeys(v.strip() for v in value if v.strip()))


def one_of(choices: Iterable[str]):
    choices = tuple(choices)

    def validator(value: Any, context) -> str:
        if value not in choices:
            raise tk.Invalid(_("Choose one of: %s") % ", ".join(choices))
        return value
    return validator


def create_schema() -> dict:
    v = tk.get_validator
    opt = [v("ignore_missing"), v("unicode_safe")]
    return {
        "package_id": [v("not_empty"), v("unicode_safe")],
        "purpose": [v("not_empty"), v("unicode_safe"), min_length_validator("purpose")],
        "scenario": [v("not_empty"), v("unicode_safe"), min_length_validator("scenario")],
        "security_measures": [v("not_empty"), v("unicode_safe"),
                              min_length_validator("security_measures")],
        "resource_ids": [v("ignore_missing"), id_list_validator],
        "term_start": [v("not_empty"), date_validator],
        "term_end": [v("not_empty"), date_validator],
        "applicant_type": [v("not_empty"), one_of(APPLICANT_TYPES)],
        "applicant_name": [v("not_empty"), v("unicode_safe"), v("strip_value")],
        "credit_code": [v("ignore_empty"), v("unicode_safe"), credit_code_validator],
        "contact_name": opt + [v("strip_value")],
        "contact_phone": [v("not_empty"), v("unicode_safe"), phone_validator],
        "contact_email": [v("not_empty"), v("unicode_safe"), v("strip_value"),
                          v("email_validator")],
        "accept_conditions": [v("not_missing"), v("boolean_validator"), true_validator(
            N_("Accept the dataset's conditions of opening to apply"))],
        "accept_privacy": [v("not_missing"), v("boolean_validator"), true_validator(
            N_("Agree to the privacy notice to apply"))],
    }


def validate(data_dict: dict, schema: dict) -> dict:
    data, errors = tk.navl_validate(data_dict, schema)
    if errors:
        raise tk.ValidationError(errors)
    return data


def validate_create(data_dict: dict) -> dict:
    """The form's fields one by one (navl), then the rules across fields; every field
    error at once."""
    data, errors = tk.navl_validate(data_dict, create_schema())
    errors = {k: v for k, v in errors.items() if v}
    errors.update({k: v for k, v in _cross_field_errors(data).items() if k not in errors})
    if errors:
        raise tk.ValidationError(errors)
    return data


def _cross_field_errors(data: dict) -> dict[str, list[str]]:
    """Who applies (an organization names its credit code and contact person) and the
    requested term (from today, ends after it starts, at most N years)."""
    errors: dict[str, list[str]] = {}
    if data.get("applicant_type") == "organization":
        if not data.get("credit_code") and "credit_code" not in errors:
            errors["credit_code"] = [_("Missing value")]
        if not data.get("contact_name"):
            errors["contact_name"] = [_("Missing value")]
    elif data.get("applicant_type") == "individual":
        data["credit_code"] = None
        data["contact_name"] = data.get("contact_name") or data.get("applicant_name")
    start, end = data.get("term_start"), data.get("term_end")
    if isinstance(start, dt.date) and start < today_beijing():
        errors["term_start"] = [_("The term cannot start before today")]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end <= start:
            errors["term_end"] = [_("The term must end after it starts")]
        elif end > _add_years(start, max_term_years()):
            errors["term_end"] = [_("The term can be at most %d years") % max_term_years()]
    return errors


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
        end = _decided_day(app) or today
    days, provisional = cal.workdays_between(app.info_requested_on, end)
    return max(days, 0), provisional


def _decided_day(app: Application) -> Optional[dt.date]:
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
    decided_on = _decided_day(app)
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


def refresh_stored_due(app: Application, cal: Optional[Calendar] = None) -> None:
    """Cache the computed due date in the row (no commit)."""
    info = deadline(app, cal)
    app.due_on = dt.date.fromisoformat(info["due_on"])
    app.due_provisional = info["provisional"]


# --- transitions ----------------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _user(context: dict) -> Optional[model.User]:
    return roles._user(context.get("user"))


def lock(application_id: str) -> Application:
    return shared.locked(Application, application_id, _("Application not found"))


def get(application_id: str) -> Application:
    app = model.Session.get(Application, application_id or "")
    if app is None:
        raise tk.ObjectNotFound(_("Application not found"))
    return app


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
    from ckanext.lyg_opendata.access import agreements  # the agreements module (lazy)
    agreements.create_for_application(
        app, actor, report_interval_months=fields.get("report_interval_months") or None)


def agreement_for(application_id: str) -> Optional[Agreement]:
    return model.Session.query(Agreement).filter(
        Agreement.application_id == application_id).one_or_none()


# --- who may see what -------------------------------------------------------------------------

def is_applicant(user: Any, app: Application) -> bool:
    obj = roles._user(user)
    return obj is not None and obj.id == app.user_id


def is_deciding_staff(user: Any, app: Application) -> bool:
    """Editors and admins of the agency that answers the application; sysadmins."""
    obj = roles._user(user)
    if obj is None:
        return False
    return obj.sysadmin or roles.is_agency_editor(obj, app.org_id)


def sees_personal_details(user: Any, app: Application) -> bool:
    return is_applicant(user, app) or is_deciding_staff(user, app)


def may_view(user: Any, app: Application) -> bool:
    return sees_personal_details(user, app) or roles.is_supervisor(user)


# --- output -------------------------------------------------------------------------------------

def _date(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d else None


def _dt(d: Optional[dt.datetime]) -> Optional[str]:
    return d.isoformat() if d else None


def as_dict(app: Application, viewer: Any, cal: Optional[Calendar] = None,
            today: Optional[dt.date] = None, pkg: Optional[model.Package] = None,
            agreements: Optional[dict[str, Agreement]] = None) -> dict:
    """The application as ``viewer`` may see it. ``agreements`` (application id → agreement):
    already loaded for a page of applications (``prefetch``)."""
    pkg = pkg or model.Package.get(app.package_id)
    org = model.Session.get(model.Group, app.org_id) if app.org_id else None
    applicant = model.Session.get(model.User, app.user_id)
    decider = model.Session.get(model.User, app.decided_by) if app.decided_by else None
    resources = {r.id: r for r in (pkg.resources if pkg else [])}

    def res_list(ids):
        return [{"id": i, "name": resources[i].name if i in resources else None} for i in ids or []]

    out = {
        "id": app.id, "package_id": app.package_id,
        "package_name": pkg.name if pkg else None,
        "package_title": (pkg.title or pkg.name) if pkg else None,
        "organization_id": app.org_id, "organization_name": org.name if org else None,
        "organization_title": org.title if org else None,
        "user_name": applicant.name if applicant else None,
        "status": app.status, "status_label": status_label(app.status),
        "applicant_type": app.applicant_type,
        "applicant_name": app.applicant_name, "credit_code": app.credit_code,
        "contact_name": app.contact_name, "contact_phone": app.contact_phone,
        "contact_email": app.contact_email,
        "purpose": app.purpose, "scenario": app.scenario,
        "security_measures": app.security_measures,
        "all_resources": not app.resource_ids,
        "resource_ids": list(app.resource_ids or []),
        "resources": res_list(app.resource_ids or list(resources)),
        "term_start": _date(app.term_start), "term_end": _date(app.term_end),
        "conditions_accepted": app.conditions_accepted,
        "privacy_notice_version": app.privacy_notice_version,
        "consent_at": _dt(app.consent_at),
        "info_requested_on": _date(app.info_requested_on), "info_request": app.info_request,
        "info_supplied_on": _date(app.info_supplied_on), "info_reply": app.info_reply,
        "decided_at": _dt(app.decided_at),
        "decided_by": decider.name if decider else None,
        "conditions_of_use": app.conditions_of_use,
        "granted_resource_ids": app.granted_resource_ids,
        "granted_resources": res_list(app.granted_resource_ids) if app.granted_resource_ids else None,
        "granted_term_start": _date(app.granted_term_start),
        "granted_term_end": _date(app.granted_term_end),
        "refusal_reason": app.refusal_reason, "refusal_basis": app.refusal_basis,
        "created": _dt(app.created),
        "personal_details_hidden": False,
    }
    out.update(deadline(app, cal, today))
    agreement = None
    if app.status == "approved":
        agreement = agreements.get(app.id) if agreements is not None else agreement_for(app.id)
    out["agreement_id"] = agreement.id if agreement else None
    if not sees_personal_details(viewer, app):
        for field in PERSONAL_FIELDS:
            out[field] = None
        if app.applicant_type == "individual":
            out["applicant_name"] = None
        out["personal_details_hidden"] = True
    return out


def prefetch(rows: list[Application]) -> dict[str, Agreement]:
    """Load what ``as_dict`` reads of a page of applications in a few queries (datasets with
    their resources, agencies, applicants and deciders into the session; the agreements are
    returned): ``as_dict`` then finds them without a query per application."""
    if not rows:
        return {}
    package_ids = {a.package_id for a in rows}
    model.Session.query(model.Package).filter(model.Package.id.in_(package_ids)).options(
        sa.orm.selectinload(model.Package.resources_all)).all()
    org_ids = {a.org_id for a in rows if a.org_id}
    if org_ids:
        model.Session.query(model.Group).filter(model.Group.id.in_(org_ids)).all()
    user_ids = {a.user_id for a in rows} | {a.decided_by for a in rows if a.decided_by}
    model.Session.query(model.User).filter(model.User.id.in_(user_ids)).all()
    approved = [a.id for a in rows if a.status == "approved"]
    if not approved:
        return {}
    return {ag.application_id: ag for ag in model.Session.query(Agreement).filter(
        Agreement.application_id.in_(approved))}


# the columns the clock reads (``deadline``): enough to sort and filter by it
CLOCK_COLUMNS = ("id", "status", "received_on", "deadline_workdays", "info_requested_on",
                 "info_supplied_on", "decided_at", "created")


def event_dict(event: ApplicationEvent) -> dict:
    return events_shape.event_dict(event, action_label, application_id=event.application_id)


def events(application_id: str) -> list[ApplicationEvent]:
    return model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.application_id == application_id).order_by(
        ApplicationEvent.created, ApplicationEvent.id).all()


# --- notifications ---------------------------------------------------------------------------

def application_url(app: Application) -> str:
    return tk.url_for("lyg_opendata_applications.read", id=app.id, _external=True)


def _title(app: Application) -> str:
    pkg = model.Package.get(app.package_id)
    return (pkg.title or pkg.name) if pkg else app.package_id


def notify_transition(app: Application, action: str) -> None:
    """Tell whoever must act next: the agency of a new application, a reply or a
    withdrawal; the applicant of every decision and request for information. Runs from the
    action's success signal: writes the notices without committing."""
    title = _title(app)
    applicant = model.Session.get(model.User, app.user_id)
    staff = notify.agency_staff(app.org_id) if app.org_id else []
    info = deadline(app)
    due = info["due_on"] + (_(" (provisional)") if info["provisional"] else "")
    messages = {
        "submit": (staff, _("New application for conditional data: %s") % title,
                   _("A new application for the dataset \u201c%(title)s\u201d arrived on "
                     "%(received)s. Please decide by %(due)s (Art 19: within %(n)d working days).")
                   % {"title": title, "received": info["received_on"], "due": due,
                      "n": info["deadline_workdays"]}),
        "supply_info": (staff, _("Information supplied for the application: %s") % title,
                        _("The applicant supplied the information you asked for. The clock runs "
                          "again; the decision is due by %s.") % due),
        "withdraw": (staff, _("Application withdrawn: %s") % title,
                     _("The applicant withdrew the application.")),
        "request_info": ([applicant], _("More information requested for your application: %s")
                         % title,
                         _("The data-opening body asks for more information:\n\n%s\n\nReply on the "
                           "application page; the deadline is paused until you reply.")
                         % (app.info_request or "")),
        "approve": ([applicant], _("Your application was approved: %s") % title,
                    _("Your application was approved with these conditions of use:\n\n%s\n\n"
                      "Read and sign the agreement to start using the data.")
                    % (app.conditions_of_use or "")),
        "refuse": ([applicant], _("Your application was refused: %s") % title,
                   _("Reason: %(reason)s\nLegal basis: %(basis)s") % {
                       "reason": app.refusal_reason or "", "basis": app.refusal_basis or ""}),
    }
    if action not in messages:
        return
    users, subject, body = messages[action]
    notify.notify_users(users, subject, body, application_url(app), commit=False)


def _notice_after(action: str):
    def receiver(context, data_dict, result) -> None:
        app = model.Session.get(Application, (result or {}).get("id") or "")
        if app is not None:
            notify_transition(app, action)
    receiver.__qualname__ = f"applications.notice_after.{action}"
    return receiver


for _verb in ("create", *TRANSITIONS):
    shared.after(f"lyg_opendata_application_{_verb}")(
        _notice_after("submit" if _verb == "create" else _verb))


# --- reminders ---------------------------------------------------------------------------------

def due_reminders(today: Optional[dt.date] = None) -> list[tuple[Application, str, dict]]:
    """Open applications whose agency is to be reminded today: ("due", …) when at most
    ``reminder_workdays`` working days are left, ("overdue", …) once the due day has
    passed; each once per application (``reminded_on`` / ``overdue_reminded_on``)."""
    today = today or today_beijing()
    cal = Calendar()
    before = reminder_workdays()
    out = []
    for app in model.Session.query(Application).filter(
            Application.status == "submitted").order_by(Application.received_on):
        info = deadline(app, cal, today)
        if info["overdue"]:
            if app.overdue_reminded_on is None:
                out.append((app, "overdue", info))
        elif info["days_left"] is not None and info["days_left"] <= before \
                and app.reminded_on is None:
            out.append((app, "due", info))
    return out


def send_reminders(today: Optional[dt.date] = None, dry_run: bool = False) -> list[dict]:
    today = today or today_beijing()
    report = []
    cal = Calendar()
    for app, kind, info in due_reminders(today):
        title = _title(app)
        staff = notify.agency_staff(app.org_id) if app.org_id else []
        report.append({"id": app.id, "kind": kind, "title": title, "due_on": info["due_on"],
                       "days_left": info["days_left"], "recipients": len(staff)})
        if dry_run:
            continue
        due = info["due_on"] + (_(" (provisional)") if info["provisional"] else "")
        if kind == "due":
            subject = _("Application due in %(n)d working days: %(title)s") % {
                "n": info["days_left"], "title": title}
            body = _("The application for \u201c%(title)s\u201d must be answered by %(due)s "
                     "(Art 19).") % {"title": title, "due": due}
            app.reminded_on = today
        else:
            subject = _("Application overdue: %s") % title
            body = _("The application for \u201c%(title)s\u201d was due on %(due)s and has not "
                     "been answered (Art 19, 39). Please decide now.") % {"title": title, "due": due}
            app.overdue_reminded_on = today
        record(app, None, "remind_" + kind, app.status, app.status,
               data={"due_on": info["due_on"], "recipients": len(staff)})
        model.Session.commit()
        notify.notify_users(staff, subject, body, application_url(app))
    if not dry_run:
        # refresh the cached due dates of open applications (years loaded since)
        for app in model.Session.query(Application).filter(Application.status.in_(OPEN)):
            refresh_stored_due(app, cal)
        model.Session.commit()
    return report


def retention_years() -> int:
    return int(tk.config.get(CONFIG + "retention_years"))


def erasable(today: Optional[dt.date] = None) -> list[Application]:
    """Ended applications whose retention period is over and that still hold personal
    data: refused or withdrawn ``retention_years`` after the decision, approved ones that
    long after the end of the granted term (the privacy notice's promise)."""
    today = today or today_beijing()
    cutoff = _add_years(today, -retention_years())
    out = []
    for app in model.Session.query(Application).filter(
            Application.status.in_(("approved", "refused", "withdrawn")),
            sa.or_(Application.contact_phone.isnot(None), Application.contact_email.isnot(None),
                   Application.contact_name.isnot(None))):
        ended = _decided_day(app) or app.received_on
        if app.status == "approved" and app.granted_term_end:
            ended = max(ended, app.granted_term_end)
        if ended <= cutoff:
            out.append(app)
    return out


def erase_personal_data(today: Optional[dt.date] = None, dry_run: bool = False) -> list[str]:
    """Erase the contact details (and an individual's name) of applications past their
    retention period; the decision record (dates, purpose, decision, timeline) stays."""
    ids = []
    for app in erasable(today):
        ids.append(app.id)
        if dry_run:
            continue
        app.contact_name = app.contact_phone = app.contact_email = None
        if app.applicant_type == "individual":
            app.applicant_name = None
        record(app, None, "erase_personal_data", app.status, app.status)
    if not dry_run:
        model.Session.commit()
    return ids


def count_open_for_staff(user: Any) -> int:
    org_ids = roles.editable_org_ids(user)
    if not org_ids:
        return 0
    return model.Session.query(sa.func.count(Application.id)).filter(
        Application.org_id.in_(org_ids), Application.status == "submitted").scalar() or 0
