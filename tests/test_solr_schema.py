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
    assert tokens == ["停", "车", "场"]   # single ideographs; a query term is a phrase of them


def _analyze(solr_url, field_type, side, value):
    param = "analysis.fieldvalue" if side == "index" else "analysis.query"
    resp = requests.get(f"{solr_url}/analysis/field", timeout=10, params={
        "analysis.fieldtype": field_type, param: value, "wt": "json"})
    return [(t["text"], t["position"])
            for t in resp.json()["analysis"]["field_types"][field_type][side][-1]]


@pytest.mark.usefixtures("with_plugins")
def test_running_core_folds_forms_and_keeps_query_positions_aligned():
    """The analysis of issue 16, on the running core (needs the ICU jars of solr/pom.xml)."""
    solr_url = tk.config.get("solr_url")
    # traditional and full-width forms are folded at index and query time
    assert [t for t, _ in _analyze(solr_url, "text", "query", "數據２０２０")] == ["数", "据", "2020"]
    index = dict(_analyze(solr_url, "text", "index", "工信局2020年"))
    query = _analyze(solr_url, "text", "query", "工信局2020")
    # index and query are single ideographs, so the number follows the last one in the
    # query exactly as in the index (a query bigram 信局 sat one position too early)
    assert [t for t, _ in query] == ["工", "信", "局", "2020"]
    assert index["2020"] - index["局"] == query[3][1] - query[2][1] == 1
    assert "信局" not in index
    for field_type in ("text", "text_general"):
        assert [t for t, _ in _analyze(solr_url, field_type, "query", "连政规发〔2019〕2号")] == \
            [t for t, _ in _analyze(solr_url, field_type, "query", "连政规发[2019]2号")]
    fields = requests.get(f"{solr_url}/schema/fields/title_pinyin", timeout=10).json()
    assert fields["field"]["type"] == "text_pinyin"

