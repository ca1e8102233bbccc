"""Conditional data (有条件开放): public metadata, no data address on any surface for
those who may not use it — pages, API, search index, activity stream, DCAT, downloads."""
import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins")
# the tests after the read-only ones make their own world
PER_TEST = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")  # plugins first: clean_db migrates them

SECRET = "http://data.example.invalid/conditional/secret-parking-file.csv"
PUBLIC = "http://data.example.invalid/open/public-file.csv"
MAY_USE = {"agency_editor", "agency_admin", "sysadmin"}


@pytest.fixture
def datasets(published_dataset, people):
    return make_datasets(published_dataset)


@pytest.fixture(scope="module")
def read_world(shared_db):
    """``datasets`` and ``people`` built once for the read-only tests (they show and search
    as each role), in the order the fixtures build them: (datasets, people)."""
    from tests.conftest import (
        dataset_creator, make_agency, make_people, make_reviewer, make_sysadmin, publisher)
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    create, publish = dataset_creator(sysadmin, agency), publisher(sysadmin, make_reviewer())
    people = make_people(agency)
    return make_datasets(lambda **kwargs: publish(create(**kwargs))), people


def make_datasets(published_dataset):
    cond = published_dataset(name="cond", title="停车场收费明细", open_type="conditional",
                             open_conditions="仅向科研机构开放",
                             resources=[{"url": SECRET, "format": "CSV", "name": "明细"}])
    open_ = published_dataset(name="open", title="停车场名录",
                              resources=[{"url": PUBLIC, "format": "CSV", "name": "名录"}])
    return cond, open_


def ctx(user):
    return {"user": user["name"] if user else ""}


def headers(user):
    return {"Authorization": user["token"]} if user else {}


@pytest.mark.parametrize("role", ROLES)
def test_package_and_resource_show_by_role(read_world, role):
    datasets, people = read_world
    cond, open_ = datasets
    user = people[role]
    shown = tk.get_action("package_show")(ctx(user), {"id": "cond"})
    res = tk.get_action("resource_show")(ctx(user), {"id": cond["resources"][0]["id"]})
    if role in MAY_USE:
        assert shown["resources"][0]["url"] == SECRET and res["url"] == SECRET
    else:
        assert SECRET not in json.dumps(shown) and SECRET not in json.dumps(res)
        assert shown["title"] == "停车场收费明细" and shown["open_conditions"] == "仅向科研机构开放"
        assert shown["resources"][0]["name"] == "明细"  # metadata stays public
    assert tk.get_action("package_show")(ctx(user), {"id": "open"})["resources"][0]["url"] == PUBLIC


@pytest.mark.parametrize("role", ["anonymous", "agency_editor", "sysadmin"])
def test_search_and_its_raw_fields_never_hold_the_address(read_world, role):
    datasets, people = read_world
    user = people[role]
    search = tk.get_action("package_search")
    results = search(ctx(user), {"q": "停车场", "rows": 10})
    assert {d["name"] for d in results["results"]} == {"cond", "open"}
    assert SECRET not in json.dumps(results)
    raw = search(ctx(user), {"q": "name:cond", "fl": "name,data_dict,validated_data_dict,res_url,urls"})
    assert SECRET not in json.dumps(raw)
    assert search(ctx(user), {"q": "secret-parking-file"})["count"] == 0


