"""This portal against vanilla CKAN 2.12 + scheming + dcat, side by side on this machine
(issue 19): the same synthetic datasets in both, both served by gunicorn (2 workers each),
requests interleaved A/B so that the noisy machine affects both alike. ``make bench`` runs it.

    .venv/bin/python bench/versus_vanilla.py                      (10,000 datasets)
    BENCH_DATASETS=1000 .venv/bin/python bench/versus_vanilla.py  (a quicker run)
    LYG_BENCH_SLOT=6 .venv/bin/python bench/versus_vanilla.py     (another slot)
    .venv/bin/python bench/versus_vanilla.py --only home package_show   (some operations)

1. Ours: ``scripts/services.sh bench-ours ckan_bench<slot>`` (a database and a Solr core
   of their own with our configset, never a test slot's: the tests empty those), config
   ``.local/bench/ours-slot<slot>.ini`` from ``test.ini``. Vanilla: ``scripts/services.sh
   bench-vanilla ckan_vanilla<slot>`` (a database and a Solr core with CKAN's stock
   ``schema.xml``), config ``.local/bench/vanilla-slot<slot>.ini`` (``test.ini`` with the
   plugins ``activity scheming_datasets dcat datastore`` and the views, scheming's
   ``ckan_dataset.yaml``, ckanext-dcat's ``euro_dcat_ap_3`` profile; no lyg_opendata).
2. Loading (once: ``.local/bench/loaded-slot<slot>.json`` remembers what each portal holds):
   the organizations of the demo, a sysadmin ``bench-admin`` with an API token, and the
   ``N`` synthetic datasets of ``loader.synthetic_datasets`` (each with one resource) through
   the action API: ours with ``package_create`` + the review's approval (what ``ckan
   lyg-opendata demo load --synthetic N`` does), vanilla with ``package_create`` (the same
   title, notes, tags, licence, organization and resource; it has no catalog fields). Above
   ``--direct-max`` datasets the Solr writes are left to ``search-index rebuild
   --only-missing`` at the end.
3. Both portals served by ``gunicorn -w 2`` on ports ``18600 + 2*slot`` and ``+1``.
4. Per operation, ``--requests`` rounds, each timing ours then vanilla (every other round
   vanilla first), over HTTP with ``requests``; writes as ``bench-admin`` (token). Then the
   search-index rebuild rate (``ckan search-index rebuild``, once each), then 8 concurrent
   clients of mixed browsing in alternating blocks (ours, vanilla, ours, vanilla).
5. One table: operation, ours median/p95, vanilla median/p95, ratio, goal, pass/fail.

Not a test: numbers depend on the machine; say which N produced them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid

import requests

import benchslot
from benchslot import CKAN, PYTHON, ROOT, SLOT, log, run

BENCH_DIR = ROOT / ".local/bench"
OURS_DB = f"ckan_bench{SLOT}"
OURS_INI = BENCH_DIR / f"ours-slot{SLOT}.ini"
VANILLA_DB = f"ckan_vanilla{SLOT}"
VANILLA_INI = BENCH_DIR / f"vanilla-slot{SLOT}.ini"
STAMP = BENCH_DIR / f"loaded-slot{SLOT}.json"
PORTS = {"ours": 18600 + 2 * int(SLOT), "vanilla": 18601 + 2 * int(SLOT)}
SIDES = ("ours", "vanilla")
VANILLA_PLUGINS = ("activity scheming_datasets dcat datastore datatables_view resource_proxy "
                   "image_view text_view")
ENGLISH_WORD = "benchmarks"  # in every synthetic dataset's notes
DEFAULT_FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


def ini(side: str):
    return OURS_INI if side == "ours" else VANILLA_INI


# --- setup ----------------------------------------------------------------------------------

def setup() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if _stamp().get("setup") and OURS_INI.exists() and VANILLA_INI.exists():
        run("scripts/services.sh", "start", env={"LYG_TEST_SLOT": SLOT}, quiet=True)
        run("scripts/services.sh", "bench-ours", OURS_DB, quiet=True)
        run("scripts/services.sh", "bench-vanilla", VANILLA_DB, quiet=True)
        for side in SIDES:  # migrations that landed since the databases were made
            run(CKAN, "-c", str(ini(side)), "db", "pending-migrations", "--apply", quiet=True)
        return
    run("scripts/services.sh", "start", env={"LYG_TEST_SLOT": SLOT}, quiet=True)
    run("scripts/services.sh", "bench-ours", OURS_DB, quiet=True)
    run("scripts/services.sh", "bench-vanilla", VANILLA_DB, quiet=True)
    pg = os.environ.get("LYG_PG_PORT", "54329")
    solr = os.environ.get("LYG_SOLR_PORT", "18983")
    redis = os.environ.get("LYG_REDIS_PORT", "63799")
    OURS_INI.write_text((ROOT / "test.ini").read_text())
    run(CKAN, "config-tool", str(OURS_INI),
        f"sqlalchemy.url=postgresql://ckan:ckan@127.0.0.1:{pg}/{OURS_DB}",
        f"solr_url=http://127.0.0.1:{solr}/solr/{OURS_DB}",
        f"ckan.redis.url=redis://127.0.0.1:{redis}/{SLOT}",
        "testing=false", "ckan.site_url=http://bench.lyg-opendata.invalid", quiet=True)
    run(CKAN, "-c", str(OURS_INI), "db", "init", quiet=True)
    run(CKAN, "-c", str(OURS_INI), "db", "pending-migrations", "--apply", quiet=True)
    VANILLA_INI.write_text((ROOT / "test.ini").read_text())
    run(CKAN, "config-tool", str(VANILLA_INI),
        f"sqlalchemy.url=postgresql://ckan:ckan@127.0.0.1:{pg}/{VANILLA_DB}",
        f"solr_url=http://127.0.0.1:{solr}/solr/{VANILLA_DB}",
        f"ckan.redis.url=redis://127.0.0.1:{redis}/{SLOT}",
        f"ckan.plugins={VANILLA_PLUGINS}",
        "ckan.views.default_views=datatables_view image_view text_view",
        "scheming.dataset_schemas=ckanext.scheming:ckan_dataset.yaml",
        "ckanext.dcat.rdf.profiles=euro_dcat_ap_3",
        "ckan.site_id=lyg-opendata-vanilla",
        "testing=false", "ckan.site_url=http://bench.lyg-opendata.invalid", quiet=True)
    run(CKAN, "-c", str(VANILLA_INI), "db", "init", quiet=True)
    run(CKAN, "-c", str(VANILLA_INI), "db", "pending-migrations", "--apply", quiet=True)
    STAMP.write_text(json.dumps({**_stamp(), "setup": True}))


def _stamp() -> dict:
    return json.loads(STAMP.read_text()) if STAMP.exists() else {}


def load(side: str, n: int, defer: bool) -> None:
    """(In a child process.) The demo organizations and ``n`` synthetic datasets."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.lyg_opendata.demo import loader
    app = benchslot.make_app(ini(side))
    with app.test_request_context():
        if defer:
            from ckan.lib.search.index import PackageSearchIndex
            PackageSearchIndex.index_package = lambda self, *args, **kwargs: None
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ctx = lambda: {"user": site, "ignore_auth": True}  # noqa: E731
        data = loader.load_demo_data()
        loader.ensure_organizations(data["organizations"], lambda _m: None)
        orgs = [o["name"] for o in data["organizations"]]
        t0 = time.monotonic()
        for i, ds in enumerate(loader.synthetic_datasets(n, orgs), 1):
            if model.Package.get(ds["name"]):
                continue
            pkg = tk.get_action("package_create")(ctx(), dataset_dict(side, ds))
            if side == "ours":  # what loader.ensure_datasets does, with linked resources
                loader._review(pkg["id"], "published")
            if i % 500 == 0:
                log(f"  {side}: {i}/{n} ({time.monotonic() - t0:.0f}s)")


