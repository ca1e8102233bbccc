"""Auth functions of participation (roles.py decides who is what).

Data requests:
- file one, "+1" one: logged-in users;
- read and list: everyone; a hidden request: supervisors and its requester;
- route to an agency, hide: supervisors;
- claim (认领) a request waiting to be routed: editors and admins of a data-opening body,
  and supervisors;
- answer: the editors and admins of the body it is routed to (sysadmins, as platform
  operator, too);
- add details (需补充说明), withdraw: only the requester (sysadmins included in the rule).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.participation.model import DataRequest
from ckanext.lyg_opendata.participation import action as actions

_ = tk._

# an auth function of the same name for every action
__all__ = [*actions.__all__]

OK, _deny = authz.OK, authz.deny


def _req(data_dict):
    return authz.row(DataRequest, data_dict)


_logged_in = authz.logged_in


def _requester(user, req) -> bool:
    u = roles._user(user)
    return bool(u and req and req.requested_by == u.id)


def lyg_opendata_data_request_create(context, data_dict):
    if not _logged_in(context):
        return _deny(_("Please log in to file a data request"))
    return OK


@tk.auth_allow_anonymous_access
def lyg_opendata_data_request_show(context, data_dict):
    req = _req(data_dict)
    user = context.get("user")
    if req is None or req.status != "hidden":
        return OK  # the action answers 404 for an unknown one
    if roles.is_supervisor(user) or _requester(user, req):
        return OK
    return _deny(_("This data request was hidden by a moderator"))


@tk.auth_allow_anonymous_access
def lyg_opendata_data_request_list(context, data_dict):
    return OK


_supervisors = authz.supervisors_only


def lyg_opendata_data_request_route(context, data_dict):
    return _supervisors(context, data_dict)


def lyg_opendata_data_request_hide(context, data_dict):
    return _supervisors(context, data_dict)


lyg_opendata_data_request_claim = authz.supervisors_or_agencies(
    N_("Only a data-opening body can take up a data request"))


def lyg_opendata_data_request_answer(context, data_dict):
    req = _req(data_dict)
    user = context.get("user")
    u = roles._user(user)
    if u is not None and u.sysadmin:
        return OK
    if req is not None and req.organization_id and roles.is_agency_editor(user, req.organization_id):
        return OK
    return _deny(_("Only the data-opening body the request is routed to may answer it"))


def _requester_only(context, data_dict):
    if _requester(context.get("user"), _req(data_dict)):
        return OK
    return _deny(_("Only the person who filed the request may do this"))


@tk.auth_sysadmins_check
def lyg_opendata_data_request_supplement(context, data_dict):
    return _requester_only(context, data_dict)


@tk.auth_sysadmins_check
def lyg_opendata_data_request_withdraw(context, data_dict):
    return _requester_only(context, data_dict)


def lyg_opendata_data_request_support(context, data_dict):
    if not _logged_in(context):
        return _deny(_("Please log in to support a data request"))
    return OK
