"""Pages of the application workflow: the form, the application page with its timeline and
decision forms, the three lists, the dataset page's apply button, the notices."""
import datetime as dt
import re

import pytest

import ckan.model as model

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.workdays import today_beijing
from tests.access.conftest import act, form_data, headers

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CONDITIONS = "仅用于交通规划研究，不得向第三方提供。"


def _form(pkg, **overrides):
    data = form_data(pkg, **overrides)
    data.pop("package_id")
    data["resource_scope"] = "all" if data.pop("resource_ids") == "all" else "some"
    data["accept_conditions"] = "true" if data["accept_conditions"] else ""
    data["accept_privacy"] = "true" if data["accept_privacy"] else ""
    return data


def test_dataset_page_offers_the_application_by_who_is_looking(app, cond_dataset, people, applicant):
    body = app.get("/dataset/bus-gps").body
    assert "lyg-login-to-apply" in body and "/dataset/bus-gps/apply" in body
    body = app.get("/dataset/bus-gps", headers=headers(people["registered"])).body
    assert 'class="btn btn-primary lyg-apply"' in body
    for role in ("agency_editor", "sysadmin"):  # they use the data without applying
        assert "lyg-apply-panel" not in app.get("/dataset/bus-gps", headers=headers(people[role])).body
    act("lyg_opendata_application_create", applicant, **form_data(cond_dataset))
    body = app.get("/dataset/bus-gps", headers=headers(applicant)).body
    assert "lyg-my-application-status" in body and 'class="btn btn-primary lyg-apply"' not in body


def test_no_apply_button_on_unconditional_data(app, published_dataset, people):
    published_dataset(name="open-data")
    assert "lyg-apply-panel" not in app.get("/dataset/open-data", headers=headers(people["registered"])).body


def test_form_shows_conditions_and_privacy_notice(app, cond_dataset, applicant):
    resp = app.get("/dataset/bus-gps/apply", headers=headers(applicant))
    assert resp.status_code == 200
    assert "仅限交通规划研究使用，不得向第三方提供" in resp.body
    assert "2026-1" in resp.body and "lyg-privacy-notice" in resp.body
    assert "车辆位置" in resp.body and "线路站点" in resp.body
    assert 'name="_csrf_token"' in resp.body or "csrf" in resp.body.lower()


def test_anonymous_is_sent_to_log_in(app, cond_dataset):
    resp = app.get("/dataset/bus-gps/apply", follow_redirects=False)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]


def test_submitting_the_form(app, cond_dataset, applicant, people):
    resp = app.post("/dataset/bus-gps/apply", data=_form(cond_dataset), headers=headers(applicant),
                    follow_redirects=False)
    assert resp.status_code == 302, resp.body
    (row,) = model.Session.query(Application).all()
    assert resp.headers["Location"].endswith(f"/opendata/application/{row.id}")
    assert row.credit_code == "91440300708461136T" and row.resource_ids == []
    page = app.get(f"/opendata/application/{row.id}", headers=headers(applicant)).body
    assert "用于公交线网优化研究" in page and "13812345678" in page
    assert "lyg-days-left" in page and today_beijing().isoformat() in page


def test_form_errors_are_shown_by_field_and_nothing_is_saved(app, cond_dataset, applicant):
    data = _form(cond_dataset, credit_code="91320700MA1XXXXXXX", contact_phone="123",
                 accept_privacy=False)
    resp = app.post("/dataset/bus-gps/apply", data=data, headers=headers(applicant))
    assert resp.status_code == 400
    fields = set(re.findall(r'lyg-field-error" data-field="(\w+)"', resp.body))
    assert {"credit_code", "contact_phone", "accept_privacy"} <= fields
    assert 'value="连云港某某交通科技有限公司"' in resp.body  # kept
    assert model.Session.query(Application).count() == 0
    some = _form(cond_dataset)
    some["resource_scope"] = "some"
    resp = app.post("/dataset/bus-gps/apply", data=some, headers=headers(applicant))
    assert resp.status_code == 400 and 'data-field="resource_ids"' in resp.body
    some["resource_ids"] = [cond_dataset["resources"][1]["id"]]
    resp = app.post("/dataset/bus-gps/apply", data=some, headers=headers(applicant),
                    follow_redirects=False)
    assert resp.status_code == 302
    assert model.Session.query(Application).one().resource_ids == [cond_dataset["resources"][1]["id"]]


