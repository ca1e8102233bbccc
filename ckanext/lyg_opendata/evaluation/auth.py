"""Auth functions of rectification notices (roles.py decides who is what).

- issue, prefill, send back, escalate, close: supervisors;
- respond: the editors and admins of the agency the notice is addressed to (sysadmins, as
  platform operator, too);
- read one: supervisors and the addressed agency's editors and admins;
- list: supervisors (all) and editors/admins of any agency (their own agencies' only);
- scorecards: supervisors (every agency, ranked) and editors/admins of any agency (their own);
- staff filing (Art 35): file — the agency's editors and admins (sysadmins); read one —
  supervisors and the agency's editors and admins; list who has filed — supervisors.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.evaluation import workflow
from ckanext.lyg_opendata.evaluation.model import Rectification
from ckanext.lyg_opendata.evaluation import action as actions

_ = tk._

# an auth function of the same name for every action
__all__ = [*actions.__all__]

from ckanext.lyg_opendata.evaluation.staff import (  # noqa: E402, F401 (auth of staff actions)
    auth_list as lyg_opendata_staff_filing_list, auth_show as lyg_opendata_staff_filing_show,
    auth_submit as lyg_opendata_staff_filing_submit)

OK, _deny = authz.OK, authz.deny


def _row(data_dict):
    return authz.row(Rectification, data_dict)


_supervisors_only = authz.supervisors_only


lyg_opendata_rectification_issue = _supervisors_only
lyg_opendata_rectification_prefill = _supervisors_only
lyg_opendata_rectification_return = _supervisors_only
lyg_opendata_rectification_escalate = _supervisors_only
lyg_opendata_rectification_close = _supervisors_only


def lyg_opendata_rectification_show(context, data_dict):
    row = _row(data_dict)
    if row is None:
        return OK if roles._user(context.get("user")) else _deny(_("Please log in"))
    if workflow.may_read(context.get("user"), row):
        return OK
    return _deny(_("This rectification notice is addressed to another data-opening body"))


def lyg_opendata_rectification_respond(context, data_dict):
    row = _row(data_dict)
    if row is None:
        return OK if roles._user(context.get("user")) else _deny(_("Please log in"))
    if workflow.may_respond(context.get("user"), row):
        return OK
    return _deny(_("Only the data-opening body the notice is addressed to may respond"))


lyg_opendata_rectification_list = authz.supervisors_or_agencies(
    N_("Only supervisors and data-opening bodies see rectification notices"))


lyg_opendata_scorecard_list = authz.supervisors_or_agencies(
    N_("Only supervisors and data-opening bodies see scorecards"))
