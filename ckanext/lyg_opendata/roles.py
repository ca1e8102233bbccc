"""Who is what. Every auth function asks here; none re-derives it."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk


def _user(user) -> Optional[model.User]:
    if user is None or user == "":
        return None
    if isinstance(user, model.User):
        return user
    if not isinstance(user, str):  # flask-login's current_user proxy, anonymous or not
        if getattr(user, "is_anonymous", False):
            return None
        user = getattr(user, "name", None)
        if not user:
            return None
    return model.User.get(user)


def supervisor_org() -> Optional[model.Group]:
    name = tk.config.get("ckanext.lyg_opendata.supervisor_org")
    return model.Group.get(name) if name else None


def is_supervisor(user) -> bool:
    """Sysadmins, and admins/editors of the supervising organization (市大数据管理局)."""
    obj = _user(user)
    if obj is None:
        return False
    if obj.sysadmin:
        return True
    org = supervisor_org()
    return bool(org) and authz.users_role_for_group_or_org(org.id, obj.name) in ("admin", "editor")


def agency_role(user, org_id: Optional[str]) -> Optional[str]:
    """The user's capacity ("admin", "editor", "member") in the organization, or None."""
    obj = _user(user)
    if obj is None or not org_id:
        return None
    return authz.users_role_for_group_or_org(org_id, obj.name)


def is_agency_editor(user, org_id: Optional[str]) -> bool:
    """Editors and admins of the agency (数据开放主体) that owns a dataset."""
    return agency_role(user, org_id) in ("admin", "editor")


def editable_org_ids(user) -> list[str]:
    """Organizations in which the user may create and edit datasets."""
    obj = _user(user)
    if obj is None:
        return []
    orgs = tk.get_action("organization_list_for_user")(
        {"user": obj.name, "ignore_auth": True}, {"id": obj.id, "permission": "create_dataset"})
    return [o["id"] for o in orgs]
