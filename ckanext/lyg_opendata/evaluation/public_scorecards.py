"""The public scorecard (issue 18 item 2): the agency scorecards of a year with only the
figures the platform chooses to publish (``ckanext.lyg_opendata.scorecards.public_figures``);
everything else (overdue applications, review figures, usage reports …) stays with the
supervisors and the agencies (``lyg_opendata_scorecard_list``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz, workdays
from ckanext.lyg_opendata.evaluation import schema

__all__ = ["lyg_opendata_scorecard_public"]


def published_figures() -> list[str]:
    from ckanext.lyg_opendata.evaluation.scorecards import FIGURES
    chosen = tk.config.get("ckanext.lyg_opendata.scorecards.public_figures") or []
    return [f for f in chosen if f in FIGURES]


@tk.side_effect_free
def lyg_opendata_scorecard_public(context, data_dict):
    """The public scorecard of a year: each agency with the published figures only, ranked
    by score when the score is published.

    :param year: the year (Beijing dates; default: this year)
    :returns: ``{"year", "figures": [codes], "ranked": bool, "cards": [{"name", "title",
        "rank", <figure>: value, …}]}``
    """
    from ckanext.lyg_opendata.evaluation import scorecards
    data = schema.validate(data_dict, schema.scorecard_schema())
    year = data.get("year") or workdays.today_beijing().year
    figures = published_figures()
    ranked = "score" in figures
    cards = scorecards.compute(year)
    if not ranked:
        cards.sort(key=lambda c: c["title"])
    out: list[dict[str, Any]] = [
        {"name": c["name"], "title": c["title"], "rank": c["rank"] if ranked else None,
         **{f: c[f] for f in figures}} for c in cards]
    return {"year": year, "figures": figures, "ranked": ranked, "cards": out}


def auth_public(context, data_dict):
    return authz.OK


auth_public = tk.auth_allow_anonymous_access(auth_public)
