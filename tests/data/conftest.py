"""Fixtures of the data tests: the job queue run for real (an in-process RQ worker on the
slot's Redis, burst mode) against the test app served over HTTP, which is where
ckanext-xloader downloads uploads from and posts its callbacks to."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk


@pytest.fixture
def run_jobs(clean_queues):
    """Run every queued job (and those they queue) in this process, then return."""
    from rq import SimpleWorker
    from ckan.lib import jobs

    def run() -> None:
        queue = jobs.get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        from ckan import model
        model.Session.remove()
    return run


@pytest.fixture
def xloader(live_server, monkeypatch, run_jobs):
    """xloader configured as in production: the site user's API token, the portal's
    address (the live server's)."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    token = tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": site}, {"user": site, "name": "xloader"})["token"]
    monkeypatch.setitem(tk.config, "ckanext.xloader.api_token", token)
    return live_server


def upload(content: bytes, filename: str, content_type: str = "text/csv") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=filename, content_type=content_type)
