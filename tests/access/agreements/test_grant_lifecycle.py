"""Grants: valid within the term until 24:00 Beijing time of the last day; revocation
(Art 40) by the agency or a supervisor with a reason, effective at once; the expiry job
tells the grantee once. ``access/grants.py`` answers what enforcement asks."""
from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access import grants as grant_queries
from ckanext.lyg_opendata.access.model import ApplicationEvent, Grant, UsageReport
from ckanext.lyg_opendata.cli import lyg_opendata as lyg_cli
from ckanext.lyg_opendata.notify import Notice
from ckanext.lyg_opendata.workdays import today_beijing


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")
D = dt.date


def revoke(user, grant_id, reason="违反协议约定向第三方提供数据"):
    return tk.get_action("lyg_opendata_grant_revoke")({"user": user["name"]},
                                                      {"id": grant_id, "reason": reason})


def notices(user):
    return model.Session.query(Notice).filter(Notice.user_id == user["id"]).all()


@pytest.mark.parametrize("role", ["agency_editor", "agency_admin", "supervisor"])
def test_revocation_ends_access_at_once_with_a_reason(signed, grantee, cond_dataset, people, role):
    grant = signed()
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"])
    result = revoke(people[role], grant["id"])
    assert result["status"] == "revoked" and not result["valid"]
    assert result["revoke_reason"] == "违反协议约定向第三方提供数据"
    assert result["revoked_by"]["name"] == people[role]["name"]
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"]) == set()
    assert grant_queries.grant_for_resource(grantee["name"], cond_dataset["resources"][0]["id"]) \
        is None
    assert grant_queries.valid_grants(grantee["name"], cond_dataset["id"]) == []
    mine = notices(grantee)
    assert len(mine) == 1 and "违反协议约定" in mine[0].body
    events = model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.action == "grant_revoked").all()
    assert len(events) == 1 and events[0].reason == "违反协议约定向第三方提供数据"


def test_revocation_needs_a_reason_and_happens_once(signed, people):
    grant = signed()
    for reason in ("", "太短", None):
        data = {"id": grant["id"]} if reason is None else {"id": grant["id"], "reason": reason}
        with pytest.raises(tk.ValidationError) as err:
            tk.get_action("lyg_opendata_grant_revoke")({"user": people["agency_editor"]["name"]},
                                                       data)
        assert "reason" in err.value.error_dict
    assert model.Session.get(Grant, grant["id"]).revoked_at is None
    revoke(people["agency_editor"], grant["id"])
    with pytest.raises(tk.ValidationError) as err:
        revoke(people["supervisor"], grant["id"])
    assert "id" in err.value.error_dict
    with pytest.raises(tk.ObjectNotFound):
        revoke(people["sysadmin"], "no-such-grant")


def test_revocation_ends_the_report_schedule_today(signed, people):
    start = today_beijing() - dt.timedelta(days=40)
    grant = signed(start=start, end=start + dt.timedelta(days=364), interval=1)
    assert len(grant["reports"]) == 12
    revoke(people["agency_admin"], grant["id"])
    reports = model.Session.query(UsageReport).filter(UsageReport.grant_id == grant["id"]) \
        .order_by(UsageReport.period_start).all()
    assert len(reports) == 2  # the first month, and the current one cut short today
    assert reports[-1].period_end == today_beijing()


def test_a_grant_stops_at_24h_beijing_on_its_last_day(approve, grantee, cond_dataset):
    end = today_beijing() + dt.timedelta(days=5)
    tk.get_action("lyg_opendata_agreement_sign")({"user": grantee["name"]},
                                                 {"id": approve(end=end), "accept": True})
    last_minute = dt.datetime.combine(end, dt.time(15, 59))   # 23:59 in Beijing
    midnight = dt.datetime.combine(end, dt.time(16, 0))       # 00:00 the next day
    with freeze_time(last_minute):
        assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"])
    with freeze_time(midnight):
        assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"]) == set()
        shown = tk.get_action("lyg_opendata_grant_list")({"user": grantee["name"]}, {})
        assert shown["results"][0]["status"] == "expired"