def tokens(side: str) -> None:
    """(In a child process.) Two sysadmins with an API token each (bench-admin writes and
    submits, bench-reviewer approves: nobody approves their own submission), and the search
    page's facet fields, as JSON."""
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckanext.lyg_opendata.demo import loader
    app = benchslot.make_app(ini(side))
    out: dict = {}
    with app.test_request_context():
        for who in ("bench-admin", "bench-reviewer"):
            loader.ensure_sysadmin(who, f"{who}@example.invalid", "bench-password-1")
            out[who] = tk.get_action("api_token_create")(
                {"user": who, "ignore_auth": True},
                {"user": who, "name": f"bench-{uuid.uuid4().hex[:6]}"})["token"]
        facets: dict = {k: k for k in DEFAULT_FACETS}
        for plugin in p.PluginImplementations(p.IFacets):
            facets = plugin.dataset_facets(facets, "dataset")
        out["facets"] = list(facets)
    print(json.dumps(out))


def dataset_dict(side: str, ds: dict) -> dict:
    """Ours: the loader's dict (catalog fields); vanilla: CKAN's fields. The same linked
    resource in both (no file store)."""
    from ckanext.lyg_opendata.demo import loader
    if side == "vanilla":
        return vanilla_dict(ds)
    return {**loader._dataset_dict(ds), "resources": [
        {**r, "desensitized": True} for r in vanilla_dict(ds)["resources"]]}


