"""Quality scores (evaluation/quality.py, after the EU's MQA): every indicator on crafted
datasets against hand-computed points; the link checker against a loopback server (answers,
timeouts, the per-host rate limit); the CLI job storing one row per dataset and month (the
history kept, the month's row replaced); the index fields for sorting and filtering; the
dataset page's rating with reasons and improvements."""
from __future__ import annotations

import http.server
import threading
import time

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.evaluation import linkcheck, quality
from ckanext.lyg_opendata.evaluation.model import LinkCheck, QualityScore

DB = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ITEMS = [{"name_zh": "名称", "code": "name", "type": "string"},
         {"name_zh": "地址", "code": "address", "type": "string"}]


def full_dataset():
    return {
        "id": "p1", "title": "公交线路", "notes": "全市公交线路", "owner_org": "org",
        "subject_areas": '["transport"]', "tags": [{"name": "公交"}],
        "spatial_coverage": "连云港市", "temporal_start": "2020-01-01",
        "license_id": "cc-by", "open_type": "unconditional", "maintainer": "交通局",
        "maintainer_email": "jtj@example.cn", "issued": "2025-01-01",
        "data_updated": "2026-11-01", "update_frequency": "monthly", "data_items": ITEMS,
        "resources": [
            {"id": "r1", "format": "CSV", "url_type": "upload", "size": 1024,
             "datastore_active": True},
            {"id": "r2", "format": "JSON", "url": "http://example.cn/api", "size": 10},
        ]}


def points(result):
    return {i["code"]: i["points"] for i in result["indicators"]}


def test_a_complete_dataset_gets_every_point():
    got = quality.score(full_dataset(), {"links": {"r2": True}, "overdue": False})
    assert got["score"] == 100 and got["rating"] == "excellent"
    assert all(i["points"] == i["max"] for i in got["indicators"])
    assert sum(i["max"] for i in got["indicators"]) == 100


def test_a_sparse_dataset_scores_what_was_computed_by_hand():
    pkg = full_dataset()
    pkg.update({"subject_areas": "[]", "tags": [], "spatial_coverage": "",
                "temporal_start": None, "open_type": "conditional", "open_conditions": "",
                "maintainer_email": "", "data_items": [dict(ITEMS[0]), {"name_zh": "地址",
                                                                        "code": "address"}]})
    pkg["resources"] = [
        {"id": "r1", "format": "PDF", "url": "http://a.example/x.pdf"},          # checked: ok
        {"id": "r2", "format": "XLSX", "url": "http://b.example/y.xlsx", "size": 5},  # unchecked
    ]
    got = quality.score(pkg, {"links": {"r1": True}, "overdue": True, "upheld": 3,
                              "ratings": (4, 2.5)})
    assert points(got) == {
        "subject_areas": 0, "keywords": 0, "spatial": 0, "temporal": 0,
        "reachable": 8,            # 1 of 2 reachable: 15 × 1/2 = 7.5 -> 8
        "distribution": 5,
        "machine_readable": 5,     # XLSX yes, PDF no: 10 × 1/2
        "datastore": 0, "data_items": 0,   # one item without a type
        "dcat": 5, "licence": 7, "conditions": 0, "contact": 0,
        "on_time": 0, "dates": 3, "size": 0,
        "objections": -10,         # 3 upheld × −5, at most −10
        "ratings": -5,             # 4 ratings averaging 2.5 < 3
    }
    assert got["score"] == 8 + 5 + 5 + 5 + 7 + 3 - 10 - 5 == 18
    assert got["rating"] == "bad"
    detail = {i["code"]: i["detail"] for i in got["indicators"]}
    assert detail["reachable"] == {"reachable": 1, "total": 2, "unchecked": 1}


def test_no_resource_scores_no_access_and_ratings_follow_the_thresholds():
    pkg = full_dataset()
    pkg["resources"] = []
    got = quality.score(pkg, {"overdue": False})
    p = points(got)
    assert (p["reachable"], p["distribution"], p["machine_readable"], p["dcat"],
            p["size"]) == (0, 0, 0, 0, 0)
    assert got["score"] == 100 - 15 - 5 - 10 - 5 - 5 - 2 == 58
    assert got["rating"] == "sufficient"
    assert [quality.rating_of(s) for s in (100, 85, 84, 70, 69, 50, 49, 0)] == [
        "excellent", "excellent", "good", "good", "sufficient", "sufficient", "bad", "bad"]
    # few ratings do not count, however low
    assert points(quality.score(full_dataset(), {"links": {"r2": True}, "overdue": False,
                                                 "ratings": (2, 1.0)}))["ratings"] == 0


