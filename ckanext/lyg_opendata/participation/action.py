"""Actions of data requests (数据需求, Art 18, 25). Requests are public; the requester's
contact never is, their name only as they chose (real or masked)."""
from __future__ import annotations

from typing import Any, Optional

import logging

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata.objections import workflow as objections_workflow
from ckanext.lyg_opendata.participation import notices, schema, workflow  # noqa: F401 (notices: the receivers)
from ckanext.lyg_opendata.participation import search as request_search
from ckanext.lyg_opendata.participation.model import DataRequest, DataRequestDataset

_ = tk._
log = logging.getLogger(__name__)

__all__ = [
    "lyg_opendata_data_request_create",
    "lyg_opendata_data_request_show",
    "lyg_opendata_data_request_list",
    "lyg_opendata_data_request_route",
    "lyg_opendata_data_request_claim",
    "lyg_opendata_data_request_answer",
    "lyg_opendata_data_request_supplement",
    "lyg_opendata_data_request_withdraw",
    "lyg_opendata_data_request_hide",
    "lyg_opendata_data_request_support",
]


def _org(name_or_id: Optional[str], field: str = "organization") -> model.Group:
    org = model.Group.get(name_or_id) if name_or_id else None
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({field: [_("No such data-opening body")]})
    return org


def _view(context, req: DataRequest) -> dict[str, Any]:
    user = context.get("user")
    return workflow.request_dict(req, workflow.viewer_level(user, req), user)


def lyg_opendata_data_request_create(context, data_dict):
    """File a public request for data that is not open yet (logged-in users; the objections'
    rate limit per user applies).

    :param title: what data (4–200 characters)
    :param description: details of the data wanted
    :param purpose: what it is for (optional)
    :param data_format: ``table``, ``api``, ``geo``, ``document`` or ``any`` (optional)
    :param frequency: how often it should be updated, a code of ``update_frequency`` (optional)
    :param organization: the data-opening body that holds it, if known (optional)
    :param show_name: show the requester's real name (default false: masked as 王**)
    :param contact: how the agency may reach you (optional; never public)
    :returns: the request as its requester sees it
    """
    tk.check_access("lyg_opendata_data_request_create", context, data_dict)
    data = schema.validate(data_dict, schema.create_schema())
    suggested = _org(data["organization"]).id if data.get("organization") else None
    user = roles._user(context.get("user"))
    if not context.get("ignore_auth"):
        objections_workflow.check_rate(DataRequest, DataRequest.requested_by, None,
                                       user.id if user else None, None)
    req = DataRequest(title=data["title"], description=data["description"],
                      purpose=data.get("purpose"), data_format=data.get("data_format"),
                      frequency=data.get("frequency"), suggested_org_id=suggested,
                      requested_by=user.id if user else None,
                      show_name=bool(data.get("show_name")), contact=data.get("contact"),
                      status="submitted")
    model.Session.add(req)
    model.Session.flush()
    workflow.record(req, context.get("user"), "create", None, "submitted", role="requester")
    workflow.shared.commit(context)
    return _view(context, req)


