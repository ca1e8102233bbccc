"""PIPL right to deletion (issue 20 item 4): ``lyg_opendata_account_erase`` and its page — who
may (role matrix), the field-level refusals (confirmation, open applications, sysadmins),
what is erased and what is kept pseudonymised, the session ended, and a leak test: after the
deletion the person's name, full name, email and phone appear on no page or API answer."""
from __future__ import annotations

import re

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.audit import log as access_log
from ckanext.lyg_opendata.audit import seals as audit_seals
from ckanext.lyg_opendata.identity import erasure
from ckanext.lyg_opendata.identity.security.model import SecurityEvent
from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.participation.model import DataRequest, Rating
from tests.access.conftest import SECRET, cond_dataset, form_data  # noqa: F401

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis")

PASSWORD = "Erase-me-2026-ok"
FULLNAME = "隐私测试人甲"
EMAIL = "leak.person.seven@example.invalid"
PHONE = "13900007777"


def _erase(user, target=None, confirm=None):
    data = {"confirm": confirm if confirm is not None else (target or user)["name"]}
    if target:
        data["id"] = target["name"]
    return tk.get_action("lyg_opendata_account_erase")({"user": user["name"] if user else ""}, data)


def test_role_matrix(people):
    target = factories.User()
    # anonymous, another registered user, an agency admin, a supervisor: refused
    for role in ("anonymous", "registered", "agency_admin", "supervisor"):
        with pytest.raises(tk.NotAuthorized):
            _erase(people[role], target)
    assert model.User.get(target["id"]).state == "active"
    # the person themselves
    assert _erase(target)["pseudonym"] == erasure.pseudonym(target["id"])
    # a sysadmin, for someone else
    other = factories.User()
    assert _erase(people["sysadmin"], other)["pseudonym"].startswith("erased-")
    # an erased account is gone: a second erasure finds nothing
    with pytest.raises(tk.ObjectNotFound):
        _erase(people["sysadmin"], other, confirm=erasure.pseudonym(other["id"]))


def test_field_level_refusals(people):
    target = factories.User()
    with pytest.raises(tk.ValidationError) as err:
        _erase(target, confirm="not-my-name")
    assert list(err.value.error_dict) == ["confirm"]
    with pytest.raises(tk.ValidationError) as err:
        _erase(people["sysadmin"], people["sysadmin"])
    assert "id" in err.value.error_dict
    assert model.User.get(target["id"]).state == "active"


def test_open_applications_block_until_withdrawn(cond_dataset):  # noqa: F811
    person = factories.UserWithToken()
    app = tk.get_action("lyg_opendata_application_create")(
        {"user": person["name"]}, form_data(cond_dataset))
    with pytest.raises(tk.ValidationError) as err:
        _erase(person)
    assert "still being handled" in str(err.value.error_dict["id"])
    tk.get_action("lyg_opendata_application_withdraw")({"user": person["name"]}, {"id": app["id"]})
    _erase(person)
    row = model.Session.get(Application, app["id"])
    assert row is not None and row.contact_phone is None and row.contact_email is None
    assert row.applicant_name == "连云港某某交通科技有限公司"  # an organisation's name is kept


