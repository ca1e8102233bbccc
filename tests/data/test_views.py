"""Default views of new resources: a PDF shows in the browser's viewer, a GeoJSON as a map
without a basemap, both served from the portal itself (no remote script or tile)."""
from __future__ import annotations

import re

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.demo import files
from tests.data.conftest import upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DEMO = {"name": "lyg-parking-lots", "data_items": [
    {"name_zh": "停车场名称", "code": "parking_name", "type": "string"},
    {"name_zh": "经度", "code": "lng", "type": "decimal"},
    {"name_zh": "纬度", "code": "lat", "type": "decimal"}]}


def _views(res_id):
    return [v["view_type"] for v in tk.get_action("resource_view_list")({"user": ""}, {"id": res_id})]


def test_pdf_and_geojson_get_their_views(app, run_jobs, published_dataset, sysadmin):
    ds = published_dataset(name="parking-docs")
    admin = {"user": sysadmin["name"]}
    pdf = tk.get_action("resource_create")(dict(admin), {
        "package_id": ds["id"], "name": "管理办法全文", "format": "PDF", "url": "rules.pdf",
        "desensitized": True, "upload": upload(files.to_pdf("管理办法", ["第一条　测试。"]),
                                               "rules.pdf", "application/pdf")})
    header, body = files.rows(DEMO)
    geo = tk.get_action("resource_create")(dict(admin), {
        "package_id": ds["id"], "name": "分布图", "format": "GeoJSON", "url": "lots.geojson",
        "desensitized": True, "upload": upload(files.to_geojson(header, body), "lots.geojson",
                                               "application/geo+json")})
    assert _views(pdf["id"]) == ["lyg_pdf_view"]
    assert _views(geo["id"]) == ["lyg_map_view"]
    page = app.get(f"/dataset/parking-docs/resource/{pdf['id']}").get_data(as_text=True)
    assert re.search(r'<object data="[^"]+/download/rules\.pdf" type="application/pdf"', page)
    page = app.get(f"/dataset/parking-docs/resource/{geo['id']}").get_data(as_text=True)
    assert 'data-module="lyg-map"' in page and "lots.geojson" in page
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert any("lyg_opendata" in s and "map" in s for s in scripts), scripts
    assert not [s for s in scripts if s.startswith("http") and "test.lyg-opendata.invalid" not in s]
    # the GeoJSON itself downloads (what the map view draws), once scanned (data/hold.py)
    run_jobs()
    dl = app.get(f"/dataset/parking-docs/resource/{geo['id']}/download/lots.geojson")
    assert dl.status_code == 200 and dl.json["type"] == "FeatureCollection"
    assert len(dl.json["features"]) == len(body)
