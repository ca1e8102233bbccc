"""The quality score of each published dataset (Art 13–15, 37), after data.europa.eu's
Metadata Quality Assessment (MQA): points per indicator in five dimensions, adapted to this
catalog, plus this portal's own feedback (objections upheld, ratings). 100 points at most:

=================  ==================================================================  ====
dimension          indicator                                                           max
=================  ==================================================================  ====
findability        subject areas; keywords; spatial coverage; temporal coverage        8 7 5 5
accessibility      downloads reachable (the link checker: share of resources that      15
                   answered; uploaded files count as reachable); a distribution         5
interoperability   machine-readable share of the resources; loaded into the           10 5
                   DataStore; data items complete and typed; DCAT-AP mandatory          5 5
                   properties (title, description, publisher, distributions with a
                   format)
reusability        licence; 开放条件 of conditional data (unconditional: met);          7 6 7
                   contact point (maintainer and e-mail)
contextuality      updated as the declared frequency requires (freshness); issued      5 3 2
                   and data-updated dates; every resource's size
feedback           −5 per objection upheld (corrected) in the last 365 days (at most
                   −10); −5 when three or more ratings average below 3
=================  ==================================================================  ====

Rating: 优秀 excellent ≥ 85, 良好 good ≥ 70, 合格 sufficient ≥ 50, else 待改进 bad.

``score(pkg, facts)`` is pure (tested on crafted dicts); ``compute`` runs it over every
published dataset (the index's dicts, 500 a page) with the facts read in one query per page,
and stores one row per dataset and Beijing month (``lyg_opendata_quality_score``: the month's
row is replaced by a later run of the same month, earlier months are the history). The index
carries ``quality_score`` (zero-padded, "072") and ``quality_rating`` for sorting and
filtering (the catch-all string field of the configset: no schema change).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.tables import new_id

_ = tk._

SCORE_FIELD = "quality_score"
RATING_FIELD = "quality_rating"
MACHINE_READABLE = frozenset({"CSV", "JSON", "XML", "XLSX", "XLS", "GEOJSON", "API", "RDF",
                              "TSV", "ODS", "SHP", "KML", "WMS", "WFS", "JSON-LD", "TTL"})

# code -> (dimension, max points, label, how to improve)
INDICATORS: dict[str, tuple[str, int, str, str]] = {
    "subject_areas": ("findability", 8, N_("Subject areas"),
                      N_("Choose the subject areas the dataset belongs to.")),
    "keywords": ("findability", 7, N_("Keywords"),
                 N_("Add keywords people would search for.")),
    "spatial": ("findability", 5, N_("Spatial coverage"),
                N_("State the area the data covers.")),
    "temporal": ("findability", 5, N_("Temporal coverage"),
                 N_("State the period the data covers (its start date).")),
    "reachable": ("accessibility", 15, N_("Downloads reachable"),
                  N_("Fix or replace the addresses the link checker could not reach.")),
    "distribution": ("accessibility", 5, N_("Has a resource"),
                     N_("Add at least one resource (file or API) with the data.")),
    "machine_readable": ("interoperability", 10, N_("Machine-readable formats"),
                         N_("Publish the data in a machine-readable format such as CSV, "
                            "JSON or XLSX, not only PDF or images.")),
    "datastore": ("interoperability", 5, N_("Loaded into the DataStore"),
                  N_("Upload a CSV or XLSX file so that the data can be previewed and "
                     "queried through the API.")),
    "data_items": ("interoperability", 5, N_("Data items complete and typed"),
                   N_("Give every data item its Chinese name, code and type.")),
    "dcat": ("interoperability", 5, N_("DCAT-AP mandatory properties"),
             N_("Give the dataset a description and every resource a format.")),
    "licence": ("reusability", 7, N_("Licence"), N_("Choose a licence.")),
    "conditions": ("reusability", 6, N_("Conditions of conditional data"),
                   N_("State the conditions under which the data is opened.")),
    "contact": ("reusability", 7, N_("Contact point"),
                N_("Name a maintainer with an e-mail address.")),
    "on_time": ("contextuality", 5, N_("Updated on time"),
                N_("Update the data as its declared update frequency requires.")),
    "dates": ("contextuality", 3, N_("Issued and updated dates"),
              N_("Record when the data was last updated.")),
    "size": ("contextuality", 2, N_("Size of each resource"),
             N_("Upload the files, or state their size.")),
    "objections": ("feedback", 0, N_("Objections upheld"),
                   N_("Check the data against the objections that were upheld.")),
    "ratings": ("feedback", 0, N_("Ratings"),
                N_("Read the ratings' comments and improve what users found lacking.")),
}
DIMENSIONS = {"findability": N_("Findability"), "accessibility": N_("Accessibility"),
              "interoperability": N_("Interoperability"), "reusability": N_("Reusability"),
              "contextuality": N_("Contextuality"), "feedback": N_("Feedback")}
RATINGS = (("excellent", 85, N_("Excellent")), ("good", 70, N_("Good")),
           ("sufficient", 50, N_("Sufficient")), ("bad", 0, N_("Needs improvement")))
OBJECTION_PENALTY, OBJECTION_PENALTY_MAX = 5, 10
RATING_PENALTY, RATING_MIN_COUNT, RATING_FLOOR = 5, 3, 3.0
UPHELD = ("corrected", "partly_corrected")


def rating_of(score: int) -> str:
    return next(code for code, floor, _label in RATINGS if score >= floor)


def rating_label(code: Optional[str]) -> str:
    return next((_(label) for c, _f, label in RATINGS if c == code), code or "")


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):  # a scheming multiple-choice field kept as JSON text
            try:
                return bool(json.loads(value))
            except ValueError:
                return True
    return bool(value)


def _share(part: int, whole: int, points: int) -> int:
    return round(points * part / whole) if whole else 0


def score(pkg: dict[str, Any], facts: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """``{"score", "rating", "indicators": [{"code", "points", "max", "detail"}]}`` of a
    dataset dict (as package_show or the index give it). ``facts``: ``links`` — resource id
    -> True/False (reachable) for the resources checked; ``upheld`` — objections upheld in
    the last 365 days; ``ratings`` — (count, average); ``overdue`` — freshness says the update
    is overdue (computed from ``pkg`` when absent)."""
    from ckanext.lyg_opendata.catalog import freshness
    facts = facts or {}
    resources = [r for r in pkg.get("resources") or [] if r.get("state", "active") == "active"]
    n = len(resources)
    links = facts.get("links") or {}
    results: dict[str, tuple[int, dict[str, Any]]] = {}

    def put(code: str, ok: Any, detail: Optional[dict] = None, points: Optional[int] = None):
        top = INDICATORS[code][1]
        results[code] = (top if points is None and ok else (points or 0), detail or {})

    put("subject_areas", _filled(pkg.get("subject_areas")))
    put("keywords", bool(pkg.get("tags") or _filled(pkg.get("tag_string"))))
    put("spatial", _filled(pkg.get("spatial_coverage")))
    put("temporal", _filled(pkg.get("temporal_start")))
    uploaded = [r for r in resources if r.get("url_type") == "upload"]
    checked = [r for r in resources if r.get("url_type") != "upload" and r["id"] in links]
    reachable = len(uploaded) + sum(1 for r in checked if links[r["id"]])
    unchecked = n - len(uploaded) - len(checked)
    put("reachable", None, {"reachable": reachable, "total": n, "unchecked": unchecked},
        points=_share(reachable, n, INDICATORS["reachable"][1]))
    put("distribution", n > 0)
    readable = sum(1 for r in resources if str(r.get("machine_readable", "")).lower() == "true"
                   or (r.get("format") or "").strip().upper() in MACHINE_READABLE)
    put("machine_readable", None, {"machine_readable": readable, "total": n},
        points=_share(readable, n, INDICATORS["machine_readable"][1]))
    put("datastore", any(str(r.get("datastore_active", "")).lower() == "true" for r in resources))
    items = pkg.get("data_items") or []
    if isinstance(items, str):
        try:
            items = json.loads(items)
        except ValueError:
            items = []
    complete = bool(items) and all(
        isinstance(i, dict) and _filled(i.get("name_zh")) and _filled(i.get("code"))
        and _filled(i.get("type")) for i in items)
    put("data_items", complete, {"items": len(items)})
    put("dcat", _filled(pkg.get("title")) and _filled(pkg.get("notes")) and
        _filled(pkg.get("owner_org")) and n > 0 and
        all(_filled(r.get("format")) for r in resources))
    put("licence", _filled(pkg.get("license_id")) and pkg.get("license_id") != "notspecified")
    put("conditions", pkg.get("open_type") != "conditional" or _filled(pkg.get("open_conditions")))
    put("contact", _filled(pkg.get("maintainer")) and _filled(pkg.get("maintainer_email")))
    overdue = facts["overdue"] if "overdue" in facts else freshness.is_overdue(pkg)
    put("on_time", not overdue)
    put("dates", _filled(pkg.get("issued")) and freshness.effective_data_updated(pkg) is not None)
    put("size", n > 0 and all(_filled(r.get("size")) for r in resources))
    upheld = int(facts.get("upheld") or 0)
    results["objections"] = (-min(OBJECTION_PENALTY * upheld, OBJECTION_PENALTY_MAX),
                             {"upheld": upheld})
    count, average = facts.get("ratings") or (0, None)
    low = count >= RATING_MIN_COUNT and average is not None and average < RATING_FLOOR
    results["ratings"] = (-RATING_PENALTY if low else 0,
                          {"count": count, "average": None if average is None
                           else round(float(average), 2)})
    total = max(0, min(100, sum(points for points, _d in results.values())))
    return {"score": total, "rating": rating_of(total),
            "indicators": [{"code": code, "points": results[code][0],
                            "max": INDICATORS[code][1], "detail": results[code][1]}
                           for code in INDICATORS]}


def explain(result: dict[str, Any]) -> dict[str, Any]:
    """The stored result with its words (translated now): each indicator's label, dimension,
    whether it is met, and how to improve it when it is not."""
    out = []
    for ind in result.get("indicators", []):
        dimension, top, label, improve = INDICATORS.get(ind["code"], ("", 0, ind["code"], ""))
        met = ind["points"] >= top if top else ind["points"] == 0
        out.append({**ind, "label": _(label), "dimension": dimension,
                    "dimension_label": _(DIMENSIONS.get(dimension, dimension)), "met": met,
                    "improve": None if met else _(improve)})
    return {**result, "rating_label": rating_label(result.get("rating")), "indicators": out}


# --- stored scores -------------------------------------------------------------------------

def month_of(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def latest(package_id: str) -> Optional[dict[str, Any]]:
    """The dataset's newest stored score (explained), with the month, or None."""
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    row = model.Session.query(QualityScore).filter(
        QualityScore.package_id == package_id).order_by(QualityScore.month.desc()).first()
    if row is None:
        return None
    out = explain({"score": row.score, "rating": row.rating, "indicators": row.indicators})
    out.update({"month": row.month, "computed_at": row.computed_at.isoformat()})
    return out


