"""Applications not amended in time are deemed withdrawn (条例 Art 30: 申请人无正当理由逾期不补正
的，视为放弃申请): every day the platform closes each application whose time to amend
(``workflow.correction_due``, on the working-day calendar) ended before today, through the
``lyg_opendata_disclosure_lapse`` action as the site user — one transition and its event per
application, each committed on its own, the notices to the applicant and the agency from the
action's receivers (``notices``). Run by ``ckan lyg-opendata disclosure lapse`` (daily)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata.disclosure import workflow
from ckanext.lyg_opendata.disclosure.model import DisclosureRequest


def due(today: dt.date) -> list[tuple[DisclosureRequest, dt.date]]:
    """Applications awaiting an amendment whose time to amend ended before ``today``."""
    cal = workdays.Calendar()
    out = []
    for req in model.Session.query(DisclosureRequest).filter(
            DisclosureRequest.status == "correction_requested").order_by(DisclosureRequest.number):
        amend_by = workflow.correction_due(req, cal)
        if amend_by is not None and amend_by < today:
            out.append((req, amend_by))
    return out


def run(dry_run: bool = False,
        progress: Callable[[str], None] = lambda _m: None) -> list[dict[str, Any]]:
    """Close the applications not amended in time (today: the Beijing day); one line per
    application (``number``, ``correction_due``, ``closed``; ``error`` when the action refused,
    e.g. the applicant amended meanwhile)."""
    today = workdays.today_beijing()
    rows = [(req.id, req.number, amend_by) for req, amend_by in due(today)]
    model.Session.rollback()  # nothing read here stays locked or cached for the actions
    lines: list[dict[str, Any]] = []
    site_user: Optional[str] = None
    for req_id, number, amend_by in rows:
        line: dict[str, Any] = {"number": number, "correction_due": amend_by.isoformat(),
                                "closed": False}
        if not dry_run:
            if site_user is None:
                site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
            try:
                tk.get_action("lyg_opendata_disclosure_lapse")(
                    {"user": site_user, "model": model}, {"id": req_id})
                line["closed"] = True
            except (tk.ValidationError, tk.ObjectNotFound) as e:
                model.Session.rollback()
                line["error"] = str(getattr(e, "error_dict", None) or e)
        lines.append(line)
        progress(f"  {number}: {'closed' if line['closed'] else line.get('error') or 'due'}"
                 f" (to amend by {line['correction_due']})")
    return lines
