"""Harvesting safely (issue 13): an entry belongs to its source; empty answers and big
shrinks never wipe imports; downloads keep one deadline and refuse private targets and
remote JSON-LD contexts; a job is gathered once."""
import json
import logging
import socket
import time

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories

from ckanext.harvest.model import HarvestJob, HarvestObject
from ckanext.lyg_opendata.dcat import fetch
from ckanext.lyg_opendata.dcat.harvester import LygDCATRDFHarvester

from . import third_party as tp
from .conftest import HARVEST_PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]

PAGE = "ckanext-dcat/catalog_datasets_list.rdf"   # 2 datasets (1 and 2)


def catalog(*numbers: int) -> bytes:
    """A Turtle catalog with the ckanext-dcat example datasets ``numbers``, the title
    of each in a second language too."""
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .",
             "@prefix dct: <http://purl.org/dc/terms/> ."]
    for n in numbers:
        lines.append(f'<https://data.some.org/catalog/datasets/{n}> a dcat:Dataset ; '
                     f'dct:title "Example dataset {n}"@en, "示例数据集{n}"@zh-CN ; '
                     f'dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .')
    return "\n".join(lines).encode()


@pytest.fixture
def agencies(sysadmin):
    member = [{"name": sysadmin["name"], "capacity": "admin"}]
    return (factories.Organization(name="agency-x", title="甲机构", users=member),
            factories.Organization(name="agency-y", title="乙机构", users=member))


def owned_by(org):
    return {p.name for p in model.Session.query(model.Package).filter_by(
        owner_org=org["id"], state="active", type="dataset")}


# --- 1: ownership ----------------------------------------------------------------------

def test_same_iri_from_another_source_gets_its_own_entry(rdf_server, agencies, sysadmin):
    base, documents = rdf_server
    x, y = agencies
    tp.serve(documents, "/a.ttl", catalog(1))
    tp.serve(documents, "/b.ttl", catalog(1).replace(b"Example dataset 1", b"Retitled by B"))
    a = tp.source(base + "/a.ttl", x, sysadmin, "source-a")
    b = tp.source(base + "/b.ttl", y, sysadmin, "source-b", trusted=True)
    _, first = tp.run(a, sysadmin)
    (a_entry,) = [r["dataset"] for r in first.values()]
    _, second = tp.run(b, sysadmin)
    (b_entry,) = [r["dataset"] for r in second.values()]

    assert b_entry["id"] != a_entry["id"]
    a_now = tp.show(a_entry["id"])
    assert a_now["owner_org"] == x["id"] and a_now["review_status"] == "pending"
    assert a_now["title"] == "示例数据集1" and a_now["private"] is True
    b_now = tp.show(b_entry["id"])
    assert b_now["owner_org"] == y["id"] and b_now["review_status"] == "published"
    # A syncs again: its own entry is updated, B's is left alone
    _, again = tp.run(a, sysadmin)
    assert [r["dataset"]["id"] for r in again.values()] == [a_entry["id"]]
    assert tp.show(b_entry["id"])["owner_org"] == y["id"]


# --- 2: no silent wipes ----------------------------------------------------------------

@pytest.fixture
def synced(rdf_server, agencies, sysadmin):
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", catalog(1, 2, 3, 4))
    src = tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "four", trusted=True)
    _, results = tp.run(src, sysadmin)
    assert len(results) == 4
    return src, documents, {r["dataset"]["id"] for r in results.values()}


def active(ids):
    return {i for i in ids if model.Package.get(i).state == "active"}


@pytest.mark.parametrize("body", [b"", b"  \n\t\n", catalog()], ids=["empty", "whitespace", "no-datasets"])
def test_empty_answer_deletes_nothing(synced, sysadmin, body):
    src, documents, ids = synced
    tp.serve(documents, "/catalog.ttl", body)
    job_id, results = tp.run(src, sysadmin)
    assert results == {}
    assert active(ids) == ids
    errors = tp.gather_errors(job_id, sysadmin)
    assert any("nothing was imported, updated or deleted" in m for m in errors), errors


def test_small_shrink_deletes_and_logs(synced, sysadmin):
    src, documents, ids = synced
    tp.serve(documents, "/catalog.ttl", catalog(1, 2, 3))
    lines = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("ckanext.lyg_opendata.dcat.harvester")
    disabled = logger.disabled   # the test config's fileConfig disables earlier loggers
    logger.disabled = False
    logger.addHandler(handler)
    try:
        job_id, _ = tp.run(src, sysadmin)
    finally:
        logger.removeHandler(handler)
        logger.disabled = disabled
    assert len(active(ids)) == 3
    deleted = (ids - active(ids)).pop()
    (line,) = [m for m in lines if "Harvest deletion" in m]
    assert deleted in line and src["id"] in line and job_id in line


