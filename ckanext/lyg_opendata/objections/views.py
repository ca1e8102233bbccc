"""Pages of objections and reports: the dataset's objections tab and raise form, an
objection's page (timeline and the forms of whoever may act), the agency's queue, the
supervisors' moderation queue, 我的异议, the report form and the supervisors' reports."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, send_file

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.objections import codes, evidence, workflow
from ckanext.lyg_opendata.objections.action import marker
from ckanext.lyg_opendata.objections.corrections import dataset_changes

_ = tk._

__all__ = ["objections_blueprint"]

objections_blueprint = Blueprint("lyg_opendata_objections", __name__)


_context = forms.context
_login_first = forms.login_first
_dataset = forms.dataset


def dataset(id: str):
    pkg = _dataset(id)
    number, paging = _paging()
    result = tk.get_action("lyg_opendata_objection_list")(
        _context(), {"package_id": pkg["id"], **paging})
    return tk.render("lyg_opendata/objections/dataset.html", {
        "pkg": pkg, "pkg_dict": pkg, "dataset_type": pkg["type"], "objections": result,
        "marker": marker(pkg["id"]),
        "page": _pager(result, number, "lyg_opendata_objections.dataset", {"id": id})})


def _resource_choices(pkg: dict) -> list[dict]:
    return [{"value": "", "text": _("(the whole dataset)")}] + [
        {"value": r["id"], "text": r.get("name") or r.get("url") or r["id"]}
        for r in pkg.get("resources") or []]


def _item_choices(pkg: dict) -> list[dict]:
    items = pkg.get("data_items") or []
    return [{"value": "", "text": _("(no particular data item)")}] + [
        {"value": i.get("code"), "text": f"{i.get('name_zh') or ''}（{i.get('code')}）"}
        for i in items if isinstance(i, dict) and i.get("code")]


def new(id: str):
    if not tk.current_user.is_authenticated:
        return _login_first()
    pkg = _dataset(id)
    data: dict[str, Any] = {"type": tk.request.args.get("type", "error"),
                            "resource_id": tk.request.args.get("resource_id", ""),
                            "data_item_code": tk.request.args.get("data_item_code", "")}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in ("type", "description", "resource_id",
                                             "data_item_code", "contact")}
        payload = {**{k: v for k, v in data.items() if v}, "package_id": pkg["id"]}
        if forms.upload("evidence"):
            payload["evidence"] = forms.upload("evidence")
        obj, errors = forms.submit("lyg_opendata_objection_create", payload)
        if not errors:
            tk.h.flash_success(_("Your objection was sent to the data-opening body. You can "
                                 "follow it under My objections."))
            return tk.redirect_to("lyg_opendata_objections.read", id=obj["id"])
    return tk.render("lyg_opendata/objections/new.html", {
        "pkg": pkg, "data": data, "errors": errors,
        "types": codes.choices("type"), "resources": _resource_choices(pkg),
        "items": _item_choices(pkg), "evidence_types": evidence.allowed_types(),
        "evidence_max": tk.config.get("ckanext.lyg_opendata.objections.evidence.max_size"),
        "min_length": tk.config.get("ckanext.lyg_opendata.objections.min_length"),
        "deadline_days": tk.config.get("ckanext.lyg_opendata.objections.deadline_days")})


def read(id: str):
    obj = forms.show("lyg_opendata_objection_show", {"id": id}, _("Objection not found"))
    user = _context()["user"]

    def can(name: str) -> bool:
        return forms.can(f"lyg_opendata_objection_{name}", {"id": id})

    status = obj["status"]
    allowed = {action for action, (states, _target) in workflow.TRANSITIONS.items()
               if status in states}
    perms = {name: (name in allowed and can(name)) for name in (
        "accept", "reject", "answer", "return_to_agency", "hide", "merge", "reassign", "close")}
    perms["dispute"] = obj.get("can_be_disputed") and can("dispute")
    perms["withdraw_dataset"] = (obj["type"] == "privacy" and status in workflow.MARKER_STATES
                                 and can("withdraw_dataset"))
    extra: dict[str, Any] = {}
    if perms["answer"]:
        row = model.Session.get(workflow.Objection, id)
        extra["changes"] = dataset_changes(obj["package_id"], since=row.created if row else None)
        extra["outcomes"] = codes.choices("outcome")
    if perms["merge"]:
        extra["siblings"] = [o for o in tk.get_action("lyg_opendata_objection_list")(
            {"user": user}, {"package_id": obj["package_id"]})["results"]
            if o["id"] != id and o["status"] not in ("hidden", "merged")]
    if perms["reassign"]:
        extra["organizations"] = tk.get_action("organization_list")(
            {}, {"all_fields": True, "limit": 1000})
    if can("affected_users") and obj["type"] == "privacy":
        extra["affected"] = tk.get_action("lyg_opendata_objection_affected_users")(
            _context(), {"id": id})
    return tk.render("lyg_opendata/objections/read.html",
                     {"objection": obj, "perms": perms, **extra})


ACTIONS = {
    "accept": ("lyg_opendata_objection_accept", ("comment",), N_("Accepted for verification")),
    "reject": ("lyg_opendata_objection_reject", ("reason",), N_("Objection rejected")),
    "answer": ("lyg_opendata_objection_answer", ("outcome", "explanation", "activity_id", "public"),
               N_("Answer published")),
    "dispute": ("lyg_opendata_objection_dispute", ("reason", "escalate"), N_("Your reply was sent")),
    "return_to_agency": ("lyg_opendata_objection_return_to_agency", ("reason",),
                         N_("Returned to the data-opening body")),
    "hide": ("lyg_opendata_objection_hide", ("reason",), N_("Objection hidden")),
    "merge": ("lyg_opendata_objection_merge", ("merge_into", "reason"), N_("Objection merged")),
    "reassign": ("lyg_opendata_objection_reassign", ("organization", "reason"),
                 N_("Objection reassigned")),
    "close": ("lyg_opendata_objection_close", ("reason",), N_("Objection closed")),
    "withdraw_dataset": ("lyg_opendata_objection_withdraw_dataset", ("reason",),
                         N_("Dataset withdrawn; the people who used it are being notified")),
}


def act(id: str, action: str):
    if action not in ACTIONS:
        return tk.abort(404, _("Unknown action"))
    name, fields, done = ACTIONS[action]
    data: dict[str, Any] = {"id": id, **forms.filled(fields)}
    if action == "answer":
        data["public"] = tk.request.form.get("public") == "true"
    forms.run(name, data, done)
    return tk.redirect_to("lyg_opendata_objections.read", id=id)


def evidence_download(id: str):
    try:
        tk.check_access("lyg_opendata_objection_evidence_download", _context(), {"id": id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    row = model.Session.get(workflow.Objection, id)
    if row is None or not row.evidence_path:
        return tk.abort(404, _("Attachment not found"))
    try:
        path = evidence.absolute(row.evidence_path)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Attachment not found"))
    if not path.is_file():
        return tk.abort(404, _("Attachment not found"))
    response = send_file(str(path), mimetype=row.evidence_mimetype, as_attachment=True,
                         download_name=row.evidence_name or path.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


PER_PAGE = 50


def _paging() -> tuple[int, dict[str, int]]:
    """The page asked for (``?page=``) and the action's ``limit``/``offset`` for it."""
    number = tk.h.get_page_number(tk.request.args)
    return number, {"limit": PER_PAGE, "offset": (number - 1) * PER_PAGE}


