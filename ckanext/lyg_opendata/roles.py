"""Who is what. Every auth function asks here; none re-derives it.

Per request, each user's roles are computed once (``viewer``): the user row, the capacities
in organizations (one query), the supervising organization and the organizations the user
may edit are kept in a ``Viewer`` on flask's ``g``, for that request only (the cache
remembers the request it belongs to, so a later request — or a worker — never sees it).
Whatever writes a membership, a user or an organization in the request empties the cache
at the next flush (``_forget_on_flush``), so a role granted or taken away is seen at once.
Outside a request (the CLI, background jobs) nothing is cached."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

_G_KEY = "_lyg_viewers"
EDIT_CAPACITIES = ("admin", "editor")


def _cache() -> Optional[dict]:
    """This request's viewers by user name, or None outside a request."""
    import flask
    if not flask.has_request_context():
        return None
    environ = flask.request.environ
    cache = flask.g.get(_G_KEY)
    if cache is None or cache.get("environ") is not environ:
        cache = {"environ": environ, "viewers": {}}
        setattr(flask.g, _G_KEY, cache)
    return cache["viewers"]


def forget() -> None:
    """Drop this request's viewers (after a membership, user or organization changed)."""
    import flask
    if flask.has_app_context() and flask.g.get(_G_KEY) is not None:
        flask.g.pop(_G_KEY, None)


_WATCHED = (model.Member, model.User, model.Group)


@sa.event.listens_for(sa.orm.Session, "after_flush")
def _forget_on_flush(session, _flush_context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _WATCHED):
            forget()
            return


class Viewer:
    """A user's roles, computed once (see the module's docstring). Holds ids and names
    only, never ORM rows (the request's session may be removed before the cache is)."""

    def __init__(self, user: model.User):
        self.id: str = user.id
        self.name: str = user.name
        self.sysadmin: bool = bool(user.sysadmin)
        self._capacities: Optional[dict[str, str]] = None
        self._group_ids: dict[str, str] = {}
        self._supervisor: Optional[bool] = None
        self._editable: Optional[list[str]] = None

    def capacities(self) -> dict[str, str]:
        """{organization or group id and name: the user's capacity} (active memberships)."""
        if self._capacities is None:
            rows = model.Session.query(
                model.Member.group_id, model.Group.name, model.Member.capacity).join(
                model.Group, model.Group.id == model.Member.group_id).filter(
                model.Member.table_name == "user", model.Member.state == "active",
                model.Member.table_id == self.id).all()
            caps: dict[str, str] = {}
            for group_id, name, capacity in rows:
                caps.setdefault(group_id, capacity)
                caps.setdefault(name, capacity)
                self._group_ids[name] = group_id
            self._capacities = caps
        return self._capacities

    def group_id(self, name: str) -> Optional[str]:
        """The id of the organization or group called ``name``, if the user is a member."""
        self.capacities()
        return self._group_ids.get(name)

    def role_in(self, org_id: Optional[str]) -> Optional[str]:
        """What ``authz.users_role_for_group_or_org`` answers, from ``capacities``."""
        if not org_id:
            return None
        return self.capacities().get(org_id)

    @property
    def is_supervisor(self) -> bool:
        if self._supervisor is None:
            if self.sysadmin:
                self._supervisor = True
            else:
                name = tk.config.get("ckanext.lyg_opendata.supervisor_org")
                self._supervisor = bool(name) and self.role_in(name) in EDIT_CAPACITIES
        return self._supervisor

    def editable_org_ids(self) -> list[str]:
        if self._editable is None:
            orgs = tk.get_action("organization_list_for_user")(
                {"user": self.name, "ignore_auth": True},
                {"id": self.id, "permission": "create_dataset"})
            self._editable = [o["id"] for o in orgs]
        return list(self._editable)


def _current_user_object() -> Optional[model.User]:
    """The request's signed-in user row when it belongs to the current session (no query)."""
    import flask
    if not flask.has_request_context():
        return None
    current = tk.current_user
    if getattr(current, "is_anonymous", True):
        return None
    obj = current._get_current_object() if hasattr(current, "_get_current_object") else current
    if isinstance(obj, model.User) and obj in model.Session:
        return obj
    return None


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
    current = _current_user_object()
    if current is not None and user in (current.name, current.id):
        return current
    return model.User.get(user)


def viewer(user: Any = None) -> Optional[Viewer]:
    """The user's roles (``tk.current_user`` when ``user`` is None), once per request."""
    if user is None:
        user = tk.current_user
    if isinstance(user, model.User):
        key = user.name
    elif isinstance(user, str):
        key = user
    else:
        key = None if getattr(user, "is_anonymous", False) else getattr(user, "name", None)
    if not key:
        return None
    cache = _cache()
    if cache is not None and key in cache:
        return cache[key]
    obj = _user(user)
    found = Viewer(obj) if obj is not None else None
    if cache is not None:
        cache[key] = found
        if found is not None:
            cache[found.id] = found
            cache[found.name] = found
    return found


def supervisor_org() -> Optional[model.Group]:
    name = tk.config.get("ckanext.lyg_opendata.supervisor_org")
    return model.Group.get(name) if name else None


def is_sysadmin(user) -> bool:
    """Sysadmins (the platform operator)."""
    v = viewer(user) if user else None
    return bool(v and v.sysadmin)


def is_supervisor(user) -> bool:
    """Sysadmins, and admins/editors of the supervising organization (市大数据管理局)."""
    v = viewer(user) if user else None
    return bool(v and v.is_supervisor)


def agency_role(user, org_id: Optional[str]) -> Optional[str]:
    """The user's capacity ("admin", "editor", "member") in the organization, or None."""
    if not org_id:
        return None
    v = viewer(user) if user else None
    return v.role_in(org_id) if v else None


def is_agency_editor(user, org_id: Optional[str]) -> bool:
    """Editors and admins of the agency (数据开放主体) that owns a dataset."""
    return agency_role(user, org_id) in EDIT_CAPACITIES


def editable_org_ids(user) -> list[str]:
    """Organizations in which the user may create and edit datasets."""
    v = viewer(user) if user else None
    return v.editable_org_ids() if v else []
