"""The demo's conditional data: applicants, applications taken to the state the demo file
names, their agreements and grants (有条件开放)."""
from __future__ import annotations

from typing import Any


import ckan.model as model
from ckanext.lyg_opendata.demo.api import Progress, act
from ckanext.lyg_opendata.demo.objections import ensure_citizens


# --- conditional data: applications, agreements, grants (有条件开放) -------------------------
# Through the application and agreement actions, each step by whoever takes it in the portal
# (the applicant applies, replies, signs and reports; the agency's clerk decides), so the
# timeline, the agreement text, the grant, the report schedule and the notices are the
# workflow's own. Idempotent: an application is known by its applicant, dataset and purpose;
# one that exists is only taken further towards the state the demo names.

APPLICANT_FIELDS = ("applicant_type", "credit_code", "contact_name", "contact_phone",
                    "contact_email")


def ensure_applicants(applicants: list[dict[str, Any]], password: str | None,
                      progress: Progress) -> int:
    """Demo companies and institutes that apply for conditional data (no organization)."""
    return ensure_citizens(applicants, password, progress)


def _application_form(pkg: model.Package, applicant: dict[str, Any],
                      entry: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt
    from ckanext.lyg_opendata.workdays import today_beijing
    start = today_beijing()
    data = {k: str(applicant[k]) for k in APPLICANT_FIELDS if applicant.get(k)}
    data.update({
        "package_id": pkg.id, "applicant_name": applicant["fullname"],
        "purpose": entry["purpose"].strip(), "scenario": entry["scenario"].strip(),
        "security_measures": entry["security_measures"].strip(), "resource_ids": "all",
        "term_start": start.isoformat(),
        "term_end": (start + dt.timedelta(days=entry.get("term_days", 365))).isoformat(),
        "accept_conditions": True, "accept_privacy": True})
    return data


def _application_step(app, entry: dict[str, Any], applicant: str) -> str | None:
    """Take an application one step towards the demo's state; what was done, or None."""
    from ckanext.lyg_opendata.access.applications import workflow as app_workflow
    from ckanext.lyg_opendata.access.model import Grant, UsageReport
    from ckanext.lyg_opendata.workdays import today_beijing
    target, handler = entry.get("state", "submitted"), entry.get("handler")
    if app.status == "submitted" and target == "info_requested":
        act("lyg_opendata_application_request_info", handler,
             {"id": app.id, "message": entry["message"].strip()})
        return "info_requested"
    if app.status in app_workflow.OPEN and target == "refused":
        act("lyg_opendata_application_refuse", handler,
             {"id": app.id, "reason": entry["reason"].strip(), "basis": entry["basis"].strip()})
        return "refused"
    if app.status == "submitted" and target == "approved":
        data = {"id": app.id, "conditions_of_use": entry["conditions_of_use"].strip()}
        if entry.get("report_interval_months"):
            data["report_interval_months"] = entry["report_interval_months"]
        act("lyg_opendata_application_approve", handler, data)
        return "approved"
    if app.status != "approved" or target != "approved":
        return None
    agreement = app_workflow.agreement_for(app.id)
    if agreement is not None and agreement.applicant_signed_at is None:
        act("lyg_opendata_agreement_sign", applicant, {"id": agreement.id, "accept": True})
        return "signed"
    report = entry.get("report")
    grant = model.Session.query(Grant).filter(Grant.application_id == app.id).first()
    if not report or grant is None:
        return None
    reports = model.Session.query(UsageReport).filter(UsageReport.grant_id == grant.id)
    if reports.filter(UsageReport.submitted_at.isnot(None)).first() is not None:
        return None
    due = reports.filter(UsageReport.period_start <= today_beijing()).order_by(
        UsageReport.period_start).first()
    if due is None:
        return None
    act("lyg_opendata_usage_report_submit", applicant, {
        "id": due.id, **{k: report[k].strip() for k in ("usage", "results", "incidents")}})
    return "reported"


def ensure_applications(data: dict[str, Any], progress: Progress,
                        counts: dict[str, int]) -> None:
    """Applications of the demo applicants, taken to the demo's states. Skipped when the
    applicant or the deciding clerk does not exist (no password given, so no demo users)."""
    from ckanext.lyg_opendata.access.model import Application
    applicants = {a["name"]: a for a in data.get("applicants", [])}
    made = {"applications": 0, "grants": 0, "usage_reports": 0}
    for entry in data.get("applications", []):
        user = model.User.get(entry["applicant"])
        pkg = model.Package.get(entry["dataset"])
        handler = entry.get("handler")
        if user is None or pkg is None or (handler and model.User.get(handler) is None):
            continue
        purpose = entry["purpose"].strip()
        app = model.Session.query(Application).filter(
            Application.user_id == user.id, Application.package_id == pkg.id,
            Application.purpose == purpose).first()
        steps = []
        if app is None:
            form = _application_form(pkg, applicants[user.name], entry)
            made_app = act("lyg_opendata_application_create", user.name, form)
            app = model.Session.get(Application, made_app["id"])
            made["applications"] += 1
            steps.append("submitted")
        while True:
            step = _application_step(app, entry, user.name)
            if step is None:
                break
            made["grants"] += step == "signed"
            made["usage_reports"] += step == "reported"
            steps.append(step)
            model.Session.refresh(app)
        if steps:
            progress(f"  application of {user.name} for {pkg.name}: {' → '.join(steps)}")
    counts.update(made)


def load_applications(data: dict[str, Any], password: str | None, progress: Progress,
                      counts: dict[str, int]) -> None:
    """The demo's applicants and their applications, agreements, grants and usage reports
    (counted into ``counts``)."""
    counts["users"] = counts.get("users", 0) + ensure_applicants(
        data.get("applicants", []), password, progress)
    ensure_applications(data, progress, counts)
