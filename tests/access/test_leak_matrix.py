"""The leak matrix (Art 17): every surface × everyone who may not use a conditional
dataset's data — anonymous, a registered user without a grant, a user whose grant expired,
one whose grant was revoked, another agency's editor, a supervisor — finds neither the
resource URLs nor the data (uploaded file, file-store file, DataStore rows) anywhere; and a
valid grantee finds nothing of the resource the grant does not name.

Each test collects every leak it finds and reports them all at once."""
from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest

import ckan.model as model

from tests.access.conftest import APPLY_PAGE, OUTSIDERS, SECRET_B, TOKEN, World, leaks

# one world for the whole module (the tests read it): no clean_db / clean_index per test
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture
def world(module_world):
    """The conftest's enforcement world, built once for the module; the one thing a test changes,
    following the dataset, is undone after it."""
    yield module_world
    model.Session.query(model.UserFollowingDataset).delete()
    model.Session.commit()


@pytest.fixture
def sysadmin(module_world):
    """The sysadmin who built the world."""
    return module_world.sysadmin

PROFILES = sorted(e.name for e in entry_points(group="ckan.rdf.profiles"))
# everyone who may not use resource b (the grantee is granted a and c only)
NOT_B = OUTSIDERS + ["grantee"]
ROW_QUERY = f"secret-row-{TOKEN}"


def _forbidden(who: str, text: str) -> list[str]:
    """What in ``text`` would be a leak to ``who``."""
    if who == "grantee":
        return [s for s in (SECRET_B, f"secret-{TOKEN}-b") if s in text]
    return leaks(text)


class Findings(list):
    def check(self, who, label, resp, status=None):
        body = resp.get_data(as_text=True)
        found = _forbidden(who, body) + _forbidden(who, json.dumps(dict(resp.headers)))
        if found:
            self.append((label, resp.status_code, found))
        if status is not None and resp.status_code not in (
                status if isinstance(status, tuple) else (status,)):
            self.append((label, "status", resp.status_code))
        return resp


def _api(app, w: World, who, action, findings, status=200, method="get", **params):
    url = f"/api/3/action/{action}"
    if method == "get":
        resp = app.get(url, query_string=params, headers=w.headers(who))
    else:
        resp = app.post(url, json=params, headers=w.headers(who))
    return findings.check(who, f"api {action} {params}", resp, status)


@pytest.mark.parametrize("who", NOT_B)
def test_api_answers_carry_no_data_address(app, world, who):
    w, f = world, Findings()
    shown = _api(app, w, who, "package_show", f, id="cond").json["result"]
    for res in shown["resources"]:
        if who != "grantee" or res["id"] == w.b:
            assert res["url"] == APPLY_PAGE and res["url_type"] in (None, ""), res
    for rid in (w.a, w.b, w.c) if who != "grantee" else (w.b,):
        _api(app, w, who, "resource_show", f, id=rid)
    # the search index: results, raw fields, and queries on address fields as an oracle
    _api(app, w, who, "package_search", f, q="停车场")
    _api(app, w, who, "package_search", f, q="name:cond",
         fl="name,res_url,urls,download_url,data_dict,validated_data_dict,text")
    for q in (f"secret-{TOKEN}-b", f"res_url:*{TOKEN}*", f'urls:"{SECRET_B}"', f"text:secret-{TOKEN}-b"):
        hits = _api(app, w, who, "package_search", f, q=q).json["result"]["count"]
        assert hits == 0, q
    assert _api(app, w, who, "package_search", f, fq=f'res_url:"{SECRET_B}"').json["result"]["count"] == 0
    # other actions that return datasets with their resources (from the search index)
    _api(app, w, who, "current_package_list_with_resources", f)
    _api(app, w, who, "organization_show", f, id="lyg-jtj-test", include_datasets=True)
    _api(app, w, who, "resource_view_list", f, id=w.b)
    if who != "grantee":
        assert _api(app, w, who, "resource_view_list", f, id=w.a).json["result"] == []
        _api(app, w, who, "resource_view_show", f, status=403, id=w.view_id)
    facets = _api(app, w, who, "package_search", f, q="name:cond", **{
        "facet.field": json.dumps(["res_url", "urls"])}).json["result"]["facets"]
    assert not facets.get("res_url") and not facets.get("urls"), facets
    # resource_search reads the database: redacted results, and url: never matches
    found = _api(app, w, who, "resource_search", f, query=f"url:secret-{TOKEN}-b").json["result"]
    assert found["count"] == 0 and found["results"] == []
    by_name = _api(app, w, who, "resource_search", f, query="name:收费").json["result"]
    assert by_name["count"] == 2  # metadata stays searchable
    if who != "grantee":
        assert _api(app, w, who, "resource_search", f, query=f"url:{TOKEN}").json["result"]["count"] == 0
        # DataStore and the file store
        _api(app, w, who, "datastore_search", f, status=403, resource_id=w.a)
        _api(app, w, who, "datastore_search", f, status=403, method="post", resource_id=w.a,
             q=ROW_QUERY)
        _api(app, w, who, "datastore_info", f, status=403, id=w.a)
        _api(app, w, who, "file_show", f, status=(403, 404), id=w.file_id)
    _api(app, w, who, "datastore_search_sql", f, status=(400, 403, 404),
         sql=f'SELECT * FROM "{w.a}"')
    # datasets core dictizes itself: the followee lists
    if who != "anonymous":
        _api(app, w, who, "follow_dataset", f, method="post", id="cond")
        _api(app, w, who, "dataset_followee_list", f, id=w.users[who]["id"])
        _api(app, w, who, "followee_list", f, id=w.users[who]["id"])
    assert not f, f


