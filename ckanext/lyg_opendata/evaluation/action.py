"""Actions of rectification notices (通知整改, Art 39). Supervisors issue, send back, escalate
and close; the addressed agency's editors and admins respond. Never public."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation import findings, schema, workflow
from ckanext.lyg_opendata.evaluation import notices  # noqa: F401  (registers the receivers)
from ckanext.lyg_opendata.evaluation.model import Rectification, RectificationEvent

_ = tk._

__all__ = [
    "lyg_opendata_rectification_issue",
    "lyg_opendata_rectification_prefill",
    "lyg_opendata_rectification_show",
    "lyg_opendata_rectification_list",
    "lyg_opendata_rectification_respond",
    "lyg_opendata_rectification_return",
    "lyg_opendata_rectification_escalate",
    "lyg_opendata_rectification_close",
    "lyg_opendata_scorecard_list",
    "lyg_opendata_staff_filing_submit",
    "lyg_opendata_staff_filing_show",
    "lyg_opendata_staff_filing_list",
]

from ckanext.lyg_opendata.evaluation.staff import (  # noqa: E402
    lyg_opendata_staff_filing_list, lyg_opendata_staff_filing_show,
    lyg_opendata_staff_filing_submit)


def _agency(name_or_id: str) -> model.Group:
    org = model.Group.get(name_or_id or "")
    if org is None or not org.is_organization or org.state != "active":
        shared.fail("organization", _("Choose an active data-opening body"))
    sup = roles.supervisor_org()
    if sup is not None and org.id == sup.id:
        shared.fail("organization", _("The supervising body cannot be notified to rectify"))
    return org


@tk.side_effect_free
def lyg_opendata_rectification_prefill(context, data_dict):
    """The suggested findings for a ground from the platform's figures (e.g. the applications
    an agency left unanswered past their deadline).

    :param organization: the agency (id or name)
    :param ground: ``open_list``, ``applications``, ``standards``, ``separate_channels`` or
        ``preprocessing``
    :returns: ``{"text", "items", …}``
    """
    data = schema.validate(data_dict, schema.prefill_schema())
    org = _agency(data["organization"])
    return findings.for_ground(org.id, data["ground"])


def lyg_opendata_rectification_issue(context, data_dict):
    """Notify an agency to rectify (Art 39), with a deadline in working days.

    :param organization: the agency (id or name)
    :param ground: one of the grounds of Art 39 (see ``prefill``)
    :param findings: what was found (pre-filled by ``prefill``, edited by the supervisor)
    :param requirement: what the agency must do
    :param deadline_days: working days to respond (1–90, default 20)
    """
    data = schema.validate(data_dict, schema.issue_schema())
    org = _agency(data["organization"])
    evidence = findings.for_ground(org.id, data["ground"])
    row = Rectification(organization_id=org.id, ground=data["ground"],
                        findings=data["findings"], requirement=data["requirement"],
                        evidence={"items": evidence.get("items", [])},
                        status="issued", issued_by=shared.actor_id(context.get("user")),
                        clock_start=workdays.today_beijing(),
                        deadline_days=data["deadline_days"])
    model.Session.add(row)
    model.Session.flush()
    shared.record(RectificationEvent, rectification_id=row.id,
                  actor_id=row.issued_by, action="issue", from_status=None,
                  to_status="issued", text=data["requirement"])
    shared.commit(context)
    return workflow.as_dict(row, with_events=True)


@tk.side_effect_free
def lyg_opendata_rectification_show(context, data_dict):
    """A rectification notice with its timeline and deadline.

    :param id: the notice's id
    """
    row = workflow.get((data_dict or {}).get("id"))
    return workflow.as_dict(row, with_events=True)


@tk.side_effect_free
def lyg_opendata_rectification_list(context, data_dict):
    """Rectification notices: all of them for supervisors, their own agencies' for agency
    staff. Overdue ones first, then by deadline.

    :param organization: only this agency's (id or name; optional)
    :param status: ``open`` (default: not closed), ``all`` or one status
    :param overdue: only those past their deadline (default false)
    """
    data = schema.validate(data_dict, schema.list_schema())
    user = context.get("user")
    q = model.Session.query(Rectification)
    if not roles.is_supervisor(user):
        q = q.filter(Rectification.organization_id.in_(roles.editable_org_ids(user) or [""]))
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        q = q.filter(Rectification.organization_id == (org.id if org else ""))
    if data["status"] == "open":
        q = q.filter(Rectification.status != "closed")
    elif data["status"] != "all":
        q = q.filter(Rectification.status == data["status"])
    rows = [workflow.as_dict(r) for r in q.order_by(Rectification.created.desc()).all()]
    if data["overdue"]:
        rows = [r for r in rows if r["overdue"]]
    rows.sort(key=lambda r: (not r["overdue"], r["deadline"] or "9999"))
    return rows


def _transition(context, data_dict, verb: str) -> dict[str, Any]:
    data = schema.validate(data_dict, schema.transition_schema())
    workflow.get(data["id"])
    tk.check_access(f"lyg_opendata_rectification_{verb}", context, data)
    row = workflow.transition(context, data["id"], verb, data["text"])
    return workflow.as_dict(row, with_events=True)


def lyg_opendata_rectification_respond(context, data_dict):
    """The agency's answer: what it did to rectify.

    :param id: the notice's id
    :param text: what was done
    """
    return _transition(context, data_dict, "respond")


def lyg_opendata_rectification_return(context, data_dict):
    """Send a response back as not enough; the deadline starts again from today.

    :param id: the notice's id
    :param text: what is still missing
    """
    return _transition(context, data_dict, "return")


def lyg_opendata_rectification_escalate(context, data_dict):
    """Report the notice to the city government (not rectified in time).

    :param id: the notice's id
    :param text: the reason
    """
    return _transition(context, data_dict, "escalate")


def lyg_opendata_rectification_close(context, data_dict):
    """Close a notice: rectified (or settled after escalation).

    :param id: the notice's id
    :param text: the conclusion
    """
    return _transition(context, data_dict, "close")


@tk.side_effect_free
def lyg_opendata_scorecard_list(context, data_dict):
    """Agency scorecards for a year (evaluation/scorecards.py): supervisors get every agency,
    ranked by score, and the average; an agency's editors and admins their own agencies'
    cards (not ranked) and the average.

    :param year: the year (Beijing dates; default: this year)
    :returns: ``{"year", "cards": [...], "average": {...}, "ranked": bool}``
    """
    from ckanext.lyg_opendata.evaluation import scorecards
    data = schema.validate(data_dict, schema.scorecard_schema())
    user = context.get("user")
    year = data.get("year") or workdays.today_beijing().year
    everyone = scorecards.compute(year)
    supervisor = roles.is_supervisor(user)
    if supervisor:
        cards = everyone
    else:
        own = set(roles.editable_org_ids(user))
        cards = [dict(c, rank=None) for c in everyone if c["id"] in own]
    return {"year": year, "cards": cards, "average": scorecards.average(everyone),
            "ranked": supervisor}
