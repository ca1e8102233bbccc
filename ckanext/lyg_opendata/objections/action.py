"""Actions of objections (异议, Art 20, 26) and reports (举报, Art 25, 38).

Objections are public (answers included, unless the agency keeps an answer private); who
raised them, their contact and their evidence are never public. Reports are never public.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.objections import codes, corrections, evidence, notices, schema, workflow
from ckanext.lyg_opendata.objections.model import Objection, Report, ReportEvent

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
    "lyg_opendata_objection_withdraw_dataset",
    "lyg_opendata_objection_affected_users",
    "lyg_opendata_objection_queue",
    "lyg_opendata_objection_my_list",
    "lyg_opendata_report_create",
    "lyg_opendata_report_show",
    "lyg_opendata_report_list",
    "lyg_opendata_report_update",
    "lyg_opendata_report_my_list",
]


def _user(context) -> Optional[model.User]:
    return roles._user(context.get("user"))


def _package(id_or_name: str) -> model.Package:
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
    pkg = _package(data["package_id"])
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
    user = _user(context)
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
    raiser).

    :param package_id: the dataset (id or name)
    """
    v = schema.v
    data = schema.validate(data_dict, {"package_id": [v("not_empty"), v("unicode_safe")]})
    pkg = _package(data["package_id"])
    tk.check_access("lyg_opendata_objection_list", context, {"package_id": pkg.id})
    user = context.get("user")
    cal = workdays.Calendar()
    out = []
    rows = model.Session.query(Objection).filter(Objection.package_id == pkg.id).order_by(
        Objection.created.desc())
    for obj in rows:
        level = workflow.viewer_level(user, obj)
        if obj.status == "hidden" and not (roles.is_supervisor(user) or level == "raiser"):
            continue
        out.append(workflow.objection_dict(obj, level, cal, events=False))
    return {"count": len(out), "results": out,
            "under_objection": any(o["under_verification"] for o in out)}


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


# --- the withdrawal path (Art 26) ----------------------------------------------------------

def affected_user_ids(package_id: str) -> list[str]:
    """Everyone who downloaded the dataset's data or was granted access to it."""
    from ckanext.lyg_opendata import audit
    ids = list(audit.people_who_accessed(package_id) or [])
    try:
        from ckanext.lyg_opendata.access.grants import grantee_ids
    except ImportError:
        grantee_ids = None
    if grantee_ids is not None:
        ids += list(grantee_ids(package_id) or [])
    return list(dict.fromkeys(i for i in ids if i))


def lyg_opendata_objection_withdraw_dataset(context, data_dict):
    """On an accepted privacy or trade-secret objection, withdraw the dataset at once
    (review status ``withdrawn``, public notice at /opendata/withdrawn) and notify everyone
    who downloaded it or was granted access (Art 26). Re-publication goes through review.

    One transaction: the objection's event is written first (under the objection's lock),
    then the review withdrawal writes the dataset and commits both together (core's
    ``package_update`` commits), so there is never a withdrawn dataset without its event nor
    an event without the withdrawal. The people concerned hear from ``notices`` once the
    action has succeeded.

    :param id: the objection's id
    :param reason: shown in the public withdrawal notice (required)
    :returns: ``objection``, ``notified`` (number of people told), ``affected_users``
    """
    data = schema.validate(data_dict, schema.reason_schema())
    obj = workflow.get(data["id"])
    tk.check_access("lyg_opendata_objection_withdraw_dataset", context, data)
    if obj.type != "privacy":
        raise tk.ValidationError({"id": [
            _("Only a privacy or trade-secret objection leads to withdrawal")]})
    if obj.status not in workflow.MARKER_STATES:
        raise tk.ValidationError({"status": [
            _("Accept the objection for verification before withdrawing the dataset")]})
    obj = workflow.lock(obj.id)
    if obj.status not in workflow.MARKER_STATES:  # changed while we waited for the lock
        shared.fail("status", _("Accept the objection for verification before withdrawing "
                                "the dataset"))
    user_ids = affected_user_ids(obj.package_id)
    workflow.record(obj, context.get("user"), "withdraw_dataset", obj.status, obj.status,
                    text=data["reason"], data={"affected_users": len(user_ids)})
    tk.get_action("lyg_opendata_review_withdraw")(
        {"user": context.get("user")}, {"id": obj.package_id, "reason": data["reason"]})
    shared.commit(context)
    workflow.reindex(obj.package_id)
    affected = _user_list(user_ids)
    return {"objection": workflow.objection_dict(obj, "insider"), "notified": len(affected),
            "affected_users": affected}


