"""统一身份认证: sign-in through an OpenID Connect provider (docs/identity.md).

Built on Authlib (the authorization request with PKCE, the token exchange, the userinfo call)
and joserfc (Authlib's JOSE library: the ID token's signature and claims). The flow:

1. ``begin``: the provider's discovery document, a fresh ``state``, ``nonce`` and PKCE
   ``code_verifier`` kept in the user's session, the redirect to the authorization endpoint;
2. ``finish``: the callback's ``state`` compared with the session's (one use), the code
   exchanged with the client secret and the verifier, the ID token's signature checked with the
   provider's published keys, its issuer, audience, expiry (a bounded leeway), issue time and
   nonce checked; the userinfo answer completes the claims (same subject);
3. ``sign_in``: the provider identity (issuer + stable subject) finds its CKAN user, or makes
   one on the first sign-in, or links the signed-in local account (once); the name, email,
   phone and real-name level are updated from the claims on each sign-in.
"""
from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from hashlib import sha256
from typing import Any, Optional

import requests
import sqlalchemy as sa
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.identity.oidc_model import OidcIdentity
from ckanext.lyg_opendata.workflow import utcnow

log = logging.getLogger(__name__)

CFG = "ckanext.lyg_opendata.oidc."
# signature algorithms accepted on an ID token: asymmetric only (never "none", never a
# shared-secret HMAC an attacker with the client secret could forge)
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA")
# the longest clock difference ever accepted, whatever the configuration says
MAX_LEEWAY = 300


