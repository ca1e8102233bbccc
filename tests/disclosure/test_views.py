"""The pages of disclosure on application through the test app: the form (field errors on
the page, never a 500), my applications, the queue with overdue flags, the application's
page for each role, the answer notice PDF and the downloads."""
import datetime as dt
import io

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure.model import DisclosureRequest

from tests.disclosure.conftest import RESIDENT_ID, individual

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def auth(user):
    return {"Authorization": user["token"]} if user else {}


def test_form_posts_an_application_and_shows_field_errors(app, people, agency, applicant):
    page = app.get("/opendata/disclosure/apply", headers=auth(applicant))
    assert page.status_code == 200 and "统一社会信用代码" in page.body and "自然人" in page.body
    form = {k: v for k, v in individual(organization=agency["name"]).items() if k != "accept_privacy"}
    bad = app.post("/opendata/disclosure/apply", headers=auth(applicant),
                   data={**form, "id_number": "110105194912310021", "phone": "123"})
    assert bad.status_code == 200
    assert "居民身份证号码无效" in bad.body or "resident identity card number is not valid" in bad.body
    assert 'id="field-id_number"' in bad.body and bad.body.count("error-block") >= 3
    ok = app.post("/opendata/disclosure/apply", headers=auth(applicant),
                  data={**form, "accept_privacy": "true"}, follow_redirects=False)
    assert ok.status_code == 302
    row = model.Session.query(DisclosureRequest).one()
    assert ok.headers["Location"].endswith(f"/opendata/disclosure/{row.id}")
    mine = app.get("/opendata/my-disclosure", headers=auth(applicant)).body
    assert row.number in mine


