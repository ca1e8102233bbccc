"""A sign-in through the unified identity service takes the password sign-in's path (issue 20
item 3): the second factor of staff (set-up or code) before anyone is signed in, the lock of
an account or an address honoured, refused callbacks counted as failed sign-ins of the
address. Full sign-ins through the running local provider (scripts/services.sh)."""
from __future__ import annotations

import re
import time

import pyotp
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity
from ckanext.lyg_opendata.identity.security import throttle
from ckanext.lyg_opendata.identity.security.model import SecurityEvent
from tests.identity.oidc_provider import CITIZEN, COMPANY_REP, portal_path, provider_sign_in
from tests.identity.test_oidc_signin import _with_query, logged_in_name, sign_in, start

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis", "running_provider")

REQUIRED = "ckanext.lyg_opendata.identity.totp.required_for"


def _kinds(user_id=None):
    model.Session.remove()
    q = model.Session.query(SecurityEvent).order_by(SecurityEvent.created)
    if user_id:
        q = q.filter(SecurityEvent.user_id == user_id)
    return [e.kind for e in q]


def _user_of(account):
    model.Session.remove()
    ident = model.Session.query(OidcIdentity).filter(OidcIdentity.subject == account["sub"]).one()
    return model.User.get(ident.user_id)


def _make_clerk(app, agency, account=CITIZEN):
    """The account the provider's first sign-in created, made an editor of an agency; signed
    out again."""
    assert sign_in(app, account).status_code == 302
    user = _user_of(account)
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": agency["id"], "username": user.name, "role": "editor"})
    app.set_session_user(None)
    assert logged_in_name(app) is None
    return user