def _record_changes(rows: list[dict[str, Any]], today: dt.date) -> None:
    """A history row for each dataset whose score differs from its last one (one query for
    the page's last scores, one insert)."""
    from ckanext.lyg_opendata.evaluation.model import QualityChange
    c = QualityChange.__table__
    last = dict(model.Session.execute(
        sa.select(c.c.package_id, c.c.score).distinct(c.c.package_id).where(
            c.c.package_id.in_([r["package_id"] for r in rows])).order_by(
            c.c.package_id, c.c.day.desc(), c.c.computed_at.desc())).all())
    new = [{"id": new_id(), "package_id": r["package_id"], "day": today, "score": r["score"],
            "rating": r["rating"], "computed_at": r["computed_at"]}
           for r in rows if last.get(r["package_id"]) != r["score"]]
    if new:
        model.Session.execute(insert(c).values(new))


def changes(package_id: str) -> list[dict[str, Any]]:
    """The dataset's score each time it changed, oldest first: the Beijing day scored, the score,
    the rating (code and label). Scores only."""
    from ckanext.lyg_opendata.evaluation.model import QualityChange
    rows = model.Session.query(QualityChange).filter(
        QualityChange.package_id == package_id).order_by(
        QualityChange.day, QualityChange.computed_at).all()
    return [{"computed_at": r.computed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "day": r.day.isoformat(), "score": r.score,
             "rating": r.rating, "rating_label": rating_label(r.rating)} for r in rows]


