"""Auth functions of disclosure on application (roles.py decides who is what).

- apply online, list one's own: logged-in users;
- register a letter/fax: editors and admins of the agency it is registered for;
- read one: the applicant, the handling agency's editors and admins, supervisors; the agency
  that transferred it away (masked);
- the agency queue: agency editors and admins (their agencies), supervisors (all);
- request an amendment, answer: the handling agency's editors and admins;
- extend: the handling agency's head (admins), once;
- transfer: the handling agency and supervisors;
- amend: the applicant (an application registered from a letter, fax or visit: the handling
  agency records the amended application it received); withdraw: the applicant (a registered
  application: the handling agency records the withdrawal letter it received);
- close as not amended in time (lapse): the platform only (its daily job runs as the site
  user, a sysadmin);
- the answer notice (答复告知书) and the answer's file: applicant, handling agency, supervisors;
  the scanned letter: the handling agency and supervisors.
Sysadmins may do what the handling agency may (platform operator), but not act as the
applicant (``auth_sysadmins_check`` on amend and withdraw).
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.disclosure import access
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.disclosure import action as actions

_ = tk._

# an auth function of the same name for every action, and for the views' checks
__all__ = [
    *actions.__all__,
    "lyg_opendata_disclosure_notice_download",
    "lyg_opendata_disclosure_file_download",
    "lyg_opendata_disclosure_letter_download",
    "lyg_opendata_disclosure_letter_notice_download",
]

OK, _deny = authz.OK, authz.deny


def _req(data_dict) -> DisclosureRequest | None:
    return authz.row(DisclosureRequest, data_dict)


def _user(context):
    return context.get("user")


_logged_in = authz.logged_in


@tk.auth_allow_anonymous_access
def lyg_opendata_disclosure_create(context, data_dict):
    if not _logged_in(context):
        return _deny(_("Log in to apply for the disclosure of government information"))
    return OK


def lyg_opendata_disclosure_register(context, data_dict):
    if access.may_enter_for(_user(context), (data_dict or {}).get("organization")):
        return OK
    return _deny(_("Only the agency's staff can register applications received by letter or fax"))


@tk.auth_allow_anonymous_access
def lyg_opendata_disclosure_show(context, data_dict):
    req = _req(data_dict)
    if req is not None and access.may_view(_user(context), req):
        return OK
    return _deny(_("Not authorized to see this application"))


lyg_opendata_disclosure_queue = authz.supervisors_or_agencies(
    N_("Only agency staff and supervisors see the queue of applications"))


def lyg_opendata_disclosure_my_list(context, data_dict):
    if not _logged_in(context):
        return _deny(_("Log in to see your applications"))
    return OK


def _handling(context, data_dict, msg):
    req = _req(data_dict)
    if req is not None and access.is_handling_staff(_user(context), req):
        return OK
    return _deny(msg)


def lyg_opendata_disclosure_request_correction(context, data_dict):
    return _handling(context, data_dict, _("Only the agency handling the application can ask for an amendment"))


def lyg_opendata_disclosure_answer(context, data_dict):
    return _handling(context, data_dict, _("Only the agency handling the application can answer it"))


def lyg_opendata_disclosure_extend(context, data_dict):
    req = _req(data_dict)
    if req is not None and access.is_agency_head(_user(context), req):
        return OK
    return _deny(_("Only the head (an admin) of the agency handling the application can extend the answer period"))


def lyg_opendata_disclosure_transfer(context, data_dict):
    req = _req(data_dict)
    user = _user(context)
    if req is not None and (access.is_handling_staff(user, req) or roles.is_supervisor(user)):
        return OK
    return _deny(_("Only the agency handling the application and supervisors can transfer it"))


def _applicant(context, data_dict, msg):
    req = _req(data_dict)
    if req is not None and access.is_applicant(_user(context), req):
        return OK
    return _deny(msg)


@tk.auth_sysadmins_check
def lyg_opendata_disclosure_amend(context, data_dict):
    """The applicant; for an application registered from a letter, fax or visit (no account)
    the handling agency records the amended application it received."""
    req = _req(data_dict)
    if req is not None and req.user_id is None and access.is_handling_staff(_user(context), req):
        return OK
    return _applicant(context, data_dict, _("Only the applicant can amend the application"))


@tk.auth_sysadmins_check
def lyg_opendata_disclosure_withdraw(context, data_dict):
    """The applicant; for an application registered from a letter, fax or visit (no account)
    the handling agency records the withdrawal letter it received."""
    req = _req(data_dict)
    if req is not None and access.by_letter(req) and access.is_handling_staff(_user(context), req):
        return OK
    return _applicant(context, data_dict, _("Only the applicant can withdraw the application"))


def lyg_opendata_disclosure_lapse(context, data_dict):
    """Only the platform's daily job (the site user; sysadmins pass before this runs)."""
    return _deny(_("Only the platform closes applications not amended in time"))


@tk.auth_allow_anonymous_access
def lyg_opendata_disclosure_notice_download(context, data_dict):
    req = _req(data_dict)
    if req is not None and access.sees_personal_data(_user(context), req):
        return OK
    return _deny(_("Not authorized to see this application"))


@tk.auth_allow_anonymous_access
def lyg_opendata_disclosure_file_download(context, data_dict):
    return lyg_opendata_disclosure_notice_download(context, data_dict)


@tk.auth_allow_anonymous_access
def lyg_opendata_disclosure_letter_download(context, data_dict):
    req = _req(data_dict)
    user = _user(context)
    if req is not None and (access.is_handling_staff(user, req) or roles.is_supervisor(user)):
        return OK
    return _deny(_("Not authorized to see this application"))


def _org_id(data_dict) -> str | None:
    ref = (data_dict or {}).get("organization")
    org = model.Group.get(ref) if isinstance(ref, str) and ref else None
    return org.id if org is not None else None


def lyg_opendata_disclosure_yearly_report(context, data_dict):
    """Supervisors: any agency and the city; agency editors and admins: their agency's."""
    user = _user(context)
    if roles.is_supervisor(user) or roles.is_agency_editor(user, _org_id(data_dict)):
        return OK
    return _deny(_("Only supervisors see the city's table; agency staff see their agency's"))


def lyg_opendata_disclosure_report_figures_update(context, data_dict):
    """The agency's editors and admins (sysadmins) enter their agency's figures."""
    if access.is_agency_staff(_user(context), _org_id(data_dict)):
        return OK
    return _deny(_("Only the agency's staff enter the figures of its yearly report"))


def lyg_opendata_disclosure_letter_notice_download(context, data_dict):
    """The written notices to post to an applicant who wrote by letter: the handling agency."""
    req = _req(data_dict)
    if req is not None and access.is_handling_staff(_user(context), req):
        return OK
    return _deny(_("Only the agency handling the application prints its notices"))
