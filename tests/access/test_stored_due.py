"""The applications' stored clock (``due_on``, ``due_provisional``, ``pause_left``) is the
computed clock (``workflow.deadline``) in every state, across a holiday and a 调休 day,
kept when the calendar is loaded, and the lists ordered, filtered and counted on it give
what computing every clock gave (issue 19; docs/performance.md "Lists at scale")."""
import datetime as dt
import random

import pytest
from freezegun import freeze_time

import ckan.model as model
from ckan.tests import factories

from ckanext.lyg_opendata.access.applications import workflow
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.workdays import Calendar, loader

from tests.access.conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

D = dt.date
# 2026: 国庆 1–7 October (holidays), Sunday 20 September and Saturday 10 October worked (调休)


def _at(day: dt.date) -> str:
    """An instant on that Beijing day (noon)."""
    return f"{day.isoformat()}T04:00:00Z"


def _add(pkg, user_id, received, status="submitted", requested=None, supplied=None,
         decided=None, n=10, created=None):
    row = Application(
        package_id=pkg["id"], org_id=pkg["owner_org"], user_id=user_id, status=status,
        applicant_type="individual", purpose="交通规划研究使用", scenario="城市交通模型",
        security_measures="专人专机，加密存储", resource_ids=[], term_start=received,
        term_end=received + dt.timedelta(days=90), conditions_accepted=True,
        received_on=received, due_on=received, deadline_workdays=n,
        info_requested_on=requested, info_supplied_on=supplied,
        decided_at=dt.datetime.combine(decided, dt.time(4)) if decided else None,
        created=created or dt.datetime.combine(received, dt.time(3)))
    model.Session.add(row)
    return row


def _check_stored(rows, today):
    cal = Calendar()
    for row in rows:
        model.Session.refresh(row)
        info = workflow.deadline(row, cal, today)
        assert row.due_on.isoformat() == info["due_on"], (row.status, row.received_on)
        assert row.due_provisional is info["provisional"]
        waiting = row.status == "info_requested"
        assert (row.pause_left is not None) is waiting
        if waiting:  # the due date moves with today: the stored count of days gives it
            for later in range(40):
                day = today + dt.timedelta(days=later)
                assert workflow.paused_due(day, row.pause_left, cal).isoformat() == \
                    workflow.deadline(row, cal, day)["due_on"], (row.received_on, day)


def test_the_stored_clock_is_the_computed_one_in_every_state(cond_dataset, applicant):
    loader.load_library_year(2026)
    uid = applicant["id"]
    with freeze_time(_at(D(2026, 9, 28))):
        rows = [
            _add(cond_dataset, uid, D(2026, 9, 18), "approved", decided=D(2026, 9, 25)),
            _add(cond_dataset, uid, D(2026, 9, 18), "refused", requested=D(2026, 9, 21),
                 decided=D(2026, 9, 28)),  # refused while waiting: paused until then
            _add(cond_dataset, uid, D(2026, 9, 16), "withdrawn", decided=D(2026, 9, 17)),
            _add(cond_dataset, uid, D(2026, 9, 18), "approved", requested=D(2026, 9, 19),
                 supplied=D(2026, 9, 24), decided=D(2026, 9, 28)),
            _add(cond_dataset, uid, D(2026, 9, 28)),  # submitted: through 国庆 and 10-10
        ]
        model.Session.commit()
        _check_stored(rows, D(2026, 9, 28))
    with freeze_time(_at(D(2026, 9, 29))):
        rows[4].status, rows[4].info_requested_on = "info_requested", D(2026, 9, 29)
        model.Session.commit()  # the transition's flush writes the clock
        _check_stored(rows, D(2026, 9, 29))
        assert rows[4].pause_left == 9
    with freeze_time(_at(D(2026, 10, 12))):
        rows[4].status, rows[4].info_supplied_on = "submitted", D(2026, 10, 12)
        model.Session.commit()
        _check_stored(rows, D(2026, 10, 12))
        assert rows[4].pause_left is None
    # waiting, asked after the deadline had passed (no working days left: counted back)
    with freeze_time(_at(D(2026, 10, 9))):
        late = _add(cond_dataset, factories.User()["id"], D(2026, 9, 1), "info_requested",
                    requested=D(2026, 9, 30))
        model.Session.commit()
        _check_stored([late], D(2026, 10, 9))
        assert late.pause_left < 0


def test_loading_a_year_recomputes_the_stored_clocks(cond_dataset, applicant):
    loader.load_library_year(2026)
    with freeze_time(_at(D(2026, 12, 24))):
        row = _add(cond_dataset, applicant["id"], D(2026, 12, 24))
        waiting = _add(cond_dataset, factories.User()["id"], D(2026, 12, 22),
                       "info_requested", requested=D(2026, 12, 24))
        model.Session.commit()
        # 2027 not loaded: weekdays only (1 January counted)
        assert (row.due_on, row.due_provisional) == (D(2027, 1, 7), True)
        left = waiting.pause_left
        loader.load_rows(2027, [("test", {"date": "2027-01-01", "kind": "holiday",
                                          "name": "元旦"})], source="test")
        model.Session.refresh(row)
        assert (row.due_on, row.due_provisional) == (D(2027, 1, 8), False)
        _check_stored([row, waiting], D(2026, 12, 24))
        assert waiting.pause_left == left