@pytest.mark.parametrize("who", OUTSIDERS)
def test_datastore_surfaces_refuse(app, world, who):
    w, f = world, Findings()
    f.check(who, "dump", app.get(f"/datastore/dump/{w.a}", headers=w.headers(who)), 403)
    form = {"draw": "1", "search[value]": "", "start": "0", "length": "10", "order[0][column]": "0",
            "order[0][dir]": "asc", "columns[0][data]": "name", "columns[0][name]": "name"}
    f.check(who, "datatables ajax", app.post(f"/datatables/ajax/{w.view_id}", data=form,
                                             headers=w.headers(who)))
    f.check(who, "datatables filtered download", app.post(
        f"/datatables/filtered-download/{w.view_id}",
        data={"params": json.dumps({"search": {"value": ""}, "order": [], "columns": [
            {"data": "name", "name": "name"}]}), "format": "csv", "visible": "[]"},
        headers=w.headers(who)))
    f.check(who, "view page", app.get(f"/dataset/cond/resource/{w.a}/view/{w.view_id}",
                                      headers=w.headers(who)), 403)
    assert not f, f


@pytest.mark.parametrize("who", NOT_B)
def test_download_preview_proxy_and_file_routes_refuse(app, world, who):
    w, f = world, Findings()
    targets = [w.a, w.b, w.c] if who != "grantee" else [w.b]
    for rid in targets:
        for path in (f"/dataset/cond/resource/{rid}/download",
                     f"/dataset/{w.pkg['id']}/resource/{rid}/download/{rid}.csv",
                     f"/dataset/cond/resource/{rid}/proxy",
                     f"/dataset/cond/resource/{rid}/view"):
            resp = f.check(who, path, app.get(path, headers=w.headers(who), follow_redirects=False), 403)
            assert "有条件开放" in resp.get_data(as_text=True), path
    if who != "grantee":
        from ckan.lib import api_token
        loc = f"{w.c[:3]}/{w.c[3:6]}/{w.c[6:]}"
        tokens = [api_token.encode_token({"sub": w.file_id, "aud": "trusted_download"}),
                  api_token.encode_token({"location": loc, "storage": "resources",
                                          "aud": "trusted_download"})]
        for path in ([f"/file/download/{w.file_id}", f"/file/public-download/resources/{loc}"]
                     + [f"/file/trusted-download/{t}" for t in tokens]):
            f.check(who, path, app.get(path, headers=w.headers(who), follow_redirects=False), 403)
    assert not f, f


