"""Actions of objections (异议, Art 20): raising, reading and the transitions.

Objections are public (answers included, unless the agency keeps an answer private); who
raised them, their contact and their evidence are never public. The withdrawal path is in
``withdrawal``, the queues in ``queues``, reports (举报) in ``reports``."""
from __future__ import annotations

import json
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata.objections import codes, corrections, evidence, notices, schema, workflow
from ckanext.lyg_opendata.objections.model import Objection

_ = tk._

__all__ = [
    "lyg_opendata_objection_create",
    "lyg_opendata_objection_show",
    "lyg_opendata_objection_list",
    "lyg_opendata_objection_accept",
    "lyg_opendata_objection_reject",
    "lyg_opendata_objection_answer",
    "lyg_opendata_objection_dispute",
    "lyg_opendata_objection_return_to_agency",
    "lyg_opendata_objection_hide",
    "lyg_opendata_objection_merge",
    "lyg_opendata_objection_reassign",
    "lyg_opendata_objection_close",
]


def acting_user(context) -> Optional[model.User]:
    return roles._user(context.get("user"))


def active_dataset(id_or_name: str) -> model.Package:
    pkg = model.Package.get(id_or_name or "")
    if pkg is None or pkg.state != "active" or pkg.type != "dataset":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return pkg


def _data_item_codes(pkg: model.Package) -> list[str]:
    try:
        items = json.loads(pkg.extras.get("data_items") or "[]")
    except ValueError:
        items = []
    return [i.get("code") for i in items if isinstance(i, dict) and i.get("code")]


# --- raising -------------------------------------------------------------------------------

def lyg_opendata_objection_create(context, data_dict):
    """Raise an objection that a published dataset's data is wrong or incomplete (Art 20).
    Logged-in users only; at most ``rate_limit.user`` per user and ``rate_limit.ip`` per
    address in an hour.

    :param package_id: the dataset (id or name)
    :param type: ``error``, ``omission``, ``outdated``, ``privacy``, ``broken_link`` or ``other``
    :param description: what is wrong (at least ``objections.min_length`` characters)
    :param resource_id: the resource concerned (optional, of this dataset)
    :param data_item_code: the data item concerned, by its ``code`` (optional)
    :param contact: how the agency may reach you (optional; never public)
    :param evidence: an attachment (multipart upload; type- and size-limited; never public)
    :returns: the objection as its raiser sees it
    """
    data = schema.validate(data_dict, schema.create_schema())
    pkg = active_dataset(data["package_id"])
    data["package_id"] = pkg.id
    tk.check_access("lyg_opendata_objection_create", context, data)
    errors: dict[str, list] = {}
    if pkg.extras.get("review_status") != "published" or pkg.private:
        errors["package_id"] = [_("Objections can be raised on published datasets only")]
    if data.get("resource_id"):
        res = model.Session.get(model.Resource, data["resource_id"])
        if res is None or res.package_id != pkg.id or res.state != "active":
            errors["resource_id"] = [_("This resource is not part of the dataset")]
    if data.get("data_item_code") and data["data_item_code"] not in _data_item_codes(pkg):
        errors["data_item_code"] = [_("The dataset has no data item with this code")]
    upload = None
    raw = data_dict.get("evidence")
    if raw not in (None, "") and not evidence.is_upload(raw):
        errors["evidence"] = [_("Send the attachment as a file upload")]
    if errors:
        raise tk.ValidationError(errors)
    if raw not in (None, ""):
        upload = evidence.read(raw)
    user = acting_user(context)
    ip_hash = workflow.address_hash(workflow.client_address())
    if not context.get("ignore_auth"):
        workflow.check_rate(Objection, Objection.raised_by, Objection.raised_ip,
                            user.id if user else None, ip_hash)
    obj = Objection(package_id=pkg.id, resource_id=data.get("resource_id"),
                    data_item_code=data.get("data_item_code"), organization_id=pkg.owner_org,
                    type=data["type"], description=data["description"],
                    contact=data.get("contact"), raised_by=user.id if user else None,
                    raised_ip=ip_hash, status="submitted",
                    clock_start=workdays.today_beijing(), deadline_days=workflow.deadline_days())
    model.Session.add(obj)
    model.Session.flush()
    if upload:
        try:
            obj.evidence_path = evidence.store(obj.id, upload)
        except OSError:
            model.Session.rollback()
            raise tk.ValidationError({"evidence": [_("The attachment could not be stored")]})
        obj.evidence_name = upload["name"]
        obj.evidence_mimetype = upload["mimetype"]
        obj.evidence_size = len(upload["data"])
    workflow.record(obj, context.get("user"), "raise", None, "submitted", role="raiser")
    model.repo.commit()
    notices.raised(obj)
    return workflow.objection_dict(obj, "raiser")