def test_big_shrink_is_held_for_a_sysadmin(synced, sysadmin, cli):
    src, documents, ids = synced
    tp.serve(documents, "/catalog.ttl", catalog(1))      # 3 of 4 gone: over 50 %
    job_id, _ = tp.run(src, sysadmin)
    assert active(ids) == ids
    errors = tp.gather_errors(job_id, sysadmin)
    assert any("3 of the 4 entries" in m and f"confirm-deletions {job_id}" in m for m in errors), errors
    assert tk.get_action("harvest_job_show")({"user": sysadmin["name"]}, {"id": job_id})["status"] == "Finished"

    dry = cli.invoke(ckan_cli, ["lyg-opendata", "harvest", "confirm-deletions", job_id, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 entries would delete" in dry.output and active(ids) == ids
    result = cli.invoke(ckan_cli, ["lyg-opendata", "harvest", "confirm-deletions", job_id])
    assert result.exit_code == 0, result.output
    assert len(active(ids)) == 1


@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.max_delete_share", 0.9)
def test_share_is_configurable(synced, sysadmin):
    src, documents, ids = synced
    tp.serve(documents, "/catalog.ttl", catalog(1))
    tp.run(src, sysadmin)
    assert len(active(ids)) == 1


def test_confirm_action_roles(synced, sysadmin, agencies):
    src, documents, ids = synced
    tp.serve(documents, "/catalog.ttl", catalog(1))
    job_id, _ = tp.run(src, sysadmin)
    admin = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": agencies[0]["id"], "username": admin["name"], "role": "admin"})
    for user in (admin["name"], None):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("lyg_opendata_harvest_deletions_confirm")(
                {"user": user, "ignore_auth": False}, {"job_id": job_id})
    assert active(ids) == ids
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("lyg_opendata_harvest_deletions_confirm")({"user": sysadmin["name"]}, {})
    assert "job_id" in error.value.error_dict
    result = tk.get_action("lyg_opendata_harvest_deletions_confirm")(
        {"user": sysadmin["name"]}, {"job_id": job_id})
    assert len(result["deleted"]) == 3 and len(active(ids)) == 1
    with pytest.raises(tk.ValidationError):   # nothing held any more
        tk.get_action("lyg_opendata_harvest_deletions_confirm")(
            {"user": sysadmin["name"]}, {"job_id": job_id})


def test_held_deletions_go_void_after_a_later_sync(synced, sysadmin):
    src, documents, ids = synced
    tp.serve(documents, "/catalog.ttl", catalog(1))
    held_job, _ = tp.run(src, sysadmin)
    tp.serve(documents, "/catalog.ttl", catalog(1, 2, 3, 4))
    tp.run(src, sysadmin)
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("lyg_opendata_harvest_deletions_confirm")(
            {"user": sysadmin["name"]}, {"job_id": held_job})
    assert "later harvest job" in str(error.value.error_dict)
    assert active(ids) == ids


# --- 4: deadlines, targets, contexts ----------------------------------------------------

@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.timeout", 2)
def test_slow_drip_fails_within_the_deadline(rdf_server, agencies, sysadmin):
    base, documents = rdf_server
    body = catalog(1)

    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/turtle")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for i in range(len(body)):
                handler.wfile.write(body[i:i + 1])
                handler.wfile.flush()
                time.sleep(1)
        except OSError:
            pass
    documents["/catalog.ttl"] = drip
    src = tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "drip")
    started = time.monotonic()
    job_id, results = tp.run(src, sysadmin)
    assert time.monotonic() - started < 8
    assert results == {}
    errors = tp.gather_errors(job_id, sysadmin)
    assert any("timed out after 2 s" in m for m in errors), errors


@pytest.fixture
def blackhole():
    """Loopback sockets that never answer: ``silent`` completes the TCP handshake (the
    kernel's backlog) but no one reads or answers; ``unreachable`` has its one-slot backlog
    taken, so a connection attempt's SYN is dropped and connect() never completes."""
    sockets = []

    def listener():
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        sockets.append(server)
        return server, server.getsockname()[1]

    _, silent = listener()
    _, unreachable = listener()
    while True:   # fill the backlog until an attempt hangs
        probe = socket.socket()
        probe.settimeout(0.5)
        sockets.append(probe)
        try:
            probe.connect(("127.0.0.1", unreachable))
        except socket.timeout:
            break
        assert len(sockets) < 10, "the backlog never filled"
    yield {"silent": f"http://127.0.0.1:{silent}/catalog.ttl",
           "unreachable": f"http://127.0.0.1:{unreachable}/catalog.ttl"}
    for sock in sockets:
        sock.close()


@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.timeout", 2)
@pytest.mark.parametrize("kind, english, chinese", [
    ("silent", "Reading {url} timed out after 2 s", "读取 {url} 超时：已超过 2 秒"),
    ("unreachable", "Connecting to {url} timed out after 2 s", "连接 {url} 超时：已超过 2 秒"),
])
def test_a_source_that_never_answers_is_given_up_at_the_deadline(
        app, blackhole, agencies, sysadmin, kind, english, chinese):
    url = blackhole[kind]
    src = tp.source(url, agencies[0], sysadmin, f"blackhole-{kind}")
    started = time.monotonic()
    job_id, results = tp.run(src, sysadmin)
    elapsed = time.monotonic() - started
    assert 2 <= elapsed < 8, elapsed   # the deadline, not the minutes of the OS's retries
    assert results == {}
    suffix = " (the deadline of ckanext.lyg_opendata.harvest.timeout)"
    assert english.format(url=url) + suffix in tp.gather_errors(job_id, sysadmin)
    # the clerk reads it in the UI language
    report = app.get(f"/api/3/action/harvest_job_report?id={job_id}",
                     headers={"Authorization": sysadmin["token"]}).json["result"]
    assert chinese.format(url=url) + "（期限由 ckanext.lyg_opendata.harvest.timeout 设置）" in [
        e["message"] for e in report["gather_errors"]]


@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.allow_private_targets", False)
@pytest.mark.parametrize("url", ["http://127.0.0.1:9/catalog.ttl", "http://10.1.2.3/catalog.ttl",
                                 "http://[::1]/catalog.ttl", "http://169.254.169.254/latest/meta-data",
                                 "file:///etc/passwd", "ftp://example.org/catalog.ttl"])
def test_private_and_non_http_targets_are_refused(agencies, sysadmin, url):
    src = tp.source(url, agencies[0], sysadmin, "internal")
    job_id, results = tp.run(src, sysadmin)
    assert results == {}
    errors = tp.gather_errors(job_id, sysadmin)
    assert any(m.startswith("Refused") for m in errors), errors


@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.allow_private_targets", False)
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_dns_rebinding_is_refused_on_the_connected_address(rdf_server, agencies, sysadmin,
                                                           monkeypatch, host):
    """The name's first resolution says public, the connection reaches loopback (a name
    rebound between the check and the connect): the connected socket's address is refused
    before the request is sent."""
    base, documents = rdf_server
    asked = []
    tp.serve(documents, "/served.ttl", catalog(1))
    documents["/catalog.ttl"] = lambda handler: (asked.append(handler.path),
                                                 documents["/served.ttl"](handler))
    looked_up = []

    def public(name, port):
        looked_up.append(name)
        return ["93.184.215.14"]   # a global address, as a rebinding name first answers
    monkeypatch.setattr(fetch, "resolve", public)
    url = base.replace("127.0.0.1", host) + "/catalog.ttl"
    job_id, results = tp.run(tp.source(url, agencies[0], sysadmin, "rebind"), sysadmin)
    assert looked_up == [host]           # the first check passed...
    assert results == {} and asked == []  # ...but nothing was requested nor imported
    errors = tp.gather_errors(job_id, sysadmin)
    assert any(m.startswith("Refused") and "(127.0.0.1)" in m for m in errors), errors


@pytest.mark.ckan_config("ckanext.lyg_opendata.harvest.allow_private_targets", False)
def test_redirect_to_a_rebound_name_is_refused(rdf_server, monkeypatch):
    """A redirect's target is checked on connect as well."""
    base, documents = rdf_server

    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", base.replace("127.0.0.1", "localhost") + "/inner.ttl")
        handler.end_headers()
    documents["/catalog.ttl"] = redirect
    monkeypatch.setattr(fetch, "resolve", lambda name, port: ["93.184.215.14"])
    with pytest.raises(fetch.FetchError, match=r"^Refused .*\(127\.0\.0\.1\)"):
        fetch.fetch(base + "/catalog.ttl")


def test_unknown_remote_json_ld_context_is_refused_not_fetched(rdf_server, agencies, sysadmin):
    base, documents = rdf_server
    fetched = []

    def context(handler):
        fetched.append(handler.path)
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b'{"@context": {}}')
    documents["/context.jsonld"] = context
    doc = json.dumps({"@context": base + "/context.jsonld", "@id": "https://x.example/ds",
                      "@type": "http://www.w3.org/ns/dcat#Dataset"}).encode()
    tp.serve(documents, "/catalog.jsonld", doc)
    job_id, results = tp.run(tp.source(base + "/catalog.jsonld", agencies[0], sysadmin, "ld"), sysadmin)
    assert results == {} and fetched == []
    errors = tp.gather_errors(job_id, sysadmin)
    assert any("remote contexts are never fetched" in m for m in errors), errors


