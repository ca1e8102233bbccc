"""Freshness (Art 15, 39): the due date of every update frequency, overdue decided against
the clock at query time, the overdue filter in search, the per-agency overdue list, and the
daily reminder mail to each agency."""
import datetime as dt

import pytest
from freezegun import freeze_time

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
from ckan.cli.jobs import jobs as jobs_cli
from ckan.tests import helpers

from ckanext.lyg_opendata.catalog import freshness
from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli
from tests.catalog.conftest import ROLES, auth_header, user_name
from tests.conftest import ROOT, read_mail_to

pytestmark = pytest.mark.usefixtures("with_plugins")

UTC = dt.timezone.utc

# data_updated 2026-01-10 is a Beijing day: it ends 2026-01-10T16:00Z; grace 24 h by default
DUE_FROM_DATE = {
    "realtime": (dt.datetime(2026, 1, 11, 16), dt.date(2026, 1, 11)),
    "daily": (dt.datetime(2026, 1, 12, 16), dt.date(2026, 1, 12)),
    "weekly": (dt.datetime(2026, 1, 17, 16), dt.date(2026, 1, 17)),
    "monthly": (dt.datetime(2026, 2, 10, 16), dt.date(2026, 2, 10)),
    "quarterly": (dt.datetime(2026, 4, 12, 16), dt.date(2026, 4, 12)),
    "semiannual": (dt.datetime(2026, 7, 12, 16), dt.date(2026, 7, 12)),
    "annual": (dt.datetime(2027, 1, 11, 16), dt.date(2027, 1, 11)),
    "irregular": (None, None),
    "never": (None, None),
}


def test_every_frequency_is_covered():
    from ckanext.lyg_opendata import vocab
    assert set(DUE_FROM_DATE) == set(vocab.codes("update_frequency"))


# --- the due date --------------------------------------------------------------------------

@pytest.mark.parametrize("frequency", list(DUE_FROM_DATE))
def test_due_date_of_each_frequency_from_a_declared_day(frequency):
    pkg = {"update_frequency": frequency, "data_updated": "2026-01-10"}
    due, day = DUE_FROM_DATE[frequency]
    assert freshness.due_date(pkg) == due
    assert freshness.due_day(freshness.due_date(pkg)) == day


@pytest.mark.parametrize("frequency", [f for f, (due, _) in DUE_FROM_DATE.items() if due])
def test_overdue_starts_when_the_deadline_day_ends_in_beijing(frequency):
    pkg = {"update_frequency": frequency, "data_updated": "2026-01-10"}
    due, _ = DUE_FROM_DATE[frequency]
    assert not freshness.is_overdue(pkg, now=due - dt.timedelta(seconds=1))
    assert freshness.is_overdue(pkg, now=due)
    # 24:00 Beijing time of the deadline day
    assert due.replace(tzinfo=UTC).astimezone(freshness.BEIJING).time() == dt.time(0, 0)


@pytest.mark.parametrize("frequency", ["irregular", "never"])
def test_irregular_and_never_updated_data_never_fall_due(frequency):
    pkg = {"update_frequency": frequency, "data_updated": "1990-01-01"}
    assert freshness.due_date(pkg) is None
    assert not freshness.is_overdue(pkg, now=dt.datetime(2100, 1, 1))


def test_a_data_files_last_change_counts_from_its_instant():
    pkg = {"update_frequency": "monthly", "resources": [
        {"last_modified": "2026-01-10T02:30:00", "created": "2025-12-01T00:00:00"},
        {"last_modified": None, "created": "2026-01-05T00:00:00"}]}
    assert freshness.due_date(pkg) == dt.datetime(2026, 2, 10, 2, 30)
    assert freshness.data_updated_day(pkg) == dt.date(2026, 1, 10)


def test_the_declared_day_wins_over_data_files_and_creation_is_the_last_resort():
    pkg = {"update_frequency": "weekly", "data_updated": "2026-03-01",
           "resources": [{"last_modified": "2026-03-05T00:00:00"}],
           "metadata_created": "2026-01-01T00:00:00"}
    assert freshness.data_updated_day(pkg) == dt.date(2026, 3, 1)
    pkg = {"update_frequency": "weekly", "metadata_created": "2026-01-01T20:00:00"}
    assert freshness.data_updated_day(pkg) == dt.date(2026, 1, 2)  # 04:00 in Beijing
    assert freshness.due_date(pkg) == dt.datetime(2026, 1, 8, 20)