def vanilla_dict(ds: dict) -> dict:
    return {"name": ds["name"], "title": ds["title"], "notes": ds["notes"],
            "owner_org": ds["org"], "license_id": ds.get("license_id", "cc-by"),
            "tags": [{"name": t} for t in ds.get("tags", [])],
            "resources": [{"name": r["name"], "format": r["format"], "url": r["url"]}
                          for r in ds.get("resources", [])]}


def ensure_loaded(n: int, direct_max: int) -> dict:
    stamp = _stamp()
    for side in SIDES:
        if stamp.get(side, {}).get("datasets") == n:
            continue
        defer = n > direct_max
        log(f"== loading {n} synthetic datasets into {side} "
            f"({'indexing deferred' if defer else 'indexed as created'})")
        t0 = time.monotonic()
        subprocess.run([PYTHON, __file__, "--child", "load", side, str(n),
                              "defer" if defer else "direct"],
                       check=True, cwd=ROOT)
        if defer:
            run(CKAN, "-c", str(ini(side)), "search-index", "rebuild", "--only-missing", "--quiet")
        stamp[side] = {"datasets": n}
        log(f"   {side} loaded in {time.monotonic() - t0:.0f}s")
        STAMP.write_text(json.dumps(stamp))
    for side in SIDES:
        if "bench-reviewer" not in stamp[side]:
            out = subprocess.run([PYTHON, __file__, "--child", "tokens", side], check=True,
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True).stdout
            stamp[side].update(json.loads(out.strip().splitlines()[-1]))
            STAMP.write_text(json.dumps(stamp))
    return stamp


# --- serving --------------------------------------------------------------------------------

def serve(side: str, workers: int) -> subprocess.Popen:
    logf = open(BENCH_DIR / f"{side}-slot{SLOT}.log", "w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{PORTS[side]}", "--timeout", "120", "--chdir", str(ROOT / "bench"),
         "wsgi_app:application"],
        cwd=ROOT, env={**os.environ, "CKAN_INI": str(ini(side))}, stdout=logf, stderr=logf)
    return proc


