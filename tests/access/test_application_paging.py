"""``lyg_opendata_application_list`` counts and pages in the database: a page is the right
slice of the whole order, with the total of everything that matches."""
import pytest

from tests.access.conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def three(apply, applicant):
    """Three applications of one applicant: two withdrawn, the newest open."""
    made = []
    for n in range(3):
        made.append(apply(purpose=f"用于公交线网优化研究第{n}期，分析高峰时段车辆运行规律。"))
        if n < 2:
            act("lyg_opendata_application_withdraw", applicant, id=made[-1]["id"])
    return made


def _ids(result):
    return [r["id"] for r in result["results"]]


def test_mine_pages_newest_first(applicant, three):
    first = act("lyg_opendata_application_list", applicant, limit=2)
    second = act("lyg_opendata_application_list", applicant, limit=2, offset=2)
    assert first["count"] == second["count"] == 3
    assert _ids(first) + _ids(second) == [a["id"] for a in reversed(three)]
    assert act("lyg_opendata_application_list", applicant, limit=1, offset=3)["results"] == []


@pytest.mark.parametrize("scope,who", [("all", "supervisor"), ("agency", "agency_editor")])
def test_queues_page_in_the_order_of_the_whole(scope, who, people, three):
    user = people[who]
    whole = act("lyg_opendata_application_list", user, scope=scope)
    assert whole["count"] == 3 and _ids(whole)[0] == three[2]["id"]  # the open one first
    pages = [act("lyg_opendata_application_list", user, scope=scope, limit=1, offset=n)
             for n in range(3)]
    assert [p["count"] for p in pages] == [3, 3, 3]
    assert sum((_ids(p) for p in pages), []) == _ids(whole)
    only_open = act("lyg_opendata_application_list", user, scope=scope, status="open", limit=5)
    assert only_open["count"] == 1 and _ids(only_open) == [three[2]["id"]]
    withdrawn = act("lyg_opendata_application_list", user, scope=scope, status="withdrawn",
                    limit=1, offset=1)
    assert withdrawn["count"] == 2 and len(withdrawn["results"]) == 1


def test_decided_applications_page_in_sql_from_either_end(people, apply, applicant):
    """Decided applications follow the open ones by their stored due date (ties: newest
    first), paged in SQL; a page past the middle is read from the other end and must be
    the same slice of the same order."""
    import datetime as dt

    import ckan.model as model
    from ckanext.lyg_opendata.access.model import Application

    made = []
    for n in range(5):
        made.append(apply(purpose=f"用于公交线网优化研究第{n}期，分析高峰时段车辆运行规律。"))
        act("lyg_opendata_application_withdraw", applicant, id=made[-1]["id"])
    open_one = apply(purpose="用于公交线网优化研究第九期，分析高峰时段车辆运行规律。")
    base = dt.date(2026, 3, 2)
    for app, days in zip(made, (3, 1, 3, 2, 1)):  # ties on the due date
        model.Session.get(Application, app["id"]).due_on = base + dt.timedelta(days=days)
    model.Session.commit()
    rows = model.Session.query(Application).filter(
        Application.id.in_([a["id"] for a in made])).all()
    decided = [a.id for a in sorted(sorted(rows, key=lambda a: a.created, reverse=True),
                                    key=lambda a: a.due_on)]
    for scope, who in (("all", "supervisor"), ("agency", "agency_editor")):
        user = people[who]
        whole = act("lyg_opendata_application_list", user, scope=scope)
        assert _ids(whole) == [open_one["id"]] + decided
        for size in (1, 2, 4):
            pages = [act("lyg_opendata_application_list", user, scope=scope, limit=size,
                         offset=start) for start in range(0, 6, size)]
            assert sum((_ids(p) for p in pages), []) == _ids(whole), (scope, size)
            assert {p["count"] for p in pages} == {6}
        assert act("lyg_opendata_application_list", user, scope=scope, offset=6)["results"] == []


def test_the_list_pages_page(app, people, applicant, three, monkeypatch):
    from ckanext.lyg_opendata.access.applications import views
    monkeypatch.setattr(views, "PER_PAGE", 2)
    for path, who, scope in (("/opendata/my-applications", applicant, "mine"),
                             ("/opendata/applications/all", people["supervisor"], "all")):
        whole = _ids(act("lyg_opendata_application_list", who, scope=scope))
        headers = {"Authorization": who["token"]}
        first = app.get(path, headers=headers).body
        second = app.get(path + "?page=2", headers=headers).body
        assert all(f"/opendata/application/{i}" in first for i in whole[:2]), path
        assert f"/opendata/application/{whole[2]}" not in first, path
        assert f"/opendata/application/{whole[2]}" in second, path
        assert "page=2" in first, path
