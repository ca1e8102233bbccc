"""Deadline in working days on the shared calendar, the overdue flag, and reminders."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.objections import reminders, workflow
from ckanext.lyg_opendata.objections.model import Objection
from ckanext.lyg_opendata.workdays import loader

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0)]


def _received(obj_id, day):
    row = model.Session.get(Objection, obj_id)
    row.clock_start = day
    model.repo.commit()
    return row


def test_deadline_counts_working_days_on_the_loaded_calendar(people, raise_objection):
    loader.load_library_year(2026)
    obj = raise_objection()
    row = _received(obj["id"], dt.date(2026, 9, 18))
    # 15 working days from Friday 18 September 2026: the 10th is 9 October (README: Sunday
    # 20 September worked, 中秋 and 国庆 skipped), Saturday 10 October is worked (调休), then
    # 12–15 October
    assert workflow.deadline(row) == (dt.date(2026, 10, 15), False)
    assert row.deadline_days == 15


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.deadline_days", 5)
def test_deadline_is_configurable_and_kept_per_objection(people, raise_objection):
    obj = raise_objection()
    assert model.Session.get(Objection, obj["id"]).deadline_days == 5


def test_overdue_flag_and_queue_filter(people, raise_objection):
    late, fresh = raise_objection(), raise_objection()
    _received(late["id"], dt.date(2020, 1, 6))
    shown = tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": late["id"]})
    assert shown["overdue"] and shown["days_left"] < 0
    queue = tk.get_action("lyg_opendata_objection_queue")(ctx(people["agency_editor"]), {"overdue": True})
    assert [o["id"] for o in queue["results"]] == [late["id"]]
    assert not tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": fresh["id"]})["overdue"]
    # answered: no longer overdue
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": late["id"]})
    tk.get_action("lyg_opendata_objection_answer")(ctx(people["agency_editor"]), {
        "id": late["id"], "outcome": "no_error", "explanation": "经核实数据无误。"})
    assert not tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": late["id"]})["overdue"]


def test_reminders_once_a_day_to_the_agency(cli, people, raise_objection):
    late, _fresh = raise_objection(), raise_objection()
    _received(late["id"], dt.date(2020, 1, 6))
    from ckanext.lyg_opendata import notify
    staff = {u.id for u in notify.agency_staff(late["organization_id"])}
    assert {people["agency_editor"]["id"], people["agency_admin"]["id"]} <= staff

    def count():
        return model.Session.query(Notice).filter(Notice.user_id.in_(staff)).count()
    before = count()  # the notices of the two new objections
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["lyg-opendata", "objections", "remind", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "lyg-jtj-test: 1 due or overdue (1 overdue)" in result.output
    assert count() == before
    result = cli.invoke(ckan, ["lyg-opendata", "objections", "remind"])
    assert result.exit_code == 0, result.output
    assert f"notice to {len(staff)} person(s)" in result.output
    assert count() == before + len(staff)
    # a second run the same day sends nothing new
    cli.invoke(ckan, ["lyg-opendata", "objections", "remind"])
    assert count() == before + len(staff)
    assert reminders.remind(dry_run=True)[0]["count"] == 0
    # the reminder is in the timeline for those who handle it, not for the public
    insider = tk.get_action("lyg_opendata_objection_show")(ctx(people["agency_editor"]), {"id": late["id"]})
    assert insider["events"][-1]["action"] == "remind"
    public = tk.get_action("lyg_opendata_objection_show")(ctx(None), {"id": late["id"]})
    assert "remind" not in [e["action"] for e in public["events"]]
