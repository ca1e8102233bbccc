"""Template helpers of the application workflow."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, roles
from ckanext.lyg_opendata.access.applications import visibility
from ckanext.lyg_opendata.access.applications import workflow as app_workflow

__all__ = [
    "lyg_opendata_application_for_dataset",
    "lyg_opendata_can_apply",
    "lyg_opendata_application_status_label",
    "lyg_opendata_application_action_label",
    "lyg_opendata_applicant_type_label",
    "lyg_opendata_unread_notices",
    "lyg_opendata_applications_waiting",
    "lyg_opendata_local_path",
]


def _user() -> Optional[model.User]:
    if not tk.current_user or not tk.current_user.is_authenticated:
        return None
    return roles._user(tk.current_user.name)


def lyg_opendata_application_for_dataset(package_id: str) -> Optional[dict[str, Any]]:
    """The current user's latest application for the dataset (id, status, label), if any."""
    user = _user()
    if user is None or not package_id:
        return None
    app = app_workflow.latest_application(user.id, package_id)
    if app is None:
        return None
    return {"id": app.id, "status": app.status, "status_label": app_workflow.status_label(app.status),
            "open": app.status in app_workflow.OPEN}


def lyg_opendata_can_apply(pkg: dict[str, Any]) -> bool:
    """Whether the dataset takes applications and the current user (or, anonymous, a user
    who logs in) may apply: not members of the dataset's own agency."""
    obj = model.Package.get(pkg.get("id") or "")
    if obj is None or not app_workflow.is_applicable(obj):
        return False
    user = _user()
    if user is None:
        return True
    return user.sysadmin is False and roles.agency_role(user, obj.owner_org) is None


def lyg_opendata_application_status_label(status: str) -> str:
    return app_workflow.status_label(status)


def lyg_opendata_application_action_label(action: str) -> str:
    return app_workflow.action_label(action)


def lyg_opendata_applicant_type_label(kind: str) -> str:
    return app_workflow.applicant_type_label(kind)


def lyg_opendata_unread_notices() -> int:
    user = _user()
    return notify.unread_count(user.id) if user else 0


def lyg_opendata_applications_waiting() -> int:
    """Applications waiting for a decision by the agencies the current user edits for."""
    user = _user()
    return visibility.count_open_for_staff(user) if user else 0


def lyg_opendata_local_path(url: str) -> str:
    """The path (and query) of one of the portal's own absolute links, for a local redirect."""
    from urllib.parse import urlsplit
    parts = urlsplit(url or "")
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")
