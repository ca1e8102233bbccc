"""Reminders of data requests due soon or overdue (``ckan lyg-opendata data-requests
remind``): one notice per person of the agency, nothing for requests not yet due."""
import datetime as dt

import pytest

import ckan.model as model

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.participation.model import DataRequest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_remind_the_agency_of_overdue_requests(cli, people, agency, in_state):
    late = in_state("assigned", title="逾期未答复的需求")
    in_state("assigned", title="刚分办的数据需求")  # 15 working days left: no reminder
    row = model.Session.get(DataRequest, late["id"])
    row.clock_start = dt.date(2020, 1, 6)
    model.repo.commit()
    staff = {u.id for u in notify.agency_staff(agency["id"])}
    assert {people["agency_editor"]["id"], people["agency_admin"]["id"]} <= staff

    def notices():
        return [n for uid in staff for n in notify.notices_for(uid) if "等待您答复" in n.subject
                or "waiting for your answer" in n.subject]
    from ckan.cli.cli import ckan
    dry = cli.invoke(ckan, ["lyg-opendata", "data-requests", "remind", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{agency['name']}: 1 due or overdue (1 overdue)" in dry.output
    assert notices() == []
    sent = cli.invoke(ckan, ["lyg-opendata", "data-requests", "remind"])
    assert sent.exit_code == 0, sent.output
    assert f"notice to {len(staff)} person(s)" in sent.output
    found = notices()
    assert len(found) == len(staff)
    assert "逾期未答复的需求" in found[0].body and "刚分办的数据需求" not in found[0].body
    bad = cli.invoke(ckan, ["lyg-opendata", "data-requests", "remind", "--today", "明天"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
