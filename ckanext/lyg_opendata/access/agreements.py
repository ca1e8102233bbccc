"""Agreements, grants and usage reports (Art 19, 24, 40): the logic behind the actions.

- The model text (协议示范文本) is a versioned template; sysadmins add versions, never edit
  one. An approved application gets its agreement from the current (highest) version, with
  the placeholders filled in; the text is frozen then, with its SHA-256.
- The agency's approval is its signature. The applicant signs (accepts) on the platform:
  that creates the grant and the schedule of usage reports in the same transaction, under a
  lock on the agreement row (one grant per agreement).
- A grant is valid while not revoked and today (Beijing) lies within its term
  (``access/grants.py``); expiry is computed, the ``grants expire`` job only tells people.
- Revocation (Art 40) by the agency or a supervisor, with a reason, is immediate.

Signing, revoking and filing a report have the shared workflow shape
(``ckanext.lyg_opendata.workflow``): the row is locked, the change and its application event
are flushed, the action commits (unless ``defer_commit``) and the notices follow from the
action's success signal (``_after_sign``, ``_after_revoke``, ``_after_report``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import pathlib
import string
from typing import Any, Iterable, Optional

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)
from dateutil.relativedelta import relativedelta
from sqlalchemy.dialects.postgresql import insert as pg_insert

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.access.model import (
    AgreementTemplate, Agreement, Application, ApplicationEvent, Grant, UsageReport, _utcnow)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing

log = logging.getLogger(__name__)
_ = tk._

DEFAULT_TEXT = pathlib.Path(__file__).resolve().parent.parent / "templates" / "lyg_opendata" \
    / "access" / "agreement_default.txt"
DEFAULT_TITLE = "公共数据有条件开放利用协议"


# The placeholders a template may use, with what they hold (shown on the admin page).
PLACEHOLDERS: dict[str, str] = {
    "agreement_number": N_("Agreement number"),
    "agency": N_("The agency (data-opening body): its organization's title"),
    "applicant": N_("The applicant: the organization's or the person's name"),
    "applicant_type": N_("Individual, or legal person / other organization"),
    "credit_code": N_("Unified social credit code (organizations)"),
    "contact": N_("Contact person, phone and email"),
    "applicant_account": N_("The applicant's account on the portal"),
    "dataset_title": N_("Dataset title"),
    "resource_code": N_("Resource code of the dataset"),
    "dataset_url": N_("Address of the dataset's page"),
    "resources": N_("The granted resources (names)"),
    "purpose": N_("Purpose of use"),
    "scenario": N_("Usage scenario"),
    "security_measures": N_("Security measures"),
    "open_conditions": N_("The dataset's conditions of opening"),
    "conditions_of_use": N_("The agency's conditions of use"),
    "term_start": N_("First day of the term"),
    "term_end": N_("Last day of the term"),
    "report_schedule": N_("When usage reports are due"),
    "approved_on": N_("Date of approval"),
    "created_on": N_("Date the agreement was generated"),
}

REPORT_SCHEDULES = ("end", "periodic")
MAX_INTERVAL_MONTHS = 24


# --- templates -------------------------------------------------------------------------

def default_text() -> str:
    return DEFAULT_TEXT.read_text(encoding="utf-8")


def template_errors(body: str) -> list[str]:
    """What is wrong with a template body: unknown placeholders, bad braces."""
    errors: list[str] = []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError:
        return [_("Unbalanced braces: write {{ and }} for a literal brace")]
    unknown: list[str] = []
    used = False
    for _lit, field, spec, conv in parsed:
        if field is None:
            continue
        used = True
        if field not in PLACEHOLDERS or spec or conv:
            shown = "{" + field + (("!" + conv) if conv else "") + ((":" + spec) if spec else "") + "}"
            if shown not in unknown:
                unknown.append(shown)
    for name in unknown:
        errors.append(_("Unknown placeholder %s") % name)
    if not used:
        errors.append(_("The text uses no placeholder"))
    return errors


def render(body: str, values: dict[str, str]) -> str:
    """Fill a (valid) template body's placeholders."""
    return body.format_map({k: values.get(k, "") for k in PLACEHOLDERS})


