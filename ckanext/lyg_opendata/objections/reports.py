"""Reports (举报, Art 25, 38): never public. Filing one, reading it (who reported it only to
supervisors and the reporter), the supervisors' list and handling (``REPORT_TRANSITIONS``)."""
from __future__ import annotations

from typing import Any

import sqlalchemy.orm  # noqa: F401 (sa.orm)

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.objections import codes, schema, workflow
from ckanext.lyg_opendata.objections.model import Report, ReportEvent
from ckanext.lyg_opendata.objections.action import active_dataset, acting_user
from ckanext.lyg_opendata.objections.queues import paged

_ = tk._

__all__ = [
    "lyg_opendata_report_create",
    "lyg_opendata_report_show",
    "lyg_opendata_report_list",
    "lyg_opendata_report_update",
    "lyg_opendata_report_my_list",
]


# --- reports (举报, Art 25, 38) -------------------------------------------------------------

def _report_level(user, report: Report) -> str:
    if roles.is_supervisor(user):
        return "supervisor"
    if report.organization_id and roles.is_agency_editor(user, report.organization_id):
        return "agency"
    u = roles._user(user)
    if u and report.reported_by == u.id:
        return "reporter"
    return "none"


def report_dict(report: Report, level: str) -> dict[str, Any]:
    """A report as supervisors, the agency or the reporter see it: only supervisors (and the
    reporter) see who reported it and how to reach them."""
    pkg = model.Session.get(model.Package, report.package_id) if report.package_id else None
    org = model.Session.get(model.Group, report.organization_id) if report.organization_id else None
    out = {"id": report.id, "package_id": report.package_id,
           "package_name": pkg.name if pkg else None,
           "package_title": (pkg.title or pkg.name) if pkg else None,
           "organization_id": report.organization_id,
           "organization_title": org.title if org else None,
           "reported_party": report.reported_party, "description": report.description,
           "status": report.status, "status_label": codes.label("report_status", report.status),
           "created": report.created.isoformat()}
    if level in ("supervisor", "reporter"):
        reporter = model.Session.get(model.User, report.reported_by) if report.reported_by else None
        out["contact"] = report.contact
        out["reported_by"] = reporter.name if reporter else None
        out["reported_by_display_name"] = reporter.display_name if reporter else None
    events = model.Session.query(ReportEvent).filter(ReportEvent.report_id == report.id).order_by(
        ReportEvent.created, ReportEvent.id)
    out["events"] = []
    for e in events:
        item = {"action": e.action, "action_label": codes.label("report_event", e.action),
                "actor_role": e.actor_role, "actor_role_label": codes.label("role", e.actor_role),
                "text": e.text, "created": e.created.isoformat()}
        if level == "supervisor" and e.actor_id and e.actor_role != "raiser":
            actor = model.Session.get(model.User, e.actor_id)
            item["actor_display_name"] = actor.display_name if actor else None
        if level == "reporter" and e.actor_role != "raiser":
            item["text"] = None  # internal handling notes stay with the handlers
        out["events"].append(item)
    return out


def lyg_opendata_report_create(context, data_dict):
    """Report improper use of public data by a data user (举报, Art 38). It goes to the
    supervisors and, when it concerns a dataset, to that dataset's agency (Art 25). Never
    public; the reporter's identity is shown to supervisors only.

    :param package_id: the dataset concerned (optional)
    :param reported_party: who is using the data improperly (person, company, application)
    :param description: what happened
    :param contact: how to reach you (optional; supervisors only)
    """
    data = schema.validate(data_dict, schema.report_create_schema())
    pkg = None
    if data.get("package_id"):
        pkg = active_dataset(data["package_id"])
        data["package_id"] = pkg.id
    tk.check_access("lyg_opendata_report_create", context, data)
    user = acting_user(context)
    ip_hash = workflow.address_hash(workflow.client_address())
    if not context.get("ignore_auth"):
        workflow.check_rate(Report, Report.reported_by, Report.reported_ip,
                            user.id if user else None, ip_hash)
    report = Report(package_id=pkg.id if pkg else None,
                    organization_id=pkg.owner_org if pkg else None,
                    reported_party=data["reported_party"], description=data["description"],
                    contact=data.get("contact"), reported_by=user.id if user else None,
                    reported_ip=ip_hash, status="submitted")
    model.Session.add(report)
    model.Session.flush()
    shared.record(ReportEvent, report_id=report.id, actor_id=user.id if user else None,
                  actor_role="raiser", action="report", to_status="submitted")
    shared.commit(context)  # the supervisors and the agency hear from ``notices.after_report``
    return report_dict(report, "reporter")