@pytest.mark.ckan_config("ckanext.lyg_opendata.freshness.grace_hours", 6)
@pytest.mark.parametrize("frequency,due", [
    ("realtime", dt.datetime(2026, 1, 10, 8, 30)),
    ("daily", dt.datetime(2026, 1, 11, 8, 30)),
    ("weekly", dt.datetime(2026, 1, 17, 2, 30)),  # no grace beyond daily
])
def test_grace_hours_apply_to_realtime_and_daily_only(frequency, due):
    pkg = {"update_frequency": frequency, "resources": [{"last_modified": "2026-01-10T02:30:00"}]}
    assert freshness.due_date(pkg) == due


@pytest.mark.ckan_config("ckanext.lyg_opendata.freshness.grace_hours", 0)
def test_realtime_without_grace_is_due_once_the_update_day_ends():
    pkg = {"update_frequency": "realtime", "data_updated": "2026-01-10"}
    assert freshness.due_date(pkg) == dt.datetime(2026, 1, 10, 16)


def test_overdue_follows_the_clock():
    pkg = {"update_frequency": "monthly", "data_updated": "2026-01-10"}
    with freeze_time("2026-02-10T15:59:59Z"):
        assert not freshness.is_overdue(pkg)
        assert not freshness.update_status(pkg)["overdue"]
    with freeze_time("2026-02-10T16:00:00Z"):
        assert freshness.is_overdue(pkg)
        status = freshness.update_status(pkg)
        assert status["overdue"] and status["due_day"] == dt.date(2026, 2, 10)
        assert status["last_updated"] == dt.date(2026, 1, 10)


def test_time_zone_aware_stamps_are_read_in_utc():
    pkg = {"update_frequency": "daily", "resources": [{"last_modified": "2026-01-10T08:00:00+08:00"}]}
    assert freshness.due_date(pkg) == dt.datetime(2026, 1, 12, 0, 0)


# --- overdue in the index and in search ----------------------------------------------------

@pytest.fixture
def overdue_catalog(agency, other_agency, make_entry):
    today = dt.datetime.now(freshness.BEIJING).date().isoformat()
    return {
        "a_overdue": make_entry(agency, "甲局逾期月度", update_frequency="monthly",
                                data_updated="2020-01-01"),
        "a_fresh": make_entry(agency, "甲局及时月度", update_frequency="monthly", data_updated=today),
        "a_irregular": make_entry(agency, "甲局不定期", update_frequency="irregular",
                                  data_updated="2020-01-01"),
        "a_draft": make_entry(agency, "甲局逾期草稿", status="draft", update_frequency="daily",
                              data_updated="2020-01-01"),
        "a_non_open": make_entry(agency, "甲局非开放逾期", open_type="non_open",
                                 non_open_basis="state_secret", non_open_reason="涉及国家秘密",
                                 update_frequency="weekly", data_updated="2020-01-01"),
        "b_overdue": make_entry(other_agency, "乙局逾期年度", update_frequency="annual",
                                data_updated="2020-01-01"),
    }


