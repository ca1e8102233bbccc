"""The TOTP second factor (RFC 6238 through ``pyotp``; QR codes drawn locally by ``segno``).

Who must use it: ``ckanext.lyg_opendata.identity.totp.required_for`` — ``sysadmin``,
``supervisor`` (roles.is_supervisor) and ``agency`` (an editor or admin of any organisation).
Anyone else may set it up on their own page (``/user/second-factor``) and is then asked too.

The sign-in: the plugin's ``IAuthenticator.login`` checks the password itself (core's
authenticator); when a second factor is due it keeps the account in the session as
*pending* (five minutes) and sends the browser to the code page, or — required but not yet
set up — to the set-up page; only a right code (or an unused recovery code) signs in.
Wrong codes count as failed sign-ins (throttle.py). A code is accepted once (its time step
is stored). Recovery codes: ten, shown once, stored as SHA-256 hashes, each good once.
The secret is stored encrypted (secretbox.py) and decrypted only to check a code or to show
it during the set-up.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from typing import Any, Optional

import pyotp
import segno

import ckan.lib.authenticator as authenticator
import ckan.model as model
import ckan.plugins.toolkit as tk
from flask import make_response, session

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.identity.security import audit, secretbox, throttle
from ckanext.lyg_opendata.identity.security.model import RecoveryCode, TotpSecret
from ckanext.lyg_opendata.workflow import utcnow

_ = tk._
log = logging.getLogger(__name__)

PENDING = "_lyg_2fa_pending"
PENDING_SECONDS = 300
ISSUER = "连云港市公共数据开放平台"


# --- who needs it --------------------------------------------------------------------------

def required(user: model.User) -> bool:
    wanted = set(tk.config.get("ckanext.lyg_opendata.identity.totp.required_for") or [])
    if not wanted:
        return False
    if "sysadmin" in wanted and user.sysadmin:
        return True
    if "supervisor" in wanted and roles.is_supervisor(user):
        return True
    if "agency" in wanted:
        q = model.Session.query(model.Member).filter(
            model.Member.table_name == "user", model.Member.table_id == user.id,
            model.Member.state == "active", model.Member.capacity.in_(("admin", "editor")))
        if q.first() is not None:
            return True
    return False


def secret_of(user_id: str) -> Optional[TotpSecret]:
    return model.Session.get(TotpSecret, user_id)


def enrolled(user_id: str) -> bool:
    row = secret_of(user_id)
    return bool(row and row.confirmed_at)


# --- secrets, codes ------------------------------------------------------------------------

def start_enrolment(user: model.User) -> TotpSecret:
    """The unconfirmed secret to show (a new one unless one is already waiting)."""
    row = secret_of(user.id)
    if row is not None and not row.confirmed_at and not _decrypts(row):
        model.Session.delete(row)  # made with a key no longer configured: a new one
        model.Session.flush()
        row = None
    if row is None:
        row = TotpSecret(user_id=user.id,
                         secret_encrypted=secretbox.encrypt(pyotp.random_base32(), user.id))
        model.Session.add(row)
        model.Session.commit()
    return row


def plain_secret(row: TotpSecret) -> str:
    """The secret in clear (base32), for a code check or the set-up page only."""
    return secretbox.decrypt(row.secret_encrypted, row.user_id)


def _decrypts(row: TotpSecret) -> bool:
    try:
        plain_secret(row)
        return True
    except secretbox.SecretError:
        log.error("the TOTP secret of user %s does not decrypt with the configured keys "
                  "(ckanext.lyg_opendata.identity.totp.encryption_keys)", row.user_id)
        return False


def provisioning_uri(user: model.User, row: TotpSecret) -> str:
    return pyotp.TOTP(plain_secret(row)).provisioning_uri(name=user.name, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The QR code as an inline SVG (no request to any other site)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5)


def _clean(code: Any) -> str:
    return "".join(ch for ch in str(code or "") if ch.isalnum()).lower()[:64]


def check_code(row: TotpSecret, code: Any) -> bool:
    """A current TOTP code (±30 s), not used before."""
    code = _clean(code)
    if not (len(code) == 6 and code.isdigit()):
        return False
    if not _decrypts(row):
        return False
    totp = pyotp.TOTP(plain_secret(row))
    now = int(time.time())
    for offset in (0, -30, 30):
        step = (now + offset) // 30
        if secrets.compare_digest(totp.at(now + offset), code) and (row.last_step or 0) < step:
            row.last_step = step
            return True
    return False


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def new_recovery_codes(user: model.User, n: int = 10) -> list[str]:
    """Replace the user's recovery codes; the codes are returned once, stored hashed."""
    model.Session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _i in range(n)]
    for code in codes:
        model.Session.add(RecoveryCode(user_id=user.id, code_hash=_hash(code)))
    return codes


def use_recovery_code(user: model.User, code: Any) -> bool:
    cleaned = _clean(code)
    if len(cleaned) != 12:
        return False
    row = model.Session.query(RecoveryCode).filter(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(cleaned),
        RecoveryCode.used_at.is_(None)).with_for_update().one_or_none()
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def recovery_codes_left(user_id: str) -> int:
    return model.Session.query(RecoveryCode).filter(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)).count()


