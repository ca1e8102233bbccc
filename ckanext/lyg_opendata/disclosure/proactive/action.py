"""Actions of the proactive disclosure catalog (主动公开, 政府信息公开条例 Art 19-26).

Agencies enter their government information (draft), publish it (public from then on) and
withdraw it; everybody lists, searches and reads published entries. The 20-working-day rule
is tracked from 成文日期 (or 变更日期) to 发布日期 on the shared calendar (``workflow``).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workdays
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.disclosure import files
from ckanext.lyg_opendata.disclosure import schema as base
from ckanext.lyg_opendata.disclosure.proactive import codes, workflow
from ckanext.lyg_opendata.disclosure.proactive import search as catalog_search  # receivers too
from ckanext.lyg_opendata.disclosure.proactive.model import GovInfo
from ckanext.lyg_opendata.validation import iso_date, validate
from ckanext.lyg_opendata.validation import one_of as choice

_ = tk._
v = base.v
log = logging.getLogger(__name__)

__all__ = [
    "lyg_opendata_govinfo_create",
    "lyg_opendata_govinfo_update",
    "lyg_opendata_govinfo_publish",
    "lyg_opendata_govinfo_withdraw",
    "lyg_opendata_govinfo_show",
    "lyg_opendata_govinfo_search",
]

FIELDS = ("title", "doc_number", "category", "kind", "written_on", "changed_on", "forms",
          "validity", "repealed_on", "summary", "body")


# --- schemas -------------------------------------------------------------------------------

def one_of(kind: str):
    return codes.one_of(kind, labels=True)


def forms_value(value: Any, context) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    out = []
    for item in items:
        item = str(item).strip()
        if item and item not in out:
            one_of("form")(item, context)
            out.append(item)
    if not out:
        raise tk.Invalid(_("Missing value"))
    return out


def _date(required: bool = False) -> list:
    return [v("not_empty") if required else v("ignore_empty"), iso_date]


def entry_schema(update: bool = False) -> dict:
    def req(checks: list) -> list:
        return ([v("ignore_missing")] + checks) if update else checks
    return {
        "organization": [v("ignore_missing"), v("unicode_safe")] if update else
        [v("not_empty"), v("unicode_safe")],
        "title": req(base.short(required=True, maximum=300)),
        "doc_number": base.short(maximum=100),
        "category": req([v("not_empty"), v("unicode_safe"), one_of("category")]),
        "kind": [v("ignore_missing"), v("unicode_safe"), one_of("kind")],
        "written_on": req(_date(required=True)),
        "changed_on": _date(),
        "forms": [v("ignore_missing"), forms_value],
        "validity": [v("ignore_empty"), v("unicode_safe"), one_of("validity")],
        "repealed_on": _date(),
        "summary": base.text(required=False, maximum=2000),
        "body": base.text(required=False, maximum=200000),
        "publish": [v("ignore_missing"), v("boolean_validator")],
        "published_on": _date(),
        "file": [v("ignore_missing")],
    }


def date_errors(data: dict, today: dt.date) -> dict[str, list[str]]:
    """The dates in order: formed ≤ changed ≤ published ≤ today; repealed after formed."""
    errors: dict[str, list[str]] = {}
    data = {k: val for k, val in data.items() if isinstance(val, dt.date) or k == "validity"}
    written = data.get("written_on")
    if written and written > today:
        errors["written_on"] = [_("The date cannot be in the future")]
    for name in ("changed_on", "published_on", "repealed_on"):
        value = data.get(name)
        if value and written and value < written:
            errors[name] = [_("The date cannot be before the date it was written (成文日期)")]
        elif value and name != "repealed_on" and value > today:
            errors[name] = [_("The date cannot be in the future")]
    changed, published = data.get("changed_on"), data.get("published_on")
    if changed and published and published < changed and "published_on" not in errors:
        errors["published_on"] = [_("The date cannot be before the date of change")]
    if data.get("repealed_on") and data.get("validity") not in ("repealed", "expired"):
        errors.setdefault("repealed_on", [_("Only a repealed or expired entry has this date")])
    return errors


def _agency(name_or_id: str) -> model.Group:
    org = model.Group.get(name_or_id or "")
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"organization": [_("No such agency")]})
    return org


# --- actions -------------------------------------------------------------------------------

def _set_fields(row: GovInfo, data: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in data:
            setattr(row, name, data[name])
    if row.validity not in ("repealed", "expired"):
        row.repealed_on = None


def _store_file(row: GovInfo, upload: dict[str, Any]) -> None:
    row.file_path = files.store_upload(f"govinfo/{row.id}", "file", upload)
    row.file_name = upload["name"]
    row.file_mimetype = upload["mimetype"]


def _publish(row: GovInfo, published_on: dt.date | None, today: dt.date) -> None:
    published_on = published_on or today
    start = workflow.clock_start(row)
    if published_on < start:
        shared.fail("published_on", _("The date cannot be before the date it was written (成文日期)"))
    if published_on > today:
        shared.fail("published_on", _("The date cannot be in the future"))
    row.published_on = published_on
    row.status = "published"


def lyg_opendata_govinfo_create(context, data_dict):
    """Enter an entry of government information (the agency's editors and admins); a draft,
    or published at once with ``publish``.

    :param organization: the publishing agency (发布机构; id or name)
    :param title: 标题; :param doc_number: 文号 (optional)
    :param category: one of the guide's eleven categories (``codes.CATEGORIES``)
    :param kind: ``rule`` (规章), ``normative`` (行政规范性文件) or ``other`` (default)
    :param written_on: 成文日期 (YYYY-MM-DD); :param changed_on: 变更日期 (optional)
    :param forms: 公开方式, a list of codes (or comma-separated; default ``portal``)
    :param validity: 有效性 (optional); :param repealed_on: date repealed or expired
    :param summary: 内容概述; :param body: 正文; :param file: the document (multipart upload)
    :param publish: publish now; :param published_on: 发布日期 (default today)
    :returns: the entry, with its deadline (20 working days) and ``late`` flag
    """
    today = workdays.today_beijing()
    data = validate(data_dict, entry_schema(), lambda d: date_errors(d, today))
    org = _agency(data["organization"])
    tk.check_access("lyg_opendata_govinfo_create", context, {"organization": org.id})
    upload = files.read_upload(data_dict.get("file"), "file")
    row = GovInfo(organization_id=org.id, kind="other", forms=["portal"], status="draft",
                  created_by=shared.actor_id(context.get("user")))
    _set_fields(row, data)
    model.Session.add(row)
    model.Session.flush()
    if upload:
        _store_file(row, upload)
    workflow.record(row, context.get("user"), "create", None, "draft")
    if data.get("publish"):
        _publish(row, data.get("published_on"), today)
        workflow.record(row, context.get("user"), "publish", "draft", "published")
    shared.commit(context)
    return workflow.entry_dict(row, context.get("user"))


def lyg_opendata_govinfo_update(context, data_dict):
    """Change an entry (draft or published; the agency's editors and admins). Fields not sent
    are kept. When the information itself changed, send ``changed_on`` (变更日期: the
    20 working days run from it) and, for a published entry, the day the change was
    published as ``published_on``.

    :param id: the entry; other fields as ``lyg_opendata_govinfo_create``
    """
    today = workdays.today_beijing()
    data = validate(data_dict, {**entry_schema(update=True), **base.id_schema()})
    row = workflow.lock(data["id"])
    if row.status not in workflow.EDITABLE:
        shared.fail("status", _("A withdrawn entry cannot be changed"))
    merged = {name: getattr(row, name) for name in FIELDS}
    merged.update({k: val for k, val in data.items() if k in FIELDS})
    if "published_on" in data:
        merged["published_on"] = data["published_on"]
    errors = date_errors(merged, today)
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    upload = files.read_upload(data_dict.get("file"), "file")
    _set_fields(row, data)
    if upload:
        _store_file(row, upload)
    if row.status == "published" and data.get("published_on"):
        row.published_on = data["published_on"]
    workflow.record(row, context.get("user"), "update", row.status, row.status)
    shared.commit(context)
    return workflow.entry_dict(row, context.get("user"))


def lyg_opendata_govinfo_publish(context, data_dict):
    """Publish a draft (public from then on).

    :param id: the entry; :param published_on: 发布日期 (default today; not before 成文日期)
    """
    data = validate(data_dict, {**base.id_schema(), "published_on": _date()})
    row = workflow.lock(data["id"])
    to = workflow.TRANSITIONS.target("publish", row.status)
    _publish(row, data.get("published_on"), workdays.today_beijing())
    workflow.record(row, context.get("user"), "publish", "draft", to)
    shared.commit(context)
    return workflow.entry_dict(row, context.get("user"))


def lyg_opendata_govinfo_withdraw(context, data_dict):
    """Take a published entry down (the agency's admins, supervisors), with the reason.

    :param id: the entry; :param text: why
    """
    data = validate(data_dict, base.reason_schema())
    row = workflow.lock(data["id"])
    to = workflow.TRANSITIONS.target("withdraw", row.status)
    row.status = to
    row.withdrawal_reason = data["text"]
    workflow.record(row, context.get("user"), "withdraw", "published", to, text=data["text"])
    shared.commit(context)
    return workflow.entry_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_govinfo_show(context, data_dict):
    """One entry (published: anybody; otherwise the agency and supervisors).

    :param id: the entry
    """
    data = validate(data_dict, base.id_schema())
    return workflow.entry_dict(workflow.get(data["id"]), context.get("user"))


def search_schema() -> dict:
    return {
        "q": [v("ignore_missing"), v("unicode_safe"), base.max_length(200)],
        "category": [v("ignore_missing"), v("unicode_safe"), one_of("category")],
        "kind": [v("ignore_missing"), v("unicode_safe"), one_of("kind")],
        "validity": [v("ignore_missing"), v("unicode_safe"), one_of("validity")],
        "status": [v("ignore_missing"), v("unicode_safe"), one_of("status")],
        "year": [v("ignore_missing"), base.year_validator],
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "late": [v("ignore_missing"), v("boolean_validator")],
        "sort": [v("ignore_missing"), v("unicode_safe"), choice(SORTS, shown=sort_label)],
        "limit": [v("ignore_missing"), v("natural_number_validator")],
        "offset": [v("ignore_missing"), v("natural_number_validator")],
    }


SORTS = ("relevance", "newest", "oldest")


def sort_label(code: str) -> str:
    return {"relevance": _("Relevance"), "newest": _("Newest first"),
            "oldest": _("Oldest first")}[code]


def _match(query, q: str) -> tuple[Any, Optional[dict[str, float]]]:
    """The entries matching ``q`` and the Solr scores of the published ones (Chinese
    analysis, traditional characters, pinyin of the title); drafts and withdrawn ones (not
    indexed, listed only for who may see them) by a plain SQL match, without a score. When
    Solr cannot be reached, SQL for all (logged) and no scores (``None``)."""
    try:
        scores = catalog_search.matching_scores(q)
    except Exception:  # pysolr.SolrError, connection errors: the list still answers
        log.warning("government information search through Solr failed; SQL match instead",
                    exc_info=True)
        return workflow.text_filter(query, q), None
    unindexed = workflow.text_filter(model.Session.query(GovInfo.id).filter(
        GovInfo.status != catalog_search.INDEXED), q)
    return (query.filter(sa.or_(GovInfo.id.in_(list(scores) or [""]), GovInfo.id.in_(unindexed))),
            scores)


def _date_order(sort: str) -> tuple:
    """Publication date (drafts, not yet published, count as the newest), then 成文日期."""
    if sort == "oldest":
        return (GovInfo.published_on.asc().nullslast(), GovInfo.written_on.asc(), GovInfo.id)
    return (GovInfo.published_on.desc().nullsfirst(), GovInfo.written_on.desc(), GovInfo.id)


@tk.side_effect_free
def lyg_opendata_govinfo_search(context, data_dict):
    """Search and list entries: published ones for everybody; the agency's own drafts and
    withdrawn entries for its staff, all for supervisors. With a search text by relevance
    (Solr's score, then the newest publication), else newest publication first.

    :param q: words, searched through Solr in published entries (title, 文号, summary, body;
        Chinese analysis, traditional characters, the title's pinyin) and as substrings in
        the drafts and withdrawn entries the caller may see
    :param category, kind, validity, status: codes; :param year: year of publication
    :param organization: the publishing agency (id or name)
    :param late: only entries published (or still unpublished) after the 20 working days
    :param sort: ``relevance`` (the default with ``q``; without ``q`` it is ``newest``),
        ``newest`` or ``oldest`` (publication date; drafts count as the newest)
    :param limit: at most this many (default 20, at most 100); :param offset: skip this many
    :returns: ``count``, ``results``, ``late_count``, the counts by ``category`` and ``year``,
        ``sort`` (the order used) and ``relevance_unavailable`` (true when relevance was asked
        for but the search index did not answer: the entries are matched as plain text and
        listed by date)
    """
    data = validate(data_dict, search_schema())
    user = context.get("user")
    query = workflow.visible(model.Session.query(GovInfo), user)
    if data.get("status"):
        query = query.filter(GovInfo.status == data["status"])
    if data.get("organization"):
        query = query.filter(GovInfo.organization_id == _agency(data["organization"]).id)
    scores: Optional[dict[str, float]] = None
    if data.get("q"):
        query, scores = _match(query, data["q"])
    # by relevance when there is a search text (Solr's score, then the newest), else by date;
    # without Solr the SQL match has no score: by date, and the answer says so
    asked = data.get("sort") or ("relevance" if data.get("q") else "newest")
    sort = asked if asked != "relevance" or scores is not None else "newest"
    for name in ("kind", "validity"):
        if data.get(name):
            query = query.filter(getattr(GovInfo, name) == data[name])
    facets_query = query
    if data.get("category"):
        query = query.filter(GovInfo.category == data["category"])
    if data.get("year"):
        query = query.filter(workflow.year_of_publication() == data["year"])
    cal = workdays.Calendar()
    rows = query.order_by(*_date_order(sort)).all()
    if sort == "relevance" and scores is not None:
        # a stable sort: equal scores keep the date order; unindexed entries (no score) last
        rows.sort(key=lambda r: -scores.get(r.id, -1.0))
    orgs = {g.id: g for g in model.Session.query(model.Group).filter(
        model.Group.id.in_({r.organization_id for r in rows if r.organization_id} or {""}))}
    results = [workflow.entry_dict(r, user, cal, events=False, orgs=orgs) for r in rows]
    if data.get("late") is not None:
        results = [r for r in results if (r["late"] or r["overdue"]) == data["late"]]
    by_category = dict(facets_query.with_entities(GovInfo.category, sa.func.count())
                       .group_by(GovInfo.category).all())
    by_year = {int(y): n for y, n in facets_query.filter(GovInfo.published_on.isnot(None))
               .with_entities(workflow.year_of_publication(), sa.func.count())
               .group_by(workflow.year_of_publication()).all()}
    offset = int(data.get("offset", 0) or 0)
    limit = min(int(data.get("limit", 20) or 20), 100)
    return {"count": len(results), "results": results[offset:offset + limit],
            "sort": sort,
            # relevance asked (or the default with a search text) but Solr did not answer
            "relevance_unavailable": asked == "relevance" and sort != "relevance"
            and bool(data.get("q")),
            "late_count": sum(1 for r in results if r["late"] or r["overdue"]),
            "facets": {"category": {c: by_category.get(c, 0) for c in codes.codes("category")},
                       "year": dict(sorted(by_year.items(), reverse=True))}}
