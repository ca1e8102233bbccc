"""The lists of objections: the agency's queue and the supervisors' moderation queue
(oldest deadline first), 我的异议; paged in the database, related rows loaded per page."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata.objections import schema, workflow
from ckanext.lyg_opendata.objections.model import Objection
from ckanext.lyg_opendata.objections.action import active_dataset, acting_user

_ = tk._

__all__ = [
    "lyg_opendata_objection_queue",
    "lyg_opendata_objection_my_list",
]


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
        query = query.filter(Objection.package_id == active_dataset(data["package_id"]).id)
    status = data.get("status") or "open"
    if status == "open":
        query = query.filter(Objection.status.in_(workflow.OPEN_STATES))
    elif status != "all":
        query = query.filter(Objection.status == status)
    today = workdays.today_beijing()
    if data.get("overdue"):
        query = query.filter(workflow.overdue_clause(today))
    # ordered, filtered, counted and paged on the stored due date (``Objection.due_on``,
    # written whenever the clock or the calendar changes); the page's clocks computed now
    counts = dict(query.with_entities(Objection.status, sa.func.count(Objection.id)).group_by(
        Objection.status).order_by(None))
    overdue = query.filter(workflow.overdue_clause(today)).with_entities(
        sa.func.count(Objection.id)).order_by(None).scalar()
    total = sum(counts.values())
    order = [Objection.due_on, Objection.created, Objection.id]
    start, limit = data["offset"], data["limit"]
    if start > total // 2 and start < total:
        # past the middle: read from the other end (an offset's cost grows with it)
        n = min(limit, total - start)
        ids = [r.id for r in query.with_entities(Objection.id).order_by(
            *(c.desc() for c in order)).offset(total - start - n).limit(n)][::-1]
    else:
        ids = [r.id for r in query.with_entities(Objection.id).order_by(*order).offset(
            start).limit(limit)]
    cal = workdays.Calendar()
    rows, kept = _page(Objection, ids)
    results = [workflow.objection_dict(o, "insider", cal, events=False) for o in rows]
    del kept  # held while the page was dictized
    return {"count": total, "status_counts": counts, "overdue": overdue, "results": results}


def _page(model_class, ids: list[str]) -> tuple[list, list]:
    """The rows of one page, in the order of ``ids``, and what their dicts read (datasets,
    agencies, resources, people) loaded in a few queries instead of a few per row (keep
    the second list while dictizing: ``workflow.prefetch``)."""
    by_id = {row.id: row for row in model.Session.query(model_class).filter(
        model_class.id.in_(ids or [""])).populate_existing()}
    rows = [by_id[i] for i in ids if i in by_id]
    return rows, workflow.prefetch(rows)


def paged(query, order, data: dict, as_dict) -> dict[str, Any]:
    """``count`` (a count query) and one page (``limit``/``offset`` in SQL) of ``query``."""
    count = query.order_by(None).count()
    rows = query.order_by(*order).offset(data["offset"]).limit(data["limit"]).all()
    kept = workflow.prefetch(rows)  # noqa: F841 (held while the page is dictized)
    results = [as_dict(r) for r in rows]
    del kept
    return {"count": count, "results": results}


@tk.side_effect_free
def lyg_opendata_objection_my_list(context, data_dict):
    """The objections the caller raised (我的异议), newest first.

    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    """
    tk.check_access("lyg_opendata_objection_my_list", context, data_dict)
    data = schema.validate(data_dict, schema.page_schema())
    user = acting_user(context)
    cal = workdays.Calendar()
    query = model.Session.query(Objection).filter(Objection.raised_by == user.id)
    return paged(query, (Objection.created.desc(), Objection.id), data,
                  lambda o: workflow.objection_dict(o, "raiser", cal, events=False))