def test_the_expire_job_tells_the_grantee_once(signed, grantee, cond_dataset, cli):
    grant = signed(start=today_beijing() - dt.timedelta(days=3),
                   end=today_beijing() + dt.timedelta(days=2))
    result = cli.invoke(lyg_cli, ["grants", "expire"])
    assert result.exit_code == 0, result.output
    assert "expired and notified: 0" in result.output
    later = (today_beijing() + dt.timedelta(days=3)).isoformat()
    result = cli.invoke(lyg_cli, ["grants", "expire", "--today", later])
    assert result.exit_code == 0, result.output
    assert "expired and notified: 1" in result.output and grant["id"] in result.output
    model.Session.expire_all()
    assert model.Session.get(Grant, grant["id"]).expiry_notified_at is not None
    result = cli.invoke(lyg_cli, ["grants", "expire", "--today", later])
    assert "expired and notified: 0" in result.output
    expired = [n for n in notices(grantee) if "expired" in n.subject or "到期" in n.subject]
    assert len(expired) == 1
    assert model.Session.query(ApplicationEvent).filter(
        ApplicationEvent.action == "grant_expired").count() == 1
    # validity is computed from the dates, with or without the job
    assert grant_queries.granted_resource_ids(grantee["name"], cond_dataset["id"],
                                              on=D.fromisoformat(later)) == set()


def test_a_revoked_grant_is_not_reported_as_expired(signed, people, cli):
    grant = signed(start=today_beijing() - dt.timedelta(days=3),
                   end=today_beijing() + dt.timedelta(days=2))
    revoke(people["agency_editor"], grant["id"])
    later = (today_beijing() + dt.timedelta(days=3)).isoformat()
    result = cli.invoke(lyg_cli, ["grants", "expire", "--today", later])
    assert "expired and notified: 0" in result.output


def test_grant_list_filters_by_status(signed, approve, grantee, people):
    active = signed()
    start = today_beijing() + dt.timedelta(days=30)
    pending = tk.get_action("lyg_opendata_agreement_sign")(
        {"user": grantee["name"]},
        {"id": approve(resources=(2,), start=start, end=start + dt.timedelta(days=9)),
         "accept": True})
    revoke(people["agency_editor"], active["id"])
    lst = tk.get_action("lyg_opendata_grant_list")
    ctx = {"user": people["agency_editor"]["name"]}
    assert [g["id"] for g in lst(ctx, {"scope": "agency", "status": "revoked"})["results"]] \
        == [active["id"]]
    assert [g["id"] for g in lst(ctx, {"scope": "agency", "status": "pending"})["results"]] \
        == [pending["id"]]
    assert lst(ctx, {"scope": "agency", "status": "active"})["count"] == 0
    assert lst(ctx, {"scope": "agency", "package_id": "parking-fees"})["count"] == 2


# --- pages ----------------------------------------------------------------------------

def headers(user):
    return {"Authorization": user["token"]} if user else {}


def test_the_agency_page_lists_grants_and_revokes_one(app, signed, people, grantee):
    grant = signed()
    editor = people["agency_editor"]
    page = BeautifulSoup(app.get("/opendata/grants", headers=headers(editor)).body, "html.parser")
    card = page.select_one(f".lyg-grant[data-id='{grant['id']}']")
    assert card is not None and card.select_one("form.lyg-revoke-form") is not None
    res = app.post(f"/opendata/grant/{grant['id']}/revoke", data={"reason": "短"},
                   headers=headers(editor), status=400)
    assert BeautifulSoup(res.body, "html.parser").select_one(".lyg-revoke-errors") is not None
    res = app.post(f"/opendata/grant/{grant['id']}/revoke",
                   data={"reason": "超出约定用途使用数据"}, headers=headers(editor),
                   follow_redirects=False, status=302)
    assert res.headers["Location"].endswith(f"/opendata/grant/{grant['id']}")
    page = BeautifulSoup(app.get(f"/opendata/grant/{grant['id']}", headers=headers(grantee)).body,
                         "html.parser")
    assert page.select_one(".lyg-grant-status")["data-status"] == "revoked"
    assert "超出约定用途使用数据" in page.select_one(".lyg-grant-revoked").get_text()
    assert page.select_one("form.lyg-revoke-form") is None


@pytest.mark.parametrize("role, status, sees", [
    ("anonymous", 403, False), ("registered", 403, False), ("other_agency_editor", 200, False),
    ("agency_editor", 200, True), ("supervisor", 200, True), ("sysadmin", 200, True)])
def test_the_agency_page_by_role(app, signed, people, role, status, sees):
    grant = signed()
    res = app.get("/opendata/grants", headers=headers(people[role]), status=status)
    if status == 200:
        found = BeautifulSoup(res.body, "html.parser").select_one(
            f".lyg-grant[data-id='{grant['id']}']")
        assert (found is not None) == sees
    res = app.post(f"/opendata/grant/{grant['id']}/revoke", data={"reason": "超出约定用途使用数据"},
                   headers=headers(people[role]), follow_redirects=False)
    assert res.status_code == (302 if sees else 403)
