"""Actions of agreements, grants and usage reports (Art 19, 24, 40).

The logic lives in :mod:`ckanext.lyg_opendata.access.agreements`; here: access checks,
validation with field errors, and the dicts returned.
"""
from __future__ import annotations

from typing import Any, Optional

import flask

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.access import agreements
from ckanext.lyg_opendata.access.model import (
    Agreement, AgreementTemplate, Application, Grant, UsageReport)
from ckanext.lyg_opendata.workdays import Calendar, today_beijing

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

SCOPES = ("mine", "agency", "all")
MAX_TITLE = 200
MAX_BODY = 50000
MIN_REASON = 5
MAX_TEXT = 5000
# usage report fields: (minimum, maximum) characters
REPORT_LENGTHS = {"usage": (20, MAX_TEXT), "results": (10, MAX_TEXT), "incidents": (1, MAX_TEXT)}
GRANT_STATUSES = ("pending", "active", "expired", "revoked")
REPORT_STATUSES = ("upcoming", "due", "overdue", "submitted", "missing")


# --- validators ------------------------------------------------------------------------

def _length(minimum: int, maximum: int):
    def check(value: Any, context) -> str:
        value = (value or "").strip() if isinstance(value, str) else value
        if not isinstance(value, str):
            raise tk.Invalid(_("Must be text"))
        if len(value) < minimum:
            raise tk.Invalid(_("At least %d characters") % minimum)
        if len(value) > maximum:
            raise tk.Invalid(_("At most %d characters") % maximum)
        return value
    return check


def _template_body(value: str, context) -> str:
    errors = agreements.template_errors(value)
    if errors:
        raise tk.Invalid("; ".join(errors))
    return value


def _one_of(options):
    def check(value: Any, context):
        if value not in options:
            raise tk.Invalid(_("Must be one of: %s") % ", ".join(options))
        return value
    return check


def _must_be_true(value: Any, context):
    if value is not True:
        raise tk.Invalid(_("Tick the box to accept the agreement"))
    return value


def _validate(data_dict, schema) -> dict[str, Any]:
    data, errors = tk.navl_validate(dict(data_dict or {}), schema)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _id_schema() -> dict:
    v = tk.get_validator
    return {"id": [v("not_empty"), v("unicode_safe")]}


def _list_schema(statuses) -> dict:
    v = tk.get_validator
    return {
        "scope": [v("default")("mine"), _one_of(SCOPES)],
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "package_id": [v("ignore_missing"), v("unicode_safe")],
        "status": [v("ignore_missing"), _one_of(statuses)],
        "limit": [v("default")(100), v("natural_number_validator"), v("int_validator")],
        "offset": [v("default")(0), v("natural_number_validator"), v("int_validator")],
    }


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


# --- model texts -----------------------------------------------------------------------

def _template_schema() -> dict:
    v = tk.get_validator
    return {
        "title": [v("not_empty"), v("unicode_safe"), _length(1, MAX_TITLE)],
        "body": [v("not_empty"), v("unicode_safe"), _length(1, MAX_BODY), _template_body],
        "note": [v("ignore_missing"), v("unicode_safe"), _length(0, 1000)],
    }


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
    data = _validate(data_dict, _template_schema())
    user = _user(context)
    template = agreements.create_template(data["title"], data["body"], data.get("note"), user.id)
    shared.commit(context)
    return agreements.template_dict(template)


def lyg_opendata_agreement_template_preview(context, data_dict):
    """Check a model text and fill it with example values, without saving. Sysadmins.

    :param title: as for ``lyg_opendata_agreement_template_create``
    :param body: as for ``lyg_opendata_agreement_template_create``
    :returns: ``title``, ``text`` (the body filled with example values) and
        ``placeholders`` (every placeholder a body may use, with what it holds)
    """
    tk.check_access("lyg_opendata_agreement_template_preview", context, data_dict)
    data = _validate(data_dict, _template_schema())
    return {"title": data["title"],
            "text": agreements.render(data["body"], agreements.sample_values()),
            "placeholders": {k: _(v) for k, v in agreements.PLACEHOLDERS.items()}}


