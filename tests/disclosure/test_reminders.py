"""`ckan lyg-opendata disclosure remind`: the agency hears of applications due within 3
working days or overdue, supervisors of the overdue ones; once a day."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
from ckanext.lyg_opendata.notify import Notice

from tests.disclosure.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_reminders_once_a_day(cli, people, agency, apply):
    late, _fresh = apply(), apply()
    row = model.Session.get(DisclosureRequest, late["id"])
    row.clock_start = dt.date(2020, 1, 6)
    model.repo.commit()
    staff = {u.id for u in notify.agency_staff(agency["id"])}
    sups = {u.id for u in notify.supervisors()}
    assert people["supervisor"]["id"] in sups

    def count(ids):
        return model.Session.query(Notice).filter(Notice.user_id.in_(ids)).count()
    before, before_sup = count(staff), count(sups - staff)
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "lyg-jtj-test: 1 due or overdue (1 overdue)" in result.output
    assert count(staff) == before
    result = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind"])
    assert result.exit_code == 0, result.output
    # the agency's reminder, and the overdue list to supervisors (a sysadmin admin of the
    # agency is both)
    after = before + len(staff) + len(staff & sups)
    assert count(staff) == after
    assert count(sups - staff) == before_sup + len(sups - staff)
    notice = model.Session.query(Notice).filter(Notice.user_id == people["agency_editor"]["id"]).order_by(
        Notice.created.desc()).first()
    assert late["number"] in notice.body and "王小明" not in notice.body
    # the same day again: nothing new
    result = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind"])
    assert "were sent already; nothing sent" in result.output
    assert count(staff) == after
    shown = tk.get_action("lyg_opendata_disclosure_show")(ctx(people["agency_editor"]), {"id": late["id"]})
    assert shown["events"][-1]["action"] == "remind" and shown["status"] == "received"
    # the next day: reminded again; a bad --today is refused
    result = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind", "--today", "2099-01-05"])
    assert "due or overdue: 2" in result.output
    result = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind", "--today", "soon"])
    assert result.exit_code != 0
