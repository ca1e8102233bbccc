"""The actions of the yearly evaluation report (Art 37): generate a draft, edit it, publish or
discard it; show and list."""
from __future__ import annotations

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation.model import EvaluationReport
from ckanext.lyg_opendata.evaluation.reports import notices  # noqa: F401  (registers the receivers)
from ckanext.lyg_opendata.evaluation.reports.dicts import as_dict, current_ids
from ckanext.lyg_opendata.evaluation.reports.figures import compute, suggest
from ckanext.lyg_opendata.evaluation.reports.schema import (
    generate_schema, id_schema, list_schema, update_schema)
from ckanext.lyg_opendata.evaluation.reports.workflow import TRANSITIONS, get, record
from ckanext.lyg_opendata.validation import validate

_ = tk._

__all__ = [
    "lyg_opendata_evaluation_report_generate",
    "lyg_opendata_evaluation_report_update",
    "lyg_opendata_evaluation_report_publish",
    "lyg_opendata_evaluation_report_discard",
    "lyg_opendata_evaluation_report_show",
    "lyg_opendata_evaluation_report_list",
]


def lyg_opendata_evaluation_report_generate(context, data_dict):
    """Generate a draft evaluation report for a year: the figures are computed now (a year
    that has ended: as of its end, 31 December 24:00 Beijing time) and
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
    record(row, context, "generate", None)
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
    record(row, context, "update", before)
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
    record(row, context, "publish", before)
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
    record(row, context, "discard", before, data.get("text"))
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
    current = current_ids(rows)
    return [as_dict(r, full=False, insider=insider, current=r.id in current) for r in rows]

