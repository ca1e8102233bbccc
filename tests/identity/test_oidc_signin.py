"""统一身份认证: sign-in through the running local OIDC provider (scripts/services.sh),
refusals (state, signature, expiry, audience, nonce), the provider being down, and linking
a local account."""
from __future__ import annotations

import base64
import json
import socket
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.identity import oidc
from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity
from tests.identity.oidc_provider import (
    CITIZEN, COMPANY_REP, ISSUER, OTHER_CLIENT, portal_path, provider_sign_in, real_id_token)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "running_provider")

CLIENT_ID = "lyg-opendata"


def start(app, url="/user/oidc/login"):
    """The portal's redirect to the provider."""
    res = app.get(url, follow_redirects=False)
    assert res.status_code == 302, res.body[:300]
    location = res.headers["Location"]
    assert location.startswith(ISSUER + "/auth?"), location
    return location


def sign_in(app, account, start_url="/user/oidc/login"):
    """A full sign-in: portal -> provider login form -> the portal's callback."""
    back = provider_sign_in(start(app, start_url), account["login"], account["password"])
    return app.get(portal_path(back), follow_redirects=False)


def identities():
    return model.Session.query(OidcIdentity).all()


def logged_in_name(app):
    """Who the test client's session is signed in as (the identity page is for users only)."""
    res = app.get("/user/identity", follow_redirects=False)
    if res.status_code != 200:
        return None
    return res.body


def test_login_page_offers_unified_identity_sign_in(app):
    body = app.get("/user/login").body
    assert 'id="lyg-oidc-login"' in body
    assert 'href="/user/oidc/login' in body


