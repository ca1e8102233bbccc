"""Writing the access log: one record per access with who, what, when, how, IP, user agent
and grant, its own hash; the database refuses to change or delete records."""
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

import ckan.model as model
from ckan.tests import factories

from ckanext.lyg_opendata import audit
from ckanext.lyg_opendata.audit import log, reading, seals
from ckanext.lyg_opendata.audit.model import access_log, access_log_seal

from tests.audit.conftest import write

pytestmark = pytest.mark.usefixtures("audit_db")


def rows():
    with model.meta.engine.connect() as conn:
        return [r._asdict() for r in conn.execute(sa.select(access_log).order_by(access_log.c.id))]


def test_record_access_in_a_request_keeps_who_what_when_how_ip_agent_grant(app, cond, agency):
    user = factories.User(name="zhang-san", fullname="张三丰")
    res_id = cond["resources"][0]["id"]
    with app.flask_app.test_request_context(
            "/dataset/x", headers={"User-Agent": "Mozilla/5.0 test"},
            environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        before = dt.datetime.utcnow()
        audit.record_access(user="zhang-san", package_id=cond["name"], resource_id=res_id,
                            channel="ui", grant_id="grant-1")
    [rec] = rows()
    assert rec["user_id"] == user["id"] and rec["user_name"] == "zhang-san"
    assert rec["user_fullname"] == "张三丰"
    assert rec["package_id"] == cond["id"] and rec["resource_id"] == res_id
    assert rec["org_id"] == agency["id"] and rec["channel"] == "ui"
    assert rec["ip"] == "10.1.2.3" and rec["user_agent"] == "Mozilla/5.0 test"
    assert rec["grant_id"] == "grant-1"
    assert before - dt.timedelta(seconds=1) <= rec["created"] <= dt.datetime.utcnow()
    assert rec["day"] == log.today_beijing(rec["created"])
    assert rec["record_hash"] == log.record_hash(rec)


def test_user_by_id_object_or_nobody_and_no_request(cond):
    user = factories.User()
    audit.record_access(user=user["id"], package_id=cond["id"], resource_id=None, channel="api")
    audit.record_access(user=model.User.get(user["name"]), package_id=cond["id"],
                        resource_id=None, channel="datastore")
    audit.record_access(user=None, package_id=cond["id"], resource_id=None, channel="preview")
    a, b, c = rows()
    assert a["user_id"] == b["user_id"] == user["id"] and a["user_name"] == user["name"]
    assert c["user_id"] is None and c["user_name"] is None
    assert a["ip"] is None and a["user_agent"] is None  # no request: a job, the CLI
    assert [r["channel"] for r in (a, b, c)] == ["api", "datastore", "preview"]


def test_a_bad_channel_or_no_dataset_is_refused_and_writes_nothing(cond):
    with pytest.raises(ValueError):
        audit.record_access(user=None, package_id=cond["id"], resource_id=None, channel="ftp")
    with pytest.raises(ValueError):
        audit.record_access(user=None, package_id="", resource_id=None, channel="ui")
    assert rows() == []


def test_the_record_is_committed_whatever_the_callers_session_does(cond):
    user = factories.User()
    model.Session.add(model.User(name="never-committed", email="x@example.invalid"))
    audit.record_access(user=user["name"], package_id=cond["id"], resource_id=None, channel="ui")
    model.Session.rollback()
    assert len(rows()) == 1 and model.User.get("never-committed") is None


def test_people_who_accessed_are_the_distinct_users_in_order_of_first_access(cond, create_dataset):
    a, b = factories.User(), factories.User()
    other = create_dataset(name="other-audit")
    for user in (b, a, b, None):
        audit.record_access(user=user and user["name"], package_id=cond["id"],
                            resource_id=None, channel="ui")
    audit.record_access(user=a["name"], package_id=other["id"], resource_id=None, channel="ui")
    assert audit.people_who_accessed(cond["id"]) == [b["id"], a["id"]]
    assert audit.people_who_accessed(cond["name"]) == [b["id"], a["id"]]
    assert audit.people_who_accessed(other["id"]) == [a["id"]]


def _refused(sql, params=None):
    with pytest.raises(DBAPIError) as e:
        with model.meta.engine.begin() as conn:
            conn.execute(sa.text(sql), params or {})
    assert "append-only" in str(e.value)


def test_the_database_refuses_update_delete_truncate(cond):
    write(None, cond, days_ago=300)
    seals.seal()
    for table in ("lyg_opendata_access_log", "lyg_opendata_access_log_seal"):
        _refused(f"UPDATE {table} SET day = day")
        _refused(f"DELETE FROM {table}")
        _refused(f"TRUNCATE {table}")
    assert len(rows()) == 1


def test_only_the_purge_setting_deletes_and_only_sealed_days_older_than_six_months(cond):
    old = write(None, cond, days_ago=200)
    unsealed_old = None
    recent = write(None, cond, days_ago=10)
    seals.seal()
    unsealed_old = write(None, cond, days_ago=190)  # written after its day was sealed
    purge_on = "SET LOCAL lyg_opendata.access_log_purge = 'on'; "
    _refused(purge_on + "DELETE FROM lyg_opendata_access_log WHERE id = :id", {"id": recent})
    _refused(purge_on + "UPDATE lyg_opendata_access_log SET ip = 'x' WHERE id = :id", {"id": old})
    _refused(purge_on + "DELETE FROM lyg_opendata_access_log_seal")
    _refused("DELETE FROM lyg_opendata_access_log WHERE id = :id", {"id": old})
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text(purge_on + "DELETE FROM lyg_opendata_access_log WHERE id = :id"),
                     {"id": old})
    assert [r["id"] for r in rows()] == [recent, unsealed_old]
    # the setting is transaction-local: the next transaction is refused again
    _refused("DELETE FROM lyg_opendata_access_log WHERE id = :id", {"id": unsealed_old})
    with model.meta.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(access_log_seal)).scalar() > 0


def test_masking_rules():
    assert reading.mask_name("张三丰") == "张*丰" and reading.mask_name("张三") == "张*"
    assert reading.mask_name("zhangsan") == "z******n"
    assert reading.mask_ip("10.1.2.3") == "10.1.2.*"
    assert reading.mask_ip("2001:db8:85a3::8a2e:370:7334") == "2001:db8:85a3:*"
    rec = reading.masked({"user_id": "u", "user_name": "zhangsan", "user_fullname": "张三丰",
                      "ip": "10.1.2.3", "user_agent": "Mozilla"})
    assert rec == {"user_id": None, "user_name": "z******n", "user_fullname": "张*丰",
                   "ip": "10.1.2.*", "user_agent": None}