def history(package_id: str) -> list[dict[str, Any]]:
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    return [{"month": m, "score": s} for m, s in model.Session.query(
        QualityScore.month, QualityScore.score).filter(
        QualityScore.package_id == package_id).order_by(QualityScore.month)]


def average_by_organization(year: Optional[int] = None,
                            at: Optional[dt.datetime] = None) -> dict[str, float]:
    """The mean of the newest score of each published dataset, per agency; with ``year``
    and ``at`` (a year's end), of the newest score of that year or before of each dataset
    public at ``at``."""
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    from ckanext.lyg_opendata.catalog.public import packages as _public_packages
    q = QualityScore.__table__
    months = sa.select(q.c.package_id, sa.func.max(q.c.month).label("month"))
    if year is not None:
        months = months.where(q.c.month <= f"{year:04d}-12")
    newest = months.group_by(q.c.package_id).subquery()
    if at is not None:
        from ckanext.lyg_opendata.evaluation.asof import public_packages_at
        public = public_packages_at(at)
    else:
        public = _public_packages()
    p = model.package_table
    rows = model.Session.execute(
        sa.select(p.c.owner_org, sa.func.avg(q.c.score)).select_from(
            q.join(newest, sa.and_(q.c.package_id == newest.c.package_id,
                                   q.c.month == newest.c.month))
            .join(p, p.c.id == q.c.package_id)).where(public)
        .group_by(p.c.owner_org)).all()
    return {org: round(float(avg), 1) for org, avg in rows if org}


