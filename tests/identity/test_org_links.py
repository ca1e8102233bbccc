"""Verified organisations (issue 20 item 2) through the action API: a user claims to act for
an organisation with its 统一社会信用代码 and a letter kept in CKAN's file storage; supervisors
verify or refuse with a reason; the role matrix of every action; the letter and personal
details reach nobody else."""
from __future__ import annotations

import io

import pytest
from stdnum.cn import uscc
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.identity import organisations as orgs
from ckanext.lyg_opendata.identity.org_model import OrgLink
from ckanext.lyg_opendata.notify import Notice
from tests.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def code(body="91320700MA1LYG001"):
    return body + uscc.calc_check_digit(body)


CODE = code()
OTHER_CODE = code("91320700MA1LYG002")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b" " * 2000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 64


def letter(data=PDF, name="授权书.pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def ctx(user):
    return {"user": user["name"] if user else "", "model": model}


def act(name, who, **data):
    return tk.get_action(name)(ctx(who), data)


def claim(user, org_name="连云港港城科技有限公司", credit_code=CODE, upload=None):
    return act("lyg_opendata_org_link_create", user, org_name=org_name,
               credit_code=credit_code, letter=upload or letter())


def test_claim_verify_and_the_agency_facing_verification(people):
    rep = people["registered"]
    link = claim(rep)
    assert (link["status"], link["credit_code"], link["letter_type"]) == ("submitted", CODE, "application/pdf")
    assert link["letter_size"] == len(PDF)
    # the letter is in the configured storage, byte for byte
    row = model.Session.get(OrgLink, link["id"])
    assert row.letter_storage == "lyg_letters" and orgs.letter_content(row) == PDF
    assert not orgs.verification_of(rep["id"], CODE)["verified"]

    done = act("lyg_opendata_org_link_verify", people["supervisor"], id=link["id"])
    assert done["status"] == "verified" and done["decided_by"] == people["supervisor"]["name"]
    seen = orgs.verification_of(rep["id"], CODE.lower())
    assert seen["verified"] and seen["verified_by"] == people["supervisor"]["name"]
    assert seen["verified_at"] == done["decided_at"]
    events = act("lyg_opendata_org_link_show", rep, id=link["id"])["events"]
    assert [(e["action"], e["to_status"]) for e in events] == [("create", "submitted"), ("verify", "verified")]
    # the claimant got a notice
    assert model.Session.query(Notice).filter(Notice.user_id == rep["id"]).count() == 1
    # the supervisors see the organisation's verified members
    members = act("lyg_opendata_org_member_list", people["supervisor"], credit_code=CODE)
    assert [m["user_name"] for m in members["results"]] == [rep["name"]]


def test_one_user_acts_for_several_organisations_and_refusal_needs_a_reason(people):
    rep = people["registered"]
    first = claim(rep)
    second = claim(rep, org_name="连云港物流有限公司", credit_code=OTHER_CODE, upload=letter(PNG, "letter.png"))
    assert second["letter_type"] == "image/png"
    with pytest.raises(tk.ValidationError) as err:
        act("lyg_opendata_org_link_refuse", people["supervisor"], id=second["id"])
    assert "reason" in err.value.error_dict
    refused = act("lyg_opendata_org_link_refuse", people["supervisor"], id=second["id"],
                  reason="授权书未加盖公章")
    assert refused["status"] == "refused" and refused["decision_reason"] == "授权书未加盖公章"
    # a refused link cannot be verified afterwards
    with pytest.raises(tk.ValidationError) as err:
        act("lyg_opendata_org_link_verify", people["supervisor"], id=second["id"])
    assert "status" in err.value.error_dict
    act("lyg_opendata_org_link_verify", people["supervisor"], id=first["id"])
    # after the refusal a new claim for the same organisation may be made
    again = claim(rep, org_name="连云港物流有限公司", credit_code=OTHER_CODE)
    mine = act("lyg_opendata_org_link_list", rep)
    assert mine["count"] == 3
    assert {r["id"] for r in mine["results"]} == {first["id"], second["id"], again["id"]}
    # a second open claim for the same organisation is refused
    with pytest.raises(tk.ValidationError) as err:
        claim(rep)
    assert "credit_code" in err.value.error_dict
    # the claimant withdraws the verified link: no longer verified
    act("lyg_opendata_org_link_withdraw", rep, id=first["id"])
    assert not orgs.verification_of(rep["id"], CODE)["verified"]


@pytest.mark.parametrize("field,value,upload", [
    ("credit_code", "91320700MA1LYG00", None),          # wrong length
    ("credit_code", CODE[:-1] + ("0" if CODE[-1] != "0" else "1"), None),  # wrong check char
    ("credit_code", "", None),
    ("org_name", "", None),
    ("org_name", "名" * 201, None),
    ("letter", None, "missing"),
    ("letter", None, "text"),                            # a text file named .pdf
    ("letter", None, "exe"),
    ("letter", None, "empty"),
    ("letter", None, "large"),
])
def test_bad_input_is_a_field_error_and_nothing_is_written(people, field, value, upload):
    data = {"org_name": "连云港港城科技有限公司", "credit_code": CODE, "letter": letter()}
    if value is not None or upload is None:
        data[field] = value
    if upload == "missing":
        data.pop("letter")
    elif upload == "text":
        data["letter"] = letter("这是一封授权书，不是 PDF。\n".encode() * 50, "letter.pdf")
    elif upload == "exe":
        data["letter"] = letter(b"MZ\x90\x00" + b"\x00" * 2000, "letter.pdf")
    elif upload == "empty":
        data["letter"] = letter(b"", "letter.pdf")
    elif upload == "large":
        data["letter"] = letter(PDF + b" " * (5 * 1024 * 1024), "letter.pdf")
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_org_link_create")(ctx(people["registered"]), data)
    assert list(err.value.error_dict) == [field]
    assert model.Session.query(OrgLink).count() == 0


def test_letter_through_the_http_api(app, people):
    rep = people["registered"]
    res = app.post("/api/action/lyg_opendata_org_link_create",
                   headers={"Authorization": rep["token"]},
                   data={"org_name": "连云港港城科技有限公司", "credit_code": CODE,
                         "letter": (io.BytesIO(PDF), "授权书.pdf")})
    assert res.status_code == 200, res.body
    assert res.json["result"]["letter_type"] == "application/pdf"
    res = app.post("/api/action/lyg_opendata_org_link_create",
                   headers={"Authorization": rep["token"]},
                   data={"org_name": "连云港物流有限公司", "credit_code": OTHER_CODE,
                         "letter": (io.BytesIO(b"<html><script>alert(1)</script></html>" * 80), "a.pdf")})
    assert res.status_code == 409 and "letter" in res.json["error"]


# --- who may do what ------------------------------------------------------------------------

ALLOWED = {
    "create": {"registered", "other_agency_editor", "agency_editor", "agency_admin", "supervisor",
               "sysadmin", "applicant"},
    "list": {"registered", "other_agency_editor", "agency_editor", "agency_admin", "supervisor",
             "sysadmin", "applicant"},
    # the claimant in these tests is the applicant, not one of the role users
    "show": {"applicant", "supervisor", "sysadmin"},
    "verify": {"supervisor", "sysadmin"},
    "refuse": {"supervisor", "sysadmin"},
    "withdraw": {"applicant"},
    "member_list": {"supervisor", "sysadmin"},
    "real_name_verify": {"supervisor", "sysadmin"},
    "real_name_show": {"applicant", "supervisor", "sysadmin"},
}


@pytest.fixture
def applicant():
    from ckan.tests import factories
    return factories.UserWithToken(fullname="李华")


@pytest.mark.parametrize("verb", sorted(ALLOWED))
def test_role_matrix(people, applicant, verb):
    """Each role in turn, on a fresh link of ``applicant`` (anonymous, registered user, other
    agency's editor, agency editor and admin, supervisor, sysadmin, and the claimant)."""
    name = {"member_list": "lyg_opendata_org_member_list",
            "real_name_verify": "lyg_opendata_real_name_verify",
            "real_name_show": "lyg_opendata_real_name_show"}.get(verb, f"lyg_opendata_org_link_{verb}")
    for i, role in enumerate(ROLES + ["applicant"]):
        user = applicant if role == "applicant" else people[role]
        link = claim(applicant, credit_code=code(f"91320700MA1LYG{i:03d}"))
        data = {
            "create": {"org_name": "连云港物流有限公司", "credit_code": code(f"91320700MA2LYG{i:03d}"),
                       "letter": letter()},
            "list": {},
            "show": {"id": link["id"]},
            "verify": {"id": link["id"]},
            "refuse": {"id": link["id"], "reason": "不符"},
            "withdraw": {"id": link["id"]},
            "member_list": {"credit_code": CODE},
            "real_name_verify": {"user": applicant["name"], "note": "窗口查验身份证"},
            "real_name_show": {"user": applicant["name"]},
        }[verb]
        if role in ALLOWED[verb]:
            tk.get_action(name)(ctx(user), data)
        else:
            with pytest.raises(tk.NotAuthorized):
                tk.get_action(name)(ctx(user), data)
                pytest.fail(f"{role} was allowed to {verb}")
            assert model.Session.get(OrgLink, link["id"]).status == "submitted", role


def test_list_shows_only_own_links_except_to_supervisors(people, applicant):
    claim(applicant)
    assert act("lyg_opendata_org_link_list", people["agency_editor"])["count"] == 0
    assert act("lyg_opendata_org_link_list", people["supervisor"])["count"] == 0
    assert act("lyg_opendata_org_link_list", people["agency_editor"], mine=False)["count"] == 0
    assert act("lyg_opendata_org_link_list", people["supervisor"], mine=False)["count"] == 1


def test_unknown_link_is_not_found(people):
    for verb in ("show", "verify", "refuse", "withdraw"):
        with pytest.raises(tk.ObjectNotFound):
            act(f"lyg_opendata_org_link_{verb}", people["supervisor"], id="no-such-link")


def test_staff_real_name_check(people, applicant):
    assert not act("lyg_opendata_real_name_show", applicant, user=applicant["name"])["verified"]
    with pytest.raises(tk.ValidationError) as err:
        act("lyg_opendata_real_name_verify", people["supervisor"], user=applicant["name"], note=" ")
    assert "note" in err.value.error_dict
    out = act("lyg_opendata_real_name_verify", people["supervisor"], user=applicant["name"],
              note="窗口查验身份证")
    assert out["verified"] and out["source"] == "staff"
    assert out["verified_by"] == people["supervisor"]["name"]
