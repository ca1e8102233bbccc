"""Encryption at rest of the TOTP secrets (AES-256-GCM from ``cryptography``).

A stored value is ``v1:<key id>:<base64url(nonce + ciphertext + tag)>``; the user's id is the
associated data, so a value copied into another person's row does not decrypt. The keys:

- ``ckanext.lyg_opendata.identity.totp.encryption_keys``: base64url 32-byte keys, the first
  encrypts, every one decrypts (rotation: put a new key first, run
  ``ckan lyg-opendata identity totp-rotate``, then drop the old key);
- without it (dev, tests), a key derived from CKAN's ``SECRET_KEY`` (HKDF-SHA256). That key
  also decrypts when keys are configured, so that a portal moves to configured keys with one
  ``totp-rotate``.

The key id is the first 8 hex digits of the key's SHA-256: it names the key, it reveals
nothing of it.
"""
from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

import ckan.plugins.toolkit as tk

KEYS_OPTION = "ckanext.lyg_opendata.identity.totp.encryption_keys"
PREFIX = "v1"


class SecretError(Exception):
    """A stored value no configured key decrypts (or not a stored value at all)."""


def new_key() -> str:
    """A fresh key for ``encryption_keys``."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _decode_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (ValueError, TypeError) as err:
        raise SecretError(f"{KEYS_OPTION}: a key is not base64url") from err
    if len(raw) != 32:
        raise SecretError(f"{KEYS_OPTION}: a key must be 32 bytes (ckan lyg-opendata identity "
                          "totp-key makes one)")
    return raw


def _derived_key() -> bytes:
    secret = tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or ""
    if not secret:
        raise SecretError("neither encryption_keys nor SECRET_KEY is configured")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ckanext.lyg_opendata",
                info=b"totp secrets v1").derive(secret.encode())


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def keys() -> list[bytes]:
    """The keys, the encrypting one first."""
    configured = [_decode_key(k) for k in (tk.config.get(KEYS_OPTION) or []) if k.strip()]
    derived = _derived_key()
    return configured + ([derived] if derived not in configured else [])


def encrypt(plain: str, user_id: str) -> str:
    key = keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), user_id.encode())
    return f"{PREFIX}:{key_id(key)}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX + ":") and value.count(":") == 2


def decrypt(value: str, user_id: str) -> str:
    if not is_encrypted(value):
        raise SecretError("not an encrypted value")
    _prefix, kid, body = value.split(":")
    by_id = {key_id(k): k for k in keys()}
    if kid not in by_id:
        raise SecretError(f"no configured key has the id {kid}")
    try:
        raw = base64.urlsafe_b64decode(body)
        return AESGCM(by_id[kid]).decrypt(raw[:12], raw[12:], user_id.encode()).decode()
    except (InvalidTag, ValueError) as err:
        raise SecretError("the value does not decrypt with its key") from err


def needs_rotation(value: str) -> bool:
    """Encrypted with another key than the first (or not at all)."""
    return not is_encrypted(value) or value.split(":")[1] != key_id(keys()[0])
