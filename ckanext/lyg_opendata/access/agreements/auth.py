"""Auth functions of agreements, grants and usage reports.

- Model texts: sysadmins write new versions; supervisors read them too.
- An agreement or a grant is read by its applicant (grantee), the editors and admins of the
  dataset's agency, supervisors and sysadmins. Only the applicant signs — not even a
  sysadmin signs for someone (``auth_sysadmins_check``).
- The agency's editors and admins and supervisors revoke grants (Art 40).
- Only the grantee files a usage report (Art 24).
- Lists: ``scope`` ``mine`` for any signed-in user, ``agency`` for editors and admins of an
  agency, ``all`` for supervisors.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.agreements import grants as agreement_grants
from ckanext.lyg_opendata.access.model import Agreement, Application, Grant, UsageReport
from ckanext.lyg_opendata.access.agreements import action as actions

_ = tk._

# an auth function of the same name for every action
__all__ = [*actions.__all__]


def _ok() -> dict:
    return authz.OK


_no = authz.deny


def _user(context):
    return roles._user(context.get("user"))


_get = authz.row


def lyg_opendata_agreement_template_create(context, data_dict):
    return _no(_("Only sysadmins write the model text of agreements"))


def lyg_opendata_agreement_template_preview(context, data_dict):
    return _no(_("Only sysadmins write the model text of agreements"))


def lyg_opendata_agreement_template_list(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return _ok()
    return _no(_("Only sysadmins and supervisors read the model texts of agreements"))


def lyg_opendata_agreement_template_show(context, data_dict):
    return lyg_opendata_agreement_template_list(context, data_dict)


def _may_read_application(user, application: Application) -> bool:
    if user is None or application is None:
        return False
    if user.id == application.user_id or roles.is_supervisor(user):
        return True
    org_id = application.org_id
    if not org_id:
        pkg = model.Session.get(model.Package, application.package_id)
        org_id = pkg.owner_org if pkg else None
    return roles.is_agency_editor(user, org_id)


def lyg_opendata_agreement_show(context, data_dict):
    agreement = _get(Agreement, data_dict)
    application = model.Session.get(Application, agreement.application_id) if agreement else None
    if _may_read_application(_user(context), application):
        return _ok()
    return _no(_("Only the applicant, the agency and supervisors read this agreement"))


@tk.auth_sysadmins_check
def lyg_opendata_agreement_sign(context, data_dict):
    user = _user(context)
    agreement = _get(Agreement, data_dict)
    application = model.Session.get(Application, agreement.application_id) if agreement else None
    if user is not None and application is not None and application.user_id == user.id:
        return _ok()
    return _no(_("Only the applicant signs the agreement"))


def _scope_allowed(context, data_dict) -> dict:
    user = _user(context)
    if user is None:
        return _no(_("Sign in to see agreements, grants and usage reports"))
    scope = (data_dict or {}).get("scope") or "mine"
    if scope == "all" and not roles.is_supervisor(user):
        return _no(_("Only supervisors see every agency's grants"))
    if scope == "agency" and not (roles.is_supervisor(user) or roles.editable_org_ids(user)):
        return _no(_("Only an agency's editors and admins see its grants"))
    return _ok()


def lyg_opendata_agreement_list(context, data_dict):
    return _scope_allowed(context, data_dict)


def lyg_opendata_grant_list(context, data_dict):
    return _scope_allowed(context, data_dict)


def lyg_opendata_usage_report_list(context, data_dict):
    return _scope_allowed(context, data_dict)


def lyg_opendata_grant_show(context, data_dict):
    grant = _get(Grant, data_dict)
    user = _user(context)
    if grant is not None and user is not None and (
            user.id == grant.user_id or agreement_grants.may_manage_grant(user, grant)):
        return _ok()
    return _no(_("Only the grantee, the agency and supervisors see this grant"))


def lyg_opendata_grant_revoke(context, data_dict):
    grant = _get(Grant, data_dict)
    user = _user(context)
    if grant is not None and user is not None and agreement_grants.may_manage_grant(user, grant):
        return _ok()
    return _no(_("Only the dataset's agency and supervisors revoke a grant"))


@tk.auth_sysadmins_check
def lyg_opendata_usage_report_submit(context, data_dict):
    report = _get(UsageReport, data_dict)
    grant = model.Session.get(Grant, report.grant_id) if report else None
    user = _user(context)
    if grant is not None and user is not None and grant.user_id == user.id:
        return _ok()
    return _no(_("Only the grantee files the usage report"))

