"""Several fetch consumers at once (ckanext-harvest runs as many as are started): real
``ckan harvester fetch-consumer`` processes on the test slot's Redis queue and database
import the objects of one job in parallel. Datasets whose names collide (the same title)
each get their own name (``-2``, ``-3``…), none fails with a duplicate name."""
import os
import pathlib
import signal
import subprocess
import time

import pytest
import redis

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject
from ckanext.lyg_opendata.dcat.harvester import LygDCATRDFHarvester

from . import third_party as tp
from .conftest import HARVEST_PLUGINS
from .test_harvest_safety import agencies  # noqa: F401 (fixture)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAME_TITLE = 12
CONSUMERS = 2


def same_titles(count: int) -> bytes:
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .",
             "@prefix dct: <http://purl.org/dc/terms/> ."]
    for n in range(count):
        lines.append(f'<https://data.some.org/catalog/parking/{n}> a dcat:Dataset ; '
                     f'dct:title "公共停车场"@zh-CN ; '
                     f'dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .')
    return "\n".join(lines).encode()


def _redis():
    return redis.Redis.from_url(tk.config["ckan.redis.url"])


def _waiting_consumers(conn) -> int:
    """Clients of this slot's Redis database blocked on the fetch queue."""
    db = conn.connection_pool.connection_kwargs.get("db", 0)
    return sum(1 for c in conn.client_list()
               if c.get("cmd") == "blpop" and int(c.get("db", -1)) == db)


@pytest.fixture
def fetch_consumers(tmp_path):
    """Starts ``CONSUMERS`` fetch-consumer processes (this slot's database, Solr core and
    Redis database, the harvest plugins) and waits until each waits on the queue."""
    conn = _redis()
    conn.delete(queue.get_fetch_routing_key())
    before = _waiting_consumers(conn)
    ini = tmp_path / "consumer.ini"
    ini.write_text(f"[app:main]\nuse = config:{ROOT / 'test.ini'}\nckan.plugins = {HARVEST_PLUGINS}\n")
    env = dict(os.environ,
               # BLPOP must outlive redis-py 8's default 5 s socket timeout (docs/dcat.md)
               CKAN_REDIS_URL=tk.config["ckan.redis.url"] + "?socket_timeout=3600")
    logs, procs = [], []
    for i in range(CONSUMERS):
        log_file = open(tmp_path / f"fetch-{i}.log", "w")
        logs.append(log_file)
        procs.append(subprocess.Popen(
            [str(ROOT / ".venv/bin/ckan"), "-c", str(ini), "harvester", "fetch-consumer"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 120
    while _waiting_consumers(conn) < before + CONSUMERS:
        assert all(p.poll() is None for p in procs), \
            [pathlib.Path(f.name).read_text()[-2000:] for f in logs]
        assert time.monotonic() < deadline, "the fetch consumers did not start"
        time.sleep(0.2)
    yield procs
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    for f in logs:
        f.close()
    conn.delete(queue.get_fetch_routing_key())


def test_two_fetch_consumers_give_colliding_names_their_own(rdf_server, agencies,  # noqa: F811
                                                             sysadmin, fetch_consumers):
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", same_titles(SAME_TITLE))
    src = tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "parking-consumers")
    job = tk.get_action("harvest_job_create")({"user": sysadmin["name"]},
                                              {"source_id": src["id"], "run": False})
    harvest_job = HarvestJob.get(job["id"])
    harvest_job.status = "Running"
    harvest_job.save()
    object_ids = LygDCATRDFHarvester().gather_stage(HarvestJob.get(job["id"]))
    assert len(object_ids) == SAME_TITLE
    publisher = queue.get_fetch_publisher()
    for object_id in object_ids:    # as the gather consumer hands them on
        publisher.send({"harvest_object_id": object_id})

    deadline = time.monotonic() + 240
    while True:
        model.Session.remove()
        states = [s for (s,) in model.Session.query(HarvestObject.state).filter(
            HarvestObject.harvest_job_id == job["id"])]
        if all(s in ("COMPLETE", "ERROR") for s in states):
            break
        assert all(p.poll() is None for p in fetch_consumers), "a fetch consumer died"
        assert time.monotonic() < deadline, states
        time.sleep(0.5)

    assert tp.object_errors(job["id"], sysadmin) == []
    names = {p.name for p in model.Session.query(model.Package).filter(
        model.Package.owner_org == agencies[0]["id"], model.Package.state == "active",
        model.Package.type == "dataset")}
    expected = {"gong-gong-ting-che-chang"} | {f"gong-gong-ting-che-chang-{n}"
                                               for n in range(2, SAME_TITLE + 1)}
    assert names == expected
    done = model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_job_id == job["id"]).all()
    assert len({o.package_id for o in done}) == SAME_TITLE      # each object its own entry
    assert all(o.state == "COMPLETE" and o.current for o in done)
    # the consumers imported at the same time (the imports of two objects overlap)
    spans = sorted((o.import_started, o.import_finished) for o in done)
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:]))


def test_a_name_held_by_an_open_import_is_not_given_again():
    """A name allocated in a transaction that has not committed yet (another consumer's
    import under way) is taken for everybody else, without waiting; it is free again once
    that transaction ends without creating the entry."""
    import concurrent.futures

    from ckanext.lyg_opendata.dcat import names

    def in_another_session():
        try:
            return names.unique_name("gong-jiao-xian-lu", set())
        finally:
            model.Session.remove()     # that thread's own session: its transaction ends

    with concurrent.futures.ThreadPoolExecutor(1) as other:
        assert names.unique_name("gong-jiao-xian-lu", set()) == "gong-jiao-xian-lu"  # held here
        assert other.submit(in_another_session).result(timeout=30) == "gong-jiao-xian-lu-2"
        model.Session.rollback()       # this import created nothing
        assert other.submit(in_another_session).result(timeout=30) == "gong-jiao-xian-lu"
