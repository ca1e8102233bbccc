"""xloader's status page of a resource (its DataStore tab, ``/dataset/<id>/resource_data/
<resource>``) as the agency sees it: waiting, loaded with the number of rows, failed with
the reason; its retry button queues a new load. Nobody outside the agency sees the page or
triggers a load (xloader's auth: ``resource_update``) — the dataset is published and open."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import jobs

from tests.data.conftest import run_jobs, upload, xloader  # noqa: F401 - fixtures
from tests.data.test_scan import CLEAN

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


def _page(app, ds, res_id, who, people, method="get"):
    token = (people[who] or {}).get("token")
    headers = {"Authorization": token} if token else {}
    url = f"/dataset/{ds}/resource_data/{res_id}"
    if method == "post":
        return app.post(url, headers=headers, data={"save": ""}, follow_redirects=False)
    return app.get(url, headers=headers)


@pytest.fixture
def loaded(xloader, run_jobs, published_dataset, people):
    clerk = {"user": people["agency_editor"]["name"]}
    ds = published_dataset(name="parking")
    res = tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "停车场名录", "format": "CSV", "url": "list.csv",
        "desensitized": True, "upload": upload(CLEAN, "list.csv")})
    return ds, res


def test_agency_sees_waiting_then_loaded_rows_and_retries(app, loaded, run_jobs, people):
    ds, res = loaded
    waiting = _page(app, "parking", res["id"], "agency_editor", people)
    assert waiting.status_code == 200
    text = waiting.get_data(as_text=True)
    assert any(w in text for w in ("Pending", "等待", "待处理", "Submitting")), text[-3000:]
    run_jobs()
    done = _page(app, "parking", res["id"], "agency_editor", people).get_data(as_text=True)
    assert any(w in done for w in ("Complete", "完成")), done[-3000:]
    assert "2" in done and ("records" in done or "条" in done or "行" in done)
    # the retry button: POST queues a new load
    queue = jobs.get_queue()
    before = queue.count
    retried = _page(app, "parking", res["id"], "agency_admin", people, method="post")
    assert retried.status_code in (302, 303)
    assert queue.count == before + 1
    status = tk.get_action("xloader_status")({"user": people["agency_admin"]["name"]},
                                             {"resource_id": res["id"]})
    assert status["status"] in ("pending", "submitting")
    run_jobs()


def test_failed_load_shows_the_reason(xloader, app, run_jobs, published_dataset, people):
    clerk = {"user": people["agency_editor"]["name"]}
    ds = published_dataset(name="parking")
    # a tabular link whose address answers nothing: xloader's download fails
    res = tk.get_action("resource_create")(dict(clerk), {
        "package_id": ds["id"], "name": "外部表", "format": "CSV",
        "url": "http://127.0.0.1:9/missing.csv", "desensitized": True})
    tk.get_action("xloader_submit")(dict(clerk), {"resource_id": res["id"]})
    run_jobs()
    page = _page(app, "parking", res["id"], "agency_editor", people)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert any(w in text for w in ("Error", "错误")), text[-3000:]
    assert "127.0.0.1:9" in text or "onnect" in text or "下载" in text, text[-3000:]


@pytest.mark.parametrize("who,allowed", [
    ("anonymous", False), ("registered", False), ("other_agency_editor", False),
    ("supervisor", False), ("agency_editor", True), ("agency_admin", True), ("sysadmin", True)])
def test_who_sees_and_triggers_the_load(app, loaded, run_jobs, people, who, allowed):
    ds, res = loaded
    run_jobs()  # loaded: a retry queues a new load (a waiting one is not queued twice)
    page = _page(app, "parking", res["id"], who, people)
    assert (page.status_code == 200) is allowed, page.status_code
    if not allowed:
        assert page.status_code in (403, 404)
        assert "Upload to DataStore" not in page.get_data(as_text=True)
    queue = jobs.get_queue()
    before = queue.count
    posted = _page(app, "parking", res["id"], who, people, method="post")
    if allowed:
        assert posted.status_code in (302, 303) and queue.count == before + 1
    else:
        assert posted.status_code in (403, 404), posted.status_code
        assert queue.count == before
    # the action API alike
    token = (people[who] or {}).get("token")
    headers = {"Authorization": token} if token else {}
    api = app.post("/api/3/action/xloader_submit", headers=headers,
                   json={"resource_id": res["id"]})
    assert (api.status_code == 200) is allowed, api.status_code
    status = app.get("/api/3/action/xloader_status", headers=headers,
                     query_string={"resource_id": res["id"]})
    assert (status.status_code == 200) is allowed, status.status_code