def sample_values() -> dict[str, str]:
    """Example values for previewing a template."""
    return {
        "agreement_number": "LYG-XY-20260918-0A1B2C3D", "agency": "连云港市交通运输局",
        "applicant": "连云港示例科技有限公司", "applicant_type": "法人或者其他组织",
        "credit_code": "91320700MA1XXXXXX0", "contact": "张三 13800000000 zhangsan@example.com",
        "applicant_account": "example-company", "dataset_title": "公共停车场收费明细",
        "resource_code": "320700/JTJ/0001", "dataset_url": "https://data.example/dataset/parking",
        "resources": "2026年明细（CSV）", "purpose": "城市停车诱导研究",
        "scenario": "停车诱导应用的算法训练", "security_measures": "专用服务器，访问控制，日志审计",
        "open_conditions": "仅向科研机构开放", "conditions_of_use": "不得向第三方提供",
        "term_start": "2026年10月1日", "term_end": "2027年9月30日",
        "report_schedule": "利用期限届满后10个工作日内提交一次", "approved_on": "2026年9月18日",
        "created_on": "2026年9月18日",
    }


def latest_template() -> Optional[AgreementTemplate]:
    return model.Session.query(AgreementTemplate).order_by(
        AgreementTemplate.version.desc()).first()


def current_template(actor_id: Optional[str] = None) -> AgreementTemplate:
    """The highest version; version 1 from the shipped model text when there is none
    (two first approvals at once insert it once)."""
    template = latest_template()
    if template is not None:
        return template
    model.Session.execute(pg_insert(AgreementTemplate.__table__).values(
        id=_new_id(), version=1, title=DEFAULT_TITLE, body=default_text(),
        note=None, created_by=actor_id, created=_utcnow(),
    ).on_conflict_do_nothing(index_elements=["version"]))
    return latest_template()


def create_template(title: str, body: str, note: Optional[str], actor_id: Optional[str]
                    ) -> AgreementTemplate:
    """A new version (the highest + 1); old versions never change. The shipped model text
    is version 1 (stored first if no version exists yet). Flushed: the action commits."""
    errors = template_errors(body)
    if errors:
        raise tk.ValidationError({"body": errors})
    # one writer at a time: a transaction-level advisory lock on the template table
    model.Session.execute(sa.text(
        "SELECT pg_advisory_xact_lock(hashtext('lyg_opendata_agreement_template'))"))
    current_template(actor_id)  # the shipped model text stays version 1
    top = model.Session.query(sa.func.max(AgreementTemplate.version)).scalar() or 0
    template = AgreementTemplate(version=top + 1, title=title, body=body, note=note,
                                 created_by=actor_id)
    model.Session.add(template)
    model.Session.flush()
    return template


def template_dict(template: AgreementTemplate, with_body: bool = True) -> dict[str, Any]:
    creator = model.Session.get(model.User, template.created_by) if template.created_by else None
    data = {"id": template.id, "version": template.version, "title": template.title,
            "note": template.note, "created": template.created.isoformat(),
            "created_by": creator.name if creator else None,
            "placeholders": sorted({f for _l, f, _s, _c in string.Formatter().parse(template.body)
                                    if f})}
    if with_body:
        data["body"] = template.body
    return data


# --- generating an agreement -----------------------------------------------------------

def _new_id() -> str:
    import uuid
    return str(uuid.uuid4())


def cn_date(day: Optional[dt.date]) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def report_due_workdays() -> int:
    return tk.config.get("ckanext.lyg_opendata.agreements.report_due_workdays")