class SignInError(Exception):
    """A refused sign-in; ``message`` is marked with ``N_`` and translated when shown."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail


class ProviderUnavailable(SignInError):
    """The provider did not answer (or answered nonsense): local sign-in still works."""


MSG_UNAVAILABLE = N_("The unified identity service cannot be reached at the moment. Please try "
                     "again later, or sign in with your local account.")
MSG_STATE = N_("The sign-in could not be completed: its request does not match this browser "
               "session (it may have expired or been opened twice). Please sign in again.")
MSG_TOKEN = N_("The sign-in could not be completed: the identity service's answer could not "
               "be verified. Please sign in again.")
MSG_EXPIRED = N_("The sign-in could not be completed: the identity service's answer has "
                 "expired. Please sign in again.")
MSG_CANCELLED = N_("The sign-in through the unified identity service was cancelled.")
MSG_EMAIL_TAKEN = N_("An account with the email address of this identity already exists. Sign "
                     "in with that account's password first, then link the unified identity "
                     "on your account page.")
MSG_ALREADY_LINKED = N_("This identity is already linked to another account.")
MSG_USER_HAS_LINK = N_("Your account is already linked to another identity of this service.")
MSG_NO_EMAIL = N_("The identity service gave no email address for this identity: an account "
                  "cannot be created.")
MSG_DISABLED = N_("Sign-in through the unified identity service is not configured.")
MSG_BLOCKED = N_("The account linked to this identity is not active.")


def enabled() -> bool:
    return bool(tk.config.get(CFG + "issuer") and tk.config.get(CFG + "client_id"))


def issuer() -> str:
    return (tk.config.get(CFG + "issuer") or "").rstrip("/")


def _timeout() -> float:
    return float(tk.config.get(CFG + "timeout"))


def leeway() -> int:
    """The accepted clock difference in seconds, bounded by ``MAX_LEEWAY``."""
    return max(0, min(int(tk.config.get(CFG + "leeway")), MAX_LEEWAY))


def _get_json(url: str) -> dict[str, Any]:
    try:
        resp = requests.get(url, timeout=_timeout(), headers={"Accept": "application/json"})
        resp.raise_for_status()
        data = resp.json()
    except (requests.RequestException, ValueError) as err:
        raise ProviderUnavailable(MSG_UNAVAILABLE, f"{url}: {err}") from err
    if not isinstance(data, dict):
        raise ProviderUnavailable(MSG_UNAVAILABLE, f"{url}: not a JSON object")
    return data


def discovery() -> dict[str, Any]:
    """The provider's metadata (``/.well-known/openid-configuration``), its issuer checked."""
    if not enabled():
        raise SignInError(MSG_DISABLED)
    meta = _get_json(issuer() + "/.well-known/openid-configuration")
    if (meta.get("issuer") or "").rstrip("/") != issuer():
        raise ProviderUnavailable(MSG_UNAVAILABLE, f"discovery issuer {meta.get('issuer')!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(meta.get(key), str):
            raise ProviderUnavailable(MSG_UNAVAILABLE, f"discovery without {key}")
    return meta


def _client(redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=tk.config.get(CFG + "client_id"),
        client_secret=tk.config.get(CFG + "client_secret") or None,
        scope=tk.config.get(CFG + "scope"),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )


def begin(redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """The provider's authorization URL and what the session keeps until the callback."""
    meta = discovery()
    pending = {
        "issuer": issuer(),
        "state": generate_token(32),
        "nonce": generate_token(32),
        "code_verifier": generate_token(64),
        "redirect_uri": redirect_uri,
        "started": int(time.time()),
    }
    with _client(redirect_uri) as client:
        url, _state = client.create_authorization_url(
            meta["authorization_endpoint"], state=pending["state"], nonce=pending["nonce"],
            code_verifier=pending["code_verifier"])
    return url, pending


def verify_id_token(id_token: str, jwks: dict[str, Any], *, nonce: str,
                    client_id: Optional[str] = None, expected_issuer: Optional[str] = None,
                    now: Optional[int] = None) -> dict[str, Any]:
    """The ID token's claims once its signature (the provider's keys, an asymmetric algorithm),
    issuer, audience, authorized party, expiry, issue time and nonce are right; else
    ``SignInError``. ``now`` (seconds) is for the tests of expiry."""
    client_id = client_id or tk.config.get(CFG + "client_id")
    expected_issuer = expected_issuer or issuer()
    try:
        keys = KeySet.import_key_set(jwks)
        token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
    except (JoseError, ValueError, TypeError, KeyError) as err:
        raise SignInError(MSG_TOKEN, f"signature: {err!r}") from err
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=now, leeway=leeway(),
        iss={"essential": True, "value": expected_issuer},
        sub={"essential": True},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as err:
        raise SignInError(MSG_EXPIRED, f"claims: {err!r}") from err
    except JoseError as err:
        raise SignInError(MSG_TOKEN, f"claims: {err!r}") from err
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client_id:
        raise SignInError(MSG_TOKEN, "several audiences and another authorized party")
    if "azp" in claims and claims["azp"] != client_id:
        raise SignInError(MSG_TOKEN, f"authorized party {claims['azp']!r}")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise SignInError(MSG_TOKEN, "no subject")
    return claims


def finish(pending: Optional[dict[str, Any]], args: dict[str, str]) -> dict[str, Any]:
    """The verified claims of the callback ``args`` (the query string) for the sign-in the
    session started (``pending``, already removed from the session: one use)."""
    if not pending or pending.get("issuer") != issuer():
        raise SignInError(MSG_STATE, "no sign-in pending in this session")
    got_state = args.get("state") or ""
    if not hmac.compare_digest(got_state.encode(), str(pending["state"]).encode()):
        raise SignInError(MSG_STATE, "state does not match")
    if args.get("error"):
        if args.get("error") == "access_denied":
            raise SignInError(MSG_CANCELLED, args.get("error_description", ""))
        raise SignInError(MSG_TOKEN, f"provider error {args.get('error')}")
    # RFC 9207: the provider names itself in the answer (mix-up attacks)
    if args.get("iss") and args["iss"].rstrip("/") != issuer():
        raise SignInError(MSG_TOKEN, f"answer from issuer {args['iss']!r}")
    code = args.get("code")
    if not code:
        raise SignInError(MSG_TOKEN, "no code")
    meta = discovery()
    with _client(pending["redirect_uri"]) as client:
        try:
            token = client.fetch_token(
                meta["token_endpoint"], grant_type="authorization_code", code=code,
                code_verifier=pending["code_verifier"], timeout=_timeout())
        except OAuthError as err:
            raise SignInError(MSG_TOKEN, f"token endpoint: {err!r}") from err
        except requests.RequestException as err:
            raise ProviderUnavailable(MSG_UNAVAILABLE, f"token endpoint: {err}") from err
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SignInError(MSG_TOKEN, "no id_token")
        claims = verify_id_token(id_token, _get_json(meta["jwks_uri"]), nonce=pending["nonce"])
        if isinstance(meta.get("userinfo_endpoint"), str):
            try:
                resp = client.get(meta["userinfo_endpoint"], timeout=_timeout())
                resp.raise_for_status()
                info = resp.json()
            except (requests.RequestException, ValueError) as err:
                raise ProviderUnavailable(MSG_UNAVAILABLE, f"userinfo: {err}") from err
            if not isinstance(info, dict) or info.get("sub") != claims["sub"]:
                raise SignInError(MSG_TOKEN, "userinfo of another subject")
            claims = {**info, **claims}
    return claims


# --- the CKAN user ---------------------------------------------------------------------------

def identity_level(claims: dict[str, Any]) -> Optional[int]:
    """The real-name level: the configured claim (``identity_level``), else the digit that ends
    the ``acr`` value (``urn:lyg:loa:3``)."""
    value = claims.get(tk.config.get(CFG + "level_claim"))
    if value is None and isinstance(claims.get("acr"), str):
        m = re.search(r"(\d+)$", claims["acr"])
        value = m.group(1) if m else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def identity_of(user_id: str) -> Optional[OidcIdentity]:
    return (model.Session.query(OidcIdentity)
            .filter(OidcIdentity.user_id == user_id, OidcIdentity.issuer == issuer())
            .one_or_none())


def _free_name(claims: dict[str, Any]) -> str:
    wanted = str(claims.get("preferred_username") or "").lower()
    if re.fullmatch(r"[a-z0-9_\-]{2,100}", wanted) and not model.User.get(wanted):
        return wanted
    base = "sso-" + sha256(f"{issuer()}|{claims['sub']}".encode()).hexdigest()[:10]
    name, n = base, 1
    while model.User.get(name):
        n += 1
        name = f"{base}-{n}"
    return name


def _apply_claims(user: model.User, ident: OidcIdentity, claims: dict[str, Any]) -> None:
    if isinstance(claims.get("name"), str) and claims["name"].strip():
        user.fullname = claims["name"].strip()[:100]
    email = claims.get("email")
    if isinstance(email, str) and email and email != user.email:
        # CKAN 2.12's User.by_email gives one user (or None), not a list
        other = model.Session.query(model.User.id).filter(
            sa.func.lower(model.User.email) == email.lower(), model.User.id != user.id).first()
        if other is None:
            user.email = email
    phone = claims.get("phone_number")
    ident.phone = phone if isinstance(phone, str) else ident.phone
    ident.identity_level = identity_level(claims)
    ident.acr = claims.get("acr") if isinstance(claims.get("acr"), str) else None
    ident.last_login = utcnow()


def sign_in(claims: dict[str, Any], link_user_id: Optional[str] = None) -> model.User:
    """The CKAN user of the verified ``claims`` (created, updated or linked), committed.

    ``link_user_id``: the local account signed in when the link was asked for — it is linked
    to this identity if neither has a link yet."""
    iss, sub = issuer(), claims["sub"]
    ident = (model.Session.query(OidcIdentity)
             .filter(OidcIdentity.issuer == iss, OidcIdentity.subject == sub)
             .with_for_update().one_or_none())
    if link_user_id:
        if ident is not None and ident.user_id != link_user_id:
            model.Session.rollback()
            raise SignInError(MSG_ALREADY_LINKED)
        if ident is None:
            if identity_of(link_user_id) is not None:
                model.Session.rollback()
                raise SignInError(MSG_USER_HAS_LINK)
            ident = OidcIdentity(issuer=iss, subject=sub, user_id=link_user_id, origin="linked")
            model.Session.add(ident)
    elif ident is None:
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            model.Session.rollback()
            raise SignInError(MSG_NO_EMAIL)
        if model.User.by_email(email):
            model.Session.rollback()
            raise SignInError(MSG_EMAIL_TAKEN)
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        created = tk.get_action("user_create")(
            {"ignore_auth": True, "user": site_user["name"]},
            {"name": _free_name(claims), "email": email,
             "fullname": str(claims.get("name") or "")[:100],
             "password": secrets.token_urlsafe(32) + "aA1!"})
        ident = OidcIdentity(issuer=iss, subject=sub, user_id=created["id"], origin="created")
        model.Session.add(ident)
    user = model.User.get(ident.user_id)
    if user is None or user.state != "active":
        model.Session.rollback()
        raise SignInError(MSG_BLOCKED)
    _apply_claims(user, ident, claims)
    model.repo.commit()
    return user


def is_real_name(ident: Optional[OidcIdentity]) -> bool:
    """已实名: the provider's real-name level reaches the configured minimum."""
    return bool(ident is not None and ident.identity_level is not None
                and ident.identity_level >= int(tk.config.get(CFG + "real_name_min_level")))