def _pager(result: dict, number: int, endpoint: str, params: dict) -> Page:
    def pager_url(q=None, page=None):
        return tk.h.url_for(endpoint, page=page, **params)
    return Page(collection=result["results"], page=number, url=pager_url,
                item_count=result["count"], items_per_page=PER_PAGE, presliced_list=True)


def _queue_page(template: str, moderation: bool):
    if not tk.current_user.is_authenticated:
        return _login_first()
    params = {k: v for k, v in tk.request.args.items()
              if k in ("organization", "status", "overdue", "package_id") and v}
    if moderation and not roles.is_supervisor(_context()["user"]):
        return tk.abort(403, _("Only supervisors moderate objections"))
    number, paging = _paging()
    try:
        queue = tk.get_action("lyg_opendata_objection_queue")(_context(), {**params, **paging})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except (tk.ValidationError, tk.ObjectNotFound):
        tk.h.flash_error(_("Unknown filter; showing the open objections"))
        params, number, paging = {}, 1, {"limit": PER_PAGE, "offset": 0}
        queue = tk.get_action("lyg_opendata_objection_queue")(_context(), paging)
    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    statuses = [{"value": "open", "text": _("Waiting for an answer")},
                {"value": "all", "text": _("All")}] + codes.choices("status")
    endpoint = "lyg_opendata_objections." + ("moderation" if moderation else "queue")
    return tk.render(template, {"queue": queue, "params": params, "organizations": orgs,
                                "statuses": statuses,
                                "page": _pager(queue, number, endpoint, params)})


