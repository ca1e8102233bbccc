"""Reports (举报, Art 25, 38): to supervisors and the dataset's agency, never public, the
reporter's identity for supervisors only."""
import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.notify import Notice

from tests.objections.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_report_goes_to_supervisors_and_agency_identity_to_supervisors_only(app, people, dataset):
    reporter = people["registered"]
    report = tk.get_action("lyg_opendata_report_create")(ctx(reporter), {
        "package_id": dataset["name"], "reported_party": "某停车App运营公司",
        "description": "把停车场数据和用户位置合并后出售。", "contact": "report@example.org"})
    # supervisors and the agency are told
    for role in ("supervisor", "agency_editor"):
        assert model.Session.query(Notice).filter(Notice.user_id == people[role]["id"]).count() == 1, role
    sup = tk.get_action("lyg_opendata_report_show")(ctx(people["supervisor"]), {"id": report["id"]})
    assert sup["reported_by"] == reporter["name"] and sup["contact"] == "report@example.org"
    agency = tk.get_action("lyg_opendata_report_show")(ctx(people["agency_editor"]), {"id": report["id"]})
    assert agency["description"] == "把停车场数据和用户位置合并后出售。"
    text = json.dumps(agency) + app.get(f"/opendata/reports/{report['id']}",
                                        headers={"Authorization": people["agency_editor"]["token"]}).body
    for secret in (reporter["name"], reporter["fullname"], reporter["email"], "report@example.org"):
        assert secret not in text
    # never public: not for anonymous visitors, not for other users, not on the dataset page
    for role in ("anonymous", "other_agency_editor"):
        user = people[role]
        headers = {"Authorization": user["token"]} if user else {}
        assert app.get(f"/opendata/reports/{report['id']}", headers=headers).status_code == 403
        assert app.get(f"/api/3/action/lyg_opendata_report_show?id={report['id']}",
                       headers=headers).status_code == 403
    assert "某停车App运营公司" not in app.get(f"/dataset/{dataset['name']}").body
    # the other agency's list is empty; the agency's has it
    other = tk.get_action("lyg_opendata_report_list")(ctx(people["other_agency_editor"]), {})
    assert other["count"] == 0
    assert tk.get_action("lyg_opendata_report_list")(ctx(people["agency_admin"]), {})["count"] == 1


def test_report_handling(people, dataset):
    report = tk.get_action("lyg_opendata_report_create")(ctx(people["registered"]), {
        "reported_party": "某网站", "description": "网站转载有条件开放数据并收费。"})
    assert report["organization_id"] is None
    update = tk.get_action("lyg_opendata_report_update")
    assert update(ctx(people["supervisor"]), {"id": report["id"], "action": "handle",
                                              "text": "已转交执法部门。"})["status"] == "handling"
    closed = update(ctx(people["supervisor"]), {"id": report["id"], "action": "close",
                                                "text": "已责令删除。"})
    assert closed["status"] == "closed"
    with pytest.raises(tk.ValidationError):
        update(ctx(people["supervisor"]), {"id": report["id"], "action": "note", "text": "补充记录。"})
    mine = tk.get_action("lyg_opendata_report_my_list")(ctx(people["registered"]), {})
    assert mine["results"][0]["status"] == "closed"
    # the reporter sees the status, not the internal notes
    assert [e["text"] for e in mine["results"][0]["events"]][1:] == [None, None]