def test_anonymous_is_sent_to_log_in(app):
    response = app.get("/opendata/disclosure/apply", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_queue_flags_overdue_and_masks_nothing_for_the_agency(app, people, apply):
    late = apply()
    row = model.Session.get(DisclosureRequest, late["id"])
    row.clock_start = dt.date(2020, 1, 6)
    model.repo.commit()
    body = app.get("/opendata/disclosure", headers=auth(people["agency_editor"])).body
    assert late["number"] in body and "lyg-disclosure-overdue" in body and "王小明" in body
    assert app.get("/opendata/disclosure", headers=auth(people["registered"])).status_code == 403


@pytest.mark.parametrize("role, status", [("anonymous", 403), ("registered", 403),
                                          ("other_agency_editor", 403), ("agency_editor", 200),
                                          ("supervisor", 200), ("applicant", 200)])
def test_application_page_by_role(app, people, applicant, apply, role, status):
    req = apply()
    user = applicant if role == "applicant" else people[role]
    response = app.get(f"/opendata/disclosure/{req['id']}", headers=auth(user))
    assert response.status_code == status
    if status == 200:
        assert RESIDENT_ID in response.body
        has_answer_form = "lyg-disclosure-answer-form" in response.body
        assert has_answer_form == (role == "agency_editor")
        assert ("lyg-disclosure-withdraw" in response.body) == (role == "applicant")


def test_unknown_page_and_action_are_404(app, people, apply):
    req = apply()
    assert app.get("/opendata/disclosure/nope", headers=auth(people["sysadmin"])).status_code == 404
    assert app.post(f"/opendata/disclosure/{req['id']}/explode",
                    headers=auth(people["sysadmin"])).status_code == 404


def test_answer_through_the_page_and_the_notice_pdf(app, people, applicant, apply):
    req = apply()
    url = f"/opendata/disclosure/{req['id']}"
    # missing reasons: a flash error, not a 500
    response = app.post(url + "/answer", headers=auth(people["agency_editor"]),
                        data={"outcome": "withheld", "answer_text": "不予公开。"})
    assert response.status_code == 200
    assert model.Session.get(DisclosureRequest, req["id"]).status == "received"
    response = app.post(url + "/answer", headers=auth(people["agency_editor"]), data={
        "outcome": "partial", "answer_text": "现将可以公开的部分提供给您。",
        "withheld_category": "third_party", "withheld_reason": "涉及投标人的商业秘密。",
        "legal_basis": "《中华人民共和国政府信息公开条例》第十五条",
        "file": (io.BytesIO(b"%PDF-1.4 tender"), "招标文件.pdf")}, follow_redirects=False)
    assert response.status_code == 302
    page = app.get(url, headers=auth(applicant)).body
    assert "部分公开" in page and ("行政复议" in page or "reconsideration" in page)
    pdf = app.get(url + "/notice.pdf", headers=auth(applicant))
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    # the agreements' font, embedded as a subset
    assert b"+WenQuanYiMicroHei" in pdf.data and b"/FontFile2" in pdf.data
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    for words in ("政府信息公开申请答复告知书", req["number"], "部分公开", "第十五条", "行政复议",
                  "市交通运输局"):
        assert words in text.replace("\n", ""), words
    assert app.get(url + "/notice.pdf", headers=auth(people["registered"])).status_code == 403
    got = app.get(url + "/file", headers=auth(applicant))
    assert got.status_code == 200 and got.data == b"%PDF-1.4 tender"
    assert app.get(url + "/file", headers=auth(people["other_agency_editor"])).status_code == 403


def test_letter_registration_page(app, people, agency, monkeypatch):
    from ckanext.lyg_opendata import workdays
    monkeypatch.setattr(workdays, "today_beijing", lambda now=None: dt.date(2026, 9, 21))
    page = app.get("/opendata/disclosure/register", headers=auth(people["agency_editor"]))
    assert page.status_code == 200 and "信函" in page.body
    assert app.get("/opendata/disclosure/register", headers=auth(people["registered"])).status_code == 403
    form = {k: v for k, v in individual(organization=agency["name"]).items() if k != "accept_privacy"}
    response = app.post("/opendata/disclosure/register", headers=auth(people["agency_editor"]),
                        data={**form, "channel": "letter", "delivery": "post",
                              "received_on": "2026-09-18",
                              "letter": (io.BytesIO(b"%PDF-1.4 scan"), "来信.pdf")},
                        follow_redirects=False)
    assert response.status_code == 302
    row = model.Session.query(DisclosureRequest).one()
    assert row.channel == "letter" and row.user_id is None and row.letter_path
    assert row.received_on == row.clock_start == dt.date(2026, 9, 18)
    got = app.get(f"/opendata/disclosure/{row.id}/letter", headers=auth(people["supervisor"]))
    assert got.status_code == 200 and got.data == b"%PDF-1.4 scan"


def test_printable_letter_notices_for_an_applicant_who_wrote_by_letter(app, people, agency):
    """补正 and 延期 notices as PDFs to post, for the handling agency only; online
    applicants get none (they read the notices in the portal)."""
    register = tk.get_action("lyg_opendata_disclosure_register")
    made = register({"user": people["agency_editor"]["name"]}, {
        **{k: v for k, v in individual(organization=agency["id"]).items() if k != "accept_privacy"},
        "channel": "letter", "delivery": "post"})
    url = f"/opendata/disclosure/{made['id']}"
    assert app.get(url + "/letter-notice/request_correction.pdf",
                   headers=auth(people["agency_editor"])).status_code == 404  # not asked yet
    tk.get_action("lyg_opendata_disclosure_request_correction")(
        {"user": people["agency_editor"]["name"]}, {"id": made["id"], "text": "请写明文件的名称或文号。"})
    page = app.get(url, headers=auth(people["agency_editor"])).body
    assert 'data-kind="request_correction"' in page and 'data-kind="extend"' not in page
    pdf = app.get(url + "/letter-notice/request_correction.pdf", headers=auth(people["agency_editor"]))
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert b"+WenQuanYiMicroHei" in pdf.data and b"/FontFile2" in pdf.data
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).replace(" ", "")
    assert "政府信息公开申请补正告知书" in text and "请写明文件的名称或文号" in text
    assert "连云港市海州区朝阳东路1号" in text and "王小明" in text  # the address block
    for role in ("anonymous", "registered", "other_agency_editor", "supervisor"):
        assert app.get(url + "/letter-notice/request_correction.pdf",
                       headers=auth(people[role])).status_code == 403, role
    assert app.get(url + "/letter-notice/answer.pdf",
                   headers=auth(people["agency_editor"])).status_code == 404
