"""Demo content of the showcase (``ckan lyg-opendata demo load`` with the demo users): uses of
open data submitted through the action by their submitter and, where the demo says so,
published by the supervisor. Idempotent: an entry is known by its submitter and title."""
from __future__ import annotations

from typing import Any, Callable

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.showcase.model import Showcase


def ensure(entries: list[dict[str, Any]], progress: Callable[[str], None]) -> int:
    from ckanext.lyg_opendata import notify
    reviewers = notify.supervisors()
    made = 0
    for entry in entries:
        user = model.User.get(entry["user"])
        if user is None or model.Session.query(Showcase.id).filter(
                Showcase.submitted_by == user.id, Showcase.title == entry["title"]).first():
            continue
        data = {k: entry[k] for k in ("title", "description", "type", "url",
                                      "organization_name", "datasets") if k in entry}
        try:
            row = tk.get_action("lyg_opendata_showcase_create")({"user": user.name}, data)
            if entry.get("state") == "published" and reviewers:
                tk.get_action("lyg_opendata_showcase_publish")(
                    {"user": reviewers[0].name}, {"id": row["id"]})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as e:
            progress(f"  showcase {entry['title']}: not made ({e})")
            continue
        made += 1
    return made
