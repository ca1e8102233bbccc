"""Harvest bad input: a document that is not RDF, a source that times out, a catalog over
the size limit. Each gives a clear gather error in the job report; the job imports
nothing half-way and loses nothing already imported."""
import threading
import time

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.harvest.model import HarvestObject

from . import third_party as tp
from .conftest import HARVEST_PLUGINS, harvest, harvest_job

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]


@pytest.fixture
def imported(full_dataset, app, rdf_server, sysadmin):
    """A source whose two entries were harvested once, into another agency."""
    full_dataset()
    full_dataset(name="lyg-bus", title="公交线路实时数据", resource_code="LYG-JT/0002")
    base, documents = rdf_server
    good = app.get("/catalog.ttl").get_data().decode().replace("LYG-JT/", "DH-JT/").encode()
    documents["/catalog.ttl"] = good
    county = factories.Organization(name="lyg-county", title="东海县数据局",
                                    users=[{"name": sysadmin["name"], "capacity": "admin"}])
    results = harvest(base + "/catalog.ttl", county, sysadmin)
    assert len(results) == 2 and all(not r["errors"] for r in results.values())
    return {"url": base + "/catalog.ttl", "documents": documents, "org": county,
            "datasets": {r["dataset"]["id"]: r["dataset"] for r in results.values()}}


def sync_again(imported, sysadmin):
    """Harvest the source again; the job's report, its status, and its objects."""
    job_id, results = harvest_job(imported["url"], imported["org"], sysadmin)
    report = tp.report(job_id, sysadmin)
    job = tk.get_action("harvest_job_show")({"user": sysadmin["name"]}, {"id": job_id})
    objects = model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id).count()
    return report, job, results, objects


def assert_nothing_lost(imported):
    for dataset_id, before in imported["datasets"].items():
        now = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id})
        assert now["state"] == "active"
        assert now["metadata_modified"] == before["metadata_modified"]


def messages(report):
    return [e["message"] for e in report["gather_errors"]]


@pytest.mark.parametrize("garbage", [
    b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset ; oops\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe not text at all",
    b"<html><body>502 Bad Gateway</body></html>",
], ids=["broken-turtle", "binary", "html"])
def test_malformed_rdf(imported, sysadmin, garbage):
    imported["documents"]["/catalog.ttl"] = garbage
    report, job, results, objects = sync_again(imported, sysadmin)
    errors = messages(report)
    assert results == {} and objects == 0
    assert any(("Error parsing the RDF file" in m or "Could not harvest" in m) for m in errors), errors
    assert any("stopped: nothing was imported, updated or deleted" in m for m in errors), errors
    assert job["status"] == "Finished"
    assert_nothing_lost(imported)


@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.timeout", 1)
def test_source_that_times_out(imported, sysadmin):
    gave_up = threading.Event()

    def slow(handler):
        # answers only once the harvester has given up (no sleep: no race with the timeout)
        gave_up.wait(30)
        handler.send_response(200)
        handler.end_headers()
    imported["documents"]["/catalog.ttl"] = slow
    started = time.monotonic()
    try:
        report, job, results, objects = sync_again(imported, sysadmin)
    finally:
        gave_up.set()
    assert time.monotonic() - started < 15
    errors = messages(report)
    assert any("timed out" in m and "ckanext.lyg_opendata.harvest.timeout" in m
               for m in errors), errors
    assert results == {} and objects == 0 and job["status"] == "Finished"
    assert_nothing_lost(imported)


@pytest.mark.ckan_config("ckanext.dcat.max_file_size", 1)
@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "streamed"])
def test_catalog_over_the_size_limit(imported, sysadmin, announced):
    body = imported["documents"]["/catalog.ttl"]
    padding = b"# " + b"x" * 1000 + b"\n"
    big = body + padding * (1024 * 1024 // len(padding) + 10)   # valid Turtle, just over 1 MB

    def serve(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/turtle")
        if announced:
            handler.send_header("Content-Length", str(len(big)))
        handler.end_headers()
        if handler.command == "GET":
            handler.wfile.write(big)
    imported["documents"]["/catalog.ttl"] = serve
    report, job, results, objects = sync_again(imported, sysadmin)
    errors = messages(report)
    assert any("larger than the harvest size limit of 1 MB" in m for m in errors), errors
    assert results == {} and objects == 0 and job["status"] == "Finished"
    assert_nothing_lost(imported)


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", 1)
def test_bad_second_page_imports_nothing_of_the_first(full_dataset, app, rdf_server, sysadmin):
    full_dataset()
    full_dataset(name="lyg-bus", title="公交线路实时数据", resource_code="LYG-JT/0002")
    base, documents = rdf_server
    site = tk.config.get("ckan.site_url").rstrip("/")
    first = app.get("/catalog.ttl").get_data().decode()
    assert f"{site}/catalog.ttl?page=2" in first
    documents["/catalog.ttl"] = first.replace(f"{site}/catalog.ttl", base + "/catalog.ttl") \
        .replace("LYG-JT/", "DH-JT/").encode()
    documents["/catalog.ttl?page=2"] = b"this is not turtle ;;;"
    county = factories.Organization(name="lyg-county", title="东海县数据局",
                                    users=[{"name": sysadmin["name"], "capacity": "admin"}])
    job_id, results = harvest_job(base + "/catalog.ttl", county, sysadmin)
    report = tp.report(job_id, sysadmin)
    assert results == {}
    assert model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id).count() == 0
    assert any("stopped: nothing was imported, updated or deleted" in e["message"]
               for e in report["gather_errors"]), report
    assert tk.get_action("package_search")(
        {"ignore_auth": True}, {"fq": f"owner_org:{county['id']}", "include_private": True})["count"] == 0
