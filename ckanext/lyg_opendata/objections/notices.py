"""Who hears about an objection or report, and what they read (notify.notify_users: an
in-portal notice plus an email through the job queue). Called after the workflow's commit.

Mails to agencies never name the person who raised an objection; report mails to an agency
never name the reporter (supervisors only see who it is, in the portal)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.objections import codes
from ckanext.lyg_opendata.objections.model import Objection, Report

_ = tk._


def _url(endpoint: str, **kw) -> str:
    return tk.url_for(endpoint, _external=True, **kw)


def _title(package_id) -> str:
    pkg = model.Session.get(model.Package, package_id) if package_id else None
    return (pkg.title or pkg.name) if pkg else ""


def _raiser(obj: Objection) -> list:
    return [model.Session.get(model.User, obj.raised_by)] if obj.raised_by else []


def _agency(org_id) -> list:
    return notify.agency_staff(org_id) if org_id else []


def _send(users, subject: str, body: str, link: str, commit: bool = True) -> None:
    if not commit:  # from a success receiver: its savepoint and the dispatcher handle errors
        notify.notify_users(users, subject, body, link=link, commit=False)
        return
    try:
        notify.notify_users(users, subject, body, link=link)
    except Exception:  # a notice must never undo a committed transition
        model.Session.rollback()
        import logging
        logging.getLogger(__name__).exception("could not notify about %s", subject)


def raised(obj: Objection) -> None:
    title = _title(obj.package_id)
    subject = _("New objection to %s") % title
    body = "\n".join([
        subject,
        _("Type: %s") % codes.label("type", obj.type),
        _("Please accept it for verification or reject it with a reason; the answer is due "
          "within %d working days.") % obj.deadline_days,
    ])
    _send(_agency(obj.organization_id), subject, body,
          _url("lyg_opendata_objections.read", id=obj.id))


@shared.after(*(f"lyg_opendata_objection_{verb}" for verb in (
    "accept", "reject", "answer", "dispute", "return_to_agency", "hide", "merge", "reassign",
    "close")))
def after_transition(context, data_dict, result) -> None:
    """Once a transition action has succeeded: the notices of its latest event."""
    from ckanext.lyg_opendata.objections.model import ObjectionEvent
    obj = model.Session.get(Objection, (result or {}).get("id") or "")
    if obj is None:
        return
    event = model.Session.query(ObjectionEvent).filter(
        ObjectionEvent.objection_id == obj.id).order_by(
        ObjectionEvent.created.desc(), ObjectionEvent.id.desc()).first()
    if event is not None:
        transition(obj, event.action)


def transition(obj: Objection, action: str) -> None:
    title = _title(obj.package_id)
    link = _url("lyg_opendata_objections.read", id=obj.id)
    status = codes.label("status", obj.status)
    if action in ("accept", "reject", "answer", "hide", "merge", "close", "return_to_agency"):
        subject = _("Your objection to %(title)s: %(status)s") % {"title": title, "status": status}
        _send(_raiser(obj), subject, subject, link, commit=False)
    if action in ("dispute", "return_to_agency", "reassign"):
        subject = _("Objection to %(title)s: %(status)s") % {"title": title, "status": status}
        _send(_agency(obj.organization_id), subject, subject, link, commit=False)
    if action == "escalate":
        subject = _("Objection to %(title)s escalated to supervisors") % {"title": title}
        _send(notify.supervisors(), subject, subject, link, commit=False)


@shared.after("lyg_opendata_objection_withdraw_dataset")
def after_withdraw_dataset(context, data_dict, result) -> None:
    """Once the dataset is withdrawn: everyone who downloaded it or was granted it."""
    obj = model.Session.get(Objection, ((result or {}).get("objection") or {}).get("id") or "")
    if obj is not None:
        withdrawn(obj, [u["id"] for u in result.get("affected_users") or []], commit=False)


def withdrawn(obj: Objection, user_ids: list[str], commit: bool = True) -> int:
    """Tell everyone who downloaded or was granted the dataset that it was withdrawn (Art 26)."""
    if not user_ids:
        return 0
    users = model.Session.query(model.User).filter(model.User.id.in_(user_ids)).all()
    title = _title(obj.package_id)
    subject = _("Dataset withdrawn for review: %s") % title
    body = _("The data-opening body withdrew the dataset %s because it may disclose personal "
             "information or trade secrets (Art 26). Please stop using the copies you obtained "
             "and delete them until the dataset is published again.") % title
    _send(users, subject, body, _url("lyg_opendata_catalog.withdrawn"), commit=commit)
    return len(users)


def reminded(org_id: str, rows: list[dict]) -> int:
    staff = _agency(org_id)
    if not staff or not rows:
        return 0
    subject = _("Objections waiting for your answer: %d") % len(rows)
    lines = [subject]
    for row in rows:
        flag = _("overdue") if row["overdue"] else _("due %s") % row["deadline"]
        lines.append(f"- {row['package_title']} ({row['type_label']}, {flag}): "
                     + _url("lyg_opendata_objections.read", id=row["id"]))
    _send(staff, subject, "\n".join(lines), _url("lyg_opendata_objections.queue"))
    return len(staff)


@shared.after("lyg_opendata_report_create")
def after_report(context, data_dict, result) -> None:
    report = model.Session.get(Report, (result or {}).get("id") or "")
    if report is not None:
        reported(report, commit=False)


def reported(report: Report, commit: bool = True) -> None:
    title = _title(report.package_id)
    subject = _("New report of improper data use") + (f": {title}" if title else "")
    link = _url("lyg_opendata_objections.report_read", id=report.id)
    users = list(notify.supervisors())
    if report.organization_id:
        users += notify.agency_staff(report.organization_id)
    _send(users, subject, subject, link, commit=commit)