def confirm(user: model.User, code: Any) -> Optional[list[str]]:
    """Confirm the waiting secret with a code from the app: the recovery codes, or None."""
    row = secret_of(user.id)
    if row is None or not check_code(row, code):
        model.Session.rollback()
        return None
    row.confirmed_at = utcnow()
    codes = new_recovery_codes(user)
    audit.record("totp_enrolled", user=user, commit=False)
    model.Session.commit()
    return codes


def rotate_secrets(dry_run: bool = False) -> int:
    """Re-encrypt with the first key every secret encrypted with another (CLI
    ``identity totp-rotate``); how many. All or nothing: one that does not decrypt stops it."""
    rows = model.Session.query(TotpSecret).with_for_update().all()
    done = 0
    for row in rows:
        if secretbox.needs_rotation(row.secret_encrypted):
            plain = (plain_secret(row) if secretbox.is_encrypted(row.secret_encrypted)
                     else row.secret_encrypted)
            row.secret_encrypted = secretbox.encrypt(plain, row.user_id)
            done += 1
    if dry_run:
        model.Session.rollback()
    else:
        model.Session.commit()
    return done


def remove(user: model.User, actor: Any) -> None:
    model.Session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id).delete()
    model.Session.query(TotpSecret).filter(TotpSecret.user_id == user.id).delete()
    audit.record("totp_removed", user=user, actor=actor, commit=False)
    model.Session.commit()


# --- the sign-in ---------------------------------------------------------------------------

def verified_in_request(identity: dict[str, Any]):
    """``IAuthenticator.authenticate``: the account whose password ``after_password``
    verified in this request (core's view then signs it in without hashing again)."""
    found = getattr(tk.g, "_lyg_verified", None)
    if found and isinstance(identity, dict) and identity.get("login") == found[0] \
            and identity.get("password") == found[1]:
        return model.User.get(found[2])
    return None


def after_password(login_name: Optional[str]):
    """``IAuthenticator.login`` on POST: None lets core sign in (no second factor due);
    a response otherwise (wrong password, or on to the code / set-up page)."""
    password = tk.request.form.get("password")
    if not isinstance(login_name, str) or not isinstance(password, str):
        return None
    user = authenticator.ckan_authenticator({"login": login_name, "password": password})
    if user is None or not isinstance(user, model.User):
        tk.h.flash_error(_("Login failed. Bad username or password."))
        return make_response(tk.render("user/login.html", {}), 200)
    if not due(user):
        tk.g._lyg_verified = (login_name, password, user.id)
        return None
    return ask_second_factor(
        user, remember=tk.request.form.get("remember") or "",
        next_url=tk.request.args.get("next") or tk.request.args.get("came_from") or "")


def due(user: model.User) -> bool:
    """A second factor is asked of this account (set up, or required by its role)."""
    return enrolled(user.id) or required(user)


def ask_second_factor(user: model.User, remember: str = "", next_url: str = "",
                      locale: Optional[str] = None, method: str = "password"):
    """The first factor of ``user`` is proved (the password, or the unified identity
    service's sign-in): keep the account as *pending* and send the browser to the code page
    (or the set-up page when required and not set up yet). Nobody is signed in yet."""
    session[PENDING] = {"user_id": user.id, "at": int(time.time()), "remember": remember,
                        "next": next_url, "method": method}
    endpoint = ("lyg_identity_security.second_factor" if enrolled(user.id)
                else "lyg_identity_security.enrol")
    if locale and locale != tk.config.get("ckan.locale_default"):
        return tk.redirect_to(tk.h.url_for(endpoint, locale=locale))
    return tk.redirect_to(endpoint)


def pending_user() -> Optional[model.User]:
    data = session.get(PENDING)
    if not isinstance(data, dict) or int(time.time()) - int(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = model.User.get(data.get("user_id"))
    return user if user is not None and user.is_active else None


def mark_enrolled_in_sign_in() -> None:
    """The pending sign-in has just set up its second factor (proved with a code)."""
    data = dict(session.get(PENDING) or {})
    data["enrolled_now"] = True
    session[PENDING] = data


def enrolled_in_sign_in() -> bool:
    data = session.get(PENDING)
    return isinstance(data, dict) and bool(data.get("enrolled_now"))


def finish_sign_in(user: model.User):
    """Sign the pending account in (as core's login view does) and go on."""
    from ckan.views.user import next_page_or_default
    data = session.pop(PENDING, {}) or {}
    log_in(user, data.get("remember"))
    target = data.get("next") or None
    return next_page_or_default(target if target and tk.h.url_is_local(target) else None)


def log_in(user: model.User, remember: Any = None) -> None:
    """Sign ``user`` in as core's login view does: a new session, then the CSRF token
    rotated (CKAN's ``user_logged_in`` signal records the sign-in and clears the count)."""
    from ckan.views.user import regenerate_session, rotate_token
    regenerate_session()
    if remember and str(remember).isdigit():
        import datetime as dt
        tk.login_user(user, remember=True, duration=dt.timedelta(milliseconds=int(remember)))
    else:
        tk.login_user(user)
    rotate_token()


def wrong_code(user: model.User) -> None:
    """A wrong code counts as a failed sign-in of the account."""
    audit.record("second_factor_failed", user=user)
    started = throttle.register_failure(user.name, audit.client_address())
    if started["account"] or started["address"]:
        audit.record("locked", user=user, account=started["account"],
                     address_locked=started["address"])
        throttle.notify_locked(user)
