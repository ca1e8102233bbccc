"""The open list (开放清单, Art 11): the Measures' columns in order, rows in the UI language,
CSV and XLSX downloads of the whole catalog and of one agency, and who sees which entries."""
import csv
import io

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.catalog.conftest import ROLES, auth_header, user_name

# one world for the whole module (the tests read it): no clean_db per test; the tests that
# add entries are in test_openlist_rows.py
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(scope="module")
def openlist_world(shared_db):
    """What the fixtures ``agency``, ``other_agency``, ``people`` and ``catalog`` build, in
    their order, once for the module (see ``shared_db`` in tests/conftest.py)."""
    from tests.catalog.conftest import (
        entry_maker, make_catalog, make_other_agency, make_role_people)
    from tests.conftest import make_agency, make_reviewer, make_sysadmin
    sysadmin = make_sysadmin()
    reviewer = make_reviewer()
    agency = make_agency(sysadmin)
    other_agency = make_other_agency()
    people = make_role_people(agency, other_agency)
    catalog = make_catalog(agency, other_agency, entry_maker(sysadmin, reviewer))
    return agency, people, catalog


@pytest.fixture
def agency(openlist_world):
    return openlist_world[0]


@pytest.fixture
def people(openlist_world):
    return openlist_world[1]


@pytest.fixture
def catalog(openlist_world):
    return openlist_world[2]

ART_11_ZH = ["序号", "数据目录名称", "数据开放主体", "数据项", "数据格式", "更新频度", "开放类型",
             "开放条件", "数据领域", "发布日期", "最近更新"]
ART_11_EN = ["No.", "Data catalog name", "Data-opening body", "Data items", "Formats",
             "Update frequency", "Open type", "Conditions of opening", "Data domain",
             "Published on", "Last updated"]
KEYS = ["seq", "title", "organization_title", "data_items", "formats", "update_frequency_label",
        "open_type_label", "open_conditions", "subject_areas_labels", "issued", "last_updated"]

ALL = {"a_published", "a_draft", "a_pending", "a_non_open", "b_published", "b_draft"}
PUBLIC = {"a_published", "b_published"}
SEEN_BY = {
    "anonymous": PUBLIC,
    "registered": PUBLIC,
    "other_agency_editor": PUBLIC | {"b_draft"},
    "agency_editor": PUBLIC | {"a_draft", "a_pending", "a_non_open"},
    "agency_admin": PUBLIC | {"a_draft", "a_pending", "a_non_open"},
    "supervisor": PUBLIC | {"a_pending", "a_non_open"},  # everything submitted for review
    "sysadmin": ALL,
}


def open_list(user=None, **params):
    return tk.get_action("lyg_opendata_open_list")({"user": user_name(user)}, params)


def titles(result, catalog):
    by_title = {pkg["title"]: key for key, pkg in catalog.items()}
    return {by_title[r["title"]] for r in result["results"]}


# --- columns and rows ----------------------------------------------------------------------

@pytest.mark.usefixtures("zh")
def test_columns_are_art_11s_in_order_with_chinese_labels(catalog):
    result = open_list()
    assert [c["key"] for c in result["columns"]] == KEYS
    assert [c["label"] for c in result["columns"]] == ART_11_ZH


@pytest.mark.usefixtures("zh")
def test_insiders_get_a_review_status_column_unless_published_only(catalog, people):
    cols = open_list(people["agency_editor"])["columns"]
    assert [c["key"] for c in cols] == KEYS + ["review_status_label"]
    assert cols[-1]["label"] == "审核状态"
    cols = open_list(people["agency_editor"], published_only=True)["columns"]
    assert [c["key"] for c in cols] == KEYS


# --- who sees what -------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_whole_catalog_shows_each_role_what_it_may_see(catalog, people, role):
    assert titles(open_list(people[role]), catalog) == SEEN_BY[role]


@pytest.mark.parametrize("role", ROLES)
def test_agency_list_shows_each_role_what_it_may_see_of_that_agency(catalog, people, agency, role):
    result = open_list(people[role], organization=agency["name"])
    assert titles(result, catalog) == {k for k in SEEN_BY[role] if k.startswith("a_")}
    assert result["organization"]["title"] == "市交通运输局"


@pytest.mark.parametrize("role", ROLES)
def test_published_only_shows_every_role_the_public_list(catalog, people, role):
    result = open_list(people[role], published_only="true")
    assert titles(result, catalog) == PUBLIC


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_ask_for_the_open_list(people, role):
    context = {"user": user_name(people[role]), "model": None}
    assert helpers.call_auth("lyg_opendata_open_list", context) is True


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("params,field", [
    ({"limit": "many"}, "limit"), ({"limit": -1}, "limit"), ({"limit": 5000}, "limit"),
    ({"offset": "x"}, "offset"), ({"published_only": "maybe"}, "published_only"),
])
def test_bad_parameters_are_field_errors(params, field):
    with pytest.raises(tk.ValidationError) as exc:
        open_list(**params)
    assert field in exc.value.error_dict


