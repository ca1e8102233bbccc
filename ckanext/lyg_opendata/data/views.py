"""Form endpoints of the scan findings on the resource page: mark a finding as a false
positive (with a reason), scan again."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms

_ = tk._

__all__ = ["data_blueprint"]

data_blueprint = Blueprint("lyg_opendata_data", __name__)


@data_blueprint.before_app_request
def _row_api_limit():
    from ckanext.lyg_opendata.data import ratelimit
    return ratelimit.check()


@data_blueprint.before_app_request
def _xloader_retry_needs_the_agency():
    """xloader's retry button (POST to its DataStore tab) calls ``xloader_submit`` without
    catching a refusal: an outsider's POST ended in an unhandled NotAuthorized (a 500).
    Refused here with a 403 first; the agency's POST goes on to xloader."""
    if tk.request.endpoint != "xloader.resource_data" or tk.request.method != "POST":
        return None
    rid = (tk.request.view_args or {}).get("resource_id") or ""
    try:
        tk.check_access("xloader_submit", _context(), {"resource_id": rid})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the editors of the dataset's data-opening body load its "
                               "files into the DataStore"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Resource not found"))
    return None


@data_blueprint.before_app_request
def _hold_until_scanned():
    from ckanext.lyg_opendata.data import hold
    return hold.check()


_context = forms.context


def _back(id: str, resource_id: str):
    return tk.redirect_to(tk.url_for("resource.read", id=id, resource_id=resource_id)
                          + "#scan-findings")


@data_blueprint.route("/dataset/<id>/resource/<resource_id>/scan/<finding_id>/dismiss",
                      methods=["POST"])
def dismiss(id: str, resource_id: str, finding_id: str):
    try:
        tk.get_action("lyg_opendata_scan_finding_dismiss")(_context(), {
            "id": finding_id, "reason": tk.request.form.get("reason", "")})
        tk.h.flash_success(_("The finding is marked as a false positive."))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the editors of the dataset's data-opening body resolve "
                               "scan findings"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Finding not found"))
    except tk.ValidationError as e:
        tk.h.flash_error("；".join(str(m) for msgs in e.error_dict.values() for m in
                                  (msgs if isinstance(msgs, list) else [msgs])))
    return _back(id, resource_id)


@data_blueprint.route("/dataset/<id>/resource/<resource_id>/scan", methods=["POST"])
def rescan(id: str, resource_id: str):
    try:
        tk.get_action("lyg_opendata_scan_run")(_context(), {"resource_id": resource_id})
        tk.h.flash_success(_("The file is queued for a new scan."))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the editors of the dataset's data-opening body resolve "
                               "scan findings"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Resource not found"))
    return _back(id, resource_id)


@data_blueprint.before_app_request
def _xlsx_dump():
    """``/datastore/dump/<id>?format=xlsx``: CKAN 2.12's dump knows csv, tsv, json and xml
    only (and answers xlsx with a 500); the XLSX is written here from datastore_search as
    the visitor (the guard's auth applies; rate-limited as a dump)."""
    if tk.request.endpoint != "datastore.dump" or \
            (tk.request.args.get("format") or "").lower() != "xlsx":
        return None
    return xlsx_dump((tk.request.view_args or {}).get("resource_id", ""))


def xlsx_dump(resource_id: str):
    import io

    from flask import send_file
    from openpyxl import Workbook
    context = _context()
    try:
        first = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource_id, "limit": 0})
    except tk.NotAuthorized:
        return tk.abort(403, _("Not authorized to download this data"))
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, _("Resource not found"))
    fields = [f["id"] for f in first["fields"] if f["id"] != "_id"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(fields)
    offset, page = 0, 10000
    while True:
        chunk = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource_id, "limit": page, "offset": offset, "sort": "_id",
            "fields": fields})
        for rec in chunk["records"]:
            ws.append([rec.get(f) for f in fields])
        offset += page
        if len(chunk["records"]) < page:
            break
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return send_file(out, download_name=f"{resource_id}.xlsx", as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
