"""Publishers beyond government (社会数据开放主体, Art 27): supervisors mark an organisation;
its datasets carry the 社会数据 badge (list and page, with who published and the licence) and
the search facet; unmarking takes them away; the role matrix; bad input as field errors."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.lyg_opendata.participation import ratings_auth

from tests.conftest import ROLES
from tests.participation.conftest import act, ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

MATRIX = [
    ("lyg_opendata_publisher_mark", {"supervisor", "sysadmin"}),
    ("lyg_opendata_publisher_unmark", {"supervisor", "sysadmin"}),
    ("lyg_opendata_publisher_list", set(ROLES)),
]


def test_every_publisher_auth_function_is_in_the_matrix():
    assert {row[0] for row in MATRIX} == {n for n in ratings_auth.__all__ if "_publisher_" in n}


@pytest.mark.parametrize("auth_name,allowed", MATRIX, ids=[m[0] for m in MATRIX])
def test_publisher_permission_matrix(auth_name, allowed, people, agency):
    for role in ROLES:
        if role in allowed:
            assert helpers.call_auth(auth_name, ctx(people[role]), id=agency["id"]), role
        else:
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(auth_name, ctx(people[role]), id=agency["id"])
                pytest.fail(f"{auth_name} allowed {role}")


def search(**params):
    return tk.get_action("package_search")({"user": ""}, params)


def test_mark_badge_facet_and_unmark(app, people, agency, published_dataset):
    ds = published_dataset(name="lyg-port-cargo", title="港口集装箱吞吐量")
    assert search(fq="social_data:true")["count"] == 0
    out = act("lyg_opendata_publisher_mark", people["supervisor"], id=agency["name"], type="enterprise")
    assert out["type"] == "enterprise" and out["type_label"] == "企业"
    found = search(fq="social_data:true", **{"facet.field": '["social_data"]'})
    assert [d["name"] for d in found["results"]] == [ds["name"]]
    assert found["results"][0]["social_data"] is True
    assert found["search_facets"]["social_data"]["items"][0]["display_name"] == "社会数据"
    assert "social_data" not in act("package_show", None, id=ds["id"])
    listing = app.get("/dataset/").body
    assert "lyg-social-badge" in listing and "社会数据" in listing
    page = app.get(f"/dataset/{ds['name']}").body
    assert "lyg-social-data" in page and "市交通运输局" in page
    assert act("lyg_opendata_publisher_list", None)[0]["name"] == agency["name"]
    act("lyg_opendata_publisher_unmark", people["supervisor"], id=agency["name"])
    assert search(fq="social_data:true")["count"] == 0
    assert "lyg-social-data" not in app.get(f"/dataset/{ds['name']}").body
    assert act("lyg_opendata_publisher_list", None) == []


@pytest.mark.parametrize("data,field", [
    ({"type": "company"}, "type"), ({"type": ["enterprise"]}, "type"), ({}, "type"),
])
def test_bad_marks_are_field_errors(people, agency, data, field):
    with pytest.raises(tk.ValidationError) as e:
        act("lyg_opendata_publisher_mark", people["supervisor"], id=agency["name"], **data)
    assert field in e.value.error_dict


def test_unknown_org_supervisor_org_and_unmarked(people, agency):
    with pytest.raises(tk.ObjectNotFound):
        act("lyg_opendata_publisher_mark", people["supervisor"], id="no-such-org", type="research")
    with pytest.raises(tk.ValidationError):
        act("lyg_opendata_publisher_mark", people["supervisor"],
            id=tk.config.get("ckanext.lyg_opendata.supervisor_org"), type="research")
    with pytest.raises(tk.ValidationError):
        act("lyg_opendata_publisher_unmark", people["supervisor"], id=agency["name"])


def test_org_page_form_for_supervisors_only(app, people, agency):
    url = f"/organization/{agency['name']}"
    assert "lyg-social-form" not in app.get(url, headers={"Authorization": people["agency_admin"]["token"]}).body
    assert "lyg-social-form" in app.get(url, headers={"Authorization": people["supervisor"]["token"]}).body
    refused = app.post(f"{url}/social-publisher", data={"type": "association"},
                       headers={"Authorization": people["agency_admin"]["token"]})
    assert refused.status_code == 403
    app.post(f"{url}/social-publisher", data={"type": "association"},
             headers={"Authorization": people["supervisor"]["token"]})
    assert "社会团体" in app.get(url).body
