"""The password policy: long enough, not the user name, not a common password.

Core's ``user_create`` and ``user_update`` are chained: the new password (``password`` from
the API, ``password1`` from the forms, the password-reset form included) is checked after the
caller's access, before core validates the rest. Errors are field-level and translated.
Core's own rule (8 characters) still applies; ``min_length`` raises it.
"""
from __future__ import annotations

import pathlib
from functools import lru_cache
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity.security import audit

_ = tk._

__all__ = ["user_create", "user_update"]


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = pathlib.Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def problems(password: str, name: Optional[str] = None, email: Optional[str] = None) -> list[str]:
    """What is wrong with ``password`` for the account ``name`` (translated; empty: fine)."""
    out = []
    minimum = int(tk.config.get("ckanext.lyg_opendata.identity.password.min_length"))
    if len(password) < minimum:
        out.append(_("The password must be at least %(n)s characters long") % {"n": minimum})
    low = password.lower()
    for who in (name, (email or "").split("@")[0] if email else None):
        if who and len(who) >= 3 and who.lower() in low:
            out.append(_("The password must not contain the user name or email address"))
            break
    if low in common_passwords() or len(set(low)) <= 2:
        out.append(_("This password is too common; choose another"))
    return out


def _new_password(data_dict: dict) -> tuple[Optional[str], Optional[str]]:
    """(field, value) of the new password in the request, or (None, None)."""
    for field in ("password1", "password"):
        value = data_dict.get(field)
        if isinstance(value, str) and value:
            return field, value
    return None, None


def _check(data_dict: dict, user: Optional[model.User]) -> None:
    field, value = _new_password(data_dict)
    if field is None:
        return
    name = data_dict.get("name") if isinstance(data_dict.get("name"), str) else None
    email = data_dict.get("email") if isinstance(data_dict.get("email"), str) else None
    errors = problems(value, name or (user.name if user else None),
                      email or (user.email if user else None))
    if errors:
        raise tk.ValidationError({field: errors})


@tk.chained_action
def user_create(up, context, data_dict):
    if isinstance(data_dict, dict):
        tk.check_access("user_create", context, data_dict)
        _check(data_dict, None)
    return up(context, data_dict)


@tk.chained_action
def user_update(up, context, data_dict):
    if not isinstance(data_dict, dict):
        return up(context, data_dict)
    ref = data_dict.get("id") or data_dict.get("name")
    user = model.User.get(ref) if isinstance(ref, str) and ref and "\x00" not in ref else None
    was_sysadmin = user.sysadmin if user is not None else None
    if user is not None:
        tk.check_access("user_update", context, data_dict)
        _check(data_dict, user)
    result = up(context, data_dict)
    if user is not None:
        _after_update(context, data_dict, user, was_sysadmin)
    return result


def _after_update(context: dict, data_dict: dict, user: model.User, was_sysadmin: Any) -> None:
    from ckanext.lyg_opendata.identity.security import sessions
    user = model.User.get(user.id)
    changed = []
    if _new_password(data_dict)[0] is not None:
        changed.append(("password_changed", {}))
        sessions.restamp_if_current(user)
    if was_sysadmin is not None and bool(user.sysadmin) != bool(was_sysadmin):
        changed.append(("role_changed", {"action": "sysadmin", "sysadmin": bool(user.sysadmin)}))
    for kind, detail in changed:
        audit.record(kind, user=user, actor=context.get("user"),
                     commit=not context.get("defer_commit"), **detail)