# --- the link checker against a loopback server -------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def _answer(self):
        type(self).hits.append((self.path, time.monotonic(), self.command))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/nohead" and self.command == "HEAD":
            self.send_response(405)
        else:
            self.send_response({"/missing": 404}.get(self.path, 200))
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    _Handler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_link_checker_answers_times_out_and_waits_per_host(loopback):
    targets = [("a", loopback + "/ok"), ("b", loopback + "/missing"),
               ("c", loopback + "/slow"), ("d", loopback + "/nohead"),
               ("e", "ftp://example.cn/file"), ("f", "http://127.0.0.1:9/closed")]
    got = linkcheck.check_all(targets, timeout=0.5, per_host_interval=0.3)
    assert (got["a"]["ok"], got["a"]["status"]) == (True, 200)
    assert (got["b"]["ok"], got["b"]["status"]) == (False, 404)
    assert (got["c"]["ok"], got["c"]["error"]) == (False, "timeout")
    assert (got["d"]["ok"], got["d"]["status"]) == (True, 200)  # GET after HEAD's 405
    assert got["e"] == {"url": "ftp://example.cn/file", "ok": False, "status": None,
                        "error": "not an http(s) address"}
    assert got["f"]["ok"] is False and got["f"]["error"]
    # one host: the requests of different resources 0.3 s apart (as the server saw them
    # arrive: a little scheduling jitter allowed), four of them over at least 0.9 s
    starts = {}
    for path, at, _method in _Handler.hits:
        starts.setdefault(path, at)
    ordered = sorted(starts.values())
    assert len(ordered) == 4
    assert all(b - a >= 0.25 for a, b in zip(ordered, ordered[1:])), ordered
    assert ordered[-1] - ordered[0] >= 0.85, ordered


@pytest.mark.usefixtures("ckan_config")
@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.allow_private_targets", False)
def test_the_link_checker_never_requests_a_private_address(loopback):
    # a resource address on the portal's own network (here loopback, also by name) is not
    # probed: the harvester's guarded connection refuses it before a request is sent
    port = loopback.rsplit(":", 1)[1]
    got = linkcheck.check_all([("a", loopback + "/ok"), ("b", f"http://localhost:{port}/ok")],
                              timeout=0.5, per_host_interval=0)
    for answer in got.values():
        assert (answer["ok"], answer["status"]) == (False, None)
        assert answer["error"] == "refused: not a public address"
    assert _Handler.hits == []


def test_the_host_limiter_waits_only_for_the_same_host():
    now = [0.0]
    slept = []
    limiter = linkcheck.HostLimiter(2.0, clock=lambda: now[0],
                                    sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)))
    limiter.wait("a.example")
    limiter.wait("b.example")
    now[0] += 0.5
    limiter.wait("a.example")
    assert slept == [1.5]


# --- the job, the index, the page ---------------------------------------------------------

@DB
def test_the_job_stores_monthly_history_and_the_index_sorts_and_filters(
        cli, published_dataset, loopback):
    good = published_dataset(name="q-good", title="完整的数据集", subject_areas=["transport"],
                             tag_string="公交", spatial_coverage="连云港市",
                             temporal_start="2020-01-01", maintainer="交通局",
                             maintainer_email="jtj@example.cn",
                             resources=[{"url": loopback + "/ok", "format": "CSV",
                                         "name": "线路", "size": 100}])
    poor = published_dataset(name="q-poor", title="简略的数据集",
                             resources=[{"url": loopback + "/missing", "format": "PDF",
                                         "name": "扫描件"}])
    out = cli.invoke(lyg_opendata, ["quality", "check-links", "--timeout", "2",
                                    "--per-host-interval", "0"])
    assert out.exit_code == 0, out.output
    assert "checked 2, unreachable 1" in out.output
    assert {r.url.rsplit("/", 1)[1]: r.ok for r in model.Session.query(LinkCheck)} == {
        "ok": True, "missing": False}
    for day in ("2026-10-15", "2026-11-03", "2026-11-20"):
        out = cli.invoke(lyg_opendata, ["quality", "compute", "--today", day])
        assert out.exit_code == 0, out.output
        assert "scored 2/2" in out.output
    rows = {(r.package_id, r.month): r.score for r in model.Session.query(QualityScore)}
    assert sorted(m for _p, m in rows) == ["2026-10", "2026-10", "2026-11", "2026-11"]
    scores = {pid: s for (pid, m), s in rows.items() if m == "2026-11"}
    assert scores[good["id"]] > scores[poor["id"]]
    # the good one: everything but the DataStore and the data updated on time
    found = tk.get_action("package_search")({}, {"sort": "quality_score desc", "rows": 10})
    assert [d["name"] for d in found["results"]] == ["q-good", "q-poor"]
    found = tk.get_action("package_search")({}, {"sort": "quality_score asc", "rows": 10})
    assert [d["name"] for d in found["results"]] == ["q-poor", "q-good"]
    rating = quality.rating_of(scores[poor["id"]])
    found = tk.get_action("package_search")({}, {"fq": f"quality_rating:{rating}"})
    assert [d["name"] for d in found["results"]] == ["q-poor"]
    low = "%03d" % scores[poor["id"]]
    found = tk.get_action("package_search")({}, {"fq": f"quality_score:[000 TO {low}]"})
    assert [d["name"] for d in found["results"]] == ["q-poor"]


