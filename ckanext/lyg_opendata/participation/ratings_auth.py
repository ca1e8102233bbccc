"""Auth functions of ratings (评价) and of the 社会数据开放主体 mark (Art 27: supervisors mark,
everyone reads).

Ratings: rate — logged-in users who can read the dataset; read —
whoever can read the dataset; hide a comment — supervisors; answer — the editors and admins
of the dataset's agency (sysadmins, as platform operator, too)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.participation.model import Rating
from ckanext.lyg_opendata.participation import ratings as ratings_actions
from ckanext.lyg_opendata.participation import suggestions as suggestions_actions
from ckanext.lyg_opendata.participation import publishers as publishers_actions

_ = tk._

# an auth function of the same name for every action
__all__ = [*ratings_actions.__all__, *suggestions_actions.__all__, *publishers_actions.__all__]

OK, _deny = authz.OK, authz.deny


def _can_read_dataset(context, package_id) -> bool:
    if not isinstance(package_id, str) or not package_id or model.Package.get(package_id) is None:
        return True  # the action answers 404
    return authz.can_read_dataset(context, package_id)


def lyg_opendata_rating_rate(context, data_dict):
    if roles._user(context.get("user")) is None:
        return _deny(_("Please log in to rate a dataset"))
    if not _can_read_dataset(context, (data_dict or {}).get("package_id")):
        return _deny(_("You cannot see this dataset"))
    return OK


@tk.auth_allow_anonymous_access
def lyg_opendata_rating_list(context, data_dict):
    if not _can_read_dataset(context, (data_dict or {}).get("package_id")):
        return _deny(_("You cannot see this dataset"))
    return OK


def lyg_opendata_rating_hide(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return OK
    return _deny(_("Only supervisors may do this"))


def lyg_opendata_rating_answer(context, data_dict):
    user = context.get("user")
    u = roles._user(user)
    if u is not None and u.sysadmin:
        return OK
    rid = (data_dict or {}).get("id")
    row = model.Session.get(Rating, rid) if isinstance(rid, str) and rid else None
    pkg = model.Session.get(model.Package, row.package_id) if row else None
    if pkg is not None and roles.is_agency_editor(user, pkg.owner_org):
        return OK
    return _deny(_("Only the dataset's data-opening body may answer a rating"))


# --- 社会数据开放主体 (Art 27): marked by supervisors, listed for everyone ---------------------

def lyg_opendata_publisher_mark(context, data_dict):
    if roles.is_supervisor(context.get("user")):
        return OK
    return _deny(_("Only supervisors may do this"))


def lyg_opendata_publisher_unmark(context, data_dict):
    return lyg_opendata_publisher_mark(context, data_dict)


@tk.auth_allow_anonymous_access
def lyg_opendata_publisher_list(context, data_dict):
    return OK


# --- suggestions (意见建议): users send, the platform operator answers, supervisors follow ----

def _suggestion(data_dict):
    from ckanext.lyg_opendata.participation.model import Suggestion
    return authz.row(Suggestion, data_dict)


def _operator(user) -> bool:
    from ckanext.lyg_opendata.participation import suggestions
    return suggestions.is_operator(user)


def lyg_opendata_suggestion_create(context, data_dict):
    if roles._user(context.get("user")) is None:
        return _deny(_("Please log in to send a suggestion"))
    return OK


@tk.auth_sysadmins_check
def lyg_opendata_suggestion_show(context, data_dict):
    user = context.get("user")
    row = _suggestion(data_dict)
    u = roles._user(user)
    if row is None:
        return OK if u is not None else _deny(_("Please log in to send a suggestion"))
    if _operator(user) or roles.is_supervisor(user) or (u is not None and row.submitted_by == u.id):
        return OK
    return _deny(_("Only its sender, the platform operator and supervisors read a suggestion"))


def lyg_opendata_suggestion_list(context, data_dict):
    if roles._user(context.get("user")) is None:
        return _deny(_("Please log in to send a suggestion"))
    return OK


def lyg_opendata_suggestion_answer(context, data_dict):
    if _operator(context.get("user")):
        return OK
    return _deny(_("Only the platform operator answers suggestions"))


def lyg_opendata_suggestion_close(context, data_dict):
    user = context.get("user")
    if _operator(user) or roles.is_supervisor(user):
        return OK
    return _deny(_("Only the platform operator and supervisors close suggestions"))
