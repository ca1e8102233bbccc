"""The 工作台 (workbench): everything a signed-in person does, grouped by role, each item
with the number of things waiting for them. The header's 工作台 menu and the
/opendata/workbench page both render ``sections()``; after login people land there.

The counts are SQL count queries gathered while the items are listed and sent in one
statement (``_fill``: one scalar subquery each), so the menu costs one query on every page
whatever the number of items (plus the proactive-disclosure drafts, whose lateness is a
working-day clock computed in Python)."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles

_ = tk._


def _item(label: str, endpoint: str, count: Any = None, **kw: Any) -> dict:
    """``count``: a number, or a count query (``_count``) filled in by ``_fill``."""
    return {"label": label, "url": tk.h.url_for(endpoint, **kw), "count": count or 0,
            "endpoint": endpoint}


class _Count:
    """A count query not run yet: ``_fill`` runs all of a page's in one statement."""

    def __init__(self, query):
        self.query = query
        self.value = 0

    def __bool__(self) -> bool:  # ``count or 0`` keeps it
        return True


def _count(query) -> _Count:
    return _Count(query)


def _fill(counts: list[_Count]) -> None:
    """Run every pending count: one SELECT of scalar subqueries."""
    if counts:
        row = model.Session.execute(sa.select(*(
            c.query.scalar_subquery().label(f"c{n}") for n, c in enumerate(counts)))).one()
        for count, value in zip(counts, row):
            count.value = value or 0


def _own(user: model.User) -> list[dict]:
    from ckanext.lyg_opendata import notify
    from ckanext.lyg_opendata.access.model import Agreement, Application
    s = model.Session
    info_asked = _count(s.query(sa.func.count(Application.id)).filter(
        Application.user_id == user.id, Application.status == "info_requested"))
    mine = s.query(sa.func.count(Agreement.id)).join(
        Application, Application.id == Agreement.application_id).filter(
        Application.user_id == user.id)
    # 我的授权 only for those who have an agreement (signed or to sign): ``only_if``
    grants = [dict(_item(_("My grants"), "lyg_opendata_agreements.my_grants", _count(
        mine.filter(Agreement.applicant_signed_at.is_(None)))), only_if=_count(mine))]
    return [
        _item(_("My applications"), "lyg_opendata_applications.my_applications", info_asked),
        _item(_("My objections"), "lyg_opendata_objections.mine"),
        _item(_("My applications for disclosure"), "lyg_opendata_disclosure.mine"),
        _item(_("My data requests"), "lyg_opendata_participation.requests",
              _data_requests(("need_info",), requested_by=user.id), mine="1"),
        *grants,
        _item(_("My showcase entries"), "lyg_opendata_showcase.index",
              _showcases("returned", submitted_by=user.id), mine="1"),
        _item(_("Notices"), "lyg_opendata_applications.notices",
              _count(notify.unread_query(user.id))),
        _item(_("Profile settings"), "user.edit", id=user.name),
        _item(_("API tokens"), "user.api_tokens", id=user.name),
    ]


def _disclosure_open(org_ids: Optional[list[str]]) -> _Count:
    """Applications for disclosure being handled (of these agencies; None: all)."""
    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
    query = model.Session.query(sa.func.count(DisclosureRequest.id)).filter(
        DisclosureRequest.status == "received")
    if org_ids is not None:
        query = query.filter(DisclosureRequest.organization_id.in_(org_ids))
    return _count(query)


def _govinfo(org_ids: Optional[list[str]]) -> dict[str, int]:
    """Proactive disclosure entries not yet published, and those past their 20 working days."""
    from ckanext.lyg_opendata.disclosure.proactive import workflow as govinfo
    return govinfo.waiting(org_ids)


def _complaints(org_ids: Optional[list[str]]) -> _Count:
    """Complaints about disclosure waiting for the supervisors (about these agencies)."""
    from ckanext.lyg_opendata.disclosure import complaints
    return _count(complaints.open_query(org_ids))