def report_periods(starts_on: dt.date, ends_on: dt.date, schedule: str = "end",
                   interval_months: Optional[int] = None,
                   cal: Optional[Calendar] = None) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(period_start, period_end, due_on) of each report: one for the whole term, or one per
    ``interval_months`` (the last one ends with the term); each due a configured number of
    working days after its period ends."""
    cal = cal or Calendar()
    n = report_due_workdays()
    periods = []
    if schedule == "periodic" and interval_months:
        start = starts_on
        while start <= ends_on:
            end = min(starts_on + relativedelta(months=interval_months * (len(periods) + 1))
                      - dt.timedelta(days=1), ends_on)
            periods.append((start, end, cal.add_workdays(end, n)[0]))
            start = end + dt.timedelta(days=1)
    else:
        periods.append((starts_on, ends_on, cal.add_workdays(ends_on, n)[0]))
    return periods


def report_schedule_text(periods: list[tuple[dt.date, dt.date, dt.date]]) -> str:
    """The schedule as the agreement states it (agreement text, in Chinese like the model)."""
    n = report_due_workdays()
    if len(periods) == 1:
        return (f"利用期限届满后{n}个工作日内提交一次（{cn_date(periods[0][2])}前）。")
    parts = [f"第{i}期（{cn_date(s)}至{cn_date(e)}）于{cn_date(d)}前提交"
             for i, (s, e, d) in enumerate(periods, 1)]
    return "分期提交：" + "；".join(parts) + "。"


def _resources_in_order(pkg: model.Package, ids: Iterable[str]) -> list[model.Resource]:
    wanted = set(ids)
    return [r for r in pkg.resources if r.id in wanted]


def _applicant_values(application: Application) -> dict[str, str]:
    user = model.Session.get(model.User, application.user_id)
    individual = (application.applicant_type or "individual") == "individual"
    name = application.applicant_name or (user.fullname or user.name if user else "")
    contact = " ".join(x for x in (application.contact_name, application.contact_phone,
                                   application.contact_email) if x)
    return {
        "applicant": name,
        "applicant_type": "自然人" if individual else "法人或者其他组织",
        "credit_code": "—" if individual else (application.credit_code or "—"),
        "contact": contact or (user.email if user and user.email else "—"),
        "applicant_account": user.name if user else "",
    }


def agreement_number(agreement_id: str, day: dt.date) -> str:
    return f"LYG-XY-{day:%Y%m%d}-{agreement_id[:8].upper()}"


def create_for_application(application: Application, actor_user: Any,
                           report_schedule: Optional[str] = None,
                           report_interval_months: Optional[int] = None) -> Agreement:
    """Generate the agreement of an approved application and add it to the session
    WITHOUT committing (the approve action commits it with the decision).

    The caller has set ``conditions_of_use``, ``granted_resource_ids`` (explicit ids),
    ``granted_term_start`` / ``granted_term_end`` and ``decided_by`` / ``decided_at``.
    The report schedule comes from the arguments, else from the application's
    ``report_interval_months`` attribute if it has one: a number of months (1 to 24, an
    int or a string of digits) means periodic reports, none or 0 means one report at the
    end of the term. The approver's approval is the
    agency's signature."""
    actor = roles._user(actor_user)
    pkg = model.Session.get(model.Package, application.package_id)
    if pkg is None:
        raise tk.ObjectNotFound(_("Dataset not found"))
    ids = list(application.granted_resource_ids or [])
    resources = _resources_in_order(pkg, ids)
    if not ids or len(resources) != len(set(ids)):
        raise tk.ValidationError({"granted_resource_ids": [
            _("Name the granted resources of this dataset")]})
    start, end = application.granted_term_start, application.granted_term_end
    if not start or not end or end < start:
        raise tk.ValidationError({"granted_term_end": [
            _("The term must end on or after the day it starts")]})
    interval = report_interval_months
    if interval is None:
        interval = getattr(application, "report_interval_months", None)
    if isinstance(interval, str) and interval.strip().isdigit():
        interval = int(interval)
    elif interval == "":
        interval = None
    schedule = report_schedule or ("periodic" if interval else "end")
    if schedule not in REPORT_SCHEDULES:
        raise tk.ValidationError({"report_schedule": [_("Unknown report schedule")]})
    if schedule == "periodic":
        if not isinstance(interval, int) or isinstance(interval, bool) \
                or not 1 <= interval <= MAX_INTERVAL_MONTHS:
            raise tk.ValidationError({"report_interval_months": [
                _("A whole number of months from 1 to %d") % MAX_INTERVAL_MONTHS]})
    else:
        interval = None

    template = current_template(actor.id if actor else None)
    org = model.Session.get(model.Group, application.org_id or pkg.owner_org)
    extras = pkg.extras
    today = today_beijing()
    agreement_id = _new_id()
    number = agreement_number(agreement_id, today)
    decided = application.decided_at or _utcnow()
    values = {
        "agreement_number": number,
        "agency": org.title or org.name if org else "",
        "dataset_title": pkg.title or pkg.name,
        "resource_code": extras.get("resource_code") or "—",
        "dataset_url": tk.url_for("dataset.read", id=pkg.name, _external=True),
        "resources": "；".join(f"{r.name or r.id}" + (f"（{r.format}）" if r.format else "")
                              for r in resources),
        "purpose": application.purpose, "scenario": application.scenario,
        "security_measures": application.security_measures,
        "open_conditions": extras.get("open_conditions") or "—",
        "conditions_of_use": application.conditions_of_use or "—",
        "term_start": cn_date(start), "term_end": cn_date(end),
        "report_schedule": report_schedule_text(report_periods(start, end, schedule, interval)),
        "approved_on": cn_date(_beijing_day(decided)), "created_on": cn_date(today),
        **_applicant_values(application),
    }
    text = render(template.body, values)
    agreement = Agreement(
        id=agreement_id, number=number, application_id=application.id,
        template_id=template.id, template_version=template.version,
        text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        report_schedule=schedule, report_interval_months=interval,
        agency_signed_at=decided, agency_signed_by=actor.id if actor else application.decided_by)
    model.Session.add(agreement)
    return agreement


