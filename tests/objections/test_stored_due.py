"""An objection's stored due date (``due_on``) is its computed clock (``workflow.deadline``)
after every transition that starts or restarts the clock, across a holiday and a 调休 day,
kept when the calendar is loaded; the queues ordered, filtered and counted on it give what
computing every clock gave (issue 19; docs/performance.md "Lists at scale")."""
import datetime as dt
import random

import pytest
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections import workflow
from ckanext.lyg_opendata.objections.model import Objection
from ckanext.lyg_opendata.workdays import Calendar, loader

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.ip", 0)]

D = dt.date


def _at(day):
    return f"{day.isoformat()}T04:00:00Z"


def call(action, user, **data):
    return tk.get_action(f"lyg_opendata_objection_{action}")(ctx(user), data)


def _stored_is_computed(obj_id, clock_start=None):
    row = model.Session.get(Objection, obj_id)
    model.Session.refresh(row)
    if clock_start:
        assert row.clock_start == clock_start
    assert row.due_on == workflow.deadline(row, Calendar())[0]
    return row


def test_every_clock_change_stores_the_computed_due_date(people, raise_objection):
    loader.load_library_year(2026)
    with freeze_time(_at(D(2026, 9, 18))):
        obj = raise_objection()
        # 15 working days from Friday 18 September 2026: through 中秋/国庆 and the worked
        # Sunday 20 September and Saturday 10 October
        assert _stored_is_computed(obj["id"], D(2026, 9, 18)).due_on == D(2026, 10, 15)
        call("accept", people["agency_editor"], id=obj["id"])
        call("answer", people["sysadmin"], id=obj["id"], outcome="no_error",
             explanation="经核实数据无误。")
        _stored_is_computed(obj["id"], D(2026, 9, 18))
    with freeze_time(_at(D(2026, 9, 30))):
        call("dispute", people["registered"], id=obj["id"], reason="答复没有说明数据来源。",
             escalate=True)
        assert _stored_is_computed(obj["id"], D(2026, 9, 30)).due_on == D(2026, 10, 27)
    with freeze_time(_at(D(2026, 10, 9))):
        call("return_to_agency", people["supervisor"], id=obj["id"], reason="请原机关答复。")
        _stored_is_computed(obj["id"], D(2026, 10, 9))
        other = raise_objection(description="停车场数量应为 1260 个，不是 1200 个。")
        call("reassign", people["supervisor"], id=other["id"], organization="lyg-other-agency",
             reason="该数据由统计局提供。")
        _stored_is_computed(other["id"], D(2026, 10, 9))
    # any other writer of the clock's columns too
    row = model.Session.get(Objection, other["id"])
    row.clock_start, row.deadline_days = D(2026, 9, 30), 3
    model.Session.commit()
    # 1–7 October off, then 8, 9 and Saturday 10 October (调休)
    assert _stored_is_computed(other["id"]).due_on == D(2026, 10, 10)


def test_loading_a_year_recomputes_the_stored_due_dates(raise_objection):
    loader.load_library_year(2026)
    obj = raise_objection()
    row = model.Session.get(Objection, obj["id"])
    row.clock_start, row.deadline_days = D(2026, 12, 24), 10
    model.Session.commit()
    assert row.due_on == D(2027, 1, 7)  # 2027 not loaded: weekdays only
    loader.load_rows(2027, [("test", {"date": "2027-01-01", "kind": "holiday",
                                      "name": "元旦"})], source="test")
    model.Session.refresh(row)
    assert row.due_on == D(2027, 1, 8)
    _stored_is_computed(obj["id"])


def test_the_queues_give_what_computing_every_clock_gave(people, dataset):
    loader.load_library_year(2026)
    rng = random.Random(20)
    states = sorted(workflow.ALL_STATES)
    made = []
    for k in range(36):
        start = D(2026, 8, 25) + dt.timedelta(days=rng.randint(0, 45))
        made.append(Objection(
            package_id=dataset["id"], organization_id=dataset["owner_org"], type="error",
            description="停车场数量不对。", raised_by=people["registered"]["id"],
            status=states[k % len(states)] if k % 3 else "accepted", clock_start=start,
            deadline_days=rng.choice((5, 15)),
            created=dt.datetime.combine(start, dt.time(2)) + dt.timedelta(
                minutes=rng.choice((0, 0, 9)))))
    days = (D(2026, 9, 30), D(2026, 10, 10), D(2026, 10, 23))
    cal = Calendar()
    for today in days:  # one open objection due on each of them (due today: not late)
        start = next(today - dt.timedelta(days=n) for n in range(1, 30)
                     if cal.add_workdays(today - dt.timedelta(days=n), 5)[0] == today)
        made.append(Objection(
            package_id=dataset["id"], organization_id=dataset["owner_org"], type="error",
            description="停车场数量不对。", raised_by=people["registered"]["id"],
            status="accepted", clock_start=start, deadline_days=5,
            created=dt.datetime.combine(start, dt.time(2))))
    model.Session.add_all(made)
    model.Session.commit()
    ids = {o.id for o in made}
    for today in days:
        with freeze_time(_at(today)):
            cal = Calendar()
            rows = [model.Session.get(Objection, i) for i in ids]
            clock = {o.id: workflow.clock_info(o, cal, today) for o in rows}
            order = [o.id for o in sorted(sorted(rows, key=lambda o: o.id),
                                          key=lambda o: (clock[o.id]["deadline"], o.created))]
            for status in ("all", "open"):
                want = [i for i in order if status == "all"
                        or model.Session.get(Objection, i).status in workflow.OPEN_STATES]
                for overdue in (False, True):
                    expect = [i for i in want if not overdue or clock[i]["overdue"]]
                    counts: dict = {}
                    for i in expect:
                        s = model.Session.get(Objection, i).status
                        counts[s] = counts.get(s, 0) + 1
                    late = sum(1 for i in expect if clock[i]["overdue"])
                    got = []
                    for start in range(0, max(len(expect), 1), 8):
                        page = call("queue", people["supervisor"], status=status,
                                    overdue=overdue, limit=8, offset=start)
                        assert (page["count"], page["status_counts"], page["overdue"]) == \
                            (len(expect), counts, late), (today, status, overdue)
                        got += [r["id"] for r in page["results"]]
                        assert all(r["overdue"] == clock[r["id"]]["overdue"]
                                   for r in page["results"])
                    assert got == expect, (today, status, overdue)
            assert any(c["overdue"] for c in clock.values()), today
