"""The yearly evaluation report (Art 37): 市大数据管理局 evaluates the city's data opening and
publishes a report with suggestions for improvement.

A supervisor generates a report for a year: the figures are computed then and frozen in the
row (the platform's totals, every agency's scorecard ranked, the average), with suggestions
generated from the indicators. The draft's title, commentary and suggestions are edited;
publishing makes it public (web page, PDF, XLSX) and final — the database refuses any change
to a published report (migration 0020). A later report of the same year is a new version:
the public list shows the newest published version of each year, and the older ones as
replaced.

    draft ─update→ draft ─publish→ published
      └──discard→ discarded
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import authz, notify, roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation import schema as base_schema
from ckanext.lyg_opendata.evaluation.model import EvaluationReport, EvaluationReportEvent
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.validation import validate
from ckanext.lyg_opendata.vocab import CodeLists, Term

_ = tk._

# bilingual terms: the msgid "Published" is "发布于 <date>" elsewhere, not the state 已发布
CODES = CodeLists({"status": [Term("draft", "草稿", "Draft"),
                              Term("published", "已发布", "Published"),
                              Term("discarded", "已放弃", "Discarded")]})
STATUSES = CODES.codes("status")
ACTIONS = {"generate": N_("generated"), "update": N_("edited"), "publish": N_("published"),
           "discard": N_("discarded")}

TRANSITIONS = shared.Transitions({
    "update": (frozenset({"draft"}), "draft"),
    "publish": (frozenset({"draft"}), "published"),
    "discard": (frozenset({"draft"}), "discarded"),
}, status_label=lambda code: status_label(code), action_label=lambda code: action_label(code),
   refused=N_("An evaluation report that is %(status)s cannot be %(action)s"))

MAX_SUGGESTIONS = 60
MAX_SUGGESTION_LENGTH = 1000

# the thresholds below which an indicator yields a suggestion
ON_TIME_TARGET = 90.0          # % of updates, applications, objections in time
RETURN_SHARE_LIMIT = 30.0      # % of submissions returned in review
QUALITY_TARGET = 60.0          # mean quality score (0–100) of an agency's datasets

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

__all__ = [
    "lyg_opendata_evaluation_report_generate",
    "lyg_opendata_evaluation_report_update",
    "lyg_opendata_evaluation_report_publish",
    "lyg_opendata_evaluation_report_discard",
    "lyg_opendata_evaluation_report_show",
    "lyg_opendata_evaluation_report_list",
]


def status_label(code: Optional[str]) -> str:
    return CODES.label("status", code)


def action_label(code: Optional[str]) -> str:
    return _(ACTIONS[code]) if code in ACTIONS else (code or "")


def get(report_id: Any) -> EvaluationReport:
    return shared.find(EvaluationReport, report_id, _("Evaluation report not found"))


# --- the figures ---------------------------------------------------------------------------

def _bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    from ckanext.lyg_opendata.evaluation.scorecards import _bounds as bounds
    return bounds(year)


def platform_figures(year: int, cards: list[dict[str, Any]]) -> dict[str, Any]:
    """The city's totals for the year; counts from the tables (the scorecards' sums where
    they hold the same figure)."""
    from ckanext.lyg_opendata.access.model import Application
    from ckanext.lyg_opendata.evaluation.model import Rectification
    from ckanext.lyg_opendata.evaluation.staff import lyg_opendata_staff_filing_list
    from ckanext.lyg_opendata.objections.model import Objection
    from ckanext.lyg_opendata.portal.figures import _public_packages
    from ckanext.lyg_opendata.portal.usage import Usage

    s = model.Session
    start, end = _bounds(year)
    p, r = model.package_table, model.resource_table
    A = Application
    resources = s.execute(sa.select(sa.func.count()).select_from(
        r.join(p, r.c.package_id == p.c.id)).where(
        _public_packages(), r.c.state == "active")).scalar() or 0
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
    filings = lyg_opendata_staff_filing_list({}, {})
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
        "staff_not_filed": sum(1 for f in filings if f["current"] is None),
    }


def compute(year: int) -> dict[str, Any]:
    """What a report freezes: ``{"year", "computed", "platform", "cards", "average"}``."""
    from ckanext.lyg_opendata.evaluation import scorecards
    cards = scorecards.compute(year)
    quality = _quality_by_agency()
    for card in cards:
        card["quality_average"] = quality.get(card["id"])
    average = scorecards.average(cards)
    values = [c["quality_average"] for c in cards if c["quality_average"] is not None]
    average["quality_average"] = round(sum(values) / len(values), 1) if values else None
    return {"year": year, "computed": shared.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "platform": platform_figures(year, cards), "cards": cards, "average": average}


def _quality_by_agency() -> dict[str, Optional[float]]:
    """The mean quality score of each agency's datasets, when scores have been computed
    (evaluation/quality.py); empty otherwise."""
    from ckanext.lyg_opendata.evaluation import quality
    return quality.average_by_organization()


def suggest(figures: dict[str, Any]) -> list[str]:
    """Suggestions for improvement generated from the indicators (Art 37), in the language
    of the request; the supervisor edits them before publishing."""
    out: list[str] = []
    for c in figures["cards"]:
        agency = c["title"]
        public = c["datasets_unconditional"] + c["datasets_conditional"]
        if not public:
            out.append(_("%(agency)s has no published dataset: compile its open list and "
                         "publish its data (Art 11).") % {"agency": agency})
            continue
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


# --- schemas -------------------------------------------------------------------------------

def _year(value, context):
    return base_schema._year(value, context)


def _suggestions(value, context):
    """A list of texts, or one text with a suggestion per line; blank lines dropped."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(_("Send the suggestions as a list of texts"))
    items = [v.strip() for v in value if v.strip()]
    if len(items) > MAX_SUGGESTIONS:
        raise tk.Invalid(_("At most %d suggestions") % MAX_SUGGESTIONS)
    for item in items:
        if len(item) > MAX_SUGGESTION_LENGTH:
            raise tk.Invalid(_("A suggestion may have at most %d characters")
                             % MAX_SUGGESTION_LENGTH)
        base_schema.no_blocked_words(item, context)
    return items


