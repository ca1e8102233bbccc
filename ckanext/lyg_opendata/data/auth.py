"""Auth functions of the personal-data scan: the dataset's agency and supervisors see
findings; only the agency's editors resolve them or rescan."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.data.model import Finding
from ckanext.lyg_opendata.data import action as actions

# an auth function of the same name for every action
__all__ = [*actions.__all__]

_ = tk._


def _text(data_dict, key: str) -> str:
    value = data_dict.get(key)
    return value if isinstance(value, str) else ""


def _org_of(data_dict) -> str | None:
    """The organization of the finding (``id``), the resource (``resource_id``) or the
    dataset (``package_id``, or ``id`` as ``lyg_opendata_scan_list`` reads it) named, as
    the actions read them."""
    data_dict = data_dict or {}
    pkg = None
    if _text(data_dict, "resource_id"):
        res = model.Resource.get(_text(data_dict, "resource_id"))
        pkg = res.package if res else None
    elif _text(data_dict, "id"):
        f = model.Session.get(Finding, _text(data_dict, "id"))
        pkg = model.Package.get(f.package_id if f else _text(data_dict, "id"))
    elif _text(data_dict, "package_id"):
        pkg = model.Package.get(_text(data_dict, "package_id"))
    return pkg.owner_org if pkg else None


@tk.auth_sysadmins_check
def lyg_opendata_scan_list(context, data_dict):
    user = context.get("user")
    org = _org_of(data_dict)
    if roles.is_supervisor(user) or (org and roles.agency_role(user, org)):
        return {"success": True}
    return {"success": False,
            "msg": _("Only the dataset's data-opening body and supervisors see scan findings")}


def _agency_editor(context, data_dict):
    user = context.get("user")
    obj = roles._user(user)
    if obj is not None and obj.sysadmin:
        return {"success": True}
    org = _org_of(data_dict)
    if org and roles.is_agency_editor(user, org):
        return {"success": True}
    return {"success": False,
            "msg": _("Only the editors of the dataset's data-opening body resolve scan findings")}


@tk.auth_sysadmins_check
def lyg_opendata_scan_finding_dismiss(context, data_dict):
    return _agency_editor(context, data_dict)


@tk.auth_sysadmins_check
def lyg_opendata_scan_run(context, data_dict):
    return _agency_editor(context, data_dict)
