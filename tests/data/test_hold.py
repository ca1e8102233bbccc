"""No window before the scan (Art 14, 26): the new file of a published open dataset is
neither downloadable nor queryable in the DataStore by the public at any moment before the
personal-data scan of that file has finished — checked after each job of the real queue
(the scan, xloader's load, the dictionary and the DataStore scan) — and a file with
personal data never becomes public (the dataset is withdrawn); a clean file opens once
scanned. The agency and the supervisors see the file all along."""
from __future__ import annotations

import pytest
from rq import SimpleWorker

import ckan.plugins.toolkit as tk
from ckan.lib import jobs

from tests.data.conftest import run_jobs, upload, xloader  # noqa: F401 - fixtures
from tests.data.test_scan import CLEAN, _csv_with_ids

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


def _one_job() -> bool:
    """Run the next queued job; False when the queue was empty."""
    from ckan import model
    queue = jobs.get_queue()
    if not queue.count:
        return False
    SimpleWorker([queue], connection=queue.connection).work(burst=True, max_jobs=1)
    model.Session.remove()
    return True


def _public(app, ds_name, res_id, token=None):
    """What the public (or a token's user) gets: download, dump, datastore_search."""
    headers = {"Authorization": token} if token else {}
    download = app.get(f"/dataset/{ds_name}/resource/{res_id}/download/list.csv", headers=headers)
    dump = app.get(f"/datastore/dump/{res_id}", headers=headers)
    search = app.get("/api/3/action/datastore_search", headers=headers,
                     query_string={"resource_id": res_id})
    posted = app.post("/api/3/action/datastore_search", headers=headers,
                      json={"resource_id": res_id, "limit": 5})
    return download, dump, search, posted


def _refused(responses) -> bool:
    return all(r.status_code in (403, 404) for r in responses)


def test_new_personal_file_of_a_published_dataset_is_never_public(
        xloader, app, published_dataset, people, sysadmin):
    clerk = {"user": people["agency_editor"]["name"]}
    ds = published_dataset(name="scanned")
    res = tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "desensitized": True, "upload": upload(_csv_with_ids(), "list.csv")})
    # saved and not yet scanned: refused to the public and to a registered user ...
    assert _refused(_public(app, "scanned", res["id"]))
    held = app.get(f"/dataset/scanned/resource/{res['id']}/download/list.csv")
    reason = held.get_data(as_text=True)
    assert held.status_code == 403 and ("个人信息" in reason or "personal data" in reason)
    assert _refused(_public(app, "scanned", res["id"], people["registered"]["token"]))
    # ... but the agency and the supervisor see the file
    for who in ("agency_editor", "supervisor"):
        mine = app.get(f"/dataset/scanned/resource/{res['id']}/download/list.csv",
                       headers={"Authorization": people[who]["token"]})
        assert mine.status_code == 200 and b"id_number" in mine.data
    # the queue, job by job: at no point public
    steps = 0
    while _one_job():
        steps += 1
        assert _refused(_public(app, "scanned", res["id"])), f"public after job {steps}"
    assert steps >= 2  # the scan and xloader's load at least
    shown = tk.get_action("package_show")({"user": sysadmin["name"]}, {"id": ds["id"]})
    assert shown["review_status"] == "withdrawn" and shown["private"] is True


def test_clean_new_file_opens_once_scanned_and_loaded(xloader, app, published_dataset, people):
    clerk = {"user": people["agency_editor"]["name"]}
    ds = published_dataset(name="scanned")
    res = tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "desensitized": True, "upload": upload(CLEAN, "list.csv")})
    assert _refused(_public(app, "scanned", res["id"]))
    while _one_job():
        pass
    download, dump, search, posted = _public(app, "scanned", res["id"])
    assert download.status_code == 200 and "苏宁广场停车场" in download.data.decode("gb18030")
    assert dump.status_code == 200 and "苏宁广场停车场" in dump.get_data(as_text=True)
    assert search.status_code == 200 and search.json["result"]["total"] == 2
    assert posted.status_code == 200
    # a replaced file is held again until its own scan
    tk.get_action("resource_patch")(dict(clerk), {
        "id": res["id"], "url": "list.csv", "upload": upload(_csv_with_ids(), "list.csv")})
    assert _refused(_public(app, "scanned", res["id"]))


@pytest.mark.parametrize("who,allowed", [
    ("anonymous", False), ("registered", False), ("other_agency_editor", False),
    ("agency_editor", True), ("agency_admin", True), ("supervisor", True), ("sysadmin", True)])
def test_who_sees_a_held_file(app, published_dataset, people, sysadmin, who, allowed):
    ds = published_dataset(name="scanned")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "desensitized": True, "upload": upload(CLEAN, "list.csv")})
    token = (people[who] or {}).get("token")
    headers = {"Authorization": token} if token else {}
    got = app.get(f"/dataset/scanned/resource/{res['id']}/download/list.csv", headers=headers)
    assert (got.status_code == 200) is allowed, got.status_code
