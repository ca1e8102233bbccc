"""Pages and downloads of the open list (开放清单, Art 11).

    /opendata/list                          the whole catalog (page)
    /opendata/list.csv, /opendata/list.xlsx the whole catalog (download)
    /organization/<id>/open-list            one agency (page, a tab of the agency's pages)
    /organization/<id>/open-list.csv|.xlsx  one agency (download)

``?published_only=true`` limits the list to published entries for those who see more.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote

from flask import Blueprint, Response, stream_with_context

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.lyg_opendata import spreadsheet
from ckanext.lyg_opendata.catalog import openlist

_ = tk._

openlist_blueprint = Blueprint("lyg_opendata_openlist", __name__)

PER_PAGE = 50


def _user() -> str:
    return tk.current_user.name if tk.current_user.is_authenticated else ""


def _params(org_id: Optional[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if org_id:
        params["organization"] = org_id
    if "published_only" in tk.request.args:
        params["published_only"] = tk.request.args.get("published_only")
    return params


def _error_message(e: tk.ValidationError) -> str:
    return "；".join(f"{k}: {'; '.join(str(m) for m in v) if isinstance(v, list) else v}"
                    for k, v in e.error_dict.items())


def _page(org_id: Optional[str]):
    page_number = tk.h.get_page_number(tk.request.args)
    params = _params(org_id)
    try:
        result = tk.get_action("lyg_opendata_open_list")(
            {"user": _user()}, {**params, "limit": PER_PAGE, "offset": (page_number - 1) * PER_PAGE})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Data-opening body not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or _("Not authorized"))
    except tk.ValidationError as e:
        return tk.abort(400, _error_message(e))

    def pager_url(q=None, page=None):
        args = {k: v for k, v in params.items() if k != "organization"}
        if org_id:
            return tk.h.url_for("lyg_opendata_openlist.organization", id=org_id, page=page, **args)
        return tk.h.url_for("lyg_opendata_openlist.catalog", page=page, **args)

    page = Page(collection=result["results"], page=page_number, url=pager_url,
                item_count=result["count"], items_per_page=PER_PAGE, presliced_list=True)
    extra = {"result": result, "page": page,
             "published_only": bool(params.get("published_only") not in (None, "", "false", "0")),
             "sees_unpublished": openlist.sees_unpublished(_user(), org_id)}
    if org_id:
        group_dict = tk.get_action("organization_show")(
            {"user": _user()}, {"id": org_id, "include_datasets": False})
        return tk.render("lyg_opendata/openlist/organization.html",
                         {**extra, "group_dict": group_dict, "group_type": "organization"})
    return tk.render("lyg_opendata/openlist/catalog.html", extra)


def _download(org_id: Optional[str], fmt: str):
    if fmt not in openlist.FORMATS:
        return tk.abort(404, _("Unknown download format"))
    context = {"user": _user()}
    try:
        data, org = openlist.validate(_params(org_id))
        tk.check_access("lyg_opendata_open_list", context, data)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Data-opening body not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or _("Not authorized"))
    except tk.ValidationError as e:
        return tk.abort(400, _error_message(e))
    published_only = bool(data.get("published_only"))
    user = context["user"]
    cols = openlist.columns(not published_only and openlist.sees_unpublished(user, org.id if org else None))
    entries = openlist.iter_entries(user, org.id if org else None, published_only)
    name = openlist.filename(org, fmt)
    headers = {"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
               "Cache-Control": "private, no-store"}
    if fmt == "csv":
        body = (chunk.encode("utf-8") for chunk in openlist.csv_chunks(entries, cols))
        return Response(stream_with_context(body), mimetype="text/csv; charset=utf-8", headers=headers)
    title = org.title if org else _("Open list")
    return spreadsheet.stream(openlist.xlsx_file(entries, cols, title), headers)


def catalog():
    return _page(None)


def catalog_download(fmt: str):
    return _download(None, fmt)


def _org_id(id: str) -> str:
    org = model.Group.get(id)
    if org is None or not org.is_organization or org.state != "active":
        return tk.abort(404, _("Data-opening body not found"))
    return org.id


def organization(id: str):
    return _page(_org_id(id))


def organization_download(id: str, fmt: str):
    return _download(_org_id(id), fmt)


openlist_blueprint.add_url_rule("/opendata/list", view_func=catalog)
openlist_blueprint.add_url_rule("/opendata/list.<fmt>", view_func=catalog_download)
openlist_blueprint.add_url_rule("/organization/<id>/open-list", view_func=organization)
openlist_blueprint.add_url_rule("/organization/<id>/open-list.<fmt>", view_func=organization_download)
