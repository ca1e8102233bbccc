"""The application workflow and the agreement transitions in the shared shape
(``ckanext.lyg_opendata.workflow``): the table, ``defer_commit`` (the action owns the
transaction) and the notices from the action's success signal — a failing notice never turns
a committed decision into an error."""
from __future__ import annotations

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, workflow as shared
from ckanext.lyg_opendata.access.applications import workflow as app_workflow
from ckanext.lyg_opendata.access.model import (
    Agreement, Application, ApplicationEvent, Grant, UsageReport)
from ckanext.lyg_opendata.workdays import today_beijing
from tests.access.conftest import act, ctx, headers

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CONDITIONS = "仅用于交通规划研究；不得向第三方提供。"


def _events(app_id, action):
    return model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.application_id == app_id, ApplicationEvent.action == action).count()


@pytest.fixture
def notices_down(monkeypatch):
    """Every notice fails (the database refuses it, the job queue is down)."""
    def down(*args, **kwargs):
        raise RuntimeError("the notices are down")
    monkeypatch.setattr(notify, "notify_users", down)


def test_the_application_table_is_a_shared_transitions_table():
    assert isinstance(app_workflow.TRANSITIONS, shared.Transitions)
    assert app_workflow.TRANSITIONS.allowed("submitted") == ["withdraw", "request_info", "approve", "refuse"]
    assert app_workflow.TRANSITIONS.allowed("approved") == []


def test_defer_commit_leaves_the_transaction_to_the_caller(apply, people, applicant):
    app_id = apply()["id"]
    context = {**ctx(people["agency_editor"]), "defer_commit": True}
    result = tk.get_action("lyg_opendata_application_request_info")(
        context, {"id": app_id, "message": "请补充立项文件。"})
    assert result["status"] == "info_requested"
    model.Session.rollback()  # the caller's composed action failed
    assert model.Session.get(Application, app_id).status == "submitted"
    assert _events(app_id, "request_info") == 0
    assert notify.notices_for(applicant["id"]) == []  # the notice to the applicant went with it


def test_a_failing_notice_never_fails_a_committed_approval(app, apply, people, applicant, notices_down):
    app_id = apply()["id"]  # the agency's notice failed: the application is there all the same
    assert model.Session.get(Application, app_id).status == "submitted"
    response = app.post("/api/action/lyg_opendata_application_approve",
                        json={"id": app_id, "conditions_of_use": CONDITIONS},
                        headers=headers(people["agency_editor"]), status=200)
    assert response.json["result"]["status"] == "approved"
    model.Session.expire_all()
    assert model.Session.get(Application, app_id).status == "approved"
    assert model.Session.query(Agreement).filter(Agreement.application_id == app_id).count() == 1
    assert _events(app_id, "approve") == 1
    assert notify.notices_for(applicant["id"]) == []


def test_signing_revoking_and_reporting_survive_failing_notices(apply, people, applicant, monkeypatch):
    today = today_beijing().isoformat()
    app_id = apply(term_start=today)["id"]
    act("lyg_opendata_application_approve", people["agency_editor"], id=app_id,
        conditions_of_use=CONDITIONS)
    agreement = model.Session.query(Agreement).filter(Agreement.application_id == app_id).one()

    def down(*args, **kwargs):
        raise RuntimeError("the notices are down")
    monkeypatch.setattr(notify, "notify_users", down)

    grant = act("lyg_opendata_agreement_sign", applicant, id=agreement.id, accept=True)
    assert grant["status"] == "active"
    (report,) = model.Session.query(UsageReport).filter(UsageReport.grant_id == grant["id"]).all()
    filed = act("lyg_opendata_usage_report_submit", applicant, id=report.id,
                usage="用于公交线网优化研究，分析了高峰时段车辆运行规律。",
                results="形成研究报告一份，已提交主管部门。", incidents="无")
    assert filed["status"] == "submitted"
    revoked = act("lyg_opendata_grant_revoke", people["agency_editor"], id=grant["id"],
                  reason="违反利用要求，向第三方提供了数据。")
    assert revoked["status"] == "revoked"
    model.Session.expire_all()
    assert model.Session.get(Grant, grant["id"]).revoked_at is not None
    assert model.Session.get(UsageReport, report.id).submitted_at is not None
    assert [_events(app_id, a) for a in ("agreement_signed", "usage_report_submitted",
                                          "grant_revoked")] == [1, 1, 1]


def test_the_agreement_notices_follow_the_success(apply, people, applicant):
    today = today_beijing().isoformat()
    app_id = apply(term_start=today)["id"]
    act("lyg_opendata_application_approve", people["agency_editor"], id=app_id,
        conditions_of_use=CONDITIONS)
    agreement = model.Session.query(Agreement).filter(Agreement.application_id == app_id).one()
    before = len(notify.notices_for(people["agency_admin"]["id"]))
    grant = act("lyg_opendata_agreement_sign", applicant, id=agreement.id, accept=True)
    assert len(notify.notices_for(people["agency_admin"]["id"])) == before + 1
    act("lyg_opendata_grant_revoke", people["agency_editor"], id=grant["id"],
        reason="违反利用要求，向第三方提供了数据。")
    (notice,) = [n for n in notify.notices_for(applicant["id"]) if "违反利用要求" in (n.body or "")]
    assert "revoked" in notice.subject or "撤销" in notice.subject
