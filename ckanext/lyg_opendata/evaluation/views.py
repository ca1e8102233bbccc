"""Pages of rectification notices: the list (supervisors: all, with the overdue list for the
report to the city government; agencies: their own), the issue form (pre-filled from the
figures), and a notice's page with its timeline and the forms of whoever may act."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms
from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.evaluation import workflow

_ = tk._

__all__ = ["evaluation_blueprint"]

evaluation_blueprint = Blueprint("lyg_opendata_evaluation", __name__)

DONE = {"respond": workflow.N_("Your response was sent."),
        "return": workflow.N_("The response was sent back."),
        "escalate": workflow.N_("The notice was reported to the city government."),
        "close": workflow.N_("The notice was closed.")}


_context = forms.context
_errors = forms.field_errors
_login_first = forms.login_first


def _can(name: str, data: dict) -> bool:
    return forms.can(f"lyg_opendata_rectification_{name}", data)


def _agencies() -> list[dict[str, str]]:
    sup = roles.supervisor_org()
    orgs = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").order_by(
        model.Group.title).all()
    return [{"value": o.name, "text": o.title or o.name} for o in orgs
            if not sup or o.id != sup.id]


def index():
    if not tk.current_user.is_authenticated:
        return _login_first()
    args = tk.request.args
    data = {"status": args.get("status") or "open", "overdue": args.get("overdue") == "true"}
    if args.get("organization"):
        data["organization"] = args["organization"]
    try:
        rows = tk.get_action("lyg_opendata_rectification_list")(_context(), data)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        return tk.abort(400, forms.error_text(e))
    return tk.render("lyg_opendata/evaluation/index.html", {
        "rows": rows, "filters": data, "can_issue": _can("issue", {}),
        "statuses": [("open", _("Open")), ("all", _("All"))] + [
            (code, workflow.status_label(code)) for code in workflow.STATUSES]})


def new():
    if not tk.current_user.is_authenticated:
        return _login_first()
    if not _can("issue", {}):
        return tk.abort(403, _("Only supervisors may do this"))
    form = tk.request.form if tk.request.method == "POST" else tk.request.args
    data: dict[str, Any] = {k: form.get(k, "") for k in (
        "organization", "ground", "findings", "requirement", "deadline_days")}
    data["deadline_days"] = data["deadline_days"] or str(workflow.DEFAULT_DEADLINE_DAYS)
    errors: dict[str, str] = {}
    evidence = None
    if tk.request.method == "POST" and form.get("save") == "issue":
        try:
            row = tk.get_action("lyg_opendata_rectification_issue")(_context(), dict(data))
            tk.h.flash_success(_("The rectification notice was issued."))
            return tk.redirect_to("lyg_opendata_evaluation.rectification_read", id=row["id"])
        except tk.ValidationError as e:
            errors = _errors(e)
    elif data["organization"] and data["ground"]:
        # "pre-fill": the figures behind the ground for this agency
        try:
            evidence = tk.get_action("lyg_opendata_rectification_prefill")(
                _context(), {"organization": data["organization"], "ground": data["ground"]})
            if not data["findings"]:
                data["findings"] = evidence["text"]
        except tk.ValidationError as e:
            errors = _errors(e)
    return tk.render("lyg_opendata/evaluation/new.html", {
        "data": data, "errors": errors, "evidence": evidence, "agencies": _agencies(),
        "grounds": [{"value": code, "text": workflow.ground_label(code)}
                    for code in workflow.GROUNDS]})


def read(id: str):
    if not tk.current_user.is_authenticated:
        return _login_first()
    row = forms.show("lyg_opendata_rectification_show", {"id": id},
                     _("Rectification notice not found"))
    verbs = [verb for verb in row["allowed"] if _can(verb, {"id": id})]
    return tk.render("lyg_opendata/evaluation/read.html", {"row": row, "forms": verbs})


def act(id: str, verb: str):
    if verb not in workflow.TRANSITIONS:
        return tk.abort(404, _("Unknown action"))
    if not tk.current_user.is_authenticated:
        return _login_first()
    forms.run(f"lyg_opendata_rectification_{verb}",
              {"id": id, "text": tk.request.form.get("text", "")}, DONE[verb])
    return tk.redirect_to("lyg_opendata_evaluation.rectification_read", id=id)


def scorecards():
    if not tk.current_user.is_authenticated:
        return _login_first()
    from ckanext.lyg_opendata.evaluation.scorecards import FIGURES
    try:
        result = tk.get_action("lyg_opendata_scorecard_list")(
            _context(), {"year": tk.request.args.get("year", "")})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        return tk.abort(400, forms.error_text(e))
    return tk.render("lyg_opendata/evaluation/scorecards.html", {
        "result": result, "figures": FIGURES, "labels": {k: _(v) for k, v in LABELS.items()}})


def public_scorecards():
    """The public scorecard: the figures the platform publishes, for anybody."""
    try:
        result = tk.get_action("lyg_opendata_scorecard_public")(
            _context(), {"year": tk.request.args.get("year", "")})
    except tk.ValidationError as e:
        return tk.abort(400, forms.error_text(e))
    return tk.render("lyg_opendata/evaluation/public_scorecards.html", {
        "result": result, "labels": {k: _(v) for k, v in LABELS.items()}})


STAFF_FIELDS = ("leader_name", "leader_post", "leader_contact", "staff_name", "staff_post",
                "staff_contact")


def staff_filing():
    """Supervisors: every agency and whether it filed; an agency's editors and admins: the
    form, the current filing and its history for each of their agencies."""
    if not tk.current_user.is_authenticated:
        return _login_first()
    ctx = _context()
    overview = None
    try:
        tk.check_access("lyg_opendata_staff_filing_list", ctx, {})
        may_list = True
    except tk.NotAuthorized:
        may_list = False
    if may_list:
        overview = tk.get_action("lyg_opendata_staff_filing_list")(ctx, {})
    sup = roles.supervisor_org()
    own = [o for o in roles.editable_org_ids(ctx["user"]) if not sup or o != sup.id]
    if tk.current_user.sysadmin:
        own = []
    errors: dict[str, str] = {}
    posted = tk.request.form if tk.request.method == "POST" else {}
    if posted:
        org = posted.get("organization", "")
        data = {"organization": org, **{k: posted.get(k, "") for k in STAFF_FIELDS}}
        try:
            tk.get_action("lyg_opendata_staff_filing_submit")(ctx, data)
            tk.h.flash_success(_("The staff filing was saved."))
            return tk.redirect_to("lyg_opendata_evaluation.staff_filing")
        except tk.NotAuthorized as e:
            return tk.abort(403, str(e))
        except tk.ObjectNotFound as e:
            return tk.abort(404, str(e))
        except tk.ValidationError as e:
            errors = _errors(e)
    if overview is None and not own:
        return tk.abort(403, _("Staff filings are seen by supervisors and the body itself"))
    filings = [tk.get_action("lyg_opendata_staff_filing_show")(ctx, {"organization": o})
               for o in own]
    return tk.render("lyg_opendata/evaluation/staff.html", {
        "overview": overview, "filings": filings, "errors": errors, "posted": posted})


LABELS = {
    "datasets_unconditional": workflow.N_("Datasets open without conditions"),
    "datasets_conditional": workflow.N_("Datasets open under conditions"),
    "freshness_overdue": workflow.N_("Updates overdue now"),
    "freshness_on_time_share": workflow.N_("Datasets updated on time (%)"),
    "review_decisions": workflow.N_("Review decisions"),
    "review_median_days": workflow.N_("Review turnaround, median (days)"),
    "review_return_share": workflow.N_("Returned in review (%)"),
    "applications_received": workflow.N_("Applications received"),
    "applications_decided": workflow.N_("Applications answered"),
    "applications_in_time_share": workflow.N_("Answered within the deadline (%)"),
    "applications_median_workdays": workflow.N_("Answer time, median (working days)"),
    "applications_overdue": workflow.N_("Applications overdue now"),
    "objections_answered": workflow.N_("Objections answered"),
    "objections_in_time_share": workflow.N_("Objections answered in time (%)"),
    "usage_reports": workflow.N_("Usage reports received"),
    "ratings": workflow.N_("Ratings received"),
    "ratings_average": workflow.N_("Average rating (1–5)"),
    "open_list_complete_share": workflow.N_("Open-list entries complete (%)"),
    "downloads": workflow.N_("Downloads"),
    "api_calls": workflow.N_("API calls"),
    "rectifications_open": workflow.N_("Rectification notices open now"),
    "score": workflow.N_("Score"),
}

evaluation_blueprint.add_url_rule("/opendata/staff-filing", view_func=staff_filing,
                                  methods=["GET", "POST"], endpoint="staff_filing")
evaluation_blueprint.add_url_rule("/opendata/scorecards", view_func=scorecards,
                                  endpoint="scorecards")
evaluation_blueprint.add_url_rule("/opendata/scorecards/public", view_func=public_scorecards,
                                  endpoint="public_scorecards")
evaluation_blueprint.add_url_rule("/opendata/rectifications", view_func=index,
                                  endpoint="rectification_index")
evaluation_blueprint.add_url_rule("/opendata/rectifications/new", view_func=new,
                                  methods=["GET", "POST"], endpoint="rectification_new")
evaluation_blueprint.add_url_rule("/opendata/rectifications/<id>", view_func=read,
                                  endpoint="rectification_read")
evaluation_blueprint.add_url_rule("/opendata/rectifications/<id>/<verb>", view_func=act,
                                  methods=["POST"], endpoint="rectification_act")
