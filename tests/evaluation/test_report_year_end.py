"""The yearly report of a year that has ended shows that year's figures as of 31 December
24:00 Beijing time, whenever it is generated: data made in the year and in the next one, the
report of the year generated in the next one counts only the year (datasets published, notices
open, applications overdue, staff filed, uses, quality scores as they stood then), and the
report says which instant its figures describe and what could not be reconstructed."""
from __future__ import annotations

import datetime as dt

import freezegun
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.access.model import Application, ApplicationEvent
from ckanext.lyg_opendata.evaluation import scorecards
from ckanext.lyg_opendata.evaluation.model import (
    QualityScore, Rectification, RectificationEvent, StaffFiling)
from ckanext.lyg_opendata.portal import usage

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

YEAR = 2025
YEAR_END = dt.datetime(2025, 12, 31, 16)        # 2026-01-01 00:00 Beijing, naive UTC


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


def _backdate_organizations():
    """The fixtures' organizations existed during the year."""
    model.Session.execute(sa.text('UPDATE "group" SET created = :d'),
                          {"d": dt.datetime(2025, 1, 2)})
    model.repo.commit()


@pytest.fixture
def two_years(people, agency, published_dataset):
    """Records of 2025 and of 2026; what 2025's report must show, and what a report taken
    of the present would show instead."""
    _backdate_organizations()
    sup = model.User.get(people["supervisor"]["name"])
    with freezegun.freeze_time("2025-06-02 02:00:00", tick=True):
        a = published_dataset(name="ye-bus", title="公交线路", data_updated="2025-06-01",
                              resources=[{"url": "http://example.com/bus.csv", "format": "CSV"}])
        # an application received in December, still unanswered at the year's end
        app = Application(
            package_id=a["id"], org_id=agency["id"], user_id=factories.User()["id"],
            status="approved", purpose="科研", scenario="分析", security_measures="加密",
            term_start=dt.date(2025, 12, 1), term_end=dt.date(2026, 12, 1),
            received_on=dt.date(2025, 12, 1), due_on=dt.date(2025, 12, 15),
            created=dt.datetime(2025, 12, 1, 2), decided_at=dt.datetime(2026, 1, 10, 2))
        model.Session.add(app)
        model.Session.flush()
        model.Session.add_all([
            ApplicationEvent(application_id=app.id, action="submit", from_status=None,
                             to_status="submitted", created=dt.datetime(2025, 12, 1, 2)),
            ApplicationEvent(application_id=app.id, action="approve", from_status="submitted",
                             to_status="approved", created=dt.datetime(2026, 1, 10, 2))])
        # a notice issued in November and closed in January
        rect = Rectification(
            organization_id=agency["id"], ground="open_list", findings="f", requirement="r",
            status="closed", issued_by=sup.id, clock_start=dt.date(2025, 11, 3),
            deadline_days=20, created=dt.datetime(2025, 11, 3, 2),
            closed_at=dt.datetime(2026, 1, 5, 2))
        model.Session.add(rect)
        model.Session.flush()
        model.Session.add_all([
            RectificationEvent(rectification_id=rect.id, action="issue", to_status="issued",
                               created=dt.datetime(2025, 11, 3, 2)),
            RectificationEvent(rectification_id=rect.id, action="close", from_status="issued",
                               to_status="closed", created=dt.datetime(2026, 1, 5, 2))])
        # its scores: December's, and a better one in the next year
        for month, score in (("2025-12", 40), ("2026-02", 90)):
            model.Session.add(QualityScore(package_id=a["id"], month=month, score=score,
                                           rating="poor", indicators={}))
        model.repo.commit()
    # 31 Dec and 1 Jan, Beijing days
    usage.add(a["id"], "", "download", 4, day=dt.date(2025, 12, 31))
    usage.add(a["id"], "", "download", 9, day=dt.date(2026, 1, 1))
    usage.add(a["id"], "", "api", 5, day=dt.date(2025, 7, 1))
    with freezegun.freeze_time("2026-02-02 02:00:00", tick=True):
        published_dataset(name="ye-water", title="用水户", open_type="conditional",
                          open_conditions="仅限科研", data_updated="2026-02-01",
                          resources=[{"url": "http://example.com/w.csv", "format": "CSV"}])
        factories.Organization(name="ye-new-agency", title="新设机构")
        model.Session.add(StaffFiling(
            organization_id=agency["id"], leader_name="张三", leader_post="局长",
            leader_contact="0518-1", staff=[{"name": "李四", "post": "科员", "contact": "1"}],
            filed_at=dt.datetime(2026, 2, 2, 2)))
        model.repo.commit()
    # core's column defaults hold the real clock: the resources' creation as it happened
    for name, day in (("ye-bus", dt.datetime(2025, 6, 2, 2)), ("ye-water", dt.datetime(2026, 2, 2, 2))):
        model.Session.execute(sa.text(
            "UPDATE resource SET created = :d WHERE package_id = "
            "(SELECT id FROM package WHERE name = :n)"), {"d": day, "n": name})
    model.repo.commit()
    return a


