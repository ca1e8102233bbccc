"""Review of harvested entries (Art 12): they wait for review unless the harvest source
is configured as trusted; a harvested conditional entry is applied for at its source."""
import pytest
from rdflib import Graph, URIRef

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.dcat.profiles.base import DCAT
from ckanext.lyg_opendata.catalog.model import ReviewEvent
from ckanext.lyg_opendata.access.rights import application_url

from .conftest import HARVEST_PLUGINS, harvest, harvest_source

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]

LANDING = "http://www.lyg-opendata.invalid/bus"
# the source's application page of the conditional entry: its access URL as given
SOURCE_APPLY = "http://test.lyg-opendata.invalid/dataset/lyg-bus/apply"


@pytest.fixture
def source(full_dataset, app, rdf_server, sysadmin):
    """A catalog with an unconditional and a conditional entry, served on loopback, and
    the agency the copies go to (the originals are purged: their codes are free)."""
    originals = [full_dataset(),
                 full_dataset(name="lyg-bus", title="公交线路实时数据", resource_code="LYG-JT/0002",
                              open_type="conditional", open_conditions="仅限经批准的研究用途。",
                              url=LANDING)]
    base, documents = rdf_server
    documents["/catalog.ttl"] = app.get("/catalog.ttl").get_data()
    for ds in originals:
        tk.get_action("dataset_purge")({"user": sysadmin["name"]}, {"id": ds["id"]})
    county = factories.Organization(name="lyg-county", title="东海县数据局",
                                    users=[{"name": sysadmin["name"], "capacity": "admin"}])
    return base + "/catalog.ttl", county


def events(package_id):
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    site_user_id = model.User.get(site_user).id
    return [(e.action, e.from_status, e.to_status, e.actor_id == site_user_id)
            for e in model.Session.query(ReviewEvent).filter_by(package_id=package_id)
            .order_by(ReviewEvent.created)]


def by_title(results):
    return {r["dataset"]["title"]: r["dataset"] for r in results.values()}


def test_imports_wait_for_review(source, sysadmin, app):
    results = harvest(*source, sysadmin)
    copies = by_title(results)
    assert {c["review_status"] for c in copies.values()} == {"pending"}
    assert all(c["private"] for c in copies.values())
    for copy in copies.values():
        assert events(copy["id"]) == [("import", None, "pending", True)]
    # Chinese titles give readable names in pinyin (the source's identifiers are UUIDs)
    assert sorted(c["name"] for c in copies.values()) == [
        "gong-jiao-xian-lu-shi-shi-shu-ju", "lian-yun-gang-shi-gong-gong-ting-che-chang-xin-xi"]
    assert tk.get_action("package_search")({}, {"q": "*:*"})["count"] == 0
    # indexed without a Solr commit each, committed by the job's last object: the reviewer
    # finds them as soon as the job is done
    assert tk.get_action("package_search")({"user": sysadmin["name"]}, {
        "q": "*:*", "include_private": True})["count"] == 2
    # the conditional copy keeps its source's landing page; its "apply" link leads to the
    # source's application page (the access URL as given)
    bus = tk.get_action("package_show")({"user": sysadmin["name"]},
                                        {"id": copies["公交线路实时数据"]["id"]})
    assert bus["url"] == LANDING and application_url(bus) == SOURCE_APPLY
    g = Graph().parse(data=app.get(f"/dataset/{bus['name']}.ttl",
                                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True),
                      format="turtle")
    assert {str(o) for o in g.objects(None, DCAT.accessURL)} == {SOURCE_APPLY}
    assert (None, DCAT.downloadURL, None) not in g


def test_trusted_source_publishes_directly(source, sysadmin, app):
    results = harvest(*source, sysadmin, trusted=True)
    copies = {t: tk.get_action("package_show")({"ignore_auth": True}, {"id": c["id"]})
              for t, c in by_title(results).items()}
    assert all(not r["errors"] for r in results.values())
    for copy in copies.values():
        assert copy["review_status"] == "published" and copy["private"] is False
        assert copy["issued"]
        assert events(copy["id"]) == [("import", None, "pending", True),
                                      ("approve", "pending", "published", True)]
    public = tk.get_action("package_search")({}, {"q": "*:*"})["results"]
    assert sorted(d["title"] for d in public) == ["公交线路实时数据", "连云港市公共停车场信息"]
    # published, the conditional copy is in this portal's catalog, applied for at the source
    g = Graph().parse(data=app.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    bus = copies["公交线路实时数据"]
    bus_ref = next(g.subjects(DCAT.landingPage, URIRef(LANDING)))
    accessed = {str(o) for d in g.objects(bus_ref, DCAT.distribution)
                for o in g.objects(d, DCAT.accessURL)}
    assert accessed == {SOURCE_APPLY}
    assert not any((d, DCAT.downloadURL, None) in g for d in g.objects(bus_ref, DCAT.distribution))
    assert application_url(bus) == SOURCE_APPLY


def test_trusted_source_changes_apply_on_the_next_sync(source, app, rdf_server, sysadmin):
    url, county = source
    harvest(url, county, sysadmin, trusted=True)
    base, documents = rdf_server
    text = documents["/catalog.ttl"].decode()
    assert "停车场的登记名称" in text
    documents["/catalog.ttl"] = text.replace("停车场的登记名称", "停车场的登记名称（新）").encode()
    results = harvest(url, county, sysadmin, trusted=True)
    assert all(not r["errors"] for r in results.values())
    parking = tk.get_action("package_show")(
        {"ignore_auth": True}, {"id": by_title(results)["连云港市公共停车场信息"]["id"]})
    assert parking["review_status"] == "published"
    assert parking["data_items"][0]["description"] == "停车场的登记名称（新）"


@pytest.mark.parametrize("config", ['{"trusted": "yes"}', '{"trusted": 1}', '["trusted"]'])
def test_trusted_must_be_a_boolean(sysadmin, config):
    org = factories.Organization(users=[{"name": sysadmin["name"], "capacity": "admin"}])
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("harvest_source_create")({"user": sysadmin["name"]}, {
            "name": "bad-source", "title": "bad", "url": "http://127.0.0.1:9/catalog.ttl",
            "source_type": "lyg_dcat_rdf", "owner_org": org["id"], "config": config})
    assert "config" in error.value.error_dict


def test_untrusted_is_the_default(source, sysadmin):
    harvest_source(*source, sysadmin, trusted=False)
    results = harvest(*source, sysadmin)
    assert {r["dataset"]["review_status"] for r in results.values()} == {"pending"}
