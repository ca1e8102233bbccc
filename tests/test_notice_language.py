"""Notices made outside a request — by the job worker (``ckan jobs worker``), a harvest's
import stage or a ``ckan lyg-opendata`` command — are written in the portal's default
language (ckan.locale_default = zh_Hans_CN), not in English: clitools.portal_language."""
from __future__ import annotations

import flask
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import clitools
from ckanext.lyg_opendata.notify import Notice
from tests.data.conftest import run_jobs, upload  # noqa: F401
from tests.data.test_scan import _csv_with_ids

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")


def test_a_notice_made_by_the_job_worker_is_in_chinese(run_jobs, app, create_dataset, people):
    """The personal-data scan runs in the job worker (an RQ worker, as `ckan jobs worker`
    runs it: no request); its finding's notice to the agency's staff is stored, and shown on
    their notices page, in Chinese."""
    clerk = people["agency_editor"]
    ds = create_dataset(name="scanned-language", title="停车场名单")
    tk.get_action("resource_create")({"user": clerk["name"]}, {
        "package_id": ds["id"], "name": "名单", "format": "CSV", "url": "list.csv",
        "upload": upload(_csv_with_ids(), "list.csv")})
    assert not flask.has_request_context()
    run_jobs()
    [notice] = model.Session.query(Notice).filter(Notice.user_id == clerk["id"]).all()
    assert notice.subject == "数据集“停车场名单”的文件中发现个人信息"
    assert "自动扫描" in notice.body and "Personal data" not in notice.body
    page = app.get("/opendata/notices", headers={"Authorization": clerk["token"]}).body
    assert "数据集“停车场名单”的文件中发现个人信息" in page


def test_outside_a_request_texts_are_in_the_default_language():
    """The scope itself: English without it (what the worker had), Chinese within it, and
    nothing changed inside a request asked in English."""
    label = "Personal data found in a file of %s"
    assert not flask.has_request_context()
    with clitools.portal_language():
        assert tk._(label) == "数据集“%s”的文件中发现个人信息"
    from ckan.config.middleware import _internal_test_request_context as scope
    app = scope.app
    with app.test_request_context(environ_overrides={"CKAN_LANG": "en"}):
        with clitools.portal_language():
            assert tk._(label) == label


def test_a_notice_made_by_a_daily_command_is_in_chinese(cli, app, people, agency):
    """`ckan lyg-opendata disclosure remind` (cron): the agency's reminder is stored, and
    shown, in Chinese (every lyg-opendata command runs in the portal's language)."""
    import datetime as dt

    from ckan.cli.cli import ckan

    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
    from tests.disclosure.conftest import ctx, individual
    req = tk.get_action("lyg_opendata_disclosure_create")(
        ctx(people["registered"]), individual(organization=agency["id"]))
    row = model.Session.get(DisclosureRequest, req["id"])
    row.clock_start = dt.date(2020, 1, 6)
    model.repo.commit()
    result = cli.invoke(ckan, ["lyg-opendata", "disclosure", "remind", "--today", "2099-01-05"])
    assert result.exit_code == 0, result.output
    editor = people["agency_editor"]
    notices = model.Session.query(Notice).filter(Notice.user_id == editor["id"]).order_by(
        Notice.created.desc()).all()
    assert notices[0].subject == "待您答复的政府信息公开申请：1 件"
    page = app.get("/opendata/notices", headers={"Authorization": editor["token"]}).body
    assert "待您答复的政府信息公开申请：1 件" in page
