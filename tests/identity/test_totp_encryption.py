"""TOTP secrets encrypted at rest (secretbox.py, migration 0019): nothing in the database
gives the secret, a value moved to another account does not decrypt, key rotation with the
CLI, a lost key refuses codes without a 500, the migration encrypts existing rows and its
downgrade decrypts them."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli
from ckanext.lyg_opendata.identity.security import secretbox, totp
from ckanext.lyg_opendata.identity.security.model import TotpSecret

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")

KEYS = "ckanext.lyg_opendata.identity.totp.encryption_keys"
PASSWORD = "Encrypted-2fa-2026"


def _raw(user_id):
    """The column as the database holds it."""
    return model.Session.execute(sa.text(
        "SELECT secret_encrypted FROM lyg_opendata_totp WHERE user_id = :u"), {"u": user_id}).scalar()


def _enrol_by_page(app, user):
    """Set up through the page as the signed-in user; the key shown."""
    headers = {"Authorization": user["token"]}
    page = app.get("/user/second-factor", headers=headers).body
    secret = re.search(r'class="lyg-2fa-secret">([A-Z2-7]+)<', page).group(1)
    res = app.post("/user/second-factor", headers=headers, data={"code": pyotp.TOTP(secret).now()})
    assert res.status_code == 200 and res.body.count('class="lyg-2fa-code"') == 10
    return secret


def test_the_database_never_holds_the_secret(app):
    user = factories.UserWithToken()
    secret = _enrol_by_page(app, user)
    model.Session.remove()
    raw = _raw(user["id"])
    assert secret not in raw and re.fullmatch(r"v1:[0-9a-f]{8}:[A-Za-z0-9_\-=]+", raw)
    row = model.Session.get(TotpSecret, user["id"])
    assert totp.plain_secret(row) == secret
    # two encryptions of the same secret differ (fresh nonce)
    assert secretbox.encrypt(secret, user["id"]) != secretbox.encrypt(secret, user["id"])
    # the privacy export does not contain it either
    export = tk.get_action("lyg_opendata_privacy_export")({"user": user["name"]}, {})
    assert secret not in str(export) and raw not in str(export)


def test_a_value_moved_to_another_account_does_not_decrypt():
    victim, thief = factories.User(), factories.User()
    value = secretbox.encrypt(pyotp.random_base32(), thief["id"])
    assert secretbox.decrypt(value, thief["id"])
    with pytest.raises(secretbox.SecretError):
        secretbox.decrypt(value, victim["id"])
    # as the victim's row: no code is accepted, and nothing fails loudly
    model.Session.add(TotpSecret(user_id=victim["id"], secret_encrypted=value,
                                 confirmed_at=model.Session.execute(sa.text("SELECT now()")).scalar()))
    model.Session.commit()
    row = model.Session.get(TotpSecret, victim["id"])
    thief_secret = secretbox.decrypt(value, thief["id"])
    assert not totp.check_code(row, pyotp.TOTP(thief_secret).now())


def test_keys_are_checked():
    with pytest.raises(secretbox.SecretError):
        secretbox._decode_key("not-a-key")
    assert len(secretbox._decode_key(secretbox.new_key())) == 32


def test_rotation_with_the_cli_and_a_lost_key(app, cli, monkeypatch):
    old_key, new_key = secretbox.new_key(), secretbox.new_key()
    monkeypatch.setitem(tk.config, KEYS, [old_key])
    user = factories.UserWithToken(password=PASSWORD)
    secret = _enrol_by_page(app, user)
    old_id = secretbox.key_id(secretbox._decode_key(old_key))
    new_id = secretbox.key_id(secretbox._decode_key(new_key))
    assert _raw(user["id"]).split(":")[1] == old_id

    # a new key first: old rows still decrypt; totp-rotate moves them to the new key
    monkeypatch.setitem(tk.config, KEYS, [new_key, old_key])
    result = cli.invoke(lyg_cli, ["identity", "totp-rotate", "--dry-run"])
    assert result.exit_code == 0 and "secrets re-encrypted: 1 (dry run)" in result.output
    assert _raw(user["id"]).split(":")[1] == old_id
    result = cli.invoke(lyg_cli, ["identity", "totp-rotate"])
    assert result.exit_code == 0 and "secrets re-encrypted: 1" in result.output, result.output
    model.Session.remove()
    assert _raw(user["id"]).split(":")[1] == new_id
    assert "secrets re-encrypted: 0" in cli.invoke(lyg_cli, ["identity", "totp-rotate"]).output

    # the old key removed: codes still accepted through the sign-in page
    monkeypatch.setitem(tk.config, KEYS, [new_key])
    model.Session.remove()
    row = model.Session.get(TotpSecret, user["id"])
    assert totp.check_code(row, pyotp.TOTP(secret).at(int(time.time()) + 30))
    model.Session.rollback()

    # the key lost: the code is refused (400, the usual message), never a 500
    monkeypatch.setitem(tk.config, KEYS, [secretbox.new_key()])
    model.Session.remove()
    res = app.post("/user/login", data={"login": user["name"], "password": PASSWORD},
                   follow_redirects=False)
    assert res.headers["Location"].endswith("/user/login/second-factor")
    res = app.post("/en/user/login/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert res.status_code == 400 and "The code is not right" in res.body
    result = cli.invoke(lyg_cli, ["identity", "totp-rotate"])
    assert result.exit_code != 0 and "no configured key" in result.output


def test_totp_key_prints_a_usable_key(cli):
    result = cli.invoke(lyg_cli, ["identity", "totp-key"])
    assert result.exit_code == 0
    assert len(secretbox._decode_key(result.output.strip())) == 32


def test_the_migration_encrypts_existing_rows_and_the_downgrade_decrypts(migrate_db_for):
    user = factories.User()
    secret = pyotp.random_base32()
    model.Session.add(TotpSecret(user_id=user["id"], secret_encrypted=secretbox.encrypt(secret, user["id"])))
    model.Session.commit()
    model.Session.remove()
    try:
        migrate_db_for("lyg_opendata", "0018_showcase", False)
        columns = [c["name"] for c in sa.inspect(model.meta.engine).get_columns("lyg_opendata_totp")]
        assert "secret" in columns and "secret_encrypted" not in columns
        stored = model.Session.execute(sa.text(
            "SELECT secret FROM lyg_opendata_totp WHERE user_id = :u"), {"u": user["id"]}).scalar()
        assert stored == secret  # the schema before: in clear
        model.Session.remove()
    finally:
        migrate_db_for("lyg_opendata")
    raw = _raw(user["id"])
    assert secretbox.is_encrypted(raw) and secret not in raw
    assert secretbox.decrypt(raw, user["id"]) == secret