def _v(name: str):
    return tk.get_validator(name)


def generate_schema() -> dict:
    return {"year": [_v("not_empty"), _year],
            "title": [_v("ignore_missing"), _v("ignore_empty"), _v("unicode_safe"),
                      base_schema.min_length(4), base_schema.max_length(200),
                      base_schema.no_blocked_words]}


def update_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")],
            "title": [_v("ignore_missing"), _v("unicode_safe"), _v("not_empty"),
                      base_schema.min_length(4), base_schema.max_length(200),
                      base_schema.no_blocked_words],
            "commentary": [_v("ignore_missing"), _v("unicode_safe"),
                           base_schema.max_length(20000), base_schema.no_blocked_words],
            "suggestions": [_v("ignore_missing"), _suggestions]}


def id_schema() -> dict:
    return {"id": [_v("not_empty"), _v("unicode_safe")],
            "text": [_v("ignore_missing"), _v("unicode_safe"), base_schema.max_length(2000)]}


def list_schema() -> dict:
    return {"year": [_v("ignore_missing"), _v("ignore_empty"), _year]}


# --- rows as dicts -------------------------------------------------------------------------

def _current_ids(rows: list[EvaluationReport]) -> set[str]:
    """The newest published version of each year."""
    newest: dict[int, EvaluationReport] = {}
    for row in rows:
        if row.status == "published" and (row.year not in newest
                                          or row.version > newest[row.year].version):
            newest[row.year] = row
    return {row.id for row in newest.values()}


def _published_versions(year: int) -> list[EvaluationReport]:
    return model.Session.query(EvaluationReport).filter(
        EvaluationReport.year == year, EvaluationReport.status == "published").all()


