"""Pages of agreements, grants and usage reports:

- ``/opendata/agreement/<id>``: read the agreement, sign it (the applicant), its SHA-256;
  ``…/print`` a printable page, ``….txt`` and ``….pdf`` downloads;
- ``/opendata/my-grants``: the user's agreements to sign, grants and usage reports to file;
- ``/opendata/grants``: the agency's grants (supervisors: all) with the revoke form and the
  missing reports; ``/opendata/grant/<id>``: one grant and its reports;
- ``/opendata/agreement-templates``: the versions of the model text (sysadmins write new
  ones, with a preview; supervisors read).
Every page asks the actions, so the rules are those of the API.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata.access.agreements import texts as agreement_texts

_ = tk._

agreements_blueprint = Blueprint("lyg_opendata_agreements", __name__)

__all__ = ["agreements_blueprint"]


_context = forms.context


def _call(action: str, data: dict[str, Any]):
    return tk.get_action(action)(_context(), data)


def _require_login():
    if not tk.current_user.is_authenticated:
        return tk.abort(403, _("Sign in first"))


def _errors(error: tk.ValidationError) -> dict[str, list[str]]:
    return {k: (v if isinstance(v, list) else [str(v)]) for k, v in error.error_dict.items()}


def _show_agreement(agreement_id: str) -> dict[str, Any]:
    try:
        return _call("lyg_opendata_agreement_show", {"id": agreement_id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Agreement not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the applicant, the agency and supervisors read this "
                               "agreement"))


def _may_sign(agreement: dict[str, Any]) -> bool:
    try:
        tk.check_access("lyg_opendata_agreement_sign", _context(), {"id": agreement["id"]})
    except tk.NotAuthorized:
        return False
    return not agreement["signed"]


# --- agreements ------------------------------------------------------------------------

def agreement_read(id: str):
    agreement = _show_agreement(id)
    return tk.render("lyg_opendata/access/agreement_read.html", {
        "agreement": agreement, "may_sign": _may_sign(agreement), "errors": {}})


def agreement_sign(id: str):
    agreement = _show_agreement(id)
    try:
        _call("lyg_opendata_agreement_sign", {"id": id,
                                              "accept": tk.request.form.get("accept", "")})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the applicant signs the agreement"))
    except tk.ValidationError as e:
        return tk.render("lyg_opendata/access/agreement_read.html", {
            "agreement": agreement, "may_sign": _may_sign(agreement),
            "errors": _errors(e)}), 400
    tk.h.flash_success(_("You signed the agreement. You may use the granted data within the "
                         "term."))
    return tk.redirect_to("lyg_opendata_agreements.agreement_read", id=id)


def agreement_print(id: str):
    agreement = _show_agreement(id)
    return tk.render("lyg_opendata/access/agreement_print.html", {"agreement": agreement})


def _download_text(agreement: dict[str, Any]) -> str:
    lines = [agreement["text"].rstrip("\n"), "", "-" * 40,
             f"SHA-256: {agreement['sha256']}"]
    return "\n".join(lines) + "\n"


def _require_text(agreement: dict[str, Any]) -> None:
    """The downloads are the frozen text: not for those who may not read it."""
    if agreement.get("text") is None:
        tk.abort(403, _("The agreement's text holds the applicant's contact details: "
                        "supervisors read its terms on the agreement page"))


def agreement_text(id: str):
    agreement = _show_agreement(id)
    _require_text(agreement)
    return Response(agreements_text_bytes(agreement), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition":
                             f"attachment; filename=agreement-{agreement['number']}.txt"})


def agreements_text_bytes(agreement: dict[str, Any]) -> bytes:
    return _download_text(agreement).encode("utf-8")


def agreement_pdf(id: str):
    agreement = _show_agreement(id)
    _require_text(agreement)
    from ckanext.lyg_opendata.access.agreements import pdf
    return Response(pdf.render(agreement), mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=agreement-{agreement['number']}.pdf"})


# --- the grantee's page ----------------------------------------------------------------

def my_grants(errors=None, report_id=None, form=None, status=200):
    _require_login()
    to_sign = _call("lyg_opendata_agreement_list", {"scope": "mine", "status": "unsigned"})
    grants = _call("lyg_opendata_grant_list", {"scope": "mine"})
    reports = _call("lyg_opendata_usage_report_list", {"scope": "mine"})
    body = tk.render("lyg_opendata/access/grant_mine.html", {
        "to_sign": to_sign["results"], "grants": grants["results"],
        "reports": reports["results"], "errors": errors or {}, "error_report": report_id,
        "form": form or {}})
    return (body, status) if status != 200 else body


def report_submit(id: str):
    _require_login()
    form = {k: tk.request.form.get(k, "") for k in ("usage", "results", "incidents")}
    try:
        _call("lyg_opendata_usage_report_submit", {"id": id, **form})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Usage report not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the grantee files the usage report"))
    except tk.ValidationError as e:
        return my_grants(_errors(e), id, form, 400)
    tk.h.flash_success(_("Usage report submitted."))
    return tk.redirect_to("lyg_opendata_agreements.my_grants")


# --- the agency's page -----------------------------------------------------------------

def _agency_scope() -> str:
    return "all" if roles.is_supervisor(tk.current_user) else "agency"


def agency_grants(errors=None, grant_id=None, status=200):
    _require_login()
    scope = _agency_scope()
    org = tk.request.args.get("organization") or None
    grant_status = tk.request.args.get("status") or None
    try:
        grants = _call("lyg_opendata_grant_list", {
            "scope": scope, **({"organization": org} if org else {}),
            **({"status": grant_status} if grant_status else {})})
        missing = _call("lyg_opendata_usage_report_list", {
            "scope": scope, "status": "missing", **({"organization": org} if org else {})})
        agreements_unsigned = _call("lyg_opendata_agreement_list", {
            "scope": scope, "status": "unsigned", **({"organization": org} if org else {})})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only an agency's editors and admins see its grants"))
    except tk.ValidationError as e:
        return tk.abort(400, "; ".join(sum(_errors(e).values(), [])))
    body = tk.render("lyg_opendata/access/grant_agency.html", {
        "grants": grants["results"], "missing": missing["results"],
        "unsigned": agreements_unsigned["results"], "scope": scope,
        "organization": org, "status": grant_status, "errors": errors or {},
        "error_grant": grant_id})
    return (body, status) if status != 200 else body


def grant_revoke(id: str):
    _require_login()
    try:
        _call("lyg_opendata_grant_revoke", {"id": id,
                                            "reason": tk.request.form.get("reason", "")})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Grant not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the dataset's agency and supervisors revoke a grant"))
    except tk.ValidationError as e:
        return agency_grants(_errors(e), id, 400)
    tk.h.flash_success(_("The grant is revoked: access ended at once."))
    return tk.redirect_to("lyg_opendata_agreements.grant_read", id=id)


def grant_read(id: str):
    _require_login()
    try:
        grant = _call("lyg_opendata_grant_show", {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Grant not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the grantee, the agency and supervisors see this grant"))
    try:
        tk.check_access("lyg_opendata_grant_revoke", _context(), {"id": id})
        may_revoke = grant["revoked_at"] is None
    except tk.NotAuthorized:
        may_revoke = False
    return tk.render("lyg_opendata/access/grant_read.html", {
        "grant": grant, "may_revoke": may_revoke, "errors": {}})


# --- model texts -----------------------------------------------------------------------

def _templates_page(errors=None, form=None, preview=None, status=200):
    try:
        versions = _call("lyg_opendata_agreement_template_list", {})
        current = _call("lyg_opendata_agreement_template_show", {})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only sysadmins and supervisors read the model texts of "
                               "agreements"))
    try:
        tk.check_access("lyg_opendata_agreement_template_create", _context(), {})
        may_write = True
    except tk.NotAuthorized:
        may_write = False
    body = tk.render("lyg_opendata/access/agreement_templates.html", {
        "versions": versions, "current": current, "may_write": may_write,
        "placeholders": {k: _(v) for k, v in agreement_texts.PLACEHOLDERS.items()},
        "errors": errors or {}, "form": form or {"title": current["title"],
                                                 "body": current["body"]},
        "preview": preview})
    return (body, status) if status != 200 else body


def templates_index():
    return _templates_page()


def templates_create():
    form = {k: tk.request.form.get(k, "") for k in ("title", "body", "note")}
    action = "lyg_opendata_agreement_template_preview" if tk.request.form.get("preview") \
        else "lyg_opendata_agreement_template_create"
    try:
        result = _call(action, {k: v for k, v in form.items() if v or k != "note"})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only sysadmins write the model text of agreements"))
    except tk.ValidationError as e:
        return _templates_page(_errors(e), form, None, 400)
    if action.endswith("_preview"):
        return _templates_page(None, form, result)
    tk.h.flash_success(_("Version %d of the model text saved: approvals use it from now on.")
                       % result["version"])
    return tk.redirect_to("lyg_opendata_agreements.template_read", version=result["version"])


def template_read(version: int):
    try:
        template = _call("lyg_opendata_agreement_template_show", {"version": version})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Agreement template not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only sysadmins and supervisors read the model texts of "
                               "agreements"))
    return tk.render("lyg_opendata/access/agreement_template_read.html", {"template": template})


bp = agreements_blueprint
bp.add_url_rule("/opendata/agreement/<id>", view_func=agreement_read, methods=["GET"])
bp.add_url_rule("/opendata/agreement/<id>/sign", view_func=agreement_sign, methods=["POST"])
bp.add_url_rule("/opendata/agreement/<id>/print", view_func=agreement_print)
bp.add_url_rule("/opendata/agreement/<id>/download.txt", view_func=agreement_text)
bp.add_url_rule("/opendata/agreement/<id>/download.pdf", view_func=agreement_pdf)
bp.add_url_rule("/opendata/my-grants", view_func=my_grants, methods=["GET"])
bp.add_url_rule("/opendata/usage-report/<id>", view_func=report_submit, methods=["POST"])
bp.add_url_rule("/opendata/grants", view_func=agency_grants, methods=["GET"])
bp.add_url_rule("/opendata/grant/<id>", view_func=grant_read, methods=["GET"])
bp.add_url_rule("/opendata/grant/<id>/revoke", view_func=grant_revoke, methods=["POST"])
bp.add_url_rule("/opendata/agreement-templates", view_func=templates_index, methods=["GET"])
bp.add_url_rule("/opendata/agreement-templates", endpoint="templates_create",
                view_func=templates_create, methods=["POST"])
bp.add_url_rule("/opendata/agreement-templates/<int:version>", view_func=template_read)
