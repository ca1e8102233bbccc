"""The Solr schema is CKAN's own plus a documented diff, and the running core uses it."""
import pathlib
import subprocess

import pytest
import requests

import ckan.plugins.toolkit as tk

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_schema_is_ckans_plus_the_committed_diff():
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "solr/schema_diff.py")],
        capture_output=True, text=True, check=True)
    committed = (ROOT / "solr/ckan-schema.diff").read_text("utf-8")
    assert result.stdout == committed, (
        "CKAN's schema.xml or ours changed: refresh solr/ckan-schema.diff (see solr/schema_diff.py)")


def test_committed_diff_applies_to_ckans_schema(tmp_path):
    import ckan
    ckan_schema = pathlib.Path(ckan.__file__).parent / "config/solr/schema.xml"
    out = tmp_path / "schema.xml"
    subprocess.run(["patch", "-s", "-o", str(out), str(ckan_schema),
                    str(ROOT / "solr/ckan-schema.diff")], check=True)
    assert out.read_bytes() == (ROOT / "solr/configset/conf/schema.xml").read_bytes()


@pytest.mark.usefixtures("with_plugins")
def test_running_solr_core_uses_the_project_schema():
    solr_url = tk.config.get("solr_url")
    resp = requests.get(f"{solr_url}/schema/name", timeout=10)
    assert resp.json()["name"] == "ckan-2.12"
    resp = requests.get(f"{solr_url}/analysis/field", timeout=10, params={
        "analysis.fieldtype": "text", "analysis.fieldvalue": "停车场", "wt": "json"})
    tokens = [t["text"] for t in resp.json()["analysis"]["field_types"]["text"]["index"][-1]]
    assert "停车" in tokens and "车场" in tokens
