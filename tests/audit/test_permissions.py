"""Who sees the access log: the agency's editors and admins their own datasets' records,
supervisors and sysadmins all; personal data unmasked only for supervisors and sysadmins
who give a reason, and that is recorded."""
import datetime as dt

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.lyg_opendata.audit import log, reading

from tests.audit.conftest import write
from tests.conftest import ROLES, catalog_fields

pytestmark = pytest.mark.usefixtures("with_plugins")
# the tests after the read-only ones make their own world (they record disclosures)
PER_TEST = pytest.mark.usefixtures("audit_db")

SEES = {"anonymous": None, "registered": None, "other_agency_editor": "other",
        "agency_editor": "cond", "agency_admin": "cond", "supervisor": "all", "sysadmin": "all"}


@pytest.fixture
def records(cond, people, sysadmin):
    return make_records(cond, sysadmin)


@pytest.fixture(scope="module")
def read_world(shared_db):
    """What ``audit_db``, ``records`` and ``people`` build per test, built once for the
    read-only tests (they list the log as each role): (records, people)."""
    from tests.audit.conftest import SECRET, empty_log_tables
    from tests.conftest import dataset_creator, make_agency, make_people, make_sysadmin
    empty_log_tables()
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    cond = dataset_creator(sysadmin, agency)(
        name="cond-audit", title="停车场收费明细", open_type="conditional",
        open_conditions="仅向科研机构开放",
        resources=[{"url": SECRET, "format": "CSV", "name": "明细"}])
    people = make_people(agency)
    return make_records(cond, sysadmin), people


def make_records(cond, sysadmin):
    other_org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": "lyg-other-agency"})
    other = tk.get_action("package_create")(
        {"user": sysadmin["name"]},
        catalog_fields(name="other-cond", owner_org=other_org["id"], open_type="conditional",
                       open_conditions="仅限统计用途",
                       resources=[{"url": "http://x.example.invalid/o.csv", "name": "o"}]))
    user = factories.User(fullname="张三丰")
    now = dt.datetime.now(dt.timezone.utc)
    write(user["name"], cond, days_ago=1, today_of=now)
    write(user["name"], cond, days_ago=0, channel="api", today_of=now)
    write(user["name"], other, days_ago=0, channel="datastore", today_of=now)
    return {"cond": cond, "other": other, "user": user, "day": log.today_beijing(now)}


def call(role, people, **data):
    user = people[role]
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("lyg_opendata_access_log_list", context=context, **data)


@pytest.mark.parametrize("role", ROLES)
def test_list_by_role(read_world, role):
    records, people = read_world
    if SEES[role] is None:
        with pytest.raises(tk.NotAuthorized):
            call(role, people)
        return
    result = call(role, people)
    names = sorted(r["package_name"] for r in result["results"])
    expected = {"cond": ["cond-audit", "cond-audit"], "other": ["other-cond"],
                "all": ["cond-audit", "cond-audit", "other-cond"]}[SEES[role]]
    assert names == expected and result["count"] == len(expected)
    assert result["masked"] is True
    for rec in result["results"]:
        assert rec["user_name"] != records["user"]["name"] and rec["user_id"] is None
        assert rec["user_fullname"] == "张*丰"


@pytest.mark.parametrize("role", ROLES)
def test_a_datasets_log_only_for_its_agency_and_supervisors(read_world, role):
    records, people = read_world
    allowed = SEES[role] in ("cond", "all")
    if not allowed:
        with pytest.raises(tk.NotAuthorized):
            call(role, people, package="cond-audit")
        with pytest.raises(tk.NotAuthorized):
            call(role, people, organization="lyg-jtj-test")
        return
    assert call(role, people, package="cond-audit")["count"] == 2
    assert call(role, people, organization="lyg-jtj-test")["count"] == 2


@PER_TEST
@pytest.mark.parametrize("role", ROLES)
def test_unmasked_only_for_supervisors_and_sysadmins_with_a_reason(records, people, role):
    if SEES[role] != "all":
        with pytest.raises(tk.NotAuthorized):
            call(role, people, unmasked=True, reason="核查数据泄露线索")
        assert reading.disclosures() == []
        return
    with pytest.raises(tk.ValidationError) as e:
        call(role, people, unmasked=True)
    assert "reason" in e.value.error_dict
    assert reading.disclosures() == []
    result = call(role, people, unmasked=True, reason="核查数据泄露线索", package="cond-audit")
    assert result["masked"] is False
    assert {r["user_name"] for r in result["results"]} == {records["user"]["name"]}
    assert {r["user_id"] for r in result["results"]} == {records["user"]["id"]}
    [noted] = reading.disclosures()
    assert noted["user_name"] == people[role]["name"] and noted["reason"] == "核查数据泄露线索"
    assert noted["how"] == "api" and noted["filters"] == {"package": "cond-audit"}


@PER_TEST
def test_filters_paging_and_field_errors(records, people):
    sup = "supervisor"
    assert call(sup, people, channel="api")["count"] == 1
    assert call(sup, people, user=records["user"]["name"])["count"] == 3
    today = records["day"].isoformat()   # the Beijing day the records were written on
    assert call(sup, people, date_from=today, date_to=today)["count"] == 2
    page = call(sup, people, limit=2, offset=2)
    assert page["count"] == 3 and len(page["results"]) == 1
    newest_first = [r["id"] for r in call(sup, people)["results"]]
    assert newest_first == sorted(newest_first, reverse=True)
    for bad, field in [({"date_from": "2026-13-01"}, "date_from"), ({"limit": 5000}, "limit"),
                       ({"offset": -1}, "offset"), ({"channel": "ftp"}, "channel"),
                       ({"organization": "no-such-org"}, "organization"),
                       ({"date_from": today, "date_to": "2000-01-01"}, "date_to")]:
        with pytest.raises(tk.ValidationError) as e:
            call(sup, people, **bad)
        assert field in e.value.error_dict, bad
