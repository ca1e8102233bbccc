"""Agency scorecards: each figure equals what the tables hold for crafted records (counted
here directly), supervisors see every agency ranked, an agency only its own; pages."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.objections.model import Objection

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

YEAR = workdays.today_beijing().year


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


@pytest.fixture
def world(people, agency, published_dataset, create_dataset):
    a = published_dataset(name="sc-bus", title="公交线路")
    b = published_dataset(name="sc-water", title="用水户", open_type="conditional",
                          open_conditions="仅限科研")
    create_dataset(name="sc-draft", title="草稿")  # not counted
    cal = workdays.Calendar()
    jan = dt.date(YEAR, 1, 5)

    def app(status, received, decided_day=None):
        due = cal.add_workdays(received, 10)[0]
        model.Session.add(Application(
            package_id=b["id"], org_id=agency["id"], user_id=factories.User()["id"],
            status=status, purpose="科研", scenario="分析", security_measures="加密",
            term_start=received, term_end=due, received_on=received, due_on=due,
            decided_at=(dt.datetime.combine(decided_day, dt.time(2)) if decided_day else None)))
        return due
    due1 = app("approved", jan, cal.add_workdays(jan, 4)[0])        # in time, 4 working days
    app("refused", jan, cal.add_workdays(jan, 12)[0])               # late, 12 working days
    app("submitted", jan)                                           # open and overdue
    model.Session.add(Objection(
        package_id=a["id"], organization_id=agency["id"], type="error", description="错误数据",
        clock_start=jan, deadline_days=15, created=dt.datetime(YEAR, 1, 5, 2),
        answered_at=dt.datetime.combine(cal.add_workdays(jan, 3)[0], dt.time(2))))
    model.repo.commit()
    return {"due1": due1}


def test_figures_equal_the_tables(people, agency, world):
    result = tk.get_action("lyg_opendata_scorecard_list")(ctx(people["supervisor"]), {"year": YEAR})
    card = next(c for c in result["cards"] if c["id"] == agency["id"])
    q = lambda sql, **kw: model.Session.execute(sa.text(sql), kw).scalar()  # noqa: E731
    public = ("state='active' AND NOT private AND type='dataset' "
              "AND extras->>'review_status'='published' AND owner_org=:o")
    assert card["datasets_unconditional"] == q(
        f"SELECT count(*) FROM package WHERE {public} AND extras->>'open_type'='unconditional'",
        o=agency["id"]) == 1
    assert card["datasets_conditional"] == 1
    assert card["applications_received"] == q(
        "SELECT count(*) FROM lyg_opendata_application WHERE org_id=:o "
        "AND extract(year from received_on)=:y", o=agency["id"], y=YEAR) == 3
    assert card["applications_decided"] == 2
    assert card["applications_in_time_share"] == 50.0
    assert card["applications_median_workdays"] == 8.0       # median of 4 and 12
    assert card["applications_overdue"] == 1
    assert card["objections_answered"] == 1 and card["objections_in_time_share"] == 100.0
    # both datasets were published through review today: two approvals
    assert card["review_decisions"] == q(
        "SELECT count(*) FROM lyg_opendata_review_event e JOIN package p ON p.id=e.package_id "
        "WHERE p.owner_org=:o AND e.action IN ('approve','return')", o=agency["id"]) == 2
    assert card["review_return_share"] == 0.0
    assert card["freshness_on_time_share"] == 100.0
    assert card["usage_reports"] == 0
    assert card["ratings"] == 0 and card["ratings_average"] is None
    assert card["score"] == round((100.0 + 50.0 + 100.0) / 3, 1)
    assert card["rank"] == 1 and result["ranked"] is True
    # every agency but the supervising body itself, the others without a score
    names = [c["name"] for c in result["cards"]]
    assert tk.config.get("ckanext.lyg_opendata.supervisor_org") not in names
    assert "lyg-other-agency" in names
    assert result["average"]["applications_received"] == round(3 / len(names), 1)


def test_ratings_feed_the_scorecard(people, agency, world):
    """Ratings given to an agency's datasets (Art 18, 25) count on its card: how many, and
    their mean over the three dimensions; another agency's card is untouched."""
    rate = tk.get_action("lyg_opendata_rating_rate")
    rate(ctx(people["registered"]), {"package_id": "sc-bus", "quality": 5, "timeliness": 4,
                                     "usability": 3, "comment": "数据很有用"})
    rate(ctx(people["other_agency_editor"]), {"package_id": "sc-water", "quality": 2,
                                              "timeliness": 2, "usability": 2})
    result = tk.get_action("lyg_opendata_scorecard_list")(ctx(people["supervisor"]), {"year": YEAR})
    card = next(c for c in result["cards"] if c["id"] == agency["id"])
    q = lambda sql, **kw: model.Session.execute(sa.text(sql), kw).scalar()  # noqa: E731
    assert card["ratings"] == q(
        "SELECT count(*) FROM lyg_opendata_rating r JOIN package p ON p.id=r.package_id "
        "WHERE p.owner_org=:o", o=agency["id"]) == 2
    assert card["ratings_average"] == 3.0                    # (12/3 + 6/3) / 2
    other = next(c for c in result["cards"] if c["name"] == "lyg-other-agency")
    assert other["ratings"] == 0 and other["ratings_average"] is None
    # a past year counts none of them
    past = tk.get_action("lyg_opendata_scorecard_list")(ctx(people["supervisor"]), {"year": YEAR - 1})
    assert next(c for c in past["cards"] if c["id"] == agency["id"])["ratings"] == 0


