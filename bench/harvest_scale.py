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


def page(n_total: int, page_no: int, size: int, base: str, tag: str = "") -> bytes:
    """Page ``page_no`` of the catalog. ``tag`` (``<stamp>-<run>``) is in every IRI, so
    that no run finds another's imports, and its short ``<run>`` part in every title, so
    that the runs' names do not collide (kept short: a name from a title is cut at 60)."""
    t = f"{tag}-" if tag else ""
    short = f"{tag.split('-')[-1]}-" if tag else ""
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .",
             "@prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    first = (page_no - 1) * size
    for i in range(first, min(first + size, n_total)):
        lines.append(
            f"<https://data.bench.example/{t}dataset/{i}> a dcat:Dataset ;\n"
            f'  dct:title "连云港市公共停车场信息 {short}{i}"@zh-CN, "Public parking {short}{i}"@en ;\n'
            f'  dct:description "全市公共停车场的位置、泊位和收费标准（第{i}批）。"@zh-CN ;\n'
            f"  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;\n"
            f"  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ;\n"
            f'  dcat:keyword "停车"@zh, "交通"@zh ;\n'
            f"  dcat:distribution <https://data.bench.example/{t}dataset/{i}/csv> .\n"
            f"<https://data.bench.example/{t}dataset/{i}/csv> a dcat:Distribution ;\n"
            f'  dct:title "停车场名录 {i}"@zh-CN ;\n'
            f"  dcat:downloadURL <https://files.bench.example/{i}.csv> ;\n"
            f"  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .")
    last = max(1, -(-n_total // size))
    base = f"{base}/{tag}" if tag else base
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
            tag = self.path.split("?")[0].removesuffix("/catalog.ttl").strip("/")
            body = page(n_total, page_no, size, base, tag)
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


def start_fetch_consumers(ini: str, count: int) -> list[subprocess.Popen]:
    """``count`` real ``ckan harvester fetch-consumer`` processes on this slot's Redis
    queue, once each waits on it (BLPOP)."""
    import ckan.plugins.toolkit as tk
    import redis
    url = tk.config["ckan.redis.url"]
    conn = redis.Redis.from_url(url)
    db = conn.connection_pool.connection_kwargs.get("db", 0)

    def waiting() -> int:
        return sum(1 for c in conn.client_list() if c.get("cmd") == "blpop" and int(c.get("db", -1)) == db)
    before = waiting()
    env = dict(os.environ, CKAN_REDIS_URL=url + "?socket_timeout=31536000")
    procs = [subprocess.Popen([str(ROOT / ".venv/bin/ckan"), "-c", ini, "harvester", "fetch-consumer"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(count)]
    deadline = time.monotonic() + 300
    while waiting() < before + count:
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            stop(procs)
            sys.exit("the fetch consumers did not start")
        time.sleep(0.2)
    return procs


def peak_mb(pid: int) -> float:
    """A running process's peak resident memory (VmHWM)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def run_with_consumers(job_id: str, harvester, procs: list[subprocess.Popen]) -> None:
    """The gather stage in this process (as the gather consumer runs it), each object
    handed to the fetch queue, the running fetch consumers import them; returns once
    every object is done, after ``harvest_jobs_run`` finished the job."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject
    job = HarvestJob.get(job_id)
    job.status = "Running"
    job.save()
    object_ids = queue.gather_stage(harvester, job) or []
    publisher = queue.get_fetch_publisher()
    for object_id in object_ids:
        publisher.send({"harvest_object_id": object_id})
    while True:
        model.Session.remove()
        left = model.Session.query(HarvestObject.id).filter(
            HarvestObject.harvest_job_id == job_id,
            HarvestObject.state.notin_(("COMPLETE", "ERROR"))).count()
        if not left:
            break
        if any(p.poll() is not None for p in procs):
            sys.exit("a fetch consumer died")
        time.sleep(0.2)
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})


def child(ini: str, source_type: str, url: str, profile: str = "", consumers: str = "0") -> None:
    """One harvest of ``url`` with ``source_type``; prints a JSON line with the figures.
    With ``profile``, writes the job's cProfile statistics to ``profile.<source_type>``
    (of this process: with ``consumers``, the gather only). With ``consumers`` N > 0, N
    fetch consumer processes import the objects (their peak memory is reported)."""
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
        procs = start_fetch_consumers(ini, int(consumers)) if int(consumers) else []
        profiler = cProfile.Profile() if profile else None
        started = time.monotonic()
        if profiler:
            profiler.enable()
        try:
            if procs:
                run_with_consumers(job["id"], get_harvester(source_type), procs)
            else:
                run_as_the_consumers(job["id"], get_harvester(source_type))
            consumer_peaks = [peak_mb(p.pid) for p in procs]
        finally:
            stop(procs)
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"{profile}.{source_type}")
        elapsed = time.monotonic() - started
        imported = model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_job_id == job["id"], HarvestObject.state == "COMPLETE",
            HarvestObject.package_id.isnot(None)).count()
        errors = model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_job_id == job["id"], HarvestObject.state == "ERROR").count()
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"source_type": source_type, "consumers": int(consumers), "imported": imported,
                      "errors": errors, "seconds": round(elapsed, 1),
                      "per_second": round(imported / elapsed, 2), "peak_mb": round(own_peak),
                      "consumer_peak_mb": round(max(consumer_peaks, default=0))}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--harvesters", nargs="+", default=["dcat_rdf", "lyg_dcat_rdf"],
                        help="source types, in this order (ckanext-dcat's first)")
    parser.add_argument("--profile", default="",
                        help="write each harvester's cProfile statistics to PROFILE.<type>")
    parser.add_argument("--consumers", type=int, nargs="+", default=[0],
                        help="fetch consumer processes (0: the stages in the harvester's own process); "
                             "several values: one run of each harvester per value")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
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
    results, stamp = [], int(time.time())
    for consumers in args.consumers:
        for source_type in args.harvesters:
            tag = f"{stamp}-{'v' if source_type == 'dcat_rdf' else 'o'}{consumers}"
            done = subprocess.run([PYTHON, __file__, "--child", str(ini), source_type,
                                   f"{base}/{tag}/catalog.ttl", args.profile, str(consumers)],
                                  cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{source_type} failed:\n" + done.stderr[-3000:])
            out = done.stdout
            result = json.loads(out.strip().splitlines()[-1])
            log(json.dumps(result))
            results.append(result)
    server.shutdown()
    log("| harvester | fetch consumers | imported | errors | seconds | datasets/s | peak RSS MB "
        "(harvester / consumer) |\n|---|---|---|---|---|---|---|")
    for r in results:
        log(f"| {r['source_type']} | {r['consumers'] or 'in-process'} | {r['imported']} | {r['errors']} | "
            f"{r['seconds']} | {r['per_second']} | {r['peak_mb']} / {r['consumer_peak_mb'] or '-'} |")
    for consumers in args.consumers:
        rows = {r["source_type"]: r for r in results if r["consumers"] == consumers}
        vanilla, ours = rows.get("dcat_rdf"), rows.get("lyg_dcat_rdf")
        if vanilla and ours and ours["per_second"]:
            log(f"consumers {consumers}: ours / vanilla time per dataset: "
                f"{vanilla['per_second'] / ours['per_second']:.2f}x")


if __name__ == "__main__":
    main()
