"""What the access log (Art 21) costs a download: a grantee downloads a conditional
resource through CKAN's download route, with the access log written as the download guard
does it, and with ``record_access`` replaced by a no-op; same process, same machine, one
run, interleaved blocks. Also: the agency's own editor (not logged) and ``record_access``
alone.

    .venv/bin/python bench/access_log.py [--requests 600] [--block 50]
    LYG_BENCH_SLOT=6 .venv/bin/python bench/access_log.py      (another slot)

1. ``LYG_TEST_SLOT=5 scripts/services.sh start`` (slot 5, or ``LYG_BENCH_SLOT``): the
   database ``ckan_test5``, Solr core ``ckan_test5``, Redis db 5; a config
   ``.local/bench-access-log-slot5.ini`` made from ``test.ini``; ``ckan db init`` and the
   plugins' migrations.
2. Through the action API: an agency, its editor, a published conditional dataset with a
   link resource, an approved application, its agreement signed by the grantee (a grant).
3. In-process requests (Flask test client, API token in ``Authorization``) to
   ``/dataset/<id>/resource/<rid>/download`` (a link resource: the answer is the 302 to the
   external address, so the download itself costs least and the log's share is the
   largest it can be). Blocks of ``--block`` requests alternate: logged, not logged,
   agency editor; ``--requests`` per kind.

Not a test: numbers depend on the machine. Figures measured here are in the README
("访问日志 (access log)").
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import uuid

from benchslot import ROOT, SLOT, ini_path, log  # noqa: E402  (bench/ is on sys.path)
import benchslot  # noqa: E402

INI = ini_path("access-log")
LINK = "http://data.example.invalid/conditional/bench.csv"


def setup() -> None:
    benchslot.setup(INI, quiet=True)


def _app():
    return benchslot.make_app(INI)


def _token(user_name: str) -> str:
    import ckan.plugins.toolkit as tk
    return tk.get_action("api_token_create")(
        {"user": user_name, "ignore_auth": True}, {"user": user_name, "name": "bench"})["token"]


def prepare() -> dict:
    """Agency, editor, grantee, a published conditional dataset, a signed agreement."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.lyg_opendata.access.agreements import workflow
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.workdays import add_workdays, today_beijing

    tag = uuid.uuid4().hex[:8]
    site = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    users = {}
    for role in ("admin", "reviewer", "editor", "grantee"):
        users[role] = tk.get_action("user_create")(site, {
            "name": f"bench-{role}-{tag}", "email": f"{role}-{tag}@example.invalid",
            "password": uuid.uuid4().hex, "fullname": f"测试{role}"})
    for role in ("admin", "reviewer"):
        user = model.User.get(users[role]["name"])
        user.sysadmin = True
    model.Session.commit()
    org = tk.get_action("organization_create")(site, {
        "name": f"bench-agency-{tag}", "title": "测试交通运输局",
        "users": [{"name": users["admin"]["name"], "capacity": "admin"},
                  {"name": users["editor"]["name"], "capacity": "editor"}]})
    pkg = tk.get_action("package_create")({"user": users["admin"]["name"]}, {
        "name": f"bench-cond-{tag}", "title": "停车场收费明细（测试）", "owner_org": org["id"],
        "license_id": "cc-by", "notes": "测试数据集", "open_type": "conditional",
        "open_conditions": "仅向科研机构开放", "update_frequency": "monthly",
        "data_items": [{"name_zh": "名称", "code": "name", "type": "string",
                        "description": "", "sensitive": "no"}],
        "resources": [{"url": LINK, "format": "CSV", "name": "明细"}]})
    tk.get_action("lyg_opendata_review_submit")({"user": users["admin"]["name"]},
                                                {"id": pkg["id"], "desensitized": True})
    tk.get_action("lyg_opendata_review_approve")({"user": users["reviewer"]["name"]},
                                                 {"id": pkg["id"]})
    res_id = pkg["resources"][0]["id"]
    today = today_beijing()
    application = Application(
        package_id=pkg["id"], org_id=org["id"], user_id=users["grantee"]["id"],
        status="approved", purpose="城市停车诱导研究，分析停车场使用规律",
        scenario="停车诱导应用的算法训练和效果评估",
        security_measures="专用服务器，访问控制，日志审计，定期删除", resource_ids=[],
        term_start=today, term_end=today + dt.timedelta(days=180), conditions_accepted=True,
        received_on=today, due_on=add_workdays(today, 10)[0], due_provisional=False,
        decided_at=dt.datetime.utcnow(), decided_by=users["editor"]["id"],
        conditions_of_use="不得向第三方提供", granted_resource_ids=[res_id],
        granted_term_start=today, granted_term_end=today + dt.timedelta(days=180),
        applicant_type="individual", applicant_name="测试个人")
    model.Session.add(application)
    model.Session.flush()
    agreement = workflow.create_for_application(application, users["editor"]["name"])
    model.Session.commit()
    grant = tk.get_action("lyg_opendata_agreement_sign")(
        {"user": users["grantee"]["name"]}, {"id": agreement.id, "accept": True})
    return {"package": pkg["name"], "resource": res_id, "grant": grant,
            "grantee_id": users["grantee"]["id"],
            "grantee": _token(users["grantee"]["name"]), "editor": _token(users["editor"]["name"])}


