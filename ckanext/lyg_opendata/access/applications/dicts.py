"""An application as the API and the pages show it (personal details only to whoever may
see them), with the related rows of a page loaded in a few queries; its events."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import events as events_shape
from ckanext.lyg_opendata.access.model import Agreement, Application, ApplicationEvent
from ckanext.lyg_opendata.workdays import Calendar
from ckanext.lyg_opendata.access.applications.visibility import (
    PERSONAL_FIELDS, sees_personal_details)
from ckanext.lyg_opendata.access.applications.workflow import (
    action_label, agreement_for, deadline, status_label)

_ = tk._


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
    # the applicant's real-name status and, as an organisation, its verified link
    # (identity/organisations.py): for those who see the personal details
    out["identity"] = None
    if sees_personal_details(viewer, app):
        from ckanext.lyg_opendata.identity import organisations
        known = getattr(agreements, "real_names", None) or {}
        out["identity"] = organisations.for_application(app.user_id, app.applicant_type,
                                                        app.credit_code, known.get(app.user_id))
    if not sees_personal_details(viewer, app):
        for field in PERSONAL_FIELDS:
            out[field] = None
        if app.applicant_type == "individual":
            out["applicant_name"] = None
        out["personal_details_hidden"] = True
    return out


class Prefetched(dict):
    """Application id → agreement, and the rows a page's dicts read, held while the page is
    dictized: the session's identity map keeps rows only as long as something refers to
    them, so rows loaded and dropped would be fetched again one query at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list = []
        self.real_names: dict[str, dict[str, Any]] = {}


def prefetch(rows: list[Application]) -> Prefetched:
    """Load what ``as_dict`` reads of a page of applications in a few queries (datasets with
    their resources, agencies, applicants and deciders, the applicants' real-name status,
    the agreements): ``as_dict(…, agreements=<this>)`` then finds them without a query per
    application. Keep the result for as long as the page is being dictized."""
    out = Prefetched()
    if not rows:
        return out
    from ckanext.lyg_opendata.identity import organisations
    package_ids = {a.package_id for a in rows}
    out.kept += model.Session.query(model.Package).filter(model.Package.id.in_(package_ids)).options(
        sa.orm.selectinload(model.Package.resources_all)).all()
    org_ids = {a.org_id for a in rows if a.org_id}
    if org_ids:
        out.kept += model.Session.query(model.Group).filter(model.Group.id.in_(org_ids)).all()
    user_ids = {a.user_id for a in rows} | {a.decided_by for a in rows if a.decided_by}
    out.kept += model.Session.query(model.User).filter(model.User.id.in_(user_ids)).all()
    out.real_names = organisations.real_names(a.user_id for a in rows)
    approved = [a.id for a in rows if a.status == "approved"]
    if approved:
        out.update({ag.application_id: ag for ag in model.Session.query(Agreement).filter(
            Agreement.application_id.in_(approved))})
    return out




def event_dict(event: ApplicationEvent) -> dict:
    return events_shape.event_dict(event, action_label, application_id=event.application_id)


def events(application_id: str) -> list[ApplicationEvent]:
    return model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.application_id == application_id).order_by(
        ApplicationEvent.created, ApplicationEvent.id).all()
