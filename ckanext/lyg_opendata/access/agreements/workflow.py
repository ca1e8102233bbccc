"""An agreement from approval to signature (Art 19, 24).

An approved application gets its agreement from the current (highest) template version, with
the placeholders filled in; the text is frozen then, with its SHA-256. The agency's approval
is its signature. The applicant signs (accepts) on the platform: that creates the grant and
the schedule of usage reports in the same transaction, under a lock on the agreement row (one
grant per agreement). Signing has the shared workflow shape (``ckanext.lyg_opendata.workflow``):
the row is locked, the change and its application event are flushed, the action commits
(unless ``defer_commit``) and the notices follow from the action's success signal
(``_after_sign``)."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, Iterable, Optional

import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)
from dateutil.relativedelta import relativedelta

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access.model import (
    Agreement, Application, ApplicationEvent, Grant, UsageReport, _utcnow)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from ckanext.lyg_opendata.access.agreements.texts import current_template, render
from ckanext.lyg_opendata.tables import new_id as _new_id

log = logging.getLogger(__name__)
_ = tk._


REPORT_SCHEDULES = ("end", "periodic")
MAX_INTERVAL_MONTHS = 24


# --- generating an agreement -----------------------------------------------------------

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


def resources_in_order(pkg: model.Package, ids: Iterable[str]) -> list[model.Resource]:
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
    resources = resources_in_order(pkg, ids)
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

def event(application: Application, actor_id: Optional[str], action: str,
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
    event(application, user.id, "agreement_signed",
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