def as_dict(row: EvaluationReport, full: bool = True, insider: bool = False,
            current: Optional[bool] = None) -> dict[str, Any]:
    if current is None:
        current = row.id in _current_ids(_published_versions(row.year))
    out: dict[str, Any] = {
        "id": row.id, "year": row.year, "version": row.version, "title": row.title,
        "status": row.status, "status_label": status_label(row.status),
        "current": bool(current),
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "modified": row.modified.isoformat(),
        "allowed": TRANSITIONS.allowed(row.status) if insider else [],
    }
    if full:
        out.update({"figures": row.figures, "commentary": row.commentary,
                    "suggestions": list(row.suggestions or [])})
        if insider:
            events = model.Session.query(EvaluationReportEvent).filter(
                EvaluationReportEvent.report_id == row.id).order_by(
                EvaluationReportEvent.created, EvaluationReportEvent.id).all()
            users = {u.id: u for u in model.Session.query(model.User).filter(
                model.User.id.in_([e.actor_id for e in events if e.actor_id]))} \
                if events else {}
            out["events"] = [{
                "action": e.action, "action_label": action_label(e.action), "text": e.text,
                "actor": (users[e.actor_id].fullname or users[e.actor_id].name)
                if e.actor_id in users else None,
                "created": e.created.isoformat()} for e in events]
        if row.status == "published" and not current:
            newest = max(_published_versions(row.year), key=lambda r: r.version)
            out["replaced_by"] = newest.id
    return out


def _record(row: EvaluationReport, context, action: str, before: Optional[str],
            text: Optional[str] = None) -> None:
    shared.record(EvaluationReportEvent, report_id=row.id,
                  actor_id=shared.actor_id(context.get("user")), action=action,
                  from_status=before, to_status=row.status, text=text)


# --- actions -------------------------------------------------------------------------------

def lyg_opendata_evaluation_report_generate(context, data_dict):
    """Generate a draft evaluation report for a year: the figures are computed now and
    frozen in the report, with suggestions generated from the indicators. A year that has
    reports gets the next version.

    :param year: the year evaluated (Beijing dates)
    :param title: the report's title (default: "<year> evaluation report of public data
        opening")
    :returns: the draft report
    """
    data = validate(data_dict, generate_schema())
    year = data["year"]
    if year > workdays.today_beijing().year:
        shared.fail("year", _("A year that has not begun cannot be evaluated"))
    # one generator at a time per year: the version number is the next one
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                          {"k": f"lyg_opendata_evaluation_report:{year}"})
    last = model.Session.query(sa.func.max(EvaluationReport.version)).filter(
        EvaluationReport.year == year).scalar() or 0
    figures = compute(year)
    title = data.get("title") or _("%(year)d evaluation report of public data opening") % {
        "year": year}
    now = shared.utcnow()
    row = EvaluationReport(year=year, version=last + 1, title=title, status="draft",
                           figures=figures, commentary="", suggestions=suggest(figures),
                           created_by=shared.actor_id(context.get("user")), created=now,
                           modified=now)
    model.Session.add(row)
    model.Session.flush()
    _record(row, context, "generate", None)
    shared.commit(context)
    return as_dict(row, insider=True)


def lyg_opendata_evaluation_report_update(context, data_dict):
    """Edit a draft: its title, commentary and suggestions (fields not sent stay).

    :param id: the report's id
    :param title: the title
    :param commentary: the bureau's commentary (text; paragraphs separated by blank lines)
    :param suggestions: the suggestions for improvement, a list of texts (or one text, one
        suggestion a line)
    """
    data = validate(data_dict, update_schema())
    row = shared.locked(EvaluationReport, data["id"], _("Evaluation report not found"))
    before = row.status
    TRANSITIONS.target("update", before)
    for field in ("title", "commentary", "suggestions"):
        if field in data:
            setattr(row, field, data[field])
    row.modified = shared.utcnow()
    _record(row, context, "update", before)
    shared.commit(context)
    return as_dict(row, insider=True)