def _agency(user: model.User, org_ids: list[str]) -> list[dict]:
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.objections.model import Objection
    from ckanext.lyg_opendata.objections.workflow import OPEN_STATES
    p = model.package_table
    to_finish = _count(model.Session.query(sa.func.count(p.c.id)).filter(
        p.c.owner_org.in_(org_ids), p.c.state == "active",
        p.c.extras["review_status"].astext.in_(("draft", "returned"))))
    objections = _count(model.Session.query(sa.func.count(Objection.id)).filter(
        Objection.organization_id.in_(org_ids), Objection.status.in_(OPEN_STATES)))
    return [
        _item(_("My submissions"), "lyg_opendata_catalog.my_submissions", to_finish),
        _item(_("Applications to answer"), "lyg_opendata_applications.agency_applications",
              _count(model.Session.query(sa.func.count(Application.id)).filter(
                  Application.org_id.in_(roles.editable_org_ids(user) or [""]),
                  Application.status == "submitted"))),
        _item(_("Objections to handle"), "lyg_opendata_objections.queue", objections),
        _item(_("Applications for disclosure to answer"), "lyg_opendata_disclosure.queue",
              _disclosure_open(org_ids)),
        _item(_("Government information to publish"), "lyg_opendata_govinfo.index",
              _govinfo(org_ids)["drafts"], status="draft"),
        _item(_("Complaints about disclosure"), "lyg_opendata_disclosure.complaint_list",
              _complaints(org_ids)),
        _item(_("Data requests to answer"), "lyg_opendata_participation.requests",
              _data_requests(("assigned",), org_ids=org_ids), status="assigned"),
        _item(_("Grants"), "lyg_opendata_agreements.agency_grants"),
        _item(_("Rectification notices"), "lyg_opendata_evaluation.rectification_index",
              _rectifications(org_ids=org_ids, states=("issued", "returned"))),
        _item(_("Scorecard"), "lyg_opendata_evaluation.scorecards"),
        _item(_("Staff filing"), "lyg_opendata_evaluation.staff_filing"),
        _item(_("Access log"), "lyg_opendata_audit.index"),
        _item(_("Add dataset"), "dataset.new"),
    ]


def _supervisor(user: model.User) -> list[dict]:
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.objections.model import Objection, Report
    from ckanext.lyg_opendata.objections.workflow import OPEN_STATES
    s = model.Session
    p = model.package_table
    pending = _count(s.query(sa.func.count(p.c.id)).filter(
        p.c.state == "active", p.c.extras["review_status"].astext == "pending"))
    open_apps = _count(s.query(sa.func.count(Application.id)).filter(
        Application.status == "submitted"))
    escalated = _count(s.query(sa.func.count(Objection.id)).filter(
        Objection.status.in_(OPEN_STATES)))
    reports = _count(s.query(sa.func.count(Report.id)).filter(Report.status == "submitted"))
    return [
        _item(_("Review queue"), "lyg_opendata_catalog.review_queue", pending),
        _item(_("All applications"), "lyg_opendata_applications.all_applications", open_apps),
        _item(_("Objection moderation"), "lyg_opendata_objections.moderation", escalated),
        _item(_("Applications for disclosure to answer"), "lyg_opendata_disclosure.queue",
              _disclosure_open(None)),
        _item(_("Complaints about disclosure to answer"), "lyg_opendata_disclosure.complaint_list",
              _complaints(None)),
        _item(_("Government information not published in time"), "lyg_opendata_govinfo.index",
              _govinfo(None)["overdue"], status="draft", late="true"),
        _item(_("Reports of misuse"), "lyg_opendata_objections.reports", reports),
        _item(_("Data requests to route"), "lyg_opendata_participation.requests",
              _data_requests(("submitted",)), status="submitted"),
        _item(_("Suggestions"), "lyg_opendata_participation.suggestions", _suggestions_open()),
        _item(_("Showcase entries to review"), "lyg_opendata_showcase.index",
              _showcases("submitted"), status="submitted"),
        _item(_("Grants"), "lyg_opendata_agreements.agency_grants"),  # revocation, Art 40
        _item(_("Overdue updates"), "lyg_opendata_freshness.overdue"),
        _item(_("Rectification notices"), "lyg_opendata_evaluation.rectification_index",
              _rectifications(states=("responded",))),
        _item(_("Agency scorecards"), "lyg_opendata_evaluation.scorecards"),
        _item(_("Evaluation reports"), "lyg_opendata_evaluation_report.index",
              _report_drafts()),
        _item(_("Staff filings"), "lyg_opendata_evaluation.staff_filing"),
        _item(_("Working-day calendar"), "lyg_opendata_calendar.index"),
        _item(_("Access log"), "lyg_opendata_audit.index"),
    ]