def test_page_translated_errors_and_the_session_ends(app):
    person = factories.UserWithToken(password=PASSWORD)
    app.post("/user/login", data={"login": person["name"], "password": PASSWORD})
    assert app.get("/user/identity", follow_redirects=False).status_code == 200
    res = app.post("/user/delete-account", data={"confirm": "wrong"})
    assert res.status_code == 400 and 'id="field-confirm"' in res.body and "error-block" in res.body
    res = app.post("/en/user/delete-account", data={"confirm": "wrong"})
    assert res.status_code == 400 and "to confirm the deletion" in res.body
    page = app.get("/en/user/delete-account").body
    assert 'id="lyg-retention"' in page and "Access log of conditional data" in page
    res = app.post("/user/delete-account", data={"confirm": person["name"]}, follow_redirects=False)
    assert res.status_code == 302
    # signed out; the old password and the API token are dead
    assert app.get("/user/identity", follow_redirects=False).status_code == 302
    res = app.post("/user/login", data={"login": person["name"], "password": PASSWORD},
                   follow_redirects=False)
    assert res.status_code == 200 and app.get("/user/identity", follow_redirects=False).status_code == 302
    res = app.get("/api/3/action/lyg_opendata_privacy_export",
                  headers={"Authorization": person["token"]}, status=403)
    [event] = model.Session.query(SecurityEvent).filter(SecurityEvent.kind == "account_erased").all()
    assert event.user_id == person["id"] and event.detail["by_self"] is True
    assert event.login == erasure.pseudonym(person["id"])


def test_sysadmin_page_needs_the_id_and_others_get_403(app, people):
    target = factories.User()
    as_admin = {"Authorization": people["sysadmin"]["token"]}
    as_other = {"Authorization": people["registered"]["token"]}
    app.get(f"/user/delete-account?id={target['name']}", headers=as_other, status=403)
    app.get(f"/user/privacy-data?id={target['name']}", headers=as_other, status=403)
    assert target["name"] in app.get(f"/user/delete-account?id={target['name']}", headers=as_admin).body
    res = app.post(f"/user/delete-account?id={target['name']}", headers=as_admin,
                   data={"confirm": target["name"]}, follow_redirects=False)
    assert res.status_code == 302
    assert model.User.get(target["id"]).state == "deleted"
    res = app.get("/user/delete-account", follow_redirects=False)  # anonymous: to the sign-in page
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]


def test_the_readable_export_page_and_the_json(app):
    person = factories.UserWithToken(fullname=FULLNAME, email=EMAIL)
    tk.get_action("lyg_opendata_data_request_create")({"user": person["name"]}, {
        "title": "公交站点客流数据", "description": "希望开放各公交站点的分时段客流统计数据。",
        "contact": PHONE})
    h = {"Authorization": person["token"]}
    page = app.get("/en/user/privacy-data", headers=h).body
    assert FULLNAME in page and EMAIL in page and "公交站点客流数据" in page
    assert 'id="lyg-privacy-data_requests"' in page and 'id="lyg-retention"' in page
    res = app.get("/user/privacy-data/export.json", headers=h)
    assert res.headers["Content-Type"].startswith("application/json")
    assert "attachment" in res.headers["Content-Disposition"]
    assert res.json["profile"]["email"] == EMAIL and len(res.json["data_requests"]) == 1
    assert app.get("/user/privacy-data", follow_redirects=False).status_code == 302
    # the public privacy notice lists the retention
    notice = app.get("/en/privacy").body
    assert 'id="lyg-retention"' in notice and "Security log" in notice


def test_the_readable_export_page_shows_labels_and_words_not_keys(app):
    """Column keys, codes, ids and ISO timestamps stay in the JSON; the page shows words."""
    person = factories.UserWithToken(fullname=FULLNAME, email=EMAIL)
    org = factories.Organization(title="市交通运输局")
    tk.get_action("lyg_opendata_data_request_create")({"user": person["name"]}, {
        "title": "公交站点客流数据", "description": "希望开放各公交站点的分时段客流统计数据。",
        "contact": PHONE, "organization": org["name"], "data_format": "api"})
    h = {"Authorization": person["token"]}
    page = app.get("/en/user/privacy-data", headers=h).body
    assert f"<dt>Contact</dt><dd>{PHONE}</dd>" in page
    assert "<dt>Status</dt><dd>Waiting to be routed</dd>" in page
    assert "<dt>Suggested organisation</dt><dd>市交通运输局</dd>" in page
    assert "<dt>contact</dt>" not in page and "<dt>status</dt>" not in page
    rows = page[page.index('id="lyg-privacy-memberships"'):page.index('id="lyg-retention"')]
    assert org["id"] not in rows and person["id"] not in rows
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", rows)
    # the code lists' own Chinese labels in the Chinese page
    zh = app.get("/user/privacy-data", headers=h).body
    assert "<dd>待分办</dd>" in zh and "<dd>数据接口（API）</dd>" in zh