def get_report(report_id: str) -> Report:
    return shared.find(Report, report_id, _("Report not found"))


@tk.side_effect_free
def lyg_opendata_report_show(context, data_dict):
    """A report with its handling (supervisors, the dataset's agency, the reporter).

    :param id: the report's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    report = get_report(data["id"])
    tk.check_access("lyg_opendata_report_show", context, data)
    return report_dict(report, _report_level(context.get("user"), report))


@tk.side_effect_free
def lyg_opendata_report_list(context, data_dict):
    """Reports for supervisors (all) or an agency (those about its datasets), newest first.

    :param status: ``submitted``, ``handling``, ``closed`` (default: all)
    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    """
    v = schema.v
    data = schema.validate(data_dict, {"status": [v("ignore_missing"), v("unicode_safe"),
                                                  schema.one_of("report_status")],
                                       **schema.page_schema()})
    tk.check_access("lyg_opendata_report_list", context, data)
    user = context.get("user")
    query = model.Session.query(Report)
    if not roles.is_supervisor(user):
        query = query.filter(Report.organization_id.in_(roles.editable_org_ids(user) or [""]))
    if data.get("status"):
        query = query.filter(Report.status == data["status"])
    return paged(query, (Report.created.desc(), Report.id), data,
                  lambda r: report_dict(r, _report_level(user, r)))


# action -> (states it may start from, state it leads to; ``None``: the status stays)
REPORT_TRANSITIONS = shared.Transitions({
    "handle": (frozenset({"submitted"}), "handling"),
    "note": (frozenset({"submitted", "handling"}), None),
    "close": (frozenset({"submitted", "handling"}), "closed"),
}, status_label=lambda code: codes.label("report_status", code),
   action_label=lambda code: codes.label("report_event", code),
   refused=N_("A report that is %(status)s cannot be %(action)s"), field="action")


def lyg_opendata_report_update(context, data_dict):
    """Handle a report: ``handle`` (start), ``note`` (a handling note), ``close`` (with the
    result). Supervisors, and the agency of the dataset concerned.

    :param id: the report's id
    :param action: ``handle``, ``note`` or ``close``
    :param text: the note or result (required)
    """
    data = schema.validate(data_dict, schema.report_update_schema())
    get_report(data["id"])
    tk.check_access("lyg_opendata_report_update", context, data)
    report = shared.locked(Report, data["id"], _("Report not found"))
    target = REPORT_TRANSITIONS.target(data["action"], report.status)
    user = context.get("user")
    before = report.status
    report.status = target or report.status
    shared.record(ReportEvent, report_id=report.id, actor_id=shared.actor_id(user),
                  actor_role="supervisor" if roles.is_supervisor(user) else "agency",
                  action=data["action"], from_status=before, to_status=report.status,
                  text=data["text"])
    shared.commit(context)
    return report_dict(report, _report_level(user, report))


@tk.side_effect_free
def lyg_opendata_report_my_list(context, data_dict):
    """The reports the caller made (with their status), newest first.

    :param limit: at most this many (default and maximum: ``objections.list_max``)
    :param offset: skip this many
    """
    tk.check_access("lyg_opendata_report_my_list", context, data_dict)
    data = schema.validate(data_dict, schema.page_schema())
    user = acting_user(context)
    query = model.Session.query(Report).filter(Report.reported_by == user.id)
    return paged(query, (Report.created.desc(), Report.id), data,
                  lambda r: report_dict(r, "reporter"))
