"""Minimum retention of the security log's personal data: ``ckan lyg-opendata identity
purge-addresses`` shortens the client addresses (and masks names typed at failed sign-ins that
matched no account) of entries older than
``ckanext.lyg_opendata.identity.security_log.address_days`` Beijing days; the entries stay.
Days are given with ``--today`` (never the real today)."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.identity.security.model import SecurityEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

TODAY = "2026-07-01"
# 183 days before 2026-07-01 is 2025-12-30; Beijing midnight of that day is 16:00 UTC before
CUTOFF = dt.datetime(2025, 12, 29, 16, 0)


def run(cli, *args):
    result = cli.invoke(lyg_opendata, ["identity", "purge-addresses", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _entry(created, kind="sign_in", user=None, login=None, address="10.20.30.40"):
    row = SecurityEvent(kind=kind, created=created, user_id=user["id"] if user else None,
                        login=login if login is not None else (user["name"] if user else None),
                        address=address, detail={})
    model.Session.add(row)
    model.Session.commit()
    return row.id


def _row(entry_id):
    model.Session.expire_all()
    return model.Session.get(SecurityEvent, entry_id)


def test_old_addresses_shortened_recent_kept_entries_stay(cli):
    person = factories.User(name="kept-person")
    second = dt.timedelta(seconds=1)
    old_v4 = _entry(CUTOFF - second, user=person)
    old_v6 = _entry(CUTOFF - dt.timedelta(days=40), user=person, address="2001:db8:85a3:8d3:1319:8a2e:370:7348")
    old_unknown = _entry(CUTOFF - dt.timedelta(days=3), kind="sign_in_failed",
                         login="someone.else@example.invalid", address="192.168.7.9")
    old_known = _entry(CUTOFF - dt.timedelta(days=3), kind="sign_in_failed", user=person)
    old_cli = _entry(CUTOFF - dt.timedelta(days=3), kind="account_erased", address=None)
    recent = _entry(CUTOFF, user=person, address="10.9.8.7")  # Beijing 2025-12-30 00:00: kept
    total = model.Session.query(SecurityEvent).count()

    out = run(cli, "--today", TODAY, "--dry-run")
    assert "older than 183 days" in out and ": 4 (dry run" in out
    assert _row(old_v4).address == "10.20.30.40"

    assert ": 4 (shortened)" in run(cli, "--today", TODAY)
    assert _row(old_v4).address == "10.20.30.*"
    assert _row(old_v6).address == "2001:db8:85a3:*"
    unknown = _row(old_unknown)
    assert (unknown.address, unknown.login) == ("192.168.7.*", "s**************************d")
    known = _row(old_known)
    assert (known.address, known.login, known.user_id) == ("10.20.30.*", "kept-person", person["id"])
    assert _row(old_cli).address is None and _row(old_cli).kind == "account_erased"
    assert _row(recent).address == "10.9.8.7"
    assert model.Session.query(SecurityEvent).count() == total  # entries are kept

    assert ": 0 (shortened)" in run(cli, "--today", TODAY)  # a second run: nothing left
    # a day later, the entry of the Beijing day 2025-12-30 is past the period too
    assert ": 1 (shortened)" in run(cli, "--today", "2026-07-02")
    assert _row(recent).address == "10.9.8.*"


@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.security_log.address_days", "400")
def test_the_period_is_configured(cli):
    entry = _entry(dt.datetime(2025, 6, 1, 12, 0))
    assert ": 0 (shortened)" in run(cli, "--today", "2026-07-01")  # 395 days: kept
    assert _row(entry).address == "10.20.30.40"
    assert ": 0 (shortened)" in run(cli, "--today", "2026-07-06")  # its Beijing day is day 400
    assert "older than 400 days" in run(cli, "--today", "2026-07-07")
    assert _row(entry).address == "10.20.30.*"


@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.security_log.address_days", "90")
def test_less_than_six_months_is_refused(cli):
    entry = _entry(dt.datetime(2026, 1, 1, 12, 0))
    result = cli.invoke(lyg_opendata, ["identity", "purge-addresses", "--today", TODAY])
    assert result.exit_code != 0 and "at least 183 days" in result.output
    assert _row(entry).address == "10.20.30.40"


def test_a_bad_day_is_a_usage_error(cli):
    result = cli.invoke(lyg_opendata, ["identity", "purge-addresses", "--today", "1/7/2026"])
    assert result.exit_code == 2 and "--today" in result.output


@pytest.mark.ckan_config("ckanext.lyg_opendata.identity.security_log.address_days", "365")
def test_the_privacy_notice_says_when_addresses_are_shortened(app):
    text = app.get("/en/privacy").get_data(as_text=True)
    assert "after 365 days the client address is shortened" in text