@pytest.mark.ckan_config("ckanext.dcat.max_file_size", 1)
def test_size_limit_without_content_length(rdf_server, agencies, sysadmin):
    base, documents = rdf_server
    big = catalog(1) + b"\n" + (b"# " + b"x" * 1000 + b"\n") * 1100

    def stream(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/turtle")
        handler.end_headers()
        handler.wfile.write(big)
    documents["/catalog.ttl"] = stream
    job_id, results = tp.run(tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "big"), sysadmin)
    assert results == {}
    assert any("larger than the harvest size limit of 1 MB" in m
               for m in tp.gather_errors(job_id, sysadmin))


# --- 6: once per job --------------------------------------------------------------------

def test_a_job_is_gathered_once(rdf_server, agencies, sysadmin):
    """`ckan harvester run-test` and the gather consumer may both get the same job: the
    second gather finds it claimed and creates nothing."""
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", catalog(1, 2))
    src = tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "once")
    job = tk.get_action("harvest_job_create")({"user": sysadmin["name"]},
                                              {"source_id": src["id"], "run": False})
    harvester = LygDCATRDFHarvester()
    first = harvester.gather_stage(HarvestJob.get(job["id"]))
    second = LygDCATRDFHarvester().gather_stage(HarvestJob.get(job["id"]))
    assert len(first) == 2 and second == []
    assert model.Session.query(HarvestObject).filter_by(harvest_job_id=job["id"]).count() == 2


