"""Pages of the yearly evaluation report (Art 37): the public list of published reports
(supervisors also see drafts and the form to generate one), a report's page (supervisors edit
a draft there, publish or discard it), its PDF and the XLSX of its figures."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, make_response

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms, spreadsheet
from ckanext.lyg_opendata.evaluation.reports import files
from ckanext.lyg_opendata.evaluation.reports.figures import PLATFORM_FIGURES
from ckanext.lyg_opendata.i18n import N_

_ = tk._

__all__ = ["report_blueprint"]

report_blueprint = Blueprint("lyg_opendata_evaluation_report", __name__)

DONE = {"publish": N_("The evaluation report was published."),
        "discard": N_("The draft was discarded.")}


def _can(verb: str, data: dict) -> bool:
    return forms.can(f"lyg_opendata_evaluation_report_{verb}", data)


def index():
    errors: dict[str, list[str]] = {}
    form: dict[str, Any] = {}
    if tk.request.method == "POST":
        if not tk.current_user.is_authenticated:
            return forms.login_first()
        form = {k: tk.request.form.get(k, "") for k in ("year", "title")}
        row, errors = forms.submit("lyg_opendata_evaluation_report_generate", dict(form))
        if row:
            tk.h.flash_success(_("The draft report was generated from the figures."))
            return tk.redirect_to("lyg_opendata_evaluation_report.read", id=row["id"])
    try:
        rows = tk.get_action("lyg_opendata_evaluation_report_list")(
            forms.context(), {"year": tk.request.args.get("year", "")})
    except tk.ValidationError as e:
        return tk.abort(400, forms.error_text(e))
    from ckanext.lyg_opendata.workdays import today_beijing
    form.setdefault("year", str(today_beijing().year - 1))
    return tk.render("lyg_opendata/evaluation/reports.html", {
        "rows": rows, "can_generate": _can("generate", {}), "data": form, "errors": errors})


def _show(id: str) -> dict:
    return forms.show("lyg_opendata_evaluation_report_show", {"id": id},
                      _("Evaluation report not found"))


def read(id: str):
    report = _show(id)
    errors: dict[str, list[str]] = {}
    form = None
    if tk.request.method == "POST":
        if not tk.current_user.is_authenticated:
            return forms.login_first()
        form = {"id": id, "title": tk.request.form.get("title", ""),
                "commentary": tk.request.form.get("commentary", ""),
                "suggestions": tk.request.form.get("suggestions", "")}
        row, errors = forms.submit("lyg_opendata_evaluation_report_update", dict(form))
        if row:
            tk.h.flash_success(_("The draft was saved."))
            return tk.redirect_to("lyg_opendata_evaluation_report.read", id=id)
    editable = "update" in report["allowed"] and _can("update", {"id": id})
    if form is None:
        form = {"title": report["title"], "commentary": report["commentary"],
                "suggestions": "\n".join(report["suggestions"])}
    return tk.render("lyg_opendata/evaluation/report.html", {
        "report": report, "editable": editable, "data": form, "errors": errors,
        "verbs": [v for v in ("publish", "discard") if v in report["allowed"]],
        "labels": files.labels(), "ranking": files.RANKING,
        "as_of": files.as_of(report["figures"]),
        "card_figures": files.card_figures(),
        "platform_figures": PLATFORM_FIGURES})


def act(id: str, verb: str):
    if verb not in DONE:
        return tk.abort(404, _("Unknown action"))
    if not tk.current_user.is_authenticated:
        return forms.login_first()
    forms.run(f"lyg_opendata_evaluation_report_{verb}", {
        "id": id, "text": tk.request.form.get("text", "")}, DONE[verb])
    return tk.redirect_to("lyg_opendata_evaluation_report.read", id=id)


def _headers(report: dict, fmt: str) -> dict[str, str]:
    name = files.filename(report, fmt)
    # a published report never changes: it may be cached; a draft is private
    cache = "public, max-age=86400" if report["status"] == "published" else "private, no-store"
    return {"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": cache}


def pdf(id: str):
    report = _show(id)
    response = make_response(files.pdf(report))
    response.headers["Content-Type"] = "application/pdf"
    response.headers.update(_headers(report, "pdf"))
    return response


def xlsx(id: str):
    report = _show(id)
    return spreadsheet.stream(files.xlsx(report), _headers(report, "xlsx"))


report_blueprint.add_url_rule("/opendata/evaluation-reports", view_func=index,
                              methods=["GET", "POST"], endpoint="index")
report_blueprint.add_url_rule("/opendata/evaluation-reports/<id>", view_func=read,
                              methods=["GET", "POST"], endpoint="read")
report_blueprint.add_url_rule("/opendata/evaluation-reports/<id>/report.pdf", view_func=pdf,
                              endpoint="pdf")
report_blueprint.add_url_rule("/opendata/evaluation-reports/<id>/figures.xlsx",
                              view_func=xlsx, endpoint="xlsx")
report_blueprint.add_url_rule("/opendata/evaluation-reports/<id>/<verb>", view_func=act,
                              methods=["POST"], endpoint="act")
