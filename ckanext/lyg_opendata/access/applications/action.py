"""Actions of the application workflow (Art 10, 19): apply, ask for and supply more
information, approve (→ agreement), refuse, withdraw; show, list and the timeline.
The rules live in workflow.py and schema.py beside it."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, validation
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access.applications import (
    dicts, schema as app_schema, workflow as app_workflow)
from ckanext.lyg_opendata.access.applications import notices  # noqa: F401  (registers the receivers)
from ckanext.lyg_opendata.access.model import Application
from ckanext.lyg_opendata.workdays import Calendar, today_beijing

_ = tk._

__all__ = [
    "lyg_opendata_application_create",
    "lyg_opendata_application_show",
    "lyg_opendata_application_list",
    "lyg_opendata_application_events",
    "lyg_opendata_application_withdraw",
    "lyg_opendata_application_request_info",
    "lyg_opendata_application_supply_info",
    "lyg_opendata_application_approve",
    "lyg_opendata_application_refuse",
]


def _v(name):
    return tk.get_validator(name)


def _id_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")]}


def _text(min_len: int = 1) -> list:
    return [_v("not_empty"), _v("unicode_safe"), validation.min_length(min_len)]


def _viewer(context) -> Any:
    return context.get("user")


def lyg_opendata_application_create(context, data_dict):
    """Apply for a published conditional dataset (申请, Art 10). One open application per
    user and dataset. The agency's editors are notified; the decision is due within the
    configured number of working days (Art 19).

    :param package_id: the dataset's id or name
    :param purpose: 申请用途 (required, a configurable minimum length)
    :param scenario: 应用场景 (required)
    :param security_measures: 安全保障措施 (required)
    :param resource_ids: ids of the dataset's data resources, or "all" / empty for all of them
    :param term_start: requested start, YYYY-MM-DD, today or later (Beijing date)
    :param term_end: requested end, after the start, at most the configured number of years
    :param applicant_type: "individual" or "organization" (legal person or other organization)
    :param applicant_name: the person's or the organization's name
    :param credit_code: 统一社会信用代码 (required for organizations; GB 32100-2015 check)
    :param contact_name: contact person (required for organizations)
    :param contact_phone: mainland mobile or landline number
    :param contact_email: email address
    :param accept_conditions: must be true: the dataset's 开放条件 are accepted
    :param accept_privacy: must be true: the privacy notice is agreed to (its version and
        the time are recorded)
    :returns: the application (as ``lyg_opendata_application_show``)
    """
    tk.check_access("lyg_opendata_application_create", context, data_dict)
    pkg = app_workflow.dataset_for((data_dict or {}).get("package_id"))
    try:
        tk.check_access("package_show", dict(context), {"id": pkg.id})
    except tk.NotAuthorized:
        raise tk.ObjectNotFound(_("Dataset not found"))
    app_workflow.check_applicable(pkg)
    data = app_schema.validate_create(data_dict)
    app_workflow.check_resources(pkg, data.get("resource_ids") or [])
    app = app_workflow.create(context, pkg, data)
    shared.commit(context)
    return dicts.as_dict(app, _viewer(context))


@tk.side_effect_free
def lyg_opendata_application_show(context, data_dict):
    """One application with its deadline (due date, provisional, days left, overdue,
    pause). Supervisors get it without the applicant's contact details.

    :param id: the application's id
    """
    data = app_schema.validate(data_dict, _id_schema())
    app = app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_show", context, data)
    return dicts.as_dict(app, _viewer(context))


@tk.side_effect_free
def lyg_opendata_application_events(context, data_dict):
    """The application's timeline, oldest first: every transition (who, when, from, to,
    reason) and the reminders sent.

    :param id: the application's id
    """
    data = app_schema.validate(data_dict, _id_schema())
    app = app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_events", context, data)
    return [dicts.event_dict(e) for e in dicts.events(app.id)]


def _at_most(n: int):
    def validator(value, context):
        # a value the number validator refused is already a field error
        try:
            return min(int(value), n)
        except (TypeError, ValueError):
            return value
    return validator


@tk.side_effect_free
def lyg_opendata_application_list(context, data_dict):
    """Applications, newest first for the applicant, by due date for agencies and supervisors.

    :param scope: "mine" (default: the user's own applications), "agency" (the applications
        to the agencies the user edits for: 待处理申请) or "all" (supervisors: every agency,
        Art 39)
    :param status: only this status (submitted, info_requested, approved, refused, withdrawn)
        or "open" (submitted and info_requested)
    :param organization: only this agency (id or name)
    :param package_id: only this dataset (id or name)
    :param overdue: true: only overdue applications
    :param limit: at most this many (default 100, at most 1000)
    :param offset: skip this many
    :returns: ``{"count": n, "results": [application, …]}``
    """
    schema = {
        "scope": [_v("default")("mine"), app_schema.one_of(("mine", "agency", "all"))],
        "status": [_v("ignore_missing"), _v("unicode_safe"),
                   app_schema.one_of(app_workflow.STATUSES + ("open",))],
        "organization": [_v("ignore_missing"), _v("unicode_safe")],
        "package_id": [_v("ignore_missing"), _v("unicode_safe")],
        "overdue": [_v("ignore_missing"), validation.boolean],
        "limit": [_v("default")(100), _v("natural_number_validator"), _at_most(1000)],
        "offset": [_v("default")(0), _v("natural_number_validator")],
    }
    data = app_schema.validate(data_dict, schema)
    tk.check_access("lyg_opendata_application_list", context, data)
    user = roles._user(context.get("user"))
    query = model.Session.query(Application)
    scope = data["scope"]
    if scope == "mine":
        query = query.filter(Application.user_id == user.id)
    elif scope == "agency":
        org_ids = [] if user is None else (
            [g.id for g in model.Session.query(model.Group).filter(
                model.Group.is_organization.is_(True), model.Group.state == "active")]
            if user.sysadmin else roles.editable_org_ids(user))
        query = query.filter(Application.org_id.in_(org_ids or [""]))
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(_("Organization not found"))
        query = query.filter(Application.org_id == org.id)
    if data.get("package_id"):
        pkg = model.Package.get(data["package_id"])
        if pkg is None:
            raise tk.ObjectNotFound(_("Dataset not found"))
        query = query.filter(Application.package_id == pkg.id)
    if data.get("status") == "open":
        query = query.filter(Application.status.in_(app_workflow.OPEN))
    elif data.get("status"):
        query = query.filter(Application.status == data["status"])
    cal, today = Calendar(), today_beijing()
    start, limit = data["offset"], data["limit"]
    if scope == "mine" and not data.get("overdue"):
        # newest first: counted and paged in SQL
        count = query.with_entities(sa.func.count(Application.id)).scalar()
        rows = query.order_by(Application.created.desc(), Application.id).offset(start).limit(
            limit).all()
    else:
        count, rows = _by_clock(query, scope, bool(data.get("overdue")), cal, today, start,
                                limit)
    agreements = dicts.prefetch(rows)
    return {"count": count, "results": [dicts.as_dict(a, user, cal, today, agreements=agreements)
                                        for a in rows]}


def _by_clock(query, scope: str, overdue: bool, cal, today, start: int,
              limit: int) -> tuple[int, list]:
    """One page of the queues (open first, the most urgent first; newest first within) or
    of the overdue filter, and the count of everything that matches: ordered, filtered,
    counted and paged in SQL on the stored clock columns (``workflow.store_due``).

    An open application's due date is the stored ``due_on``, except while it waits for
    information: then it moves with today, ``paused_due(today, pause_left)`` (one value per
    distinct ``pause_left``, given to the query as a ``CASE``). Decided ones follow, on
    their stored ``due_on`` (fixed when their clock stopped)."""
    A = Application
    open_q = query.filter(A.status.in_(app_workflow.OPEN))
    if overdue:  # only a running clock can be late (a paused one is not)
        open_q = open_q.filter(A.status == "submitted", A.pause_left.is_(None),
                               A.due_on < today)
    if scope == "mine":
        open_order = [A.created.desc(), A.id]
    else:  # the most urgent first, newest first within
        lefts = [r[0] for r in open_q.filter(A.pause_left.isnot(None)).with_entities(
            A.pause_left).distinct().order_by(None)]
        due = A.due_on
        if lefts:
            due = sa.case({n: sa.literal(app_workflow.paused_due(today, n, cal), sa.Date)
                           for n in lefts}, value=A.pause_left, else_=A.due_on)
        open_order = [due, A.created.desc(), A.id]
    open_count = open_q.order_by(None).with_entities(sa.func.count(A.id)).scalar()
    ids = [r.id for r in open_q.with_entities(A.id).order_by(*open_order).offset(
        start).limit(limit)] if start < open_count else []
    closed_count = 0
    closed_ids: list[str] = []
    if not overdue:  # only an open application can be overdue
        closed_q = query.filter(A.status.notin_(app_workflow.OPEN))
        closed_count = closed_q.order_by(None).with_entities(sa.func.count(A.id)).scalar()
        want = limit - len(ids)
        skip = max(0, start - open_count)
        if want > 0 and skip < closed_count:
            order, back = (([A.created.desc(), A.id], [A.created.asc(), A.id.desc()])
                           if scope == "mine" else
                           ([A.due_on, A.created.desc(), A.id],
                            [A.due_on.desc(), A.created.asc(), A.id.desc()]))
            if skip > closed_count // 2:
                # past the middle: read from the other end (the cost of an offset grows
                # with it), then turn the slice round
                n = min(want, closed_count - skip)
                closed_ids = [r.id for r in closed_q.with_entities(A.id).order_by(
                    *back).offset(closed_count - skip - n).limit(n)][::-1]
            else:
                closed_ids = [r.id for r in closed_q.with_entities(A.id).order_by(
                    *order).offset(skip).limit(want)]
    ids += closed_ids
    by_id = {a.id: a for a in model.Session.query(A).filter(
        A.id.in_(ids or [""])).populate_existing()}
    return open_count + closed_count, [by_id[i] for i in ids]


def lyg_opendata_application_withdraw(context, data_dict):
    """The applicant withdraws an open application.

    :param id: the application's id
    :param reason: optional
    """
    data = app_schema.validate(data_dict, {**_id_schema(),
                                     "reason": [_v("ignore_missing"), _v("unicode_safe")]})
    app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_withdraw", context, data)
    app = app_workflow.transition(context, data["id"], "withdraw", reason=data.get("reason"))
    shared.commit(context)
    return dicts.as_dict(app, _viewer(context))


def lyg_opendata_application_request_info(context, data_dict):
    """The agency asks the applicant for more information, once per application; the
    deadline is paused until the applicant replies (the working days in between are
    added to the due date).

    :param id: the application's id
    :param message: what is needed (required)
    """
    data = app_schema.validate(data_dict, {**_id_schema(), "message": _text(4)})
    app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_request_info", context, data)
    app = app_workflow.transition(context, data["id"], "request_info", message=data["message"])
    shared.commit(context)
    return dicts.as_dict(app, _viewer(context))


def lyg_opendata_application_supply_info(context, data_dict):
    """The applicant answers the request for more information; the application is
    submitted again and the clock runs on.

    :param id: the application's id
    :param reply: the information (required)
    """
    data = app_schema.validate(data_dict, {**_id_schema(), "reply": _text(2)})
    app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_supply_info", context, data)
    app = app_workflow.transition(context, data["id"], "supply_info", reply=data["reply"])
    shared.commit(context)
    return dicts.as_dict(app, _viewer(context))


def lyg_opendata_application_approve(context, data_dict):
    """The agency approves: with its conditions of use (利用要求), the granted data
    resources (a subset of those requested; default all requested) and term (within the
    requested term; default the requested term). The agreement is generated from the
    current model text at the same moment (the approval is the agency's signature); the
    applicant is asked to sign it.

    :param id: the application's id
    :param conditions_of_use: 利用要求 (required)
    :param granted_resource_ids: list of data resource ids (optional)
    :param granted_term_start: YYYY-MM-DD (optional)
    :param granted_term_end: YYYY-MM-DD (optional)
    :param report_interval_months: usage reports every N months (optional; default one
        report at the end of the term, Art 24)
    """
    data = app_schema.validate(data_dict, {
        **_id_schema(),
        "conditions_of_use": _text(4),
        "granted_resource_ids": [_v("ignore_missing"), app_schema.id_list_validator],
        "granted_term_start": [_v("ignore_missing"), app_schema.date_validator],
        "granted_term_end": [_v("ignore_missing"), app_schema.date_validator],
        "report_interval_months": [_v("ignore_missing"), _v("natural_number_validator")],
    })
    app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_approve", context, data)
    app = app_workflow.transition(context, data["id"], "approve", **{
        k: data.get(k) for k in ("conditions_of_use", "granted_resource_ids",
                                 "granted_term_start", "granted_term_end",
                                 "report_interval_months")})
    shared.commit(context)
    return dicts.as_dict(app, _viewer(context))


def lyg_opendata_application_refuse(context, data_dict):
    """The agency refuses, stating the reason and the legal basis (Art 19: 说明理由或者依据).

    :param id: the application's id
    :param reason: 理由 (required)
    :param basis: 依据, the legal basis (required)
    """
    data = app_schema.validate(data_dict, {**_id_schema(), "reason": _text(4), "basis": _text(2)})
    app_workflow.get(data["id"])
    tk.check_access("lyg_opendata_application_refuse", context, data)
    app = app_workflow.transition(context, data["id"], "refuse", reason=data["reason"],
                          basis=data["basis"])
    shared.commit(context)
    return dicts.as_dict(app, _viewer(context))