@tk.side_effect_free
def lyg_opendata_agreement_template_list(context, data_dict):
    """The versions of the model text, newest first (the first is current). Sysadmins and
    supervisors. The shipped model text is version 1 once any version is needed.

    :returns: a list of ``id``, ``version``, ``title``, ``note``, ``created``,
        ``created_by``, ``placeholders`` (no body)
    """
    tk.check_access("lyg_opendata_agreement_template_list", context, data_dict)
    rows = model.Session.query(AgreementTemplate).order_by(AgreementTemplate.version.desc())
    return [agreements.template_dict(t, with_body=False) for t in rows]


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
    data = _validate(data_dict, {"version": [v("ignore_missing"), v("natural_number_validator"),
                                             v("int_validator")],
                                 "id": [v("ignore_missing"), v("unicode_safe")]})
    query = model.Session.query(AgreementTemplate)
    if data.get("version") is not None:
        template = query.filter(AgreementTemplate.version == data["version"]).one_or_none()
    elif data.get("id"):
        template = model.Session.get(AgreementTemplate, data["id"])
    else:
        template = agreements.latest_template()
        if template is None:
            return {"id": None, "version": 1, "title": agreements.DEFAULT_TITLE,
                    "body": agreements.default_text(), "note": None, "created": None,
                    "created_by": None, "placeholders": sorted(agreements.PLACEHOLDERS)}
    if template is None:
        raise tk.ObjectNotFound(_("Agreement template not found"))
    return agreements.template_dict(template)


# --- agreements ------------------------------------------------------------------------

def _agreement(data_dict) -> Agreement:
    agreement = model.Session.get(Agreement, data_dict["id"])
    if agreement is None:
        raise tk.ObjectNotFound(_("Agreement not found"))
    return agreement


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
    data = _validate(data_dict, _id_schema())
    tk.check_access("lyg_opendata_agreement_show", context, data)
    return agreements.agreement_dict(_agreement(data), viewer=context.get("user"))


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
    data = _validate(data_dict, _list_schema(("unsigned", "signed")))
    user = _user(context)
    query = agreements.agreements_query(user, data["scope"], data.get("organization"))
    query = _package_filter(query, Application.package_id, data.get("package_id"))
    if data.get("status") == "unsigned":
        query = query.filter(Agreement.applicant_signed_at.is_(None))
    elif data.get("status") == "signed":
        query = query.filter(Agreement.applicant_signed_at.isnot(None))
    count = query.count()
    rows = query.order_by(Agreement.created.desc()).offset(data["offset"]).limit(data["limit"])
    return {"count": count,
            "results": [agreements.agreement_dict(a, with_text=False, viewer=user)
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
    data = _validate(data_dict, {"id": [v("not_empty"), v("unicode_safe")],
                                 "accept": [v("not_missing"), v("boolean_validator"),
                                            _must_be_true]})
    tk.check_access("lyg_opendata_agreement_sign", context, data)
    _agreement(data)
    user = _user(context)
    ip, agent = _client()
    ip = context.get("lyg_opendata_ip") or ip
    agent = context.get("lyg_opendata_user_agent") or agent
    _agreement_row, grant = agreements.sign(data["id"], user, ip, agent)
    shared.commit(context)
    return agreements.grant_dict(grant)


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
    data = _validate(data_dict, _list_schema(GRANT_STATUSES))
    user = _user(context)
    query = agreements.grants_query(user, data["scope"], data.get("organization"))
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
    return {"count": count, "results": [agreements.grant_dict(g, today, cal=cal) for g in rows]}


def _grant(data) -> Grant:
    grant = model.Session.get(Grant, data["id"])
    if grant is None:
        raise tk.ObjectNotFound(_("Grant not found"))
    return grant


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
    data = _validate(data_dict, _id_schema())
    tk.check_access("lyg_opendata_grant_show", context, data)
    return agreements.grant_dict(_grant(data))


def lyg_opendata_grant_revoke(context, data_dict):
    """Revoke a grant (Art 40), effective at once: the grantee loses access to the data
    immediately. The dataset's agency (editors, admins), supervisors, sysadmins.

    :param id: the grant's id
    :param reason: why (required, at least 5 characters); the grantee is told
    :returns: the grant as ``lyg_opendata_grant_show`` gives it
    """
    v = tk.get_validator
    data = _validate(data_dict, {"id": [v("not_empty"), v("unicode_safe")],
                                 "reason": [v("not_empty"), v("unicode_safe"),
                                            _length(MIN_REASON, MAX_TEXT)]})
    tk.check_access("lyg_opendata_grant_revoke", context, data)
    _grant(data)
    grant = agreements.revoke(data["id"], _user(context), data["reason"])
    shared.commit(context)
    return agreements.grant_dict(grant)


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
        schema[field] = [v("not_empty"), v("unicode_safe"), _length(low, high)]
    data = _validate(data_dict, schema)
    tk.check_access("lyg_opendata_usage_report_submit", context, data)
    if model.Session.get(UsageReport, data["id"]) is None:
        raise tk.ObjectNotFound(_("Usage report not found"))
    report = agreements.submit_report(data["id"], _user(context), data["usage"], data["results"],
                                      data["incidents"])
    shared.commit(context)
    return agreements.report_dict(report, with_grant=True)


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
    data = _validate(data_dict, _list_schema(REPORT_STATUSES))
    user = _user(context)
    query = agreements.reports_query(user, data["scope"], data.get("organization"))
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
            "results": [agreements.report_dict(r, today, cal, with_grant=True) for r in rows]}
