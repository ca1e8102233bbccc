"""Queues and lists of objections and reports come in pages (``limit``/``offset``, at most
``objections.list_max``) with the total of everything that matches."""
import pytest

import ckan.plugins.toolkit as tk

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.ip", 0)]


def call(name, user, **data):
    return tk.get_action(name)(ctx(user), data)


@pytest.fixture
def three(people, raise_objection):
    made = [raise_objection(description=f"停车场数量应为 12{n}0 个，不是 1200 个。") for n in range(3)]
    call("lyg_opendata_objection_accept", people["agency_editor"], id=made[0]["id"])
    return made


def test_the_queue_pages_in_the_order_of_the_whole(people, three):
    editor = people["agency_editor"]
    whole = call("lyg_opendata_objection_queue", editor)
    assert whole["count"] == 3 and len(whole["results"]) == 3
    first = call("lyg_opendata_objection_queue", editor, limit=2)
    second = call("lyg_opendata_objection_queue", editor, limit=2, offset=2)
    assert [r["id"] for r in first["results"] + second["results"]] == [r["id"] for r in whole["results"]]
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    for page in (first, second):  # totals of everything that matches, on every page
        assert page["count"] == 3 and page["status_counts"] == {"submitted": 2, "accepted": 1}
        assert page["overdue"] == 0


@pytest.mark.ckan_config("ckanext.lyg_opendata.objections.list_max", 2)
def test_lists_never_give_more_than_the_configured_maximum(people, three):
    editor, raiser = people["agency_editor"], people["registered"]
    assert len(call("lyg_opendata_objection_queue", editor, limit=50)["results"]) == 2
    assert len(call("lyg_opendata_objection_queue", editor)["results"]) == 2  # the default too
    mine = call("lyg_opendata_objection_my_list", raiser, limit=50)
    assert mine["count"] == 3 and len(mine["results"]) == 2
    rest = call("lyg_opendata_objection_my_list", raiser, offset=2)
    assert [r["id"] for r in rest["results"]] == [three[0]["id"]]  # newest first: the first is last
    with pytest.raises(tk.ValidationError) as err:
        call("lyg_opendata_objection_queue", editor, limit="many")
    assert "limit" in err.value.error_dict


def test_report_lists_page_newest_first(people, dataset):
    reporter = people["registered"]
    made = [call("lyg_opendata_report_create", reporter, package_id=dataset["id"],
                 reported_party=f"某网站{n}", description="网站转载有条件开放数据并收费。")
            for n in range(3)]
    newest_first = [r["id"] for r in reversed(made)]
    for name, user in (("lyg_opendata_report_list", people["supervisor"]),
                       ("lyg_opendata_report_list", people["agency_editor"]),
                       ("lyg_opendata_report_my_list", reporter)):
        first = call(name, user, limit=2)
        second = call(name, user, limit=2, offset=2)
        assert first["count"] == second["count"] == 3, name
        assert [r["id"] for r in first["results"] + second["results"]] == newest_first, name
    assert call("lyg_opendata_report_list", people["supervisor"], status="closed", limit=1)["count"] == 0


def test_the_queue_and_report_pages_page(app, people, dataset, three, monkeypatch):
    from ckanext.lyg_opendata.objections import views
    monkeypatch.setattr(views, "PER_PAGE", 2)
    whole = [r["id"] for r in call("lyg_opendata_objection_queue", people["agency_editor"])["results"]]
    for path, who in (("/opendata/objections", "agency_editor"),
                      ("/opendata/objections/moderation", "supervisor")):
        headers = {"Authorization": people[who]["token"]}
        first = app.get(path, headers=headers).body
        second = app.get(path + "?page=2", headers=headers).body
        assert all(f"/opendata/objections/{i}" in first for i in whole[:2]), path
        assert f"/opendata/objections/{whole[2]}" not in first and f"/opendata/objections/{whole[2]}" in second
        assert "page=2" in first  # the pager links to the rest
    reports = [call("lyg_opendata_report_create", people["registered"], package_id=dataset["id"],
                    reported_party=f"某网站{n}", description="网站转载有条件开放数据并收费。")
               for n in range(3)]
    headers = {"Authorization": people["supervisor"]["token"]}
    second = app.get("/opendata/reports?page=2", headers=headers).body
    assert f"/opendata/reports/{reports[0]['id']}" in second
    assert f"/opendata/reports/{reports[2]['id']}" not in second


def test_a_datasets_objections_page_in_the_database(app, people, dataset, three, monkeypatch):
    """The dataset's list counts and pages in SQL (newest first); the hidden one stays out of
    the count and the pages for others than its raiser and the supervisors; the marker
    flag covers every page, not only the one shown."""
    call("lyg_opendata_objection_hide", people["supervisor"], id=three[2]["id"], reason="重复提交的垃圾信息")
    other = people["other_agency_editor"]
    whole = call("lyg_opendata_objection_list", other, package_id=dataset["id"])
    assert whole["count"] == 2 and [r["id"] for r in whole["results"]] == [three[1]["id"], three[0]["id"]]
    last = call("lyg_opendata_objection_list", other, package_id=dataset["id"], limit=1, offset=1)
    assert last["count"] == 2 and [r["id"] for r in last["results"]] == [three[0]["id"]]
    first = call("lyg_opendata_objection_list", other, package_id=dataset["id"], limit=1)
    assert [r["id"] for r in first["results"]] == [three[1]["id"]]
    assert first["under_objection"] is True  # the accepted one is on the other page
    for user in (people["supervisor"], people["registered"]):  # the raiser sees their hidden one
        assert call("lyg_opendata_objection_list", user, package_id=dataset["id"], limit=1)["count"] == 3
    with pytest.raises(tk.ValidationError) as err:
        call("lyg_opendata_objection_list", other, package_id=dataset["id"], offset="-1")
    assert "offset" in err.value.error_dict
    from ckanext.lyg_opendata.objections import views
    monkeypatch.setattr(views, "PER_PAGE", 1)
    path = f"/dataset/{dataset['name']}/objections"

    def table(body):  # the list itself (the marker above it links the accepted one too)
        return body[body.index("lyg-objection-table"):].split("</table>")[0]
    first_page = app.get(path).body
    second_page = app.get(path + "?page=2").body
    assert f"/opendata/objections/{three[1]['id']}" in table(first_page)
    assert f"/opendata/objections/{three[0]['id']}" not in table(first_page)
    assert f"/opendata/objections/{three[0]['id']}" in table(second_page)
    assert "page=2" in first_page and three[2]["id"] not in first_page + second_page
