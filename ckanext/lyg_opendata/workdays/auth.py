"""Auth functions of the calendar actions: anyone reads the calendar and computes
deadlines; sysadmins and supervisors (市大数据管理局) load years."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._


@tk.auth_allow_anonymous_access
def lyg_opendata_calendar_year_list(context, data_dict):
    return {"success": True}


@tk.auth_allow_anonymous_access
def lyg_opendata_calendar_year_show(context, data_dict):
    return {"success": True}


@tk.auth_allow_anonymous_access
def lyg_opendata_workdays_add(context, data_dict):
    return {"success": True}


def lyg_opendata_calendar_year_load(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return {"success": True}
    return {"success": False,
            "msg": _("Only sysadmins and supervisors may load the working-day calendar")}
