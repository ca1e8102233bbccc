"""Chained core actions that keep conditional data from leaking (Art 17) and write its use
by grantees to the access log (Art 21). The rules themselves live in ``rights`` and
``redaction``; the activity stream's chains in ``enforcement.activity``.

- ``package_show``: a conditional dataset is never answered from the index cache (the
  index stores it redacted), so the agency and grantees get their addresses; an API answer
  carrying a grantee's addresses is logged (channel ``api``). ``resource_show`` likewise.
- ``resource_search`` reads addresses straight from the database: results are redacted,
  and a query on an address field (``url:…``) never matches what the user may not use.
- ``resource_view_list`` / ``resource_view_show``: no previews (nor their configuration)
  of a resource the user may not use.
- ``dataset_followee_list`` / ``followee_list`` dictize datasets themselves: redacted.
- ``datastore_search`` (when the DataStore is enabled): a grantee's query is logged
  (channel ``datastore``); who may query is decided by ``enforcement.auth``."""
from __future__ import annotations

import contextvars
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from sqlalchemy.orm import Session

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.access import redaction, rights
from ckanext.lyg_opendata.access.enforcement import guard


__all__ = [
    "package_show",
    "package_search",
    "resource_show",
    "resource_search",
    "resource_view_list",
    "resource_view_show",
    "dataset_followee_list",
    "followee_list",
]


# --- show and the API access log ----------------------------------------------------------

def _top_level_api_call(action: str) -> bool:
    """This action is the one the API request asked for (not an inner call)."""
    try:
        return (tk.request.endpoint == "api.action"
                and (tk.request.view_args or {}).get("logic_function") == action)
    except RuntimeError:  # outside a request
        return False


def _log_api(context, pkg_id: str, resource_ids: list[str]) -> None:
    """A grantee was served these resources' addresses through the API."""
    pkg = model.Package.get(pkg_id)
    if pkg is None or not rights.is_conditional(pkg):
        return
    r = rights.rights_for_package(context.get("user"), pkg)
    if r.all:
        return
    for rid in resource_ids:
        if rid in r.granted and not guard.already_recorded(pkg.id, rid):
            guard.mark_recorded(pkg.id, rid)
            guard.record(context.get("user"), pkg, rid, "api", r.granted[rid])


@tk.chained_action
@tk.side_effect_free
def package_show(next_, context, data_dict):
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name_or_id") or "")
    if pkg is not None and rights.is_conditional(pkg):
        # the index holds the redacted dict: build it from the database, per user
        context["use_cache"] = False
    if pkg is not None and data_dict.get("id") not in (None, pkg.id):
        # asked by name: core looks the dataset up again; by its id that is the session's
        # identity map (no query) instead of two more queries (by id, then by name)
        data_dict = {**data_dict, "id": pkg.id}
    result = next_(context, data_dict)
    if pkg is not None and _top_level_api_call("package_show"):
        _log_api(context, pkg.id, [r["id"] for r in result.get("resources") or []
                                   if not r.get("lyg_redacted")])
    return result


@tk.chained_action
@tk.side_effect_free
def resource_show(next_, context, data_dict):
    result = next_(context, data_dict)
    if _top_level_api_call("resource_show") and not result.get("lyg_redacted"):
        _log_api(context, result.get("package_id") or "", [result.get("id")])
    return result


# --- resource_search ------------------------------------------------------------------------

# fields of resource_search that are public metadata; a query on any other field (url,
# hash, extras …) could probe what a conditional resource holds
PUBLIC_RESOURCE_FIELDS = {"name", "description", "format", "mimetype", "resource_type",
                          "id", "package_id", "position", "state", "created",
                          "metadata_modified", "last_modified"}


def _query_fields(data_dict) -> set[str]:
    query = data_dict.get("query") or []
    if isinstance(query, str):
        query = [query]
    return {str(pair).split(":", 1)[0] for pair in query if ":" in str(pair)}


# The restriction of a ``resource_search`` on a restricted field: a criterion that SQLAlchemy
# adds to every query of resources run while core's action runs (its count and its page),
# so that the database counts and pages only what the user may use.
_USABLE = contextvars.ContextVar("lyg_opendata_usable_resources", default=None)