def test_unknown_agency_is_not_found():
    with pytest.raises(tk.ObjectNotFound):
        open_list(organization="no-such-agency")


def test_api_answers_bad_input_with_409_and_404(app):
    res = app.get("/api/3/action/lyg_opendata_open_list?limit=abc", status=409)
    assert "limit" in res.json["error"]
    app.get("/api/3/action/lyg_opendata_open_list?organization=nope", status=404)


@pytest.mark.parametrize("url,status", [
    ("/opendata/list.pdf", 404), ("/organization/nope/open-list", 404),
    ("/organization/nope/open-list.csv", 404), ("/opendata/list.csv?published_only=maybe", 400),
    ("/opendata/list?page=abc", 400),
])
def test_pages_answer_bad_input_with_4xx(app, url, status):
    app.get(url, status=status)


# --- pages ---------------------------------------------------------------------------------

def test_catalog_page_lists_public_entries_with_download_links(app, catalog):
    res = app.get("/opendata/list", status=200)
    assert "甲局已发布" in res.body and "乙局已发布" in res.body
    assert "甲局草稿" not in res.body and "甲局待审核" not in res.body
    assert "/opendata/list.xlsx" in res.body and "/opendata/list.csv" in res.body
    for label in ART_11_ZH:
        assert label in res.body


def test_agency_page_shows_the_agencys_editor_its_drafts(app, catalog, people, agency):
    res = app.get(f"/organization/{agency['name']}/open-list",
                  headers=auth_header(people["agency_editor"]), status=200)
    assert "甲局草稿" in res.body and "甲局已发布" in res.body and "乙局已发布" not in res.body
    assert f"/organization/{agency['name']}/open-list.xlsx" in res.body
    res = app.get(f"/organization/{agency['name']}/open-list",
                  headers=auth_header(people["other_agency_editor"]))
    assert "甲局草稿" not in res.body and "甲局已发布" in res.body


def test_agency_pages_link_to_the_open_list(app, agency):
    res = app.get(f"/organization/{agency['name']}", status=200)
    assert f"/organization/{agency['name']}/open-list" in res.body


def test_site_navigation_links_to_the_open_list(app):
    assert 'href="/opendata/list"' in app.get("/dataset/", status=200).body


# --- downloads -----------------------------------------------------------------------------

def read_csv(res):
    assert res.status_code == 200, res.body[:500]
    assert res.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in res.headers["Content-Disposition"]
    text = res.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_catalog_csv_has_the_columns_and_the_public_entries(app, catalog):
    rows = read_csv(app.get("/opendata/list.csv"))
    assert rows[0] == ART_11_ZH
    assert sorted(r[1] for r in rows[1:]) == sorted(["甲局已发布", "乙局已发布"])
    assert [r[0] for r in rows[1:]] == ["1", "2"]
    row = next(r for r in rows if r[1] == "甲局已发布")
    assert row[2] == "市交通运输局" and row[3] == "名称、地址"
    assert row[5] == "每月" and row[6] == "无条件开放"


def test_agency_csv_for_its_editor_holds_drafts_and_their_status(app, catalog, people, agency):
    rows = read_csv(app.get(f"/organization/{agency['name']}/open-list.csv",
                            headers=auth_header(people["agency_editor"])))
    assert rows[0] == ART_11_ZH + ["审核状态"]
    status = {r[1]: r[-1] for r in rows[1:]}
    assert status == {"甲局已发布": "已发布", "甲局草稿": "草稿", "甲局待审核": "待审核",
                      "甲局非开放": "已发布"}
    rows = read_csv(app.get(f"/organization/{agency['name']}/open-list.csv?published_only=true",
                            headers=auth_header(people["agency_editor"])))
    assert rows[0] == ART_11_ZH
    assert {r[1] for r in rows[1:]} == {"甲局已发布"}


def test_another_agencys_editor_does_not_download_the_drafts(app, catalog, people, agency):
    rows = read_csv(app.get(f"/organization/{agency['name']}/open-list.csv",
                            headers=auth_header(people["other_agency_editor"])))
    assert {r[1] for r in rows[1:]} == {"甲局已发布"}


def test_english_ui_gives_english_columns_and_labels(app, catalog):
    rows = read_csv(app.get("/en/opendata/list.csv"))
    assert rows[0] == ART_11_EN
    row = next(r for r in rows if r[1] == "甲局已发布")
    assert row[5] == "Monthly" and row[6] == "Unconditional" and row[3] == "名称, 地址"
