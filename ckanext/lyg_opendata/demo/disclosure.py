"""Demo applications for disclosure (disclosure.yaml), through the disclosure actions, each
step by whoever takes it in the portal. Idempotent: an application is known by its applicant
(or registering clerk) and description; one that exists is only taken further."""
from __future__ import annotations

from importlib import resources
from typing import Any, Callable

import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

Progress = Callable[[str], None]


def load_data() -> dict[str, Any]:
    return yaml.safe_load(resources.files(__package__).joinpath("disclosure.yaml").read_text("utf-8"))


def _act(verb: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    return tk.get_action(f"lyg_opendata_disclosure_{verb}")({"user": user, "model": model}, data)


def _advance(req, entry: dict[str, Any]) -> bool:
    target, handler = entry.get("state", "received"), entry.get("handler")
    if req.status != "received":
        return False
    if target == "correction_requested":
        _act("request_correction", handler, {"id": req.id, "text": entry["correction"]})
        return True
    if target == "answered":
        _act("answer", handler, {"id": req.id, **entry["answer"]})
        return True
    return False


def ensure(progress: Progress = print) -> int:
    """The demo's applications; skipped when their applicant or clerk does not exist (no
    demo users: no password given)."""
    from ckanext.lyg_opendata.disclosure.model import DisclosureRequest
    created = 0
    for entry in load_data()["applications"]:
        who = model.User.get(entry.get("by") or entry.get("registered_by") or "")
        org = model.Group.get(entry["agency"])
        if who is None or org is None:
            continue
        column = DisclosureRequest.user_id if entry.get("by") else DisclosureRequest.registered_by
        description = entry["description"].strip()
        req = model.Session.query(DisclosureRequest).filter(
            column == who.id, DisclosureRequest.description == description).first()
        if req is None:
            data = {**entry["applicant"], "organization": org.name, "description": description}
            if entry.get("by"):
                made = _act("create", who.name, {**data, "accept_privacy": True})
            else:
                made = _act("register", who.name, {**data, "channel": entry.get("channel", "letter")})
            req = model.Session.get(DisclosureRequest, made["id"])
            created += 1
        while _advance(req, entry):
            model.Session.refresh(req)
        progress(f"  disclosure application {req.number} ({org.title}): {req.status}")
    data = load_data()
    created += _complaint(data.get("complaint"), progress)
    _figures(data.get("report_figures"), progress)
    return created


def _complaint(entry: dict[str, Any] | None, progress: Progress) -> int:
    """The demo's complaint, filed once by the citizen about the application it names."""
    from ckanext.lyg_opendata.disclosure.model import DisclosureComplaint, DisclosureRequest
    who = model.User.get(entry["by"]) if entry else None
    if who is None:
        return 0
    req = model.Session.query(DisclosureRequest).filter(
        DisclosureRequest.user_id == who.id,
        DisclosureRequest.description.startswith(entry["description_startswith"])).first()
    if req is None or model.Session.query(DisclosureComplaint.id).filter(
            DisclosureComplaint.request_id == req.id).first():
        return 0
    tk.get_action("lyg_opendata_disclosure_complaint_create")(
        {"user": who.name, "model": model},
        {"request_id": req.id, "ground": entry["ground"], "text": entry["text"]})
    progress(f"  complaint about {req.number}")
    return 1


def _figures(entry: dict[str, Any] | None, progress: Progress) -> None:
    """The figures the agency entered for this year's report (kept when entered already)."""
    from ckanext.lyg_opendata.disclosure.model import DisclosureReportFigures
    from ckanext.lyg_opendata.workdays import today_beijing
    who = model.User.get(entry["by"]) if entry else None
    org = model.Group.get(entry["agency"]) if entry else None
    year = today_beijing().year
    if who is None or org is None or model.Session.get(DisclosureReportFigures, (org.id, year)):
        return
    tk.get_action("lyg_opendata_disclosure_report_figures_update")(
        {"user": who.name, "model": model},
        {"organization": org.id, "year": year, "figures": entry["figures"]})
    progress(f"  yearly report figures of {org.title} ({year})")
