"""Verified organisations on applications (issue 20 item 2): an application as an
organisation needs a verified link when configured; the agency handling it sees 已核验, by
whom and when, and the applicant's real-name status; nobody else sees them. The pages of
links and the letter download (claimant and supervisors only)."""
from __future__ import annotations

import io

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.access.conftest import applicant, apply, cond_dataset, form_data  # noqa: F401
from tests.identity.test_org_links import PDF, act, claim, letter

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CODE = "91440300708461136T"  # form_data's credit code


def test_applying_as_an_organisation_needs_a_verified_link_when_configured(
        people, applicant, apply, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.lyg_opendata.identity.require_verified_org", True)
    with pytest.raises(tk.ValidationError) as err:
        apply()
    assert list(err.value.error_dict) == ["credit_code"]
    link = claim(applicant, org_name="连云港某某交通科技有限公司", credit_code=CODE)
    with pytest.raises(tk.ValidationError):
        apply()                                       # submitted is not verified
    act("lyg_opendata_org_link_verify", people["supervisor"], id=link["id"])
    with pytest.raises(tk.ValidationError):
        apply(credit_code="91110108551385082Q")       # verified for another organisation only
    app = apply()
    assert app["status"] == "submitted"
    # an individual needs no link
    other = factories.UserWithToken()
    with pytest.raises(tk.ValidationError):
        apply(user=other)
    assert apply(user=other, applicant_type="individual", applicant_name="张三")["status"] == "submitted"


def test_without_the_requirement_the_agency_still_sees_whether_it_is_verified(people, applicant, apply):
    assert not tk.asbool(tk.config.get("ckanext.lyg_opendata.identity.require_verified_org"))
    unverified = apply()
    seen = act("lyg_opendata_application_show", people["agency_editor"], id=unverified["id"])
    assert seen["identity"]["organisation"]["verified"] is False
    assert seen["identity"]["real_name"] is False
    act("lyg_opendata_application_withdraw", applicant, id=unverified["id"])

    link = claim(applicant, org_name="连云港某某交通科技有限公司", credit_code=CODE)
    done = act("lyg_opendata_org_link_verify", people["supervisor"], id=link["id"])
    act("lyg_opendata_real_name_verify", people["supervisor"], user=applicant["name"], note="窗口查验身份证")
    app = apply()
    seen = act("lyg_opendata_application_show", people["agency_editor"], id=app["id"])
    org = seen["identity"]["organisation"]
    assert (org["verified"], org["verified_by"], org["verified_at"]) == (
        True, people["supervisor"]["name"], done["decided_at"])
    assert seen["identity"]["real_name"] is True and seen["identity"]["real_name_source"] == "staff"


def test_agency_page_shows_verified_by_whom_and_others_see_nothing(app, people, applicant, apply):
    link = claim(applicant, org_name="连云港某某交通科技有限公司", credit_code=CODE)
    act("lyg_opendata_org_link_verify", people["supervisor"], id=link["id"])
    application = apply()
    body = app.get(f"/en/opendata/application/{application['id']}",
                   headers={"Authorization": people["agency_editor"]["token"]}).body
    assert 'class="lyg-org-verified"' in body and "Verified" in body
    assert "大数据局审核员" in body                   # the supervisor's name
    assert "lyg-applicant-real-name" in body
    # another agency's editor sees no identity (the application itself is refused to them)
    for who in ("other_agency_editor", "registered"):
        res = app.get(f"/en/opendata/application/{application['id']}",
                      headers={"Authorization": people[who]["token"]})
        assert "lyg-org-verified" not in res.body and "lyg-applicant-real-name" not in res.body
        with pytest.raises(tk.NotAuthorized):
            act("lyg_opendata_application_show", people[who], id=application["id"])


# --- pages and the letter -------------------------------------------------------------------

def test_letter_reaches_only_the_claimant_and_supervisors(app, people, applicant):
    link = claim(applicant)
    url = f"/opendata/org-links/{link['id']}/letter"
    for who in ("registered", "other_agency_editor", "agency_editor", "agency_admin"):
        res = app.get(url, headers={"Authorization": people[who]["token"]})
        assert res.status_code == 403 and PDF[:20].decode("latin-1") not in res.body
    res = app.get(url, follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]
    for user in (applicant, people["supervisor"], people["sysadmin"]):
        res = app.get(url, headers={"Authorization": user["token"]})
        assert res.status_code == 200 and res.data == PDF
        assert res.headers["Content-Disposition"].startswith("attachment;")
        assert res.headers["Content-Type"] == "application/pdf"
        assert res.headers["X-Content-Type-Options"] == "nosniff"
    app.get("/opendata/org-links/no-such-link/letter",
            headers={"Authorization": people["supervisor"]["token"]}, status=404)


def test_my_organisations_page_claims_with_a_letter(app, applicant):
    auth = {"Authorization": applicant["token"]}
    body = app.get("/en/user/organisations", headers=auth).body
    assert 'id="lyg-org-link-form"' in body
    res = app.post("/en/user/organisations", headers=auth, data={
        "org_name": "连云港港城科技有限公司", "credit_code": "91440300708461136",
        "letter": (io.BytesIO(PDF), "授权书.pdf")})
    assert res.status_code == 200 and "not a valid unified social credit code" in res.body
    res = app.post("/en/user/organisations", headers=auth, data={
        "org_name": "连云港港城科技有限公司", "credit_code": CODE,
        "letter": (io.BytesIO(b"plain text, not a letter " * 100), "letter.pdf")}, follow_redirects=False)
    assert res.status_code == 200 and "must be one of these types" in res.body
    res = app.post("/en/user/organisations", headers=auth, data={
        "org_name": "连云港港城科技有限公司", "credit_code": CODE,
        "letter": (io.BytesIO(PDF), "授权书.pdf")}, follow_redirects=False)
    assert res.status_code == 302
    body = app.get("/en/user/organisations", headers=auth).body
    assert f'id="lyg-org-link-{CODE}"' in body and "Awaiting verification" in body


def test_supervisor_queue_verifies_and_refuses(app, people, applicant):
    first = claim(applicant, credit_code=CODE)
    second = claim(applicant, org_name="连云港物流有限公司", credit_code="91110108551385082Q",
                   upload=letter())
    sup = {"Authorization": people["supervisor"]["token"]}
    for who in ("registered", "agency_admin"):
        app.get("/opendata/org-links", headers={"Authorization": people[who]["token"]}, status=403)
    body = app.get("/en/opendata/org-links", headers=sup).body
    assert first["id"] in body and second["id"] in body
    res = app.post("/en/opendata/org-links", headers=sup, data={"id": second["id"], "verb": "refuse", "reason": ""})
    assert res.status_code == 200 and "Give the reason for the refusal" in res.body
    app.post("/en/opendata/org-links", headers=sup, data={"id": second["id"], "verb": "refuse", "reason": "无公章"})
    app.post("/en/opendata/org-links", headers=sup, data={"id": first["id"], "verb": "verify"})
    assert act("lyg_opendata_org_link_show", applicant, id=first["id"])["status"] == "verified"
    assert act("lyg_opendata_org_link_show", applicant, id=second["id"])["status"] == "refused"
    body = app.get(f"/en/opendata/org-links/members/{CODE}", headers=sup).body
    assert applicant["name"] in body
    app.get(f"/opendata/org-links/members/{CODE}",
            headers={"Authorization": people["agency_admin"]["token"]}, status=403)
