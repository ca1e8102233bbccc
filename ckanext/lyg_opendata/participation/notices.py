"""Who hears about a data request, and what they read (notify.notify_users: an in-portal
notice plus an email through the job queue). Receivers of the actions' success signal
(``workflow.after``): they write without committing; the dispatcher commits.

Mails to agencies never carry the requester's contact; the requester's name only as the
requester chose to show it."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.participation import codes
from ckanext.lyg_opendata.participation.model import (
    DataRequest, DataRequestDataset, DataRequestEvent)

_ = tk._


def _link(req: DataRequest) -> str:
    return tk.url_for("lyg_opendata_participation.request_read", id=req.id, _external=True)


def _send(users, subject: str, req: DataRequest, body: str = "") -> None:
    notify.notify_users(users, subject, body or subject, link=_link(req), commit=False)


def _requester(req: DataRequest) -> list:
    return [model.Session.get(model.User, req.requested_by)] if req.requested_by else []


def _agency(req: DataRequest) -> list:
    return notify.agency_staff(req.organization_id) if req.organization_id else []


def _request(result) -> DataRequest | None:
    rid = (result or {}).get("id") if isinstance(result, dict) else None
    return model.Session.get(DataRequest, rid) if rid else None


@shared.after("lyg_opendata_data_request_create")
def after_create(context, data_dict, result) -> None:
    req = _request(result)
    if req is None:
        return
    subject = _("New data request: %s") % req.title
    body = "\n".join([subject, _("Please route it to the data-opening body that holds the data.")])
    _send(notify.supervisors(), subject, req, body)


@shared.after(*(f"lyg_opendata_data_request_{verb}" for verb in (
    "route", "claim", "answer", "supplement", "withdraw", "hide")))
def after_transition(context, data_dict, result) -> None:
    req = _request(result)
    if req is None:
        return
    event = model.Session.query(DataRequestEvent).filter(
        DataRequestEvent.request_id == req.id).order_by(
        DataRequestEvent.created.desc(), DataRequestEvent.id.desc()).first()
    if event is None:
        return
    action, status = event.action, codes.label("status", req.status)
    mine = _("Your data request %(title)s: %(status)s") % {"title": req.title, "status": status}
    if action in ("route", "claim") or action.startswith("answer_") or action == "hide":
        _send(_requester(req), mine, req, "\n".join(filter(None, [mine, event.text or ""]))
              if action != "hide" else mine)
    if action in ("route", "supplement"):
        days = req.clock_days or 0
        subject = _("Data request to answer: %s") % req.title
        body = "\n".join([subject, _("Please answer within %d working days.") % days])
        _send(_agency(req), subject, req, body)
    if action == "answer_not_ours":
        subject = _("Data request to route again: %s") % req.title
        _send(notify.supervisors(), subject, req)


@shared.after("lyg_opendata_review_approve")
def after_publication(context, data_dict, result) -> None:
    """A dataset promised to a request (将开放) is published: the request is 已开放 and the
    requester is told."""
    from ckanext.lyg_opendata.participation import workflow
    pkg = model.Package.get((data_dict or {}).get("id") or "")
    if pkg is None or pkg.extras.get("review_status") != "published" or pkg.private:
        return
    rows = model.Session.query(DataRequest).join(
        DataRequestDataset, DataRequestDataset.request_id == DataRequest.id).filter(
        DataRequestDataset.package_id == pkg.id, DataRequest.status == "planned").all()
    for req in rows:
        workflow.transition({"user": None, "defer_commit": True}, req.id, "answer_opened",
                            role="system", event="opened_on_publication",
                            text=req.answer_text)
        subject = _("The data you asked for is open: %s") % req.title
        body = "\n".join([subject, notify.dataset_url(pkg)])
        _send(_requester(req), subject, req, body)
