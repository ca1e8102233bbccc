"""Fixtures of the DCAT tests: a dataset with every catalog field filled in; a loopback
RDF server and one harvest sync for the harvest tests."""
import http.server
import json
import threading

import pytest

import ckan.plugins.toolkit as tk

from tests.conftest import migrate_once

HARVEST_PLUGINS = "lyg_opendata scheming_datasets dcat activity harvest lyg_dcat_rdf_harvester"

CSV_URL = "http://files.lyg-opendata.invalid/parking/2025.csv"
API_URL = "http://api.lyg-opendata.invalid/v1/parking"

FULL_ITEMS = [
    {"name_zh": "停车场名称", "code": "parking_name", "type": "string",
     "description": "停车场的登记名称", "sensitive": "no"},
    {"name_zh": "泊位数", "code": "spaces", "type": "integer", "description": "", "sensitive": "no"},
    {"name_zh": "收费标准", "code": "fee_code", "type": "code",
     "description": "按物价部门码表", "sensitive": "desensitized"},
]


def full_fields(**kwargs):
    """Every catalog field of the schema, with values that differ from the defaults."""
    data = {
        "name": "lyg-parking", "title": "连云港市公共停车场信息", "notes": "全市公共停车场的位置、泊位和收费标准。",
        "open_type": "unconditional", "update_frequency": "semiannual",
        "data_items": [dict(i) for i in FULL_ITEMS], "data_grade": "grade2",
        "subject_areas": ["transport", "daily_life"], "data_updated": "2025-03-01",
        "temporal_start": "2024-01-01", "temporal_end": "2024-12-31",
        "spatial_coverage": "连云港市市区", "resource_code": "LYG-JT/0001",
        "maintainer": "数据开放科", "maintainer_email": "data@lyg-opendata.invalid",
        "url": "http://www.lyg-opendata.invalid/parking", "license_id": "cc-by",
        "tag_string": "停车,交通",
        "resources": [
            {"name": "2025年停车场名录", "description": "CSV 文件", "url": CSV_URL, "format": "csv"},
            {"name": "停车场实时泊位接口", "url": API_URL, "format": "API"},
        ],
    }
    data.update(kwargs)
    return data


@pytest.fixture
def full_dataset(published_dataset):
    def create(**kwargs):
        return published_dataset(**full_fields(**kwargs))
    return create


@pytest.fixture
def harvest_db(clean_db, migrate_db_for):
    migrate_once(migrate_db_for, "harvest")


@pytest.fixture
def rdf_server():
    """Serves what is put in ``documents`` on a free loopback port: bytes (as Turtle, with
    a Content-Length), or a function called with the request handler to answer itself."""
    documents = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = documents.get(self.path)
            if body is None:
                self.send_error(404)
                return
            if callable(body):
                body(self)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", documents
    server.shutdown()
    thread.join(5)


def harvest_source(source_url, org, sysadmin, **config):
    ctx = {"user": sysadmin["name"]}
    sources = tk.get_action("harvest_source_list")(ctx, {})
    return next((s for s in sources if s["url"] == source_url), None) or \
        tk.get_action("harvest_source_create")(ctx, {
            "name": "county-portal", "title": "县区平台", "url": source_url,
            "source_type": "lyg_dcat_rdf", "owner_org": org["id"],
            "config": json.dumps({"rdf_format": "text/turtle", **config})})


def harvest_job(source_url, org, sysadmin, **config):
    """One sync, as `ckan harvester run-test` runs it (gather, fetch, import, no queue):
    the job's id and the results by guid."""
    from ckanext.lyg_opendata.dcat.harvester import LygDCATRDFHarvester
    from ckanext.harvest.model import HarvestJob
    from ckanext.harvest.tests.lib import run_harvest_job
    source = harvest_source(source_url, org, sysadmin, **config)
    job = tk.get_action("harvest_job_create")({"user": sysadmin["name"]},
                                              {"source_id": source["id"], "run": False})
    return job["id"], run_harvest_job(HarvestJob.get(job["id"]), LygDCATRDFHarvester())


def harvest(source_url, org, sysadmin, **config):
    return harvest_job(source_url, org, sysadmin, **config)[1]