def test_nothing_of_the_person_is_left_on_any_surface(app, people, published_dataset):
    pkg = published_dataset(name="open-bus-stops", title="公交站点")
    person = factories.UserWithToken(name="leak-person-seven", fullname=FULLNAME, email=EMAIL,
                                     password=PASSWORD)
    needles = [person["name"], FULLNAME, EMAIL, PHONE, "leak.person.seven"]
    ctx = {"user": person["name"]}
    # what the person leaves behind: a public data request with their name shown, a rating
    # with a comment, a suggestion, an objection, sign-ins, failed sign-ins, an access record
    req = tk.get_action("lyg_opendata_data_request_create")(ctx, {
        "title": "公交站点客流数据", "show_name": True, "contact": f"{EMAIL} {PHONE}",
        "description": f"我是{FULLNAME}，希望开放分时段客流统计，请联系 {PHONE}。"})
    tk.get_action("lyg_opendata_rating_rate")(ctx, {
        "package_id": pkg["id"], "quality": 4, "timeliness": 4, "usability": 5,
        "comment": "数据很好用"})
    tk.get_action("lyg_opendata_objection_create")(ctx, {
        "package_id": pkg["id"], "type": "error", "contact": PHONE,
        "description": f"站点名称有误，{FULLNAME}发现第三行站名拼写错误。"})
    app.post("/user/login", data={"login": person["name"], "password": "wrong-password"})
    app.post("/user/login", data={"login": EMAIL, "password": "wrong-password"})
    app.post("/user/login", data={"login": person["name"], "password": PASSWORD})
    access_log.append(user=person["name"], package_id=pkg["id"], resource_id=None, channel="ui")
    assert model.Session.query(Rating).count() == 1

    res = app.post("/user/delete-account", data={"confirm": person["name"]}, follow_redirects=False)
    assert res.status_code == 302
    model.Session.remove()

    # erased, and kept pseudonymised
    assert model.Session.query(Rating).count() == 0
    assert not model.Session.query(Notice).filter(Notice.user_id == person["id"]).count()
    kept = model.Session.get(DataRequest, req["id"])
    assert kept.requested_by == person["id"] and kept.contact is None and not kept.show_name
    assert FULLNAME not in kept.description and PHONE not in kept.description
    user = model.User.get(person["id"])
    assert (user.state, user.fullname, user.email) == ("deleted", None, None)
    # the access log record is unchanged in the database: the chain still verifies
    assert audit_seals.verify(progress=lambda s: None).ok

    anon, sysadmin = {}, {"Authorization": people["sysadmin"]["token"]}
    supervisor = {"Authorization": people["supervisor"]["token"]}
    agency = {"Authorization": people["agency_admin"]["token"]}
    pages = [
        (anon, f"/dataset/{pkg['name']}"), (anon, f"/dataset/{pkg['name']}/ratings"),
        (anon, "/opendata/data-requests"), (anon, f"/opendata/data-requests/{req['id']}"),
        (anon, "/user/"), (anon, f"/user/{person['name']}"),
        (agency, f"/opendata/data-requests/{req['id']}"), (agency, "/opendata/access-log"),
        (supervisor, f"/opendata/data-requests/{req['id']}"), (supervisor, "/opendata/access-log"),
        (sysadmin, "/ckan-admin/security-events"), (sysadmin, "/user/"),
        (sysadmin, f"/user/{erasure.pseudonym(person['id'])}"),
        (sysadmin, "/opendata/access-log/export.csv"),
    ]
    apis = [
        (anon, "user_list", {}), (sysadmin, "user_list", {}),
        (sysadmin, "user_show", {"id": person["id"]}),
        (anon, "lyg_opendata_data_request_show", {"id": req["id"]}),
        (supervisor, "lyg_opendata_data_request_show", {"id": req["id"]}),
        (anon, "lyg_opendata_rating_list", {"package_id": pkg["id"]}),
        (sysadmin, "lyg_opendata_security_event_list", {}),
        (supervisor, "lyg_opendata_access_log_list", {"unmasked": True, "reason": "核查注销账号后的访问记录"}),
        (sysadmin, "lyg_opendata_privacy_export", {"id": person["id"]}),
        (sysadmin, "package_show", {"id": pkg["id"]}),
    ]
    seen = answered = 0
    for headers, path in pages:
        res = app.get(path, headers=headers)
        assert res.status_code < 500, path
        seen += res.status_code == 200
        body = res.body
        if person["name"] in path:  # the old address: gone (its page echoes the address asked)
            assert res.status_code == 404
            body = body.replace(path, "")
        for needle in needles:
            assert needle not in body, (needle, path)
    for headers, action, params in apis:
        res = app.post(f"/api/3/action/{action}", json=params, headers=headers)
        assert res.status_code < 500, action
        answered += res.status_code == 200
        for needle in needles:
            assert needle not in res.body, (needle, action)
    assert seen >= 10 and answered >= 8  # the pages and answers were there to be read
    # the pseudonym is what the security log and the access log show
    events = tk.get_action("lyg_opendata_security_event_list")(
        {"user": people["sysadmin"]["name"]}, {"user": person["id"]})
    assert events["count"] >= 3
    assert {e["user"] for e in events["results"]} == {erasure.pseudonym(person["id"])}
    log = tk.get_action("lyg_opendata_access_log_list")(
        {"user": people["supervisor"]["name"]}, {"unmasked": True, "reason": "核查注销账号后的访问记录"})
    assert [r["user_name"] for r in log["results"]] == [erasure.pseudonym(person["id"])]


