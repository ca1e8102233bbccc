"""The demo portal shows the conditional-data workflow (`ckan lyg-opendata demo load`, make
run): a company's applications refused (reason and legal basis), approved and signed (an
active grant it downloads with, a usage report filed) and paused for more information; an
institute's application waiting for a decision; all through the actions by the right users;
loading twice adds nothing; the applicants' details never reach the public dataset."""
import json
import re

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access import grants
from ckanext.lyg_opendata.access.model import (
    Agreement, Application, ApplicationEvent, Grant, UsageReport)
from ckanext.lyg_opendata.cli import lyg_opendata
from ckanext.lyg_opendata.demo import loader

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

WATER = "lyg-water-saving"
INVEST = "lyg-government-investment-projects"


def load(cli, pw_file):
    result = cli.invoke(lyg_opendata, ["demo", "load", "--admin-password-file", str(pw_file)])
    assert result.exit_code == 0, result.output
    return result.output


def applications():
    out = {}
    for a in model.Session.query(Application).all():
        key = (model.Session.get(model.User, a.user_id).name,
               model.Session.get(model.Package, a.package_id).name, a.status)
        assert key not in out
        out[key] = a
    return out


def timeline(app):
    rows = model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.application_id == app.id).order_by(
        ApplicationEvent.created, ApplicationEvent.id).all()
    return [(e.action, model.Session.get(model.User, e.actor_id).name if e.actor_id else None)
            for e in rows]


def table_counts():
    return {cls.__name__: model.Session.query(cls).count()
            for cls in (Application, ApplicationEvent, Agreement, Grant, UsageReport)}


def test_demo_applications_in_every_state_with_an_active_grant(app, cli, tmp_path):
    pw_file = tmp_path / "pw"
    output = load(cli, pw_file)
    assert "applications +4" in output and "grants +1" in output
    assert "usage_reports +1" in output

    company = model.User.get("lyg-gangcheng")
    assert company is not None and company.fullname == "港城数据科技有限公司"
    for clerk, org in (("slj-clerk", "lyg-slj"), ("fgw-clerk", "lyg-fgw")):
        assert roles.is_agency_editor(model.User.get(clerk), model.Group.get(org).id)

    apps = applications()
    assert set(apps) == {
        ("lyg-gangcheng", WATER, "refused"),
        ("lyg-gangcheng", WATER, "approved"),
        ("lyg-gangcheng", INVEST, "info_requested"),
        ("lyg-jieshui-institute", WATER, "submitted"),
    }
    # each step by whoever takes it in the portal: the applicant, the owning agency's clerk
    refused = apps[("lyg-gangcheng", WATER, "refused")]
    assert timeline(refused) == [("submit", "lyg-gangcheng"), ("refuse", "slj-clerk")]
    assert "商业营销" in refused.refusal_reason
    assert "第十九条" in refused.refusal_basis
    paused = apps[("lyg-gangcheng", INVEST, "info_requested")]
    assert timeline(paused) == [("submit", "lyg-gangcheng"), ("request_info", "fgw-clerk")]
    assert "评估任务合同" in paused.info_request
    waiting = apps[("lyg-jieshui-institute", WATER, "submitted")]
    assert timeline(waiting) == [("submit", "lyg-jieshui-institute")]
    approved = apps[("lyg-gangcheng", WATER, "approved")]
    assert timeline(approved) == [("submit", "lyg-gangcheng"), ("approve", "slj-clerk"),
                                  ("agreement_signed", "lyg-gangcheng"),
                                  ("usage_report_submitted", "lyg-gangcheng")]
    assert approved.credit_code == "91320700MA1WGC202R"

    # the agreement is signed, the grant active over the dataset's one resource
    agreement = model.Session.query(Agreement).filter(
        Agreement.application_id == approved.id).one()
    assert agreement.applicant_signed_at is not None
    assert "港城数据科技有限公司" in agreement.text and "节水潜力评估" in agreement.text
    water = model.Package.get(WATER)
    resource_id = water.resources[0].id
    assert grants.granted_resource_ids("lyg-gangcheng", water.id) == {resource_id}
    assert grants.granted_resource_ids("lyg-jieshui-institute", water.id) == set()
    assert grants.granted_resource_ids("lyg-gangcheng", model.Package.get(INVEST).id) == set()
    grant = tk.get_action("lyg_opendata_grant_list")(
        {"user": "lyg-gangcheng"}, {"scope": "mine"})["results"]
    assert [(g["status"], g["package"]["name"]) for g in grant] == [("active", WATER)]
    reports = [r["status"] for r in grant[0]["reports"]]
    assert reports[0] == "submitted" and len(reports) >= 2
    # the agency sees its open work
    queue = tk.get_action("lyg_opendata_application_list")(
        {"user": "slj-clerk"}, {"scope": "agency", "status": "open"})
    assert [a["user_name"] for a in queue["results"]] == ["lyg-jieshui-institute"]

    # in the portal, logged in with the demo password, the company downloads the resource;
    # the institute (not yet decided) and visitors are refused
    path = f"/dataset/{WATER}/resource/{resource_id}/download"
    assert app.get(path, follow_redirects=False).status_code == 403
    password = pw_file.read_text().strip()
    resp = app.post("/user/login", data={"login": "lyg-jieshui-institute", "password": password},
                    follow_redirects=False)
    assert resp.status_code == 302
    assert app.get(path, follow_redirects=False).status_code == 403
    app.get("/user/_logout")
    resp = app.post("/user/login", data={"login": "lyg-gangcheng", "password": password},
                    follow_redirects=False)
    assert resp.status_code == 302
    resp = app.get(path, follow_redirects=True)
    assert resp.status_code == 200
    # the demo file itself, an XLSX workbook (a zip) generated for the dataset
    assert resp.data[:2] == b"PK"
    assert model.Resource.get(resource_id).url_type == "upload"


