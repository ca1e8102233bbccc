"""Auth function of the overdue list: supervisors see every agency's overdue entries; an
agency's editors and admins see their own."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._


def lyg_opendata_overdue_list(context, data_dict):
    user = context.get("user")
    if roles.is_supervisor(user):
        return {"success": True}
    org_id = (data_dict or {}).get("organization")
    if org_id and roles.is_agency_editor(user, org_id):
        return {"success": True}
    return {"success": False,
            "msg": _("Only supervisors, and the editors of a data-opening body for its own "
                     "entries, see the overdue list")}