def lyg_opendata_evaluation_report_publish(context, data_dict):
    """Publish a draft: it becomes public and never changes again (a new version of the year
    replaces it in the public list).

    :param id: the report's id
    """
    data = validate(data_dict, id_schema())
    row = shared.locked(EvaluationReport, data["id"], _("Evaluation report not found"))
    before = row.status
    to = TRANSITIONS.target("publish", before)
    if not (row.commentary or "").strip():
        shared.fail("commentary", _("Write the commentary before publishing"))
    row.status = to
    now = shared.utcnow()
    row.published_at = now
    row.published_by = shared.actor_id(context.get("user"))
    row.modified = now
    _record(row, context, "publish", before)
    shared.commit(context)
    return as_dict(row, insider=True)


def lyg_opendata_evaluation_report_discard(context, data_dict):
    """Discard a draft (kept with its events, never public).

    :param id: the report's id
    :param text: why (optional)
    """
    data = validate(data_dict, id_schema())
    row = shared.locked(EvaluationReport, data["id"], _("Evaluation report not found"))
    before = row.status
    row.status = TRANSITIONS.target("discard", before)
    row.modified = shared.utcnow()
    _record(row, context, "discard", before, data.get("text"))
    shared.commit(context)
    return as_dict(row, insider=True)


@tk.side_effect_free
def lyg_opendata_evaluation_report_show(context, data_dict):
    """A report with its figures, commentary and suggestions: published ones to anybody,
    drafts and discarded ones to supervisors (with the events).

    :param id: the report's id
    """
    row = get((data_dict or {}).get("id"))
    return as_dict(row, insider=roles.is_supervisor(context.get("user")))


@tk.side_effect_free
def lyg_opendata_evaluation_report_list(context, data_dict):
    """The reports, newest year and version first (without their figures): the published
    ones for anybody (``current`` marks the newest version of each year); supervisors also
    see drafts and discarded ones.

    :param year: only this year's (optional)
    """
    data = validate(data_dict, list_schema())
    insider = roles.is_supervisor(context.get("user"))
    q = model.Session.query(EvaluationReport)
    if not insider:
        q = q.filter(EvaluationReport.status == "published")
    if data.get("year"):
        q = q.filter(EvaluationReport.year == data["year"])
    rows = q.order_by(EvaluationReport.year.desc(), EvaluationReport.version.desc()).all()
    current = _current_ids(rows)
    return [as_dict(r, full=False, insider=insider, current=r.id in current) for r in rows]


# --- auth ----------------------------------------------------------------------------------

auth_generate = authz.supervisors_only
auth_update = authz.supervisors_only
auth_publish = authz.supervisors_only
auth_discard = authz.supervisors_only


def auth_show(context, data_dict):
    row = authz.row(EvaluationReport, data_dict)
    if row is None or row.status == "published" or roles.is_supervisor(context.get("user")):
        return authz.OK
    return authz.deny(_("This evaluation report is not published"))


def auth_list(context, data_dict):
    return authz.OK


auth_list = tk.auth_allow_anonymous_access(auth_list)
auth_show = tk.auth_allow_anonymous_access(auth_show)


# --- notices -------------------------------------------------------------------------------

@shared.after("lyg_opendata_evaluation_report_publish")
def after_publish(context, data_dict, result) -> None:
    """Every evaluated body's editors and admins hear that the report is out (with their
    rank); the other supervisors too."""
    row = model.Session.get(EvaluationReport, (result or {}).get("id") or "")
    if row is None or row.status != "published":
        return
    link = tk.url_for("lyg_opendata_evaluation_report.read", id=row.id, _external=True)
    subject = _("The evaluation report was published: %s") % row.title
    for card in row.figures.get("cards", []):
        rank = card.get("rank")
        line = (_("%(agency)s ranks %(rank)d of %(n)d.") % {
            "agency": card["title"], "rank": rank, "n": len(row.figures["cards"])}
            if rank else _("%(agency)s is not ranked (no figures).") % {"agency": card["title"]})
        notify.notify_users(notify.agency_staff(card["id"]), subject,
                            "\n".join([subject, line]), link=link, commit=False)
    me = shared.actor_id(context.get("user"))
    notify.notify_users([u for u in notify.supervisors() if u.id != me], subject, subject,
                        link=link, commit=False)