def test_a_clerk_signing_in_through_the_provider_must_set_up_the_second_factor(
        app, agency, monkeypatch):
    clerk = _make_clerk(app, agency)
    monkeypatch.setitem(tk.config, REQUIRED, ["agency"])
    res = sign_in(app, CITIZEN, "/user/oidc/login?came_from=/dataset/")
    assert res.status_code == 302
    assert res.headers["Location"].endswith("/user/second-factor"), res.headers["Location"]
    # the provider's sign-in alone signs nobody in
    assert logged_in_name(app) is None
    assert app.get("/dashboard/datasets", follow_redirects=False).status_code != 200
    page = app.get("/user/second-factor").body
    secret = re.search(r'class="lyg-2fa-secret">([A-Z2-7]+)<', page).group(1)
    done = app.post("/user/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.body.count('class="lyg-2fa-code"') == 10
    assert logged_in_name(app) is None
    res = app.post("/user/second-factor/continue", follow_redirects=False)
    assert res.status_code == 302 and res.headers["Location"].endswith("/dataset/")
    assert logged_in_name(app) is not None
    kinds = _kinds(clerk.id)
    assert kinds[-2:] == ["totp_enrolled", "sign_in"]


def test_the_code_is_asked_after_the_provider_and_wrong_codes_lock_the_account(
        app, agency, monkeypatch):
    clerk = _make_clerk(app, agency)
    monkeypatch.setitem(tk.config, REQUIRED, ["agency"])
    sign_in(app, CITIZEN)
    secret = re.search(r'class="lyg-2fa-secret">([A-Z2-7]+)<',
                       app.get("/user/second-factor").body).group(1)
    app.post("/user/second-factor", data={"code": pyotp.TOTP(secret).now()})
    app.post("/user/second-factor/continue")
    app.set_session_user(None)

    # the next sign-in through the provider stops at the code page, in its language
    res = sign_in(app, CITIZEN, "/en/user/oidc/login")
    assert res.status_code == 302
    assert res.headers["Location"].endswith("/en/user/login/second-factor"), res.headers["Location"]
    assert logged_in_name(app) is None
    wrong = app.post("/en/user/login/second-factor", data={"code": "000000"})
    assert wrong.status_code == 400 and "The code is not right" in wrong.body
    assert logged_in_name(app) is None
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    res = app.post("/en/user/login/second-factor", data={"code": code}, follow_redirects=False)
    assert res.status_code == 302
    assert res.headers["Location"].endswith(
        tk.h.url_for(tk.config["ckan.auth.route_after_login"], locale="en"))
    assert logged_in_name(app) is not None
    assert "second_factor_failed" in _kinds(clerk.id)

    # five wrong codes after the provider's sign-in lock the account, as after a password
    app.set_session_user(None)
    sign_in(app, CITIZEN)
    for _i in range(5):
        app.post("/user/login/second-factor", data={"code": "999999"})
    assert app.post("/user/login/second-factor", data={"code": "999999"}).status_code == 429
    assert "locked" in _kinds(clerk.id)
    assert throttle.locked_for(clerk.name, "127.0.0.1") > 0


def test_people_without_a_second_factor_sign_in_directly(app, agency, monkeypatch):
    _make_clerk(app, agency)
    monkeypatch.setitem(tk.config, REQUIRED, ["sysadmin"])
    res = sign_in(app, CITIZEN)
    assert "second-factor" not in res.headers["Location"]
    assert logged_in_name(app) is not None


def test_a_locked_account_cannot_sign_in_through_the_provider(app):
    assert sign_in(app, CITIZEN).status_code == 302
    user = _user_of(CITIZEN)
    app.set_session_user(None)
    for _i in range(5):  # wrong local passwords lock the account
        app.post("/user/login", data={"login": user.name, "password": "Wrong-pass-2026"})
    assert throttle.locked_for(user.name, "10.9.9.9") > 0
    res = sign_in(app, CITIZEN, "/en/user/oidc/login")
    assert res.status_code == 302 and res.headers["Location"].endswith("/en/user/login")
    assert logged_in_name(app) is None
    assert "Too many failed sign-ins" in app.get("/en/user/login").body
    assert _kinds(user.id)[-1] == "sign_in_refused_locked"


@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.signin.max_failures_address", "3")
def test_refused_callbacks_lock_the_address(app):
    for _i in range(3):  # forged answers (another state) from one address
        back = provider_sign_in(start(app), COMPANY_REP["login"], COMPANY_REP["password"])
        res = app.get(portal_path(_with_query(back, state="forged")), follow_redirects=False)
        assert res.headers["Location"].endswith("/user/login")
    kinds = _kinds()
    assert kinds.count("sign_in_failed") == 3 and "locked" in kinds
    assert throttle.address_locked_for("127.0.0.1") > 0
    # the genuine sign-in from that address is refused now (before the provider is asked) …
    res = app.get("/en/user/oidc/login", follow_redirects=False)
    assert res.status_code == 302 and res.headers["Location"].endswith("/en/user/login")
    assert "Too many failed sign-ins" in app.get("/en/user/login").body
    # … also a callback already on its way back when the lock started …
    throttle.unlock(address="127.0.0.1")
    back = provider_sign_in(start(app, "/en/user/oidc/login"), COMPANY_REP["login"],
                            COMPANY_REP["password"])
    for _i in range(3):
        throttle.register_address_failure("127.0.0.1")
    res = app.get(portal_path(back), follow_redirects=False)
    assert res.headers["Location"].endswith("/en/user/login")
    assert "Too many failed sign-ins" in app.get("/en/user/login").body
    assert model.Session.query(OidcIdentity).count() == 0
    assert logged_in_name(app) is None
    # … and the password form from that address too
    assert app.post("/user/login", data={"login": "anyone", "password": "x"}).status_code == 429
    # another address is not locked
    assert throttle.address_locked_for("10.1.2.3") is None


def test_a_cancelled_sign_in_is_not_counted(app):
    import requests
    for _i in range(2):
        s = requests.Session()
        resp = s.get(start(app), allow_redirects=True, timeout=10)
        uid = re.search(r'action="/interaction/([^/]+)/login"', resp.text).group(1)
        from tests.identity.oidc_provider import ISSUER
        resp = s.get(f"{ISSUER}/interaction/{uid}/abort", allow_redirects=False, timeout=10)
        while "/user/oidc/callback" not in resp.headers["Location"]:
            loc = resp.headers["Location"]
            resp = s.get(loc if loc.startswith("http") else ISSUER + loc,
                         allow_redirects=False, timeout=10)
        app.get(portal_path(resp.headers["Location"]), follow_redirects=False)
    assert "sign_in_failed" not in _kinds()