def test_variants_of_the_persons_name_email_and_phone_are_masked_too(app, published_dataset):
    """The texts keep nothing the person wrote about themselves however they wrote it: a
    phone with spaces, dashes, +86 or 0086, a landline with or without its area code's 0 and
    brackets, the email and the name in another letter case; numbers that only look alike
    and dates stay."""
    pkg = published_dataset(name="parking-lots", title="公共停车场")
    person = factories.User(name="variant-person", fullname="Zhou Wenjing",
                            email="Zhou.Wenjing@Example.invalid", password=PASSWORD)
    ctx = {"user": person["name"]}
    req = tk.get_action("lyg_opendata_data_request_create")(ctx, {
        "title": "停车场泊位数据", "contact": "13912345678; 0518-85821234",
        "description": ("联系 +86 139-1234-5678、139 1234 5678、008613912345678 或 "
                        "(0518) 8582 1234、+86 518 8582 1234；邮箱 ZHOU.WENJING@EXAMPLE.INVALID，"
                        "署名 zhou wenjing / ZHOU.WENJING。对照：13912345679、2026年11月29日。")})
    objection = tk.get_action("lyg_opendata_objection_create")(ctx, {
        "package_id": pkg["id"], "type": "error", "contact": "+86 13912345678",
        "description": "第三行泊位数有误，请致电 139-1234-5678 与 Zhou Wenjing 核实。"})
    app.post("/user/login", data={"login": "ZHOU.WENJING@example.INVALID", "password": "wrong-1"})
    app.post("/user/login", data={"login": "ＺＨＯＵ．ＷＥＮＪＩＮＧ＠example.invalid",
                                  "password": "wrong-2"})
    _erase(person)
    model.Session.remove()

    kept = model.Session.get(DataRequest, req["id"]).description
    assert kept == ("联系 ***、***、*** 或 ***、***；邮箱 ***，署名 *** / ***。"
                    "对照：13912345679、2026年11月29日。")
    from ckanext.lyg_opendata.objections.model import Objection
    assert model.Session.get(Objection, objection["id"]).description == \
        "第三行泊位数有误，请致电 *** 与 *** 核实。"
    # a failed sign-in typed in another case or in full width is the pseudonym's too
    logins = [e.login for e in model.Session.query(SecurityEvent).filter(
        SecurityEvent.kind == "sign_in_failed")]
    assert logins == [erasure.pseudonym(person["id"])] * 2