def _user_list(user_ids: list[str]) -> list[dict]:
    if not user_ids:
        return []
    users = model.Session.query(model.User).filter(model.User.id.in_(user_ids)).all()
    return [{"id": u.id, "name": u.name, "display_name": u.display_name} for u in users]


@tk.side_effect_free
def lyg_opendata_objection_affected_users(context, data_dict):
    """Who downloaded the dataset's data or was granted access to it (from the access log
    and the grants), for the agency and supervisors handling a privacy objection.

    :param id: the objection's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    obj = workflow.get(data["id"])
    tk.check_access("lyg_opendata_objection_affected_users", context, data)
    return _user_list(affected_user_ids(obj.package_id))


# --- queues --------------------------------------------------------------------------------

@tk.side_effect_free
def lyg_opendata_objection_queue(context, data_dict):
    """The agency's queue (objections routed to the agencies the caller edits for) or, for
    supervisors, every objection (the moderation queue). Oldest deadline first.

    :param organization: only this agency (id or name)
    :param status: ``open`` (default: waiting for an answer), ``all`` or one status code
    :param overdue: only overdue objections
    :param package_id: only this dataset
    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    :returns: ``count`` (all that match), ``results`` (this page), ``status_counts`` and
        ``overdue`` (of all that match)
    """
    data = schema.validate(data_dict, schema.queue_schema())
    tk.check_access("lyg_opendata_objection_queue", context, data)
    user = context.get("user")
    query = model.Session.query(Objection)
    if not roles.is_supervisor(user):
        query = query.filter(Objection.organization_id.in_(roles.editable_org_ids(user) or [""]))
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        if org is None:
            raise tk.ObjectNotFound(_("Data-opening body not found"))
        query = query.filter(Objection.organization_id == org.id)
    if data.get("package_id"):
        query = query.filter(Objection.package_id == _package(data["package_id"]).id)
    status = data.get("status") or "open"
    if status == "open":
        query = query.filter(Objection.status.in_(workflow.OPEN_STATES))
    elif status != "all":
        query = query.filter(Objection.status == status)
    cal = workdays.Calendar()
    # the deadline is computed (working days), never stored: sort, filter and count on the
    # clock's columns, then load and show one page
    light = query.options(sa.orm.load_only(
        Objection.id, Objection.status, Objection.clock_start, Objection.deadline_days,
        Objection.created))
    keyed = []
    for o in light:
        clock = workflow.clock_info(o, cal)
        if data.get("overdue") and not clock["overdue"]:
            continue
        keyed.append((clock["deadline"], o.created.isoformat(), o.id, o.status, clock["overdue"]))
    keyed.sort(key=lambda k: (k[0], k[1]))
    counts: dict[str, int] = {}
    for k in keyed:
        counts[k[3]] = counts.get(k[3], 0) + 1
    start = data["offset"]
    rows = _page(Objection, [k[2] for k in keyed[start:start + data["limit"]]])
    return {"count": len(keyed), "status_counts": counts,
            "overdue": sum(1 for k in keyed if k[4]),
            "results": [workflow.objection_dict(o, "insider", cal, events=False) for o in rows]}


def _page(model_class, ids: list[str]) -> list:
    """The rows of one page, in the order of ``ids``, with what their dicts read (datasets,
    agencies, resources, people) loaded in a few queries instead of a few per row."""
    by_id = {row.id: row for row in model.Session.query(model_class).filter(
        model_class.id.in_(ids or [""])).populate_existing()}
    rows = [by_id[i] for i in ids if i in by_id]
    _prefetch(rows)
    return rows


def _prefetch(rows: list) -> None:
    def load(entity, ids):
        ids = {i for i in ids if i}
        if ids:
            model.Session.query(entity).filter(entity.id.in_(ids)).all()
    load(model.Package, (r.package_id for r in rows))
    load(model.Group, (r.organization_id for r in rows))
    load(model.Resource, (getattr(r, "resource_id", None) for r in rows))
    load(model.User, (getattr(r, attr, None) for r in rows
                      for attr in ("raised_by", "reported_by")))


def _paged(query, order, data: dict, as_dict) -> dict[str, Any]:
    """``count`` (a count query) and one page (``limit``/``offset`` in SQL) of ``query``."""
    count = query.order_by(None).count()
    rows = query.order_by(*order).offset(data["offset"]).limit(data["limit"]).all()
    _prefetch(rows)
    return {"count": count, "results": [as_dict(r) for r in rows]}


@tk.side_effect_free
def lyg_opendata_objection_my_list(context, data_dict):
    """The objections the caller raised (我的异议), newest first.

    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    """
    tk.check_access("lyg_opendata_objection_my_list", context, data_dict)
    data = schema.validate(data_dict, schema.page_schema())
    user = _user(context)
    cal = workdays.Calendar()
    query = model.Session.query(Objection).filter(Objection.raised_by == user.id)
    return _paged(query, (Objection.created.desc(), Objection.id), data,
                  lambda o: workflow.objection_dict(o, "raiser", cal, events=False))


# --- reports (举报, Art 25, 38) -------------------------------------------------------------

def _report_level(user, report: Report) -> str:
    if roles.is_supervisor(user):
        return "supervisor"
    if report.organization_id and roles.is_agency_editor(user, report.organization_id):
        return "agency"
    u = roles._user(user)
    if u and report.reported_by == u.id:
        return "reporter"
    return "none"


def report_dict(report: Report, level: str) -> dict[str, Any]:
    """A report as supervisors, the agency or the reporter see it: only supervisors (and the
    reporter) see who reported it and how to reach them."""
    pkg = model.Session.get(model.Package, report.package_id) if report.package_id else None
    org = model.Session.get(model.Group, report.organization_id) if report.organization_id else None
    out = {"id": report.id, "package_id": report.package_id,
           "package_name": pkg.name if pkg else None,
           "package_title": (pkg.title or pkg.name) if pkg else None,
           "organization_id": report.organization_id,
           "organization_title": org.title if org else None,
           "reported_party": report.reported_party, "description": report.description,
           "status": report.status, "status_label": codes.label("report_status", report.status),
           "created": report.created.isoformat()}
    if level in ("supervisor", "reporter"):
        reporter = model.Session.get(model.User, report.reported_by) if report.reported_by else None
        out["contact"] = report.contact
        out["reported_by"] = reporter.name if reporter else None
        out["reported_by_display_name"] = reporter.display_name if reporter else None
    events = model.Session.query(ReportEvent).filter(ReportEvent.report_id == report.id).order_by(
        ReportEvent.created, ReportEvent.id)
    out["events"] = []
    for e in events:
        item = {"action": e.action, "action_label": codes.label("report_event", e.action),
                "actor_role": e.actor_role, "actor_role_label": codes.label("role", e.actor_role),
                "text": e.text, "created": e.created.isoformat()}
        if level == "supervisor" and e.actor_id and e.actor_role != "raiser":
            actor = model.Session.get(model.User, e.actor_id)
            item["actor_display_name"] = actor.display_name if actor else None
        if level == "reporter" and e.actor_role != "raiser":
            item["text"] = None  # internal handling notes stay with the handlers
        out["events"].append(item)
    return out


def lyg_opendata_report_create(context, data_dict):
    """Report improper use of public data by a data user (举报, Art 38). It goes to the
    supervisors and, when it concerns a dataset, to that dataset's agency (Art 25). Never
    public; the reporter's identity is shown to supervisors only.

    :param package_id: the dataset concerned (optional)
    :param reported_party: who is using the data improperly (person, company, application)
    :param description: what happened
    :param contact: how to reach you (optional; supervisors only)
    """
    data = schema.validate(data_dict, schema.report_create_schema())
    pkg = None
    if data.get("package_id"):
        pkg = _package(data["package_id"])
        data["package_id"] = pkg.id
    tk.check_access("lyg_opendata_report_create", context, data)
    user = _user(context)
    ip_hash = workflow.address_hash(workflow.client_address())
    if not context.get("ignore_auth"):
        workflow.check_rate(Report, Report.reported_by, Report.reported_ip,
                            user.id if user else None, ip_hash)
    report = Report(package_id=pkg.id if pkg else None,
                    organization_id=pkg.owner_org if pkg else None,
                    reported_party=data["reported_party"], description=data["description"],
                    contact=data.get("contact"), reported_by=user.id if user else None,
                    reported_ip=ip_hash, status="submitted")
    model.Session.add(report)
    model.Session.flush()
    shared.record(ReportEvent, report_id=report.id, actor_id=user.id if user else None,
                  actor_role="raiser", action="report", to_status="submitted")
    shared.commit(context)  # the supervisors and the agency hear from ``notices.after_report``
    return report_dict(report, "reporter")


def _report(report_id: str) -> Report:
    report = model.Session.get(Report, report_id or "")
    if report is None:
        raise tk.ObjectNotFound(_("Report not found"))
    return report


@tk.side_effect_free
def lyg_opendata_report_show(context, data_dict):
    """A report with its handling (supervisors, the dataset's agency, the reporter).

    :param id: the report's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    report = _report(data["id"])
    tk.check_access("lyg_opendata_report_show", context, data)
    return report_dict(report, _report_level(context.get("user"), report))


@tk.side_effect_free
def lyg_opendata_report_list(context, data_dict):
    """Reports for supervisors (all) or an agency (those about its datasets), newest first.

    :param status: ``submitted``, ``handling``, ``closed`` (default: all)
    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    """
    v = schema.v
    data = schema.validate(data_dict, {"status": [v("ignore_missing"), v("unicode_safe"),
                                                  schema.one_of("report_status")],
                                       **schema.page_schema()})
    tk.check_access("lyg_opendata_report_list", context, data)
    user = context.get("user")
    query = model.Session.query(Report)
    if not roles.is_supervisor(user):
        query = query.filter(Report.organization_id.in_(roles.editable_org_ids(user) or [""]))
    if data.get("status"):
        query = query.filter(Report.status == data["status"])
    return _paged(query, (Report.created.desc(), Report.id), data,
                  lambda r: report_dict(r, _report_level(user, r)))


# action -> (states it may start from, state it leads to; ``None``: the status stays)
REPORT_TRANSITIONS = shared.Transitions({
    "handle": (frozenset({"submitted"}), "handling"),
    "note": (frozenset({"submitted", "handling"}), None),
    "close": (frozenset({"submitted", "handling"}), "closed"),
}, status_label=lambda code: codes.label("report_status", code),
   action_label=lambda code: codes.label("report_event", code),
   refused=N_("A report that is %(status)s cannot be %(action)s"), field="action")


def lyg_opendata_report_update(context, data_dict):
    """Handle a report: ``handle`` (start), ``note`` (a handling note), ``close`` (with the
    result). Supervisors, and the agency of the dataset concerned.

    :param id: the report's id
    :param action: ``handle``, ``note`` or ``close``
    :param text: the note or result (required)
    """
    data = schema.validate(data_dict, schema.report_update_schema())
    _report(data["id"])
    tk.check_access("lyg_opendata_report_update", context, data)
    report = shared.locked(Report, data["id"], _("Report not found"))
    target = REPORT_TRANSITIONS.target(data["action"], report.status)
    user = context.get("user")
    before = report.status
    report.status = target or report.status
    shared.record(ReportEvent, report_id=report.id, actor_id=shared.actor_id(user),
                  actor_role="supervisor" if roles.is_supervisor(user) else "agency",
                  action=data["action"], from_status=before, to_status=report.status,
                  text=data["text"])
    shared.commit(context)
    return report_dict(report, _report_level(user, report))


@tk.side_effect_free
def lyg_opendata_report_my_list(context, data_dict):
    """The reports the caller made (with their status), newest first.

    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    """
    tk.check_access("lyg_opendata_report_my_list", context, data_dict)
    data = schema.validate(data_dict, schema.page_schema())
    user = _user(context)
    query = model.Session.query(Report).filter(Report.reported_by == user.id)
    return _paged(query, (Report.created.desc(), Report.id), data,
                  lambda r: report_dict(r, "reporter"))
