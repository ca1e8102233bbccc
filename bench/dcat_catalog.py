"""Page time of the paged DCAT catalog (/catalog.ttl, 100 datasets a page) as the catalog
grows, with this portal's ``lyg_opendata`` profile and ckanext-dcat's ``euro_dcat_ap_3``
alone, in a database and Solr core of its own (never the dev portal's).

    .venv/bin/python bench/dcat_catalog.py [--sizes 1000 20000] [--requests 9] [--workers 2]
    LYG_BENCH_SLOT=6 .venv/bin/python bench/dcat_catalog.py --sizes 1000    (another slot)
    .venv/bin/python bench/dcat_catalog.py --measure 5 6     (only measure loaded slots)

What it does:

1. ``LYG_TEST_SLOT=5 scripts/services.sh start`` (slot 5, or ``LYG_BENCH_SLOT``): PostgreSQL,
   Redis, Solr with the database ``ckan_test5`` and the Solr core ``ckan_test5``; a config
   ``.local/bench-dcat-slot5.ini`` made from ``test.ini`` with ``ckan config-tool`` (that
   database, core and Redis db);
   ``ckan db init`` and the plugins' migrations.
2. For each size, the synthetic loader (``loader.load(synthetic=N)``, what ``ckan lyg-opendata
   demo load --synthetic N`` runs: ``package_create`` as the site user, then the review's
   approval, through the action API) adds what is missing. With ``--defer-index`` (the
   default above ``--direct-max`` datasets) the loader processes (``--workers`` of them, on
   disjoint shares) do not write to Solr (``PackageSearchIndex.index_package`` is a no-op in
   them) and ``ckan search-index rebuild --only-missing`` indexes afterwards; the same
   actions run, only the Solr writes are batched at the end.
3. Page time: the catalog is requested in-process through CKAN's WSGI app (Flask test
   client, anonymous, no network): one warm-up, then ``--requests`` requests of a page in
   the middle of the catalog, per profile; the median and the spread are printed.

Not a test: numbers depend on the machine. Figures measured here are in the README
("DCAT and harvesting").
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time

from benchslot import CKAN, PYTHON, ROOT, SLOT, ini_path, log, run  # noqa: E402
import benchslot  # noqa: E402

INI = ini_path("dcat")
PROFILES = ["lyg_opendata", "euro_dcat_ap_3"]


def setup() -> None:
    benchslot.setup(INI)


def _app():
    return benchslot.make_app(INI)


def load(size: int, defer_index: bool, worker: int, workers: int) -> None:
    """(In a child process.) Load the demo content, then worker ``worker`` of ``workers``
    loads its share (every ``workers``-th) of the ``size`` synthetic datasets, skipping
    those already there: what ``loader.load(synthetic=size)`` does, split."""
    from ckanext.lyg_opendata.demo import loader
    app = _app()
    with app.test_request_context():
        if defer_index:
            # the actions run in full; only their Solr writes are left to the rebuild
            from ckan.lib.search.index import PackageSearchIndex
            PackageSearchIndex.index_package = lambda self, *args, **kwargs: None
        started = time.monotonic()
        if worker == 0:
            loader.load(synthetic=0, progress=lambda _msg: None)
        orgs = [o["name"] for o in loader.load_demo_data()["organizations"]]
        mine = [ds for i, ds in enumerate(loader.synthetic_datasets(size, orgs))
                if i % workers == worker]
        made = 0
        for i, ds in enumerate(mine, 1):
            made += loader.ensure_datasets([ds], lambda _msg: None)
            if i % 500 == 0 or i == len(mine):
                log(f"  worker {worker}: {i}/{len(mine)} ({made} new, {time.monotonic() - started:.0f}s)")


def measure(requests: int) -> None:
    """(In a child process.) Median page time per profile, as JSON on the last line."""
    app = _app()
    client = app.test_client()
    import ckan.plugins.toolkit as tk
    with app.test_request_context():
        count = tk.get_action("package_search")({}, {"rows": 0})["count"]
    page = max(1, (count // 100) // 2)
    result = {"datasets": count, "page": page}
    for profile in PROFILES:
        url = f"/catalog.ttl?page={page}&profiles={profile}"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200
        result[profile] = {"median_s": round(statistics.median(times), 3),
                           "min_s": round(min(times), 3), "max_s": round(max(times), 3),
                           "bytes": len(response.data)}
    print(json.dumps(result))


def _measure_slot(slot: str, requests: int) -> dict:
    out = subprocess.run([PYTHON, __file__, "--child", "measure", str(requests)],
                         check=True, cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "LYG_BENCH_SLOT": slot}).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--requests", type=int, default=9)
    parser.add_argument("--direct-max", type=int, default=2000,
                        help="load up to this many datasets with synchronous indexing")
    parser.add_argument("--workers", type=int, default=1,
                        help="loader processes working on disjoint shares of the datasets")
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--measure", nargs="+", metavar="SLOT",
                        help="only measure the catalogs already loaded in these slots, one after another")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "load":
            load(int(args.child[1]), args.child[2] == "defer", int(args.child[3]), int(args.child[4]))
        else:
            measure(int(args.child[1]))
        return

    results = []
    for slot in args.measure or []:
        results.append(_measure_slot(slot, args.requests))
        log(f"   slot {slot}: {results[-1]}")
    if not args.measure and not args.skip_setup:
        setup()
    for size in ([] if args.measure else args.sizes):
        defer = size > args.direct_max
        log(f"== {size} synthetic datasets ({'indexing deferred' if defer else 'indexed as created'})")
        t0 = time.monotonic()
        mode = "defer" if defer else "direct"
        if args.workers == 1:
            run(PYTHON, __file__, "--child", "load", str(size), mode, "0", "1")
        else:
            run(PYTHON, __file__, "--child", "load", "0", mode, "0", "1")   # demo content first
            children = [subprocess.Popen([PYTHON, __file__, "--child", "load", str(size), mode,
                                          str(k), str(args.workers)], cwd=ROOT)
                        for k in range(args.workers)]
            if any([c.wait() for c in children]):
                raise SystemExit("a loader failed")
        if defer:
            t1 = time.monotonic()
            run(CKAN, "-c", str(INI), "search-index", "rebuild", "--only-missing", "--quiet")
            log(f"   index rebuilt in {time.monotonic() - t1:.0f}s")
        log(f"   loaded in {time.monotonic() - t0:.0f}s")
        results.append(_measure_slot(SLOT, args.requests))
        log(f"   {results[-1]}")
    log("\n| datasets in the catalog | page | " + " | ".join(
        f"{p} median (min–max)" for p in PROFILES) + " |")
    log("|---|---|" + "---|" * len(PROFILES))
    for r in results:
        log(f"| {r['datasets']} | {r['page']} | " + " | ".join(
            f"{r[p]['median_s'] * 1000:.0f} ms ({r[p]['min_s'] * 1000:.0f}–{r[p]['max_s'] * 1000:.0f})"
            for p in PROFILES) + " |")


if __name__ == "__main__":
    main()