def _records() -> int:
    import sqlalchemy as sa
    import ckan.model as model
    with model.meta.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM lyg_opendata_access_log")).scalar()


def summary(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"n": len(ms), "median": statistics.median(ms), "mean": statistics.fmean(ms),
            "p90": ms[int(0.9 * (len(ms) - 1))], "min": ms[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600, help="per kind (default 600)")
    parser.add_argument("--block", type=int, default=50, help="requests per block (default 50)")
    parser.add_argument("--calls", type=int, default=2000,
                        help="record_access calls timed alone (default 2000)")
    args = parser.parse_args()
    log(f"setting up slot {SLOT} ({INI.relative_to(ROOT)})")
    setup()
    app = _app()
    import ckanext.lyg_opendata.audit as audit
    real = audit.record_access

    with app.test_request_context():
        fx = prepare()
    url = f"/dataset/{fx['package']}/resource/{fx['resource']}/download"
    client = app.test_client()

    def get(token: str) -> float:
        t0 = time.perf_counter()
        response = client.get(url, headers={"Authorization": token})
        elapsed = time.perf_counter() - t0
        assert response.status_code == 302 and response.headers["Location"] == LINK, \
            (response.status_code, response.headers.get("Location"))
        return elapsed

    kinds = {"logged": [], "no-op record_access": [], "agency editor (not logged)": []}
    for _ in range(20):  # warm-up
        get(fx["grantee"]), get(fx["editor"])
    before = _records()
    blocks = max(1, args.requests // args.block)
    t_start = time.monotonic()
    for _ in range(blocks):
        audit.record_access = real
        kinds["logged"] += [get(fx["grantee"]) for _ in range(args.block)]
        audit.record_access = lambda **kw: None
        kinds["no-op record_access"] += [get(fx["grantee"]) for _ in range(args.block)]
        audit.record_access = real
        kinds["agency editor (not logged)"] += [get(fx["editor"]) for _ in range(args.block)]
    audit.record_access = real
    written = _records() - before
    # record_access alone, inside a request (IP and user agent read from it), called as
    # the download guard calls it (user id, dataset id or name)
    with app.test_request_context("/x", headers={"User-Agent": "bench"},
                                  environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        calls = []
        for _ in range(args.calls):
            t0 = time.perf_counter()
            real(user=fx["grantee_id"], package_id=fx["package"], resource_id=fx["resource"],
                 channel="ui", grant_id=fx["grant"].get("id"))
            calls.append(time.perf_counter() - t0)
    log(f"\n{blocks} interleaved blocks of {args.block} downloads per kind "
        f"({time.monotonic() - t_start:.0f} s); records written by the logged downloads: "
        f"{written} (expected {blocks * args.block})")
    log(f"{'kind':32} {'n':>5} {'median ms':>10} {'mean ms':>8} {'p90 ms':>7} {'min ms':>7}")
    stats = {k: summary(v) for k, v in kinds.items()}
    for kind, s in stats.items():
        log(f"{kind:32} {s['n']:5d} {s['median']:10.2f} {s['mean']:8.2f} {s['p90']:7.2f} {s['min']:7.2f}")
    alone = summary(calls)
    log(f"{'record_access alone':32} {alone['n']:5d} {alone['median']:10.2f} "
        f"{alone['mean']:8.2f} {alone['p90']:7.2f} {alone['min']:7.2f}")
    a, b = stats["logged"], stats["no-op record_access"]
    log(f"\nlogged / not logged: median {a['median'] / b['median']:.3f}, mean {a['mean'] / b['mean']:.3f}, "
        f"p90 {a['p90'] / b['p90']:.3f}; added per download: median "
        f"{a['median'] - b['median']:.2f} ms")
    if written != blocks * args.block:
        log("WARNING: the logged downloads did not write one record each")
        sys.exit(1)


if __name__ == "__main__":
    main()
