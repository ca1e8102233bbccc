"""The leak matrix, continued: the personal-data scan (Art 14, 26; issue 11). Its findings
carry masked samples of the personal data a file holds: the dataset's data-opening body
(editor, admin), supervisors and sysadmins read them, masked only; anybody else — the
public, registered users, an applicant holding a grant over the very resource, another
agency's editor — gets 403 from the actions and no finding on the resource page. No
surface ever carries an unmasked value."""
from __future__ import annotations

import datetime as dt
import random

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.data.model import Finding
from ckanext.lyg_opendata.workdays import today_beijing
from tests.access.conftest import insert_grant
from tests.data.conftest import run_jobs, upload  # noqa: F401 - fixture
from tests.data.test_scan import make_ric

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

READERS = ["agency_editor", "agency_admin", "supervisor", "sysadmin"]
OTHERS = ["anonymous", "registered", "applicant", "other_agency_editor"]
RESOLVERS = ["agency_editor", "agency_admin", "sysadmin"]


@pytest.fixture
def scanned(run_jobs, create_dataset, publish, people, sysadmin):  # noqa: F811
    """A published conditional dataset whose uploaded file holds ID numbers, mobile numbers
    and email addresses (found by the scan, then marked false positives by the agency so
    that it could be published: the findings and their masked samples stay); an applicant
    holds a valid grant over that file."""
    rng = random.Random(11)
    rics = [make_ric(rng) for _ in range(4)]
    mobiles = [f"139{rng.randint(10**7, 10**8 - 1)}" for _ in range(4)]
    emails = [f"zhang{i}.secret@example.cn" for i in range(4)]
    lines = ["姓名,身份证号,手机,邮箱"] + [f"用户{i},{rics[i]},{mobiles[i]},{emails[i]}"
                                         for i in range(4)]
    ds = create_dataset(name="scan-leak", title="扫描泄露测试", open_type="conditional",
                        open_conditions="仅向经批准的研究机构开放")
    res = tk.get_action("resource_create")({"user": sysadmin["name"]}, {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "desensitized": True, "upload": upload(("\n".join(lines) + "\n").encode(), "list.csv")})
    run_jobs()
    clerk = {"user": people["agency_editor"]["name"]}
    found = tk.get_action("lyg_opendata_scan_list")(dict(clerk), {"resource_id": res["id"]})
    assert {f["kind"] for f in found["findings"]} >= {"ric", "mobile", "email"}, found
    for f in found["findings"]:
        tk.get_action("lyg_opendata_scan_finding_dismiss")(dict(clerk), {
            "id": f["id"], "reason": "测试用虚构数据，非真实个人信息"})
    publish(ds)
    users = dict(people)
    users["applicant"] = factories.UserWithToken(fullname="研究院用户")
    today = today_beijing()
    insert_grant(users["applicant"]["id"], ds["id"], [res["id"]], today - dt.timedelta(days=1),
                 today + dt.timedelta(days=30))
    samples = [s for f in found["findings"] for s in f["samples"]]
    return {"pkg": ds, "res": res, "users": users, "raw": rics + mobiles + emails,
            "samples": samples, "finding": found["findings"][0]["id"]}


def _headers(user):
    return {"Authorization": user["token"]} if user else {}


def _unmasked(body: str, raw: list[str]) -> list[str]:
    return [v for v in raw if v in body]


def test_scan_findings_reach_the_agency_and_supervisors_masked_and_nobody_else(app, scanned):
    s = scanned
    assert len(s["samples"]) >= 6 and all("*" in x for x in s["samples"]), s["samples"]
    for who in READERS + OTHERS:
        for params in ({"resource_id": s["res"]["id"]}, {"package_id": s["pkg"]["id"]},
                       {"id": s["pkg"]["name"]}):
            resp = app.post("/api/3/action/lyg_opendata_scan_list", json=params,
                            headers=_headers(s["users"][who]))
            body = resp.get_data(as_text=True)
            assert not _unmasked(body, s["raw"]), (who, params, _unmasked(body, s["raw"]))
            if who in READERS:
                assert resp.status_code == 200, (who, params, resp.status_code)
                shown = [x for f in resp.json["result"]["findings"] for x in f["samples"]]
                assert sorted(shown) == sorted(s["samples"]), (who, shown)
            else:
                assert resp.status_code == 403, (who, params, resp.status_code)
                assert not [x for x in s["samples"] if x in body], (who, params)
                assert "身份证号" not in body, (who, params)


def test_the_resource_page_shows_findings_to_readers_only(app, scanned):
    s = scanned
    url = f"/dataset/{s['pkg']['name']}/resource/{s['res']['id']}"
    for who in READERS + OTHERS:
        resp = app.get(url, headers=_headers(s["users"][who]))
        assert resp.status_code == 200, (who, resp.status_code)
        body = resp.get_data(as_text=True)
        assert not _unmasked(body, s["raw"]), (who, _unmasked(body, s["raw"]))
        if who in READERS:
            assert 'id="scan-findings"' in body and s["samples"][0] in body, who
        else:
            assert 'id="scan-findings"' not in body, who
            assert not [x for x in s["samples"] if x in body], who


def test_only_the_agency_resolves_or_rescans_and_refusals_change_nothing(app, scanned):
    s = scanned

    def state():
        model.Session.expire_all()
        return [(f.status, f.reason, f.resolved_by) for f in model.Session.query(Finding)
                .order_by(Finding.id)]

    before = state()
    for who in OTHERS + ["supervisor"]:
        for action, params in (
                ("lyg_opendata_scan_finding_dismiss", {"id": s["finding"], "reason": "伪造的理由"}),
                ("lyg_opendata_scan_run", {"resource_id": s["res"]["id"]})):
            resp = app.post(f"/api/3/action/{action}", json=params,
                            headers=_headers(s["users"][who]))
            assert resp.status_code == 403, (who, action, resp.status_code)
            assert not [x for x in s["samples"] if x in resp.get_data(as_text=True)]
    assert state() == before
    for who in RESOLVERS:
        resp = app.post("/api/3/action/lyg_opendata_scan_run",
                        json={"resource_id": s["res"]["id"]}, headers=_headers(s["users"][who]))
        assert resp.status_code == 200, (who, resp.status_code)
        # the finding was resolved already: a field error for those who may resolve
        resp = app.post("/api/3/action/lyg_opendata_scan_finding_dismiss",
                        json={"id": s["finding"], "reason": "再次标记"},
                        headers=_headers(s["users"][who]))
        assert resp.status_code == 409 and "id" in resp.json["error"], (who, resp.status_code)