# --- 8: safer defaults -------------------------------------------------------------------

def test_no_access_rights_from_a_trusted_source_waits_for_review(rdf_server, agencies, sysadmin):
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", catalog(1) + b"\n" + (
        b'<https://data.some.org/catalog/datasets/9> a <http://www.w3.org/ns/dcat#Dataset> ; '
        b'<http://purl.org/dc/terms/title> "\xe6\x97\xa0\xe6\x9d\x83\xe9\x99\x90\xe8\xaf\xb4\xe6\x98\x8e"@zh .'))
    src = tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "trusted-src", trusted=True)
    _, results = tp.run(src, sysadmin)
    copies = {guid: tp.show(r["dataset"]["id"]) for guid, r in results.items()}
    stated = copies["https://data.some.org/catalog/datasets/1"]
    unstated = copies["https://data.some.org/catalog/datasets/9"]
    assert stated["review_status"] == "published" and tp.extra(stated, "harvest_flags") is None
    assert unstated["review_status"] == "pending" and unstated["private"] is True
    assert tp.extra(unstated, "harvest_flags") == "no_access_rights"


def test_source_rights_text_kept_and_placeholder_items_not_exported(rdf_server, agencies, sysadmin, app):
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://data.some.org/catalog/datasets/7> a dcat:Dataset ; dct:title \"公交刷卡数据\"@zh-CN ;\n"
        "  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ;\n"
        "  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://apply.some.org/7> ;\n"
        "    dct:rights [ a dct:RightsStatement ; rdfs:label \"仅限交通研究机构申请使用\"@zh ] ] .\n").encode())
    _, results = tp.run(tp.source(base + "/catalog.ttl", agencies[0], sysadmin, "rights"), sysadmin)
    (copy,) = [tp.show(r["dataset"]["id"]) for r in results.values()]
    assert copy["open_type"] == "conditional"
    assert copy["open_conditions"] == "仅限交通研究机构申请使用"
    assert copy["name"] == "gong-jiao-shua-ka-shu-ju"
    ttl = app.get(f"/dataset/{copy['name']}.ttl",
                  headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert "来源目录未提供数据项" not in ttl and "source_unspecified" not in ttl
    assert "仅限交通研究机构申请使用" in ttl and "https://apply.some.org/7" in ttl