def _usable_resources(user) -> Any:
    """SQL criterion on ``resource``: not a resource of a conditional dataset, unless the user
    is a member of its data-opening body or holds a valid grant for it (``rights.rights``);
    None for sysadmins (who may use everything)."""
    from ckanext.lyg_opendata import roles
    from ckanext.lyg_opendata.access.grants import _valid
    from ckanext.lyg_opendata.access.model import Grant

    obj = roles._user(user)
    if obj is not None and obj.sysadmin:
        return None
    conditional = sa.select(model.Package.id).where(
        model.Package.extras["open_type"].astext == "conditional")
    granted: set[str] = set()
    if obj is not None:
        member_of = sa.select(model.Member.group_id).where(
            model.Member.table_name == "user", model.Member.table_id == obj.id,
            model.Member.state == "active")
        conditional = conditional.where(sa.or_(model.Package.owner_org.is_(None),
                                               model.Package.owner_org.not_in(member_of)))
        for (ids,) in _valid(model.Session.query(Grant.resource_ids).filter(
                Grant.user_id == obj.id)):
            granted.update(ids or [])
    hidden = model.Resource.package_id.in_(conditional)
    if granted:
        hidden = sa.and_(hidden, model.Resource.id.not_in(sorted(granted)))
    return sa.not_(hidden)


@sa.event.listens_for(Session, "do_orm_execute")
def _restrict_resource_queries(state) -> None:
    usable = _USABLE.get()
    if usable is not None and state.is_select:
        state.statement = state.statement.options(
            sa_orm.with_loader_criteria(model.Resource, usable))


def _resource_visible(user, res: dict[str, Any], cache: dict) -> bool:
    pkg_id = res.get("package_id")
    if pkg_id not in cache:
        pkg = model.Package.get(pkg_id) if pkg_id else None
        cache[pkg_id] = (pkg, rights.rights_for_package(user, pkg)
                         if pkg is not None and rights.is_conditional(pkg) else None)
    _pkg, r = cache[pkg_id]
    return r is None or r.may_use(res.get("id"))


def _redact_resource(res: dict[str, Any], pkg: model.Package) -> None:
    holder = {"name": pkg.name, "id": pkg.id, "extras": [
        {"key": k, "value": v} for k, v in (pkg.extras or {}).items()], "resources": [res]}
    redaction.redact_resources(holder)


# fields of the search index that may hold what a conditional resource keeps from the
# public: ordering by one of them is an oracle (a probe resource's position among the others
# reveals the hidden value character by character); for resource_search every field but
# PUBLIC_RESOURCE_FIELDS
def restricted_index_field(name: str) -> bool:
    name = name.strip().lower()
    return (name in {"res_url", "urls", "url", "download_url", "extras"}
            or name.startswith(("res_", "extras_")))


def _sees_all(context) -> bool:
    """Sysadmins may use every dataset's data: no ordering can tell them anything."""
    if context.get("ignore_auth"):
        return True
    from ckanext.lyg_opendata import roles
    user = roles._user(context.get("user"))
    return bool(user is not None and user.sysadmin)


def _refuse_order(field: str, value: str):
    raise tk.ValidationError({field: [
        tk._("Results cannot be ordered by %s: it may hold data that is not open (Art 17)")
        % value]})


