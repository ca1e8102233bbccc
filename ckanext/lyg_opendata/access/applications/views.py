"""Pages of the application workflow: the form (/dataset/<id>/apply), an application with
its timeline and the agency's decision forms, 我的申请, 待处理申请, 全部申请 (supervisors),
and the in-portal notices (/opendata/notices)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.lyg_opendata import forms, roles

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.access.applications import schema, settings, workflow as app_workflow
from ckanext.lyg_opendata.workdays import today_beijing

_ = tk._

__all__ = ["applications_blueprint"]

applications_blueprint = Blueprint("lyg_opendata_applications", __name__)

FORM_FIELDS = ("purpose", "scenario", "security_measures", "term_start", "term_end",
               "applicant_type", "applicant_name", "credit_code", "contact_name",
               "contact_phone", "contact_email")


def N_(msgid: str) -> str:
    return msgid


DECISIONS = {
    "withdraw": ("lyg_opendata_application_withdraw", ("reason",), N_("Application withdrawn")),
    "request-info": ("lyg_opendata_application_request_info", ("message",),
                     N_("More information requested: the deadline is paused")),
    "supply-info": ("lyg_opendata_application_supply_info", ("reply",),
                    N_("Information sent: the application is submitted again")),
    "approve": ("lyg_opendata_application_approve",
                ("conditions_of_use", "granted_term_start", "granted_term_end",
                 "report_interval_months"),
                N_("Application approved: the agreement waits for the applicant's signature")),
    "refuse": ("lyg_opendata_application_refuse", ("reason", "basis"), N_("Application refused")),
}


_context = forms.context


def _messages(error: tk.ValidationError) -> dict[str, str]:
    out = {}
    for field, msgs in (error.error_dict or {}).items():
        msgs = msgs if isinstance(msgs, list) else [msgs]
        out[field] = "；".join(str(m) for m in msgs)
    return out


def _dataset(id: str) -> dict:
    try:
        return tk.get_action("package_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Dataset not found"))


def apply(id: str):
    pkg = _dataset(id)
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.h.url_for(
            "lyg_opendata_applications.apply", id=pkg["name"]))
    form: dict[str, Any] = {"applicant_type": "individual", "resource_scope": "all",
                            "resource_ids": []}
    errors: dict[str, str] = {}
    status = 200
    if tk.request.method == "POST":
        posted = tk.request.form
        form = {k: posted.get(k, "") for k in FORM_FIELDS}
        form["resource_scope"] = posted.get("resource_scope", "all")
        form["resource_ids"] = posted.getlist("resource_ids")
        # the consent boxes stay ticked when another field has an error
        form["accept_conditions"] = bool(posted.get("accept_conditions"))
        form["accept_privacy"] = bool(posted.get("accept_privacy"))
        data = {**form, "package_id": pkg["id"],
                "resource_ids": "all" if form["resource_scope"] == "all" else (
                    form["resource_ids"] or ["-none-"]),
                "accept_conditions": posted.get("accept_conditions") or False,
                "accept_privacy": posted.get("accept_privacy") or False}
        if form["resource_scope"] != "all" and not form["resource_ids"]:
            errors["resource_ids"] = _("Choose at least one data resource, or all of them")
        else:
            try:
                result = tk.get_action("lyg_opendata_application_create")(_context(), data)
                tk.h.flash_success(_("Application submitted: the data-opening body answers "
                                     "within %d working days") % result["deadline_workdays"])
                return tk.redirect_to("lyg_opendata_applications.read", id=result["id"])
            except tk.NotAuthorized as e:
                return tk.abort(403, str(e))
            except tk.ValidationError as e:
                errors = _messages(e)
        status = 400
    obj = model.Package.get(pkg["id"])
    can_apply = obj is not None and app_workflow.is_applicable(obj)
    try:
        tk.check_access("lyg_opendata_application_create", _context(), {"package_id": pkg["id"]})
        allowed, denied = True, None
    except tk.NotAuthorized as e:
        allowed, denied = False, str(e)
    existing = app_workflow.open_application(tk.current_user.id, pkg["id"]) if obj else None
    return tk.render("lyg_opendata/access/application_form.html", {
        "pkg": pkg, "form": form, "errors": errors, "can_apply": can_apply,
        "allowed": allowed, "denied": denied, "existing": existing,
        "privacy_notice": schema.privacy_notice(),
        "privacy_notice_version": settings.privacy_notice_version(),
        "min_lengths": {f: settings.min_length(f) for f in ("purpose", "scenario", "security_measures")},
        "max_term_years": settings.max_term_years(),
        "deadline_workdays": settings.deadline_workdays(),
        "today": today_beijing().isoformat(),
    }), status


def read(id: str, errors: dict | None = None, status: int = 200):
    ctx = _context()
    try:
        application = tk.get_action("lyg_opendata_application_show")(ctx, {"id": id})
        events = tk.get_action("lyg_opendata_application_events")(ctx, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Application not found"))
    except tk.NotAuthorized as e:
        if not tk.current_user.is_authenticated:
            return tk.redirect_to("user.login", came_from=tk.request.path)
        return tk.abort(403, str(e))

    def can(action: str) -> bool:
        try:
            tk.check_access(action, ctx, {"id": id})
            return True
        except tk.NotAuthorized:
            return False

    return tk.render("lyg_opendata/access/application_read.html", {
        "application": application, "events": events, "errors": errors or {},
        "can_decide": can("lyg_opendata_application_approve"),
        "is_applicant": can("lyg_opendata_application_withdraw"),
        "form": tk.request.form if tk.request.method == "POST" else {},
    }), status


def decide(id: str, action: str):
    if action not in DECISIONS:
        return tk.abort(404, _("Unknown action"))
    name, fields, done = DECISIONS[action]
    form = tk.request.form
    data = {"id": id, **{f: form.get(f, "") for f in fields}}
    for f in ("granted_term_start", "granted_term_end", "report_interval_months", "reason"):
        if f in data and not data[f] and action in ("approve", "withdraw"):
            data.pop(f)
    try:
        if action == "approve":
            data["granted_resource_ids"] = form.getlist("granted_resource_ids")
            if not data["granted_resource_ids"]:
                tk.check_access(name, _context(), data)
                raise tk.ValidationError({"granted_resource_ids": [
                    _("Grant at least one data resource")]})
        tk.get_action(name)(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Application not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        errors = _messages(e)
        tk.h.flash_error("；".join(errors.values()))
        return read(id, errors={action: errors}, status=400)
    tk.h.flash_success(_(done))
    return tk.redirect_to("lyg_opendata_applications.read", id=id)


FILTERS = ("status", "organization", "overdue", "package_id")
PER_PAGE = 50
ENDPOINTS = {"mine": "my_applications", "agency": "agency_applications",
             "all": "all_applications"}


def _list(scope: str, template_title: str):
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    params = {k: v for k, v in tk.request.args.items() if k in FILTERS and v}
    number = tk.h.get_page_number(tk.request.args)
    paging = {"limit": PER_PAGE, "offset": (number - 1) * PER_PAGE}
    try:
        result = tk.get_action("lyg_opendata_application_list")(
            _context(), {"scope": scope, **params, **paging})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    except tk.ValidationError as e:
        tk.h.flash_error("；".join(_messages(e).values()))
        number, params = 1, {}
        result = tk.get_action("lyg_opendata_application_list")(
            _context(), {"scope": scope, "limit": PER_PAGE})
    orgs = []
    if scope != "mine":
        user = tk.current_user
        if scope == "all" or user.sysadmin:
            orgs = tk.get_action("organization_list")({}, {"all_fields": True})
        else:
            # the agencies the user edits for (not only those on this page)
            ids = roles.editable_org_ids(user.name)
            orgs = [{"name": g.name, "title": g.title} for g in
                    model.Session.query(model.Group).filter(model.Group.id.in_(ids or [""]))
                    .order_by(model.Group.title)]
    endpoint = "lyg_opendata_applications." + ENDPOINTS[scope]

    def pager_url(q=None, page=None):
        return tk.h.url_for(endpoint, page=page, **params)
    page = Page(collection=result["results"], page=number, url=pager_url,
                item_count=result["count"], items_per_page=PER_PAGE, presliced_list=True)
    return tk.render("lyg_opendata/access/application_list.html", {
        "result": result, "scope": scope, "params": params, "organizations": orgs,
        "title": _(template_title), "statuses": app_workflow.STATUSES, "page": page,
    })


def my_applications():
    return _list("mine", N_("My applications"))


def agency_applications():
    return _list("agency", N_("Applications to answer"))


def all_applications():
    return _list("all", N_("All applications"))


def notices():
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    user_id = tk.current_user.id
    if tk.request.method == "POST":
        notify.mark_read(user_id, tk.request.form.get("notice_id") or None)
        target = tk.request.form.get("next") or ""
        site = (tk.config.get("ckan.site_url") or "").rstrip("/")
        if site and target.startswith(site + "/"):
            target = target[len(site):]
        if target.startswith("/") and not target.startswith("//"):
            return redirect(target)
        return tk.redirect_to("lyg_opendata_applications.notices")
    items = notify.notices_for(user_id, limit=200)
    return tk.render("lyg_opendata/access/application_notices.html", {
        "notices": items, "unread": notify.unread_count(user_id)})


applications_blueprint.add_url_rule("/dataset/<id>/apply", view_func=apply, methods=["GET", "POST"])
applications_blueprint.add_url_rule("/opendata/application/<id>", view_func=read)
applications_blueprint.add_url_rule("/opendata/application/<id>/<action>", view_func=decide,
                                    methods=["POST"])
applications_blueprint.add_url_rule("/opendata/my-applications", view_func=my_applications)
applications_blueprint.add_url_rule("/opendata/applications", view_func=agency_applications)
applications_blueprint.add_url_rule("/opendata/applications/all", view_func=all_applications)
applications_blueprint.add_url_rule("/opendata/notices", view_func=notices, methods=["GET", "POST"])