def test_demo_applicants_details_stay_off_the_public_datasets(cli, tmp_path):
    load(cli, tmp_path / "pw")
    data = loader.load_demo_data()
    secrets = [str(a[k]) for a in data["applicants"]
               for k in ("credit_code", "contact_phone", "contact_email", "contact_name")]
    assert len(secrets) == 8
    # the applications hold them (so the check below is not vacuous)
    held = json.dumps([[a.credit_code, a.contact_phone, a.contact_email, a.contact_name]
                       for a in model.Session.query(Application)], ensure_ascii=False)
    assert all(s in held for s in secrets)
    anonymous = {"user": ""}
    for name in (WATER, INVEST):
        shown = json.dumps(tk.get_action("package_show")(anonymous, {"id": name}),
                           ensure_ascii=False)
        found = tk.get_action("package_search")(anonymous, {"fq": f"name:{name}"})
        assert found["count"] == 1
        listed = json.dumps(found, ensure_ascii=False)
        for text in (shown, listed):
            assert not [s for s in secrets if s in text], name


def test_demo_applications_load_twice_adds_nothing(cli, tmp_path):
    pw_file = tmp_path / "pw"
    load(cli, pw_file)
    before = table_counts()
    assert before["Application"] == 4 and before["Grant"] == 1
    second = load(cli, pw_file)
    assert "applications +0, grants +0, usage_reports +0" in second
    assert "application of" not in second  # nothing taken further either
    assert table_counts() == before


def test_demo_without_password_makes_no_applications(cli):
    result = cli.invoke(lyg_opendata, ["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "applications +0" in result.output
    assert model.User.get("lyg-gangcheng") is None
    assert model.Session.query(Application).count() == 0


def test_demo_notices_are_written_in_the_portals_language(tmp_path):
    """The real command (a process, as cron and make run start it) runs the workflows in a
    request of the portal's default language: the notices it leaves (and the emails) are
    Chinese, not the English msgids."""
    import subprocess
    import sys
    from pathlib import Path

    from ckanext.lyg_opendata.notify import Notice

    ckan = Path(sys.executable).with_name("ckan")
    ini = Path(__file__).resolve().parents[2] / "test.ini"
    done = subprocess.run([str(ckan), "-c", str(ini), "lyg-opendata", "demo", "load",
                           "--admin-password-file", str(tmp_path / "pw")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    model.Session.remove()
    company = model.User.get("lyg-gangcheng")
    subjects = [n.subject for n in model.Session.query(Notice).filter(
        Notice.user_id == company.id)]
    assert subjects, "the company got no notice"
    assert any("申请" in s or "协议" in s or "授权" in s for s in subjects), subjects
    for subject in subjects:  # its applications' notices, and its showcase entry's decision
        assert re.search(r"[\u4e00-\u9fff]", subject), subject
        assert not re.search(r"[A-Za-z]{4,}", subject), subject
