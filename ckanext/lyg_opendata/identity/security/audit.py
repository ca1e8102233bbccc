"""The sysadmins' audit list of account security: sign-ins, failed sign-ins, lock-outs,
API tokens created and revoked, role and password changes, second factors.

Entries are written by the receivers of CKAN's signals (``user_logged_in``,
``failed_login``, ``action_succeeded``), by the chained ``member_create``, ``member_delete``
and ``user_delete`` (memberships added, removed or their role changed — every path of the
API and the pages goes through them) and by the sign-in steps of this package; the list is
the action ``lyg_opendata_security_event_list`` (sysadmins only) and the page
``/ckan-admin/security-events``."""
from __future__ import annotations

import logging
from typing import Any, Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.identity.security.model import SecurityEvent

log = logging.getLogger(__name__)
_ = tk._

__all__ = ["lyg_opendata_security_event_list", "api_token_revoke", "member_create",
           "member_delete", "user_delete"]

KINDS = {
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Failed sign-in"),
    "locked": N_("Locked out after failed sign-ins"),
    "sign_in_refused_locked": N_("Sign-in refused: locked out"),
    "second_factor_failed": N_("Wrong second-factor code"),
    "recovery_code_used": N_("Signed in with a recovery code"),
    "totp_enrolled": N_("Second factor set up"),
    "totp_removed": N_("Second factor removed"),
    "token_created": N_("API token created"),
    "token_revoked": N_("API token revoked"),
    "password_changed": N_("Password changed"),
    "role_changed": N_("Role changed"),
    "account_erased": N_("Account erased (personal data deleted)"),
}