@PER_TEST
def test_pages_and_api_over_http(app, datasets, people):
    cond, _ = datasets
    rid = cond["resources"][0]["id"]
    for role in ("anonymous", "registered", "other_agency_editor", "supervisor"):
        h = headers(people[role])
        for path in ("/dataset/cond", f"/dataset/cond/resource/{rid}",
                     "/api/3/action/package_show?id=cond",
                     f"/api/3/action/resource_show?id={rid}",
                     "/api/3/action/package_search?q=停车场",
                     "/dataset/activity/cond", "/api/3/action/package_activity_list?id=cond",
                     "/catalog.ttl", "/dataset/cond.rdf", "/dataset/cond.jsonld"):
            resp = app.get(path, headers=h)
            assert resp.status_code == 200, (role, path, resp.status_code)
            assert SECRET not in resp.body, (role, path)
        resp = app.get(f"/dataset/cond/resource/{rid}/download", headers=h, follow_redirects=False)
        assert resp.status_code == 403, role
        assert "有条件开放" in resp.body
    resp = app.get(f"/dataset/cond/resource/{rid}/download",
                   headers=headers(people["agency_editor"]), follow_redirects=False)
    assert resp.status_code == 302 and resp.headers["Location"] == SECRET
    assert SECRET in app.get("/dataset/cond", headers=headers(people["agency_editor"])).body


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", "true")
@PER_TEST
def test_activity_snapshots_are_stored_whole_and_redacted_when_read(datasets, people, sysadmin):
    """Issue 22 item 2: the stored snapshot keeps the real address (as in vanilla CKAN, so
    the agency's own history and diffs keep it); whoever reads it outside the agency gets it
    redacted (every read surface: tests/access/test_leak_matrix.py)."""
    tk.get_action("package_patch")({"user": sysadmin["name"]}, {"id": "cond", "notes": "更新说明"})
    activities = tk.get_action("package_activity_list")({"user": ""}, {"id": "cond"})
    assert len(activities) >= 2 and SECRET not in json.dumps(activities)
    from ckanext.activity.model import Activity
    stored = model.Session.query(Activity).filter(Activity.object_id == datasets[0]["id"]).order_by(
        Activity.timestamp.desc()).first()
    assert SECRET in json.dumps(stored.data)
    agency = tk.get_action("activity_show")(
        {"user": people["agency_editor"]["name"]}, {"id": stored.id, "include_data": True})
    assert SECRET in json.dumps(agency)
    supervisor = tk.get_action("activity_show")(
        {"user": people["supervisor"]["name"]}, {"id": stored.id, "include_data": True})
    assert SECRET not in json.dumps(supervisor)