def wait_up(side: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{side}'s gunicorn stopped; see {BENCH_DIR}/{side}-slot{SLOT}.log")
        try:
            if requests.get(url(side, "/api/action/status_show"), timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(f"{side} did not answer in 180 s")


def url(side: str, path: str) -> str:
    return f"http://127.0.0.1:{PORTS[side]}{path}"


# --- operations -----------------------------------------------------------------------------

class Portal:
    def __init__(self, side: str, stamp: dict, n: int):
        self.side = side
        self.token = stamp[side]["bench-admin"]
        self.reviewer = stamp[side]["bench-reviewer"]
        self.facets = stamp[side]["facets"]
        self.n = n
        self.http = requests.Session()
        self.rng = random.Random(19)
        self.created: list[str] = []

    def get(self, path: str, **params) -> requests.Response:
        r = self.http.get(url(self.side, path), params=params, timeout=120)
        if r.status_code != 200:
            raise RuntimeError(f"{self.side} GET {path} {params}: {r.status_code} {r.text[:300]}")
        return r

    def action(self, name: str, data: dict, token: str | None = None) -> dict:
        r = self.http.post(url(self.side, f"/api/action/{name}"), json=data, timeout=120,
                           headers={"Authorization": token or self.token})
        if r.status_code != 200:
            raise RuntimeError(f"{self.side} {name}: {r.status_code} {r.text[:500]}")
        return r.json()["result"]

    def search(self, q: str) -> None:
        self.get("/api/action/package_search", q=q, rows=20,
                 **{"facet.field": json.dumps(self.facets), "facet.limit": 50})

    def new_dataset(self) -> dict:
        from ckanext.lyg_opendata.demo import loader
        ds = next(loader.synthetic_datasets(1, ["bureau-of-statistics"],
                                            seed=random.randrange(10**6)))
        ds["name"] = f"bench-w-{uuid.uuid4().hex[:12]}"
        ds["org"] = self.org
        return dataset_dict(self.side, ds)

    @property
    def org(self) -> str:
        if not hasattr(self, "_org"):
            self._org = self.action("package_show", {"id": "synthetic-000001"})["owner_org"]
        return self._org


def read_ops() -> dict:
    return {
        "package_search *:*": lambda p: p.search("*:*"),
        "package_search 停车场": lambda p: p.search("停车场"),
        f"package_search {ENGLISH_WORD}": lambda p: p.search(ENGLISH_WORD),
        "package_show": lambda p: p.get("/api/action/package_show", id=p.current),
        "GET /": lambda p: p.get("/"),
        "GET /dataset/": lambda p: p.get("/dataset/"),
        "GET /dataset/<name>": lambda p: p.get(f"/dataset/{p.current}"),
        "GET /catalog.ttl?page=1": lambda p: p.get("/catalog.ttl", page=1),
    }


def pick(p: "Portal") -> None:
    """The next dataset of the portal's sequence (the same sequence in both portals)."""
    p.current = f"synthetic-{p.rng.randint(1, p.n):06d}"


def touch(p: Portal) -> None:
    """Change one synthetic dataset (its description), so that the search index changes."""
    pick(p)
    p.action("package_patch", {"id": p.current, "notes": f"benchmarks {uuid.uuid4().hex}"})


def create(p: Portal) -> None:
    p.last = p.action("package_create", p.new_dataset())
    p.created.append(p.last["id"])


def update(p: Portal) -> None:
    data = {k: v for k, v in p.last.items() if k not in ("resources",)}
    data["title"] = data["title"] + " (更新)"
    p.action("package_update", data)


def publish(p: Portal) -> None:
    create(p)
    if p.side == "ours":  # an agency's draft: submitted, then approved by the supervisor
        p.action("lyg_opendata_review_submit", {"id": p.last["id"], "desensitized": True})
        p.action("lyg_opendata_review_approve", {"id": p.last["id"]}, p.reviewer)


GOALS = {  # operation -> (goal on the ratio, kind)
    "GET /": 1.2, "GET /dataset/": 1.15, "GET /catalog.ttl?page=1": 1.3,
    "publishing (create + submit + approval)": 1.3,
}
READ_GOAL = 1.10


def timed(fn, portal) -> float:
    t0 = time.perf_counter()
    fn(portal)
    return time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def interleave(name: str, fn, portals: dict, rounds: int, before=None) -> dict:
    times = {s: [] for s in SIDES}
    for side in SIDES:  # warm-up
        if before:
            before(portals[side])
        fn(portals[side])
    for i in range(rounds):
        order = SIDES if i % 2 == 0 else SIDES[::-1]
        for side in order:
            if before:
                before(portals[side])
            times[side].append(timed(fn, portals[side]))
    return {s: (statistics.median(t), pct(t, 0.95)) for s, t in times.items()}


def rebuild_rate(side: str, n: int) -> float:
    t0 = time.monotonic()
    run(CKAN, "-c", str(ini(side)), "search-index", "rebuild", "--quiet", quiet=True)
    return n / (time.monotonic() - t0)


def concurrent(side: str, n: int, seconds: float, clients: int = 8) -> dict:
    rng = random.Random(8)
    paths = ["/", "/dataset/", "/dataset/?q=停车场", "/api/action/package_search?q=停车场",
             "/api/action/package_show?id={name}", "/dataset/{name}", "/dataset/{name}"]
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        http = requests.Session()
        while time.monotonic() < stop:
            path = rng.choice(paths).format(name=f"synthetic-{rng.randint(1, n):06d}")
            t0 = time.perf_counter()
            try:
                ok = http.get(url(side, path), timeout=60).status_code == 200
            except requests.RequestException:
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                lat.append(dt)
                errors[0] += not ok
    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": len(lat), "seconds": time.monotonic() - t0, "lat": lat,
            "errors": errors[0]}


# --- the table ------------------------------------------------------------------------------

def row(op: str, ours: tuple, vanilla: tuple, goal: float | None, unit: str = "ms",
        higher_is_better: bool = False) -> str:
    r_med = ours[0] / vanilla[0] if vanilla[0] else float("inf")
    r_p95 = (ours[1] / vanilla[1] if vanilla[1] else float("inf")) if ours[1] is not None else None
    if goal is None:
        verdict = "—"
    elif higher_is_better:
        verdict = "pass" if r_med >= goal else "FAIL"
    else:
        verdict = "pass" if r_med <= goal and (r_p95 is None or r_p95 <= goal) else "FAIL"
    fmt = (lambda v: f"{v * 1000:.0f}") if unit == "ms" else (lambda v: f"{v:.1f}")
    o = fmt(ours[0]) + (f" / {fmt(ours[1])}" if ours[1] is not None else "")
    v = fmt(vanilla[0]) + (f" / {fmt(vanilla[1])}" if vanilla[1] is not None else "")
    ratio = f"{r_med:.2f}" + (f" / {r_p95:.2f}" if r_p95 is not None else "")
    g = "—" if goal is None else (f"≥ {goal}" if higher_is_better else f"≤ {goal}")
    return f"| {op} | {o} | {v} | {ratio} | {g} | {verdict} |"


def measure(n: int, stamp: dict, rounds: int, only: list[str] | None,
            conc_seconds: float) -> list[str]:
    portals = {s: Portal(s, stamp, n) for s in SIDES}
    rows = []

    def want(op: str) -> bool:
        return not only or any(o in op for o in only)
    for op, fn in read_ops().items():
        if not want(op):
            continue
        res = interleave(op, fn, portals, rounds, before=pick)
        rows.append(row(op, res["ours"], res["vanilla"], GOALS.get(op, READ_GOAL)))
        log(rows[-1])
    # the catalog page right after a dataset changed: ours builds the page again (its cache
    # is keyed on the index's state), vanilla builds it as always
    op = "GET /catalog.ttl?page=1 after a change"
    if want(op):
        res = interleave(op, read_ops()["GET /catalog.ttl?page=1"], portals, rounds,
                         before=touch)
        rows.append(row(op, res["ours"], res["vanilla"], GOALS["GET /catalog.ttl?page=1"]))
        log(rows[-1])
    writes = {"package_create": (create, None), "package_update": (update, create),
              "publishing (create + submit + approval)": (publish, None)}
    try:
        for op, (fn, before) in writes.items():
            if not want(op):
                continue
            res = interleave(op, fn, portals, max(5, rounds // 2), before=before)
            rows.append(row(op, res["ours"], res["vanilla"], GOALS.get(op)))
            log(rows[-1])
    finally:
        for p in portals.values():
            for pid in p.created:
                p.action("dataset_purge", {"id": pid})
    if want("search-index rebuild"):
        rate = {s: rebuild_rate(s, n) for s in SIDES}
        # the ratio is of the time per dataset: vanilla's rate / ours
        rows.append(f"| search-index rebuild (datasets/s) | {rate['ours']:.1f} | "
                    f"{rate['vanilla']:.1f} | {rate['vanilla'] / rate['ours']:.2f} (time) | — | — |")
        log(rows[-1])
    if want("concurrent"):
        blocks = {s: [] for s in SIDES}
        for i in range(4):
            side = SIDES[i % 2]
            blocks[side].append(concurrent(side, n, conc_seconds / 2))
        agg = {}
        for side, bs in blocks.items():
            lat = [x for b in bs for x in b["lat"]]
            agg[side] = {"rps": sum(b["requests"] for b in bs) / sum(b["seconds"] for b in bs),
                         "p95": pct(lat, 0.95), "errors": sum(b["errors"] for b in bs)}
        o, v = agg["ours"], agg["vanilla"]
        ratio = o["rps"] / v["rps"]
        ok = ratio >= 0.9 and o["errors"] == 0
        rows.append(f"| 8 concurrent clients, mixed browsing: req/s (p95 ms, errors) | "
                    f"{o['rps']:.1f} ({o['p95'] * 1000:.0f}, {o['errors']}) | "
                    f"{v['rps']:.1f} ({v['p95'] * 1000:.0f}, {v['errors']}) | "
                    f"{ratio:.2f} (p95 {o['p95'] / v['p95']:.2f}) | ≥ 0.9, 0 errors | "
                    f"{'pass' if ok else 'FAIL'} |")
        log(rows[-1])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int,
                        default=int(os.environ.get("BENCH_DATASETS", "10000")))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "30")),
                        help="rounds per operation (writes: half as many, at least 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per portal")
    parser.add_argument("--concurrent-seconds", type=float, default=40)
    parser.add_argument("--direct-max", type=int, default=2000)
    parser.add_argument("--only", nargs="+", help="operations whose name contains one of these")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "tokens":
            tokens(args.child[1])
        else:
            load(args.child[1], int(args.child[2]), args.child[3] == "defer")
        return
    setup()
    stamp = ensure_loaded(args.datasets, args.direct_max)
    procs = {s: serve(s, args.workers) for s in SIDES}
    try:
        for s in SIDES:
            wait_up(s, procs[s])
        log(f"== {args.datasets} datasets in each portal; {args.requests} interleaved rounds; "
            f"gunicorn {args.workers} workers each; times in ms, median / p95")
        rows = measure(args.datasets, stamp, args.requests, args.only, args.concurrent_seconds)
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:  # workers still booting: stop them now
                proc.kill()
                proc.wait(30)
    log(f"\n{args.datasets} datasets in each portal, {args.requests} rounds per read, "
        f"gunicorn -w {args.workers} each (ratio = ours / vanilla, median / p95)\n")
    log("| operation | ours median / p95 | vanilla median / p95 | ratio | goal | result |")
    log("|---|---|---|---|---|---|")
    for r in rows:
        log(r)


if __name__ == "__main__":
    sys.exit(main())
