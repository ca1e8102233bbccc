"""``ckan lyg-opendata audit seal | verify | purge``: the chain verifies, and fails, naming
the first broken record, after a record is altered in the database."""
import datetime as dt

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories

from ckanext.lyg_opendata.audit import log
from ckanext.lyg_opendata.audit import seals as audit_seals
from ckanext.lyg_opendata.audit.model import access_log, access_log_purge, access_log_seal
from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli

from tests.audit.conftest import write

pytestmark = pytest.mark.usefixtures("audit_db")


def run(cli, *args, ok=True):
    result = cli.invoke(lyg_cli, ["audit", *args])
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def tamper(sql, **params):
    """What someone with the database owner's rights could do: disable the guard, edit."""
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE lyg_opendata_access_log DISABLE TRIGGER USER"))
        conn.execute(sa.text(sql), params)
        conn.execute(sa.text("ALTER TABLE lyg_opendata_access_log ENABLE TRIGGER USER"))


def seals():
    with model.meta.engine.connect() as conn:
        return [r._asdict() for r in conn.execute(sa.select(access_log_seal)
                                                  .order_by(access_log_seal.c.day))]


@pytest.fixture
def history(cond):
    """Records on three past days (one with two records), one today; a gap day between."""
    user = factories.User(fullname="张三丰")
    ids = [write(user["name"], cond, days_ago=5), write(user["name"], cond, days_ago=5, hour=15),
           write(None, cond, days_ago=3, channel="api"), write(user["id"], cond, days_ago=2),
           write(user["name"], cond, days_ago=0, hour=0)]
    return ids


def test_seal_closes_each_past_day_once_empty_days_included_chained(cli, history):
    out = run(cli, "seal")
    assert "days sealed: 5" in out and "records: 4" in out
    days = seals()
    assert [s["record_count"] for s in days] == [2, 0, 1, 1, 0]  # days 5, 4, 3, 2, 1 ago
    assert days[0]["prev_hash"] == log.GENESIS
    for prev, cur in zip(days, days[1:]):
        assert cur["day"] == prev["day"] + dt.timedelta(days=1)
        assert cur["prev_hash"] == prev["seal_hash"]
    assert days[-1]["day"] == log.today_beijing() - dt.timedelta(days=1)
    assert "days sealed: 0" in run(cli, "seal")  # nothing new; today stays open


def test_verify_passes_then_names_the_altered_record(cli, history):
    run(cli, "seal")
    out = run(cli, "verify")
    assert "records checked: 5 (1 not sealed yet), days sealed: 5" in out
    assert "verified" in out
    altered = history[2]
    tamper("UPDATE lyg_opendata_access_log SET ip = '203.0.113.9' WHERE id = :id", id=altered)
    out = run(cli, "verify", ok=False)
    assert f"first broken: record {altered} (" in out
    with model.meta.engine.connect() as conn:
        created = conn.execute(sa.select(access_log.c.created)
                               .where(access_log.c.id == altered)).scalar()
    beijing = created + dt.timedelta(hours=8)
    assert beijing.strftime("%Y-%m-%d %H:%M:%S") in out
    assert "content does not match its hash" in out


def test_an_alteration_with_its_hash_recomputed_breaks_the_days_root(cli, history):
    run(cli, "seal")
    with model.meta.engine.connect() as conn:
        rec = conn.execute(sa.select(access_log).where(access_log.c.id == history[1])).first()._asdict()
    rec["user_name"] = "somebody-else"
    tamper("UPDATE lyg_opendata_access_log SET user_name = :n, record_hash = :h WHERE id = :id",
           n="somebody-else", h=log.record_hash(rec), id=history[1])
    out = run(cli, "verify", ok=False)
    assert f"first broken: day {rec['day'].isoformat()}" in out and "root" in out


def test_a_deleted_record_and_a_deleted_unsealed_record(cli, history):
    run(cli, "seal")
    tamper("DELETE FROM lyg_opendata_access_log WHERE id = :id", id=history[0])
    out = run(cli, "verify", ok=False)
    assert "records were removed or added after sealing" in out
    assert "where the seal has 2" in out


def test_a_record_of_an_unsealed_day_is_checked_by_its_hash(cli, history):
    tamper("UPDATE lyg_opendata_access_log SET grant_id = 'forged' WHERE id = :id", id=history[4])
    out = run(cli, "verify", ok=False)
    assert f"first broken: record {history[4]}" in out


def test_purge_deletes_old_days_keeps_their_seals_and_still_verifies(cli, cond, ckan_config,
                                                                    monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.lyg_opendata.access_log.retention_days", 183)
    old = [write(None, cond, days_ago=200), write(None, cond, days_ago=190)]
    kept = [write(None, cond, days_ago=180), write(None, cond, days_ago=1)]
    out = run(cli, "purge")
    assert "records purged: 2" in out
    with model.meta.engine.connect() as conn:
        left = [r.id for r in conn.execute(sa.select(access_log.c.id).order_by(access_log.c.id))]
        purges = conn.execute(sa.select(access_log_purge)).all()
    assert left == kept and old[0] not in left
    assert len(purges) == 1 and purges[0].record_count == 2 and purges[0].retention_days == 183
    assert seals()[0]["day"] == log.today_beijing() - dt.timedelta(days=200)  # seal kept
    out = run(cli, "verify")
    assert "days purged: 2" in out and "verified" in out
    assert "records purged: 0" in run(cli, "purge")


def test_purge_refuses_a_retention_under_six_months(cli, cond, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.lyg_opendata.access_log.retention_days", 90)
    write(None, cond, days_ago=200)
    out = run(cli, "purge", ok=False)
    assert "183" in out
    with model.meta.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(access_log)).scalar() == 1


def test_default_retention_keeps_records_three_years(cli, cond):
    write(None, cond, days_ago=400)
    assert "records purged: 0" in run(cli, "purge")
    assert audit_seals.retention_days() == 1095
