"""Auth functions of the review workflow: who may do what (roles.py decides who is what)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.catalog import review

_ = tk._


def _pkg(data_dict) -> model.Package | None:
    return model.Package.get((data_dict or {}).get("id") or "")


_deny = authz.deny


def lyg_opendata_review_submit(context, data_dict):
    pkg = _pkg(data_dict)
    user = context.get("user")
    if pkg and roles.is_agency_editor(user, pkg.owner_org):
        return {"success": True}
    if pkg and roles._user(user) and roles._user(user).sysadmin:
        return {"success": True}
    return _deny(_("Only the editors of the dataset's data-opening body can submit it for review"))


def _review(context, data_dict, for_change: bool = False):
    user = context.get("user")
    if not roles.is_supervisor(user):
        return _deny(_("Only supervisors review catalog entries"))
    pkg = _pkg(data_dict)
    if pkg and review.is_four_eyes_violation(user, pkg.id, for_change=for_change):
        return _deny(_("Nobody reviews their own submission: another supervisor must decide"))
    return {"success": True}


@tk.auth_sysadmins_check
def lyg_opendata_review_approve(context, data_dict):
    return _review(context, data_dict)


@tk.auth_sysadmins_check
def lyg_opendata_review_return(context, data_dict):
    return _review(context, data_dict)


@tk.auth_sysadmins_check
def lyg_opendata_review_change_approve(context, data_dict):
    return _review(context, data_dict, for_change=True)


@tk.auth_sysadmins_check
def lyg_opendata_review_change_return(context, data_dict):
    return _review(context, data_dict, for_change=True)


def lyg_opendata_review_withdraw(context, data_dict):
    user = context.get("user")
    pkg = _pkg(data_dict)
    if roles.is_supervisor(user) or (pkg and roles.is_agency_editor(user, pkg.owner_org)):
        return {"success": True}
    return _deny(_("Only supervisors and the dataset's data-opening body can withdraw it"))


def _insider(context, data_dict):
    user = context.get("user")
    pkg = _pkg(data_dict)
    if roles.is_supervisor(user) or (pkg and roles.agency_role(user, pkg.owner_org)):
        return {"success": True}
    return _deny(_("Only supervisors and members of the dataset's data-opening body can see its review"))


def lyg_opendata_review_history(context, data_dict):
    return _insider(context, data_dict)


def lyg_opendata_review_change_show(context, data_dict):
    return _insider(context, data_dict)


def lyg_opendata_review_queue(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return {"success": True}
    return _deny(_("Only supervisors see the review queue"))


def lyg_opendata_review_my_submissions(context, data_dict):
    if roles._user(context.get("user")):
        return {"success": True}
    return _deny(_("Log in to see your submissions"))


@tk.auth_allow_anonymous_access
def lyg_opendata_withdrawal_list(context, data_dict):
    return {"success": True}
