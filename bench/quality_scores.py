"""Quality scores of many datasets (issue 18, "Figures to measure"): wall time and peak
memory of ``quality.compute`` (the job behind ``ckan lyg-opendata quality compute``) over N
published datasets, the re-indexing of the changed ones, and an incremental second run of
the same month (nothing changed: nothing re-indexed), in a slot of its own.

    LYG_BENCH_SLOT=4 .venv/bin/python bench/quality_scores.py [--datasets 2000]

1. ``benchslot.setup``: the slot's database and Solr core, config
   ``.local/bench-quality-slot<slot>.ini``.
2. N published datasets (two resources each, half the catalog fields filled, alternating)
   written straight into ``package`` / ``resource`` (not timed) and indexed by CKAN's own
   indexer (``ckan.lib.search.rebuild``, not timed).
3. Timed: ``quality.compute`` (500 datasets a page from the index, facts in three queries a
   page, one upsert a page), then ``quality.reindex`` of the changed datasets, then a second
   ``compute`` (same month). Peak memory: tracemalloc's peak of the Python heap during a
   further run of ``compute`` (traced apart: tracing slows it down), and the process's
   maximum resident size.

Not a test: numbers depend on the machine. Figures are in docs/evaluation.md.
"""
from __future__ import annotations

import argparse
import json
import resource
import time
import tracemalloc
import uuid

import benchslot
from benchslot import ini_path, log

INI = ini_path("quality")


def _datasets(n: int, org_id: str):
    items = json.dumps([{"name_zh": "名称", "code": "name", "type": "string",
                         "description": "", "sensitive": "no"}], ensure_ascii=False)
    for i in range(n):
        rich = i % 2 == 0
        extras = {"open_type": "unconditional", "review_status": "published",
                  "update_frequency": "yearly", "issued": "2025-01-01",
                  "data_items": items}
        if rich:
            extras.update({"subject_areas": '["transport"]', "spatial_coverage": "连云港市",
                           "temporal_start": "2020-01-01"})
        yield {"id": str(uuid.uuid4()), "name": f"quality-bench-{i:06d}",
               "title": f"质量评估数据集 {i}", "notes": "性能测试用的合成数据集",
               "license_id": "cc-by" if rich else "", "owner_org": org_id, "type": "dataset",
               "state": "active", "private": False,
               "maintainer": "交通局" if rich else None,
               "maintainer_email": "jtj@example.cn" if rich else None,
               "extras": extras}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=2000)
    args = parser.parse_args()
    n = args.datasets
    log(f"setting up slot {benchslot.SLOT} …")
    benchslot.setup(INI, quiet=True)
    app = benchslot.make_app(INI)
    with app._wsgi_app.test_request_context():
        import sqlalchemy as sa

        import ckan.model as model
        from ckan.lib import search
        from ckan.tests import factories

        from ckanext.lyg_opendata.evaluation import quality
        from ckanext.lyg_opendata.evaluation.model import QualityScore

        s = model.Session
        s.execute(sa.text("DELETE FROM lyg_opendata_quality_score"))
        s.execute(sa.text("DELETE FROM resource WHERE package_id IN (SELECT id FROM package "
                          "WHERE name LIKE 'quality-bench-%')"))
        s.execute(sa.text("DELETE FROM package WHERE name LIKE 'quality-bench-%'"))
        s.commit()
        search.clear_all()
        org = factories.Organization(name=f"quality-bench-org-{uuid.uuid4().hex[:6]}")
        t0 = time.monotonic()
        rows = list(_datasets(n, org["id"]))
        s.execute(model.package_table.insert(), rows)
        res = []
        for i, row in enumerate(rows):
            res.append({"id": str(uuid.uuid4()), "package_id": row["id"], "state": "active",
                        "url": f"http://example.invalid/{i}.csv", "format": "CSV",
                        "position": 0, "url_type": None, "extras": {}})
            res.append({"id": str(uuid.uuid4()), "package_id": row["id"], "state": "active",
                        "url": f"http://example.invalid/{i}.pdf", "format": "PDF",
                        "position": 1, "url_type": None, "extras": {}})
        s.execute(model.resource_table.insert(), res)
        s.commit()
        ids = [r["id"] for r in rows]
        search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
        search.commit()
        log(f"{n} datasets written and indexed in {time.monotonic() - t0:.0f} s (not timed)")

        t0 = time.monotonic()
        first = quality.compute()
        t_compute = time.monotonic() - t0
        t0 = time.monotonic()
        quality.reindex(first["changed"])
        search.commit()
        t_index = time.monotonic() - t0
        t0 = time.monotonic()
        second = quality.compute()
        t_again = time.monotonic() - t0
        # the heap of one more run of the same month, traced (tracemalloc slows it down)
        tracemalloc.start()
        quality.compute()
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stored = s.query(QualityScore).count()
        scores = [r[0] for r in s.query(QualityScore.score)]
    log(f"datasets scored: {first['scored']} (stored rows {stored}), mean score "
        f"{sum(scores) / len(scores):.1f}")
    log(f"compute: {t_compute:.1f} s ({1000 * t_compute / n:.2f} ms/dataset)")
    log(f"re-index of {len(first['changed'])} changed: {t_index:.1f} s "
        f"({1000 * t_index / max(1, len(first['changed'])):.1f} ms/dataset)")
    log(f"second run, same month: {t_again:.1f} s, changed {len(second['changed'])}")
    log(f"peak Python heap (tracemalloc): {peak / 2**20:.0f} MB; max RSS {rss:.0f} MB")
    per = (t_compute + t_index) / n
    log(f"extrapolated to 50,000 datasets: compute {t_compute / n * 50000 / 60:.1f} min, "
        f"with a full re-index {per * 50000 / 60:.1f} min; incremental "
        f"{t_again / n * 50000 / 60:.1f} min")


if __name__ == "__main__":
    main()
