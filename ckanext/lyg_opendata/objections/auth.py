"""Auth functions of objections and reports (roles.py decides who is what).

- raise an objection or a report: logged-in users (anonymous visitors are asked to log in);
- read objections: whoever may read the dataset; hidden ones: supervisors and their raiser;
- accept, reject, answer: the editors and admins of the agency it is routed to (sysadmins,
  as platform operator, too); an escalated objection is answered by supervisors;
- dispute: only the person who raised it (sysadmins included in the rule);
- moderation (hide, merge, reassign, close, return to the agency): supervisors;
- withdraw the dataset on a privacy objection: the dataset's agency and supervisors;
- evidence: the raiser, the agency and supervisors; reports: supervisors and the dataset's
  agency (and the reporter for their own).
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.objections.model import Objection, Report
from ckanext.lyg_opendata.objections import action as actions
from ckanext.lyg_opendata.objections import withdrawal as withdrawal_actions
from ckanext.lyg_opendata.objections import queues as queues_actions
from ckanext.lyg_opendata.objections import reports as reports_actions

_ = tk._

# an auth function of the same name for every action, and for the views' checks
__all__ = [
    *actions.__all__, *withdrawal_actions.__all__, *queues_actions.__all__, *reports_actions.__all__,
    "lyg_opendata_objection_evidence_download",
]

OK, _deny = authz.OK, authz.deny


def _obj(data_dict) -> Objection | None:
    return authz.row(Objection, data_dict)


_logged_in = authz.logged_in
_can_read_dataset = authz.can_read_dataset


def _agency_staff(user, obj) -> bool:
    return bool(obj) and roles.is_agency_editor(user, obj.organization_id)


def _owner_staff(user, obj) -> bool:
    pkg = model.Session.get(model.Package, obj.package_id) if obj else None
    return bool(pkg) and roles.is_agency_editor(user, pkg.owner_org)


def _raiser(user, obj) -> bool:
    u = roles._user(user)
    return bool(u and obj and obj.raised_by == u.id)


def lyg_opendata_objection_create(context, data_dict):
    if not _logged_in(context):
        return _deny(_("Please log in to raise an objection"))
    package_id = (data_dict or {}).get("package_id")
    if isinstance(package_id, str) and package_id and model.Package.get(package_id) is None:
        return OK  # the action answers 404 (not found), as package_show does
    if not _can_read_dataset(context, package_id):
        return _deny(_("You cannot see this dataset"))
    return OK


@tk.auth_allow_anonymous_access
def lyg_opendata_objection_show(context, data_dict):
    obj = _obj(data_dict)
    user = context.get("user")
    if obj is None:
        return OK  # the action answers 404
    if roles.is_supervisor(user) or _raiser(user, obj):
        return OK
    if obj.status == "hidden":
        return _deny(_("This objection was hidden by a moderator"))
    if _agency_staff(user, obj) or _owner_staff(user, obj) or _can_read_dataset(context, obj.package_id):
        return OK
    return _deny(_("You cannot see this dataset"))


@tk.auth_allow_anonymous_access
def lyg_opendata_objection_list(context, data_dict):
    if _can_read_dataset(context, (data_dict or {}).get("package_id")):
        return OK
    return _deny(_("You cannot see this dataset"))


def _agency_decides(context, data_dict):
    obj = _obj(data_dict)
    if _agency_staff(context.get("user"), obj):
        return OK
    return _deny(_("Only the data-opening body the objection is routed to can handle it"))


def lyg_opendata_objection_accept(context, data_dict):
    return _agency_decides(context, data_dict)


def lyg_opendata_objection_reject(context, data_dict):
    return _agency_decides(context, data_dict)


def lyg_opendata_objection_answer(context, data_dict):
    obj = _obj(data_dict)
    user = context.get("user")
    if obj is not None and obj.status == "escalated":
        if roles.is_supervisor(user):
            return OK
        return _deny(_("An escalated objection is answered by the supervisors"))
    return _agency_decides(context, data_dict)


@tk.auth_sysadmins_check
def lyg_opendata_objection_dispute(context, data_dict):
    if _raiser(context.get("user"), _obj(data_dict)):
        return OK
    return _deny(_("Only the person who raised the objection can dispute its answer"))


def _moderator(context, data_dict=None):
    if roles.is_supervisor(context.get("user")):
        return OK
    return _deny(_("Only supervisors moderate objections"))


def lyg_opendata_objection_return_to_agency(context, data_dict):
    return _moderator(context)


def lyg_opendata_objection_hide(context, data_dict):
    return _moderator(context)


def lyg_opendata_objection_merge(context, data_dict):
    return _moderator(context)


def lyg_opendata_objection_reassign(context, data_dict):
    return _moderator(context)


def lyg_opendata_objection_close(context, data_dict):
    return _moderator(context)


def lyg_opendata_objection_withdraw_dataset(context, data_dict):
    user = context.get("user")
    if roles.is_supervisor(user) or _owner_staff(user, _obj(data_dict)):
        return OK
    return _deny(_("Only supervisors and the dataset's data-opening body can withdraw it"))


def lyg_opendata_objection_affected_users(context, data_dict):
    user = context.get("user")
    obj = _obj(data_dict)
    if roles.is_supervisor(user) or _agency_staff(user, obj) or _owner_staff(user, obj):
        return OK
    return _deny(_("Only supervisors and the data-opening body see who used the data"))


def lyg_opendata_objection_evidence_download(context, data_dict):
    user = context.get("user")
    obj = _obj(data_dict)
    if roles.is_supervisor(user) or _agency_staff(user, obj) or _owner_staff(user, obj) \
            or _raiser(user, obj):
        return OK
    return _deny(_("Only the data-opening body, supervisors and the person who raised the "
                   "objection can open its attachment"))


lyg_opendata_objection_queue = authz.supervisors_or_agencies(
    N_("Only data-opening bodies and supervisors have an objection queue"))


def lyg_opendata_objection_my_list(context, data_dict):
    if _logged_in(context):
        return OK
    return _deny(_("Please log in to see your objections"))


def lyg_opendata_report_create(context, data_dict):
    if not _logged_in(context):
        return _deny(_("Please log in to make a report"))
    package_id = (data_dict or {}).get("package_id")
    if package_id and not _can_read_dataset(context, package_id):
        return _deny(_("You cannot see this dataset"))
    return OK


def _report(data_dict) -> Report | None:
    return authz.row(Report, data_dict)


def lyg_opendata_report_show(context, data_dict):
    user = context.get("user")
    report = _report(data_dict)
    if report is None:
        return OK  # the action answers 404
    u = roles._user(user)
    if roles.is_supervisor(user) or (report.organization_id and roles.is_agency_editor(
            user, report.organization_id)) or (u and report.reported_by == u.id):
        return OK
    return _deny(_("Reports are seen by supervisors and the data-opening body concerned only"))


lyg_opendata_report_list = authz.supervisors_or_agencies(
    N_("Reports are seen by supervisors and the data-opening body concerned only"))


def lyg_opendata_report_update(context, data_dict):
    user = context.get("user")
    report = _report(data_dict)
    if roles.is_supervisor(user) or (report and report.organization_id and roles.is_agency_editor(
            user, report.organization_id)):
        return OK
    return _deny(_("Reports are handled by supervisors and the data-opening body concerned"))


def lyg_opendata_report_my_list(context, data_dict):
    if _logged_in(context):
        return OK
    return _deny(_("Please log in to see your reports"))
