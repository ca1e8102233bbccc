"""The TOTP second factor (issue 20 item 3): required roles set it up at their first sign-in
(QR code drawn locally, recovery codes), the sign-in asks for the code after the password,
codes are good once, recovery codes once each, no way around the code step. Real HTTP
sessions against the live test server."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
import requests

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.identity.security.model import RecoveryCode, SecurityEvent, TotpSecret
from ckanext.lyg_opendata.identity.security import totp as totp_module

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")

PASSWORD = "Second-factor-2026"
REQUIRED = "ckanext.lyg_opendata.identity.totp.required_for"


def _post(session, url, **data):
    return session.post(url, data=data, allow_redirects=False, timeout=30)


def _signed_in(base, session) -> bool:
    return session.get(base + "/dashboard/datasets", allow_redirects=False, timeout=30).status_code == 200


def _password_step(base, name):
    s = requests.Session()
    resp = _post(s, base + "/user/login", login=name, password=PASSWORD)
    return s, resp


def _kinds(user_id):
    model.Session.remove()
    return [e.kind for e in model.Session.query(SecurityEvent).filter(
        SecurityEvent.user_id == user_id).order_by(SecurityEvent.created)]


@pytest.fixture
def clerk(agency):
    user = factories.User(name="slj-clerk-2fa", password=PASSWORD, fullname="水利局数据专员")
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": agency["id"], "username": user["name"], "role": "editor"})
    return user


def _enrol(base, name):
    """Password, then the set-up page: returns the session, the secret and the codes."""
    s, resp = _password_step(base, name)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/user/second-factor")
    assert not _signed_in(base, s)
    page = s.get(base + "/user/second-factor", timeout=30).text
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn here
    secret = re.search(r'class="lyg-2fa-secret">([A-Z2-7]+)<', page).group(1)
    wrong = _post(s, base + "/user/second-factor", code="000000")
    assert wrong.status_code == 400
    done = _post(s, base + "/user/second-factor", code=pyotp.TOTP(secret).now())
    assert done.status_code == 200
    codes = re.findall(r'class="lyg-2fa-code">([0-9a-f-]+)<', done.text)
    assert len(codes) == 10
    assert not _signed_in(base, s)
    resp = _post(s, base + "/user/second-factor/continue")
    assert resp.status_code == 302
    assert _signed_in(base, s)
    return s, secret, codes


def test_a_clerk_sets_up_the_second_factor_at_the_first_sign_in(live_server, clerk, monkeypatch):
    monkeypatch.setitem(tk.config, REQUIRED, ["sysadmin", "supervisor", "agency"])
    base = live_server
    _s, secret, codes = _enrol(base, clerk["name"])
    model.Session.remove()
    row = model.Session.get(TotpSecret, clerk["id"])
    assert row.confirmed_at is not None and totp_module.plain_secret(row) == secret
    stored = [r.code_hash for r in model.Session.query(RecoveryCode).filter(
        RecoveryCode.user_id == clerk["id"])]
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashes only
    assert _kinds(clerk["id"]) == ["role_changed", "totp_enrolled", "sign_in"]


def test_the_sign_in_asks_for_the_code_and_cannot_be_skipped(live_server, clerk, monkeypatch):
    monkeypatch.setitem(tk.config, REQUIRED, ["agency"])
    base = live_server
    _s, secret, codes = _enrol(base, clerk["name"])

    s, resp = _password_step(base, clerk["name"])
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/user/login/second-factor")
    assert not _signed_in(base, s)
    # no way around the code: the continue step of a set-up, the set-up page, other pages
    assert _post(s, base + "/user/second-factor/continue").status_code == 302
    assert not _signed_in(base, s)
    assert _post(s, base + "/user/second-factor", code="123456").status_code in (200, 400)
    assert not _signed_in(base, s)
    # the code used for the set-up is not good again (replay)
    totp = pyotp.TOTP(secret)
    model.Session.remove()
    used_step = model.Session.get(TotpSecret, clerk["id"]).last_step
    assert _post(s, base + "/user/login/second-factor", code=totp.at(used_step * 30)).status_code == 400
    assert not _signed_in(base, s)
    # the next code is
    resp = _post(s, base + "/user/login/second-factor", code=totp.at(int(time.time()) + 30))
    assert resp.status_code == 302
    assert _signed_in(base, s)

    # a recovery code signs in once
    s2, _resp = _password_step(base, clerk["name"])
    assert _post(s2, base + "/user/login/second-factor", recovery_code=codes[0].upper()).status_code == 302
    assert _signed_in(base, s2)
    s3, _resp = _password_step(base, clerk["name"])
    assert _post(s3, base + "/user/login/second-factor", recovery_code=codes[0]).status_code == 400
    assert not _signed_in(base, s3)
    assert "recovery_code_used" in _kinds(clerk["id"])


def test_wrong_codes_count_as_failed_sign_ins(live_server, clerk, monkeypatch):
    monkeypatch.setitem(tk.config, REQUIRED, ["agency"])
    base = live_server
    _enrol(base, clerk["name"])
    s, _resp = _password_step(base, clerk["name"])
    for _i in range(5):
        _post(s, base + "/user/login/second-factor", code="999999")
    resp = _post(s, base + "/user/login/second-factor", code="999999")
    assert resp.status_code == 429
    assert "locked" in _kinds(clerk["id"])


def test_people_who_need_none_sign_in_with_the_password(live_server, clerk, monkeypatch):
    monkeypatch.setitem(tk.config, REQUIRED, ["sysadmin"])
    base = live_server
    s, resp = _password_step(base, clerk["name"])
    assert resp.status_code == 302 and "second-factor" not in resp.headers["Location"]
    assert _signed_in(base, s)
    # a wrong password is counted once
    s2 = requests.Session()
    resp = _post(s2, base + "/en/user/login", login=clerk["name"], password="Wrong-pass-2026")
    assert resp.status_code == 200 and "Bad username or password" in resp.text
    assert _kinds(clerk["id"]) == ["role_changed", "sign_in", "sign_in_failed"]


def test_anyone_may_turn_it_on_and_then_is_asked(live_server, monkeypatch):
    monkeypatch.setitem(tk.config, REQUIRED, [])
    base = live_server
    user = factories.User(name="careful-citizen", password=PASSWORD)
    s, _resp = _password_step(base, "careful-citizen")
    assert _signed_in(base, s)
    page = s.get(base + "/user/second-factor", timeout=30).text
    secret = re.search(r'class="lyg-2fa-secret">([A-Z2-7]+)<', page).group(1)
    resp = _post(s, base + "/user/second-factor", code=pyotp.TOTP(secret).now())
    assert resp.status_code == 200 and resp.text.count('class="lyg-2fa-code"') == 10
    s2, resp = _password_step(base, "careful-citizen")
    assert resp.headers["Location"].endswith("/user/login/second-factor")
    # not required: it may be removed again (with a code)
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    resp = _post(s, base + "/user/second-factor", code=code, do="remove")
    assert resp.status_code == 302
    model.Session.remove()
    assert model.Session.get(TotpSecret, user["id"]) is None


def test_a_required_second_factor_cannot_be_removed(live_server, clerk, monkeypatch):
    monkeypatch.setitem(tk.config, REQUIRED, ["agency"])
    base = live_server
    s, secret, _codes = _enrol(base, clerk["name"])
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    resp = _post(s, base + "/en/user/second-factor", code=code, do="remove")
    assert resp.status_code == 400 and "cannot be removed" in resp.text
    model.Session.remove()
    assert model.Session.get(TotpSecret, clerk["id"]).confirmed_at is not None


def test_pages_without_a_pending_sign_in(app):
    resp = app.get("/user/login/second-factor", follow_redirects=False)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
    resp = app.get("/user/second-factor", follow_redirects=False)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
    resp = app.post("/user/second-factor/continue", follow_redirects=False)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