SECRET_V2 = "http://data.example.invalid/conditional/secret-parking-file-v2.csv"
FRAGMENT = "secret-parking-file"  # both addresses; the html diff marks the changed part


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", "true")
@PER_TEST
def test_every_activity_read_surface_from_both_sides(app, datasets, people, agency):
    """Issue 22 break 2, from both sides: the agency replaces the address of its
    conditional dataset's file; the activity table stores both snapshots with the real
    addresses; every read surface of the activity stream (the list actions, activity_show,
    activity_data_show, activity_diff, the changes and old-version pages) gives them to the
    agency and gives nobody else either of them. (The stream and dashboard pages render no
    address at all: they are checked for the outsiders only.)"""
    from ckanext.activity.model import Activity
    cond = datasets[0]
    rid = cond["resources"][0]["id"]
    editor = people["agency_editor"]
    for role in ("agency_editor", "agency_admin", "registered", "other_agency_editor",
                 "supervisor"):
        tk.get_action("follow_dataset")(ctx(people[role]), {"id": "cond"})
    tk.get_action("resource_patch")(ctx(editor), {"id": rid, "url": SECRET_V2,
                                                  "desensitized": True})
    rows = model.Session.query(Activity).filter(
        Activity.object_id == cond["id"], Activity.activity_type == "changed package"
    ).order_by(Activity.timestamp.desc()).limit(2).all()
    new, old = rows[0], rows[1]
    assert SECRET_V2 in json.dumps(new.data) and SECRET in json.dumps(old.data)
    both, v2, part = [SECRET, SECRET_V2], [SECRET_V2], [FRAGMENT]
    # (path, query, what the agency gets); the html diff marks the changed part of the line
    surfaces = [
        ("/api/3/action/package_activity_list", {"id": "cond"}, both),
        ("/api/3/action/organization_activity_list", {"id": agency["name"]}, both),
        ("/api/3/action/user_activity_list", {"id": editor["name"]}, v2),
        ("/api/3/action/recently_changed_packages_activity_list", {}, v2),
        ("/api/3/action/activity_show", {"id": new.id, "include_data": True}, v2),
        ("/api/3/action/activity_show", {"id": old.id, "include_data": True}, [SECRET]),
        ("/api/3/action/activity_data_show", {"id": new.id}, v2),
        ("/api/3/action/activity_data_show", {"id": new.id, "object_type": "package"}, v2),
        ("/api/3/action/activity_diff", {"id": new.id, "object_type": "package",
                                         "diff_type": "unified"}, both),
        ("/api/3/action/activity_diff", {"id": new.id, "object_type": "package",
                                         "diff_type": "html"}, part),
        (f"/dataset/changes/{new.id}", {}, part),
        ("/dataset/changes_multiple", {"old_id": old.id, "new_id": new.id}, part),
        (f"/dataset/cond/resources/{rid}/history/{new.id}", {}, v2),
        (f"/dataset/cond/resources/{rid}/history/{old.id}", {}, [SECRET]),
        (f"/dataset/cond/history/{new.id}", {}, []),
        # the stream pages render no address, whoever reads them
        ("/dataset/activity/cond", {}, []),
    ]
    logged_in = [("/api/3/action/dashboard_activity_list", {}, v2), ("/dashboard/", {}, [])]
    for role in ("anonymous", "registered", "other_agency_editor", "supervisor",
                 "agency_editor", "agency_admin"):
        user = people[role]
        for path, query, agency_gets in surfaces + (logged_in if user else []):
            resp = app.get(path, query_string=query, headers=headers(user))
            body = resp.get_data(as_text=True)
            assert resp.status_code == 200, (role, path, query, resp.status_code)
            if role in MAY_USE:
                for address in agency_gets:
                    assert address in body, (role, path, query, address)
            else:
                assert FRAGMENT not in body, (role, path, query)
    # the dashboard's list has the change for a follower; the activity table kept it whole
    shown = app.get("/api/3/action/dashboard_activity_list",
                    headers=headers(people["registered"])).json["result"]
    assert new.id in {a["id"] for a in shown}
    model.Session.expire_all()
    assert SECRET_V2 in json.dumps(model.Session.get(Activity, new.id).data)


@PER_TEST
def test_reviews_and_edits_by_others_keep_the_stored_address(datasets, people, reviewer, sysadmin):
    """Redaction is for reading: a supervisor's decision or a held change never erases the
    data address in the database."""
    cond, _ = datasets
    tk.get_action("lyg_opendata_review_withdraw")({"user": people["supervisor"]["name"]},
                                                  {"id": "cond", "reason": "核查中，暂时撤回"})
    tk.get_action("lyg_opendata_review_submit")({"user": sysadmin["name"]},
                                                {"id": "cond", "desensitized": True})
    tk.get_action("lyg_opendata_review_approve")({"user": reviewer["name"]}, {"id": "cond"})
    model.Session.remove()
    assert model.Resource.get(cond["resources"][0]["id"]).url == SECRET


@PER_TEST
def test_a_conditional_dataset_made_unconditional_shows_its_data(published_dataset, sysadmin, reviewer):
    published_dataset(name="cond2", open_type="conditional", open_conditions="仅限科研",
                      resources=[{"url": SECRET, "format": "CSV"}])
    tk.get_action("package_patch")({"user": sysadmin["name"]}, {"id": "cond2", "open_type": "unconditional"})
    assert SECRET not in json.dumps(tk.get_action("package_show")({"user": ""}, {"id": "cond2"}))
    tk.get_action("lyg_opendata_review_change_approve")({"user": reviewer["name"]}, {"id": "cond2"})
    assert tk.get_action("package_show")({"user": ""}, {"id": "cond2"})["resources"][0]["url"] == SECRET
    assert tk.get_action("package_search")({}, {"q": "name:cond2"})["results"][0]["resources"][0]["url"] == SECRET
