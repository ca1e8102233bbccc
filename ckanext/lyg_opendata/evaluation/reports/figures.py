"""What a yearly evaluation report freezes (Art 37): the platform's totals for the year, every
agency's scorecard and the average; and the suggestions for improvement generated from the
indicators."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_

_ = tk._

MAX_SUGGESTIONS = 60
MAX_SUGGESTION_LENGTH = 1000

# the thresholds below which an indicator yields a suggestion
ON_TIME_TARGET = 90.0          # % of updates, applications, objections in time
RETURN_SHARE_LIMIT = 30.0      # % of submissions returned in review
QUALITY_TARGET = 60.0          # mean quality score (0–100) of an agency's datasets
COMPLETE_TARGET = 90.0         # % of open-list entries with every Art 11 column
USE_SHARE_OF_MEAN = 0.5        # uses (downloads + API calls) per published dataset below
                               # this share of the mean of all bodies

PLATFORM_FIGURES = (
    "agencies", "datasets_unconditional", "datasets_conditional", "resources",
    "applications_received", "applications_approved", "applications_refused",
    "applications_in_time_share", "objections_received", "objections_answered",
    "downloads", "api_calls", "usage_reports", "ratings", "rectifications_issued",
    "rectifications_escalated", "staff_not_filed")
PLATFORM_LABELS = {
    "agencies": N_("Data-opening bodies"),
    "datasets_unconditional": N_("Datasets open without conditions"),
    "datasets_conditional": N_("Datasets open under conditions"),
    "resources": N_("Resources of published datasets"),
    "applications_received": N_("Applications received"),
    "applications_approved": N_("Applications approved"),
    "applications_refused": N_("Applications refused"),
    "applications_in_time_share": N_("Answered within the deadline (%)"),
    "objections_received": N_("Objections received"),
    "objections_answered": N_("Objections answered"),
    "downloads": N_("Downloads"),
    "api_calls": N_("API calls"),
    "usage_reports": N_("Usage reports received"),
    "ratings": N_("Ratings received"),
    "rectifications_issued": N_("Rectification notices issued"),
    "rectifications_escalated": N_("Rectification notices reported to the city government"),
    "staff_not_filed": N_("Bodies that have not filed their staff"),
}


# --- the figures ---------------------------------------------------------------------------

def _bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    from ckanext.lyg_opendata.evaluation.scorecards import _bounds as bounds
    return bounds(year)


def platform_figures(year: int, cards: list[dict[str, Any]],
                     at: Optional[dt.datetime] = None) -> dict[str, Any]:
    """The city's totals for the year; counts from the tables (the scorecards' sums where
    they hold the same figure). The state figures (resources, staff filings) are taken at
    ``at`` when given (the year's end), else at present."""
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.evaluation.model import Rectification
    from ckanext.lyg_opendata.evaluation.staff import lyg_opendata_staff_filing_list
    from ckanext.lyg_opendata.objections.model import Objection
    from ckanext.lyg_opendata.catalog.public import packages as _public_packages
    from ckanext.lyg_opendata.portal.usage import Usage

    s = model.Session
    start, end = _bounds(year)
    p, r = model.package_table, model.resource_table
    A = Application
    if at is None:
        public = _public_packages()
    else:
        from ckanext.lyg_opendata.evaluation.asof import public_packages_at
        public = sa.and_(public_packages_at(at), r.c.created < at)
    resources = s.execute(sa.select(sa.func.count()).select_from(
        r.join(p, r.c.package_id == p.c.id)).where(
        public, r.c.state == "active")).scalar() or 0
    decided = dict(s.query(A.status, sa.func.count()).filter(
        A.status.in_(("approved", "refused")), A.decided_at >= start,
        A.decided_at < end).group_by(A.status).all())
    usage = dict(s.query(Usage.channel, sa.func.sum(Usage.count)).filter(
        Usage.day >= dt.date(year, 1, 1), Usage.day < dt.date(year + 1, 1, 1)).group_by(
        Usage.channel).all())
    rect = dict(s.query(Rectification.status, sa.func.count()).filter(
        Rectification.created >= start, Rectification.created < end).group_by(
        Rectification.status).all())
    objections = s.query(sa.func.count()).filter(
        Objection.created >= start, Objection.created < end).scalar() or 0
    in_time = [c["applications_in_time_share"] * c["applications_decided"] / 100.0
               for c in cards if c["applications_in_time_share"] is not None]
    answered = sum(c["applications_decided"] for c in cards)
    if at is None:
        filings = lyg_opendata_staff_filing_list({}, {})
        not_filed = sum(1 for f in filings if f["current"] is None)
    else:
        from ckanext.lyg_opendata.evaluation.model import StaffFiling
        filed = {org for (org,) in s.query(StaffFiling.organization_id).filter(
            StaffFiling.filed_at < at).distinct()}
        not_filed = sum(1 for c in cards if c["id"] not in filed)
    return {
        "agencies": len(cards),
        "datasets_unconditional": sum(c["datasets_unconditional"] for c in cards),
        "datasets_conditional": sum(c["datasets_conditional"] for c in cards),
        "resources": int(resources),
        "applications_received": sum(c["applications_received"] for c in cards),
        "applications_approved": int(decided.get("approved", 0)),
        "applications_refused": int(decided.get("refused", 0)),
        "applications_in_time_share": round(100.0 * sum(in_time) / answered, 1)
        if answered else None,
        "objections_received": int(objections),
        "objections_answered": sum(c["objections_answered"] for c in cards),
        "downloads": int(usage.get("download", 0) or 0),
        "api_calls": int(usage.get("api", 0) or 0),
        "usage_reports": sum(c["usage_reports"] for c in cards),
        "ratings": sum(c["ratings"] for c in cards),
        "rectifications_issued": int(sum(rect.values())),
        "rectifications_escalated": int(rect.get("escalated", 0)),
        "staff_not_filed": not_filed,
    }


def compute(year: int) -> dict[str, Any]:
    """What a report freezes: ``{"year", "computed", "as_of", "year_end", "approximate",
    "platform", "cards", "average"}``. A year that has ended is taken as of its end (31
    December 24:00 Beijing time, ``evaluation/asof.py``): the counts of the year, the state
    figures at that instant, the newest quality scores of the year; ``approximate`` names
    the figures that cannot be reconstructed exactly. A year under way: as of now."""
    from ckanext.lyg_opendata.evaluation import asof, scorecards
    now = shared.utcnow()
    end = _bounds(year)[1]
    at = end if now >= end else None
    cards = scorecards.compute(year, at=at)
    quality = _quality_by_agency(year if at is not None else None, at)
    for card in cards:
        card["quality_average"] = quality.get(card["id"])
    average = scorecards.average(cards)
    values = [c["quality_average"] for c in cards if c["quality_average"] is not None]
    average["quality_average"] = round(sum(values) / len(values), 1) if values else None
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    return {"year": year, "computed": now.strftime(stamp),
            "as_of": (at or now).strftime(stamp), "year_end": at is not None,
            "approximate": sorted(asof.APPROXIMATE) if at is not None else [],
            "platform": platform_figures(year, cards, at), "cards": cards, "average": average}


def _quality_by_agency(year: Optional[int] = None,
                       at: Optional[dt.datetime] = None) -> dict[str, Optional[float]]:
    """The mean quality score of each agency's datasets, when scores have been computed
    (evaluation/quality.py); empty otherwise. With ``year``: the newest scores of that year
    of the datasets public at ``at``."""
    from ckanext.lyg_opendata.evaluation import quality
    return quality.average_by_organization(year, at)


def _uses_per_dataset(card: dict[str, Any]) -> Optional[float]:
    public = card["datasets_unconditional"] + card["datasets_conditional"]
    if not public:
        return None
    return ((card.get("downloads") or 0) + (card.get("api_calls") or 0)) / public


def suggest(figures: dict[str, Any]) -> list[str]:
    """Suggestions for improvement generated from the indicators (Art 37), in the language
    of the request; the supervisor edits them before publishing. The rules and their
    thresholds are the constants above."""
    out: list[str] = []
    per = [u for u in map(_uses_per_dataset, figures["cards"]) if u is not None]
    mean_uses = sum(per) / len(per) if per else 0.0
    for c in figures["cards"]:
        agency = c["title"]
        public = c["datasets_unconditional"] + c["datasets_conditional"]
        if c.get("rectifications_open"):
            out.append(_("%(agency)s: %(n)d rectification notice(s) still open; complete the "
                         "rectification and report what was done (Art 39).")
                       % {"agency": agency, "n": c["rectifications_open"]})
        if not public:
            out.append(_("%(agency)s has no published dataset: compile its open list and "
                         "publish its data (Art 11).") % {"agency": agency})
            continue
        share = c.get("open_list_complete_share")
        if share is not None and share < COMPLETE_TARGET:
            out.append(_("%(agency)s: %(share)s%% of its open-list entries hold every column; "
                         "fill in the data items, formats, update frequency, conditions of "
                         "conditional data and data domain (Art 11).")
                       % {"agency": agency, "share": share})
        uses = _uses_per_dataset(c)
        if uses is not None and mean_uses and uses < USE_SHARE_OF_MEAN * mean_uses:
            out.append(_("%(agency)s: %(downloads)d downloads and %(api)d API calls for "
                         "%(n)d published dataset(s), %(uses)s per dataset against %(mean)s "
                         "for all bodies; open data in demand, in machine-readable formats "
                         "and through the API (Art 37).")
                       % {"agency": agency, "downloads": c.get("downloads") or 0,
                          "api": c.get("api_calls") or 0, "n": public,
                          "uses": round(uses, 1), "mean": round(mean_uses, 1)})
        share = c["freshness_on_time_share"]
        if share is not None and share < ON_TIME_TARGET:
            out.append(_("%(agency)s: %(n)d published dataset(s) overdue for an update "
                         "(%(share)s%% on time); update them as their declared frequency "
                         "requires (Art 15).") % {"agency": agency, "n": c["freshness_overdue"],
                                                   "share": share})
        share = c["applications_in_time_share"]
        if (share is not None and share < ON_TIME_TARGET) or c["applications_overdue"]:
            out.append(_("%(agency)s: %(share)s%% of applications answered within 10 working "
                         "days, %(n)d overdue now; answer every application in time (Art 19).")
                       % {"agency": agency, "share": "–" if share is None else share,
                          "n": c["applications_overdue"]})
        share = c["objections_in_time_share"]
        if share is not None and share < ON_TIME_TARGET:
            out.append(_("%(agency)s: %(share)s%% of objections answered in time; verify and "
                         "answer objections promptly (Art 20).") % {"agency": agency,
                                                                     "share": share})
        share = c["review_return_share"]
        if share is not None and share > RETURN_SHARE_LIMIT:
            out.append(_("%(agency)s: %(share)s%% of submissions were returned in review; "
                         "check the catalog fields before submitting (Art 12).")
                       % {"agency": agency, "share": share})
        quality = c.get("quality_average")
        if quality is not None and quality < QUALITY_TARGET:
            out.append(_("%(agency)s: the datasets' mean quality score is %(score)s; follow "
                         "the improvements shown on each dataset page (Art 13).")
                       % {"agency": agency, "score": quality})
    missing = figures["platform"].get("staff_not_filed") or 0
    if missing:
        out.append(_("%(n)d data-opening bodies have not filed their responsible staff with "
                     "the bureau (Art 35).") % {"n": missing})
    if not out:
        out.append(_("Every data-opening body met the indicators this year; keep the open "
                     "lists current and widen the data opened."))
    return out[:MAX_SUGGESTIONS]

