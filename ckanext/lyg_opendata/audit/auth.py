"""Auth functions of the access log: the agencies' editors and admins see their own
datasets' records, supervisors and sysadmins all; only they may ask for them unmasked."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

__all__ = ["lyg_opendata_access_log_list"]

_ = tk._


def _asks_unmasked(value) -> bool:
    """The flag as the action's schema reads it (core's boolean_validator, which takes any
    value); this runs before validation (authz.py), where ``asbool`` stopped on an unreadable
    value with a 500."""
    return bool(tk.get_validator("boolean_validator")(value, {}))


def lyg_opendata_access_log_list(context, data_dict):
    user = context.get("user")
    if not user:
        return {"success": False, "msg": _("Log in to see the access log")}
    if roles.is_supervisor(user):
        return {"success": True}
    data_dict = data_dict or {}
    if _asks_unmasked(data_dict.get("unmasked")):
        return {"success": False, "msg": _(
            "Only supervisors and sysadmins may see the access log with personal data")}
    orgs = roles.editable_org_ids(user)
    if not orgs:
        return {"success": False, "msg": _(
            "Only the editors and admins of a data-opening body, supervisors and sysadmins "
            "may see the access log")}
    pkg = model.Package.get(data_dict["package"]) if data_dict.get("package") else None
    org = model.Group.get(data_dict["organization"]) if data_dict.get("organization") else None
    if (pkg is not None and pkg.owner_org not in orgs) or (org is not None and org.id not in orgs):
        return {"success": False, "msg": _(
            "You may only see the access log of your own data-opening body's datasets")}
    return {"success": True}
