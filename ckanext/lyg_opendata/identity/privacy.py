"""PIPL right of access (个人信息保护法 Art 45, issue 20 item 4, first part): a person
downloads what the platform holds about them as JSON (``lyg_opendata_privacy_export``).

Read-only: the profile, organisation memberships, API tokens (names and dates, never the
token), and every row of the extension's tables that names the person as its author or
owner — applications, grants, agreements signed, objections, reports, data requests and
support, ratings, suggestions, disclosure applications, notices, the security log. Secrets
(password hash, TOTP secret, recovery codes) are never exported.

Right to deletion (Art 47): ``lyg_opendata_account_erase`` (erasure.py does it)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.lyg_opendata import roles

_ = tk._

__all__ = ["lyg_opendata_privacy_export", "lyg_opendata_account_erase",
           "lyg_opendata_account_erasure_show"]


def _sources() -> list[tuple[str, Any, str]]:
    from ckanext.lyg_opendata.access.model import Agreement, Application, Grant
    from ckanext.lyg_opendata.disclosure.model import DisclosureComplaint, DisclosureRequest
    from ckanext.lyg_opendata.identity.security.model import SecurityEvent
    from ckanext.lyg_opendata.notify import Notice
    from ckanext.lyg_opendata.objections.model import Objection, Report
    from ckanext.lyg_opendata.participation.model import (
        DataRequest, DataRequestSupport, Rating, Suggestion)
    return [("applications", Application, "user_id"), ("grants", Grant, "user_id"),
            ("agreements_signed", Agreement, "applicant_signed_by"),
            ("objections", Objection, "raised_by"), ("reports", Report, "reported_by"),
            ("data_requests", DataRequest, "requested_by"),
            ("data_requests_supported", DataRequestSupport, "user_id"),
            ("ratings", Rating, "user_id"), ("suggestions", Suggestion, "submitted_by"),
            ("disclosure_applications", DisclosureRequest, "user_id"),
            ("disclosure_complaints", DisclosureComplaint, "user_id"),
            ("notices", Notice, "user_id"), ("security_log", SecurityEvent, "user_id")]


def _value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: _value(getattr(obj, c.key)) for c in sa.inspect(obj).mapper.column_attrs}


def _person(data_dict: Any, context) -> model.User:
    ref = data_dict.get("id") if isinstance(data_dict, dict) else None
    if ref in (None, ""):
        obj = roles._user(context.get("user"))
    else:
        obj = model.User.get(ref) if isinstance(ref, str) and "\x00" not in ref else None
    if obj is None or obj.state == "deleted":
        raise tk.ObjectNotFound(_("User not found"))
    return obj


@tk.side_effect_free
def lyg_opendata_privacy_export(context, data_dict):
    """Everything the platform holds about a person (the person themselves, or a sysadmin).

    :param id: the user's name or id (default: the caller)
    """
    tk.check_access("lyg_opendata_privacy_export", context, data_dict)
    user = _person(data_dict, context)
    profile = {k: _value(getattr(user, k)) for k in (
        "id", "name", "fullname", "email", "about", "image_url", "created", "last_active",
        "state", "sysadmin")}
    memberships = [
        {"organization": g.name, "title": g.title, "capacity": m.capacity}
        for m, g in model.Session.query(model.Member, model.Group).join(
            model.Group, model.Group.id == model.Member.group_id).filter(
            model.Member.table_name == "user", model.Member.table_id == user.id,
            model.Member.state == "active")]
    tokens = [{"name": t.name, "created": _value(t.created_at), "last_access": _value(t.last_access)}
              for t in model.Session.query(model.ApiToken).filter(model.ApiToken.user_id == user.id)]
    out: dict[str, Any] = {"generated": _value(dt.datetime.now(dt.timezone.utc)),
                           "profile": profile, "memberships": memberships, "api_tokens": tokens}
    for key, table, column in _sources():
        rows = model.Session.query(table).filter(getattr(table, column) == user.id).all()
        out[key] = [_row(r) for r in rows]
    return out


def lyg_opendata_account_erase(context, data_dict):
    """Delete an account (PIPL Art 47): personal details erased, the records the law requires
    kept with the person pseudonymised (erasure.py, the privacy notice's retention list). The
    person themselves, or a sysadmin.

    :param id: the user's name or id (default: the caller)
    :param confirm: the account's name, typed again
    :returns: ``{"pseudonym", "counts"}`` (what was erased or pseudonymised, per kind)
    """
    from ckanext.lyg_opendata.identity import erasure
    from ckanext.lyg_opendata.identity.security import audit
    tk.check_access("lyg_opendata_account_erase", context, data_dict)
    user = _person(data_dict, context)
    errors: dict[str, list[str]] = {}
    confirm = data_dict.get("confirm")
    if not isinstance(confirm, str) or confirm.strip() != user.name:
        errors["confirm"] = [_("Type the account's name (%(name)s) to confirm the deletion")
                             % {"name": user.name}]
    if user.sysadmin:
        errors["id"] = [_("A sysadmin account cannot be deleted: remove its sysadmin right "
                          "first.")]
    else:
        still_open = erasure.open_procedures(user.id)
        if still_open:
            errors["id"] = [_("Applications of this account are still being handled "
                              "(%(applications)s for conditional data, %(disclosure)s for "
                              "disclosure): withdraw them or wait for the answer first.")
                            % {"applications": still_open.get("applications", 0),
                               "disclosure": still_open.get("disclosure", 0)}]
    if errors:
        raise tk.ValidationError(errors)
    actor = roles._user(context.get("user"))
    by_self = actor is not None and actor.id == user.id
    result = erasure.erase(user, actor)
    # each membership ended: one removed role in the security log, as member_delete records
    # it (under the pseudonym; in this transaction)
    audit_context = {"user": actor, "defer_commit": True}
    for group_id, capacity in result.pop("memberships_ended"):
        group = model.Group.get(group_id)
        if group is not None:
            audit.record_membership(audit_context, "account_erase", group, user, capacity, None)
    audit.record("account_erased", user=user, actor=None if by_self else actor, commit=False,
                 by_self=by_self, **result["counts"])
    if not context.get("defer_commit"):
        model.repo.commit()
    return result


@tk.side_effect_free
def lyg_opendata_account_erasure_show(context, data_dict):
    """The record of one erasure, for sysadmins: when, by whom (the person themselves or
    which sysadmin), the pseudonym, and per kind how many rows were erased or kept
    pseudonymised — from the security log's ``account_erased`` entry (counts and the
    pseudonym only: no personal data).

    :param id: the id of the ``account_erased`` entry
    """
    from ckanext.lyg_opendata.identity import erasure
    from ckanext.lyg_opendata.identity.security.model import SecurityEvent
    tk.check_access("lyg_opendata_account_erasure_show", context, data_dict)
    ref = data_dict.get("id") if isinstance(data_dict, dict) else None
    if ref in (None, ""):
        raise tk.ValidationError({"id": [_("Missing value")]})
    row = model.Session.get(SecurityEvent, ref) \
        if isinstance(ref, str) and "\x00" not in ref and len(ref) <= 100 else None
    if row is None or row.kind != "account_erased":
        raise tk.ObjectNotFound(_("Erasure not found"))
    detail = row.detail or {}
    user = model.Session.get(model.User, row.user_id) if row.user_id else None
    actor = model.Session.get(model.User, row.actor_id) if row.actor_id else None
    counts = []
    for treatment, labels in (("erased", erasure.ERASED_COUNTS), ("kept", erasure.KEPT_COUNTS)):
        for key, label in labels.items():
            n = detail.get(key)
            if isinstance(n, int) and not isinstance(n, bool) and n > 0:
                counts.append({"key": key, "label": _(label), "count": n,
                               "treatment": treatment,
                               "treatment_label": _("Erased") if treatment == "erased"
                               else _("Kept, pseudonymised")})
    return {"id": row.id, "created": row.created.isoformat(),
            "by_self": bool(detail.get("by_self")),
            "by": None if detail.get("by_self") else (actor.name if actor else None),
            "pseudonym": user.name if user is not None else row.login,
            "counts": counts}


def auth_erasure_show(context, data_dict=None):
    """Sysadmins only (as the security log)."""
    caller = roles._user(context.get("user"))
    if caller is not None and caller.sysadmin:
        return {"success": True}
    return {"success": False, "msg": _("Only sysadmins may read the record of an erasure")}


def auth_export(context, data_dict=None):
    caller = roles._user(context.get("user"))
    if caller is None:
        return {"success": False, "msg": _("Please log in")}
    if caller.sysadmin:
        return {"success": True}
    ref = (data_dict or {}).get("id") if isinstance(data_dict, dict) else None
    if ref in (None, "") or ref in (caller.id, caller.name):
        return {"success": True}
    return {"success": False, "msg": _("Only the person themselves may download their data")}


def auth_erase(context, data_dict=None):
    """The person themselves, or a sysadmin."""
    caller = roles._user(context.get("user"))
    if caller is None:
        return {"success": False, "msg": _("Please log in")}
    if caller.sysadmin:
        return {"success": True}
    ref = (data_dict or {}).get("id") if isinstance(data_dict, dict) else None
    if ref in (None, "") or ref in (caller.id, caller.name):
        return {"success": True}
    return {"success": False, "msg": _("Only the person themselves or a sysadmin may delete an "
                                       "account")}
