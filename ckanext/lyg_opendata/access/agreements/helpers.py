"""Template helpers of agreements, grants and usage reports."""
from __future__ import annotations

from typing import Optional

import ckan.plugins.toolkit as tk

import ckan.model as model

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.model import Agreement, Application

__all__ = [
    "lyg_opendata_grant_status_label",
    "lyg_opendata_report_status_label",
    "lyg_opendata_may_see_agency_grants",
    "lyg_opendata_has_agreements",
]


def N_(msgid: str) -> str:
    return msgid


GRANT_STATUS = {
    "pending": N_("Not begun"),
    "active": N_("Valid"),
    "expired": N_("Expired"),
    "revoked": N_("Revoked"),
}

REPORT_STATUS = {
    "upcoming": N_("Period not ended"),
    "due": N_("Due"),
    "overdue": N_("Overdue"),
    "submitted": N_("Submitted"),
}


def lyg_opendata_grant_status_label(status: Optional[str]) -> str:
    return tk._(GRANT_STATUS[status]) if status in GRANT_STATUS else (status or "")


def lyg_opendata_report_status_label(status: Optional[str]) -> str:
    return tk._(REPORT_STATUS[status]) if status in REPORT_STATUS else (status or "")


def lyg_opendata_may_see_agency_grants() -> bool:
    """Editors and admins of an agency, and supervisors: the agency grants page."""
    user = tk.current_user
    if not getattr(user, "is_authenticated", False):
        return False
    return roles.is_supervisor(user) or bool(roles.editable_org_ids(user))


def lyg_opendata_has_agreements() -> bool:
    """Whether the signed-in user has an agreement (to sign or signed): "My grants" in
    the navigation."""
    user = roles._user(tk.current_user)
    if user is None:
        return False
    return model.Session.query(Agreement.id).join(
        Application, Application.id == Agreement.application_id).filter(
        Application.user_id == user.id).first() is not None