def test_agencies_see_their_own_card_only(people, agency, world):
    own = tk.get_action("lyg_opendata_scorecard_list")(ctx(people["agency_editor"]), {})
    assert [c["id"] for c in own["cards"]] == [agency["id"]]
    assert own["ranked"] is False and own["cards"][0]["rank"] is None
    other = tk.get_action("lyg_opendata_scorecard_list")(ctx(people["other_agency_editor"]), {})
    assert [c["name"] for c in other["cards"]] == ["lyg-other-agency"]
    for role in ("anonymous", "registered"):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("lyg_opendata_scorecard_list")(ctx(people[role]), {})
    with pytest.raises(tk.ValidationError) as e:
        tk.get_action("lyg_opendata_scorecard_list")(ctx(people["supervisor"]), {"year": "abc"})
    assert "year" in e.value.error_dict


def test_scorecard_pages(app, people, agency, world):
    sup = BeautifulSoup(app.get("/opendata/scorecards", headers={
        "Authorization": people["supervisor"]["token"]}).body, "html.parser")
    rows = sup.select(".lyg-scorecards tbody tr[data-agency]")
    assert rows[0]["data-agency"] == agency["name"]
    assert rows[0].select_one('[data-figure="applications_overdue"]').get_text() == "1"
    assert sup.select_one(".lyg-scorecard-average") is not None
    own = BeautifulSoup(app.get("/opendata/scorecards", headers={
        "Authorization": people["agency_admin"]["token"]}).body, "html.parser")
    assert [t["data-agency"] for t in own.select(".lyg-scorecard")] == [agency["name"]]
    assert own.select_one('.lyg-scorecard [data-figure="applications_received"]').get_text() == "3"
    assert own.select_one(".lyg-scorecards") is None  # no ranking of the others
    app.get("/opendata/scorecards", headers={"Authorization": people["registered"]["token"]},
            status=403)
    app.get("/opendata/scorecards?year=abc", headers={
        "Authorization": people["supervisor"]["token"]}, status=400)


# --- open-list completeness, downloads and API calls, rectifications open ---------------

COMPLETE = "SELECT count(*) FROM package p WHERE p.owner_org=:o AND p.state='active' " \
    "AND NOT p.private AND p.type='dataset' AND p.extras->>'review_status'='published' " \
    "AND p.extras->>'open_type' IN ('unconditional','conditional') " \
    "AND coalesce(p.extras->>'data_items','') NOT IN ('','[]') " \
    "AND coalesce(p.extras->>'update_frequency','') <> '' " \
    "AND coalesce(p.extras->>'subject_areas','') NOT IN ('','[]') " \
    "AND coalesce(p.extras->>'issued','') <> '' " \
    "AND (p.extras->>'open_type' <> 'conditional' OR coalesce(p.extras->>'open_conditions','') <> '') " \
    "AND EXISTS (SELECT 1 FROM resource r WHERE r.package_id=p.id AND r.state='active' " \
    "AND coalesce(r.format,'') <> '')"


@pytest.fixture
def more(people, agency, published_dataset, create_dataset):
    """Three entries of the agency's open list, one complete; uses of its datasets and of
    another agency's in 2025 and 2024; rectification notices in every state."""
    from ckanext.lyg_opendata.evaluation.model import Rectification
    from ckanext.lyg_opendata.portal import usage

    csv = [{"url": "http://example.com/a.csv", "format": "CSV", "name": "数据"}]
    full = published_dataset(name="ol-full", title="完整", subject_areas=["transport"],
                             resources=csv)
    published_dataset(name="ol-no-domain", title="缺数据领域", resources=csv)
    published_dataset(name="ol-no-format", title="缺格式", subject_areas=["transport"],
                      resources=[{"url": "http://example.com/b", "name": "无格式"}])
    create_dataset(name="ol-draft", title="草稿", subject_areas=["transport"],
                   resources=csv)  # not on the public list
    other_org = model.Group.get("lyg-other-agency")
    other = tk.get_action("package_create")({"user": people["sysadmin"]["name"]}, {
        "name": "ol-other", "title": "统计", "owner_org": other_org.id, "license_id": "cc-by",
        "notes": "n", "open_type": "unconditional", "update_frequency": "monthly",
        "data_items": [{"name_zh": "名称", "code": "name", "type": "string", "sensitive": "no"}]})
    res = full["resources"][0]["id"]
    for day, channel, n in ((dt.date(2025, 1, 1), "download", 3), (dt.date(2025, 12, 31), "download", 4),
                            (dt.date(2025, 6, 1), "api", 5), (dt.date(2025, 6, 1), "view", 100),
                            (dt.date(2024, 12, 31), "download", 7), (dt.date(2026, 1, 1), "api", 9)):
        usage.add(full["id"], res, channel, n, day=day)
    usage.add(other["id"], "", "download", 11, day=dt.date(2025, 3, 3))
    sup = model.User.get(people["supervisor"]["name"])
    for org_id, status in ((agency["id"], "issued"), (agency["id"], "responded"),
                           (agency["id"], "returned"), (agency["id"], "escalated"),
                           (agency["id"], "closed"), (other_org.id, "closed")):
        model.Session.add(Rectification(
            organization_id=org_id, ground="open_list", findings="f", requirement="r",
            status=status, issued_by=sup.id, clock_start=dt.date(2025, 3, 3), deadline_days=20))
    model.repo.commit()
    return other_org