def test_user_text_is_escaped(app, cond_dataset, applicant, people):
    app_id = act("lyg_opendata_application_create", applicant, **form_data(
        cond_dataset, purpose="<script>alert('x')</script>用于研究公交线网"))["id"]
    body = app.get(f"/opendata/application/{app_id}", headers=headers(people["agency_editor"])).body
    assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_application_page_by_role(app, cond_dataset, applicant, people):
    app_id = act("lyg_opendata_application_create", applicant,
                 **form_data(cond_dataset, contact_phone="13900003333"))["id"]
    url = f"/opendata/application/{app_id}"
    body = app.get(url, headers=headers(applicant)).body
    assert "lyg-withdraw" in body and "lyg-approve" not in body
    for role in ("agency_editor", "agency_admin", "sysadmin"):
        body = app.get(url, headers=headers(people[role])).body
        assert "lyg-approve" in body and "lyg-refuse" in body and "lyg-request-info" in body
        assert "13900003333" in body
    body = app.get(url, headers=headers(people["supervisor"])).body
    assert "13900003333" not in body and "lyg-personal-hidden" in body
    assert "lyg-approve" not in body and "lyg-days-left" in body
    for role in ("registered", "other_agency_editor"):
        app.get(url, headers=headers(people[role]), status=403)
    resp = app.get(url, follow_redirects=False)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
    app.get("/opendata/application/nope", headers=headers(people["sysadmin"]), status=404)


def test_decisions_through_the_pages(app, cond_dataset, applicant, people):
    app_id = act("lyg_opendata_application_create", applicant, **form_data(cond_dataset))["id"]
    url = f"/opendata/application/{app_id}"
    editor = headers(people["agency_editor"])
    # not for supervisors or other agencies
    for role in ("supervisor", "other_agency_editor"):
        app.post(url + "/approve", data={"conditions_of_use": CONDITIONS,
                                         "granted_resource_ids": [cond_dataset["resources"][0]["id"]]},
                 headers=headers(people[role]), status=403)
    app.post(url + "/withdraw", data={}, headers=editor, status=403)
    # ask for more information, the applicant replies
    resp = app.post(url + "/request-info", data={"message": ""}, headers=editor)
    assert resp.status_code == 400 and 'data-field="message"' in resp.body
    resp = app.post(url + "/request-info", data={"message": "请补充课题立项文件。"}, headers=editor,
                    follow_redirects=False)
    assert resp.status_code == 302
    body = app.get(url, headers=headers(applicant)).body
    assert "lyg-paused" in body and "lyg-supply-info" in body and "请补充课题立项文件。" in body
    app.post(url + "/supply-info", data={"reply": "立项文件见附件编号 12。"}, headers=headers(applicant),
             status=302, follow_redirects=False)
    # refusing without the legal basis fails, approving without a resource fails
    resp = app.post(url + "/refuse", data={"reason": "用途不符合开放条件", "basis": ""}, headers=editor)
    assert resp.status_code == 400 and 'data-field="basis"' in resp.body
    resp = app.post(url + "/approve", data={"conditions_of_use": CONDITIONS}, headers=editor)
    assert resp.status_code == 400 and 'data-field="granted_resource_ids"' in resp.body
    first = cond_dataset["resources"][0]["id"]
    resp = app.post(url + "/approve", data={"conditions_of_use": CONDITIONS,
                                            "granted_resource_ids": [first]},
                    headers=editor, follow_redirects=False)
    assert resp.status_code == 302
    row = model.Session.get(Application, app_id)
    model.Session.refresh(row)
    assert row.status == "approved" and row.granted_resource_ids == [first]
    body = app.get(url, headers=headers(applicant)).body
    assert "lyg-agreement-link" in body and "/opendata/agreement/" in body
    assert CONDITIONS in body
    actions = re.findall(r'<li class="mb-2" data-action="(\w+)"', body)
    assert actions == ["submit", "request_info", "supply_info", "approve"]
    app.post(url + "/explode", data={}, headers=editor, status=404)


