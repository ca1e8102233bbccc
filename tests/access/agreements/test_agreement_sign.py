"""Signing an agreement (Art 19): the applicant accepts; time, user, IP and user agent are
recorded; the grant over the granted resources and term is created in the same transaction;
access begins only then. Signing twice (even at the same moment) leaves one grant."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access import grants as grant_queries
from ckanext.lyg_opendata.access.model import Agreement, ApplicationEvent, Grant, UsageReport
from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.workdays import today_beijing


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def sign(user, agreement_id, **extra):
    return tk.get_action("lyg_opendata_agreement_sign")(
        {"user": user["name"], **extra}, {"id": agreement_id, "accept": True})


def test_access_begins_only_when_the_applicant_has_signed(approve, grantee, cond_dataset, people):
    agreement_id = approve()
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"]) == set()
    grant = sign(grantee, agreement_id, lyg_opendata_ip="203.0.113.9",
                 lyg_opendata_user_agent="pytest-browser/1.0")
    wanted = {cond_dataset["resources"][0]["id"], cond_dataset["resources"][1]["id"]}
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"]) == wanted
    assert grant_queries.grant_for_resource(grantee["name"], cond_dataset["resources"][0]["id"]).id \
        == grant["id"]
    assert grant_queries.grant_for_resource(grantee["name"], cond_dataset["resources"][2]["id"]) is None
    assert grant["status"] == "active" and set(grant["resource_ids"]) == wanted
    stored = model.Session.get(Agreement, agreement_id)
    assert stored.applicant_signed_by == grantee["id"]
    assert (stored.applicant_sign_ip, stored.applicant_sign_user_agent) == (
        "203.0.113.9", "pytest-browser/1.0")
    assert abs(stored.applicant_signed_at - dt.datetime.utcnow()) < dt.timedelta(minutes=1)
    # the schedule of reports: one at the end of the term
    reports = model.Session.query(UsageReport).filter(UsageReport.grant_id == grant["id"]).all()
    assert len(reports) == 1 and reports[0].period_end.isoformat() == grant["ends_on"]
    assert reports[0].due_on > reports[0].period_end
    # the timeline and the agency's notice
    events = model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.action == "agreement_signed").all()
    assert len(events) == 1 and events[0].data["grant_id"] == grant["id"]
    notices = model.Session.query(Notice).filter(Notice.user_id == people["agency_editor"]["id"]).all()
    assert len(notices) == 1 and agreement_id in notices[0].link


def test_signing_again_is_a_field_error_and_leaves_one_grant(approve, grantee):
    agreement_id = approve()
    sign(grantee, agreement_id)
    with pytest.raises(tk.ValidationError) as err:
        sign(grantee, agreement_id)
    assert "id" in err.value.error_dict
    assert model.Session.query(Grant).count() == 1


def test_accept_must_be_true(approve, grantee):
    agreement_id = approve()
    for value in (False, "false", None):
        data = {"id": agreement_id} if value is None else {"id": agreement_id, "accept": value}
        with pytest.raises(tk.ValidationError) as err:
            tk.get_action("lyg_opendata_agreement_sign")({"user": grantee["name"]}, data)
        assert "accept" in err.value.error_dict
    assert model.Session.query(Grant).count() == 0


def test_a_term_that_begins_later_gives_access_from_its_first_day(approve, grantee, cond_dataset):
    start = today_beijing() + dt.timedelta(days=10)
    grant = sign(grantee, approve(start=start, end=start + dt.timedelta(days=30)))
    assert grant["status"] == "pending"
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"]) == set()
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"], on=start) \
        == set(grant["resource_ids"])


def test_a_periodic_schedule_creates_a_report_per_period(approve, grantee):
    start = today_beijing()
    grant = sign(grantee, approve(start=start, end=start + dt.timedelta(days=364), interval=3))
    periods = [(r["period_start"], r["period_end"]) for r in grant["reports"]]
    assert len(periods) == 4
    assert periods[0][0] == start.isoformat() and periods[-1][1] == grant["ends_on"]
    for (_s1, e1), (s2, _e2) in zip(periods, periods[1:]):
        assert dt.date.fromisoformat(s2) == dt.date.fromisoformat(e1) + dt.timedelta(days=1)


def test_an_agreement_whose_term_has_ended_cannot_be_signed(approve, grantee):
    past = today_beijing() - dt.timedelta(days=40)
    agreement_id = approve(start=past, end=past + dt.timedelta(days=30))
    with pytest.raises(tk.ValidationError):
        sign(grantee, agreement_id)


def test_signing_twice_at_the_same_moment_leaves_one_grant(approve, grantee, app):
    agreement_id = approve()
    results = []
    barrier = threading.Barrier(2)

    def worker():
        with app.flask_app.test_request_context():
            barrier.wait()
            try:
                sign(grantee, agreement_id)
                results.append("ok")
            except tk.ValidationError:
                results.append("refused")
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["ok", "refused"]
    assert model.Session.query(Grant).filter(Grant.agreement_id == agreement_id).count() == 1


def test_the_signers_address_is_shown_to_the_parties_not_to_supervisors(approve, grantee, people):
    agreement_id = approve()
    sign(grantee, agreement_id, lyg_opendata_ip="203.0.113.9",
         lyg_opendata_user_agent="pytest-browser/1.0")
    show = tk.get_action("lyg_opendata_agreement_show")
    for user, sees in ((grantee, True), (people["agency_editor"], True),
                       (people["sysadmin"], True), (people["supervisor"], False)):
        shown = show({"user": user["name"]}, {"id": agreement_id})
        assert (shown["applicant_sign_ip"] == "203.0.113.9") == sees, user["fullname"]
        assert shown["signed"] and shown["sha256"]