def queue():
    return _queue_page("lyg_opendata/objections/queue.html", moderation=False)


def moderation():
    return _queue_page("lyg_opendata/objections/moderation.html", moderation=True)


def mine():
    if not tk.current_user.is_authenticated:
        return _login_first()
    objections = tk.get_action("lyg_opendata_objection_my_list")(_context(), {})
    reports = tk.get_action("lyg_opendata_report_my_list")(_context(), {})
    return tk.render("lyg_opendata/objections/mine.html",
                     {"objections": objections, "reports": reports})


def report_new():
    if not tk.current_user.is_authenticated:
        return _login_first()
    package_id = tk.request.values.get("dataset") or tk.request.values.get("package_id") or ""
    pkg = _dataset(package_id) if package_id else None
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in ("reported_party", "description", "contact")}
        payload = {k: v for k, v in data.items() if v}
        if pkg:
            payload["package_id"] = pkg["id"]
        _report, errors = forms.submit("lyg_opendata_report_create", payload)
        if not errors:
            tk.h.flash_success(_("Your report was sent to the supervisors. It is not public."))
            return tk.redirect_to("lyg_opendata_objections.mine")
    return tk.render("lyg_opendata/objections/report_new.html",
                     {"pkg": pkg, "data": data, "errors": errors,
                      "min_length": tk.config.get("ckanext.lyg_opendata.objections.min_length")})


def reports():
    if not tk.current_user.is_authenticated:
        return _login_first()
    status = tk.request.args.get("status") or None
    number, paging = _paging()
    try:
        result = tk.get_action("lyg_opendata_report_list")(
            _context(), {"status": status, **paging} if status else paging)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError:
        status, number, paging = None, 1, {"limit": PER_PAGE, "offset": 0}
        result = tk.get_action("lyg_opendata_report_list")(_context(), paging)
    return tk.render("lyg_opendata/objections/reports.html",
                     {"result": result, "status": status,
                      "statuses": codes.choices("report_status"),
                      "page": _pager(result, number, "lyg_opendata_objections.reports",
                                     {"status": status} if status else {})})


def report_read(id: str):
    report = forms.show("lyg_opendata_report_show", {"id": id}, _("Report not found"))
    return tk.render("lyg_opendata/objections/report_read.html", {
        "report": report, "can_update": forms.can("lyg_opendata_report_update", {"id": id})})


def report_update(id: str):
    form = tk.request.form
    try:
        tk.get_action("lyg_opendata_report_update")(_context(), {
            "id": id, "action": form.get("action", ""), "text": form.get("text", "")})
        tk.h.flash_success(_("Saved"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Report not found"))
    except tk.ValidationError as e:
        tk.h.flash_error(forms.error_text(e))
    return tk.redirect_to("lyg_opendata_objections.report_read", id=id)


_bp = objections_blueprint
_bp.add_url_rule("/dataset/<id>/objections", view_func=dataset, endpoint="dataset")
_bp.add_url_rule("/dataset/<id>/objections/new", view_func=new, methods=["GET", "POST"])
_bp.add_url_rule("/opendata/objections", view_func=queue, endpoint="queue")
_bp.add_url_rule("/opendata/objections/moderation", view_func=moderation)
_bp.add_url_rule("/opendata/objections/<id>", view_func=read)
_bp.add_url_rule("/opendata/objections/<id>/evidence", view_func=evidence_download,
                 endpoint="evidence")
_bp.add_url_rule("/opendata/objections/<id>/<action>", view_func=act, methods=["POST"])
_bp.add_url_rule("/opendata/my-objections", view_func=mine)
_bp.add_url_rule("/opendata/reports", view_func=reports)
_bp.add_url_rule("/opendata/reports/new", view_func=report_new, methods=["GET", "POST"])
_bp.add_url_rule("/opendata/reports/<id>", view_func=report_read)
_bp.add_url_rule("/opendata/reports/<id>/update", view_func=report_update, methods=["POST"])
