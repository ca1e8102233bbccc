"""The access-log page and its CSV export: by role, filters, personal data masked by
default, unmasked for supervisors and sysadmins who give a reason (recorded)."""
import csv
import datetime as dt
import io

import pytest

from ckan.tests import factories

from ckanext.lyg_opendata.audit import log, reading

from tests.audit.conftest import write

pytestmark = pytest.mark.usefixtures("with_plugins")
# the tests after the read-only ones make their own world
PER_TEST = pytest.mark.usefixtures("audit_db")

URL = "/opendata/access-log"
CSV = "/opendata/access-log/export.csv"
UA = "Mozilla/5.0 (X11; Linux x86_64) LygTest/1.0"


def headers(user):
    return {"Authorization": user["token"]} if user else {}


@pytest.fixture
def records(cond):
    return make_records(cond)


@pytest.fixture(scope="module")
def read_world(shared_db):
    """What ``audit_db``, ``records`` and ``people`` build per test, in their order, built
    once for the tests that only read the log's page: (records, people, the Beijing day of
    the newest record: the day the tests filter by, not a later today)."""
    from tests.audit.conftest import SECRET, empty_log_tables
    from tests.conftest import dataset_creator, make_agency, make_people, make_sysadmin
    empty_log_tables()
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    cond = dataset_creator(sysadmin, agency)(
        name="cond-audit", title="停车场收费明细", open_type="conditional",
        open_conditions="仅向科研机构开放",
        resources=[{"url": SECRET, "format": "CSV", "name": "明细"}])
    now = dt.datetime.now(dt.timezone.utc)
    records = make_records(cond, today_of=now)
    return records, make_people(agency), log.today_beijing(now)


def make_records(cond, today_of=None):
    user = factories.User(name="zhangsanfeng", fullname="张三丰")
    write(user["name"], cond, days_ago=1, ip="10.20.30.40", user_agent=UA, grant_id="g-1",
          today_of=today_of)
    write(user["name"], cond, days_ago=0, channel="api", ip="10.20.30.41", user_agent=UA,
          today_of=today_of)
    return user


def read_csv(response):
    text = response.body if isinstance(response.body, str) else response.body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("role,status", [
    ("anonymous", 403), ("registered", 403), ("other_agency_editor", 200),
    ("agency_editor", 200), ("agency_admin", 200), ("supervisor", 200), ("sysadmin", 200)])
def test_page_by_role(app, read_world, role, status):
    _records, people, _day = read_world
    resp = app.get(URL, headers=headers(people[role]), status=status)
    if status != 200:
        return
    body = resp.body
    if role == "other_agency_editor":
        assert "lyg-access-log-row" not in body and "lyg-access-log-empty" in body
        app.get(URL, query_string={"package": "cond-audit"}, headers=headers(people[role]),
                status=403)
        return
    assert body.count("lyg-access-log-row") == 2
    assert "停车场收费明细" in body and "张*丰" in body and "10.20.30.*" in body
    assert "zhangsanfeng" not in body and "10.20.30.40" not in body and "LygTest" not in body
    assert "lyg-access-log-csv" in body
    assert ("lyg-access-log-unmasked" in body) == (role in ("supervisor", "sysadmin"))


def test_page_filters_and_field_errors(app, read_world):
    _records, people, day = read_world
    user = people["agency_editor"]
    today = day.isoformat()
    resp = app.get(URL, query_string={"date_from": today}, headers=headers(user))
    assert resp.body.count("lyg-access-log-row") == 1
    resp = app.get(URL, query_string={"date_from": "not-a-date"}, headers=headers(user), status=400)
    assert "lyg-error-date_from" in resp.body


def test_nav_link_for_agency_staff_and_supervisors_only(app, read_world):
    _records, people, _day = read_world
    for role in ("agency_editor", "supervisor"):
        assert URL in app.get("/dataset/", headers=headers(people[role])).body
    assert URL not in app.get("/dataset/", headers=headers(people["registered"])).body


@PER_TEST
def test_csv_is_masked_by_default(app, records, people):
    resp = app.get(CSV, query_string={"package": "cond-audit"},
                   headers=headers(people["agency_editor"]))
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = read_csv(resp)
    header, data = rows[0], rows[1:]
    assert len(data) == 2 and len(header) == len(data[0])
    text = "\n".join(",".join(r) for r in rows)
    assert "z**********g" in text and "张*丰" in text and "10.20.30.*" in text
    assert "zhangsanfeng" not in text and "10.20.30.40" not in text and "LygTest" not in text
    assert records["id"] not in text and "g-1" in text
    assert reading.disclosures() == []


@PER_TEST
def test_csv_unmasked_for_a_supervisor_with_a_reason_and_recorded(app, records, people):
    sup = people["supervisor"]
    form = {"unmasked": "true", "package": "cond-audit"}
    app.post(CSV, data=form, headers=headers(sup), status=400)          # no reason
    app.post(CSV, data=dict(form, reason="追查泄露"), headers=headers(people["agency_admin"]),
             status=403)
    assert reading.disclosures() == []
    resp = app.post(CSV, data=dict(form, reason="追查泄露线索"), headers=headers(sup))
    text = "\n".join(",".join(r) for r in read_csv(resp))
    assert "zhangsanfeng" in text and "10.20.30.40" in text and "LygTest" in text
    assert records["id"] in text
    [noted] = reading.disclosures()
    assert noted["how"] == "csv" and noted["user_name"] == sup["name"]
    assert noted["reason"] == "追查泄露线索" and noted["filters"] == {"package": "cond-audit"}


@PER_TEST
def test_csv_for_others(app, records, people):
    app.get(CSV, headers=headers(people["registered"]), status=403)
    app.get(CSV, headers={}, status=403)
    rows = read_csv(app.get(CSV, headers=headers(people["other_agency_editor"])))
    assert len(rows) == 1  # the header only: no record of another agency


@PER_TEST
@pytest.mark.parametrize("role,shown", [
    ("anonymous", False), ("registered", False), ("other_agency_editor", False),
    ("agency_editor", True), ("supervisor", True), ("sysadmin", True)])
def test_dataset_page_links_to_its_log_for_agency_and_supervisors(app, cond, publish, people,
                                                                  role, shown):
    publish(cond)
    resp = app.get(f"/dataset/{cond['name']}", headers=headers(people[role]))
    assert ("lyg-access-log-link" in resp.body) == shown