@tk.side_effect_free
def lyg_opendata_data_request_show(context, data_dict):
    """One data request with its timeline, as the caller may see it.

    :param id: the request's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    req = workflow.get(data["id"])
    tk.check_access("lyg_opendata_data_request_show", context, data)
    return _view(context, req)


@tk.side_effect_free
def lyg_opendata_data_request_list(context, data_dict):
    """Data requests, most supported first (or newest). Hidden ones are listed only for
    supervisors.

    :param status: a status code, ``open`` (waiting for an agency: submitted, assigned,
        need_info) or ``all`` (default: every status but hidden and withdrawn)
    :param organization: the data-opening body it is routed to (name or id)
    :param package_id: requests linked to this dataset
    :param q: words of the title, details or purpose, searched through Solr (Chinese
        substrings, traditional characters, title pinyin); withdrawn and hidden requests
        (not indexed) by a plain text match
    :param sort: ``support`` (default), ``newest`` or ``relevance`` (the default with ``q``)
    :param overdue: only requests past their answer deadline
    :param mine: only the caller's own requests
    :param limit: at most this many (default 50, at most 200); ``offset``
    :returns: ``{"count", "results", "sort"}`` (``sort``: the order applied)
    """
    tk.check_access("lyg_opendata_data_request_list", context, data_dict)
    data = schema.validate(data_dict, schema.list_schema())
    user = context.get("user")
    supervisor = roles.is_supervisor(user)
    query = model.Session.query(DataRequest)
    status = data.get("status")
    if status == "open":
        query = query.filter(DataRequest.status.in_(("submitted", "assigned", "need_info")))
    elif status and status != "all":
        if status not in workflow.ALL_STATES:
            raise tk.ValidationError({"status": [_("Unknown status")]})
        query = query.filter(DataRequest.status == status)
    elif not status:
        query = query.filter(DataRequest.status.notin_(("hidden", "withdrawn")))
    if not supervisor:
        me = roles._user(user)
        query = query.filter(sa.or_(DataRequest.status != "hidden",
                                    DataRequest.requested_by == (me.id if me else None)))
    if data.get("organization"):
        query = query.filter(DataRequest.organization_id == _org(data["organization"]).id)
    if data.get("package_id"):
        pkg = model.Package.get(data["package_id"])
        if pkg is None:
            raise tk.ObjectNotFound(_("Dataset not found"))
        query = query.join(DataRequestDataset, DataRequestDataset.request_id == DataRequest.id
                           ).filter(DataRequestDataset.package_id == pkg.id)
    if data.get("mine"):
        me = roles._user(user)
        query = query.filter(DataRequest.requested_by == (me.id if me else None))
    ranks: dict[str, int] = {}
    if data.get("q"):
        query, ranks = _match(query, data["q"])
    sort = data.get("sort") or ("relevance" if data.get("q") else "support")
    if sort == "newest":
        query = query.order_by(DataRequest.created.desc(), DataRequest.id)
    else:
        query = query.order_by(DataRequest.support_count.desc(), DataRequest.created.desc(),
                               DataRequest.id)
    cal = workdays.Calendar()
    rows = query.all()
    if sort == "relevance" and ranks:  # Solr's order; the rest (found by SQL) after it
        rows.sort(key=lambda r: ranks.get(r.id, len(ranks)))
    out = [workflow.request_dict(r, workflow.viewer_level(user, r), user, cal, events=False)
           for r in rows]
    if data.get("overdue"):
        out = [r for r in out if r["overdue"]]
    limit = min(int(data.get("limit") or 50), 200)
    offset = int(data.get("offset") or 0)
    return {"count": len(out), "results": out[offset:offset + limit], "sort": sort}


def _like(q: str):
    """The plain text match: the fields the index holds (title, details, purpose)."""
    like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(*(column.ilike(like, escape="\\") for column in (
        DataRequest.title, DataRequest.description, DataRequest.purpose)))


def _match(query, q: str):
    """The requests matching ``q``: through Solr (Chinese analysis, pinyin, relevance) for
    the indexed ones; withdrawn and hidden ones (not in the index, listed only for who may
    see them) by a plain SQL match. When Solr cannot be reached, SQL for all (logged)."""
    try:
        ids = request_search.matching_ids(q)
    except Exception:  # pysolr.SolrError, connection errors: the list still answers
        log.warning("data-request search through Solr failed; SQL match instead", exc_info=True)
        return query.filter(_like(q)), {}
    unindexed = sa.and_(DataRequest.status.in_(request_search.UNINDEXED), _like(q))
    return (query.filter(sa.or_(DataRequest.id.in_(ids), unindexed)),
            {rid: i for i, rid in enumerate(ids)})


def _transition(context, data_dict, verb: str, schema_: dict, **fields) -> dict:
    data = schema.validate(data_dict, schema_)
    workflow.get(data["id"])
    tk.check_access(f"lyg_opendata_data_request_{verb}", context, data)
    req = workflow.transition(context, data["id"], verb,
                              **{k: (data.get(v) if isinstance(v, str) else v)
                                 for k, v in fields.items()})
    return _view(context, req)


def lyg_opendata_data_request_route(context, data_dict):
    """Route a request to a data-opening body (supervisors); its answer clock starts.

    :param id: the request's id
    :param organization: the data-opening body (name or id)
    :param comment: optional note
    """
    data = schema.validate(data_dict, schema.route_schema())
    org = _org(data["organization"])
    return _transition(context, data_dict, "route", schema.route_schema(), organization=org,
                       text="comment")


def lyg_opendata_data_request_claim(context, data_dict):
    """A data-opening body takes up a request waiting to be routed (认领).

    :param id: the request's id
    :param organization: which of the caller's bodies (optional when they edit for one only)
    """
    data = schema.validate(data_dict, schema.claim_schema())
    user = context.get("user")
    mine = [i for i in roles.editable_org_ids(user)]
    if data.get("organization"):
        org = _org(data["organization"])
        if org.id not in mine:
            raise tk.ValidationError({"organization": [
                _("You do not edit for this data-opening body")]})
    elif len(mine) == 1:
        org = model.Session.get(model.Group, mine[0])
    else:
        raise tk.ValidationError({"organization": [_("Choose the data-opening body")]})
    return _transition(context, data_dict, "claim", schema.claim_schema(), organization=org)


def _published(pkg: model.Package) -> bool:
    return pkg.state == "active" and not pkg.private and \
        pkg.extras.get("review_status") == "published"


def _datasets(names: list[str], must_be_published: bool) -> list[str]:
    ids = []
    for name in names:
        pkg = model.Package.get(name)
        if pkg is None or pkg.state == "deleted" or pkg.type != "dataset":
            raise tk.ValidationError({"datasets": [_("No such dataset: %s") % name]})
        if must_be_published and not _published(pkg):
            raise tk.ValidationError({"datasets": [_("This dataset is not published: %s") % name]})
        ids.append(pkg.id)
    return ids


def lyg_opendata_data_request_answer(context, data_dict):
    """The data-opening body's answer (within the configured working days):

    - ``planned`` 将开放: ``planned_date`` (today or later) required; ``datasets`` optional
      (the draft that will answer it: once published the request shows 已开放);
    - ``opened`` 已开放: ``datasets`` (published) required;
    - ``conditional`` 有条件开放: ``application_url`` (where to apply) required;
    - ``refused`` 不予开放: ``legal_basis`` (a ``non_open_basis`` code) and ``text`` (the
      reason) required;
    - ``not_ours`` 非本单位数据: back to the supervisors for routing (``text`` optional);
    - ``need_info`` 需补充说明: ``text`` (what is missing) required; the clock pauses until
      the requester adds the details.

    :param id: the request's id
    """
    data = schema.validate(data_dict, schema.answer_schema())
    workflow.get(data["id"])
    tk.check_access("lyg_opendata_data_request_answer", context, data)
    answer = data["answer"]
    errors: dict[str, list] = {}
    fields: dict[str, Any] = {"text": data.get("text")}
    if answer in ("refused", "need_info") and not (data.get("text") or "").strip():
        errors["text"] = [_("Missing value")]
    if answer == "planned":
        if not data.get("planned_date"):
            errors["planned_date"] = [_("Missing value")]
        elif data["planned_date"] < workdays.today_beijing():
            errors["planned_date"] = [_("The planned date cannot be in the past")]
        fields["planned_date"] = data.get("planned_date")
    if answer == "opened" and not data.get("datasets"):
        errors["datasets"] = [_("Link the published dataset(s)")]
    if answer == "conditional":
        if not data.get("application_url"):
            errors["application_url"] = [_("Missing value")]
        fields["application_url"] = data.get("application_url")
    if answer == "refused":
        if not data.get("legal_basis"):
            errors["legal_basis"] = [_("Missing value")]
        fields["legal_basis"] = data.get("legal_basis")
    if errors:
        raise tk.ValidationError(errors)
    if data.get("datasets") and answer in ("planned", "opened", "conditional"):
        fields["package_ids"] = _datasets(data["datasets"], must_be_published=answer == "opened")
    req = workflow.transition(context, data["id"], f"answer_{answer}", **fields)
    return _view(context, req)


def lyg_opendata_data_request_supplement(context, data_dict):
    """The requester adds the details asked for (需补充说明); the clock resumes.

    :param id: the request's id
    :param text: the details
    """
    return _transition(context, data_dict, "supplement", schema.reason_schema("text"),
                       text="text")


def lyg_opendata_data_request_withdraw(context, data_dict):
    """The requester withdraws a request not yet answered.

    :param id: the request's id
    :param reason: optional
    """
    return _transition(context, data_dict, "withdraw",
                       {**schema.id_schema(), "reason": schema.text(required=False)},
                       text="reason")


def lyg_opendata_data_request_hide(context, data_dict):
    """Supervisors hide a request (abuse, personal details…) with a reason (kept in the record,
    not public).

    :param id: the request's id
    :param reason: why (required)
    """
    return _transition(context, data_dict, "hide", schema.reason_schema(), text="reason")


def lyg_opendata_data_request_support(context, data_dict):
    """"+1": the caller needs this data too (one per user; not for one's own request).

    :param id: the request's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    workflow.get(data["id"])
    tk.check_access("lyg_opendata_data_request_support", context, data)
    req = workflow.support(context, data["id"])
    return _view(context, req)
