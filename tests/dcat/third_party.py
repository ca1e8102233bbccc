"""Helpers of the harvest tests that serve vendored third-party catalogs
(``data/third-party/``, README there) over loopback into the real harvest path."""
import json
import os

import ckan.plugins.toolkit as tk

DATA = os.path.join(os.path.dirname(__file__), "data", "third-party")

CONTENT_TYPES = {".ttl": "text/turtle", ".rdf": "application/rdf+xml",
                 ".jsonld": "application/ld+json"}


def read(path: str) -> bytes:
    with open(os.path.join(DATA, path), "rb") as f:
        return f.read()


def serve(documents: dict, path: str, body: bytes, content_type: str | None = None) -> None:
    """Puts ``body`` at ``path`` of the loopback server with its content type."""
    content_type = content_type or CONTENT_TYPES[os.path.splitext(path)[1]]

    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", f"{content_type}; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    documents[path] = answer


def source(url: str, org: dict, sysadmin: dict, name: str, **config) -> dict:
    ctx = {"user": sysadmin["name"]}
    try:
        return tk.get_action("harvest_source_show")(ctx, {"id": name})
    except tk.ObjectNotFound:
        pass
    return tk.get_action("harvest_source_create")(ctx, {
        "name": name, "title": name, "url": url, "source_type": "lyg_dcat_rdf",
        "owner_org": org["id"], "config": json.dumps(config) if config else ""})


def run(source_dict: dict, sysadmin: dict):
    """One sync of the source through gather, fetch and import: (job id, results by guid)."""
    from ckanext.harvest.model import HarvestJob
    from ckanext.harvest.tests.lib import run_harvest_job
    from ckanext.lyg_opendata.dcat.harvester import LygDCATRDFHarvester
    job = tk.get_action("harvest_job_create")({"user": sysadmin["name"]},
                                              {"source_id": source_dict["id"], "run": False})
    return job["id"], run_harvest_job(HarvestJob.get(job["id"]), LygDCATRDFHarvester())


def report(job_id: str, sysadmin: dict) -> dict:
    """The job report read outside any request, so in English (its messages are stored as
    msgids and shown in the reader's language: test_harvest_messages.py)."""
    return tk.get_action("harvest_job_report")({"user": sysadmin["name"]}, {"id": job_id})


def object_errors(job_id: str, sysadmin: dict) -> list[str]:
    return [e["message"] for o in report(job_id, sysadmin)["object_errors"].values()
            for e in o["errors"]]


def gather_errors(job_id: str, sysadmin: dict) -> list[str]:
    return [e["message"] for e in report(job_id, sysadmin)["gather_errors"]]


def show(package_id: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})


def extra(dataset: dict, key: str):
    return next((e["value"] for e in dataset.get("extras", []) if e["key"] == key), None)
