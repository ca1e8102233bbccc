"""Harvest round trip: this portal's DCAT catalog, harvested with ckanext-harvest and
ckanext-dcat's RDF harvester into another agency, gives back every catalog field; the
imported entries wait for review (Art 12)."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .conftest import FULL_ITEMS, HARVEST_PLUGINS, harvest

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]

ROUND_TRIP_FIELDS = ("title", "notes", "open_type", "open_conditions", "update_frequency",
                     "data_items", "subject_areas", "data_grade", "data_updated",
                     "temporal_start", "temporal_end", "spatial_coverage", "resource_code",
                     "maintainer", "maintainer_email", "url", "license_id")


def test_harvested_catalog_gives_back_every_catalog_field(
        full_dataset, app, rdf_server, sysadmin):
    originals = [
        full_dataset(),
        full_dataset(name="lyg-bus", title="公交线路实时数据", resource_code="LYG-JT/0002",
                     open_type="conditional", open_conditions="仅限经批准的研究用途。",
                     update_frequency="realtime", subject_areas=["economy", "other"],
                     data_grade="grade3"),
    ]
    base, documents = rdf_server
    documents["/catalog.ttl"] = app.get("/catalog.ttl").get_data()
    # the copies land in the same test portal: the originals go, so that their unique
    # resource codes are free
    for ds in originals:
        tk.get_action("dataset_purge")({"user": sysadmin["name"]}, {"id": ds["id"]})
    county = factories.Organization(name="lyg-county", title="东海县数据局",
                                    users=[{"name": sysadmin["name"], "capacity": "admin"}])

    results = harvest(base + "/catalog.ttl", county, sysadmin)

    assert [r["errors"] for r in results.values()] == [[], []]
    harvested = {r["dataset"]["title"]: r["dataset"] for r in results.values()}
    for original in originals:
        copy = harvested[original["title"]]
        for field in ROUND_TRIP_FIELDS:
            assert copy.get(field) == original.get(field), field
        assert copy["owner_org"] == county["id"]
        assert copy["review_status"] == "pending" and copy["private"] is True
    assert harvested["连云港市公共停车场信息"]["data_items"] == FULL_ITEMS
    public = tk.get_action("package_search")({}, {"q": "*:*"})["results"]
    assert public == []
    # the conditional copy keeps no data URL, only the source's application page
    # (read as a sysadmin: the access domain blanks data addresses for everyone else)
    bus = tk.get_action("package_show")({"user": sysadmin["name"]},
                                        {"id": harvested["公交线路实时数据"]["id"]})
    assert {r["url"] for r in bus["resources"]} == {
        "http://test.lyg-opendata.invalid/dataset/lyg-bus/apply"}
    assert sorted(r["format"] for r in bus["resources"]) == ["API", "CSV"]


def test_second_sync_updates_changed_and_removes_deleted(full_dataset, app, rdf_server, sysadmin):
    first = full_dataset()
    second = full_dataset(name="lyg-bus", title="公交线路实时数据", resource_code="LYG-JT/0002")
    base, documents = rdf_server
    documents["/catalog.ttl"] = app.get("/catalog.ttl").get_data()
    county = factories.Organization(name="lyg-county", title="东海县数据局",
                                    users=[{"name": sysadmin["name"], "capacity": "admin"}])
    # harvest under other names/codes: the copies live beside their originals here
    text = documents["/catalog.ttl"].decode().replace("LYG-JT/", "DH-JT/")
    documents["/catalog.ttl"] = text.encode()
    results = harvest(base + "/catalog.ttl", county, sysadmin)
    assert len(results) == 2 and all(not r["errors"] for r in results.values())
    ids = {r["dataset"]["title"]: r["dataset"]["id"] for r in results.values()}

    # the source drops one dataset and changes the other's frequency
    tk.get_action("package_patch")({"user": sysadmin["name"]},
                                   {"id": first["id"], "update_frequency": "weekly"})
    tk.get_action("package_delete")({"user": sysadmin["name"]}, {"id": second["id"]})
    documents["/catalog.ttl"] = app.get("/catalog.ttl").get_data().decode().replace(
        "LYG-JT/", "DH-JT/").encode()
    harvest(base + "/catalog.ttl", county, sysadmin)

    show = tk.get_action("package_show")
    updated = show({"ignore_auth": True}, {"id": ids["连云港市公共停车场信息"]})
    assert updated["update_frequency"] == "weekly"
    assert model.Package.get(ids["公交线路实时数据"]).state == "deleted"