def _facts(pkgs: list[dict[str, Any]], today: dt.date) -> dict[str, dict[str, Any]]:
    """Link results, objections upheld and ratings of a page of datasets, in three queries."""
    from ckanext.lyg_opendata.evaluation.model import LinkCheck
    from ckanext.lyg_opendata.objections.model import Objection
    from ckanext.lyg_opendata.participation.model import Rating
    s = model.Session
    ids = [p["id"] for p in pkgs]
    res_ids = [r["id"] for p in pkgs for r in p.get("resources") or []]
    links = dict(s.query(LinkCheck.resource_id, LinkCheck.ok).filter(
        LinkCheck.resource_id.in_(res_ids)).all()) if res_ids else {}
    since = dt.datetime.combine(today - dt.timedelta(days=365), dt.time())
    upheld = dict(s.query(Objection.package_id, sa.func.count()).filter(
        Objection.package_id.in_(ids), Objection.answer_outcome.in_(UPHELD),
        Objection.answered_at >= since).group_by(Objection.package_id).all())
    rated = {pid: (n, avg) for pid, n, avg in s.query(
        Rating.package_id, sa.func.count(Rating.id),
        sa.func.avg((Rating.quality + Rating.timeliness + Rating.usability) / 3.0)).filter(
        Rating.package_id.in_(ids)).group_by(Rating.package_id)}
    return {p["id"]: {"links": {r["id"]: links[r["id"]] for r in p.get("resources") or []
                                if r["id"] in links},
                      "upheld": upheld.get(p["id"], 0),
                      "ratings": rated.get(p["id"], (0, None))} for p in pkgs}


PUBLIC_FQ = "+dataset_type:dataset +review_status:published -open_type:non_open"


