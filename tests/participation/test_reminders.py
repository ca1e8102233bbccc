"""Reminders of data requests due soon or overdue (``ckan lyg-opendata data-requests
remind``): one notice per person of the agency, nothing for requests not yet due."""
import datetime as dt

import pytest
from freezegun import freeze_time

import ckan.model as model

from ckanext.lyg_opendata import notify, workdays
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


def test_a_second_run_the_same_day_sends_nothing(cli, people, agency, in_state):
    """The guard's day is the Beijing day: it turns at 16:00 UTC (time frozen on both sides)."""
    from ckan.cli.cli import ckan
    late = in_state("assigned", title="逾期未答复的需求")
    row = model.Session.get(DataRequest, late["id"])
    row.clock_start = dt.date(2020, 1, 6)
    model.repo.commit()
    staff = [u.id for u in notify.agency_staff(agency["id"])]

    def count():
        return sum(1 for uid in staff for n in notify.notices_for(uid)
                   if "等待您答复" in n.subject or "waiting for your answer" in n.subject)

    def run(*args):
        out = cli.invoke(ckan, ["lyg-opendata", "data-requests", "remind", *args])
        assert out.exit_code == 0, out.output
        return out.output
    with freeze_time("2026-11-25 15:59:59"):   # 23:59:59 on the 25th in Beijing
        assert workdays.today_beijing() == dt.date(2026, 11, 25)
        assert "(dry run, nothing sent)" in run("--dry-run") and count() == 0
        assert "notice to" in run() and count() == len(staff)
        second = run()
        assert "reminders of 2026-11-25 were sent already; nothing sent" in second
        assert count() == len(staff)
        assert "were sent already" in run("--today", "2026-11-25")
        assert "(dry run, nothing sent)" in run("--dry-run")   # a dry run still lists
        assert "notice to" in run("--force") and count() == 2 * len(staff)
    with freeze_time("2026-11-25 16:00:00"):   # midnight in Beijing: the 26th
        assert "notice to" in run() and count() == 3 * len(staff)
        assert "reminders of 2026-11-26 were sent already" in run()
        assert "were sent already" in run("--today", "2026-11-26")
    assert "notice to" in run("--today", "2026-11-27") and count() == 4 * len(staff)


def test_two_runs_at_once_the_second_sends_nothing(cli):
    import sqlalchemy as sa
    from ckan.cli.cli import ckan
    from ckanext.lyg_opendata.clitools import REMIND_KEY
    holder = model.meta.engine.connect()   # another run holding the lock
    key = {"k": REMIND_KEY % "ckanext.lyg_opendata.participation.reminders"}
    assert holder.execute(sa.text("SELECT pg_try_advisory_lock(hashtext(:k))"), key).scalar()
    try:
        out = cli.invoke(ckan, ["lyg-opendata", "data-requests", "remind"])
        assert "another run is sending reminders; nothing sent" in out.output
    finally:
        holder.execute(sa.text("SELECT pg_advisory_unlock(hashtext(:k))"), key)
        holder.close()
    assert "data requests due or overdue: 0" in cli.invoke(
        ckan, ["lyg-opendata", "data-requests", "remind"]).output


def test_every_remind_command_is_once_a_day(cli):
    """Every ``remind`` built on ``clitools.remind_command`` (objections, data requests,
    disclosure…)."""
    import click
    from ckan.cli.cli import ckan
    from ckanext.lyg_opendata.cli import lyg_opendata as group
    paths = [[name, "remind"] for name, cmd in group.commands.items()
             if isinstance(cmd, click.Group) and "remind" in cmd.commands
             and cmd.commands["remind"].callback.__module__ == "ckanext.lyg_opendata.clitools"]
    assert len(paths) >= 3, paths
    for path in paths:
        with freeze_time("2026-11-25 04:00:00"):   # noon in Beijing: both runs the same day
            first = cli.invoke(ckan, ["lyg-opendata", *path])
            assert first.exit_code == 0 and "sent already" not in first.output, (path,
                                                                                 first.output)
            second = cli.invoke(ckan, ["lyg-opendata", *path])
        assert second.exit_code == 0 and "sent already; nothing sent" in second.output, path
