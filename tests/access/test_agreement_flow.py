"""The whole flow through the actions: apply → approve (agreement generated from the model
text) → sign (grant) → the grantee may use exactly the granted resources → revoke → nothing.
Uses the applications helper's actions and fixtures."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access import grants as grant_queries
from ckanext.lyg_opendata.workdays import today_beijing


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def act(name, user, **data):
    return tk.get_action(name)({"user": user["name"]}, data)


def test_apply_approve_sign_use_revoke(apply, applicant, cond_dataset, people):
    application = apply()
    first, second = (r["id"] for r in cond_dataset["resources"])
    start = today_beijing() + dt.timedelta(days=1)
    act("lyg_opendata_application_approve", people["agency_editor"], id=application["id"],
        conditions_of_use="仅用于线网优化研究，成果发布前告知本局", granted_resource_ids=[first],
        granted_term_start=start.isoformat(),
        granted_term_end=(start + dt.timedelta(days=100)).isoformat(),
        report_interval_months="2")
    mine = act("lyg_opendata_agreement_list", applicant, status="unsigned")
    assert mine["count"] == 1
    agreement = act("lyg_opendata_agreement_show", applicant, id=mine["results"][0]["id"])
    assert "仅用于线网优化研究" in agreement["text"] and "车辆位置" in agreement["text"]
    assert "线路站点" not in agreement["text"]
    assert agreement["agency_signed_by"]["name"] == people["agency_editor"]["name"]
    assert agreement["report_schedule"] == "periodic" and agreement["report_interval_months"] == 2
    assert grant_queries.granted_resource_ids(applicant["name"], cond_dataset["id"], on=start) \
        == set()

    grant = act("lyg_opendata_agreement_sign", applicant, id=agreement["id"], accept=True)
    assert grant["status"] == "pending" and len(grant["reports"]) == 2  # 101 days, 2 months
    assert grant_queries.granted_resource_ids(applicant["name"], cond_dataset["id"]) == set()
    assert grant_queries.granted_resource_ids(applicant["name"], cond_dataset["id"], on=start) \
        == {first}
    assert grant_queries.grant_for_resource(applicant["name"], second, on=start) is None

    act("lyg_opendata_grant_revoke", people["supervisor"], id=grant["id"],
        reason="监管检查发现超范围使用")
    assert grant_queries.granted_resource_ids(applicant["name"], cond_dataset["id"], on=start) \
        == set()
    events = act("lyg_opendata_application_events", applicant, id=application["id"])
    actions = [e["action"] for e in (events if isinstance(events, list) else events["results"])]
    assert "agreement_signed" in actions and "grant_revoked" in actions