def test_withdraw_through_the_page(app, cond_dataset, applicant):
    app_id = act("lyg_opendata_application_create", applicant, **form_data(cond_dataset))["id"]
    app.post(f"/opendata/application/{app_id}/withdraw", data={"reason": ""},
             headers=headers(applicant), status=302, follow_redirects=False)
    assert model.Session.get(Application, app_id).status == "withdrawn"


def test_lists(app, cond_dataset, applicant, people):
    a1 = act("lyg_opendata_application_create", applicant, **form_data(cond_dataset))["id"]
    a2 = act("lyg_opendata_application_create", people["registered"], **form_data(cond_dataset))["id"]
    row = model.Session.get(Application, a2)
    row.received_on = today_beijing() - dt.timedelta(days=60)
    model.Session.commit()
    body = app.get("/opendata/my-applications", headers=headers(applicant)).body
    assert a1 in body and a2 not in body
    body = app.get("/opendata/applications", headers=headers(people["agency_editor"])).body
    assert a1 in body and a2 in body and "lyg-overdue" in body
    app.get("/opendata/applications", headers=headers(people["registered"]), status=403)
    app.get("/opendata/applications/all", headers=headers(people["agency_editor"]), status=403)
    body = app.get("/opendata/applications/all?overdue=true", headers=headers(people["supervisor"])).body
    assert a2 in body and a1 not in body
    body = app.get("/opendata/applications/all?organization=lyg-other-agency",
                   headers=headers(people["supervisor"])).body
    assert a1 not in body and a2 not in body
    app.get("/opendata/applications/all?organization=nope", headers=headers(people["supervisor"]),
            status=404)
    resp = app.get("/opendata/my-applications", follow_redirects=False)
    assert resp.status_code == 302


def test_header_links_by_role(app, cond_dataset, people):
    assert "/opendata/my-applications" not in app.get("/dataset/").body
    body = app.get("/dataset/", headers=headers(people["registered"])).body
    assert "/opendata/my-applications" in body and "/opendata/notices" in body
    assert 'href="/opendata/applications"' not in body
    body = app.get("/dataset/", headers=headers(people["agency_editor"])).body
    assert 'href="/opendata/applications"' in body and "/opendata/applications/all" not in body
    assert "/opendata/applications/all" in app.get("/dataset/", headers=headers(people["supervisor"])).body


def test_notices_page_lists_and_marks_read(app, cond_dataset, applicant, people):
    act("lyg_opendata_application_create", applicant, **form_data(cond_dataset))
    editor = people["agency_editor"]
    body = app.get("/opendata/notices", headers=headers(editor)).body
    assert "公交车辆实时位置" in body and "lyg-unread" in body
    # unread count in the header's 工作台 menu
    assert re.search(r'href="/opendata/notices"[^>]*>[^<]*<span class="lyg-badge">1</span>', body)
    (notice,) = notify.notices_for(editor["id"])
    resp = app.post("/opendata/notices", data={"notice_id": notice.id, "next": notice.link},
                    headers=headers(editor), follow_redirects=False)
    assert resp.status_code == 302 and "/opendata/application/" in resp.headers["Location"]
    assert notify.unread_count(editor["id"]) == 0
    body = app.get("/opendata/notices", headers=headers(editor)).body
    assert "lyg-unread" not in body and "lyg-read" in body
    # someone else's notice cannot be marked read
    act("lyg_opendata_application_withdraw", applicant,
        id=model.Session.query(Application).one().id)
    (newer, _) = notify.notices_for(editor["id"])
    app.post("/opendata/notices", data={"notice_id": newer.id}, headers=headers(people["registered"]),
             status=302, follow_redirects=False)
    assert notify.unread_count(editor["id"]) == 1
    # an outside address is never a redirect target
    resp = app.post("/opendata/notices", data={"next": "//evil.example/"}, headers=headers(editor),
                    follow_redirects=False)
    assert resp.headers["Location"].endswith("/opendata/notices")
    assert notify.unread_count(editor["id"]) == 0
    resp = app.get("/opendata/notices", follow_redirects=False)
    assert resp.status_code == 302
