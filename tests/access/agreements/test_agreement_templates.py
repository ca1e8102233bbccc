"""The model text (协议示范文本): versions written by sysadmins, never edited; placeholders
checked; a preview; agreements keep the text frozen when they were generated."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access.agreements import texts
from ckanext.lyg_opendata.access.model import Agreement, AgreementTemplate


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def act(name, user, **data):
    return tk.get_action(name)({"user": user["name"]}, data)


def headers(user):
    return {"Authorization": user["token"]} if user else {}


def test_versions_are_added_never_edited_and_old_agreements_keep_their_text(
        approve, people, sysadmin):
    first = approve()
    text_before = model.Session.get(Agreement, first).text
    v2 = act("lyg_opendata_agreement_template_create", sysadmin, title="协议（第二版）",
             body="第二版：{agency} 与 {applicant} 就 {dataset_title} 签订协议 {agreement_number}",
             note="简化")
    assert v2["version"] == 2 and v2["created_by"] == sysadmin["name"]
    second = approve(user=people["registered"])
    assert model.Session.get(Agreement, second).text.startswith("第二版：市交通运输局 与 ")
    assert model.Session.get(Agreement, second).template_version == 2
    assert model.Session.get(Agreement, first).text == text_before
    versions = act("lyg_opendata_agreement_template_list", people["supervisor"])
    assert [v["version"] for v in versions] == [2, 1]
    assert act("lyg_opendata_agreement_template_show", people["supervisor"], version=1)["body"] \
        == texts.default_text()
    assert act("lyg_opendata_agreement_template_show", people["supervisor"])["version"] == 2
    assert model.Session.query(AgreementTemplate).count() == 2


@pytest.mark.parametrize("body, message", [
    ("协议 {agency} {unknown_party}", "{unknown_party}"),
    ("协议 {agency.__class__}", "{agency.__class__}"),
    ("协议 {agency!r}", "{agency!r}"),
    ("协议 {0}", "{0}"),
    ("协议 {agency", "brace"),
    ("没有占位符的文本", "placeholder"),
])
def test_bad_placeholders_are_field_errors(sysadmin, body, message):
    for action in ("lyg_opendata_agreement_template_create",
                   "lyg_opendata_agreement_template_preview"):
        with pytest.raises(tk.ValidationError) as err:
            act(action, sysadmin, title="协议", body=body)
        assert list(err.value.error_dict) == ["body"]
        assert message in err.value.error_dict["body"][0]
    assert model.Session.query(AgreementTemplate).count() == 0


def test_literal_braces_and_required_fields(sysadmin):
    result = act("lyg_opendata_agreement_template_preview", sysadmin, title="协议",
                 body="{{注}} {agency}")
    assert result["text"] == "{注} 连云港市交通运输局"
    with pytest.raises(tk.ValidationError) as err:
        act("lyg_opendata_agreement_template_create", sysadmin, title="", body="")
    assert set(err.value.error_dict) == {"title", "body"}


def test_current_version_before_any_is_stored_is_the_shipped_text(people):
    shown = act("lyg_opendata_agreement_template_show", people["supervisor"])
    assert shown["version"] == 1 and shown["body"] == texts.default_text()
    assert model.Session.query(AgreementTemplate).count() == 0
    with pytest.raises(tk.ObjectNotFound):
        act("lyg_opendata_agreement_template_show", people["supervisor"], version=7)


def test_the_shipped_text_uses_only_known_placeholders():
    assert texts.template_errors(texts.default_text()) == []


# --- the admin page -------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("anonymous", 403), ("registered", 403),
                                          ("agency_admin", 403), ("supervisor", 200),
                                          ("sysadmin", 200)])
def test_the_admin_page_by_role(app, people, role, status):
    res = app.get("/opendata/agreement-templates", headers=headers(people[role]), status=status)
    if status == 200:
        form = BeautifulSoup(res.body, "html.parser").select_one("form.lyg-template-form")
        assert (form is not None) == (role == "sysadmin")
    res = app.post("/opendata/agreement-templates", headers=headers(people[role]),
                   data={"title": "协议", "body": "{agency}"}, follow_redirects=False)
    assert res.status_code == (302 if role == "sysadmin" else 403)


def test_preview_then_save_on_the_page(app, people):
    admin = people["sysadmin"]
    body = "甲方：{agency}\n乙方：{applicant}\n编号：{agreement_number}"
    res = app.post("/opendata/agreement-templates", headers=headers(admin),
                   data={"title": "新协议", "body": body, "preview": "1"}, status=200)
    page = BeautifulSoup(res.body, "html.parser")
    assert "甲方：连云港市交通运输局" in page.select_one(".lyg-template-preview").get_text()
    assert model.Session.query(AgreementTemplate).count() == 0
    res = app.post("/opendata/agreement-templates", headers=headers(admin),
                   data={"title": "新协议", "body": body + " {nope}"}, status=400)
    errors = BeautifulSoup(res.body, "html.parser").select_one(".lyg-template-errors").get_text()
    assert "{nope}" in errors
    res = app.post("/opendata/agreement-templates", headers=headers(admin),
                   data={"title": "新协议", "body": body, "note": "第二版"},
                   follow_redirects=False, status=302)
    assert res.headers["Location"].endswith("/opendata/agreement-templates/2")
    res = app.get("/opendata/agreement-templates/2", headers=headers(admin), status=200)
    assert "乙方：{applicant}" in BeautifulSoup(res.body, "html.parser").select_one(
        ".lyg-template-body").get_text()
    res = app.get("/opendata/agreement-templates", headers=headers(admin), status=200)
    rows = BeautifulSoup(res.body, "html.parser").select("tr.lyg-template-version")
    assert [r["data-version"] for r in rows] == ["2", "1"]