def _generate(people):
    with freezegun.freeze_time("2026-03-02 02:00:00"):
        return tk.get_action("lyg_opendata_evaluation_report_generate")(
            ctx(people["supervisor"]), {"year": YEAR})


def test_a_past_year_is_reported_as_of_its_end(people, agency, two_years):
    report = _generate(people)
    fig = report["figures"]
    assert fig["year_end"] is True
    assert fig["as_of"] == "2025-12-31T16:00:00Z" and fig["computed"] == "2026-03-02T02:00:00Z"
    assert set(fig["approximate"]) == {"datasets", "open_list_complete_share",
                                       "freshness_overdue"}
    p = fig["platform"]
    # the dataset published in 2026 and its resource are not 2025's
    assert (p["datasets_unconditional"], p["datasets_conditional"], p["resources"]) == (1, 0, 1)
    # the agency created in 2026 was not evaluated in 2025
    assert p["agencies"] == 2
    assert "ye-new-agency" not in [c["name"] for c in fig["cards"]]
    # the filing of 2026 came after the year's end: nobody had filed
    assert p["staff_not_filed"] == 2
    assert (p["downloads"], p["api_calls"]) == (4, 5)
    assert (p["applications_received"], p["applications_approved"]) == (1, 0)
    card = next(c for c in fig["cards"] if c["id"] == agency["id"])
    assert card["datasets_unconditional"] == 1 and card["datasets_conditional"] == 0
    # open at 24:00 on 31 Dec and past its deadline; decided only in January
    assert card["applications_overdue"] == 1 and card["applications_decided"] == 0
    assert card["rectifications_open"] == 1
    assert (card["downloads"], card["api_calls"]) == (4, 5)
    # published on 2 June, monthly, never updated: overdue at the year's end
    assert card["freshness_overdue"] == 1 and card["freshness_on_time_share"] == 0.0
    # December's score, not February's
    assert card["quality_average"] == 40.0
    # the present would have counted otherwise: the year's end is what was reported
    with freezegun.freeze_time("2026-03-02 02:00:00"):
        now = next(c for c in scorecards.compute(YEAR) if c["id"] == agency["id"])
    assert (now["datasets_conditional"], now["applications_overdue"],
            now["rectifications_open"]) == (1, 0, 0)
    assert scorecards.compute(YEAR, at=YEAR_END, org_ids=[agency["id"]])[0][
        "rectifications_open"] == 1


def test_the_report_states_its_instant(app, people, two_years):
    report = _generate(people)
    headers = {"Authorization": people["supervisor"]["token"]}
    page = BeautifulSoup(app.get(f"/opendata/evaluation-reports/{report['id']}",
                                 headers=headers).body, "html.parser")
    note = page.select_one(".lyg-report-as-of")
    # the instant and the three figures that could not be reconstructed (page in the
    # portal's language)
    assert "2025" in note.select_one("p").get_text() and len(note.select("li")) == 3
    from ckanext.lyg_opendata.evaluation.reports import files
    lines = files.as_of(report["figures"])
    assert len(lines) == 4 and lines[0].startswith("Figures as of 31 December 2025")


def test_a_year_under_way_is_reported_as_of_now(people, agency, two_years):
    with freezegun.freeze_time("2026-03-02 02:00:00"):
        report = tk.get_action("lyg_opendata_evaluation_report_generate")(
            ctx(people["supervisor"]), {"year": 2026})
    fig = report["figures"]
    assert fig["year_end"] is False and fig["approximate"] == []
    assert fig["as_of"] == fig["computed"] == "2026-03-02T02:00:00Z"
    p = fig["platform"]
    assert (p["datasets_unconditional"], p["datasets_conditional"]) == (1, 1)
    assert p["downloads"] == 9 and p["staff_not_filed"] == 2   # other agency, new agency
