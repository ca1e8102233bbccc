"""Auth functions of the showcase's actions (registered under the actions' names in
``registry.py``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.showcase.logic import get, is_submitter

_ = tk._


def _signed_in(context) -> bool:
    return roles._user(context.get("user")) is not None


def auth_create(context, data_dict):
    if not _signed_in(context):
        return {"success": False, "msg": _("Sign in to submit a use of open data")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def auth_show(context, data_dict):
    row = get((data_dict or {}).get("id"))
    user = context.get("user")
    if row.status == "published" or is_submitter(user, row) or roles.is_supervisor(user):
        return {"success": True}
    return {"success": False, "msg": _("This showcase entry is not published")}


@tk.auth_allow_anonymous_access
def auth_list(context, data_dict):
    return {"success": True}


def auth_update(context, data_dict):
    row = get((data_dict or {}).get("id"))
    if is_submitter(context.get("user"), row):
        return {"success": True}
    return {"success": False, "msg": _("Only its submitter changes a showcase entry")}


def auth_review(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": _("Only supervisors review showcase entries")}


def auth_withdraw(context, data_dict):
    row = get((data_dict or {}).get("id"))
    user = context.get("user")
    if is_submitter(user, row) or roles.is_supervisor(user):
        return {"success": True}
    return {"success": False, "msg": _("Only its submitter or a supervisor withdraws a showcase entry")}