def _beijing_day(instant: dt.datetime) -> dt.date:
    return today_beijing(instant)


def notify_to_sign(agreement_id: str) -> int:
    """Tell the applicant that an agreement waits for their signature (call after commit)."""
    agreement = model.Session.get(Agreement, agreement_id)
    if agreement is None:
        return 0
    application = model.Session.get(Application, agreement.application_id)
    pkg = model.Session.get(model.Package, application.package_id)
    user = model.Session.get(model.User, application.user_id)
    subject = _("Your application was approved: read and sign the agreement for %s") % (
        pkg.title or pkg.name)
    body = _("Access to the data begins when you have signed the agreement %(number)s "
             "(term %(start)s to %(end)s).") % {
        "number": agreement.number, "start": application.granted_term_start.isoformat(),
        "end": application.granted_term_end.isoformat()}
    return notify.notify_users([user], subject, body, agreement_url(agreement.id))


def agreement_url(agreement_id: str) -> str:
    return tk.url_for("lyg_opendata_agreements.agreement_read", id=agreement_id, _external=True)


def my_grants_url() -> str:
    return tk.url_for("lyg_opendata_agreements.my_grants", _external=True)


def agency_grants_url() -> str:
    return tk.url_for("lyg_opendata_agreements.agency_grants", _external=True)


# --- signing ---------------------------------------------------------------------------

def _event(application: Application, actor_id: Optional[str], action: str,
           reason: Optional[str] = None, data: Optional[dict] = None) -> None:
    shared.record(ApplicationEvent, application_id=application.id, actor_id=actor_id,
                  action=action, from_status=application.status,
                  to_status=application.status, reason=reason, data=data)


def sign(agreement_id: str, user: model.User, ip: Optional[str], user_agent: Optional[str]
         ) -> tuple[Agreement, Grant]:
    """The applicant accepts the agreement: record it and create the grant and the report
    rows in one transaction (the agreement row is locked: signing twice gives one grant).
    Flushed: the action commits; the agency hears from ``_after_sign``."""
    agreement = shared.locked(Agreement, agreement_id, _("Agreement not found"))
    application = model.Session.get(Application, agreement.application_id)
    errors = None
    if agreement.applicant_signed_at is not None:
        errors = _("This agreement is already signed")
    elif application.status != "approved":
        errors = _("The application of this agreement is not approved")
    elif application.user_id != user.id:
        errors = _("Only the applicant signs the agreement")
    elif today_beijing() > application.granted_term_end:
        errors = _("The term of this agreement has ended")
    if errors:
        shared.fail("id", errors)
    now = _utcnow()
    agreement.applicant_signed_at = now
    agreement.applicant_signed_by = user.id
    agreement.applicant_sign_ip = (ip or "")[:100] or None
    agreement.applicant_sign_user_agent = (user_agent or "")[:500] or None
    grant = Grant(agreement_id=agreement.id, application_id=application.id,
                  user_id=application.user_id, package_id=application.package_id,
                  resource_ids=list(application.granted_resource_ids or []),
                  starts_on=application.granted_term_start, ends_on=application.granted_term_end)
    model.Session.add(grant)
    model.Session.flush()
    for start, end, due in report_periods(grant.starts_on, grant.ends_on,
                                          agreement.report_schedule,
                                          agreement.report_interval_months):
        model.Session.add(UsageReport(grant_id=grant.id, period_start=start, period_end=end,
                                      due_on=due))
    _event(application, user.id, "agreement_signed",
           data={"agreement_id": agreement.id, "grant_id": grant.id, "sha256": agreement.sha256})
    return agreement, grant


