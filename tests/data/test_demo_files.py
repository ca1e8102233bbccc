"""The demo's files: generated reproducibly, uploaded to the file store; a dev portal loaded
before (its demo resources linking to addresses that do not resolve) gets the files in
place, published datasets included."""
from __future__ import annotations

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.demo import files, loader

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_generated_files_are_reproducible_and_plausible():
    data = loader.load_demo_data()
    parking = next(d for d in data["datasets"] if d["name"] == "lyg-parking-lots")
    made = [files.file_for(parking, r, i) for i, r in enumerate(parking["resources"])]
    again = [files.file_for(parking, r, i) for i, r in enumerate(parking["resources"])]
    assert [m[0] for m in made] == ["lyg-parking-lots-1.csv", "lyg-parking-lots-2.geojson",
                                    "lyg-parking-lots-3.pdf"]
    assert made[0] == again[0] and made[1] == again[1]
    csv = made[0][1].decode("utf-8").splitlines()
    assert csv[0] == "parking_name,address,spaces,fee,lng,lat" and len(csv) == 25
    assert "停车场" in csv[1] and "连云港市" in csv[1]
    assert made[2][1][:5] == b"%PDF-"
    # every file-like demo resource has a file; only the real external service stays a link
    links = [(d["name"], r["name"]) for d in data["datasets"] for i, r in enumerate(d["resources"])
             if files.file_for(d, r, i) is None]
    assert links == [("lyg-bus-routes", "实时公交接口")]


def test_an_older_demo_load_gets_its_files_in_place(published_dataset, sysadmin):
    data = loader.load_demo_data()
    parking = next(d for d in data["datasets"] if d["name"] == "lyg-parking-lots")
    ds = published_dataset(name="lyg-parking-lots", resources=[
        dict(r, desensitized=True) for r in parking["resources"]])
    old_ids = [r["id"] for r in ds["resources"]]
    assert loader.ensure_files([parking], lambda _m: None) == 3
    model.Session.remove()
    shown = tk.get_action("package_show")({"user": sysadmin["name"]}, {"id": ds["id"]})
    assert [r["id"] for r in shown["resources"]] == old_ids
    assert [r["url_type"] for r in shown["resources"]] == ["upload"] * 3
    assert shown["review_status"] == "published"
    assert loader.ensure_files([parking], lambda _m: None) == 0