def search_titles(user=None, **params):
    result = tk.get_action("package_search")({"user": user_name(user)}, {"rows": 100, **params})
    return {p["title"] for p in result["results"]}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_overdue_filter_of_package_search(overdue_catalog, sysadmin):
    assert search_titles(fq="overdue:true") == {"甲局逾期月度", "乙局逾期年度"}
    assert search_titles(sysadmin, fq="overdue:true", include_private=True) == {
        "甲局逾期月度", "乙局逾期年度", "甲局逾期草稿", "甲局非开放逾期"}
    assert search_titles(fq='overdue:true organization:"lyg-jtj-test"') == {"甲局逾期月度"}
    assert search_titles(q="年度", fq="overdue:true") == {"乙局逾期年度"}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_index_holds_the_due_date_and_no_due_date_for_irregular(overdue_catalog):
    with_due = search_titles(fq="update_due_date:[* TO *]")
    assert "甲局及时月度" in with_due and "甲局不定期" not in with_due


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.lyg_opendata.freshness.grace_hours", 24)
def test_overdue_changes_with_the_clock_without_any_edit(agency, make_entry):
    now = dt.datetime.now(UTC)
    soon = now.replace(tzinfo=None) - dt.timedelta(hours=24) + dt.timedelta(seconds=3)
    make_entry(agency, "实时数据", update_frequency="realtime", resources=[
        {"url": "http://example.com/live.json", "format": "JSON", "desensitized": True,
         "last_modified": soon.isoformat()}])
    # the clock, not a sleep: due 3 seconds after `now`, overdue 4 seconds after it
    with freeze_time(now):
        assert search_titles(fq="overdue:true") == set()
    with freeze_time(now + dt.timedelta(seconds=4)):
        assert search_titles(fq="overdue:true") == {"实时数据"}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_search_page_offers_the_overdue_filter_with_its_count(app, overdue_catalog):
    res = app.get("/dataset/", status=200)
    block = res.body[res.body.index('id="lyg-overdue-filter"'):]
    block = block[:block.index("</section>")]
    assert "overdue=true" in block
    assert '<span class="item-count badge">2</span>' in block
    res = app.get("/dataset/?q=年度", status=200)
    block = res.body[res.body.index('id="lyg-overdue-filter"'):]
    assert '<span class="item-count badge">1</span>' in block[:block.index("</section>")]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_search_page_with_the_filter_lists_only_overdue_entries(app, overdue_catalog):
    res = app.get("/dataset/?overdue=true", status=200)
    assert "甲局逾期月度" in res.body and "乙局逾期年度" in res.body
    assert "甲局及时月度" not in res.body and "甲局不定期" not in res.body
    assert "None:" not in res.body  # the active filter's pill has a title
    block = res.body[res.body.index('id="lyg-overdue-filter"'):]
    block = block[:block.index("</section>")]
    assert "active" in block and "overdue=true" not in block  # the link now removes it


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dataset_page_shows_when_the_next_update_is_due(app, overdue_catalog):
    res = app.get(f"/dataset/{overdue_catalog['a_overdue']['name']}", status=200)
    row = res.body[res.body.index('class="lyg-update-due"'):]
    row = row[:row.index("</tr>")]
    assert "2020年2月1日" in row and "lyg-overdue" in row
    res = app.get(f"/dataset/{overdue_catalog['a_irregular']['name']}", status=200)
    row = res.body[res.body.index('class="lyg-update-due"'):]
    assert "lyg-overdue" not in row[:row.index("</tr>")]


# --- the overdue list ----------------------------------------------------------------------

OVERDUE_LIST_ALLOWED = {
    # role: (for the agency, for every agency)
    "anonymous": (False, False),
    "registered": (False, False),
    "other_agency_editor": (False, False),
    "agency_editor": (True, False),
    "agency_admin": (True, False),
    "supervisor": (True, True),
    "sysadmin": (True, True),
}


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.parametrize("role", ROLES)
def test_overdue_list_auth_matrix(people, agency, role):
    for data, allowed in [({"organization": agency["id"]}, OVERDUE_LIST_ALLOWED[role][0]),
                          ({}, OVERDUE_LIST_ALLOWED[role][1])]:
        context = {"user": user_name(people[role]), "model": None}
        if allowed:
            assert helpers.call_auth("lyg_opendata_overdue_list", context, **data)
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth("lyg_opendata_overdue_list", context, **data)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_overdue_list_groups_published_opened_entries_by_agency(overdue_catalog, people):
    result = tk.get_action("lyg_opendata_overdue_list")({"user": people["supervisor"]["name"]}, {})
    assert result["count"] == 2
    by_org = {g["title"]: [d["title"] for d in g["datasets"]] for g in result["organizations"]}
    assert by_org == {"市交通运输局": ["甲局逾期月度"], "市统计局": ["乙局逾期年度"]}
    entry = result["organizations"][[g["title"] for g in result["organizations"]].index(
        "市交通运输局")]["datasets"][0]
    assert entry["due_day"] == "2020-02-01" and entry["data_updated"] == "2020-01-01"
    assert entry["update_frequency"] == "monthly"
    assert entry["days_overdue"] == (dt.datetime.now(freshness.BEIJING).date() - dt.date(2020, 2, 1)).days


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_an_agency_editor_gets_the_own_agencys_overdue_list(overdue_catalog, people, agency):
    result = tk.get_action("lyg_opendata_overdue_list")(
        {"user": people["agency_editor"]["name"]}, {"organization": agency["name"]})
    assert [g["name"] for g in result["organizations"]] == [agency["name"]]
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("lyg_opendata_overdue_list")({"user": people["agency_editor"]["name"]}, {})


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_overdue_list_of_an_unknown_agency_is_not_found(people):
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("lyg_opendata_overdue_list")(
            {"user": people["supervisor"]["name"]}, {"organization": "no-such-agency"})


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_overdue_page_by_role(app, overdue_catalog, people, agency):
    app.get("/opendata/overdue", status=403)
    app.get("/opendata/overdue", headers=auth_header(people["registered"]), status=403)
    app.get("/opendata/overdue", headers=auth_header(people["agency_editor"]), status=403)
    app.get(f"/opendata/overdue?organization={agency['name']}",
            headers=auth_header(people["other_agency_editor"]), status=403)
    res = app.get("/opendata/overdue", headers=auth_header(people["supervisor"]), status=200)
    assert "甲局逾期月度" in res.body and "乙局逾期年度" in res.body and "甲局及时月度" not in res.body
    res = app.get(f"/opendata/overdue?organization={agency['name']}",
                  headers=auth_header(people["agency_editor"]), status=200)
    assert "甲局逾期月度" in res.body and "乙局逾期年度" not in res.body
    app.get("/opendata/overdue?organization=nope", headers=auth_header(people["supervisor"]),
            status=404)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_agency_open_list_links_its_editors_to_the_overdue_list(app, people, agency):
    res = app.get(f"/organization/{agency['name']}/open-list",
                  headers=auth_header(people["agency_editor"]), status=200)
    assert "lyg-overdue-link" in res.body
    res = app.get(f"/organization/{agency['name']}/open-list", status=200)
    assert "lyg-overdue-link" not in res.body


