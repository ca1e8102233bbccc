"""The demo's objections (异议) and reports (举报), each taken through its workflow to the
state the demo file names."""
from __future__ import annotations

from typing import Any


import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.lyg_opendata.demo.api import Progress, act, context, exists, site_user


# --- objections (异议) and reports (举报) ---------------------------------------------------
# Through the objection actions (events, timeline, notices and the index's under_objection
# stay right). Idempotent: an objection (report) is known by its dataset, raiser and text; one
# that exists is only taken further towards the state the demo names.

def ensure_citizens(citizens: list[dict[str, Any]], password: str | None,
                    progress: Progress) -> int:
    """Demo members of the public (no organization)."""
    site = site_user()
    created = 0
    for u in citizens:
        if exists("user_show", u["name"]) or not password:
            continue
        tk.get_action("user_create")(context(site), {
            "name": u["name"], "fullname": u["fullname"], "password": password,
            "email": f"{u['name']}@example.invalid"})
        created += 1
        progress(f"  user {u['name']} ({u['fullname']})")
    return created


def _resource_id(pkg: model.Package, name: str | None) -> str | None:
    if not name:
        return None
    for res in pkg.resources:
        if res.name == name:
            return res.id
    return None


def _advance(obj, entry: dict[str, Any]) -> bool:
    """Take an objection one step at a time towards the demo's state; True if it moved."""
    from ckanext.lyg_opendata.objections.corrections import dataset_changes
    target, handler = entry.get("state", "submitted"), entry.get("handler")
    moved = False
    if obj.status == "submitted" and target in ("accepted", "answered"):
        act("lyg_opendata_objection_accept", handler, {"id": obj.id, "comment": entry.get("comment")})
        moved = True
    elif obj.status == "submitted" and target == "rejected":
        act("lyg_opendata_objection_reject", handler, {"id": obj.id, "reason": entry["reason"]})
        moved = True
    if obj.status == "accepted" and target == "answered":
        answer = {"id": obj.id, "outcome": entry["outcome"], "explanation": entry["explanation"]}
        if entry.get("correction"):
            tk.get_action("package_patch")({"user": handler, "model": model},
                                           {"id": obj.package_id, **entry["correction"]})
            changes = dataset_changes(obj.package_id, limit=1)
            if changes:
                answer["activity_id"] = changes[0]["id"]
        act("lyg_opendata_objection_answer", handler, answer)
        moved = True
    return moved


def ensure_objections(entries: list[dict[str, Any]], progress: Progress) -> int:
    """Objections raised by demo citizens and taken to the demo's states. Skipped (0) when
    the raiser does not exist (no password given, so no demo users)."""
    from ckanext.lyg_opendata.objections.model import Objection
    created = 0
    for entry in entries:
        raiser = model.User.get(entry["raised_by"])
        pkg = model.Package.get(entry["dataset"])
        if raiser is None or pkg is None:
            continue
        description = entry["description"].strip()
        obj = model.Session.query(Objection).filter(
            Objection.package_id == pkg.id, Objection.raised_by == raiser.id,
            Objection.description == description).first()
        if obj is None:
            data = {"package_id": pkg.id, "type": entry["type"], "description": description}
            if _resource_id(pkg, entry.get("resource")):
                data["resource_id"] = _resource_id(pkg, entry.get("resource"))
            if entry.get("data_item"):
                data["data_item_code"] = entry["data_item"]
            # ignore_auth: the demo's raiser is not held to the hourly rate limit
            made = tk.get_action("lyg_opendata_objection_create")(
                {"user": raiser.name, "model": model, "ignore_auth": True}, data)
            obj = model.Session.get(Objection, made["id"])
            created += 1
            moved = True
        else:
            moved = False
        while _advance(obj, entry):
            model.Session.refresh(obj)
            moved = True
        if moved:
            progress(f"  objection on {pkg.name}: {obj.status}")
    return created


def ensure_reports(entries: list[dict[str, Any]], progress: Progress) -> int:
    from ckanext.lyg_opendata.objections.model import Report
    created = 0
    for entry in entries:
        reporter = model.User.get(entry["reported_by"])
        pkg = model.Package.get(entry["dataset"]) if entry.get("dataset") else None
        if reporter is None:
            continue
        description = entry["description"].strip()
        if model.Session.query(Report.id).filter(
                Report.reported_by == reporter.id, Report.description == description).first():
            continue
        data = {"reported_party": entry["reported_party"], "description": description}
        if pkg is not None:
            data["package_id"] = pkg.id
        tk.get_action("lyg_opendata_report_create")(
            {"user": reporter.name, "model": model, "ignore_auth": True}, data)
        created += 1
        progress(f"  report about {entry['reported_party']}")
    return created


def load_objections(data: dict[str, Any], password: str | None, progress: Progress,
                    counts: dict[str, int]) -> None:
    """The demo's citizens, objections and reports (counted into ``counts``)."""
    counts["users"] = counts.get("users", 0) + ensure_citizens(
        data.get("citizens", []), password, progress)
    counts["objections"] = ensure_objections(data.get("objections", []), progress)
    counts["reports"] = ensure_reports(data.get("reports", []), progress)