@DB
def test_the_dataset_page_shows_the_rating_reasons_and_improvements(app, cli, published_dataset):
    ds = published_dataset(name="q-page", title="质量页面", resources=[
        {"url": "http://127.0.0.1:9/none", "format": "PDF", "name": "<b>扫描件</b>"}])
    assert cli.invoke(lyg_opendata, ["quality", "compute", "--no-index"]).exit_code == 0
    row = model.Session.query(QualityScore).filter_by(package_id=ds["id"]).one()
    soup = BeautifulSoup(app.get("/dataset/q-page").body, "html.parser")
    panel = soup.select_one(".lyg-quality")
    assert panel["data-score"] == str(row.score) and panel["data-rating"] == row.rating
    unmet = {tr["data-indicator"] for tr in panel.select("tr[data-met=false]")}
    assert {"reachable", "machine_readable", "datastore", "spatial"} <= unmet
    assert "licence" not in unmet
    reachable = panel.select_one("tr[data-indicator=reachable]")
    assert reachable.select("td")[2].get_text(strip=True) == "0 / 15"
    assert reachable.select("td")[3].get_text(strip=True)  # how to improve it
    # a dataset never scored shows no panel
    published_dataset(name="q-none", title="未评分")
    soup = BeautifulSoup(app.get("/dataset/q-none").body, "html.parser")
    assert soup.select_one(".lyg-quality") is None


@DB
def test_the_search_page_has_a_quality_rating_facet(app, published_dataset):
    """The facet 质量评级 (quality_rating) through package_search and the search page: its
    counts, the ratings' labels in the UI language, and the filter it sets."""
    published_dataset(name="qf-good", title="完整的数据集", subject_areas=["transport"],
                      tag_string="公交", spatial_coverage="连云港市", temporal_start="2020-01-01",
                      maintainer="交通局", maintainer_email="jtj@example.cn",
                      resources=[{"url": "http://127.0.0.1:9/a", "format": "CSV",
                                  "name": "线路", "size": 100}])
    published_dataset(name="qf-poor-1", title="简略一", resources=[
        {"url": "http://127.0.0.1:9/b", "format": "PDF", "name": "扫描件"}])
    published_dataset(name="qf-poor-2", title="简略二")
    published_dataset(name="qf-unscored", title="未评分")
    scored = quality.compute()
    assert scored["scored"] == 4
    quality.reindex(scored["changed"])
    model.Session.query(QualityScore).filter(QualityScore.package_id.in_(
        model.Session.query(model.Package.id).filter(model.Package.name == "qf-unscored"))).delete(
        synchronize_session=False)
    model.repo.commit()
    quality.reindex([model.Package.get("qf-unscored").id])
    ratings = {model.Package.get(p).name: r for p, r in model.Session.query(
        QualityScore.package_id, QualityScore.rating)}
    assert ratings == {"qf-good": "good", "qf-poor-1": "bad", "qf-poor-2": "bad"}

    found = tk.get_action("package_search")({}, {"facet.field": '["quality_rating"]', "rows": 0})
    items = found["search_facets"]["quality_rating"]["items"]
    assert {(i["name"], i["display_name"], i["count"]) for i in items} == {
        ("good", "Good", 1), ("bad", "Needs improvement", 2)}   # no request: English
    assert found["facets"]["quality_rating"] == {"good": 1, "bad": 2}

    soup = BeautifulSoup(app.get("/dataset/").body, "html.parser")
    def facet(a):
        return (a.select_one(".item-label").get_text(strip=True),
                a.select_one(".item-count").get_text(strip=True))
    links = {facet(a): a["href"] for a in soup.select('section.module a[href*="quality_rating="]')}
    assert set(links) == {("良好", "1"), ("待改进", "2")}, links
    assert "质量评级" in soup.get_text()
    soup = BeautifulSoup(app.get(links[("待改进", "2")]).body, "html.parser")
    names = {a["href"].rsplit("/", 1)[1] for a in soup.select(".dataset-heading a[href^='/dataset/']")}
    assert names == {"qf-poor-1", "qf-poor-2"}
    # in English, the English labels
    soup = BeautifulSoup(app.get("/en/dataset/").body, "html.parser")
    assert {facet(a) for a in soup.select('section.module a[href*="quality_rating="]')} == {
        ("Good", "1"), ("Needs improvement", "2")}
