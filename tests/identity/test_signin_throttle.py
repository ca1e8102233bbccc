"""Failed sign-in throttling (issue 20 item 3): per account and per client address, in the
real Redis; the lock-out message, the notice to the account's owner, the audit entries."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.identity.security import throttle
from ckanext.lyg_opendata.identity.security.model import SecurityEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")

PASSWORD = "Throttle-Pass-2026"


def _login(app, login, password, lang="en"):
    return app.post(f"/{lang}/user/login" if lang else "/user/login",
                    data={"login": login, "password": password}, follow_redirects=False)


def _events(kind):
    return model.Session.query(SecurityEvent).filter(SecurityEvent.kind == kind).all()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(app):
    user = factories.User(name="throttled-clerk", password=PASSWORD, email="clerk@example.org")
    for _ in range(4):
        resp = _login(app, "throttled-clerk", "wrong-password-1")
        assert resp.status_code == 200  # core's "bad user name or password"
    assert not notify.notices_for(user["id"])
    resp = _login(app, "throttled-clerk", "wrong-password-1")  # the fifth: the lock starts
    resp = _login(app, "throttled-clerk", PASSWORD)
    assert resp.status_code == 429
    assert "Too many failed sign-ins" in resp.get_data(as_text=True)
    assert "remember_token" not in resp.headers.get("Set-Cookie", "")
    # the owner is told (notice + mail), once
    notices = notify.notices_for(user["id"])
    assert len(notices) == 1 and "locked" in notices[0].subject
    assert len(_events("sign_in_failed")) == 5
    assert len(_events("locked")) == 1
    assert _events("sign_in_refused_locked")[0].user_id == user["id"]
    # the lock lasts lockout_minutes (15) in Redis
    left = throttle.locked_for("throttled-clerk", "127.0.0.1")
    assert 14 * 60 < left <= 15 * 60
    # the email address names the same account: locked too
    assert _login(app, "clerk@example.org", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_count(app):
    factories.User(name="careful-clerk", password=PASSWORD)
    for _ in range(4):
        _login(app, "careful-clerk", "wrong-password-1")
    resp = _login(app, "careful-clerk", PASSWORD)
    assert resp.status_code == 302
    app.get("/user/_logout")
    for _ in range(4):
        _login(app, "careful-clerk", "wrong-password-1")
    assert throttle.locked_for("careful-clerk", "127.0.0.1") is None
    assert _login(app, "careful-clerk", PASSWORD).status_code == 302
    assert len(_events("sign_in")) == 2


@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.signin.max_failures_address", "3")
def test_failures_from_one_address_lock_the_address_for_every_account(app):
    factories.User(name="innocent-user", password=PASSWORD)
    for name in ("guess-a", "guess-b", "guess-c"):  # unknown accounts, one address
        _login(app, name, "whatever-1234")
    resp = _login(app, "innocent-user", PASSWORD)
    assert resp.status_code == 429
    assert throttle.locked_for("someone-else", "127.0.0.1") > 0
    assert throttle.locked_for("someone-else", "10.1.2.3") is None
    throttle.unlock(address="127.0.0.1")
    assert _login(app, "innocent-user", PASSWORD).status_code == 302


@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.signin.max_failures_account", "0")
@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.signin.max_failures_address", "0")
def test_zero_turns_the_locks_off(app):
    factories.User(name="no-limit", password=PASSWORD)
    for _ in range(8):
        _login(app, "no-limit", "wrong-password-1")
    assert _login(app, "no-limit", PASSWORD).status_code == 302
