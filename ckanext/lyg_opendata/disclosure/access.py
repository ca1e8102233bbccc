"""Who is who for an application for disclosure (roles.py decides who is an agency's
editor or admin, a supervisor): the applicant, the handling agency, its head, and who sees the
applicant's personal data."""
from __future__ import annotations

from typing import Optional

import ckan.model as model

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

# the verbs only the applicant may use
APPLICANT_ACTIONS = frozenset({"amend", "withdraw"})


def user_obj(user) -> Optional[model.User]:
    return roles._user(user)


is_sysadmin = roles.is_sysadmin


def is_agency_staff(user, org_id: Optional[str]) -> bool:
    """Editors and admins of the agency (sysadmins as operator)."""
    return is_sysadmin(user) or roles.is_agency_editor(user, org_id)


def is_agency_admin(user, org_id: Optional[str]) -> bool:
    """The agency's head: its admins (sysadmins too)."""
    return is_sysadmin(user) or roles.agency_role(user, org_id) == "admin"


def may_enter_for(user, org_ref) -> bool:
    """May enter something for the agency ``org_ref`` (id or name): its editors and admins,
    sysadmins. Before the input is validated (``org_ref`` not an agency) anybody who edits
    for some agency passes: the action checks again with the validated agency."""
    if is_sysadmin(user):
        return True
    org = model.Group.get(org_ref) if isinstance(org_ref, str) and org_ref else None
    if org is not None and org.is_organization:
        return roles.is_agency_editor(user, org.id)
    return bool(roles.editable_org_ids(user))


def is_handling_staff(user, req: DisclosureRequest) -> bool:
    """Editors and admins of the agency the application is with (sysadmins as operator)."""
    return is_agency_staff(user, req.organization_id)


def is_agency_head(user, req: DisclosureRequest) -> bool:
    """The agency's designated head approves an extension: its admins (sysadmins too)."""
    return is_agency_admin(user, req.organization_id)


def is_applicant(user, req: DisclosureRequest) -> bool:
    u = user_obj(user)
    return bool(u) and bool(req.user_id) and req.user_id == u.id


def by_letter(req: DisclosureRequest) -> bool:
    """Registered by the agency from a letter, fax or visit: the applicant has no account, the
    agency records what the applicant sends by post (an amended letter, a withdrawal)."""
    return req.channel != "online" and req.user_id is None


def sees_personal_data(user, req: DisclosureRequest) -> bool:
    return is_applicant(user, req) or is_handling_staff(user, req) or roles.is_supervisor(user)


def may_view(user, req: DisclosureRequest) -> bool:
    """The applicant, the handling agency, supervisors; the agency that transferred it
    away keeps a view of it, without the applicant's personal data."""
    if sees_personal_data(user, req):
        return True
    return bool(req.previous_organization_id) and roles.is_agency_editor(
        user, req.previous_organization_id)


def actor_role(user, req: DisclosureRequest, action: str) -> str:
    if action in APPLICANT_ACTIONS or action == "submit":
        return "applicant"
    if roles.is_agency_editor(user, req.organization_id):
        return "agency"
    return "supervisor" if roles.is_supervisor(user) else "agency"
