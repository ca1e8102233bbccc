"""CSRF protection that no earlier request can switch off (issue 11 finding 3).

CKAN 2.12 exempts a view from flask-wtf's CSRF check *for the life of the process* as soon
as one request reaches it with an API token (or anonymously: ``g.login_via_auth_header``),
so afterwards forged cookie-authenticated POSTs to that view (review, application, grant,
agreement and objection forms, and core's) were accepted. This hook runs after flask-wtf's
own: a state-changing request whose user came from the session or remember-me cookie must
carry a valid CSRF token, whatever was exempted before. Requests authenticated by a valid
API token are not cookie requests (no browser sends the token by itself) and stay exempt;
an anonymous request has no session to ride on. The remember-me cookie is ``SameSite=Lax``.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, request


def _token_user_id() -> Any:
    from ckan.common import config
    from ckan.lib import api_token
    header = config.get("apitoken_header_name") or "Authorization"
    token = request.headers.get(header, "")
    if not token:
        return None
    user = api_token.get_user_from_token(str(token))
    return user.id if user is not None else None


def protect_cookie_requests() -> None:
    csrf = current_app.extensions.get("csrf")
    if csrf is None or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.method not in current_app.config.get("WTF_CSRF_METHODS", ()):
        return
    if g.get("csrf_valid"):
        return  # flask-wtf checked this request already
    from ckan.common import current_user
    if not (current_user and current_user.is_authenticated):
        return
    if _token_user_id() == getattr(current_user, "id", None):
        return  # authenticated by its API token, not by a cookie
    csrf.protect()  # raises CSRFError: 400


def install(app) -> None:
    """Register the hook after flask-wtf's (IMiddleware runs after CKAN set CSRF up)."""
    if app.config.get("REMEMBER_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.before_request(protect_cookie_requests)
