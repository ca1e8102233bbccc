"""The proactive disclosure catalog (主动公开): states, the 20-working-day clock, who sees
what, the entry as each viewer sees it, and the search.

    draft ─publish→ published ─withdraw→ withdrawn

The shared shape (``ckanext.lyg_opendata.workflow``): a transition locks the row, checks the
move against ``TRANSITIONS``, writes the row and an event, the action commits.

The clock (the city's guide 一 (三), 条例 Art 26): information is published within 20 working
days of being formed (成文日期) or changed (变更日期), on the shared working-day calendar. A
published entry is *late* when its 发布日期 is after that day; a draft is *overdue* once that
day has passed. Computed when read, never stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure import access
from ckanext.lyg_opendata.disclosure.proactive import codes
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo, GovInfoEvent
from ckanext.lyg_opendata.i18n import N_

_ = tk._

DEADLINE_DAYS = 20

TRANSITIONS = shared.Transitions({
    "publish": (frozenset({"draft"}), "published"),
    "withdraw": (frozenset({"published"}), "withdrawn"),
}, status_label=lambda code: codes.label("status", code),
   action_label=lambda code: codes.label("event", code),
   refused=N_("An entry that is %(status)s cannot be %(action)s"))

# the states an entry may be changed in (not a transition: the status stays)
EDITABLE = frozenset({"draft", "published"})


# --- who is who ----------------------------------------------------------------------------

def may_view(user, row: GovInfo) -> bool:
    """Published entries: everybody; the others: the agency's staff and supervisors."""
    return (row.status == "published" or access.is_agency_staff(user, row.organization_id)
            or roles.is_supervisor(user))


# --- records -------------------------------------------------------------------------------

def get(entry_id: str) -> GovInfo:
    return shared.find(GovInfo, entry_id, _("Government information entry not found"))


def lock(entry_id: str) -> GovInfo:
    return shared.locked(GovInfo, entry_id, _("Government information entry not found"))


def record(row: GovInfo, user, action: str, from_status: Optional[str],
           to_status: Optional[str], text: Optional[str] = None) -> GovInfoEvent:
    return shared.record(GovInfoEvent, govinfo_id=row.id, actor_id=shared.actor_id(user),
                         action=action, from_status=from_status, to_status=to_status, text=text)


# --- the clock -----------------------------------------------------------------------------

def clock_start(row: GovInfo) -> dt.date:
    return row.changed_on or row.written_on


def clock_info(row: GovInfo, cal: Optional[workdays.Calendar] = None,
               today: Optional[dt.date] = None) -> dict[str, Any]:
    info = shared.clock(clock_start(row), DEADLINE_DAYS, row.status == "draft", cal, today)
    due = dt.date.fromisoformat(info["deadline"])
    info["late"] = bool(row.published_on and row.published_on > due)
    if row.published_on:
        info["days_to_publish"], _unsure = (cal or workdays.Calendar()).workdays_between(
            clock_start(row), row.published_on)
    else:
        info["days_to_publish"] = None
    return info


# --- what each viewer sees -----------------------------------------------------------------

def _iso(value) -> Optional[str]:
    return value.isoformat() if value else None


def entry_dict(row: GovInfo, viewer, cal: Optional[workdays.Calendar] = None,
               events: bool = True, today: Optional[dt.date] = None,
               orgs: Optional[dict] = None) -> dict[str, Any]:
    org = (orgs or {}).get(row.organization_id) if orgs is not None else (
        model.Session.get(model.Group, row.organization_id) if row.organization_id else None)
    staff = access.is_agency_staff(viewer, row.organization_id) or roles.is_supervisor(viewer)
    out: dict[str, Any] = {
        "id": row.id, "title": row.title, "doc_number": row.doc_number,
        "organization_id": row.organization_id,
        "organization_name": org.name if org else None,
        "organization_title": org.title if org else None,
        "category": row.category, "category_label": codes.label("category", row.category),
        "kind": row.kind, "kind_label": codes.label("kind", row.kind),
        "written_on": _iso(row.written_on), "changed_on": _iso(row.changed_on),
        "published_on": _iso(row.published_on),
        "forms": list(row.forms or []),
        "form_labels": [codes.label("form", f) for f in row.forms or []],
        "validity": row.validity,
        "validity_label": codes.label("validity", row.validity) if row.validity else None,
        "repealed_on": _iso(row.repealed_on),
        "summary": row.summary, "body": row.body,
        "has_file": bool(row.file_path), "file_name": row.file_name,
        "status": row.status, "status_label": codes.label("status", row.status),
        "withdrawal_reason": row.withdrawal_reason if staff else None,
        "created": row.created.isoformat(), "modified": row.modified.isoformat(),
        "allowed_actions": TRANSITIONS.allowed(row.status) if staff else [],
    }
    out.update(clock_info(row, cal, today))
    if events and staff:
        rows = model.Session.query(GovInfoEvent).filter(
            GovInfoEvent.govinfo_id == row.id).order_by(GovInfoEvent.created, GovInfoEvent.id)
        out["events"] = [{"action": e.action, "action_label": codes.label("event", e.action),
                          "from_status": e.from_status, "to_status": e.to_status,
                          "text": e.text, "created": e.created.isoformat()} for e in rows]
    return out


# --- search --------------------------------------------------------------------------------

def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def text_filter(query, q: str):
    """Every whitespace-separated term occurs in the title, 文号, summary or body (substring:
    PostgreSQL's parser does not split Chinese, data/fulltext.py)."""
    for term in q.split()[:10]:
        pattern = _like(term)
        query = query.filter(sa.or_(*(col.ilike(pattern, escape="\\") for col in (
            GovInfo.title, GovInfo.doc_number, GovInfo.summary, GovInfo.body))))
    return query


def visible(query, user):
    """What ``user`` may list: published entries; the agency's own and supervisors' others."""
    if roles.is_supervisor(user):
        return query
    own = roles.editable_org_ids(user)
    if own:
        return query.filter(sa.or_(GovInfo.status == "published",
                                   GovInfo.organization_id.in_(own)))
    return query.filter(GovInfo.status == "published")


def year_of_publication():
    return sa.extract("year", GovInfo.published_on)


# --- what waits (the workbench's counts) ----------------------------------------------------

def drafts(org_ids: Optional[list[str]] = None) -> list[GovInfo]:
    """Entries entered and not yet published (of these agencies; None: all)."""
    query = model.Session.query(GovInfo).filter(GovInfo.status == "draft")
    if org_ids is not None:
        query = query.filter(GovInfo.organization_id.in_(org_ids or [""]))
    return query.all()


def waiting(org_ids: Optional[list[str]] = None,
            today: Optional[dt.date] = None) -> dict[str, int]:
    """Drafts to publish and, of them, those past their 20 working days (``overdue``)."""
    rows = drafts(org_ids)
    cal = workdays.Calendar()
    overdue = sum(1 for row in rows if clock_info(row, cal, today)["overdue"])
    return {"drafts": len(rows), "overdue": overdue}
