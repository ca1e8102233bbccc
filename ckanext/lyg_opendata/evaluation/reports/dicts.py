"""An evaluation report as a dict: the list's entry, the full report, and for supervisors its
allowed transitions and events; ``current`` marks the newest published version of a year."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model

from ckanext.lyg_opendata.evaluation.model import EvaluationReport, EvaluationReportEvent
from ckanext.lyg_opendata.evaluation.reports.workflow import (
    TRANSITIONS, action_label, status_label)


def current_ids(rows: list[EvaluationReport]) -> set[str]:
    """The newest published version of each year."""
    newest: dict[int, EvaluationReport] = {}
    for row in rows:
        if row.status == "published" and (row.year not in newest
                                          or row.version > newest[row.year].version):
            newest[row.year] = row
    return {row.id for row in newest.values()}


def _published_versions(year: int) -> list[EvaluationReport]:
    return model.Session.query(EvaluationReport).filter(
        EvaluationReport.year == year, EvaluationReport.status == "published").all()


def as_dict(row: EvaluationReport, full: bool = True, insider: bool = False,
            current: Optional[bool] = None) -> dict[str, Any]:
    if current is None:
        current = row.id in current_ids(_published_versions(row.year))
    out: dict[str, Any] = {
        "id": row.id, "year": row.year, "version": row.version, "title": row.title,
        "status": row.status, "status_label": status_label(row.status),
        "current": bool(current),
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "modified": row.modified.isoformat(),
        "allowed": TRANSITIONS.allowed(row.status) if insider else [],
    }
    if full:
        out.update({"figures": row.figures, "commentary": row.commentary,
                    "suggestions": list(row.suggestions or [])})
        if insider:
            events = model.Session.query(EvaluationReportEvent).filter(
                EvaluationReportEvent.report_id == row.id).order_by(
                EvaluationReportEvent.created, EvaluationReportEvent.id).all()
            users = {u.id: u for u in model.Session.query(model.User).filter(
                model.User.id.in_([e.actor_id for e in events if e.actor_id]))} \
                if events else {}
            out["events"] = [{
                "action": e.action, "action_label": action_label(e.action), "text": e.text,
                "actor": (users[e.actor_id].fullname or users[e.actor_id].name)
                if e.actor_id in users else None,
                "created": e.created.isoformat()} for e in events]
        if row.status == "published" and not current:
            newest = max(_published_versions(row.year), key=lambda r: r.version)
            out["replaced_by"] = newest.id
    return out

