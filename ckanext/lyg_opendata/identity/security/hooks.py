"""How account security hooks into CKAN's sign-in: the plugin's ``IAuthenticator.login``
(runs before core's login view: refuses a locked account or address, and — with TOTP — asks
for the second factor once the password is right), and receivers of CKAN's signals
(``failed_login`` counts and records failures, ``user_logged_in`` records the sign-in and
stamps the session, ``action_succeeded`` records tokens and role changes)."""
from __future__ import annotations

import logging
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity.security import audit, sessions, throttle

log = logging.getLogger(__name__)
_ = tk._


def login():
    """``IAuthenticator.login``: None lets core's login view go on."""
    if tk.request.method != "POST":
        return None
    login_name = tk.request.form.get("login")
    left = throttle.locked_for(login_name, audit.client_address())
    if left:
        user, _key = throttle.account_of(login_name)
        audit.record("sign_in_refused_locked", user=user, login=(login_name or "")[:200])
        return throttle.locked_response(left)
    from ckanext.lyg_opendata.identity.security import totp
    return totp.after_password(login_name)


def authenticate(identity: dict[str, Any]):
    """``IAuthenticator.authenticate``: the account whose password this request has already
    verified (the TOTP step checks it before core's view would check it again)."""
    from ckanext.lyg_opendata.identity.security import totp
    return totp.verified_in_request(identity)


def on_failed_login(sender: Any, **kwargs: Any) -> None:
    """CKAN's ``failed_login`` (sender: the login as typed)."""
    login_name = sender if isinstance(sender, str) else ""
    try:
        address = audit.client_address()
        user, _key = throttle.account_of(login_name)
        audit.record("sign_in_failed", user=user, login=login_name[:200])
        started = throttle.register_failure(login_name, address)
        if started["account"] or started["address"]:
            audit.record("locked", user=user, login=login_name[:200],
                         account=started["account"], address_locked=started["address"])
            if user is not None:
                throttle.notify_locked(user)
    except Exception:
        model.Session.rollback()
        log.exception("could not count a failed sign-in")


def on_logged_in(sender: Any, **kwargs: Any) -> None:
    """CKAN's ``user_logged_in`` (flask-login's): record, clear the failures, stamp."""
    user = kwargs.get("user")
    if not isinstance(user, model.User):
        return
    try:
        throttle.clear_account(user)
        sessions.stamp(user)
        audit.record("sign_in", user=user)
    except Exception:
        model.Session.rollback()
        log.exception("could not record a sign-in")


def signal_subscriptions() -> dict:
    return {tk.signals.failed_login: [on_failed_login],
            tk.signals.user_logged_in: [on_logged_in],
            tk.signals.action_succeeded: [audit.on_action]}
