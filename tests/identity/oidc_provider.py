"""Driving the local OIDC provider (identity/provider/server.mjs, started by
scripts/services.sh) as a browser would: its authorization endpoint, its login form, the
redirect back to the portal. Nothing here imitates the provider. (The fixture pointing the
portal at it, ``running_provider``, is in tests/identity/conftest.py.)"""
from __future__ import annotations

import os
import re
from urllib.parse import urljoin, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.common.security import generate_token

PORT = int(os.environ.get("LYG_OIDC_PORT", "9180"))
ISSUER = f"http://127.0.0.1:{PORT}"

CITIZEN = {"login": "citizen", "password": "citizen-demo-2026", "sub": "lyg-sso-0001",
           "name": "王晓明", "email": "wangxm@citizen.lyg.invalid", "phone": "+86 13800000001",
           "level": 3}
COMPANY_REP = {"login": "company-rep", "password": "company-demo-2026", "sub": "lyg-sso-0002",
               "name": "李华", "email": "lihua@gangcheng-tech.lyg.invalid", "level": 2}
REGISTERED = {"login": "registered", "password": "registered-demo-2026", "sub": "lyg-sso-0003",
              "name": "赵敏", "email": "zhaomin@citizen.lyg.invalid", "level": 1}

OTHER_CLIENT = ("lyg-other-portal", "lyg-other-portal-secret")


def provider_sign_in(authorize_url: str, login: str, password: str) -> str:
    """Follow the provider from its authorization URL through its login form; the URL it
    finally sends the browser to (the portal's callback with code and state)."""
    s = requests.Session()
    url, posted = authorize_url, False
    resp = s.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if resp.status_code in (302, 303):
            url = urljoin(url, resp.headers["Location"])
            if urlsplit(url).path.endswith("/user/oidc/callback"):
                return url
            resp = s.get(url, allow_redirects=False, timeout=10)
            continue
        assert resp.status_code == 200, (resp.status_code, resp.text[:300])
        assert not posted, "the provider refused the demo password: " + resp.text[:300]
        action = re.search(r'<form method="post" action="([^"]+)"', resp.text).group(1)
        url = urljoin(url, action)
        resp = s.post(url, data={"login": login, "password": password},
                      allow_redirects=False, timeout=10)
        posted = True
    raise AssertionError("the provider never sent the browser back")


def portal_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def real_id_token(client=OTHER_CLIENT, account=CITIZEN, nonce: str | None = None) -> tuple[str, str, dict]:
    """An ID token the running provider issues to ``client`` for ``account`` (a full
    authorization code flow with PKCE, as any relying party does); (token, nonce, jwks)."""
    meta = requests.get(ISSUER + "/.well-known/openid-configuration", timeout=10).json()
    nonce = nonce or generate_token(24)
    verifier = generate_token(64)
    redirect_uri = "http://127.0.0.1:5999/user/oidc/callback"
    with OAuth2Session(client[0], client[1], scope="openid profile email phone",
                       redirect_uri=redirect_uri, code_challenge_method="S256") as sess:
        url, state = sess.create_authorization_url(
            meta["authorization_endpoint"], nonce=nonce, code_verifier=verifier)
        back = provider_sign_in(url, account["login"], account["password"])
        token = sess.fetch_token(meta["token_endpoint"], authorization_response=back,
                                 code_verifier=verifier, state=state)
    jwks = requests.get(meta["jwks_uri"], timeout=10).json()
    return token["id_token"], nonce, jwks
