"""Agreements, grants and usage reports as the API and the pages show them (signature
details only to whoever may see them)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterable, Optional

import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.model import (
    Agreement, Application, Grant, UsageReport)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from ckanext.lyg_opendata.access.agreements.grants import grant_status
from ckanext.lyg_opendata.access.agreements.reports import report_status
from ckanext.lyg_opendata.access.agreements.workflow import resources_in_order

log = logging.getLogger(__name__)
_ = tk._


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
            for r in resources_in_order(pkg, ids)]


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
