"""Auth functions of the proactive disclosure catalog (roles.py decides who is what).

- search, read a published entry, download its file: everybody;
- read a draft or withdrawn entry: the publishing agency's editors and admins, supervisors;
- enter, change, publish: the publishing agency's editors and admins;
- withdraw: the publishing agency's admins (its head), supervisors.
Sysadmins may do what the agency may (platform operator).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz, roles
from ckanext.lyg_opendata.disclosure import access
from ckanext.lyg_opendata.disclosure.proactive import workflow
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo

_ = tk._

__all__ = [
    "lyg_opendata_govinfo_create",
    "lyg_opendata_govinfo_update",
    "lyg_opendata_govinfo_publish",
    "lyg_opendata_govinfo_withdraw",
    "lyg_opendata_govinfo_show",
    "lyg_opendata_govinfo_search",
    "lyg_opendata_govinfo_file_download",
]

OK, _deny = authz.OK, authz.deny


def _row(data_dict) -> GovInfo | None:
    return authz.row(GovInfo, data_dict)


def lyg_opendata_govinfo_create(context, data_dict):
    if access.may_enter_for(context.get("user"), (data_dict or {}).get("organization")):
        return OK
    return _deny(_("Only the agency's staff can enter its government information"))


def _staff(context, data_dict, msg):
    row = _row(data_dict)
    if row is not None and access.is_agency_staff(context.get("user"), row.organization_id):
        return OK
    return _deny(msg)


def lyg_opendata_govinfo_update(context, data_dict):
    return _staff(context, data_dict, _("Only the publishing agency's staff can change this entry"))


def lyg_opendata_govinfo_publish(context, data_dict):
    return _staff(context, data_dict, _("Only the publishing agency's staff can publish this entry"))


def lyg_opendata_govinfo_withdraw(context, data_dict):
    row = _row(data_dict)
    user = context.get("user")
    if row is not None and (access.is_agency_admin(user, row.organization_id)
                            or roles.is_supervisor(user)):
        return OK
    return _deny(_("Only the publishing agency's head (an admin) and supervisors can withdraw this entry"))


@tk.auth_allow_anonymous_access
def lyg_opendata_govinfo_show(context, data_dict):
    row = _row(data_dict)
    if row is not None and workflow.may_view(context.get("user"), row):
        return OK
    return _deny(_("Not authorized to see this entry"))


@tk.auth_allow_anonymous_access
def lyg_opendata_govinfo_search(context, data_dict):
    return OK


@tk.auth_allow_anonymous_access
def lyg_opendata_govinfo_file_download(context, data_dict):
    return lyg_opendata_govinfo_show(context, data_dict)
