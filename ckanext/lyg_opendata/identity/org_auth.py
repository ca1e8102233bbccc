"""Who may use verified organisations and real-name status (roles.py decides who is what):
claim a link: logged-in users; see a link and its letter: its claimant and supervisors;
verify / refuse: supervisors (sysadmins as platform operator); withdraw: the claimant;
an organisation's verified members, staff real-name checks: supervisors; a user's real-name
status: the user and supervisors (agencies see it on the applications they handle)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.identity.org_model import OrgLink
from ckanext.lyg_opendata.identity import org_action as org_action_actions

# an auth function of the same name for every action
__all__ = [*org_action_actions.__all__]

OK = {"success": True}


def _deny(msg: str) -> dict:
    return {"success": False, "msg": msg}


def _link(data_dict):
    value = (data_dict or {}).get("id")
    return model.Session.get(OrgLink, value) if isinstance(value, str) and value else None


def _supervisor_only(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return OK
    return _deny(tk._("Only supervisors may do this"))


def lyg_opendata_org_link_create(context, data_dict):
    if roles._user(context.get("user")) is None:
        return _deny(tk._("Log in to act for an organisation"))
    return OK


def lyg_opendata_org_link_list(context, data_dict):
    if roles._user(context.get("user")) is None:
        return _deny(tk._("Log in to see your organisations"))
    return OK


def lyg_opendata_org_link_show(context, data_dict):
    user = roles._user(context.get("user"))
    link = _link(data_dict)
    if user is not None and link is not None and (link.user_id == user.id or roles.is_supervisor(user)):
        return OK
    return _deny(tk._("Not authorised to see this organisation link"))


@tk.auth_sysadmins_check
def lyg_opendata_org_link_withdraw(context, data_dict):
    user = roles._user(context.get("user"))
    link = _link(data_dict)
    if user is not None and link is not None and link.user_id == user.id:
        return OK
    return _deny(tk._("Only the person who made the link may withdraw it"))


lyg_opendata_org_link_verify = _supervisor_only
lyg_opendata_org_link_refuse = _supervisor_only
lyg_opendata_org_member_list = _supervisor_only
lyg_opendata_real_name_verify = _supervisor_only


def lyg_opendata_real_name_show(context, data_dict):
    user = roles._user(context.get("user"))
    target = roles._user(data_dict.get("user")) if isinstance((data_dict or {}).get("user"), str) else None
    if user is not None and (roles.is_supervisor(user) or (target is not None and target.id == user.id)):
        return OK
    return _deny(tk._("Not authorised to see this user's real-name status"))
