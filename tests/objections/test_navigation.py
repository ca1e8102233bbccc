"""Where objections show beyond their own pages: the 异议 tab on every page of a dataset
(once), and the badge 有异议，核实中 on datasets under objection in dataset lists."""
import re

import pytest

import ckan.plugins.toolkit as tk

from tests.objections.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

MARKER = "有异议，核实中"
BADGE = "lyg-objection-badge"


def tabs(body):
    found = re.search(r'<ul class="nav nav-tabs">(.*?)</ul>', body, re.S)
    assert found, "the page has no tabs"
    return found.group(1)


@pytest.mark.parametrize("url", ["/dataset/{name}", "/dataset/groups/{name}",
                                 "/dataset/activity/{name}", "/dataset/{name}/objections"])
def test_objections_tab_on_every_dataset_page_once(app, dataset, url):
    name = dataset["name"]
    nav = tabs(app.get(url.format(name=name)).body)
    assert nav.count(f'href="/dataset/{name}/objections"') == 1
    assert "异议" in nav
    # the dataset's other tabs are still there
    for other in (f"/dataset/{name}", f"/dataset/groups/{name}", f"/dataset/activity/{name}"):
        assert nav.count(f'href="{other}"') == 1


def test_objections_tab_is_active_on_the_objections_page(app, dataset):
    nav = tabs(app.get(f"/dataset/{dataset['name']}/objections").body)
    active = re.search(r'<li class="active">\s*<a href="([^"]+)"', nav)
    assert active and active.group(1) == f"/dataset/{dataset['name']}/objections"


def test_badge_in_the_dataset_list_while_under_objection(app, people, dataset, published_dataset,
                                                          raise_objection):
    other = published_dataset(name="lyg-bus-stops", title="连云港市公交站点")

    def item(body, name):
        """The list item of the dataset ``name`` in a dataset list."""
        for li in re.findall(r'<li class="dataset-item">(.*?)</li>\s*(?=<li class="dataset-item">|</ul>)',
                             body, re.S):
            if f'href="/dataset/{name}"' in li:
                return li
        raise AssertionError(f"{name} is not in the list")

    obj = raise_objection()
    listing = app.get("/dataset/").body
    assert BADGE not in listing  # raised, not yet accepted

    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    listing = app.get("/dataset/").body
    row = item(listing, dataset["name"])
    assert BADGE in row and MARKER in row
    assert f'href="/dataset/{dataset["name"]}/objections"' in row
    assert BADGE not in item(listing, other["name"])
    # the organization's dataset list too, and the search results of the API
    assert BADGE in item(app.get(f"/organization/{dataset['organization']['name']}").body,
                         dataset["name"])
    results = app.get("/api/3/action/package_search").json["result"]["results"]
    assert {r["name"]: r["under_objection"] for r in results} == {
        dataset["name"]: True, other["name"]: False}

    tk.get_action("lyg_opendata_objection_answer")(ctx(people["agency_editor"]), {
        "id": obj["id"], "outcome": "no_error", "explanation": "经核实，数据无误。"})
    assert BADGE not in app.get("/dataset/").body