def test_the_record_of_an_erasure_for_sysadmins(app, people, published_dataset):
    """The security log's account_erased entry tells sysadmins what was erased and what kept
    pseudonymised (counts), by whom and why — with nothing of the person in it."""
    pkg = published_dataset(name="bus-lines", title="公交线路")
    person = factories.User(name="recorded-person", fullname=FULLNAME, email=EMAIL)
    ctx = {"user": person["name"]}
    tk.get_action("lyg_opendata_data_request_create")(ctx, {
        "title": "公交线路走向数据", "contact": PHONE, "description": f"我是{FULLNAME}，电话 {PHONE}。"})
    tk.get_action("lyg_opendata_rating_rate")(ctx, {
        "package_id": pkg["id"], "quality": 4, "timeliness": 4, "usability": 5})
    tk.get_action("api_token_create")(ctx, {"user": person["name"], "name": "脚本"})
    _erase(people["sysadmin"], target=person)
    as_admin = {"Authorization": people["sysadmin"]["token"]}
    page = app.get("/en/ckan-admin/security-events?kind=account_erased",
                   headers=as_admin).get_data(as_text=True)
    start = page.index('class="lyg-security-event lyg-kind-account_erased"')
    row = page[start:page.index("</tr>", start)]
    assert "By a sysadmin" in row and erasure.pseudonym(person["id"]) in row
    assert "Erased: API tokens 1, Ratings 1" in row
    assert "Kept, pseudonymised: Data requests 1" in row and "retention list" in row
    for needle in (person["name"], FULLNAME, EMAIL, PHONE, "leak.person.seven"):
        assert needle not in row
    app.get("/en/ckan-admin/security-events?kind=account_erased",
            headers={"Authorization": people["supervisor"]["token"]}, status=403)


