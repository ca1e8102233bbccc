"""Demo entries of the proactive disclosure catalog (demo/govinfo.yaml): the seed's list of
documents the city government disclosed, entered and published through the action as the
site user. Idempotent: an entry is known by its agency, title and date written."""
from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any, Callable

import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo


def load_data() -> list[dict[str, Any]]:
    text = resources.files("ckanext.lyg_opendata.demo").joinpath("govinfo.yaml").read_text("utf-8")
    return yaml.safe_load(text)["entries"]


def ensure(progress: Callable[[str], None] = print) -> int:
    from ckanext.lyg_opendata.demo.api import site_user
    user = site_user()
    made = skipped = 0
    for entry in load_data():
        org = model.Group.get(entry.get("agency", "lyg-szfb"))
        if org is None:
            skipped += 1
            continue
        day = dt.date.fromisoformat(entry["date"])
        if model.Session.query(GovInfo.id).filter(
                GovInfo.organization_id == org.id, GovInfo.title == entry["title"],
                GovInfo.written_on == day).first():
            continue
        data = {k: entry[k] for k in ("title", "doc_number", "category", "kind", "validity",
                                      "summary", "body") if entry.get(k)}
        data.update({"organization": org.id, "written_on": entry["date"], "forms": ["portal"],
                     "publish": True, "published_on": entry["date"]})
        tk.get_action("lyg_opendata_govinfo_create")({"user": user, "model": model}, data)
        made += 1
    progress(f"  government information made public: {made} entered"
             + (f", {skipped} without their agency" if skipped else ""))
    return made