def _report_drafts() -> _Count:
    """Evaluation reports (Art 37) generated and not yet published or discarded."""
    from ckanext.lyg_opendata.evaluation.model import EvaluationReport
    return _count(model.Session.query(sa.func.count(EvaluationReport.id)).filter(
        EvaluationReport.status == "draft"))


def _rectifications(states: tuple[str, ...], org_ids: Optional[list[str]] = None) -> _Count:
    """Notices waiting for the agency (issued, sent back) or for the supervisors (responded)."""
    from ckanext.lyg_opendata.evaluation.model import Rectification
    q = model.Session.query(sa.func.count(Rectification.id)).filter(
        Rectification.status.in_(states))
    if org_ids is not None:
        q = q.filter(Rectification.organization_id.in_(org_ids))
    return _count(q)


def _data_requests(states: tuple[str, ...], org_ids: Optional[list[str]] = None,
                   requested_by: Optional[str] = None) -> _Count:
    """Data requests in ``states`` (of these agencies; of this requester; else all)."""
    from ckanext.lyg_opendata.participation.model import DataRequest
    q = model.Session.query(sa.func.count(DataRequest.id)).filter(DataRequest.status.in_(states))
    if org_ids is not None:
        q = q.filter(DataRequest.organization_id.in_(org_ids))
    if requested_by is not None:
        q = q.filter(DataRequest.requested_by == requested_by)
    return _count(q)


def _showcases(status: str, submitted_by: Optional[str] = None) -> _Count:
    """Showcase entries (数据应用) in ``status`` (of this submitter; else all)."""
    from ckanext.lyg_opendata.showcase.model import Showcase
    q = model.Session.query(sa.func.count(Showcase.id)).filter(Showcase.status == status)
    if submitted_by is not None:
        q = q.filter(Showcase.submitted_by == submitted_by)
    return _count(q)


def _suggestions_open() -> _Count:
    """Suggestions (意见建议) not answered or closed yet."""
    from ckanext.lyg_opendata.participation.model import Suggestion
    return _count(model.Session.query(sa.func.count(Suggestion.id)).filter(
        Suggestion.status == "submitted"))


def _sysadmin() -> list[dict]:
    return [
        _item(_("Agreement model text"), "lyg_opendata_agreements.templates_index"),
        _item(_("Site settings"), "admin.config"),
        _item(_("Sysadmin settings"), "admin.index"),
    ]


def sections(user=None) -> list[dict]:
    """[{"title", "items": [{"label", "url", "count"}], "count"}] for the user's roles, the
    role with work first (supervision, agency, own), the person's own things last."""
    obj = roles._user(user if user is not None else tk.current_user)
    if obj is None:
        return []
    out = []
    supervisor = roles.is_supervisor(obj)
    if supervisor:
        out.append({"key": "supervisor", "title": _("Supervision"), "items": _supervisor(obj)})
    org_ids = [] if obj.sysadmin else roles.editable_org_ids(obj)
    if supervisor and org_ids:  # the supervising organization's own data: supervision work
        v = roles.viewer(obj)
        sup_id = v.group_id(tk.config.get("ckanext.lyg_opendata.supervisor_org") or "") \
            if v else None
        org_ids = [i for i in org_ids if i != sup_id]
    if org_ids:
        out.append({"key": "agency", "title": _("My data-opening body"),
                    "items": _agency(obj, org_ids)})
    out.append({"key": "own", "title": _("My things"), "items": _own(obj)})
    if obj.sysadmin:
        out.append({"key": "sysadmin", "title": _("System administration"),
                    "items": _sysadmin()})
    items = [i for section in out for i in section["items"]]
    _fill([c for i in items for c in (i["count"], i.get("only_if"))
           if isinstance(c, _Count)])
    for section in out:
        kept = []
        for item in section["items"]:
            if isinstance(item["count"], _Count):
                item["count"] = item["count"].value
            only_if = item.pop("only_if", None)
            if only_if is None or only_if.value:
                kept.append(item)
        section["items"] = kept
        section["count"] = sum(i["count"] for i in kept)
    return out


def total(sections_: list[dict]) -> int:
    return sum(s["count"] for s in sections_)
