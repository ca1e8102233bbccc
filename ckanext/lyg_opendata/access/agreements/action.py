"""Actions of agreements, grants and usage reports (Art 19, 24, 40).

The logic lives in the modules beside this one (texts, workflow, grants, reports), the
schemas in schema.py; here: access checks, validation with field errors, and the dicts
returned."""
from __future__ import annotations

from typing import Optional

import flask

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access.agreements import dicts as agreement_dicts
from ckanext.lyg_opendata.access.agreements import grants as agreement_grants
from ckanext.lyg_opendata.access.agreements import lists
from ckanext.lyg_opendata.access.agreements import reports as agreement_reports
from ckanext.lyg_opendata.access.agreements import texts as agreement_texts
from ckanext.lyg_opendata.access.agreements import workflow as agreement_workflow
from ckanext.lyg_opendata.access.model import (
    Agreement, AgreementTemplate, Application, Grant, UsageReport)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing
from ckanext.lyg_opendata.access.agreements.schema import (
    GRANT_STATUSES, MAX_TEXT, MIN_REASON, REPORT_LENGTHS, REPORT_STATUSES, id_schema, length,
    list_schema, must_be_true, template_schema, validate)

_ = tk._


__all__ = [
    "lyg_opendata_agreement_template_create",
    "lyg_opendata_agreement_template_list",
    "lyg_opendata_agreement_template_show",
    "lyg_opendata_agreement_template_preview",
    "lyg_opendata_agreement_show",
    "lyg_opendata_agreement_list",
    "lyg_opendata_agreement_sign",
    "lyg_opendata_grant_list",
    "lyg_opendata_grant_show",
    "lyg_opendata_grant_revoke",
    "lyg_opendata_usage_report_submit",
    "lyg_opendata_usage_report_list",
]


