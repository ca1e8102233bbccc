"""Authorise before validating (issue 11 finding 8), for every ``lyg_opendata_*`` action.

CKAN core finds the object (404), checks access (403), then validates (409). The
extension's actions validated first, so a caller without the right learned the field rules.
``authorize_first`` wraps each registered action: the object named by ``id`` is looked up
(an unknown one: 404, as before), the action's auth function decides on the request as sent
(``raw_view``: only what an auth function can read safely), and only then does the action
validate (and check again, on the validated values). A NUL character, which PostgreSQL
refuses in any text, or an identifier (``id``, ``*_id``) that is not text is a field error
for whoever may call the action (``inputs.input_errors``).
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, Optional

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.inputs import input_errors

_ = tk._


# --- the pieces of every auth function (roles.py says who is who) -------------------------

OK = {"success": True}


def deny(msg: str) -> dict:
    return {"success": False, "msg": msg}


def row(model_class: Any, data_dict: Any) -> Any:
    """The row named by ``data_dict["id"]``, or None (the action answers 404 for it)."""
    from ckanext.lyg_opendata import workflow
    return workflow.find(model_class, (data_dict or {}).get("id"))


def logged_in(context: dict) -> bool:
    from ckanext.lyg_opendata import roles
    return roles._user(context.get("user")) is not None


def can_read_dataset(context: dict, package_id: Any) -> bool:
    """Whether the caller may see the dataset (core's ``package_show`` auth)."""
    import ckan.model as model
    try:
        tk.check_access("package_show", {"user": context.get("user"), "model": model},
                        {"id": package_id})
        return True
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False


def supervisors_only(context: dict, data_dict: Any = None) -> dict:
    from ckanext.lyg_opendata import roles
    if roles.is_supervisor(context.get("user")):
        return OK
    return deny(_("Only supervisors may do this"))


def supervisors_or_agencies(message: str) -> Callable[..., dict]:
    """An auth function: supervisors and whoever edits for a data-opening body pass; anybody
    else is refused with ``message`` (marked with ``N_``, translated when refused)."""
    def auth(context: dict, data_dict: Any = None) -> dict:
        from ckanext.lyg_opendata import roles
        user = context.get("user")
        if roles.is_supervisor(user) or roles.editable_org_ids(user):
            return OK
        return deny(_(message))
    return auth


def raw_view(data_dict: Any) -> dict[str, Any]:
    """The request as an auth function may read it before validation: a dict; text with a
    NUL character, or an ``id``-like value that is not text, reads as absent."""
    if not isinstance(data_dict, dict):
        return {}
    view: dict[str, Any] = {}
    for key, value in data_dict.items():
        if isinstance(value, str) and "\x00" in value:
            continue
        if (key == "id" or key.endswith("_id") or key in ("organization", "package")) and \
                value is not None and not isinstance(value, str):
            continue
        view[key] = value
    return view


def authorize_first(auth_name: str, find: Optional[Callable[[str], Any]] = None):
    def wrap(action):
        @functools.wraps(action)
        def wrapper(context, data_dict):
            raw = raw_view(data_dict)
            if find is not None and isinstance(raw.get("id"), str) and raw["id"]:
                find(raw["id"])
            tk.check_access(auth_name, context, raw)
            errors = input_errors(data_dict, identifiers=("organization", "package"))
            if errors:
                raise tk.ValidationError(errors)
            return action(context, data_dict)
        return wrapper
    return wrap


def authorizing_first(actions: dict[str, Any],
                      finders: Mapping[str, Callable[[str], Any]]) -> dict[str, Any]:
    """The actions, each ``lyg_opendata_*`` one wrapped in ``authorize_first``; ``finders``:
    the function that finds the row an action's ``id`` names (registry.py)."""
    return {name: authorize_first(name, finders.get(name))(action)
            if name.startswith("lyg_opendata_") else action
            for name, action in actions.items()}
