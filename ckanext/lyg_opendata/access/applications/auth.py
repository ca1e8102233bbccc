"""Auth functions of the application workflow: who may do what with an application.

- apply: any logged-in user who is not a member of the dataset's own agency (it has the
  data already);
- read an application and its timeline: the applicant, the answering agency's editors and
  admins, supervisors (without the applicant's contact details), sysadmins;
- decide (ask for more information, approve, refuse): the answering agency's editors and
  admins, and sysadmins — not supervisors, not other agencies;
- withdraw, supply information: the applicant only (sysadmins included in the check).
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.applications import visibility
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.access.applications import action as actions

_ = tk._

# an auth function of the same name for every action
__all__ = [*actions.__all__]


_deny = authz.deny


def _app(data_dict) -> Application | None:
    return authz.row(Application, data_dict)


def lyg_opendata_application_create(context, data_dict):
    user = roles._user(context.get("user"))
    if user is None:
        return _deny(_("Log in to apply for conditional data"))
    pkg = model.Package.get((data_dict or {}).get("package_id") or "")
    if pkg is not None and not user.sysadmin and roles.agency_role(user, pkg.owner_org):
        return _deny(_("Members of the dataset's data-opening body use its data without applying"))
    return {"success": True}


def _may_view(context, data_dict):
    app = _app(data_dict)
    if app is None:
        return _deny(_("Application not found"))
    if visibility.may_view(context.get("user"), app):
        return {"success": True}
    return _deny(_("Only the applicant, the data-opening body that answers it and "
                   "supervisors can see an application"))


def lyg_opendata_application_show(context, data_dict):
    return _may_view(context, data_dict)


def lyg_opendata_application_events(context, data_dict):
    return _may_view(context, data_dict)


def lyg_opendata_application_list(context, data_dict):
    user = roles._user(context.get("user"))
    if user is None:
        return _deny(_("Log in to see applications"))
    scope = (data_dict or {}).get("scope") or "mine"
    if scope == "agency" and not (user.sysadmin or roles.editable_org_ids(user)):
        return _deny(_("Only the editors of a data-opening body see the applications it answers"))
    if scope == "all" and not roles.is_supervisor(user):
        return _deny(_("Only supervisors see the applications of every data-opening body"))
    return {"success": True}


def _applicant_only(context, data_dict):
    app = _app(data_dict)
    if app is None:
        return _deny(_("Application not found"))
    if visibility.is_applicant(context.get("user"), app):
        return {"success": True}
    return _deny(_("Only the applicant can do this"))


@tk.auth_sysadmins_check
def lyg_opendata_application_withdraw(context, data_dict):
    return _applicant_only(context, data_dict)


@tk.auth_sysadmins_check
def lyg_opendata_application_supply_info(context, data_dict):
    return _applicant_only(context, data_dict)


def _deciding_staff(context, data_dict):
    app = _app(data_dict)
    if app is None:
        return _deny(_("Application not found"))
    if visibility.is_deciding_staff(context.get("user"), app):
        return {"success": True}
    return _deny(_("Only the editors and admins of the data-opening body that holds the "
                   "dataset decide on its applications"))


def lyg_opendata_application_request_info(context, data_dict):
    return _deciding_staff(context, data_dict)


def lyg_opendata_application_approve(context, data_dict):
    return _deciding_staff(context, data_dict)


def lyg_opendata_application_refuse(context, data_dict):
    return _deciding_staff(context, data_dict)
