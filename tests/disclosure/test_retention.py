"""Retention of applicants' personal data: `ckan lyg-opendata disclosure erase-personal-data`
pseudonymises applications answered or withdrawn longer ago than the retention period (config
``ckanext.lyg_opendata.disclosure.retention_years``); the yearly table does not change."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.disclosure import report
from ckanext.lyg_opendata.disclosure.model import DisclosureEvent, DisclosureRequest

from tests.disclosure.conftest import RESIDENT_ID, ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def run(cli, *args):
    result = cli.invoke(lyg_opendata, ["disclosure", "erase-personal-data", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_erased_after_the_retention_period_and_the_report_unchanged(cli, people, apply):
    old, recent, open_one = apply(), apply(), apply()
    for req in (old, recent):
        tk.get_action("lyg_opendata_disclosure_answer")(ctx(people["agency_editor"]), {
            "id": req["id"], "outcome": "public", "answer_text": "现提供如下。"})
    old_row = model.Session.get(DisclosureRequest, old["id"])
    old_row.received_on = old_row.clock_start = dt.date(2022, 3, 1)
    old_row.answered_on = dt.date(2022, 3, 15)
    recent_row = model.Session.get(DisclosureRequest, recent["id"])
    recent_row.received_on = recent_row.clock_start = dt.date(2023, 6, 1)
    recent_row.answered_on = dt.date(2023, 6, 10)
    model.repo.commit()
    before = report.table(2022)
    assert "YSQ" not in run(cli, "--today", "2025-03-14")  # 3 years not yet over
    dry = run(cli, "--today", "2025-03-15", "--dry-run")
    assert old["number"] in dry and "dry run" in dry
    assert model.Session.get(DisclosureRequest, old["id"]).id_number == RESIDENT_ID
    out = run(cli, "--today", "2025-03-15")
    assert old["number"] in out and "applications: 1" in out and recent["number"] not in out
    model.Session.remove()
    row = model.Session.get(DisclosureRequest, old["id"])
    assert row.applicant_name == "王*明"
    assert (row.id_number, row.id_type, row.phone, row.email, row.address) == (None,) * 5
    assert row.description and row.outcome == "public" and row.answer_text
    assert report.table(2022) == before
    events = model.Session.query(DisclosureEvent).filter(
        DisclosureEvent.request_id == row.id, DisclosureEvent.action == "erase_personal_data").all()
    assert len(events) == 1 and events[0].actor_role == "system"
    assert model.Session.get(DisclosureRequest, recent["id"]).id_number == RESIDENT_ID
    assert model.Session.get(DisclosureRequest, open_one["id"]).id_number == RESIDENT_ID
    assert "applications: 0" in run(cli, "--today", "2025-03-15")  # a second run: nothing


def test_bad_day_is_a_usage_error(cli):
    result = cli.invoke(lyg_opendata, ["disclosure", "erase-personal-data", "--today", "15/03/2026"])
    assert result.exit_code != 0 and "--today" in result.output
