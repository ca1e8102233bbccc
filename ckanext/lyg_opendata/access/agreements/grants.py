"""Grants (Art 19, 40): their status, who may manage and read them, revocation by the agency
or a supervisor (immediate, with a reason) and the notices of ended terms. A grant is valid
while not revoked and today (Beijing) lies within its term (``access/grants.py``); expiry is
computed, the ``grants expire`` job only tells people."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Optional

import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access.model import (
    Application, Grant, UsageReport, _utcnow)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from ckanext.lyg_opendata.access.agreements.workflow import (
    event, my_grants_url, report_due_workdays)

log = logging.getLogger(__name__)
_ = tk._


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
    event(application, user.id, "grant_revoked", reason=reason, data={"grant_id": grant.id})
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
        event(application, None, "grant_expired", data={"grant_id": grant.id,
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