def _reference(rows, cal, today):
    """The lists' order as computing every clock gave it: open ones by their due date
    today (newest first within), then decided ones by theirs; and the overdue ones."""
    clocks = {r.id: workflow.deadline(r, cal, today) for r in rows}
    # newest first, ties on ``created`` by id (a stable sort keeps the id order within)
    newest = sorted(sorted(rows, key=lambda r: r.id), key=lambda r: r.created, reverse=True)
    opened = [r for r in newest if r.status in workflow.OPEN]
    decided = [r for r in newest if r.status not in workflow.OPEN]

    def by_due(r):
        return clocks[r.id]["due_on"]
    order = sorted(opened, key=by_due) + sorted(decided, key=by_due)
    overdue = [r.id for r in sorted(opened, key=by_due) if clocks[r.id]["overdue"]]
    return [r.id for r in order], overdue


def test_the_lists_give_what_computing_every_clock_gave(cond_dataset, people):
    loader.load_library_year(2026)
    rng = random.Random(19)
    users = [factories.User()["id"] for _ in range(14)]
    rows = []
    with freeze_time(_at(D(2026, 9, 25))):
        for k in range(30):
            received = D(2026, 8, 20) + dt.timedelta(days=rng.randint(0, 36))
            kind = k % 5
            created = dt.datetime.combine(received, dt.time(1)) + dt.timedelta(
                minutes=rng.choice((0, 0, 7)))  # ties on created, broken by id
            if kind in (0, 1, 2) and len([r for r in rows if r.status in workflow.OPEN]) < 14:
                user = users[len([r for r in rows if r.status in workflow.OPEN])]
                if kind == 2:  # waiting for information, asked after receipt (some late)
                    asked = min(received + dt.timedelta(days=rng.randint(0, 20)), D(2026, 9, 25))
                    rows.append(_add(cond_dataset, user, received, "info_requested",
                                     requested=asked, created=created))
                elif kind == 1:  # answered a request: the pause is fixed
                    rows.append(_add(cond_dataset, user, received, requested=received,
                                     supplied=min(received + dt.timedelta(days=4),
                                                  D(2026, 9, 25)), created=created))
                else:
                    rows.append(_add(cond_dataset, user, received, created=created))
            else:
                status = ("approved", "refused", "withdrawn")[k % 3]
                rows.append(_add(cond_dataset, users[0], received, status, created=created,
                                 decided=received + dt.timedelta(days=rng.randint(1, 20))))
        model.Session.commit()
    supervisor = people["supervisor"]
    for today in (D(2026, 9, 25), D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 19)):
        with freeze_time(_at(today)):
            model.Session.expire_all()
            cal = Calendar()
            order, overdue = _reference(rows, cal, today)
            whole = act("lyg_opendata_application_list", supervisor, scope="all")
            assert whole["count"] == len(rows)
            assert [r["id"] for r in whole["results"]] == order, today
            for size in (4, 7):
                paged = []
                for start in range(0, len(rows), size):
                    page = act("lyg_opendata_application_list", supervisor, scope="all",
                               limit=size, offset=start)
                    assert page["count"] == len(rows)
                    paged += [r["id"] for r in page["results"]]
                assert paged == order, (today, size)
            late = act("lyg_opendata_application_list", supervisor, scope="all", overdue=True)
            assert [r["id"] for r in late["results"]] == overdue and late["count"] == len(overdue)
            assert all(r["overdue"] for r in late["results"])
            assert overdue, today  # the data has late ones on each of these days
            opened = act("lyg_opendata_application_list", supervisor, scope="all",
                         status="open", limit=3, offset=2)
            want = [i for i in order if model.Session.get(Application, i).status
                    in workflow.OPEN]
            assert [r["id"] for r in opened["results"]] == want[2:5]
            assert opened["count"] == len(want)


def test_the_migration_fills_the_stored_clocks_in(migrate_db_for, cond_dataset, applicant):
    import sqlalchemy as sa
    from ckanext.lyg_opendata.objections import workflow as objections
    from ckanext.lyg_opendata.objections.model import Objection

    loader.load_library_year(2026)
    with freeze_time(_at(D(2026, 9, 28))):
        app = _add(cond_dataset, applicant["id"], D(2026, 9, 28))
        obj = Objection(package_id=cond_dataset["id"], organization_id=cond_dataset["owner_org"],
                        type="error", description="数量不对。", status="accepted",
                        clock_start=D(2026, 9, 28), deadline_days=15)
        model.Session.add(obj)
        model.Session.commit()
        app_id, obj_id = app.id, obj.id
        model.Session.remove()
        try:
            migrate_db_for("lyg_opendata", "0025_list_indexes", False)
            # the schema before: no stored due date of objections, no pause_left; rows
            # written then (here by hand) carry whatever due_on they had
            model.Session.execute(sa.text(
                "UPDATE lyg_opendata_application SET status = 'info_requested', "
                "info_requested_on = :d, due_on = :d WHERE id = :i"),
                {"d": D(2026, 9, 28), "i": app_id})
            model.Session.execute(sa.text(
                "UPDATE lyg_opendata_objection SET clock_start = :d WHERE id = :i"),
                {"d": D(2026, 9, 30), "i": obj_id})
            model.Session.commit()
            model.Session.remove()
        finally:
            migrate_db_for("lyg_opendata")
        app = model.Session.get(Application, app_id)
        obj = model.Session.get(Objection, obj_id)
        assert obj.due_on == objections.deadline(obj)[0] == D(2026, 10, 27)
        assert app.pause_left == 10
        _check_stored([app], D(2026, 9, 28))
