"""Sessions end when the password changes.

Each signed-in browser session carries a fingerprint of the account's password hash
(stamped at sign-in). A request whose session fingerprint no longer matches — the password
was changed or reset elsewhere — is signed out before any view runs. The session that made
the change is stamped again and stays signed in. API-token requests carry no session and are
not affected (tokens are revoked on the token page)."""
from __future__ import annotations

import hashlib
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

KEY = "_lyg_pw"


def fingerprint(user: model.User) -> str:
    return hashlib.sha256(f"{user.id}:{user.password or ''}".encode()).hexdigest()[:32]


def stamp(user: model.User) -> None:
    from flask import session
    session[KEY] = fingerprint(user)


def restamp_if_current(user: model.User) -> None:
    """After a password change made by the signed-in user themselves."""
    try:
        from flask import session
        current = tk.current_user
        if getattr(current, "id", None) == user.id and "_user_id" in session:
            session[KEY] = fingerprint(user)
    except RuntimeError:  # outside a request
        return


def check_session() -> Optional[object]:
    """``before_request``: sign out a session whose password fingerprint is stale."""
    from flask import session
    if "_user_id" not in session:
        return None
    user = tk.current_user
    if not getattr(user, "is_authenticated", False) or not isinstance(user, model.User):
        return None
    if session.get("_user_id") != user.id:  # an API token's user, not the session's
        return None
    stored = session.get(KEY)
    current = fingerprint(user)
    if stored is None:
        session[KEY] = current
        return None
    if stored != current:
        tk.logout_user()
        session.clear()
        tk.h.flash_error(tk._("Your password was changed; please sign in again."))
        return tk.redirect_to("user.login")
    return None
