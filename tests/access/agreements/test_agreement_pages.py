"""The agreement's page: who reads it, the sign form (POST with CSRF), the hash, the
printable page, the text and PDF downloads."""
from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

import ckan.model as model

from ckanext.lyg_opendata.access.model import Agreement, Grant

from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins")
# the tests between the read-only ones make their own world (they sign)
PER_TEST = pytest.mark.usefixtures("clean_db")


@pytest.fixture(scope="module")
def read_world(shared_db):
    """For the tests that only read pages: what ``approve``, ``people`` and ``grantee``
    build per test, in their order, and one approved agreement (the one those tests
    approve first): (agreement id, people, grantee)."""
    from tests.access.agreements.conftest import approver, make_cond_dataset, make_grantee
    from tests.conftest import (
        dataset_creator, make_agency, make_people, make_reviewer, make_sysadmin, publisher)
    sysadmin = make_sysadmin()
    agency = make_agency(sysadmin)
    create, publish = dataset_creator(sysadmin, agency), publisher(sysadmin, make_reviewer())
    cond_dataset = make_cond_dataset(lambda **kwargs: publish(create(**kwargs)))
    people = make_people(agency)
    grantee = make_grantee()
    return approver(cond_dataset, people, grantee)(), people, grantee
READERS = {"grantee", "agency_editor", "agency_admin", "supervisor", "sysadmin"}


def headers(user, **extra):
    return {**({"Authorization": user["token"]} if user else {}), **extra}


def soup(res):
    return BeautifulSoup(res.body, "html.parser")


@pytest.mark.parametrize("role", ROLES + ["grantee"])
def test_who_reads_the_agreement_and_who_sees_the_sign_form(app, read_world, role):
    agreement_id, people, grantee = read_world
    user = grantee if role == "grantee" else people[role]
    for path in ("", "/print", "/download.txt", "/download.pdf"):
        res = app.get(f"/opendata/agreement/{agreement_id}{path}", headers=headers(user))
        # supervisors read the terms on the page, not the frozen text with the applicant's
        # contact details (test_agreement_roles.py): its downloads are refused to them
        reads = role in READERS and not (role == "supervisor" and "download" in path)
        assert res.status_code == (200 if reads else 403), (role, path)
    if role in READERS - {"supervisor"}:
        page = soup(app.get(f"/opendata/agreement/{agreement_id}", headers=headers(user)))
        assert (page.select_one("form.lyg-agreement-sign") is not None) == (role == "grantee")
        stored = model.Session.get(Agreement, agreement_id)
        assert page.select_one(".lyg-agreement-sha256").get_text() == stored.sha256
        assert page.select_one(".lyg-agreement-text").get_text() == stored.text



@pytest.mark.parametrize("role, links", [
    ("grantee", {"/opendata/my-grants"}), ("registered", set()),
    ("agency_editor", {"/opendata/grants"}), ("supervisor", {"/opendata/grants"}),
    ("sysadmin", {"/opendata/grants", "/opendata/agreement-templates"})])
def test_the_navigation_shows_the_pages_to_those_who_use_them(app, read_world, role, links):
    _agreement_id, people, grantee = read_world
    user = grantee if role == "grantee" else people[role]
    # the pages are in the signed-in person's 工作台 menu (header) and page
    page = soup(app.get("/opendata/workbench", headers=headers(user)))
    hrefs = {a["href"] for a in page.select("a[href]")}
    ours = {"/opendata/my-grants", "/opendata/grants", "/opendata/agreement-templates"}
    assert hrefs & ours == links


@PER_TEST
def test_sign_on_the_page(app, approve, grantee, cond_dataset):
    agreement_id = approve()
    res = app.post(f"/opendata/agreement/{agreement_id}/sign", data={},
                   headers=headers(grantee), status=400)
    assert soup(res).select_one(".lyg-agreement-errors") is not None
    assert model.Session.query(Grant).count() == 0
    res = app.post(f"/opendata/agreement/{agreement_id}/sign", data={"accept": "true"},
                   headers=headers(grantee, **{"User-Agent": "Mozilla/5.0 (pytest)"}),
                   follow_redirects=False, status=302)
    assert res.headers["Location"].endswith(f"/opendata/agreement/{agreement_id}")
    stored = model.Session.get(Agreement, agreement_id)
    assert stored.applicant_sign_user_agent == "Mozilla/5.0 (pytest)"
    assert stored.applicant_sign_ip == "127.0.0.1"
    assert model.Session.query(Grant).filter(Grant.agreement_id == agreement_id).count() == 1
    page = soup(app.get(f"/opendata/agreement/{agreement_id}", headers=headers(grantee)))
    assert page.select_one("form.lyg-agreement-sign") is None
    assert "127.0.0.1" in page.select_one(".lyg-agreement-applicant-signature").get_text()
    # once signed, a second post is refused
    app.post(f"/opendata/agreement/{agreement_id}/sign", data={"accept": "true"},
             headers=headers(grantee), status=400)


@PER_TEST
def test_a_signed_in_browser_must_send_the_csrf_token(app, approve, grantee):
    agreement_id = approve()
    res = app.post(f"/opendata/agreement/{agreement_id}/sign", data={"accept": "true"},
                   environ_overrides={"REMOTE_USER": grantee["name"]}, follow_redirects=False)
    assert res.status_code in (400, 403)
    assert model.Session.query(Grant).count() == 0


@PER_TEST
def test_others_cannot_sign_on_the_page(app, approve, people):
    agreement_id = approve()
    for role in ("agency_editor", "sysadmin", "registered"):
        app.post(f"/opendata/agreement/{agreement_id}/sign", data={"accept": "true"},
                 headers=headers(people[role]), status=403)
    app.get("/opendata/agreement/no-such-id", headers=headers(people["sysadmin"]), status=404)
    assert model.Session.query(Grant).count() == 0


@PER_TEST
def test_downloads_carry_the_text_and_its_hash(app, approve, grantee):
    agreement_id = approve()
    stored = model.Session.get(Agreement, agreement_id)
    res = app.get(f"/opendata/agreement/{agreement_id}/download.txt", headers=headers(grantee))
    assert "attachment" in res.headers["Content-Disposition"]
    assert res.body.startswith(stored.text.rstrip("\n"))
    assert f"SHA-256: {stored.sha256}" in res.body
    printable = soup(app.get(f"/opendata/agreement/{agreement_id}/print", headers=headers(grantee)))
    assert printable.select_one(".lyg-agreement-text").get_text() == stored.text
    assert "@media print" in printable.select_one("style").get_text()


@PER_TEST
def test_the_pdf_holds_the_chinese_text(app, approve, grantee):
    agreement_id = approve()
    stored = model.Session.get(Agreement, agreement_id)
    res = app.get(f"/opendata/agreement/{agreement_id}/download.pdf", headers=headers(grantee))
    assert res.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(res.get_data()))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")
    for expected in ("公共数据有条件开放利用协议", "市交通运输局", "停车场收费明细", "连云港示例科技有限公司",
                     stored.number, stored.sha256):
        assert expected in text, expected
    # WenQuanYi Micro Hei (scripts/install.sh installs it) is embedded as a subset
    assert b"+WenQuanYiMicroHei" in res.get_data() and b"/FontFile2" in res.get_data()
