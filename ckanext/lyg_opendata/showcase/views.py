"""Pages of the showcase of uses (数据应用, Art 29): the public list, the form (also to turn a
usage report into an entry), an entry's page with the supervisors' review and the
submitter's withdrawal."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.lyg_opendata import forms, roles
from ckanext.lyg_opendata.showcase import logic

_ = tk._

__all__ = ["showcase_blueprint"]

showcase_blueprint = Blueprint("lyg_opendata_showcase", __name__)
FIELDS = ("title", "description", "type", "url", "organization_name", "datasets")
PER_PAGE = 12


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def index():
    args = tk.request.args
    params: dict[str, Any] = {k: args[k] for k in ("type", "package_id") if args.get(k)}
    mine = bool(args.get("mine")) and tk.current_user.is_authenticated
    supervisor = roles.is_supervisor(tk.current_user.name if tk.current_user.is_authenticated else None)
    status = args.get("status") if supervisor and args.get("status") else None
    if mine:
        params["mine"] = True
    if status:
        params["status"] = status
    page = max(tk.h.get_page_number(args), 1)
    try:
        result = tk.get_action("lyg_opendata_showcase_list")(
            _context(), {**params, "limit": PER_PAGE, "offset": (page - 1) * PER_PAGE})
    except tk.ValidationError as e:
        return tk.abort(400, forms.error_text(e))
    params = {k: v for k, v in args.items() if k != "page"}

    def pager_url(q=None, page=None):
        return tk.h.url_for("lyg_opendata_showcase.index", page=page, **params)
    pager = Page(collection=result["results"], page=page, url=pager_url, item_count=result["count"],
                 items_per_page=PER_PAGE, presliced_list=True)
    return tk.render("lyg_opendata/showcase/index.html", {
        "result": result, "types": logic.choices("type"), "statuses": logic.choices("status"),
        "type": args.get("type"), "status": status, "mine": mine, "supervisor": supervisor,
        "pager": pager})


def _report_prefill(report_id: str) -> dict[str, Any]:
    """The grantee's own submitted usage report, as the form's first draft."""
    from ckanext.lyg_opendata.access.model import Grant, UsageReport
    import ckan.model as model
    report = model.Session.get(UsageReport, report_id)
    grant = model.Session.get(Grant, report.grant_id) if report else None
    me = roles._user(tk.current_user.name)
    if report is None or grant is None or me is None or grant.user_id != me.id \
            or report.submitted_at is None:
        return {}
    pkg = model.Session.get(model.Package, grant.package_id)
    return {"usage_report_id": report.id, "description": "\n\n".join(
        t for t in (report.usage, report.results) if t), "datasets": pkg.name if pkg else ""}


def new():
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    data: dict[str, Any] = {"type": "app", "datasets": tk.request.args.get("dataset", "")}
    if tk.request.args.get("usage_report"):
        data.update(_report_prefill(tk.request.args["usage_report"]))
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FIELDS + ("usage_report_id",)}
        data["consent"] = bool(form.get("consent"))
        payload = {k: v for k, v in data.items() if v not in ("", None)}
        upload = tk.request.files.get("image_upload")
        if upload and upload.filename:
            payload["image_upload"] = upload
        try:
            row = tk.get_action("lyg_opendata_showcase_create")(_context(), payload)
        except tk.ValidationError as e:
            errors = forms.field_errors(e)
        else:
            tk.h.flash_success(_("Thank you. Your entry is published once a supervisor has reviewed it."))
            return tk.redirect_to("lyg_opendata_showcase.read", id=row["id"])
    return tk.render("lyg_opendata/showcase/new.html", {
        "data": data, "errors": errors, "types": logic.choices("type")})


def read(id: str):
    try:
        row = tk.get_action("lyg_opendata_showcase_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Showcase entry not found"))
    except tk.NotAuthorized as e:
        return tk.abort(404 if not tk.current_user.is_authenticated else 403, str(e))

    def can(verb: str) -> bool:
        try:
            tk.check_access(f"lyg_opendata_showcase_{verb}", _context(), {"id": id})
        except tk.NotAuthorized:
            return False
        return logic.TRANSITIONS.can(verb, row["status"])
    return tk.render("lyg_opendata/showcase/read.html", {
        "s": row, "perms": {verb: can(verb) for verb in ("publish", "return", "withdraw", "update")}})


def edit(id: str):
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    try:
        row = tk.get_action("lyg_opendata_showcase_show")(_context(), {"id": id})
        tk.check_access("lyg_opendata_showcase_update", _context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Showcase entry not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    data = {k: row.get(k) or "" for k in FIELDS if k != "datasets"}
    data["datasets"] = " ".join(d["name"] for d in row["datasets"])
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FIELDS}
        payload = {"id": id, **{k: v for k, v in data.items() if v}}
        upload = tk.request.files.get("image_upload")
        if upload and upload.filename:
            payload["image_upload"] = upload
        if form.get("clear_upload"):
            payload["clear_upload"] = "true"
        try:
            tk.get_action("lyg_opendata_showcase_update")(_context(), payload)
        except tk.ValidationError as e:
            errors = forms.field_errors(e)
        else:
            tk.h.flash_success(_("Your entry was changed and waits for review."))
            return tk.redirect_to("lyg_opendata_showcase.read", id=id)
    return tk.render("lyg_opendata/showcase/new.html", {
        "data": data, "errors": errors, "types": logic.choices("type"), "entry": row})


def act(id: str, verb: str):
    if verb not in ("publish", "return", "withdraw"):
        return tk.abort(404, _("Unknown action"))
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    data = {"id": id}
    if tk.request.form.get("reason"):
        data["reason"] = tk.request.form["reason"]
    try:
        tk.get_action(f"lyg_opendata_showcase_{verb}")(_context(), data)
        tk.h.flash_success({"publish": _("The entry is published."),
                            "return": _("The entry was returned to its submitter."),
                            "withdraw": _("The entry was withdrawn.")}[verb])
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    except tk.ValidationError as e:
        tk.h.flash_error(forms.error_text(e))
    return tk.redirect_to("lyg_opendata_showcase.read", id=id)


showcase_blueprint.add_url_rule("/opendata/showcase", view_func=index, endpoint="index")
showcase_blueprint.add_url_rule("/opendata/showcase/new", view_func=new, endpoint="new",
                                methods=["GET", "POST"])
showcase_blueprint.add_url_rule("/opendata/showcase/<id>", view_func=read, endpoint="read")
showcase_blueprint.add_url_rule("/opendata/showcase/<id>/edit", view_func=edit, endpoint="edit",
                                methods=["GET", "POST"])
showcase_blueprint.add_url_rule("/opendata/showcase/<id>/<verb>", view_func=act, endpoint="act",
                                methods=["POST"])
