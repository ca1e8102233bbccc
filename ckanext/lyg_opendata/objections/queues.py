"""The lists of objections: the agency's queue and the supervisors' moderation queue
(oldest deadline first), 我的异议; paged in the database, related rows loaded per page."""
from __future__ import annotations

from typing import Any

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
    cal = workdays.Calendar()
    # the deadline is computed (working days), never stored: sort, filter and count on the
    # clock's columns, then load and show one page
    light = query.with_entities(  # plain rows, no objects: the clock reads them by name
        Objection.id, Objection.status, Objection.clock_start, Objection.deadline_days,
        Objection.created)
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
    rows, kept = _page(Objection, [k[2] for k in keyed[start:start + data["limit"]]])
    results = [workflow.objection_dict(o, "insider", cal, events=False) for o in rows]
    del kept  # held while the page was dictized
    return {"count": len(keyed), "status_counts": counts,
            "overdue": sum(1 for k in keyed if k[4]), "results": results}


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
