"""Cost of the per-test resets of the test suite: CKAN's (``ckan.tests.helpers.reset_db``
and ``ckan.lib.search.clear_all``) against the project's (``reset_database`` and
``reset_search_index`` in tests/conftest.py), on the real PostgreSQL and Solr of a test slot.

    LYG_BENCH_SLOT=2 nice -n 10 .venv/bin/python bench/fixture_resets.py [rounds]

Each round builds a small world (an organisation and a dataset with a resource, indexed, as
most tests leave), then resets it with one implementation, then with the other (the order
alternates: interleaved, so a shared machine's load falls on both alike), and also resets an
empty database and index (tests that wrote nothing). Prints the median and mean wall time
of each (the work is in PostgreSQL and Solr, so wall time, interleaved, is the measure).
"""
from __future__ import annotations

import statistics
import sys
import time

import benchslot

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def world(tk, catalog_fields, n: int) -> None:
    ctx = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    org = tk.get_action("organization_create")(dict(ctx), {"name": f"bench-org-{n}"})
    tk.get_action("package_create")(dict(ctx), catalog_fields(
        name=f"bench-ds-{n}", owner_org=org["id"],
        resources=[{"url": "http://example.com/a.csv", "format": "CSV", "desensitized": True}]))


def main() -> None:
    ini = benchslot.ini_path("resets")
    benchslot.setup(ini, quiet=True)
    app = benchslot.make_app(ini)
    sys.path.insert(0, str(benchslot.ROOT))
    import ckan.lib.search as search
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.tests import helpers
    from tests.conftest import catalog_fields, reset_database, reset_search_index

    def ckan_reset():
        helpers.reset_db()
        search.clear_all()

    def project_reset():
        reset_database()
        reset_search_index()

    impls = {"CKAN (reset_db + clear_all)": ckan_reset,
             "project (reset_database + reset_search_index)": project_reset}
    after_world = {k: [] for k in impls}
    empty = {k: [] for k in impls}
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    with flask_app.test_request_context():
        # setup() created the tables and ran the plugins' migrations: both resets empty them
        model.repo.tables_created_and_initialised = True
        n = 0
        for i in range(ROUNDS):
            order = list(impls) if i % 2 == 0 else list(reversed(list(impls)))
            for name in order:
                n += 1
                world(tk, catalog_fields, n)
                assert search.query_for(model.Package).run({"q": "*:*"})["count"] >= 1
                t0 = time.perf_counter()
                impls[name]()
                after_world[name].append(time.perf_counter() - t0)
                assert model.Session.query(model.Package).count() == 0
                assert search.query_for(model.Package).run({"q": "*:*"})["count"] == 0
                t0 = time.perf_counter()
                impls[name]()
                empty[name].append(time.perf_counter() - t0)
    print(f"{ROUNDS} rounds, interleaved; wall time per reset in ms (median / mean)")
    for name in impls:
        a, e = after_world[name], empty[name]
        print(f"  {name:48} after a world {1000 * statistics.median(a):7.1f} / "
              f"{1000 * statistics.mean(a):7.1f}   empty {1000 * statistics.median(e):7.1f} / "
              f"{1000 * statistics.mean(e):7.1f}")


if __name__ == "__main__":
    main()