def kind_label(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


def client_address() -> Optional[str]:
    try:
        return tk.request.remote_addr
    except (RuntimeError, AttributeError):  # outside a request (CLI, jobs)
        return None


def record(kind: str, user: Optional[model.User] = None, login: Optional[str] = None,
           actor: Any = None, commit: bool = True, **detail: Any) -> SecurityEvent:
    """Add an entry; ``commit=False`` inside an action's or receiver's transaction."""
    actor_obj = roles._user(actor) if actor else None
    event = SecurityEvent(kind=kind, user_id=user.id if user else None,
                          login=login if login is not None else (user.name if user else None),
                          actor_id=actor_obj.id if actor_obj else None,
                          address=client_address(), detail=detail)
    model.Session.add(event)
    if commit:
        model.Session.commit()
    return event


# CKAN's own words for the member capacities
_CAPACITIES = {"admin": "Admin", "editor": "Editor", "member": "Member"}


def _capacity(code: Any) -> str:
    return _(_CAPACITIES[code]) if code in _CAPACITIES else str(code or "")


def summary(kind: str, detail: dict) -> str:
    """What a role change or an erasure was, in words (the page's "Details")."""
    if kind == "account_erased":
        from ckanext.lyg_opendata.identity import erasure
        return erasure.erasure_summary(detail)
    if kind != "role_changed":
        return ""
    if detail.get("action") == "sysadmin":
        return _("Sysadmin right granted") if detail.get("sysadmin") else \
            _("Sysadmin right removed")
    values = {"group": detail.get("group_title") or detail.get("group") or "",
              "capacity": _capacity(detail.get("capacity")),
              "previous": _capacity(detail.get("previous"))}
    change = detail.get("change")
    if change == "added":
        return _("%(group)s: added as %(capacity)s") % values
    if change == "removed":
        return _("%(group)s: removed (was %(previous)s)") % values
    if change == "changed":
        return _("%(group)s: %(previous)s changed to %(capacity)s") % values
    return values["group"]


def event_dict(row: SecurityEvent, users: dict[str, model.User]) -> dict[str, Any]:
    user = users.get(row.user_id) if row.user_id else None
    actor = users.get(row.actor_id) if row.actor_id else None
    return {"id": row.id, "created": row.created.isoformat(), "kind": row.kind,
            "kind_label": kind_label(row.kind), "user_id": row.user_id,
            "user": user.name if user else None, "login": row.login,
            "actor": actor.name if actor else None, "address": row.address,
            "detail": row.detail or {}, "summary": summary(row.kind, row.detail or {})}


def _int(data_dict, key, default, maximum):
    value = data_dict.get(key, default)
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise tk.ValidationError({key: [_("Must be a whole number")]})
    if value < 0 or value > maximum:
        raise tk.ValidationError({key: [_("Must be between 0 and %(max)s") % {"max": maximum}]})
    return value


@tk.side_effect_free
def lyg_opendata_security_event_list(context, data_dict):
    """The audit list of account security, newest first (sysadmins only).

    :param kind: only entries of this kind (optional; see ``KINDS``)
    :param user: only entries about this account (name or id; optional)
    :param limit: at most this many (default 50, at most 500)
    :param offset: skip this many
    """
    tk.check_access("lyg_opendata_security_event_list", context, data_dict)
    data_dict = data_dict if isinstance(data_dict, dict) else {}
    limit = _int(data_dict, "limit", 50, 500)
    offset = _int(data_dict, "offset", 0, 10 ** 9)
    query = model.Session.query(SecurityEvent)
    kind = data_dict.get("kind")
    if kind not in (None, ""):
        if not isinstance(kind, str) or kind not in KINDS:
            raise tk.ValidationError({"kind": [_("Unknown kind of entry")]})
        query = query.filter(SecurityEvent.kind == kind)
    who = data_dict.get("user")
    if who not in (None, ""):
        obj = model.User.get(who) if isinstance(who, str) and "\x00" not in who else None
        if obj is None:
            raise tk.ObjectNotFound(_("User not found"))
        query = query.filter(SecurityEvent.user_id == obj.id)
    count = query.count()
    rows = query.order_by(SecurityEvent.created.desc(), SecurityEvent.id).limit(limit) \
        .offset(offset).all()
    ids = {i for r in rows for i in (r.user_id, r.actor_id) if i}
    users = {u.id: u for u in model.Session.query(model.User).filter(model.User.id.in_(ids))} \
        if ids else {}
    return {"count": count, "results": [event_dict(r, users) for r in rows]}


def auth_event_list(context, data_dict=None):
    obj = roles._user(context.get("user"))
    if obj is not None and obj.sysadmin:
        return {"success": True}
    return {"success": False, "msg": _("Only sysadmins may read the security audit list")}


# --- receivers ---------------------------------------------------------------------------

def on_action(sender: str, **kwargs: Any) -> None:
    """``action_succeeded``: API tokens created (in a savepoint; a failure is logged, never
    hides the action's success)."""
    if sender != "api_token_create":
        return
    context = kwargs.get("context") or {}
    data = kwargs.get("data_dict") or {}
    user = model.User.get(data.get("user")) if isinstance(data.get("user"), str) else None
    _safely(context, lambda: record("token_created", user=user, actor=context.get("user"),
                                    commit=False, token_name=str(data.get("name") or "")))


def _safely(context, write: Callable[[], Any]) -> None:
    """Write an audit entry after the action succeeded: in a savepoint, committed unless the
    caller defers its commit; a failure is logged and never turns the done change into an
    error."""
    try:
        with model.Session.begin_nested():
            write()
        if not context.get("defer_commit"):
            model.Session.commit()
    except Exception:
        log.exception("security audit entry failed; the action itself succeeded")


# --- memberships ----------------------------------------------------------------------------

def _ref(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value and "\x00" not in value else None


def _capacity_now(group_id: str, user_id: str) -> Optional[str]:
    row = model.Session.query(model.Member.capacity).filter(
        model.Member.group_id == group_id, model.Member.table_name == "user",
        model.Member.table_id == user_id, model.Member.state == "active").first()
    return row[0] if row else None


def record_membership(context, action: str, group: model.Group, user: model.User,
                      previous: Optional[str], capacity: Optional[str]) -> None:
    """One ``role_changed`` entry for a membership added, changed or removed (``capacity``
    None) — the chained member actions below and the account erasure write them here."""
    if previous == capacity:
        return
    change = "added" if previous is None else "removed" if capacity is None else "changed"
    _safely(context, lambda: record(
        "role_changed", user=user, actor=context.get("user"), commit=False, action=action,
        change=change, group=group.name, group_title=group.title or group.name,
        organization=bool(group.is_organization), capacity=capacity or "",
        previous=previous or ""))


def _membership_call(up, action: str, context, data_dict):
    """Core's member_create / member_delete with the user's role in the group before and
    after (only for users; datasets and groups as members are not roles)."""
    data = data_dict if isinstance(data_dict, dict) else {}
    group = user = None
    if data.get("object_type") == "user" and _ref(data.get("id")) and _ref(data.get("object")):
        group, user = model.Group.get(data["id"]), model.User.get(data["object"])
    if group is None or user is None:
        return up(context, data_dict)
    group_id, user_id = group.id, user.id
    previous = _capacity_now(group_id, user_id)
    result = up(context, data_dict)
    record_membership(context, action, group, user, previous, _capacity_now(group_id, user_id))
    return result


@tk.chained_action
def member_create(up, context, data_dict):
    """Records a user added to an organisation or group, or their role changed (every core
    path — organization_member_create, the members page, group creation — calls it)."""
    return _membership_call(up, "member_create", context, data_dict)


@tk.chained_action
def member_delete(up, context, data_dict):
    """Records a user removed from an organisation or group (organization_member_delete,
    group_member_delete, the members page and the API's member_delete all call it)."""
    return _membership_call(up, "member_delete", context, data_dict)


@tk.chained_action
def user_delete(up, context, data_dict):
    """Core's user_delete removes the account's memberships directly: each is recorded."""
    ref = _ref(data_dict.get("id")) if isinstance(data_dict, dict) else None
    user = model.User.get(ref) if ref else None
    before = [] if user is None else model.Session.query(model.Member.group_id, model.Member.capacity) \
        .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                model.Member.state == "active").all()
    result = up(context, data_dict)
    for group_id, capacity in before:
        group = model.Group.get(group_id)
        if group is not None and user is not None:
            record_membership(context, "user_delete", group, user, capacity,
                               _capacity_now(group_id, user.id))
    return result


@tk.chained_action
def api_token_revoke(up, context, data_dict):
    """Core's revoke deletes the token: its owner is read first, for the audit entry."""
    token_id = None
    if isinstance(data_dict, dict):
        token_id = data_dict.get("jti") if isinstance(data_dict.get("jti"), str) else None
        if token_id is None and isinstance(data_dict.get("token"), str) and data_dict["token"]:
            from ckan.lib import api_token
            decoded = api_token.decode(data_dict["token"]) or {}
            token_id = decoded.get("jti") if isinstance(decoded.get("jti"), str) else None
    row = model.Session.get(model.ApiToken, token_id) if token_id else None
    owner = row.owner if row is not None else None
    result = up(context, data_dict)
    if row is not None:
        record("token_revoked", user=owner, actor=context.get("user"),
               commit=not context.get("defer_commit"), token_id=token_id,
               token_name=row.name or "")
    return result