# --- the reminder --------------------------------------------------------------------------

@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
def test_cli_mails_each_agency_its_overdue_entries(cli, mail_dir, overdue_catalog, people):
    jobs.get_queue().empty()  # the review notifications of the setup
    result = cli.invoke(lyg_cli, ["freshness", "notify"])
    assert result.exit_code == 0, result.output
    assert "lyg-jtj-test: 1 overdue" in result.output
    assert jobs.get_queue().count == 2  # one mail job per agency
    result = cli.invoke(jobs_cli, ["worker", "--burst"])
    assert result.exit_code == 0, result.output

    for role in ("agency_editor", "agency_admin"):
        (msg,) = read_mail_to(mail_dir, people[role]["email"])
        assert "市交通运输局" in msg["Subject"]
        body = msg.get_body().get_content()
        assert "甲局逾期月度" in body and overdue_catalog["a_overdue"]["name"] in body
        assert "2020-02-01" in body
        assert "乙局逾期年度" not in body and "甲局及时月度" not in body and "甲局逾期草稿" not in body
    (msg,) = read_mail_to(mail_dir, people["other_agency_editor"]["email"])
    assert "乙局逾期年度" in msg.get_body().get_content()
    assert read_mail_to(mail_dir, people["registered"]["email"], timeout=0.5) == []


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
def test_cli_dry_run_and_one_agency(cli, overdue_catalog, people, agency):
    jobs.get_queue().empty()
    result = cli.invoke(lyg_cli, ["freshness", "notify", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert overdue_catalog["a_overdue"]["name"] in result.output
    assert jobs.get_queue().count == 0
    result = cli.invoke(lyg_cli, ["freshness", "notify", "--organization", agency["name"]])
    assert result.exit_code == 0, result.output
    assert jobs.get_queue().count == 1
    result = cli.invoke(lyg_cli, ["freshness", "notify", "--organization", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
def test_cli_sends_nothing_when_nothing_is_overdue(cli, agency, make_entry, people):
    make_entry(agency, "不定期", update_frequency="irregular", data_updated="2020-01-01")
    jobs.get_queue().empty()
    result = cli.invoke(lyg_cli, ["freshness", "notify"])
    assert result.exit_code == 0, result.output
    assert jobs.get_queue().count == 0


def test_crontab_runs_the_reminder_daily():
    lines = [line.split(None, 5) for line in (ROOT / "config" / "crontab").read_text("utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    (fields,) = [f for f in lines if f[5].split() == ["lyg-opendata", "freshness", "notify"]]
    minute, hour, dom, month, dow = fields[:5]
    assert (dom, month, dow) == ("*", "*", "*") and minute.isdigit() and hour.isdigit()