def test_full_width_details_and_disclosure_complaints_are_masked(agency):
    """Item 1 and 2 of the erasure's rest: the person's phone, ID number, name and email
    written in full width (or half and full width mixed, with full-width +８６, dashes and
    brackets) are masked in the kept texts, and so are the texts of their disclosure
    application and of the complaint they filed about it (and its timeline); look-alikes stay."""
    from ckanext.lyg_opendata.disclosure.model import (
        DisclosureComplaint, DisclosureComplaintEvent, DisclosureRequest)
    from tests.disclosure.conftest import RESIDENT_ID, individual
    person = factories.User(name="wide-person", fullname="Zhou Wenjing",
                            email="zhou.wenjing@example.invalid")
    ctx = {"user": person["name"]}
    wide_id = RESIDENT_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    req = tk.get_action("lyg_opendata_disclosure_create")(ctx, individual(
        organization=agency["id"], applicant_name="周文静", phone="13912345678",
        email="zhou.wenjing@example.invalid",
        description=(f"本人周文静（身份证 {wide_id}），请公开停车场招标文件，"
                     "联系 ＋８６　１３９－１２３４－５６７８。"),
        purpose="ＺＨＯＵ　ＷＥＮＪＩＮＧ 个人了解"))
    row = model.Session.get(DisclosureRequest, req["id"])
    row.status, row.outcome = "answered", "withheld"  # answered: the erasure is not refused
    model.repo.commit()
    complaint = tk.get_action("lyg_opendata_disclosure_complaint_create")(ctx, {
        "request_id": req["id"], "ground": "wrong_answer",
        "text": ("答复未说明依据。投诉人周文静，电话 １３９１２３４５６７８ / 139 １２３４ 5678，"
                 "邮箱 ｚｈｏｕ．ｗｅｎｊｉｎｇ＠ｅｘａｍｐｌｅ．ｉｎｖａｌｉｄ，证件 "
                 f"{RESIDENT_ID[:6]} {RESIDENT_ID[6:14]} {RESIDENT_ID[14:].lower()}。"
                 "对照：１３９１２３４５６７９、２０２６年１１月２９日。")})
    result = _erase(person)
    assert result["counts"]["disclosure_complaints"] == 1
    assert result["counts"]["disclosure_applications"] == 1
    model.Session.remove()

    kept = model.Session.get(DisclosureComplaint, complaint["id"])
    assert kept.text == ("答复未说明依据。投诉人***，电话 *** / ***，邮箱 ***，证件 ***。"
                         "对照：１３９１２３４５６７９、２０２６年１１月２９日。")
    [event] = model.Session.query(DisclosureComplaintEvent).filter(
        DisclosureComplaintEvent.complaint_id == complaint["id"]).all()
    assert event.text == kept.text
    app = model.Session.get(DisclosureRequest, req["id"])
    assert app.description == "本人***（身份证 ***），请公开停车场招标文件，联系 ***。"
    assert app.purpose == "*** 个人了解"
    assert (app.applicant_name, app.id_number, app.phone, app.email) == (None, None, None, None)


def test_each_membership_ended_by_an_erasure_is_in_the_security_log(app, people, agency):
    """As member_delete records a removal: one role_changed entry per membership (the
    organisation and the group), the role it was, who erased, under the pseudonym."""
    person = factories.User(name="member-to-erase", fullname=FULLNAME)
    sysadmin = people["sysadmin"]
    group = factories.Group(name="erase-topic", title="交通主题", user=sysadmin)
    act = tk.get_action
    act("organization_member_create")({"user": sysadmin["name"]}, {
        "id": agency["id"], "username": person["name"], "role": "editor"})
    act("group_member_create")({"user": sysadmin["name"]}, {
        "id": group["id"], "username": person["name"], "role": "member"})
    assert _erase(sysadmin, person)["counts"]["memberships"] == 2
    model.Session.remove()
    result = act("lyg_opendata_security_event_list")(
        {"user": sysadmin["name"]}, {"user": person["id"], "kind": "role_changed"})
    removed = [(e["detail"]["change"], e["detail"]["action"], e["detail"]["group"],
                e["detail"]["previous"], e["actor"], e["login"])
               for e in result["results"] if e["detail"]["action"] == "account_erase"]
    pseudonym = erasure.pseudonym(person["id"])
    who = sysadmin["name"]
    assert len(removed) == 2 and set(removed) == {
        ("removed", "account_erase", agency["name"], "editor", who, pseudonym),
        ("removed", "account_erase", "erase-topic", "member", who, pseudonym)}
    page = app.get(f"/en/ckan-admin/security-events?kind=role_changed&user={person['id']}",
                   headers={"Authorization": sysadmin["token"]}).body
    assert "交通主题: removed (was Member)" in page and person["name"] not in page
    assert FULLNAME not in page


