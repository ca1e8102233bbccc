"""Pages of the yearly report on government information disclosure (parts 二, 三, 四 of the
national format of 2021): the table page with the agency's figures form, XLSX and PDF."""
from __future__ import annotations

from flask import make_response

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import forms, roles
from ckanext.lyg_opendata.disclosure.views import (
    _agencies, _context, _errors, _labelled_errors, _login_first, _private, disclosure_blueprint)
from ckanext.lyg_opendata.i18n import N_

_ = tk._


def yearly_report_xlsx():
    from ckanext.lyg_opendata.disclosure import report
    params = {k: v for k, v in tk.request.args.items() if k in ("year", "organization") and v}
    try:
        result = tk.get_action("lyg_opendata_disclosure_yearly_report")(_context(), params)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    except tk.ValidationError as e:
        return tk.abort(400, "；".join(m for msgs in _errors(e).values() for m in msgs))
    who = result["organization_title"] or _("The whole city (all agencies)")
    title = f"{who} {result['year']} " + _("Yearly report: applications for disclosure")
    response = make_response(report.to_xlsx(result, title))
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"disclosure-{result['year']}-{params.get('organization') or 'city'}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


def yearly_report():
    if not tk.current_user.is_authenticated:
        return _login_first()
    user = _context()["user"]
    supervisor = roles.is_supervisor(user)
    own = [] if supervisor else roles.editable_org_ids(user)
    params = {k: v for k, v in tk.request.args.items() if k in ("year", "organization") and v}
    if not supervisor and not params.get("organization") and own:
        org = model.Session.get(model.Group, own[0])
        params["organization"] = org.name if org else ""
    try:
        result = tk.get_action("lyg_opendata_disclosure_yearly_report")(_context(), params)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        tk.h.flash_error("；".join(m for msgs in _errors(e).values() for m in msgs))
        params = {k: v for k, v in params.items() if k == "organization"}
        try:
            result = tk.get_action("lyg_opendata_disclosure_yearly_report")(_context(), params)
        except (tk.ValidationError, tk.NotAuthorized) as e2:
            return tk.abort(403, str(e2))
    agencies = [a for a in _agencies()[1:] if supervisor or (
        model.Group.get(a["value"]) and model.Group.get(a["value"]).id in own)]
    from ckanext.lyg_opendata.disclosure import report_parts
    org_id = result.get("organization_id")
    may_enter = bool(org_id) and forms.can("lyg_opendata_disclosure_report_figures_update",
                                           {"organization": org_id})
    return tk.render("lyg_opendata/disclosure/report.html", {
        "result": result, "params": params, "agencies": agencies, "supervisor": supervisor,
        "may_enter_figures": may_enter, "figure_fields": report_parts.figure_fields()})


def report_figures():
    from ckanext.lyg_opendata.disclosure import report_parts
    params = {k: v for k, v in tk.request.args.items() if k in ("year", "organization") and v}
    figures = {k: tk.request.form.get(k, "") for k in report_parts.ENTERED}
    labels = {f["name"]: f["label"] for f in report_parts.figure_fields()}

    def describe(e: tk.ValidationError) -> str:
        # each figure by its label (行政处罚（本年处理决定数量）), not its key
        return "；".join(f"{labels[k]}: {'；'.join(v)}" if k in labels else _labelled_errors(
            tk.ValidationError({k: v})) for k, v in _errors(e).items())
    forms.run("lyg_opendata_disclosure_report_figures_update", {**params, "figures": figures},
              N_("The figures were saved"), describe=describe)
    return tk.redirect_to("lyg_opendata_disclosure.report", **params)


def yearly_report_pdf():
    from ckanext.lyg_opendata.disclosure import report_pdf
    params = {k: v for k, v in tk.request.args.items() if k in ("year", "organization") and v}
    try:
        result = tk.get_action("lyg_opendata_disclosure_yearly_report")(_context(), params)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    except tk.ValidationError as e:
        return tk.abort(400, "；".join(m for msgs in _errors(e).values() for m in msgs))
    who = result["organization_title"] or "连云港市（全市汇总）"
    title = f"{who} {result['year']}年政府信息公开工作年度报告（表格部分）"
    response = make_response(report_pdf.render(result, title))
    response.headers["Content-Type"] = "application/pdf"
    name = f"disclosure-{result['year']}-{params.get('organization') or 'city'}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


_bp = disclosure_blueprint
_bp.add_url_rule("/opendata/disclosure/report", view_func=yearly_report, endpoint="report")
_bp.add_url_rule("/opendata/disclosure/report.xlsx", view_func=yearly_report_xlsx,
                 endpoint="report_xlsx")
_bp.add_url_rule("/opendata/disclosure/report.pdf", view_func=yearly_report_pdf,
                 endpoint="report_pdf")
_bp.add_url_rule("/opendata/disclosure/report/figures", view_func=report_figures,
                 endpoint="report_figures", methods=["POST"])
