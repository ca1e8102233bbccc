"""The leak matrix, extended to ckanext-xloader (Art 17): the conditional dataset's uploaded
file ``c`` is loaded into the DataStore by a real xloader job (the job queue run in this
process, downloading from the test app over HTTP with the site user's token); then nobody
outside the agency and the grant finds its rows or its file anywhere — xloader's status
action and page, its callback (``xloader_hook``) and submit, ``datastore_search``,
``datastore_info``, the dumps in every format, the download — while the grantee gets the
rows through the same API and dumps."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk

from tests.access.conftest import OUTSIDERS, TOKEN, leaks
from tests.data.conftest import run_jobs, xloader  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

FILE_ROW = f"secret-file-content-{TOKEN}"


@pytest.fixture
def xworld(xloader, run_jobs, world, sysadmin):
    """The enforcement world with ``c`` loaded into the DataStore by xloader."""
    run_jobs()
    def admin():
        return {"user": sysadmin["name"]}
    status = tk.get_action("xloader_status")(admin(), {"resource_id": world.c})
    assert status["status"] == "complete", status
    rows = tk.get_action("datastore_search")(admin(), {"resource_id": world.c})["records"]
    assert [r["name"] for r in rows] == [FILE_ROW]  # so the checks below are not vacuous
    return world


def _check(findings, label, resp, statuses):
    body = resp.get_data(as_text=True) + json.dumps(dict(resp.headers))
    found = leaks(body)
    if found:
        findings.append((label, resp.status_code, found))
    if resp.status_code not in statuses:
        findings.append((label, "status", resp.status_code))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_xloader_surfaces_refuse_outsiders(app, xworld, who):
    w, f = xworld, []
    h = w.headers(who)
    api = "/api/3/action/"
    _check(f, "xloader_status", app.get(api + "xloader_status", query_string={
        "resource_id": w.c}, headers=h), (403,))
    _check(f, "xloader_submit", app.post(api + "xloader_submit", json={
        "resource_id": w.c}, headers=h), (403,))
    # a forged callback: neither accepted nor a way to read the task
    _check(f, "xloader_hook", app.post(api + "xloader_hook", json={
        "metadata": {"resource_id": w.c}, "status": "complete"}, headers=h), (403,))
    _check(f, "resource_data page", app.get(
        f"/dataset/cond/resource_data/{w.c}", headers=h), (302, 403, 404))
    _check(f, "datastore_search", app.get(api + "datastore_search", query_string={
        "resource_id": w.c}, headers=h), (403,))
    _check(f, "datastore_search q", app.post(api + "datastore_search", json={
        "resource_id": w.c, "q": FILE_ROW}, headers=h), (403,))
    _check(f, "datastore_info", app.get(api + "datastore_info", query_string={
        "id": w.c}, headers=h), (403,))
    for fmt in ("csv", "tsv", "json", "xml", "xlsx"):
        _check(f, f"dump {fmt}", app.get(f"/datastore/dump/{w.c}", query_string={
            "format": fmt}, headers=h), (403,))
    _check(f, "download", app.get(f"/dataset/cond/resource/{w.c}/download", headers=h),
           (302, 403))
    _check(f, "resource page", app.get(f"/dataset/cond/resource/{w.c}", headers=h),
           (200, 403, 404))
    assert not f, f


def test_grantee_gets_the_rows_through_the_api_and_dumps(app, xworld):
    w = xworld
    h = w.headers("grantee")
    found = app.get("/api/3/action/datastore_search", query_string={"resource_id": w.c},
                    headers=h)
    assert found.status_code == 200
    assert [r["name"] for r in found.json["result"]["records"]] == [FILE_ROW]
    dump = app.get(f"/datastore/dump/{w.c}", query_string={"format": "csv"}, headers=h)
    assert dump.status_code == 200 and FILE_ROW in dump.get_data(as_text=True)
    # the grantee may not drive the loader of the agency's resource
    assert app.get("/api/3/action/xloader_status", query_string={"resource_id": w.c},
                   headers=h).status_code == 403