def test_completeness_usage_and_rectifications_equal_the_tables(people, agency, more):
    result = tk.get_action("lyg_opendata_scorecard_list")(ctx(people["supervisor"]), {"year": 2025})
    card = next(c for c in result["cards"] if c["id"] == agency["id"])
    other = next(c for c in result["cards"] if c["id"] == more.id)
    q = lambda sql, **kw: model.Session.execute(sa.text(sql), kw).scalar()  # noqa: E731
    # 1 of the 3 public entries has every column (no data domain; no format)
    assert q(COMPLETE, o=agency["id"]) == 1
    assert card["datasets_unconditional"] == 3
    assert card["open_list_complete_share"] == round(100 * 1 / 3, 1) == 33.3
    assert other["open_list_complete_share"] is None       # nothing published
    usage = ("SELECT coalesce(sum(u.count), 0) FROM lyg_opendata_usage u JOIN package p "
             "ON p.id=u.package_id WHERE p.owner_org=:o AND u.channel=:c "
             "AND u.day BETWEEN '2025-01-01' AND '2025-12-31'")
    assert card["downloads"] == q(usage, o=agency["id"], c="download") == 3 + 4
    assert card["api_calls"] == q(usage, o=agency["id"], c="api") == 5
    assert other["downloads"] == 11 and other["api_calls"] == 0
    assert card["rectifications_open"] == q(
        "SELECT count(*) FROM lyg_opendata_rectification WHERE organization_id=:o "
        "AND status <> 'closed'", o=agency["id"]) == 4
    assert other["rectifications_open"] == 0
    assert result["average"]["downloads"] == round(18 / len(result["cards"]), 1)
    # another year counts that year's uses; open notices are as of now
    card24 = next(c for c in tk.get_action("lyg_opendata_scorecard_list")(
        ctx(people["agency_admin"]), {"year": 2024})["cards"])
    assert (card24["downloads"], card24["api_calls"], card24["rectifications_open"]) == (7, 0, 4)


def test_one_query_per_figure_for_all_agencies(people, agency, more):
    """The number of SQL statements does not grow with the number of agencies."""
    from ckanext.lyg_opendata.evaluation import scorecards

    def statements():
        seen = []

        def count(*_args):
            seen.append(1)
        sa.event.listen(model.meta.engine, "before_cursor_execute", count)
        try:
            scorecards.compute(2025)
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", count)
        return len(seen)
    before = statements()
    for i in range(4):
        factories.Organization(name=f"lyg-extra-{i}")
    assert len(scorecards.agencies()) == 2 + 4
    assert statements() == before


def test_new_figures_on_the_pages(app, people, agency, more):
    sup = BeautifulSoup(app.get("/opendata/scorecards?year=2025", headers={
        "Authorization": people["supervisor"]["token"]}).body, "html.parser")
    row = sup.select_one(f'.lyg-scorecards tr[data-agency="{agency["name"]}"]')
    got = {f: row.select_one(f'[data-figure="{f}"]').get_text() for f in (
        "open_list_complete_share", "downloads", "api_calls", "rectifications_open")}
    assert got == {"open_list_complete_share": "33.3", "downloads": "7", "api_calls": "5",
                   "rectifications_open": "4"}
    own = BeautifulSoup(app.get("/opendata/scorecards?year=2025", headers={
        "Authorization": people["agency_admin"]["token"]}).body, "html.parser")
    assert own.select_one('.lyg-scorecard [data-figure="rectifications_open"]').get_text() == "4"
    public = BeautifulSoup(app.get("/opendata/scorecards/public?year=2025").body, "html.parser")
    row = public.select_one(f'.lyg-public-scorecards tr[data-agency="{agency["name"]}"]')
    assert row.select_one('[data-figure="downloads"]').get_text() == "7"
    assert row.select_one('[data-figure="open_list_complete_share"]').get_text() == "33.3"
    assert public.select_one('[data-figure="rectifications_open"]') is None  # not published