def test_the_page_of_one_erasure(app, people, published_dataset):
    """From the security log's erasure entry, the page of that erasure: when, by whom, the
    pseudonym, each count with its words, erased or kept pseudonymised — for sysadmins only
    (the action and the page, every role), 404 for an unknown id, no personal data."""
    pkg = published_dataset(name="erasure-page", title="公交线路")
    person = factories.User(name="page-person", fullname=FULLNAME, email=EMAIL)
    ctx = {"user": person["name"]}
    tk.get_action("lyg_opendata_data_request_create")(ctx, {
        "title": "公交线路走向数据", "contact": PHONE, "description": f"我是{FULLNAME}，电话 {PHONE}。"})
    tk.get_action("lyg_opendata_rating_rate")(ctx, {
        "package_id": pkg["id"], "quality": 4, "timeliness": 4, "usability": 5})
    _erase(people["sysadmin"], target=person)
    self_erased = factories.User(name="page-person-two")
    _erase(self_erased)
    [by_admin] = model.Session.query(SecurityEvent).filter(
        SecurityEvent.kind == "account_erased", SecurityEvent.user_id == person["id"]).all()
    [by_self] = model.Session.query(SecurityEvent).filter(
        SecurityEvent.kind == "account_erased", SecurityEvent.user_id == self_erased["id"]).all()
    admin = people["sysadmin"]
    as_admin = {"Authorization": admin["token"]}

    # the action: sysadmins only; unknown or not an erasure → not found
    show = tk.get_action("lyg_opendata_account_erasure_show")
    record = show({"user": admin["name"]}, {"id": by_admin.id})
    assert (record["by_self"], record["by"], record["pseudonym"]) == (
        False, admin["name"], erasure.pseudonym(person["id"]))
    assert [(c["key"], c["count"], c["treatment"]) for c in record["counts"]] == [
        ("ratings", 1, "erased"), ("data_requests", 1, "kept")]
    assert show({"user": admin["name"]}, {"id": by_self.id})["by_self"] is True
    for role in ("anonymous", "registered", "agency_editor", "agency_admin", "supervisor"):
        with pytest.raises(tk.NotAuthorized):
            show({"user": people[role]["name"] if people[role] else ""}, {"id": by_admin.id})
    other = model.Session.query(SecurityEvent).filter(SecurityEvent.kind != "account_erased").first()
    for bad in ("no-such-entry", other.id):
        with pytest.raises(tk.ObjectNotFound):
            show({"user": admin["name"]}, {"id": bad})
    for bad in ({}, {"id": ["x"]}):
        with pytest.raises(tk.ValidationError):
            show({"user": admin["name"]}, bad)

    # the page, linked from the log's entry
    log_page = app.get("/en/ckan-admin/security-events?kind=account_erased", headers=as_admin).body
    url = f"/ckan-admin/security-events/erasure/{by_admin.id}"
    assert f'href="/en{url}"' in log_page and "Record of this erasure" in log_page
    page = app.get(f"/en{url}", headers=as_admin).body
    body = page[page.index('id="lyg-erasure-record"'):page.index("Back to the security log")]
    assert f"By the sysadmin {admin['name']}" in body and erasure.pseudonym(person["id"]) in body
    erased = body[body.index('id="lyg-erasure-erased"'):body.index('id="lyg-erasure-kept"')]
    kept = body[body.index('id="lyg-erasure-kept"'):]
    assert "Ratings" in erased and "Data requests" not in erased
    assert "Data requests" in kept and "Ratings" not in kept
    for needle in (person["name"], FULLNAME, EMAIL, PHONE, "leak.person.seven"):
        assert needle not in page
    zh = app.get(url, headers=as_admin).body
    assert "注销记录" in zh and "评价" in zh and "Record of an erasure" not in zh
    own = app.get(f"/en/ckan-admin/security-events/erasure/{by_self.id}", headers=as_admin).body
    assert "At the person&#39;s own request" in own or "At the person's own request" in own
    # everybody else: 403 (anonymous: to the sign-in page); unknown id: 404
    for role in ("registered", "agency_editor", "agency_admin", "supervisor"):
        app.get(url, headers={"Authorization": people[role]["token"]}, status=403)
    res = app.get(url, follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]
    app.get("/ckan-admin/security-events/erasure/no-such-entry", headers=as_admin, status=404)
    app.get(f"/ckan-admin/security-events/erasure/{other.id}", headers=as_admin, status=404)
