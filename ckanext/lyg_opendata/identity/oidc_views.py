"""统一身份认证 pages: start the sign-in, the provider's callback, link a local account,
the user's own identity page (docs/identity.md).

A sign-in through the provider takes the same path as a password sign-in once the provider
has proved who it is (identity/security): a locked account or address is refused, a refused
callback counts as a failed sign-in of the address, and an account that has (or must have) a
second factor goes on to the code page before anyone is signed in."""
from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, session
from flask_babel import force_locale

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity import oidc
from ckanext.lyg_opendata.identity.security import audit, throttle, totp

log = logging.getLogger(__name__)

oidc_blueprint = Blueprint("lyg_opendata_oidc", __name__)

__all__ = ["oidc_blueprint"]

SESSION_KEY = "lyg_opendata_oidc"


def _current_user_id() -> str | None:
    user = tk.current_user
    if not user or getattr(user, "is_anonymous", True):
        return None
    return user.id


def _locale_url(endpoint: str, locale: str | None, **kwargs: Any) -> str:
    """The page in the language the sign-in was started in (the callback itself has one
    address, without a language prefix, as the provider has it registered)."""
    if locale and locale != tk.config.get("ckan.locale_default"):
        kwargs["locale"] = locale
    return tk.h.url_for(endpoint, **kwargs)


# refusals that say nothing about the person (the service down, the sign-in cancelled there,
# an account that may not sign in) are not counted as failed sign-ins; a forged or replayed
# answer (state, signature, audience, expiry, nonce) is
NOT_COUNTED = (oidc.MSG_UNAVAILABLE, oidc.MSG_CANCELLED, oidc.MSG_DISABLED, oidc.MSG_EMAIL_TAKEN,
               oidc.MSG_ALREADY_LINKED, oidc.MSG_USER_HAS_LINK, oidc.MSG_NO_EMAIL,
               oidc.MSG_BLOCKED)


def _locked(locale: str | None, login: str = "", user=None):
    """The address (or the account) is locked: the login page says so, nobody is signed in."""
    left = (throttle.locked_for(login, audit.client_address()) if login
            else throttle.address_locked_for(audit.client_address()))
    if not left:
        return None
    audit.record("sign_in_refused_locked", user=user, login=login[:200], method="oidc")
    with force_locale(locale):
        throttle.flash_locked(left)
    return tk.redirect_to(_locale_url("user.login", locale))


def _count_failure(err: oidc.SignInError) -> None:
    if err.message in NOT_COUNTED:
        return
    address = audit.client_address()
    audit.record("sign_in_failed", login="", method="oidc", reason=(err.detail or "")[:200])
    if throttle.register_address_failure(address):
        audit.record("locked", login="", address_locked=True, account=False, method="oidc")


def _start(link_user_id: str | None, came_from: str = ""):
    if not oidc.enabled():
        return tk.abort(404, tk._("Sign-in through the unified identity service is not configured."))
    if not link_user_id:
        refused = _locked(tk.h.lang())
        if refused is not None:
            return refused
    redirect_uri = tk.config["ckan.site_url"].rstrip("/") + tk.h.url_for(
        "lyg_opendata_oidc.callback", locale="default")
    try:
        url, pending = oidc.begin(redirect_uri)
    except oidc.SignInError as err:
        log.warning("OIDC sign-in not started: %s", err.detail or err.message)
        tk.h.flash_error(tk._(err.message))
        return tk.redirect_to("user.login")
    pending["locale"] = tk.h.lang()
    if link_user_id:
        pending["link_user_id"] = link_user_id
    if came_from and tk.h.url_is_local(came_from):
        pending["came_from"] = came_from
    session[SESSION_KEY] = pending
    return tk.redirect_to(url)


@oidc_blueprint.route("/user/oidc/login")
def login():
    return _start(None, tk.request.args.get("came_from", ""))


@oidc_blueprint.route("/user/oidc/link", methods=["POST"])
def link():
    """Link the signed-in local account to an identity at the provider (proved by signing in
    there next)."""
    user_id = _current_user_id()
    if not user_id:
        return tk.redirect_to("user.login", came_from=tk.url_for("lyg_opendata_oidc.account"))
    return _start(user_id)


@oidc_blueprint.route("/user/oidc/callback")
def callback():
    pending: dict[str, Any] | None = session.pop(SESSION_KEY, None)
    link_user_id = (pending or {}).get("link_user_id")
    locale = (pending or {}).get("locale") or tk.h.lang()
    if not link_user_id:
        refused = _locked(locale)
        if refused is not None:
            return refused
    try:
        if link_user_id and link_user_id != _current_user_id():
            raise oidc.SignInError(oidc.MSG_STATE, "the linking user is not signed in")
        claims = oidc.finish(pending, dict(tk.request.args))
        user = oidc.sign_in(claims, link_user_id=link_user_id)
    except oidc.SignInError as err:
        log.warning("OIDC sign-in refused: %s", err.detail or err.message)
        _count_failure(err)
        with force_locale(locale):
            tk.h.flash_error(tk._(err.message))
        if link_user_id and _current_user_id():
            return tk.redirect_to(_locale_url("lyg_opendata_oidc.account", locale))
        return tk.redirect_to(_locale_url("user.login", locale))
    if link_user_id:
        with force_locale(locale):
            tk.h.flash_success(tk._("Your account is now linked to the unified identity service."))
        return tk.redirect_to(_locale_url("lyg_opendata_oidc.account", locale))
    # the same path as a password sign-in: the account's lock, then the second factor
    refused = _locked(locale, user.name, user)
    if refused is not None:
        return refused
    came_from = (pending or {}).get("came_from")
    if not (came_from and tk.h.url_is_local(came_from)):
        came_from = _locale_url(
            tk.config.get("ckan.auth.route_after_login") or "dashboard.datasets", locale)
    if totp.due(user):
        return totp.ask_second_factor(user, next_url=came_from, locale=locale, method="oidc")
    totp.log_in(user)
    return tk.redirect_to(came_from)


@oidc_blueprint.route("/user/identity")
def account():
    """The signed-in user's own page: the linked identity and its real-name level."""
    user_id = _current_user_id()
    if not user_id:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    ident = oidc.identity_of(user_id) if oidc.enabled() else None
    return tk.render("identity/account.html", {
        "identity": ident,
        "real_name": oidc.is_real_name(ident),
        "oidc_enabled": oidc.enabled(),
    })