def _notify_agency_signed(agreement: Agreement, application: Application) -> None:
    pkg = model.Session.get(model.Package, application.package_id)
    user = model.Session.get(model.User, application.user_id)
    org_id = application.org_id or pkg.owner_org
    subject = _("Agreement signed: %(user)s may use %(dataset)s") % {
        "user": user.display_name, "dataset": pkg.title or pkg.name}
    body = _("The applicant signed the agreement %(number)s; the grant runs from %(start)s "
             "to %(end)s.") % {"number": agreement.number,
                               "start": application.granted_term_start.isoformat(),
                               "end": application.granted_term_end.isoformat()}
    notify.notify_users(notify.agency_staff(org_id) if org_id else [], subject, body,
                        agreement_url(agreement.id), commit=False)


@shared.after("lyg_opendata_agreement_sign")
def _after_sign(context, data_dict, result) -> None:
    agreement = model.Session.get(Agreement, (result or {}).get("agreement_id") or "")
    if agreement is not None:
        _notify_agency_signed(agreement, model.Session.get(Application, agreement.application_id))


# --- grants ----------------------------------------------------------------------------

def grant_status(grant: Grant, today: Optional[dt.date] = None) -> str:
    """revoked | pending (term not begun) | active | expired — computed, never stored."""
    today = today or today_beijing()
    if grant.revoked_at is not None:
        return "revoked"
    if today < grant.starts_on:
        return "pending"
    if today > grant.ends_on:
        return "expired"
    return "active"


def grant_org_id(grant: Grant) -> Optional[str]:
    application = model.Session.get(Application, grant.application_id)
    if application is not None and application.org_id:
        return application.org_id
    pkg = model.Session.get(model.Package, grant.package_id)
    return pkg.owner_org if pkg else None


def may_manage_grant(user: Any, grant: Grant) -> bool:
    """The dataset's agency editors and admins, supervisors, sysadmins."""
    return roles.is_supervisor(user) or roles.is_agency_editor(user, grant_org_id(grant))


def may_read_grant(user: Any, grant: Grant) -> bool:
    obj = roles._user(user)
    if obj is None:
        return False
    return obj.id == grant.user_id or may_manage_grant(obj, grant) \
        or roles.agency_role(obj, grant_org_id(grant)) is not None


def revoke(grant_id: str, user: model.User, reason: str) -> Grant:
    """Revoke a grant now (Art 40): locks it, records who and why, drops the reports of
    periods that had not begun and ends the current one today. Flushed: the action commits;
    the grantee hears from ``_after_revoke``."""
    grant = shared.locked(Grant, grant_id, _("Grant not found"))
    if grant.revoked_at is not None:
        shared.fail("id", _("This grant is already revoked"))
    today = today_beijing()
    grant.revoked_at = _utcnow()
    grant.revoked_by = user.id
    grant.revoke_reason = reason
    cal = Calendar()
    for report in model.Session.query(UsageReport).filter(
            UsageReport.grant_id == grant.id, UsageReport.submitted_at.is_(None)):
        if report.period_start > today:
            model.Session.delete(report)
        elif report.period_end > today:
            report.period_end = today
            report.due_on = cal.add_workdays(today, report_due_workdays())[0]
    application = model.Session.get(Application, grant.application_id)
    _event(application, user.id, "grant_revoked", reason=reason, data={"grant_id": grant.id})
    return grant


@shared.after("lyg_opendata_grant_revoke")
def _after_revoke(context, data_dict, result) -> None:
    grant = model.Session.get(Grant, (result or {}).get("id") or "")
    if grant is None:
        return
    pkg = model.Session.get(model.Package, grant.package_id)
    grantee = model.Session.get(model.User, grant.user_id)
    subject = _("Your grant to use %s was revoked") % (pkg.title or pkg.name)
    body = _("Reason: %s") % grant.revoke_reason
    notify.notify_users([grantee], subject, body, my_grants_url(), commit=False)


def expire_notify(today: Optional[dt.date] = None) -> list[Grant]:
    """Tell grantees (and the agency) whose grant's term has ended; once per grant."""
    today = today or today_beijing()
    grants = model.Session.query(Grant).filter(
        Grant.revoked_at.is_(None), Grant.ends_on < today,
        Grant.expiry_notified_at.is_(None)).order_by(Grant.ends_on).with_for_update(
        skip_locked=True).all()
    done = []
    for grant in grants:
        grant.expiry_notified_at = _utcnow()
        application = model.Session.get(Application, grant.application_id)
        _event(application, None, "grant_expired", data={"grant_id": grant.id,
                                                         "ends_on": grant.ends_on.isoformat()})
        done.append(grant)
    model.Session.commit()
    for grant in done:
        pkg = model.Session.get(model.Package, grant.package_id)
        grantee = model.Session.get(model.User, grant.user_id)
        title = pkg.title or pkg.name
        notify.notify_users(
            [grantee], _("Your grant to use %s has expired") % title,
            _("The term ended on %s. Stop using the data and delete it, and file the usage "
              "report the agreement requires.") % grant.ends_on.isoformat(), my_grants_url())
    return done