@tk.chained_action
@tk.side_effect_free
def package_search(next_, context, data_dict):
    """No ordering by a field that can hold resource data (``res_url``, ``urls``, any
    ``res_*`` or ``extras_*``) but for sysadmins (the index holds no address of conditional
    data either; this closes the oracle for any value a future field might hold)."""
    sort = data_dict.get("sort") if isinstance(data_dict, dict) else None
    if isinstance(sort, str) and not _sees_all(context):
        for clause in sort.split(","):
            field = clause.strip().split(" ")[0]
            if field and restricted_index_field(field):
                _refuse_order("sort", field)
    return next_(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def resource_search(next_, context, data_dict):
    """Redacted results; a query on an address field matches only what the user may use
    (the database counts and pages after that filter: ``_usable_resources``); ordering by
    such a field is refused but to sysadmins."""
    if context.get("search_query"):
        return next_(context, data_dict)
    query = data_dict.get("query") if isinstance(data_dict, dict) else None
    if (query is not None and not isinstance(query, (str, list, tuple))) or (
            isinstance(query, (list, tuple)) and not all(isinstance(q, str) for q in query)):
        # core splits each pair as text: a number (or ``false``) in or as the list was a 500
        # (found by the fuzzer)
        raise tk.ValidationError({"query": [tk._("Must be <field>:<value> pair(s)")]})
    order_by = data_dict.get("order_by") if isinstance(data_dict, dict) else None
    if isinstance(order_by, str) and order_by.strip() not in PUBLIC_RESOURCE_FIELDS \
            and order_by.strip() and not _sees_all(context):
        _refuse_order("order_by", order_by.strip()[:100])
    user = context.get("user")
    cache: dict = {}
    if _query_fields(data_dict) - PUBLIC_RESOURCE_FIELDS:
        usable = _usable_resources(user)
        if usable is None:
            return next_(context, data_dict)
        token = _USABLE.set(usable)
        try:
            return next_(context, data_dict)
        finally:
            _USABLE.reset(token)
    result = next_(context, data_dict)
    for res in result.get("results") or []:
        if not _resource_visible(user, res, cache):
            _redact_resource(res, cache[res.get("package_id")][0])
    return result


# --- previews ---------------------------------------------------------------------------------

@tk.chained_action
@tk.side_effect_free
def resource_view_list(next_, context, data_dict):
    """A resource's views are previews of its data: none for whoever may not use it (the
    resource page then renders no preview, whose data tables would query the DataStore)."""
    views = next_(context, data_dict)
    res = model.Resource.get(data_dict.get("id") or "")
    if res is not None and rights.is_conditional(res.package) and not \
            rights.rights_for_package(context.get("user"), res.package).may_use(res.id):
        return []
    return views


@tk.chained_action
@tk.side_effect_free
def resource_view_show(next_, context, data_dict):
    """A view's configuration may hold the data's address (an image or web page view):
    refused to whoever may not use the resource."""
    view = next_(context, data_dict)
    res = model.Resource.get(view.get("resource_id") or "")
    if res is not None and rights.is_conditional(res.package) and not \
            rights.rights_for_package(context.get("user"), res.package).may_use(res.id):
        raise tk.NotAuthorized(tk._(redaction.CONDITIONAL_DATA_MESSAGE))
    return view


# --- datasets dictized by core itself --------------------------------------------------------

@tk.chained_action
@tk.side_effect_free
def dataset_followee_list(next_, context, data_dict):
    return [redaction.redact_for(context.get("user"), d) for d in next_(context, data_dict)]


@tk.chained_action
@tk.side_effect_free
def followee_list(next_, context, data_dict):
    result = next_(context, data_dict)
    for item in result:
        if item.get("type") == "dataset" and isinstance(item.get("dict"), dict):
            redaction.redact_for(context.get("user"), item["dict"])
    return result


# --- DataStore (registered only when the DataStore plugin is enabled) ----------------------

@tk.chained_action
@tk.side_effect_free
def datastore_search(next_, context, data_dict):
    """A grantee's DataStore query is written to the access log (once per request); a
    query for no rows (``limit=0``: the field list a page asks for) serves no data.
    The DataStore's "public tables" (``ckan.datastore.public_table_search``, by default its
    ``_table_metadata``, which lists every table and alias) are not public here: CKAN
    searches them without any auth decision."""
    public = tk.config.get("ckan.datastore.public_table_search") or []
    if isinstance(data_dict, dict) and data_dict.get("resource_id") in public:
        raise tk.NotAuthorized(tk._("This table of the DataStore is not public on this portal."))
    result = next_(context, data_dict)
    if str(data_dict.get("limit")) == "0":
        return result
    res = model.Resource.get(result.get("resource_id") or data_dict.get("resource_id") or "")
    if res is not None and rights.is_conditional(res.package):
        r = rights.rights_for_package(context.get("user"), res.package)
        if not r.all and r.may_use(res.id) and not guard.already_recorded(res.package_id, res.id):
            guard.mark_recorded(res.package_id, res.id)
            guard.record(context.get("user"), res.package, res.id, "datastore", r.granted[res.id])
    return result

__all__.append("datastore_search")  # registered while the DataStore is loaded (registry.REQUIRES)