def test_without_issuer_no_button_and_no_route(app, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.oidc.issuer", "")
    assert 'id="lyg-oidc-login"' not in app.get("/user/login").body
    app.get("/user/oidc/login", status=404)


def test_authorization_request_has_pkce_state_and_nonce(app):
    query = parse_qs(urlsplit(start(app)).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == [tk.config["ckan.site_url"] + "/user/oidc/callback"]
    # a second start gets fresh values
    again = parse_qs(urlsplit(start(app)).query)
    assert again["state"] != query["state"] and again["nonce"] != query["nonce"]


def test_first_sign_in_creates_the_account_later_ones_update_it(app):
    res = sign_in(app, CITIZEN)
    assert res.status_code == 302
    assert res.headers["Location"].endswith(tk.h.url_for(tk.config["ckan.auth.route_after_login"]))
    [ident] = identities()
    assert (ident.issuer, ident.subject, ident.origin) == (ISSUER, CITIZEN["sub"], "created")
    assert ident.identity_level == 3 and ident.acr == "urn:lyg:loa:3"
    assert ident.phone == CITIZEN["phone"]
    user = model.User.get(ident.user_id)
    assert (user.fullname, user.email, user.name) == (CITIZEN["name"], CITIZEN["email"], "wangxiaoming")
    # the session is signed in as that user; the identity page says real-name verified
    body = logged_in_name(app)
    assert body is not None and 'id="lyg-identity-real-name"' in body
    first_login = ident.last_login

    # the name changed locally; the next sign-in (a new browser session) takes the claims again
    user.fullname = "改过的名字"
    model.repo.commit()
    app.set_session_user(None)
    assert logged_in_name(app) is None
    time.sleep(0.01)
    assert sign_in(app, CITIZEN).status_code == 302
    model.Session.expire_all()
    [ident] = identities()
    assert model.User.get(ident.user_id).fullname == CITIZEN["name"]
    assert ident.last_login > first_login
    assert model.Session.query(model.User).filter(model.User.email == CITIZEN["email"]).count() == 1


def test_came_from_is_kept_and_only_local(app):
    res = sign_in(app, COMPANY_REP, "/user/oidc/login?came_from=/dataset/")
    assert res.headers["Location"].endswith("/dataset/")
    app.set_session_user(None)
    res = sign_in(app, COMPANY_REP, "/user/oidc/login?came_from=https://evil.example/")
    assert "evil.example" not in res.headers["Location"]


def _with_query(url, **changes):
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_bad_state_is_refused_and_the_sign_in_is_used_up(app):
    back = provider_sign_in(start(app, "/en/user/oidc/login"), CITIZEN["login"], CITIZEN["password"])
    assert urlsplit(back).path == "/user/oidc/callback"  # one registered address, any language
    res = app.get(portal_path(_with_query(back, state="forged-state")), follow_redirects=False)
    assert res.status_code == 302 and res.headers["Location"].endswith("/en/user/login")
    assert identities() == [] and not model.User.by_email(CITIZEN["email"])
    body = app.get("/en/user/login").body
    assert "does not match this browser session" in body
    # the genuine answer afterwards is refused too: a pending sign-in is used once
    res = app.get(portal_path(back), follow_redirects=False)
    assert res.headers["Location"].endswith("/user/login")
    assert identities() == []


def test_callback_without_a_pending_sign_in_is_refused(app):
    back = provider_sign_in(start(app), CITIZEN["login"], CITIZEN["password"])
    app.set_session_user(None)  # another browser: a fresh session without the pending sign-in
    res = app.get(portal_path(back), follow_redirects=False)
    assert res.headers["Location"].endswith("/user/login")
    assert identities() == []


def test_cancel_at_the_provider_is_a_translated_message(app):
    import re
    import requests
    s = requests.Session()
    resp = s.get(start(app, "/en/user/oidc/login"), allow_redirects=True, timeout=10)
    uid = re.search(r'action="/interaction/([^/]+)/login"', resp.text).group(1)
    resp = s.get(f"{ISSUER}/interaction/{uid}/abort", allow_redirects=False, timeout=10)
    while "/user/oidc/callback" not in resp.headers["Location"]:
        resp = s.get(resp.headers["Location"] if resp.headers["Location"].startswith("http")
                     else ISSUER + resp.headers["Location"], allow_redirects=False, timeout=10)
    res = app.get(portal_path(resp.headers["Location"]), follow_redirects=False)
    assert res.headers["Location"].endswith("/en/user/login")
    assert "sign-in through the unified identity service was cancelled" in app.get("/en/user/login").body
    assert identities() == []


# --- the ID token: real tokens of the running provider, checked by the portal's verifier ---

def test_token_of_another_client_is_refused_for_its_audience():
    token, nonce, jwks = real_id_token(client=OTHER_CLIENT)
    # the same token is good for the client it was issued to (the check can pass) …
    assert oidc.verify_id_token(token, jwks, nonce=nonce, client_id=OTHER_CLIENT[0])["sub"] == CITIZEN["sub"]
    # … and refused for this portal's client id
    with pytest.raises(oidc.SignInError) as err:
        oidc.verify_id_token(token, jwks, nonce=nonce, client_id=CLIENT_ID)
    assert err.value.message == oidc.MSG_TOKEN and "aud" in err.value.detail


def test_expired_token_is_refused_with_a_bounded_leeway():
    token, nonce, jwks = real_id_token(client=(CLIENT_ID, "lyg-opendata-dev-secret"))
    exp = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["exp"]
    leeway = oidc.leeway()
    assert leeway == 60
    oidc.verify_id_token(token, jwks, nonce=nonce, now=exp + leeway - 5)
    with pytest.raises(oidc.SignInError) as err:
        oidc.verify_id_token(token, jwks, nonce=nonce, now=exp + leeway + 1)
    assert err.value.message == oidc.MSG_EXPIRED


@pytest.mark.ckan_config("ckanext.lyg_opendata.oidc.leeway", "86400")
def test_configured_leeway_never_exceeds_five_minutes():
    token, nonce, jwks = real_id_token(client=(CLIENT_ID, "lyg-opendata-dev-secret"))
    exp = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["exp"]
    assert oidc.leeway() == oidc.MAX_LEEWAY == 300
    with pytest.raises(oidc.SignInError):
        oidc.verify_id_token(token, jwks, nonce=nonce, now=exp + 301)
    # and a token issued in the future (a provider clock ahead by more than that) is refused
    iat = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["iat"]
    with pytest.raises(oidc.SignInError):
        oidc.verify_id_token(token, jwks, nonce=nonce, now=iat - 301)


def test_wrongly_signed_tokens_are_refused():
    token, nonce, jwks = real_id_token(client=(CLIENT_ID, "lyg-opendata-dev-secret"))
    oidc.verify_id_token(token, jwks, nonce=nonce)  # the genuine token passes
    header_b64, payload_b64, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=="))
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=="))
    # one signature byte changed
    raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
    raw[10] ^= 0xFF
    tampered = ".".join([header_b64, payload_b64, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()])
    # the claims changed (another subject) under the genuine signature
    forged_claims = dict(claims, sub=COMPANY_REP["sub"])
    swapped = ".".join([header_b64, base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode(), sig])
    # signed with another RSA key that claims the provider's key id
    other = RSAKey.generate_key(2048, parameters={"kid": header["kid"]})
    foreign = jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, other)
    # signed with the client secret (HS256), and unsigned (alg none)
    from joserfc.jwk import OctKey
    hmac_signed = jwt.encode({"alg": "HS256"}, claims, OctKey.import_key("lyg-opendata-dev-secret"))
    unsigned = ".".join([base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode(), payload_b64, ""])
    for bad in (tampered, swapped, foreign, hmac_signed, unsigned):
        with pytest.raises(oidc.SignInError) as err:
            oidc.verify_id_token(bad, jwks, nonce=nonce)
        assert err.value.message == oidc.MSG_TOKEN


def test_token_with_another_nonce_or_issuer_is_refused():
    token, nonce, jwks = real_id_token(client=(CLIENT_ID, "lyg-opendata-dev-secret"))
    with pytest.raises(oidc.SignInError):
        oidc.verify_id_token(token, jwks, nonce="another-nonce")
    with pytest.raises(oidc.SignInError):
        oidc.verify_id_token(token, jwks, nonce=nonce, expected_issuer="http://127.0.0.1:1")


# --- the provider down ----------------------------------------------------------------------

def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_provider_down_clear_message_and_local_sign_in_still_works(app, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.oidc.issuer", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.oidc.timeout", 2)
    res = app.get("/en/user/oidc/login", follow_redirects=False)
    assert res.status_code == 302 and res.headers["Location"].endswith("/en/user/login")
    body = app.get("/en/user/login").body
    assert "The unified identity service cannot be reached at the moment" in body
    assert "sign in with your local account" in body
    # the local form still signs in
    user = factories.User(password="Lyg-local-1234")
    res = app.post("/en/user/login", data={"login": user["name"], "password": "Lyg-local-1234"},
                   follow_redirects=False)
    assert res.status_code == 302 and "/user/login" not in res.headers["Location"]
    assert logged_in_name(app) is not None


# --- linking an existing local account ------------------------------------------------------

def test_email_of_a_local_account_is_not_taken_over(app):
    local = factories.User(email=CITIZEN["email"])
    res = sign_in(app, CITIZEN, "/en/user/oidc/login")
    assert res.headers["Location"].endswith("/en/user/login")
    assert identities() == []
    assert "link the unified identity" in app.get("/en/user/login").body
    assert logged_in_name(app) is None
    assert model.User.get(local["id"]).fullname != CITIZEN["name"]


def test_local_account_is_linked_once_by_proving_both(app):
    local = factories.UserWithToken(email=CITIZEN["email"])
    as_local = {"Authorization": local["token"]}  # proved: signed in as the local account
    res = app.post("/user/oidc/link", headers=as_local, follow_redirects=False)
    back = provider_sign_in(res.headers["Location"], CITIZEN["login"], CITIZEN["password"])
    res = app.get(portal_path(back), headers=as_local, follow_redirects=False)
    assert res.headers["Location"].endswith("/user/identity")
    assert "/en/" not in res.headers["Location"]
    [ident] = identities()
    assert (ident.user_id, ident.origin, ident.identity_level) == (local["id"], "linked", 3)
    assert model.User.get(local["id"]).fullname == CITIZEN["name"]

    # from now on the provider signs in to that account
    app.set_session_user(None)
    assert sign_in(app, CITIZEN).status_code == 302
    assert len(identities()) == 1
    assert "lyg-identity-real-name" in logged_in_name(app)

    # another local account cannot take the same identity …
    app.set_session_user(None)
    other = factories.UserWithToken()
    as_other = {"Authorization": other["token"]}
    res = app.post("/en/user/oidc/link", headers=as_other, follow_redirects=False)
    back = provider_sign_in(res.headers["Location"], CITIZEN["login"], CITIZEN["password"])
    res = app.get(portal_path(back), headers=as_other, follow_redirects=False)
    assert res.headers["Location"].endswith("/en/user/identity")
    assert "already linked to another account" in app.get("/en/user/identity", headers=as_other).body
    # … and the linked account cannot take a second identity of the provider
    res = app.post("/en/user/oidc/link", headers=as_local, follow_redirects=False)
    back = provider_sign_in(res.headers["Location"], COMPANY_REP["login"], COMPANY_REP["password"])
    app.get(portal_path(back), headers=as_local, follow_redirects=False)
    assert "already linked to another identity" in app.get("/en/user/identity", headers=as_local).body
    model.Session.expire_all()
    assert [(i.user_id, i.subject) for i in identities()] == [(local["id"], CITIZEN["sub"])]


def test_link_needs_a_signed_in_user(app):
    res = app.post("/user/oidc/link", follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]
    res = app.get("/user/identity", follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]


def test_a_later_sign_in_never_takes_another_accounts_email(app):
    """The provider's email now belongs to another local account: the sign-in goes on and the
    email stays with that account (User.by_email gives one user in CKAN 2.12: was a 500)."""
    assert sign_in(app, CITIZEN).status_code == 302
    [ident] = identities()
    user = model.User.get(ident.user_id)
    user.email = "changed-locally@example.invalid"
    model.repo.commit()
    other = factories.User(email=CITIZEN["email"])
    app.set_session_user(None)
    res = sign_in(app, CITIZEN)
    assert res.status_code == 302 and "/user/login" not in res.headers["Location"]
    model.Session.expire_all()
    assert model.User.get(ident.user_id).email == "changed-locally@example.invalid"
    assert model.User.get(other["id"]).email == CITIZEN["email"]
    assert logged_in_name(app) is not None
