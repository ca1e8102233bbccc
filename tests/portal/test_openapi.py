"""/api/openapi.json: a valid OpenAPI 3.1 document of this extension's actions and the core
read actions, generated from the registered actions; every documented path is answered by
the app (so the description cannot drift from the code)."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

import ckan.plugins as p

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_openapi_document_is_valid_3_1(app):
    doc = app.get("/api/openapi.json").json
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    for core in ("package_search", "package_show", "resource_show", "datastore_search"):
        assert f"/api/3/action/{core}" in paths
    # every lyg_opendata action the plugin registers is described
    registered = set()
    for plugin in p.PluginImplementations(p.IActions):
        registered |= {n for n in plugin.get_actions() if n.startswith("lyg_opendata_")}
    assert registered and {f"/api/3/action/{n}" for n in registered} <= set(paths)
    # parameters come from the docstrings
    create = paths["/api/3/action/lyg_opendata_application_create"]["post"]
    props = create["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert {"package_id", "purpose", "accept_conditions"} <= set(props)
    assert "get" in paths["/api/3/action/package_search"]  # side-effect free: GET too
    assert "get" not in paths["/api/3/action/lyg_opendata_application_create"]


def test_every_documented_path_is_answered_by_the_app(app):
    doc = app.get("/api/openapi.json").json
    for path, item in doc["paths"].items():
        if "get" in item:
            resp = app.get(path)
        else:
            resp = app.post(path, json={})
        # answered by the action API: JSON with "success" (403/404/409 for missing input
        # or rights are answers too); never a 404 of the router or a 500
        assert resp.status_code in (200, 400, 403, 404, 409), (path, resp.status_code)
        body = resp.json
        assert body is not None and "success" in body, (path, resp.body[:200])
        assert "Action name not known" not in str(body.get("error")), path