@pytest.mark.parametrize("who", NOT_B)
def test_pages_show_metadata_only(app, world, who):
    w, f = world, Findings()
    # (an old version's resource page reads the stored snapshot itself, whoever asks)
    for path in ("/dataset/cond", f"/dataset/cond/resource/{w.b}", "/dataset/?q=停车场",
                 "/organization/lyg-jtj-test", "/dataset/activity/cond", "/feeds/dataset.atom",
                 "/feeds/organization/lyg-jtj-test.atom", "/opendata/list.csv",
                 f"/dataset/cond/resources/{w.b}/history/{w.history_activity_id}"):
        resp = f.check(who, path, app.get(path, headers=w.headers(who)), 200)
        if path == "/dataset/cond":
            assert "停车场收费明细" in resp.get_data(as_text=True)
    if who != "grantee":
        for rid in (w.a, w.c):
            f.check(who, rid, app.get(f"/dataset/cond/resource/{rid}", headers=w.headers(who)), 200)
    assert not f, f


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", "true")
@pytest.mark.parametrize("who", NOT_B)
def test_activity_stream_snapshots_are_redacted_including_history(app, world, who, sysadmin):
    """The stream of a dataset published unconditional and then made conditional: its
    older snapshots hold the addresses in the database; nobody outside the agency gets them
    (with the activity detail public, so that every snapshot is served)."""
    from ckanext.activity.model import Activity
    w, f = world, Findings()
    stored = model.Session.query(Activity).filter(Activity.object_id == w.pkg["id"]).all()
    assert any(SECRET_B in json.dumps(a.data) for a in stored)  # the history really holds it
    ids = [a.id for a in stored if "package" in (a.data or {})]  # not the view's activity
    _api(app, w, who, "package_activity_list", f, id="cond")
    _api(app, w, who, "organization_activity_list", f, id="lyg-jtj-test")
    _api(app, w, who, "recently_changed_packages_activity_list", f)
    _api(app, w, who, "user_activity_list", f, id=sysadmin["name"])
    if who != "anonymous":
        _api(app, w, who, "follow_dataset", f, method="post", id="cond")
        _api(app, w, who, "dashboard_activity_list", f)
    # activities of the dataset's private (draft) days answer 403 to the public; the rest 200
    for aid in ids:
        public = aid == w.history_activity_id
        ok = 200 if public else (200, 403)
        _api(app, w, who, "activity_show", f, status=ok, id=aid, include_data=True)
        _api(app, w, who, "activity_show", f, status=ok, id=aid, include_data=False)
        _api(app, w, who, "activity_data_show", f, status=ok, id=aid)
        _api(app, w, who, "activity_data_show", f, status=ok, id=aid, object_type="package")
        for diff_type in ("unified", "html"):
            diff = app.get("/api/3/action/activity_diff", headers=w.headers(who), query_string={
                "id": aid, "object_type": "package", "diff_type": diff_type})
            f.check(who, f"activity_diff {aid} {diff_type}", diff, (200, 403, 404))
        for path in (f"/dataset/changes/{aid}", f"/dataset/cond/history/{aid}",
                     f"/dataset/cond/resources/{w.b}/history/{aid}"):
            f.check(who, path, app.get(path, headers=w.headers(who)), ok)
    assert not f, f


@pytest.mark.parametrize("who", ["anonymous", "supervisor", "grantee", "agency_editor", "sysadmin"])
def test_dcat_outputs_of_every_profile_point_to_the_application_page(app, world, who):
    """DCAT (catalog and dataset endpoints, every installed profile and format): no data
    address; the lyg_opendata profile gives every distribution the application page."""
    w, f = world, Findings()
    for profile in PROFILES:
        for fmt in ("ttl", "jsonld", "rdf"):
            for path in (f"/catalog.{fmt}", f"/dataset/cond.{fmt}"):
                resp = app.get(path, query_string={"profiles": profile}, headers=w.headers(who))
                # the DCAT outputs are public exports: nothing for anyone, the agency included
                found = leaks(resp.get_data(as_text=True))
                if found or resp.status_code != 200:
                    f.append((profile, path, resp.status_code, found))
    ttl = app.get("/dataset/cond.ttl", headers=w.headers(who)).get_data(as_text=True)
    assert f"<{APPLY_PAGE}>" in ttl and "downloadURL" not in ttl
    assert not f, f


def test_the_index_itself_holds_no_address(world):
    """The Solr document of a conditional dataset: no address field, and its stored JSON is
    redacted (searching as anyone finds nothing; this reads the stored document itself)."""
    from ckan.lib.search import show
    doc = show("cond")
    assert not leaks(json.dumps(doc)), leaks(json.dumps(doc))
    assert not {"res_url", "urls", "download_url"} & set(doc)
