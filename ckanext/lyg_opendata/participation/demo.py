"""Demo content of participation (``ckan lyg-opendata demo load``): citizens' data requests
taken through the actions to the states the demo names (events, notices, clock stay right).
Idempotent: a request is known by its requester and title; one that exists is only
supported by the demo's supporters who have not yet."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import ckan.model as model
import ckan.plugins.toolkit as tk

Progress = Callable[[str], None]


def _act(action: str, user: str, data: dict[str, Any], ignore_auth: bool = False) -> dict:
    return tk.get_action(action)({"user": user, "model": model, "ignore_auth": ignore_auth}, data)


def _supervisor() -> str | None:
    from ckanext.lyg_opendata import notify
    users = notify.supervisors()
    return users[0].name if users else None


def ensure_data_requests(entries: list[dict[str, Any]], progress: Progress) -> int:
    from ckanext.lyg_opendata.participation.model import DataRequest, DataRequestSupport
    created = 0
    for entry in entries:
        requester = model.User.get(entry["requested_by"])
        if requester is None:
            continue
        req = model.Session.query(DataRequest).filter(
            DataRequest.requested_by == requester.id, DataRequest.title == entry["title"]).first()
        if req is None:
            data = {k: entry[k] for k in ("title", "description", "purpose", "data_format",
                                          "frequency", "organization", "show_name") if k in entry}
            made = _act("lyg_opendata_data_request_create", requester.name,
                        {**data, "description": data["description"].strip()}, ignore_auth=True)
            req = model.Session.get(DataRequest, made["id"])
            created += 1
            try:
                _advance(req, entry)
            except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as e:
                progress(f"  data request {entry['title']}: left as {req.status} ({e})")
            model.Session.refresh(req)
            progress(f"  data request {entry['title']}: {req.status}")
        for name in entry.get("supported_by", []):
            user = model.User.get(name)
            if user and model.Session.get(DataRequestSupport, (req.id, user.id)) is None:
                _act("lyg_opendata_data_request_support", user.name, {"id": req.id})
    return created


def _advance(req, entry: dict[str, Any]) -> None:
    state = entry.get("state", "submitted")
    handler = entry.get("handler")
    if state == "submitted" or not handler:
        return
    supervisor = _supervisor()
    if entry.get("route_to") and supervisor:
        _act("lyg_opendata_data_request_route", supervisor,
             {"id": req.id, "organization": entry["route_to"]})
    else:
        _act("lyg_opendata_data_request_claim", handler, {"id": req.id})
    answer = entry.get("answer")
    if not answer:
        return
    data = {"id": req.id, "answer": answer, "text": entry.get("answer_text")}
    if answer == "planned":
        data["planned_date"] = (dt.date.today() + dt.timedelta(days=entry.get("planned_in_days", 30))).isoformat()
    for key in ("datasets", "application_url", "legal_basis"):
        if entry.get(key):
            data[key] = entry[key]
    _act("lyg_opendata_data_request_answer", handler, {k: v for k, v in data.items() if v})
    model.Session.refresh(req)


def ensure_ratings(entries: list[dict[str, Any]], progress: Progress) -> int:
    """Each entry rated once through the rating action (a rating that exists is left as it
    is); the agency's answer given through its action when the entry has one."""
    from ckanext.lyg_opendata.participation.model import Rating
    made = 0
    for entry in entries:
        user, pkg = model.User.get(entry["user"]), model.Package.get(entry["dataset"])
        if user is None or pkg is None:
            continue
        if model.Session.query(Rating).filter(Rating.package_id == pkg.id,
                                              Rating.user_id == user.id).first():
            continue
        try:
            rating = _act("lyg_opendata_rating_rate", user.name, {
                "package_id": pkg.id, **{k: entry[k] for k in ("quality", "timeliness",
                                                              "usability", "comment") if k in entry}})
            if entry.get("answer") and entry.get("answered_by"):
                _act("lyg_opendata_rating_answer", entry["answered_by"],
                     {"id": rating["id"], "text": entry["answer"]})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as e:
            progress(f"  rating of {entry['dataset']} by {entry['user']}: not made ({e})")
            continue
        made += 1
    return made


def ensure_suggestions(entries: list[dict[str, Any]], progress: Progress) -> int:
    """Each suggestion sent once (known by its sender and text), answered by the operator's
    staff when the entry has an answer."""
    from ckanext.lyg_opendata.participation.model import Suggestion
    made = 0
    for entry in entries:
        user = model.User.get(entry["user"])
        if user is None or model.Session.query(Suggestion).filter(
                Suggestion.submitted_by == user.id, Suggestion.text == entry["text"]).first():
            continue
        try:
            sent = _act("lyg_opendata_suggestion_create", user.name,
                        {"category": entry["category"], "text": entry["text"]})
            if entry.get("answer") and entry.get("answered_by"):
                _act("lyg_opendata_suggestion_answer", entry["answered_by"],
                     {"id": sent["id"], "text": entry["answer"]})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as e:
            progress(f"  suggestion by {entry['user']}: not made ({e})")
            continue
        made += 1
    return made


def load(data: dict[str, Any], progress: Progress, counts: dict[str, int]) -> None:
    counts["data_requests"] = ensure_data_requests(data.get("data_requests", []), progress)
    counts["ratings"] = ensure_ratings(data.get("ratings", []), progress)
    counts["suggestions"] = ensure_suggestions(data.get("suggestions", []), progress)
