"""Who may act on evaluation reports: supervisors generate, edit, publish and discard them;
anybody reads the published ones and the list."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz, roles
from ckanext.lyg_opendata.evaluation.model import EvaluationReport

_ = tk._

auth_generate = authz.supervisors_only
auth_update = authz.supervisors_only
auth_publish = authz.supervisors_only
auth_discard = authz.supervisors_only


def auth_show(context, data_dict):
    row = authz.row(EvaluationReport, data_dict)
    if row is None or row.status == "published" or roles.is_supervisor(context.get("user")):
        return authz.OK
    return authz.deny(_("This evaluation report is not published"))


def auth_list(context, data_dict):
    return authz.OK


auth_list = tk.auth_allow_anonymous_access(auth_list)
auth_show = tk.auth_allow_anonymous_access(auth_show)

