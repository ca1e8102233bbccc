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


def is_sysadmin(user) -> bool:
    u = user_obj(user)
    return bool(u) and u.sysadmin


def is_handling_staff(user, req: DisclosureRequest) -> bool:
    """Editors and admins of the agency the application is with (sysadmins as operator)."""
    return is_sysadmin(user) or roles.is_agency_editor(user, req.organization_id)


def is_agency_head(user, req: DisclosureRequest) -> bool:
    """The agency's designated head approves an extension: its admins (sysadmins too)."""
    return is_sysadmin(user) or roles.agency_role(user, req.organization_id) == "admin"


def is_applicant(user, req: DisclosureRequest) -> bool:
    u = user_obj(user)
    return bool(u) and bool(req.user_id) and req.user_id == u.id


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