def compute(progress: Optional[Callable[[int, int], None]] = None, page_size: int = 500,
            today: Optional[dt.date] = None) -> dict[str, Any]:
    """Score every published dataset and store this month's row; the datasets whose score
    changed are re-indexed. ``progress(done, total)`` after each page."""
    from ckanext.lyg_opendata.catalog import freshness
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    from ckanext.lyg_opendata.workdays import today_beijing
    today = today or today_beijing()
    month = month_of(today)
    done, changed = 0, []
    total = None
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"ignore_auth": True}, {"fq": PUBLIC_FQ, "sort": "id asc", "rows": page_size,
                                    "start": start, "include_private": False})
        total = result["count"]
        pkgs = result["results"]
        if not pkgs:
            break
        facts = _facts(pkgs, today)
        old = dict(model.Session.query(QualityScore.package_id, QualityScore.score).filter(
            QualityScore.package_id.in_([p["id"] for p in pkgs]),
            QualityScore.month == month).all())
        rows = []
        for pkg in pkgs:
            f = facts[pkg["id"]]
            f["overdue"] = freshness.is_overdue(pkg)
            got = score(pkg, f)
            rows.append({"package_id": pkg["id"], "month": month, "score": got["score"],
                         "rating": got["rating"], "indicators": got["indicators"],
                         "computed_at": dt.datetime.utcnow()})
            if old.get(pkg["id"]) != got["score"]:
                changed.append(pkg["id"])
        stmt = insert(QualityScore.__table__).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=["package_id", "month"],
            set_={k: stmt.excluded[k] for k in ("score", "rating", "indicators", "computed_at")})
        model.Session.execute(stmt)
        _record_changes(rows, today)
        model.Session.commit()
        done += len(pkgs)
        start += page_size
        if progress:
            progress(done, total)
        if start >= total:
            break
    return {"scored": done, "month": month, "changed": changed}


def reindex(package_ids: Iterable[str]) -> int:
    """Put the new scores into the search index (``quality_score``, ``quality_rating``):
    CKAN's indexer, one Solr commit at the end (a commit per dataset was 3.5× slower)."""
    from ckan.lib import search
    ids = list(package_ids)
    if ids:
        search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
        search.commit()
    return len(ids)


# --- the index -----------------------------------------------------------------------------

def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict.pop(SCORE_FIELD, None)
    pkg_dict.pop(RATING_FIELD, None)
    if not pkg_dict.get("id"):
        return pkg_dict
    from ckanext.lyg_opendata.evaluation.model import QualityScore
    row = model.Session.query(QualityScore.score, QualityScore.rating).filter(
        QualityScore.package_id == pkg_dict["id"]).order_by(QualityScore.month.desc()).first()
    if row is not None:
        pkg_dict[SCORE_FIELD] = "%03d" % row[0]
        pkg_dict[RATING_FIELD] = row[1]
    return pkg_dict


def dataset_facets(facets: "dict[str, Any]") -> "dict[str, Any]":
    """The facet 质量评级 on the dataset search page (``quality_rating``, the index's catch-all
    string field: no schema change), before the tags."""
    out = {}
    for key, title in facets.items():
        if key == "tags":
            out[RATING_FIELD] = _("Quality rating")
        out[key] = title
    out.setdefault(RATING_FIELD, _("Quality rating"))
    facets.clear()
    facets.update(out)
    return facets


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """The ratings' labels in the UI language (CKAN then orders the items; the page by count)."""
    facet = (search_results.get("search_facets") or {}).get(RATING_FIELD) or {}
    for item in facet.get("items", []):
        item["display_name"] = rating_label(item["name"])
    return search_results


def helper_quality(package_id: str) -> Optional[dict[str, Any]]:
    """For the dataset page: the newest score explained, with its history of changes
    (``changes``; ``chart``: the figures of the vendored ECharts line, as the statistics
    page draws them), or None."""
    out = latest(package_id) if package_id else None
    if out is not None:
        out["changes"] = changes(package_id)
        out["chart"] = {"type": "line", "categories": [c["day"] for c in out["changes"]],
                        "series": [{"name": _("Quality score"), "color": "#2f6db5",
                                    "data": [c["score"] for c in out["changes"]]}]}
    return out