def _user(context) -> model.User:
    user = roles._user(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(_("Sign in first"))
    return user


def _package_filter(query, column, package_id: Optional[str]):
    if not package_id:
        return query
    pkg = model.Package.get(package_id)
    return query.filter(column == (pkg.id if pkg else package_id))


def lyg_opendata_agreement_template_create(context, data_dict):
    """Add a new version of the model text (协议示范文本). Sysadmins. Earlier versions and
    the agreements generated from them never change; approvals use the new version.

    :param title: the agreement's title
    :param body: the text, with ``{placeholder}`` fields (see
        ``lyg_opendata_agreement_template_preview``'s ``placeholders``); ``{{`` and ``}}``
        are literal braces. An unknown placeholder is a field error on ``body``.
    :param note: what changed (optional)
    :returns: the version as ``lyg_opendata_agreement_template_show`` gives it
    """
    tk.check_access("lyg_opendata_agreement_template_create", context, data_dict)
    data = validate(data_dict, template_schema())
    user = _user(context)
    template = agreement_texts.create_template(data["title"], data["body"], data.get("note"), user.id)
    shared.commit(context)
    return agreement_texts.template_dict(template)


def lyg_opendata_agreement_template_preview(context, data_dict):
    """Check a model text and fill it with example values, without saving. Sysadmins.

    :param title: as for ``lyg_opendata_agreement_template_create``
    :param body: as for ``lyg_opendata_agreement_template_create``
    :returns: ``title``, ``text`` (the body filled with example values) and
        ``placeholders`` (every placeholder a body may use, with what it holds)
    """
    tk.check_access("lyg_opendata_agreement_template_preview", context, data_dict)
    data = validate(data_dict, template_schema())
    return {"title": data["title"],
            "text": agreement_texts.render(data["body"], agreement_texts.sample_values()),
            "placeholders": {k: _(v) for k, v in agreement_texts.PLACEHOLDERS.items()}}


@tk.side_effect_free
def lyg_opendata_agreement_template_list(context, data_dict):
    """The versions of the model text, newest first (the first is current). Sysadmins and
    supervisors. The shipped model text is version 1 once any version is needed.

    :returns: a list of ``id``, ``version``, ``title``, ``note``, ``created``,
        ``created_by``, ``placeholders`` (no body)
    """
    tk.check_access("lyg_opendata_agreement_template_list", context, data_dict)
    rows = model.Session.query(AgreementTemplate).order_by(AgreementTemplate.version.desc())
    return [agreement_texts.template_dict(t, with_body=False) for t in rows]


@tk.side_effect_free
def lyg_opendata_agreement_template_show(context, data_dict):
    """One version of the model text. Sysadmins and supervisors.

    :param version: the version number; or
    :param id: the version's id; neither: the current version (the shipped text when no
        version was written yet — it is not stored by reading it)
    :returns: as the list, plus ``body``
    """
    tk.check_access("lyg_opendata_agreement_template_show", context, data_dict)
    v = tk.get_validator
    data = validate(data_dict, {"version": [v("ignore_missing"), v("natural_number_validator"),
                                             v("int_validator")],
                                 "id": [v("ignore_missing"), v("unicode_safe")]})
    query = model.Session.query(AgreementTemplate)
    if data.get("version") is not None:
        template = query.filter(AgreementTemplate.version == data["version"]).one_or_none()
    elif data.get("id"):
        template = model.Session.get(AgreementTemplate, data["id"])
    else:
        template = agreement_texts.latest_template()
        if template is None:
            return {"id": None, "version": 1, "title": agreement_texts.DEFAULT_TITLE,
                    "body": agreement_texts.default_text(), "note": None, "created": None,
                    "created_by": None, "placeholders": sorted(agreement_texts.PLACEHOLDERS)}
    if template is None:
        raise tk.ObjectNotFound(_("Agreement template not found"))
    return agreement_texts.template_dict(template)


# --- agreements ------------------------------------------------------------------------

def _agreement(data_dict) -> Agreement:
    return shared.find(Agreement, data_dict["id"], _("Agreement not found"))


@tk.side_effect_free
def lyg_opendata_agreement_show(context, data_dict):
    """An agreement: its frozen text and SHA-256, the parties' signatures, the grant.
    The applicant, the dataset's agency (editors, admins), supervisors, sysadmins.

    :param id: the agreement's id
    :returns: ``id``, ``number``, ``text``, ``sha256``, ``template_version``, ``package``,
        ``applicant``, ``resources``, ``term_start``, ``term_end``, ``conditions_of_use``,
        ``report_schedule`` (``end`` | ``periodic``), ``report_interval_months``,
        ``agency_signed_at``/``_by``, ``applicant_signed_at``/``_by``, ``applicant_sign_ip``
        and ``applicant_sign_user_agent`` (for the applicant, the agency and sysadmins; null
        for supervisors), ``signed``, ``grant_id``, ``grant_status``
    """
    data = validate(data_dict, id_schema())
    tk.check_access("lyg_opendata_agreement_show", context, data)
    return agreement_dicts.agreement_dict(_agreement(data), viewer=context.get("user"))


@tk.side_effect_free
def lyg_opendata_agreement_list(context, data_dict):
    """Agreements: ``mine`` (as applicant), ``agency`` (of the agencies where the user is an
    editor or admin) or ``all`` (supervisors).

    :param scope: ``mine`` (default), ``agency`` or ``all``
    :param organization: only this agency (name or id)
    :param package_id: only this dataset
    :param status: ``unsigned`` or ``signed``
    :param limit: default 100; :param offset: default 0
    :returns: ``count`` and ``results`` (as ``lyg_opendata_agreement_show`` without ``text``)
    """
    tk.check_access("lyg_opendata_agreement_list", context, data_dict)
    data = validate(data_dict, list_schema(("unsigned", "signed")))
    user = _user(context)
    query = lists.agreements_query(user, data["scope"], data.get("organization"))
    query = _package_filter(query, Application.package_id, data.get("package_id"))
    if data.get("status") == "unsigned":
        query = query.filter(Agreement.applicant_signed_at.is_(None))
    elif data.get("status") == "signed":
        query = query.filter(Agreement.applicant_signed_at.isnot(None))
    count = query.count()
    rows = query.order_by(Agreement.created.desc()).offset(data["offset"]).limit(data["limit"])
    return {"count": count,
            "results": [agreement_dicts.agreement_dict(a, with_text=False, viewer=user)
                        for a in rows]}


def _client() -> tuple[Optional[str], Optional[str]]:
    if not flask.has_request_context():
        return None, None
    req = flask.request
    return req.remote_addr, req.headers.get("User-Agent")


def lyg_opendata_agreement_sign(context, data_dict):
    """The applicant signs (accepts) the agreement: recorded with time, user, IP address and
    user agent; the grant over the granted resources and term is created at the same time,
    with the schedule of usage reports. Access begins now (or on the first day of the
    term). Signing twice gives one grant; the second is a field error.

    :param id: the agreement's id
    :param accept: ``true`` (required)
    :returns: the grant as ``lyg_opendata_grant_show`` gives it
    """
    v = tk.get_validator
    data = validate(data_dict, {"id": [v("not_empty"), v("unicode_safe")],
                                 "accept": [v("not_missing"), v("boolean_validator"),
                                            must_be_true]})
    tk.check_access("lyg_opendata_agreement_sign", context, data)
    _agreement(data)
    user = _user(context)
    ip, agent = _client()
    ip = context.get("lyg_opendata_ip") or ip
    agent = context.get("lyg_opendata_user_agent") or agent
    _agreement_row, grant = agreement_workflow.sign(data["id"], user, ip, agent)
    shared.commit(context)
    return agreement_dicts.grant_dict(grant)


# --- grants ----------------------------------------------------------------------------

@tk.side_effect_free
def lyg_opendata_grant_list(context, data_dict):
    """Grants: ``mine`` (as grantee), ``agency`` (the user's agencies) or ``all``
    (supervisors). Status is computed today (Beijing): ``pending`` (term not begun),
    ``active``, ``expired``, ``revoked``.

    :param scope: ``mine`` (default), ``agency`` or ``all``
    :param organization: only this agency (name or id)
    :param package_id: only this dataset
    :param status: only grants in this status
    :param limit: default 100; :param offset: default 0
    :returns: ``count`` and ``results`` (as ``lyg_opendata_grant_show``)
    """
    tk.check_access("lyg_opendata_grant_list", context, data_dict)
    data = validate(data_dict, list_schema(GRANT_STATUSES))
    user = _user(context)
    query = lists.grants_query(user, data["scope"], data.get("organization"))
    query = _package_filter(query, Grant.package_id, data.get("package_id"))
    today = today_beijing()
    status = data.get("status")
    if status == "revoked":
        query = query.filter(Grant.revoked_at.isnot(None))
    elif status:
        query = query.filter(Grant.revoked_at.is_(None))
        query = query.filter({"pending": Grant.starts_on > today,
                              "active": (Grant.starts_on <= today) & (Grant.ends_on >= today),
                              "expired": Grant.ends_on < today}[status])
    count = query.count()
    rows = query.order_by(Grant.created.desc()).offset(data["offset"]).limit(data["limit"])
    cal = Calendar()
    return {"count": count, "results": [agreement_dicts.grant_dict(g, today, cal=cal) for g in rows]}


def _grant(data) -> Grant:
    return shared.find(Grant, data["id"], _("Grant not found"))


@tk.side_effect_free
def lyg_opendata_grant_show(context, data_dict):
    """A grant: grantee, dataset, granted resources, term, status, revocation, reports.
    The grantee, the dataset's agency (editors, admins), supervisors, sysadmins.

    :param id: the grant's id
    :returns: ``id``, ``agreement_id``, ``agreement_number``, ``grantee``, ``package``,
        ``resource_ids``, ``resources``, ``starts_on``, ``ends_on``, ``status``, ``valid``,
        ``revoked_at``, ``revoked_by``, ``revoke_reason``, ``expiry_notified_at``,
        ``reports`` (as ``lyg_opendata_usage_report_list``), ``reports_due``,
        ``reports_overdue``
    """
    data = validate(data_dict, id_schema())
    tk.check_access("lyg_opendata_grant_show", context, data)
    return agreement_dicts.grant_dict(_grant(data))


def lyg_opendata_grant_revoke(context, data_dict):
    """Revoke a grant (Art 40), effective at once: the grantee loses access to the data
    immediately. The dataset's agency (editors, admins), supervisors, sysadmins.

    :param id: the grant's id
    :param reason: why (required, at least 5 characters); the grantee is told
    :returns: the grant as ``lyg_opendata_grant_show`` gives it
    """
    v = tk.get_validator
    data = validate(data_dict, {"id": [v("not_empty"), v("unicode_safe")],
                                 "reason": [v("not_empty"), v("unicode_safe"),
                                            length(MIN_REASON, MAX_TEXT)]})
    tk.check_access("lyg_opendata_grant_revoke", context, data)
    _grant(data)
    grant = agreement_grants.revoke(data["id"], _user(context), data["reason"])
    shared.commit(context)
    return agreement_dicts.grant_dict(grant)


# --- usage reports ---------------------------------------------------------------------

def lyg_opendata_usage_report_submit(context, data_dict):
    """File a usage report (Art 24). The grantee only, once per report, from the first day
    of its period.

    :param id: the report's id (see ``lyg_opendata_usage_report_list``)
    :param usage: what the data was used for (at least 20 characters)
    :param results: the results achieved (at least 10 characters)
    :param incidents: security incidents, or that there were none (required)
    :returns: the report as ``lyg_opendata_usage_report_list`` gives it
    """
    v = tk.get_validator
    schema = {"id": [v("not_empty"), v("unicode_safe")]}
    for field, (low, high) in REPORT_LENGTHS.items():
        schema[field] = [v("not_empty"), v("unicode_safe"), length(low, high)]
    data = validate(data_dict, schema)
    tk.check_access("lyg_opendata_usage_report_submit", context, data)
    if model.Session.get(UsageReport, data["id"]) is None:
        raise tk.ObjectNotFound(_("Usage report not found"))
    report = agreement_reports.submit_report(data["id"], _user(context), data["usage"], data["results"],
                                      data["incidents"])
    shared.commit(context)
    return agreement_dicts.report_dict(report, with_grant=True)


@tk.side_effect_free
def lyg_opendata_usage_report_list(context, data_dict):
    """Usage reports: ``mine`` (to file), ``agency`` (of the user's agencies' grants) or
    ``all`` (supervisors). Status is computed today: ``upcoming`` (period not ended),
    ``due``, ``overdue`` (past its due date, not filed), ``submitted``; the filter
    ``missing`` gives the overdue ones.

    :param scope: ``mine`` (default), ``agency`` or ``all``
    :param organization: only this agency (name or id)
    :param package_id: only this dataset
    :param status: ``upcoming``, ``due``, ``overdue``, ``missing`` or ``submitted``
    :param limit: default 100; :param offset: default 0
    :returns: ``count`` and ``results``: ``id``, ``grant_id``, ``grantee``, ``package``,
        ``period_start``, ``period_end``, ``due_on``, ``days_left`` (working days),
        ``provisional``, ``status``, ``overdue``, ``usage``, ``results``, ``incidents``,
        ``submitted_at``, ``submitted_by``, ``grant_status``
    """
    tk.check_access("lyg_opendata_usage_report_list", context, data_dict)
    data = validate(data_dict, list_schema(REPORT_STATUSES))
    user = _user(context)
    query = lists.reports_query(user, data["scope"], data.get("organization"))
    query = _package_filter(query, Grant.package_id, data.get("package_id"))
    today = today_beijing()
    status = data.get("status")
    if status == "submitted":
        query = query.filter(UsageReport.submitted_at.isnot(None))
    elif status:
        query = query.filter(UsageReport.submitted_at.is_(None))
        query = query.filter({"upcoming": UsageReport.period_end >= today,
                              "due": (UsageReport.period_end < today)
                              & (UsageReport.due_on >= today),
                              "overdue": UsageReport.due_on < today,
                              "missing": UsageReport.due_on < today}[status])
    count = query.count()
    rows = query.order_by(UsageReport.due_on, UsageReport.period_start).offset(
        data["offset"]).limit(data["limit"])
    cal = Calendar()
    return {"count": count,
            "results": [agreement_dicts.report_dict(r, today, cal, with_grant=True) for r in rows]}