# --- reading -------------------------------------------------------------------------------

@tk.side_effect_free
def lyg_opendata_objection_show(context, data_dict):
    """One objection with its timeline, as the caller may see it (the public never gets
    who raised it, their contact or evidence).

    :param id: the objection's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    obj = workflow.get(data["id"])
    tk.check_access("lyg_opendata_objection_show", context, data)
    return workflow.objection_dict(obj, workflow.viewer_level(context.get("user"), obj))


@tk.side_effect_free
def lyg_opendata_objection_list(context, data_dict):
    """The objections of a dataset, newest first (hidden ones only for supervisors and their
    raiser); counted and paged in the database.

    :param package_id: the dataset (id or name)
    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    :returns: ``count`` (all the caller may see), ``results`` (this page),
        ``under_objection`` (one of them is being verified)
    """
    v = schema.v
    data = schema.validate(data_dict, {"package_id": [v("not_empty"), v("unicode_safe")],
                                       **schema.page_schema()})
    pkg = active_dataset(data["package_id"])
    tk.check_access("lyg_opendata_objection_list", context, {"package_id": pkg.id})
    user = context.get("user")
    cal = workdays.Calendar()
    query = model.Session.query(Objection).filter(Objection.package_id == pkg.id)
    if not roles.is_supervisor(user):
        me = workflow.user_obj(user)
        query = query.filter(sa.or_(Objection.status != "hidden",
                                    Objection.raised_by == (me.id if me else None)))
    count = query.order_by(None).count()
    rows = query.order_by(Objection.created.desc(), Objection.id).offset(
        data["offset"]).limit(data["limit"]).all()
    under = model.Session.query(query.filter(
        Objection.status.in_(workflow.MARKER_STATES)).exists()).scalar()
    kept = workflow.prefetch(rows)  # noqa: F841 (held while the page is dictized)
    results = [workflow.objection_dict(o, workflow.viewer_level(user, o), cal, events=False)
               for o in rows]
    del kept
    return {"count": count, "under_objection": bool(under), "results": results}


def marker(package_id: str) -> list[dict[str, Any]]:
    """The open accepted objections of a dataset (type, date): the public marker."""
    rows = model.Session.query(Objection).filter(
        Objection.package_id == package_id,
        Objection.status.in_(workflow.MARKER_STATES)).order_by(Objection.accepted_at).all()
    return [{"id": o.id, "type": o.type, "type_label": codes.label("type", o.type),
             "since": (o.accepted_at or o.created).isoformat()} for o in rows]


# --- transitions ---------------------------------------------------------------------------

def _transition(context, data_dict, action: str, schema_: dict, **field_names):
    data = schema.validate(data_dict, schema_)
    workflow.get(data["id"])
    tk.check_access(f"lyg_opendata_objection_{action}", context, data)
    fields = {target: data.get(source) for target, source in field_names.items()}
    obj = workflow.transition(context, data["id"], action, **fields)
    return workflow.objection_dict(obj, workflow.viewer_level(context.get("user"), obj))


def lyg_opendata_objection_accept(context, data_dict):
    """Accept an objection for verification (受理): the dataset shows the marker
    "有异议，核实中" until it is answered.

    :param id: the objection's id
    :param comment: optional note for the timeline
    """
    return _transition(context, data_dict, "accept",
                       {**schema.id_schema(), "comment": schema.text(required=False)}, text="comment")


def lyg_opendata_objection_reject(context, data_dict):
    """Reject an objection as invalid, with the reason (public).

    :param id: the objection's id
    :param reason: why (required)
    """
    return _transition(context, data_dict, "reject", schema.reason_schema(), text="reason")


def lyg_opendata_objection_answer(context, data_dict):
    """Answer an accepted (or reopened, or escalated) objection after verifying it.

    :param id: the objection's id
    :param outcome: ``corrected``, ``partly_corrected`` or ``no_error``
    :param explanation: always required
    :param activity_id: the dataset change (activity) that fixed it: required for
        ``corrected``, optional for ``partly_corrected``
    :param public: whether the answer is public (default true)
    """
    data = schema.validate(data_dict, schema.answer_schema())
    obj = workflow.get(data["id"])
    tk.check_access("lyg_opendata_objection_answer", context, data)
    activity_id = data.get("activity_id")
    if data["outcome"] == "corrected" and not activity_id:
        raise tk.ValidationError({"activity_id": [
            _("Link the change of the dataset that corrected the data")]})
    if data["outcome"] == "no_error":
        activity_id = None
    if activity_id and activity_id not in corrections.activity_ids(obj.package_id):
        raise tk.ValidationError({"activity_id": [_("This is not a change of the dataset")]})
    obj = workflow.transition(context, obj.id, "answer", outcome=data["outcome"],
                              text=data["explanation"], activity_id=activity_id,
                              public=data["public"])
    return workflow.objection_dict(obj, workflow.viewer_level(context.get("user"), obj))


def lyg_opendata_objection_dispute(context, data_dict):
    """The person who raised it disputes the answer (or the rejection), once: it is reopened
    for the agency, or escalated to supervisors.

    :param id: the objection's id
    :param reason: why the answer is not right (public)
    :param escalate: true to send it to the supervisors instead of the agency
    """
    data = schema.validate(data_dict, schema.dispute_schema())
    workflow.get(data["id"])
    action = "escalate" if data["escalate"] else "dispute"
    tk.check_access("lyg_opendata_objection_dispute", context, data)
    obj = workflow.transition(context, data["id"], action, text=data["reason"])
    return workflow.objection_dict(obj, workflow.viewer_level(context.get("user"), obj))


def lyg_opendata_objection_return_to_agency(context, data_dict):
    """Supervisors send an escalated objection back to the agency to verify again.

    :param id: the objection's id
    :param reason: what to look at (required)
    """
    return _transition(context, data_dict, "return_to_agency", schema.reason_schema(), text="reason")


def lyg_opendata_objection_hide(context, data_dict):
    """Hide an abusive or spam objection (moderation); the reason stays in the record.

    :param id: the objection's id
    :param reason: why (required)
    """
    return _transition(context, data_dict, "hide", schema.reason_schema(), text="reason")


def lyg_opendata_objection_merge(context, data_dict):
    """Merge a duplicate into another objection of the same dataset (moderation).

    :param id: the duplicate
    :param merge_into: the objection it duplicates
    :param reason: optional note
    """
    return _transition(context, data_dict, "merge", schema.merge_schema(), text="reason",
                       merge_into="merge_into")


def lyg_opendata_objection_reassign(context, data_dict):
    """Route an objection to another agency (moderation); its deadline starts again.

    :param id: the objection's id
    :param organization: the agency (id or name)
    :param reason: why (required)
    """
    return _transition(context, data_dict, "reassign", schema.reassign_schema(), text="reason",
                       organization="organization")


def lyg_opendata_objection_close(context, data_dict):
    """Close a stale objection (moderation).

    :param id: the objection's id
    :param reason: why (required)
    """
    return _transition(context, data_dict, "close", schema.reason_schema(), text="reason")