# --- usage reports ---------------------------------------------------------------------

def report_status(report: UsageReport, today: Optional[dt.date] = None) -> str:
    """submitted | upcoming (its period has not ended) | due | overdue."""
    today = today or today_beijing()
    if report.submitted_at is not None:
        return "submitted"
    if today <= report.period_end:
        return "upcoming"
    if today > report.due_on:
        return "overdue"
    return "due"


def submit_report(report_id: str, user: model.User, usage: str, results: str,
                  incidents: str) -> UsageReport:
    """File the report (flushed: the action commits; the agency hears from ``_after_report``)."""
    report = shared.locked(UsageReport, report_id, _("Usage report not found"))
    grant = model.Session.get(Grant, report.grant_id)
    if grant.user_id != user.id:
        model.Session.rollback()
        raise tk.NotAuthorized(_("Only the grantee files the usage report"))
    if report.submitted_at is not None:
        shared.fail("id", _("This report was already submitted"))
    if today_beijing() < report.period_start:
        shared.fail("id", _("The period of this report has not begun"))
    report.usage, report.results, report.incidents = usage, results, incidents
    report.submitted_at = _utcnow()
    report.submitted_by = user.id
    application = model.Session.get(Application, grant.application_id)
    _event(application, user.id, "usage_report_submitted",
           data={"grant_id": grant.id, "report_id": report.id})
    return report


