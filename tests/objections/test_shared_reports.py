"""The report workflow and the withdrawal path in the shared shape
(``ckanext.lyg_opendata.workflow``): the report table, notices from the action's success
signal (a failing notice never fails the action) and the withdrawal of a dataset on an
objection in one transaction."""
import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import audit, notify, workflow as shared
from ckanext.lyg_opendata.catalog.model import ReviewEvent
from ckanext.lyg_opendata.objections import reports as objection_action
from ckanext.lyg_opendata.objections.model import ObjectionEvent, Report, ReportEvent

from tests.objections.conftest import ctx

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.user", 0),
              pytest.mark.ckan_config("ckanext.lyg_opendata.objections.rate_limit.ip", 0)]

REASON = "涉及个人隐私，撤回脱敏后重新发布。"


@pytest.fixture
def notices_down(monkeypatch):
    def down(*args, **kwargs):
        raise RuntimeError("the notices are down")
    monkeypatch.setattr(notify, "notify_users", down)


@pytest.fixture
def accepted_privacy(people, raise_objection):
    obj = raise_objection(type="privacy", description="第 12 行含有个人身份证号码，请立即处理。")
    tk.get_action("lyg_opendata_objection_accept")(ctx(people["agency_editor"]), {"id": obj["id"]})
    return obj


@pytest.fixture
def transactions():
    """The rows inserted by each committed transaction, in order."""
    pending, committed = [], []

    def flushed(session, flush_context):
        pending.extend(session.new)

    def done(session):
        committed.append(list(pending))
        pending.clear()

    def undone(session):
        pending.clear()

    listeners = [("after_flush", flushed), ("after_commit", done), ("after_rollback", undone)]
    for name, fn in listeners:
        sa.event.listen(model.Session, name, fn)
    yield committed
    for name, fn in listeners:
        sa.event.remove(model.Session, name, fn)


def _withdraw_events(obj_id):
    return model.Session.query(ObjectionEvent).filter(
        ObjectionEvent.objection_id == obj_id, ObjectionEvent.action == "withdraw_dataset").count()


def test_the_report_table_is_a_shared_transitions_table():
    table = objection_action.REPORT_TRANSITIONS
    assert isinstance(table, shared.Transitions)
    assert table.allowed("submitted") == ["handle", "note", "close"]
    assert table.allowed("closed") == []


def test_a_report_that_is_closed_takes_no_more_handling(people, dataset):
    report = tk.get_action("lyg_opendata_report_create")(ctx(people["registered"]), {
        "package_id": dataset["id"], "reported_party": "某网站",
        "description": "网站转载有条件开放数据并收费。"})
    update = tk.get_action("lyg_opendata_report_update")
    update(ctx(people["supervisor"]), {"id": report["id"], "action": "close", "text": "已核实处理。"})
    with pytest.raises(tk.ValidationError) as err:
        update(ctx(people["supervisor"]), {"id": report["id"], "action": "note", "text": "再补充。"})
    assert list(err.value.error_dict) == ["action"]
    assert model.Session.query(ReportEvent).filter(ReportEvent.report_id == report["id"]).count() == 2


def test_a_failing_notice_never_fails_a_report(app, people, dataset, notices_down):
    response = app.post("/api/action/lyg_opendata_report_create", json={
        "package_id": dataset["id"], "reported_party": "某停车App运营公司",
        "description": "把停车场数据和用户位置合并后出售。"},
        headers={"Authorization": people["registered"]["token"]}, status=200)
    report_id = response.json["result"]["id"]
    model.Session.expire_all()
    assert model.Session.get(Report, report_id).status == "submitted"


def test_withdrawal_and_its_event_are_one_transaction(people, dataset, accepted_privacy, transactions):
    tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["agency_editor"]), {
        "id": accepted_privacy["id"], "reason": REASON})
    with_event = [rows for rows in transactions
                  if any(isinstance(r, ObjectionEvent) and r.action == "withdraw_dataset" for r in rows)]
    assert len(with_event) == 1
    assert any(isinstance(r, ReviewEvent) and r.action == "withdraw" for r in with_event[0])


def test_a_refused_withdrawal_leaves_no_event(people, dataset, accepted_privacy):
    tk.get_action("lyg_opendata_review_withdraw")(ctx(people["supervisor"]), {
        "id": dataset["id"], "reason": "先行撤回核查。"})
    with pytest.raises(tk.ValidationError) as err:
        tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["agency_editor"]), {
            "id": accepted_privacy["id"], "reason": REASON})
    assert "review_status" in err.value.error_dict
    model.Session.rollback()
    assert _withdraw_events(accepted_privacy["id"]) == 0


def test_a_failing_notice_never_fails_a_withdrawal(people, dataset, accepted_privacy, notices_down):
    user = people["other_agency_editor"]
    audit.record_access(user=user["name"], package_id=dataset["id"], resource_id=None, channel="api")
    result = tk.get_action("lyg_opendata_objection_withdraw_dataset")(ctx(people["agency_editor"]), {
        "id": accepted_privacy["id"], "reason": REASON})
    assert result["notified"] == 1
    model.Session.expire_all()
    assert _withdraw_events(accepted_privacy["id"]) == 1
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset["id"]})
    assert pkg["review_status"] == "withdrawn"
