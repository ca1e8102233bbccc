"""The privacy path (Art 26): an accepted privacy or trade-secret objection lets the agency
or a supervisor withdraw the dataset at once, with a public notice, and tells everyone who
downloaded it (access log) or was granted access."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import audit
from ckanext.lyg_opendata.notify import Notice

from tests.objections.conftest import ctx

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_withdraw_on_accepted_privacy_objection_notifies_those_who_used_it(app, people, dataset,
                                                                          raise_objection):
    user = people["other_agency_editor"]
    audit.record_access(user=user["name"], package_id=dataset["id"], resource_id=None, channel="api")
    obj = raise_objection(type="privacy", description="第 12 行含有个人身份证号码，请立即处理。")
    with pytest.raises(tk.ValidationError):  # not accepted yet
        tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["agency_editor"]), {
            "id": obj["id"], "reason": "涉及个人隐私，撤回脱敏后重新发布。"})
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    affected = tk.get_action("lyg_opendata_objection_affected_users")(
        ctx(people["agency_editor"]), {"id": obj["id"]})
    assert [u["name"] for u in affected] == [user["name"]]

    result = tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["agency_editor"]), {
        "id": obj["id"], "reason": "涉及个人隐私，撤回脱敏后重新发布。"})
    assert result["notified"] == 1 and [u["name"] for u in result["affected_users"]] == [user["name"]]
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset["id"]})
    assert pkg["review_status"] == "withdrawn" and pkg["private"]
    assert app.get(f"/dataset/{dataset['name']}").status_code in (403, 404)
    notice_page = app.get("/opendata/withdrawn").body
    assert dataset["title"] in notice_page and "涉及个人隐私，撤回脱敏后重新发布。" in notice_page
    notices = model.Session.query(Notice).filter(Notice.user_id == user["id"]).all()
    assert any(dataset["title"] in n.subject for n in notices)
    events = tk.get_action("lyg_opendata_objection_show")(ctx(people["supervisor"]), {"id": obj["id"]})["events"]
    assert events[-1]["action"] == "withdraw_dataset"
    # re-publication goes through review again
    assert tk.get_action("lyg_opendata_review_submit")(ctx(people["agency_editor"]), {
        "id": dataset["id"], "desensitized": True})["review_status"] == "pending"


def test_only_privacy_objections_lead_to_withdrawal(people, raise_objection):
    obj = raise_objection(type="error")
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["supervisor"]), {
            "id": obj["id"], "reason": "涉及个人隐私。"})
    assert "id" in err.value.error_dict


def test_supervisor_may_withdraw(people, dataset, raise_objection):
    obj = raise_objection(type="privacy", description="含有企业未公开的经营数据。")
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["supervisor"]), {
        "id": obj["id"], "reason": "涉及商业秘密。"})
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset["id"]})
    assert pkg["review_status"] == "withdrawn"
