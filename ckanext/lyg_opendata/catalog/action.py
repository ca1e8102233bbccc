"""Actions of the review workflow (Art 12)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, validation
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.catalog import review
from ckanext.lyg_opendata.catalog.model import PendingChange, ReviewEvent

_ = tk._


def _validate(data_dict: dict, schema: dict) -> dict:
    data = validation.validate(data_dict, schema)
    if "id" in schema:
        pkg = model.Package.get(data["id"])
        if pkg is None or pkg.state == "deleted" or pkg.type != "dataset":
            raise tk.ObjectNotFound(_("Dataset not found"))
    return data


def _must_be_true(value, context):
    if value is not True:
        raise tk.Invalid(_("Confirm that the data has been desensitised (Art 14)"))
    return value


def _id_schema():
    v = tk.get_validator
    return {"id": [v("not_empty"), v("unicode_safe")]}


def _reason_schema(required: bool = True):
    v = tk.get_validator
    reason = [v("not_empty"), v("unicode_safe"), validation.min_length(4)] if required else \
        [v("ignore_missing"), v("unicode_safe")]
    return {**_id_schema(), "reason": reason}


def lyg_opendata_review_submit(context, data_dict):
    """Submit a catalog entry for review (draft, returned or withdrawn → pending).

    :param id: the dataset's id or name
    :param desensitized: must be true: the agency confirms the data has been desensitised (Art 14)
    """
    v = tk.get_validator
    data = _validate(data_dict, {**_id_schema(), "desensitized": [
        v("not_missing"), v("boolean_validator"), _must_be_true]})
    tk.check_access("lyg_opendata_review_submit", context, data)
    result = review.transition(context, data["id"], "submit", confirm_desensitized=True)
    shared.commit(context)
    return result


def lyg_opendata_review_approve(context, data_dict):
    """Approve a pending catalog entry: it is published (public unless non-open).

    :param id: the dataset's id or name
    :param reason: optional comment
    """
    data = _validate(data_dict, _reason_schema(required=False))
    tk.check_access("lyg_opendata_review_approve", context, data)
    result = review.transition(context, data["id"], "approve", reason=data.get("reason"))
    shared.commit(context)
    return result


def lyg_opendata_review_return(context, data_dict):
    """Return a pending catalog entry to its agency, with the reason.

    :param id: the dataset's id or name
    :param reason: why it is returned (required)
    """
    data = _validate(data_dict, _reason_schema())
    tk.check_access("lyg_opendata_review_return", context, data)
    result = review.transition(context, data["id"], "return", reason=data["reason"])
    shared.commit(context)
    return result


def lyg_opendata_review_withdraw(context, data_dict):
    """Withdraw a published dataset at once (Art 26): it stops being public until it
    passes review again.

    :param id: the dataset's id or name
    :param reason: why it is withdrawn (required; shown in the public notice)
    """
    data = _validate(data_dict, _reason_schema())
    tk.check_access("lyg_opendata_review_withdraw", context, data)
    result = review.transition(context, data["id"], "withdraw", reason=data["reason"])
    shared.commit(context)
    return result


@tk.side_effect_free
def lyg_opendata_review_change_show(context, data_dict):
    """The change held for review on a published dataset, with before/after values.

    :param id: the dataset's id or name
    """
    data = _validate(data_dict, _id_schema())
    tk.check_access("lyg_opendata_review_change_show", context, data)
    pkg = model.Package.get(data["id"])
    change = model.Session.get(PendingChange, pkg.id) if pkg else None
    if change is None:
        return None
    submitter = model.Session.get(model.User, change.submitted_by) if change.submitted_by else None
    return {"package_id": pkg.id, "proposed": change.proposed, "before": change.before,
            "fields": sorted(change.proposed),
            "submitted_by": submitter.name if submitter else None,
            "submitted_at": change.submitted_at.isoformat()}


def lyg_opendata_review_change_approve(context, data_dict):
    """Apply the change held for review on a published dataset.

    :param id: the dataset's id or name
    :param reason: optional comment
    """
    data = _validate(data_dict, _reason_schema(required=False))
    tk.check_access("lyg_opendata_review_change_approve", context, data)
    result = review.decide_change(context, data["id"], True, data.get("reason"))
    shared.commit(context)
    return result


def lyg_opendata_review_change_return(context, data_dict):
    """Discard the change held for review on a published dataset, with the reason.

    :param id: the dataset's id or name
    :param reason: why (required)
    """
    data = _validate(data_dict, _reason_schema())
    tk.check_access("lyg_opendata_review_change_return", context, data)
    result = review.decide_change(context, data["id"], False, data["reason"])
    shared.commit(context)
    return result


@tk.side_effect_free
def lyg_opendata_review_history(context, data_dict):
    """Every review event of a dataset, oldest first (who, when, decision, reason).

    :param id: the dataset's id or name
    """
    data = _validate(data_dict, _id_schema())
    tk.check_access("lyg_opendata_review_history", context, data)
    pkg = model.Package.get(data["id"])
    events = model.Session.query(ReviewEvent).filter(ReviewEvent.package_id == pkg.id).order_by(
        ReviewEvent.created, ReviewEvent.id)
    return [review.event_dict(e) for e in events]


def _entries(pkg_ids: list[str], changes: dict[str, PendingChange]) -> list[dict[str, Any]]:
    if not pkg_ids:
        return []
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    pkgs = {p.id: p for p in model.Session.query(model.Package).filter(model.Package.id.in_(pkg_ids))}
    submitted = dict(model.Session.query(ReviewEvent.package_id, sa.func.max(ReviewEvent.created)).filter(
        ReviewEvent.package_id.in_(pkg_ids), ReviewEvent.action.in_(["submit", "import"])).group_by(
        ReviewEvent.package_id).all())
    out = []
    for pid in pkg_ids:
        pkg = pkgs[pid]
        change = changes.get(pid)
        status = pkg.extras.get("review_status") or "draft"
        since = change.submitted_at if change else submitted.get(pid, pkg.metadata_modified)
        org = pkg.get_groups("organization")
        out.append({
            "id": pkg.id, "name": pkg.name, "title": pkg.title,
            "organization": pkg.owner_org, "organization_title": org[0].title if org else None,
            "review_status": status, "open_type": pkg.extras.get("open_type"),
            "pending_change": bool(change),
            "waiting_since": since.isoformat() if since else None,
            "age_days": (now - since).days if since else None,
        })
    return sorted(out, key=lambda e: e["waiting_since"] or "")


@tk.side_effect_free
def lyg_opendata_review_queue(context, data_dict):
    """Supervisors' queue: entries waiting for review and held changes, oldest first,
    plus recent reductions of openness (shown, not reviewed).

    :param organization: only this agency (id or name)
    :param min_age_days: only entries waiting at least this many days
    """
    v = tk.get_validator
    data = _validate(data_dict, {"organization": [v("ignore_missing"), v("unicode_safe")],
                                 "min_age_days": [v("ignore_missing"), v("natural_number_validator")]})
    tk.check_access("lyg_opendata_review_queue", context, data)
    query = model.Session.query(model.Package.id).filter(
        model.Package.state == "active",
        model.Package.extras["review_status"].astext == "pending")
    changes = {c.package_id: c for c in model.Session.query(PendingChange)}
    ids = [r[0] for r in query] + [pid for pid in changes]
    entries = _entries(list(dict.fromkeys(ids)), changes)
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        entries = [e for e in entries if org and e["organization"] == org.id]
    if data.get("min_age_days"):
        entries = [e for e in entries if (e["age_days"] or 0) >= int(data["min_age_days"])]
    reductions = model.Session.query(ReviewEvent).filter(
        ReviewEvent.action == "open_type_reduced").order_by(ReviewEvent.created.desc()).limit(50)
    return {"count": len(entries), "results": entries,
            "reductions": [review.event_dict(e) for e in reductions]}


@tk.side_effect_free
def lyg_opendata_review_my_submissions(context, data_dict):
    """The catalog entries of the agencies the user edits for, with their review status."""
    tk.check_access("lyg_opendata_review_my_submissions", context, data_dict)
    org_ids = roles.editable_org_ids(context.get("user"))
    if not org_ids:
        return {"count": 0, "results": []}
    ids = [r[0] for r in model.Session.query(model.Package.id).filter(
        model.Package.owner_org.in_(org_ids), model.Package.state == "active",
        model.Package.type == "dataset")]
    changes = {c.package_id: c for c in model.Session.query(PendingChange).filter(
        PendingChange.package_id.in_(ids))} if ids else {}
    entries = _entries(ids, changes)
    return {"count": len(entries), "results": entries}


@tk.side_effect_free
def lyg_opendata_withdrawal_list(context, data_dict):
    """Public notices of datasets withdrawn for review (title, agency, date, reason)."""
    tk.check_access("lyg_opendata_withdrawal_list", context, data_dict)
    rows = model.Session.query(model.Package).filter(
        model.Package.state == "active",
        model.Package.extras["review_status"].astext == "withdrawn").all()
    out = []
    for pkg in rows:
        event = model.Session.query(ReviewEvent).filter(
            ReviewEvent.package_id == pkg.id, ReviewEvent.action == "withdraw").order_by(
            ReviewEvent.created.desc()).first()
        org = pkg.get_groups("organization")
        out.append({"name": pkg.name, "title": pkg.title,
                    "organization_title": org[0].title if org else None,
                    "withdrawn": event.created.isoformat() if event else None,
                    "reason": event.reason if event else None})
    return sorted(out, key=lambda e: e["withdrawn"] or "", reverse=True)