@shared.after("lyg_opendata_usage_report_submit")
def _after_report(context, data_dict, result) -> None:
    report = model.Session.get(UsageReport, (result or {}).get("id") or "")
    if report is None:
        return
    grant = model.Session.get(Grant, report.grant_id)
    user = model.Session.get(model.User, report.submitted_by)
    pkg = model.Session.get(model.Package, grant.package_id)
    org_id = grant_org_id(grant)
    notify.notify_users(
        notify.agency_staff(org_id) if org_id else [],
        _("Usage report filed for %s") % (pkg.title or pkg.name),
        _("%(user)s filed the usage report for %(start)s to %(end)s.") % {
            "user": user.display_name, "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat()}, agency_grants_url(), commit=False)


def reminder_workdays() -> int:
    return tk.config.get("ckanext.lyg_opendata.agreements.report_reminder_workdays")


def report_reminders(today: Optional[dt.date] = None) -> dict[str, int]:
    """Remind grantees of reports due within the configured number of working days (once),
    and grantees and the agency of reports overdue (once). Returns the counts."""
    today = today or today_beijing()
    cal = Calendar()
    before = reminder_workdays()
    soon, late = [], []
    for report in model.Session.query(UsageReport).filter(
            UsageReport.submitted_at.is_(None)).with_for_update(skip_locked=True):
        left, _p = cal.workdays_between(today, report.due_on)
        if today > report.due_on:
            if report.reminded_on is None or report.reminded_on <= report.due_on:
                report.reminded_on = today
                late.append(report)
        elif left <= before and report.reminded_on is None:
            report.reminded_on = today
            soon.append(report)
    model.Session.commit()
    for report in soon + late:
        grant = model.Session.get(Grant, report.grant_id)
        pkg = model.Session.get(model.Package, grant.package_id)
        grantee = model.Session.get(model.User, grant.user_id)
        title = pkg.title or pkg.name
        period = {"start": report.period_start.isoformat(), "end": report.period_end.isoformat(),
                  "due": report.due_on.isoformat()}
        if report in late:
            notify.notify_users([grantee], _("Usage report overdue: %s") % title, _(
                "The usage report for %(start)s to %(end)s was due on %(due)s.") % period,
                my_grants_url())
            org_id = grant_org_id(grant)
            notify.notify_users(notify.agency_staff(org_id) if org_id else [],
                                _("Missing usage report: %(user)s, %(dataset)s") % {
                                    "user": grantee.display_name, "dataset": title},
                                _("The usage report for %(start)s to %(end)s was due on "
                                  "%(due)s.") % period, agency_grants_url())
        else:
            notify.notify_users([grantee], _("Usage report due: %s") % title, _(
                "File the usage report for %(start)s to %(end)s by %(due)s.") % period,
                my_grants_url())
    return {"due_soon": len(soon), "overdue": len(late)}


# --- dictization -----------------------------------------------------------------------

def _user_brief(user_id: Optional[str]) -> Optional[dict[str, str]]:
    user = model.Session.get(model.User, user_id) if user_id else None
    return {"id": user.id, "name": user.name, "display_name": user.display_name} if user else None


def _iso(value) -> Optional[str]:
    return value.isoformat() if value is not None else None


def _package_brief(package_id: str) -> dict[str, Any]:
    pkg = model.Session.get(model.Package, package_id)
    if pkg is None:
        return {"id": package_id}
    org = model.Session.get(model.Group, pkg.owner_org) if pkg.owner_org else None
    return {"id": pkg.id, "name": pkg.name, "title": pkg.title or pkg.name,
            "resource_code": pkg.extras.get("resource_code"),
            "organization": {"id": org.id, "name": org.name, "title": org.title or org.name}
            if org else None}


def _resources(package_id: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    pkg = model.Session.get(model.Package, package_id)
    if pkg is None:
        return []
    return [{"id": r.id, "name": r.name, "format": r.format}
            for r in _resources_in_order(pkg, ids)]


def report_dict(report: UsageReport, today: Optional[dt.date] = None,
                cal: Optional[Calendar] = None, with_grant: bool = False) -> dict[str, Any]:
    today = today or today_beijing()
    cal = cal or Calendar()
    left, provisional = cal.workdays_between(today, report.due_on)
    data = {
        "id": report.id, "grant_id": report.grant_id,
        "period_start": _iso(report.period_start), "period_end": _iso(report.period_end),
        "due_on": _iso(report.due_on), "days_left": left, "provisional": provisional,
        "status": report_status(report, today), "overdue": report_status(report, today) == "overdue",
        "usage": report.usage, "results": report.results, "incidents": report.incidents,
        "submitted_at": _iso(report.submitted_at),
        "submitted_by": _user_brief(report.submitted_by),
        "reminded_on": _iso(report.reminded_on),
    }
    if with_grant:
        grant = model.Session.get(Grant, report.grant_id)
        data["grantee"] = _user_brief(grant.user_id)
        data["package"] = _package_brief(grant.package_id)
        data["grant_status"] = grant_status(grant, today)
    return data


def grant_dict(grant: Grant, today: Optional[dt.date] = None, with_reports: bool = True,
               cal: Optional[Calendar] = None) -> dict[str, Any]:
    today = today or today_beijing()
    cal = cal or Calendar()
    agreement = model.Session.get(Agreement, grant.agreement_id)
    reports = model.Session.query(UsageReport).filter(UsageReport.grant_id == grant.id) \
        .order_by(UsageReport.period_start).all()
    data = {
        "id": grant.id, "agreement_id": grant.agreement_id,
        "agreement_number": agreement.number if agreement else None,
        "application_id": grant.application_id, "grantee": _user_brief(grant.user_id),
        "package": _package_brief(grant.package_id), "package_id": grant.package_id,
        "resource_ids": list(grant.resource_ids or []),
        "resources": _resources(grant.package_id, grant.resource_ids or []),
        "starts_on": _iso(grant.starts_on), "ends_on": _iso(grant.ends_on),
        "status": grant_status(grant, today), "valid": grant_status(grant, today) == "active",
        "revoked_at": _iso(grant.revoked_at), "revoked_by": _user_brief(grant.revoked_by),
        "revoke_reason": grant.revoke_reason,
        "expiry_notified_at": _iso(grant.expiry_notified_at), "created": _iso(grant.created),
        "reports_overdue": sum(1 for r in reports if report_status(r, today) == "overdue"),
        "reports_due": sum(1 for r in reports if report_status(r, today) == "due"),
    }
    if with_reports:
        data["reports"] = [report_dict(r, today, cal) for r in reports]
    return data


def sees_signature_details(viewer: Any, application: Application) -> bool:
    """The applicant, the agency that decided and sysadmins see the signer's IP address and
    user agent; supervisors read the agreement without them."""
    user = roles._user(viewer)
    if user is None:
        return False
    org_id = application.org_id
    if not org_id:
        pkg = model.Session.get(model.Package, application.package_id)
        org_id = pkg.owner_org if pkg else None
    return user.sysadmin or user.id == application.user_id or roles.is_agency_editor(user, org_id)


def agreement_dict(agreement: Agreement, with_text: bool = True, viewer: Any = None
                   ) -> dict[str, Any]:
    """``viewer``: who asks (None: the signer's IP address and user agent are left out)."""
    application = model.Session.get(Application, agreement.application_id)
    details = sees_signature_details(viewer, application)
    grant = model.Session.query(Grant).filter(Grant.agreement_id == agreement.id).one_or_none()
    data = {
        "id": agreement.id, "number": agreement.number,
        "application_id": agreement.application_id,
        "package": _package_brief(application.package_id),
        "package_id": application.package_id,
        "applicant": _user_brief(application.user_id),
        "applicant_type": application.applicant_type,
        "applicant_name": application.applicant_name,
        "template_id": agreement.template_id, "template_version": agreement.template_version,
        "sha256": agreement.sha256,
        "report_schedule": agreement.report_schedule,
        "report_interval_months": agreement.report_interval_months,
        "resource_ids": list(application.granted_resource_ids or []),
        "resources": _resources(application.package_id, application.granted_resource_ids or []),
        "term_start": _iso(application.granted_term_start),
        "term_end": _iso(application.granted_term_end),
        "conditions_of_use": application.conditions_of_use,
        "agency_signed_at": _iso(agreement.agency_signed_at),
        "agency_signed_by": _user_brief(agreement.agency_signed_by),
        "applicant_signed_at": _iso(agreement.applicant_signed_at),
        "applicant_signed_by": _user_brief(agreement.applicant_signed_by),
        "applicant_sign_ip": agreement.applicant_sign_ip if details else None,
        "applicant_sign_user_agent": agreement.applicant_sign_user_agent if details else None,
        "signed": agreement.applicant_signed_at is not None,
        "grant_id": grant.id if grant else None,
        "grant_status": grant_status(grant) if grant else None,
        "created": _iso(agreement.created),
    }
    if with_text:
        # one decision for every surface (action, page, print, .txt, .pdf): the frozen text
        # names the applicant's contact person, phone and email; those who read the
        # signature details (the applicant, the agency, sysadmins) read it and can check it
        # against ``sha256``; supervisors read the terms above and the hash, not the text
        # (as ``lyg_opendata_application_show`` leaves them the contact details out)
        data["text"] = agreement.text if details else None
        data["text_withheld"] = not details
    return data


# --- scopes of the lists ---------------------------------------------------------------

def org_ids_for(user: model.User, scope: str, org: Optional[str] = None) -> Optional[list[str]]:
    """The agencies whose grants a list covers: None for every agency (``all``)."""
    group = None
    if org:
        group = model.Group.get(org)
        if group is None or not group.is_organization:
            raise tk.ValidationError({"organization": [_("Organization not found")]})
    if scope == "all":
        return [group.id] if group else None
    ids = roles.editable_org_ids(user)
    if group is not None:
        if group.id not in ids and not roles.is_supervisor(user):
            raise tk.NotAuthorized(_("Only an agency's editors and admins see its grants"))
        ids = [group.id]
    return ids


def _scoped(query, user: model.User, scope: str, org: Optional[str]):
    """Filter a query joined to the application: the user's own (as applicant/grantee), or
    those of the agencies in scope."""
    if scope == "mine":
        return query.filter(Application.user_id == user.id)
    ids = org_ids_for(user, scope, org)
    if ids is None:
        return query
    pkg = sa.orm.aliased(model.Package)
    return query.join(pkg, pkg.id == Application.package_id).filter(
        sa.func.coalesce(Application.org_id, pkg.owner_org).in_(ids or ["-"]))


def grants_query(user: model.User, scope: str, org: Optional[str] = None):
    query = model.Session.query(Grant).join(Application, Application.id == Grant.application_id)
    return _scoped(query, user, scope, org)


def agreements_query(user: model.User, scope: str, org: Optional[str] = None):
    query = model.Session.query(Agreement).join(
        Application, Application.id == Agreement.application_id)
    return _scoped(query, user, scope, org)


def reports_query(user: model.User, scope: str, org: Optional[str] = None):
    query = model.Session.query(UsageReport).join(Grant, Grant.id == UsageReport.grant_id).join(
        Application, Application.id == Grant.application_id)
    return _scoped(query, user, scope, org)
