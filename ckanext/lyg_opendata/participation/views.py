"""Pages of data requests: the public list (sorted by support), the form (prefilled from an
empty search), a request's page (timeline and the forms of whoever may act)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.participation import codes, ratings_views, workflow

_ = tk._

__all__ = ["participation_blueprint"]

participation_blueprint = Blueprint("lyg_opendata_participation", __name__)
_bp = participation_blueprint


_context = forms.context
_login_first = forms.login_first


def _organizations() -> list[dict]:
    return tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})


def request_list():
    params = {k: v for k, v in tk.request.args.items()
              if k in ("status", "organization", "q", "sort", "overdue", "mine") and v}
    try:
        result = tk.get_action("lyg_opendata_data_request_list")(_context(), params)
    except (tk.ValidationError, tk.ObjectNotFound):
        tk.h.flash_error(_("Unknown filter; showing every data request"))
        params = {}
        result = tk.get_action("lyg_opendata_data_request_list")(_context(), {})
    statuses = [{"value": "", "text": _("All but withdrawn")},
                {"value": "open", "text": _("Waiting for an answer")}] + codes.choices("status")
    if not roles.is_supervisor(_context()["user"]):
        statuses = [s for s in statuses if s["value"] != "hidden"]
    return tk.render("lyg_opendata/participation/requests.html", {
        "result": result, "params": params, "statuses": statuses,
        "sorts": codes.choices("sort"), "organizations": _organizations()})


FORM_FIELDS = ("title", "description", "purpose", "data_format", "frequency", "organization",
               "contact")


def request_new():
    if not tk.current_user.is_authenticated:
        return _login_first()
    data: dict[str, Any] = {"title": tk.request.args.get("q", "")[:200]}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in FORM_FIELDS}
        data["show_name"] = form.get("show_name") == "true"
        payload = {k: v for k, v in data.items() if v not in ("", None)}
        payload["show_name"] = data["show_name"]
        req, errors = forms.submit("lyg_opendata_data_request_create", payload)
        if not errors:
            tk.h.flash_success(_("Your data request is public now. The supervisors route it to "
                                 "the data-opening body that holds the data."))
            return tk.redirect_to("lyg_opendata_participation.request_read", id=req["id"])
    return tk.render("lyg_opendata/participation/request_new.html", {
        "data": data, "errors": errors, "organizations": _organizations(),
        "formats": [{"value": "", "text": _("(not specified)")}] + codes.choices("format"),
        "frequencies": [{"value": "", "text": _("(not specified)")}] + codes.choices("frequency"),
        "deadline_days": workflow.deadline_days()})


def request_read(id: str):
    req = forms.show("lyg_opendata_data_request_show", {"id": id}, _("Data request not found"))

    def can(name: str) -> bool:
        return forms.can(f"lyg_opendata_data_request_{name}", {"id": id})

    status = req["status"]
    allowed = set(workflow.TRANSITIONS.allowed(status))
    perms = {name: name in allowed and can(name)
             for name in ("route", "claim", "supplement", "withdraw", "hide")}
    perms["answer"] = any(v.startswith("answer_") for v in allowed) and can("answer")
    perms["support"] = (tk.current_user.is_authenticated and not req["supported"]
                        and not req["is_requester"] and status not in ("withdrawn", "hidden"))
    answers = [a for a in codes.choices("answer") if f"answer_{a['value']}" in allowed]
    user = _context()["user"]
    claim_orgs = []
    if perms["claim"]:
        ids = set(roles.editable_org_ids(user))
        claim_orgs = [o for o in _organizations() if o["id"] in ids]
    return tk.render("lyg_opendata/participation/request_read.html", {
        "req": req, "perms": perms, "answers": answers, "claim_orgs": claim_orgs,
        "organizations": _organizations() if perms["route"] else [],
        "legal_bases": codes.choices("legal_basis"),
        "today": workflow.workdays.today_beijing().isoformat()})


ACTIONS = {
    "route": ("lyg_opendata_data_request_route", ("organization", "comment"),
              N_("Data request routed")),
    "claim": ("lyg_opendata_data_request_claim", ("organization",),
              N_("Your data-opening body has taken up the request")),
    "answer": ("lyg_opendata_data_request_answer",
               ("answer", "text", "planned_date", "datasets", "application_url", "legal_basis"),
               N_("Answer published")),
    "supplement": ("lyg_opendata_data_request_supplement", ("text",),
                   N_("Your details were sent; the clock runs again")),
    "withdraw": ("lyg_opendata_data_request_withdraw", ("reason",), N_("Data request withdrawn")),
    "hide": ("lyg_opendata_data_request_hide", ("reason",), N_("Data request hidden")),
    "support": ("lyg_opendata_data_request_support", (), N_("Thank you for your support")),
}


def request_act(id: str, action: str):
    if action not in ACTIONS:
        return tk.abort(404, _("Unknown action"))
    if not tk.current_user.is_authenticated:
        return _login_first()
    name, fields, done = ACTIONS[action]
    forms.run(name, {"id": id, **forms.filled(fields)}, done)
    return tk.redirect_to("lyg_opendata_participation.request_read", id=id)


ratings_views.register(_bp)


def publisher(id: str):
    """The supervisors' form on an organisation's page: mark (or unmark) 社会数据开放主体."""
    if not tk.current_user.is_authenticated:
        return _login_first()
    kind = tk.request.form.get("type", "")
    if kind:
        forms.run("lyg_opendata_publisher_mark", {"id": id, "type": kind},
                  N_("Marked as a non-government publisher"))
    else:
        forms.run("lyg_opendata_publisher_unmark", {"id": id}, N_("Mark removed"))
    return tk.redirect_to("organization.read", id=id)


from ckanext.lyg_opendata.participation import suggestions as _suggestions  # noqa: E402


def suggestion_list():
    if not tk.current_user.is_authenticated:
        return _login_first()
    status = tk.request.args.get("status") or None
    try:
        result = tk.get_action("lyg_opendata_suggestion_list")(
            _context(), {"status": status} if status else {})
    except tk.ValidationError:
        status, result = None, tk.get_action("lyg_opendata_suggestion_list")(_context(), {})
    user = _context()["user"]
    return tk.render("lyg_opendata/participation/suggestions.html", {
        "result": result, "status": status, "statuses": _suggestions.choices("status"),
        "all": _suggestions.is_operator(user) or roles.is_supervisor(user)})


def suggestion_new():
    if not tk.current_user.is_authenticated:
        return _login_first()
    data: dict[str, Any] = {"category": "platform"}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        data = {k: tk.request.form.get(k, "") for k in ("category", "text", "contact")}
        row, errors = forms.submit("lyg_opendata_suggestion_create",
                                   {k: v for k, v in data.items() if v})
        if not errors:
            tk.h.flash_success(_("Thank you. The platform operator will answer your suggestion."))
            return tk.redirect_to("lyg_opendata_participation.suggestion_read", id=row["id"])
    return tk.render("lyg_opendata/participation/suggestion_new.html", {
        "data": data, "errors": errors, "categories": _suggestions.choices("category")})


def suggestion_read(id: str):
    if not tk.current_user.is_authenticated:
        return _login_first()
    row = forms.show("lyg_opendata_suggestion_show", {"id": id}, _("Suggestion not found"))

    def can(verb):
        return (forms.can(f"lyg_opendata_suggestion_{verb}", {"id": id})
                and _suggestions.TRANSITIONS.can(verb, row["status"]))
    return tk.render("lyg_opendata/participation/suggestion_read.html", {
        "s": row, "perms": {"answer": can("answer"), "close": can("close")}})


def suggestion_act(id: str, action: str):
    if action not in ("answer", "close"):
        return tk.abort(404, _("Unknown action"))
    if not tk.current_user.is_authenticated:
        return _login_first()
    forms.run(f"lyg_opendata_suggestion_{action}", {"id": id, **forms.filled(("text",))},
              N_("Answer sent") if action == "answer" else N_("Suggestion closed"))
    return tk.redirect_to("lyg_opendata_participation.suggestion_read", id=id)


_bp.add_url_rule("/opendata/suggestions", view_func=suggestion_list, endpoint="suggestions")
_bp.add_url_rule("/opendata/suggestions/new", view_func=suggestion_new, endpoint="suggestion_new",
                 methods=["GET", "POST"])
_bp.add_url_rule("/opendata/suggestions/<id>", view_func=suggestion_read, endpoint="suggestion_read")
_bp.add_url_rule("/opendata/suggestions/<id>/<action>", view_func=suggestion_act,
                 endpoint="suggestion_act", methods=["POST"])
_bp.add_url_rule("/organization/<id>/social-publisher", view_func=publisher, endpoint="publisher",
                 methods=["POST"])
_bp.add_url_rule("/opendata/data-requests", view_func=request_list, endpoint="requests")
_bp.add_url_rule("/opendata/data-requests/new", view_func=request_new, endpoint="request_new",
                 methods=["GET", "POST"])
_bp.add_url_rule("/opendata/data-requests/<id>", view_func=request_read, endpoint="request_read")
_bp.add_url_rule("/opendata/data-requests/<id>/<action>", view_func=request_act,
                 endpoint="request_act", methods=["POST"])
