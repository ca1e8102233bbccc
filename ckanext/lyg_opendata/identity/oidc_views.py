"""统一身份认证 pages: start the sign-in, the provider's callback, link a local account,
the user's own identity page (docs/identity.md)."""
from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, session
from flask_babel import force_locale

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity import oidc

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


def _start(link_user_id: str | None, came_from: str = ""):
    if not oidc.enabled():
        return tk.abort(404, tk._("Sign-in through the unified identity service is not configured."))
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
    try:
        if link_user_id and link_user_id != _current_user_id():
            raise oidc.SignInError(oidc.MSG_STATE, "the linking user is not signed in")
        claims = oidc.finish(pending, dict(tk.request.args))
        user = oidc.sign_in(claims, link_user_id=link_user_id)
    except oidc.SignInError as err:
        log.warning("OIDC sign-in refused: %s", err.detail or err.message)
        with force_locale(locale):
            tk.h.flash_error(tk._(err.message))
        if link_user_id and _current_user_id():
            return tk.redirect_to(_locale_url("lyg_opendata_oidc.account", locale))
        return tk.redirect_to(_locale_url("user.login", locale))
    if link_user_id:
        with force_locale(locale):
            tk.h.flash_success(tk._("Your account is now linked to the unified identity service."))
        return tk.redirect_to(_locale_url("lyg_opendata_oidc.account", locale))
    tk.login_user(user)
    came_from = (pending or {}).get("came_from")
    if came_from and tk.h.url_is_local(came_from):
        return tk.redirect_to(came_from)
    return tk.redirect_to(_locale_url(
        tk.config.get("ckan.auth.route_after_login") or "dashboard.datasets", locale))


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
