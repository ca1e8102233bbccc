"""Failed sign-in throttling in Redis, per account and per client address.

``max_failures_account`` failures of one account (or ``max_failures_address`` from one
address) within ``window_minutes`` lock that account (address) for ``lockout_minutes``:
the sign-in form refuses it with a translated message, and the account's owner gets a notice
(and an email) when the lock starts. A successful sign-in clears the account's count. Counters
and locks live in Redis (shared by every web worker, gone by themselves when they expire).
"""
from __future__ import annotations

import hashlib
import math
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from flask import make_response

from ckanext.lyg_opendata import notify

_ = tk._

OPT = "ckanext.lyg_opendata.identity.signin."


def _redis():
    return connect_to_redis()


def _prefix() -> str:
    return f"lyg:{tk.config.get('ckan.site_id')}:signin"


def account_of(login: Optional[str]) -> tuple[Optional[model.User], str]:
    """The account a typed login names (user name or email) and its throttle key."""
    text = (login or "").strip()
    user = None
    if text and "\x00" not in text:
        user = model.User.by_name(text) or model.User.by_email(text)
    key = user.id if user is not None else hashlib.sha256(text.lower().encode()).hexdigest()
    return user, key


def _addr_key(address: Optional[str]) -> str:
    return address or "unknown"


def locked_for(login: Optional[str], address: Optional[str]) -> Optional[int]:
    """Seconds left of the lock on this account or address; None when neither is locked."""
    _user, key = account_of(login)
    r = _redis()
    left = [r.ttl(f"{_prefix()}:lock:acct:{key}"), r.ttl(f"{_prefix()}:lock:addr:{_addr_key(address)}")]
    left = [t for t in left if t and t > 0]
    return max(left) if left else None


def address_locked_for(address: Optional[str]) -> Optional[int]:
    """Seconds left of the lock on this client address alone (a sign-in whose account is not
    known yet: the unified identity service's callback)."""
    left = _redis().ttl(f"{_prefix()}:lock:addr:{_addr_key(address)}")
    return left if left and left > 0 else None


def _count(r, kind: str, key: str, limit: int) -> bool:
    """Count a failure; True when it starts a lock."""
    if not limit:
        return False
    window = int(tk.config.get(OPT + "window_minutes")) * 60
    counter = f"{_prefix()}:fail:{kind}:{key}"
    n = r.incr(counter)
    if n == 1:
        r.expire(counter, window)
    if n >= limit:
        r.delete(counter)
        r.set(f"{_prefix()}:lock:{kind}:{key}", 1, ex=int(tk.config.get(OPT + "lockout_minutes")) * 60)
        return True
    return False


def register_failure(login: Optional[str], address: Optional[str]) -> dict[str, bool]:
    """Count a failed sign-in; which locks it started (``account``, ``address``)."""
    _user, key = account_of(login)
    r = _redis()
    return {"account": _count(r, "acct", key, int(tk.config.get(OPT + "max_failures_account"))),
            "address": _count(r, "addr", _addr_key(address),
                              int(tk.config.get(OPT + "max_failures_address")))}


def register_address_failure(address: Optional[str]) -> bool:
    """Count a failed sign-in of no known account (a refused callback of the unified identity
    service) against the client address; True when it starts the address's lock."""
    return _count(_redis(), "addr", _addr_key(address),
                  int(tk.config.get(OPT + "max_failures_address")))


def clear_account(user: model.User) -> None:
    r = _redis()
    r.delete(f"{_prefix()}:fail:acct:{user.id}", f"{_prefix()}:lock:acct:{user.id}")


def unlock(login: Optional[str] = None, address: Optional[str] = None) -> None:
    """Lift a lock (sysadmins: ``ckan lyg-opendata identity unlock``; tests)."""
    r = _redis()
    if login is not None:
        _user, key = account_of(login)
        r.delete(f"{_prefix()}:fail:acct:{key}", f"{_prefix()}:lock:acct:{key}")
    if address is not None:
        r.delete(f"{_prefix()}:fail:addr:{_addr_key(address)}",
                 f"{_prefix()}:lock:addr:{_addr_key(address)}")


def flash_locked(seconds: int) -> None:
    minutes = max(1, math.ceil(seconds / 60))
    tk.h.flash_error(_("Too many failed sign-ins: signing in to this account or from this "
                       "address is locked. Try again in %(minutes)s minutes.") % {"minutes": minutes})


def locked_response(seconds: int):
    flash_locked(seconds)
    return make_response(tk.render("user/login.html", {}), 429)


def notify_locked(user: model.User) -> None:
    minutes = int(tk.config.get(OPT + "lockout_minutes"))
    notify.notify_users(
        [user], _("Sign-in to your account was locked"),
        _("There were repeated failed attempts to sign in to your account %(name)s. Signing "
          "in is locked for %(minutes)s minutes. If this was not you, change your password "
          "once the lock has ended.") % {"name": user.name, "minutes": minutes},
        tk.h.url_for("user.request_reset", _external=True))
