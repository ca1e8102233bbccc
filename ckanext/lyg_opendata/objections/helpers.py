"""Template helpers of objections and reports."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.objections import codes

__all__: list[str] = [
    "lyg_opendata_objection_marker",
    "lyg_opendata_objection_label",
    "lyg_opendata_objection_count",
    "lyg_opendata_objection_is_handler",
    "lyg_opendata_objection_marker_label",
]


def lyg_opendata_objection_marker_label() -> str:
    """有异议，核实中 (in the UI language)."""
    return codes.MARKER.label()


def lyg_opendata_objection_marker(package_id: str) -> list[dict[str, Any]]:
    """The open accepted objections of a dataset (type and date): the marker 有异议，核实中."""
    from ckanext.lyg_opendata.objections.action import marker
    return marker(package_id)


def lyg_opendata_objection_label(kind: str, code: str) -> str:
    """Label of an objection code (kind: type, status, outcome, event, role, report_status)."""
    return codes.label(kind, code)


def lyg_opendata_objection_count(package_id: str) -> int:
    """Objections of a dataset that the public sees (not hidden)."""
    from ckanext.lyg_opendata.objections.model import Objection
    return model.Session.query(sa.func.count(Objection.id)).filter(
        Objection.package_id == package_id, Objection.status != "hidden").scalar() or 0


def lyg_opendata_objection_is_handler() -> bool:
    """Whether the current user has an objection queue (an agency's editor or a supervisor)."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    try:
        tk.check_access("lyg_opendata_objection_queue", {"user": user}, {})
        return True
    except tk.NotAuthorized:
        return False
