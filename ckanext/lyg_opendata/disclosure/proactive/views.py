"""Pages of the proactive disclosure catalog (主动公开): the public list by category and year
with search, an entry's page, the agency's form to enter and change entries, publishing and
withdrawing, the entry's file."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, send_file

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms, roles
from ckanext.lyg_opendata.disclosure import files
from ckanext.lyg_opendata.disclosure.proactive import codes, workflow
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo
from ckanext.lyg_opendata.i18n import N_

_ = tk._

__all__ = ["govinfo_blueprint"]

govinfo_blueprint = Blueprint("lyg_opendata_govinfo", __name__)

FORM_FIELDS = ("organization", "title", "doc_number", "category", "kind", "written_on",
               "changed_on", "validity", "repealed_on", "summary", "body", "published_on")
SEARCH_PARAMS = ("q", "category", "year", "organization", "late", "status", "kind", "sort", "page")
PAGE_SIZE = 20


def index():
    params = {k: v for k, v in tk.request.args.items() if k in SEARCH_PARAMS and v}
    try:
        page = max(int(params.pop("page", 1)), 1)
    except ValueError:
        page = 1
    query = {**params, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    try:
        result = tk.get_action("lyg_opendata_govinfo_search")(forms.context(), query)
    except tk.ValidationError as e:
        tk.h.flash_error(forms.error_text(e))
        params = {}
        result = tk.get_action("lyg_opendata_govinfo_search")(forms.context(), {"limit": PAGE_SIZE})
    user = forms.context()["user"]
    may_enter = bool(roles.editable_org_ids(user)) or roles.is_sysadmin(user)
    staff = may_enter or roles.is_supervisor(user)
    from ckanext.lyg_opendata.disclosure.proactive.action import sort_label
    # the default order has the empty value: a search typed on a list without one is then
    # ordered by relevance (the form does not carry "newest" over)
    default = "relevance" if params.get("q") else "newest"
    sorts = [{"value": "", "text": sort_label(default)}] + [
        {"value": c, "text": sort_label(c)} for c in ("newest", "oldest") if c != default]
    return tk.render("lyg_opendata/govinfo/index.html", {
        "result": result, "params": params, "page": page, "page_size": PAGE_SIZE,
        "sorts": sorts,
        "categories": codes.choices("category"), "statuses": codes.choices("status"),
        "may_enter": may_enter, "staff": staff})


def _agencies(user) -> list[dict]:
    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    own = set(roles.editable_org_ids(user))
    return [{"value": "", "text": _("Choose the agency")}] + [
        {"value": o["name"], "text": o["title"] or o["name"]} for o in orgs
        if roles.is_sysadmin(user) or o["id"] in own]


def _form(data: dict, errors: dict, agencies: list[dict], entry: dict | None = None):
    return tk.render("lyg_opendata/govinfo/edit.html", {
        "data": data, "errors": errors, "agencies": agencies, "entry": entry,
        "categories": [{"value": "", "text": _("Choose…")}] + codes.choices("category"),
        "kinds": codes.choices("kind"), "forms_choices": codes.choices("form"),
        "validities": [{"value": "", "text": _("Not stated")}] + codes.choices("validity"),
        "deadline_days": workflow.DEADLINE_DAYS})


def _payload(form) -> dict[str, Any]:
    payload: dict[str, Any] = forms.filled(FORM_FIELDS, form)
    payload["forms"] = form.getlist("forms")
    if forms.upload("file"):
        payload["file"] = forms.upload("file")
    return payload


def new():
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    user = forms.context()["user"]
    if not forms.can("lyg_opendata_govinfo_create"):
        return tk.abort(403, _("Only the agency's staff can enter its government information"))
    agencies = _agencies(user)
    data: dict[str, Any] = {"kind": "other", "forms": ["portal"],
                            "organization": agencies[1]["value"] if len(agencies) == 2 else ""}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FORM_FIELDS}
        data["forms"] = form.getlist("forms")
        payload = _payload(form)
        payload["publish"] = form.get("publish") == "true"
        entry, errors = forms.submit("lyg_opendata_govinfo_create", payload)
        if not errors:
            tk.h.flash_success(_("The entry was saved"))
            return tk.redirect_to("lyg_opendata_govinfo.read", id=entry["id"])
    return _form(data, errors, agencies)


def edit(id: str):
    entry = forms.show("lyg_opendata_govinfo_show", {"id": id},
                       _("Government information entry not found"))
    if not forms.can("lyg_opendata_govinfo_update", {"id": id}):
        return tk.abort(403, _("Only the publishing agency's staff can change this entry"))
    data = {k: entry.get(k) or "" for k in FORM_FIELDS}
    data["forms"] = entry["forms"]
    data["published_on"] = ""
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FORM_FIELDS}
        data["forms"] = form.getlist("forms")
        payload = {"id": id, **_payload(form)}
        payload.pop("organization", None)
        for name in ("doc_number", "changed_on", "validity", "repealed_on", "summary", "body"):
            payload.setdefault(name, "")  # emptied on the form: emptied
        result, errors = forms.submit("lyg_opendata_govinfo_update", payload)
        if not errors:
            tk.h.flash_success(_("The entry was saved"))
            return tk.redirect_to("lyg_opendata_govinfo.read", id=id)
    return _form(data, errors, [], entry)


def read(id: str):
    entry = forms.show("lyg_opendata_govinfo_show", {"id": id},
                       _("Government information entry not found"))
    data_dict = {"id": id}
    allowed = set(entry["allowed_actions"])
    perms = {name: name in allowed and forms.can(f"lyg_opendata_govinfo_{name}", data_dict)
             for name in workflow.TRANSITIONS}
    perms["update"] = entry["status"] in workflow.EDITABLE and forms.can(
        "lyg_opendata_govinfo_update", data_dict)
    return tk.render("lyg_opendata/govinfo/read.html", {"entry": entry, "perms": perms})


ACTIONS = {
    "publish": (("published_on",), N_("The entry was published")),
    "withdraw": (("text",), N_("The entry was withdrawn")),
}


def act(id: str, action: str):
    if action not in ACTIONS:
        return tk.abort(404, _("Unknown action"))
    fields, done = ACTIONS[action]
    forms.run(f"lyg_opendata_govinfo_{action}", {"id": id, **forms.filled(fields)}, done)
    return tk.redirect_to("lyg_opendata_govinfo.read", id=id)


def download(id: str):
    try:
        tk.check_access("lyg_opendata_govinfo_file_download", forms.context(), {"id": id})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    row = model.Session.get(GovInfo, id)
    if row is None or not row.file_path:
        return tk.abort(404, _("Attachment not found"))
    try:
        path = files.absolute(row.file_path)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Attachment not found"))
    if not path.is_file():
        return tk.abort(404, _("Attachment not found"))
    response = send_file(str(path), mimetype=row.file_mimetype, as_attachment=True,
                         download_name=row.file_name or path.name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


_bp = govinfo_blueprint
_bp.add_url_rule("/opendata/govinfo", view_func=index, endpoint="index")
_bp.add_url_rule("/opendata/govinfo/new", view_func=new, methods=["GET", "POST"])
_bp.add_url_rule("/opendata/govinfo/<id>", view_func=read)
_bp.add_url_rule("/opendata/govinfo/<id>/edit", view_func=edit, methods=["GET", "POST"])
_bp.add_url_rule("/opendata/govinfo/<id>/file", view_func=download)
_bp.add_url_rule("/opendata/govinfo/<id>/<action>", view_func=act, methods=["POST"])
