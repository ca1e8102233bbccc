"""The review workflow in the shared shape (``ckanext.lyg_opendata.workflow``): its table, the
notifications from the action's success signal (a failing mail never fails a committed
decision) and ``defer_commit`` where the review owns its writes."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workflow as shared
from ckanext.lyg_opendata.catalog import review
from ckanext.lyg_opendata.catalog.model import PendingChange, ReviewEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def act(name, user, context=None, **data):
    return tk.get_action(name)({"user": user["name"], **(context or {})}, data)


def test_the_review_table_is_a_shared_transitions_table():
    assert isinstance(review.TRANSITIONS, shared.Transitions)
    assert review.TRANSITIONS.allowed("pending") == ["approve", "return"]
    assert review.TRANSITIONS.allowed("published") == ["withdraw"]
    with pytest.raises(tk.ValidationError) as err:
        review.TRANSITIONS.target("approve", "draft")
    assert list(err.value.error_dict) == ["review_status"]


def test_the_decision_mails_follow_the_success(create_dataset, sysadmin, reviewer, monkeypatch):
    sent = []
    monkeypatch.setattr(notify, "enqueue_mail", lambda users, subject, body: sent.append((subject, body)))
    create_dataset(name="r1", title="审核通知数据集")
    act("lyg_opendata_review_submit", sysadmin, id="r1", desensitized=True)
    act("lyg_opendata_review_return", reviewer, id="r1", reason="数据项说明不完整")
    assert [s for s, _b in sent] == ["Catalog entry submitted for review: 审核通知数据集",
                                     "Catalog entry returned: 审核通知数据集"]
    assert "Reason: 数据项说明不完整" in sent[1][1]


def test_a_failing_mail_never_fails_a_committed_approval(create_dataset, sysadmin, reviewer, monkeypatch, app):
    create_dataset(name="r2")
    act("lyg_opendata_review_submit", sysadmin, id="r2", desensitized=True)

    def down(*args, **kwargs):
        raise RuntimeError("the job queue is down")

    monkeypatch.setattr(notify, "enqueue_mail", down)
    response = app.post("/api/action/lyg_opendata_review_approve", json={"id": "r2"},
                        headers={"Authorization": reviewer["token"]}, status=200)
    assert response.json["result"]["review_status"] == "published"
    model.Session.expire_all()
    shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": "r2"})
    assert shown["review_status"] == "published" and shown["private"] is False
    assert [e["action"] for e in act("lyg_opendata_review_history", sysadmin, id="r2")] == [
        "submit", "approve"]


def test_a_returned_change_is_one_transaction_the_caller_may_defer(published_dataset, sysadmin, reviewer):
    ds = published_dataset(name="r3")
    items = ds["data_items"] + [{"name_zh": "电话", "code": "phone", "type": "string",
                                 "sensitive": "no", "description": ""}]
    tk.get_action("package_patch")({"user": sysadmin["name"]}, {"id": "r3", "data_items": items})
    assert model.Session.get(PendingChange, ds["id"]) is not None
    act("lyg_opendata_review_change_return", reviewer, {"defer_commit": True}, id="r3",
        reason="电话号码属于个人信息")
    model.Session.rollback()  # the caller's composed action failed
    assert model.Session.get(PendingChange, ds["id"]) is not None
    assert model.Session.query(ReviewEvent).filter(
        ReviewEvent.package_id == ds["id"], ReviewEvent.action == "change_returned").count() == 0
    act("lyg_opendata_review_change_return", reviewer, id="r3", reason="电话号码属于个人信息")
    model.Session.rollback()
    assert model.Session.get(PendingChange, ds["id"]) is None
    assert model.Session.query(ReviewEvent).filter(
        ReviewEvent.package_id == ds["id"], ReviewEvent.action == "change_returned").count() == 1
