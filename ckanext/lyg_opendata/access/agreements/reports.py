"""Usage reports (Art 24): their status, filing one (the shared workflow shape; notices from
the action's success signal) and the daily reminders of reports due or overdue."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Optional

import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access.model import (
    Application, Grant, UsageReport, _utcnow)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from ckanext.lyg_opendata.access.agreements.grants import grant_org_id
from ckanext.lyg_opendata.access.agreements.workflow import event, agency_grants_url, my_grants_url

log = logging.getLogger(__name__)
_ = tk._


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
    event(application, user.id, "usage_report_submitted",
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
