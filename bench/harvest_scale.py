"""Harvest at scale: a paged DCAT catalog of N datasets (Turtle, 100 a page, hydra paging
links) served over loopback, harvested once by ckanext-dcat's ``dcat_rdf_harvester`` and once
by this portal's ``lyg_dcat_rdf_harvester``, each into an organization of its own, in a
database and Solr core of their own (``LYG_BENCH_SLOT``, default 5; never the dev portal's).

    .venv/bin/python bench/harvest_scale.py [--datasets 5000] [--page-size 100]

Each harvester runs in its own process (gather, fetch, import in-process, as the gather
and fetch consumers run them, without the queue: ``run_as_the_consumers``): datasets imported per second
(wall clock of the whole job) and that process's peak resident memory (``ru_maxrss``).
ckanext-dcat runs first: it looks earlier imports up by IRI across all sources and would
otherwise update our copies; ours keeps to its own source. Both parse with the configured
profile (``lyg_opendata``), so the difference is the harvester.

Not a test: numbers depend on the machine (figures in the README, "DCAT and harvesting").
"""
from __future__ import annotations

import argparse
import cProfile
import http.server
import json
import os
import resource
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from benchslot import PYTHON, ROOT, ini_path, log  # noqa: E402
import benchslot  # noqa: E402

PLUGINS = "lyg_opendata scheming_datasets dcat activity harvest lyg_dcat_rdf_harvester dcat_rdf_harvester"


def page(n_total: int, page_no: int, size: int, base: str) -> bytes:
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .",
             "@prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    first = (page_no - 1) * size
    for i in range(first, min(first + size, n_total)):
        lines.append(
            f"<https://data.bench.example/dataset/{i}> a dcat:Dataset ;\n"
            f'  dct:title "连云港市公共停车场信息 {i}"@zh-CN, "Public parking {i}"@en ;\n'
            f'  dct:description "全市公共停车场的位置、泊位和收费标准（第{i}批）。"@zh-CN ;\n'
            f"  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;\n"
            f"  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ;\n"
            f'  dcat:keyword "停车"@zh, "交通"@zh ;\n'
            f"  dcat:distribution <https://data.bench.example/dataset/{i}/csv> .\n"
            f"<https://data.bench.example/dataset/{i}/csv> a dcat:Distribution ;\n"
            f'  dct:title "停车场名录 {i}"@zh-CN ;\n'
            f"  dcat:downloadURL <https://files.bench.example/{i}.csv> ;\n"
            f"  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .")
    last = max(1, -(-n_total // size))
    lines.append(f"<{base}/catalog.ttl?page={page_no}> a hydra:PagedCollection ;")
    lines.append(f'  hydra:totalItems "{n_total}"^^xsd:integer ;')
    if page_no < last:
        lines.append(f"  hydra:nextPage <{base}/catalog.ttl?page={page_no + 1}> ;")
    lines.append(f"  hydra:lastPage <{base}/catalog.ttl?page={last}> .")
    return "\n".join(lines).encode()


def serve(n_total: int, size: int):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            page_no = int(self.path.split("page=")[1]) if "page=" in self.path else 1
            body = page(n_total, page_no, size, base)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def run_as_the_consumers(job_id: str, harvester) -> None:
    """The job as the gather and fetch consumers run it (ckanext-harvest's queue.py
    ``gather_callback`` and ``fetch_callback``), in this process: the gather stage, then
    each object's fetch and import stages with a fresh session, then ``harvest_jobs_run``
    to finish the job. (``ckanext.harvest.tests.lib.run_harvest_job`` also reads every
    imported dataset back with ``package_show``, which the consumers do not.)"""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject
    job = HarvestJob.get(job_id)
    job.status = "Running"
    job.save()
    object_ids = queue.gather_stage(harvester, job) or []
    model.Session.remove()
    for object_id in object_ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
        model.Session.remove()
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})


def child(ini: str, source_type: str, url: str, profile: str = "") -> None:
    """One harvest of ``url`` with ``source_type``; prints a JSON line with the figures.
    With ``profile``, writes the job's cProfile statistics to ``profile.<source_type>``."""
    app = benchslot.make_app(ini)
    with app._wsgi_app.test_request_context():
        import ckan.model as model
        import ckan.plugins.toolkit as tk
        from ckanext.harvest.model import HarvestObject
        from ckanext.harvest.queue import get_harvester
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ctx = {"user": site, "ignore_auth": True}
        stamp = str(int(time.time()))
        org = tk.get_action("organization_create")(ctx, {"name": f"bench-{source_type}-{stamp}".replace("_", "-"),
                                                         "title": f"bench {source_type}"})
        source = tk.get_action("harvest_source_create")(ctx, {
            "name": f"bench-{source_type}-{stamp}".replace("_", "-"), "title": source_type, "url": url,
            "source_type": source_type, "owner_org": org["id"],
            "config": json.dumps({"rdf_format": "text/turtle", "bench": source_type})})
        job = tk.get_action("harvest_job_create")(ctx, {"source_id": source["id"], "run": False})
        profiler = cProfile.Profile() if profile else None
        started = time.monotonic()
        if profiler:
            profiler.enable()
        run_as_the_consumers(job["id"], get_harvester(source_type))
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"{profile}.{source_type}")
        elapsed = time.monotonic() - started
        imported = model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_job_id == job["id"], HarvestObject.state == "COMPLETE",
            HarvestObject.package_id.isnot(None)).count()
        errors = model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_job_id == job["id"], HarvestObject.state == "ERROR").count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"source_type": source_type, "imported": imported, "errors": errors,
                      "seconds": round(elapsed, 1), "per_second": round(imported / elapsed, 2),
                      "peak_mb": round(peak_mb)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--harvesters", nargs="+", default=["dcat_rdf", "lyg_dcat_rdf"],
                        help="source types, in this order (ckanext-dcat's first)")
    parser.add_argument("--profile", default="",
                        help="write each harvester's cProfile statistics to PROFILE.<type>")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    ini = ini_path("harvest")
    benchslot.setup(ini, quiet=True)
    subprocess.run([str(ROOT / ".venv/bin/ckan"), "config-tool", str(ini), f"ckan.plugins={PLUGINS}",
                    "ckanext.lyg_opendata.harvest.allow_private_targets=true",
                    "ckanext.lyg_opendata.harvest.max_delete_share=1"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([str(ROOT / ".venv/bin/ckan"), "-c", str(ini), "db", "pending-migrations", "--apply"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    server, base = serve(args.datasets, args.page_size)
    log(f"catalog: {args.datasets} datasets, {args.page_size} a page, at {base}/catalog.ttl")
    results = []
    for source_type in args.harvesters:
        done = subprocess.run([PYTHON, __file__, "--child", str(ini), source_type,
                               base + "/catalog.ttl", args.profile],
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{source_type} failed:\n" + done.stderr[-3000:])
        out = done.stdout
        result = json.loads(out.strip().splitlines()[-1])
        log(json.dumps(result))
        results.append(result)
    server.shutdown()
    log("| harvester | imported | errors | seconds | datasets/s | peak RSS MB |\n|---|---|---|---|---|---|")
    for r in results:
        log(f"| {r['source_type']} | {r['imported']} | {r['errors']} | {r['seconds']} | "
            f"{r['per_second']} | {r['peak_mb']} |")
    if len(results) == 2 and results[1]["per_second"]:
        vanilla, ours = results
        log(f"ours / vanilla time per dataset: {vanilla['per_second'] / ours['per_second']:.2f}x")


if __name__ == "__main__":
    main()
