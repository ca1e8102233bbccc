"""Ratings and comments (评价, Art 18, 25): 1–5 on 数据质量, 更新及时 and 易用性 with an optional
comment; one rating per user and dataset (editable). Comments pass the objections' word
filter; supervisors hide a comment with a reason; the dataset's agency answers publicly. The
dataset's average and count are in the search index (``rating_average``, ``rating_count``:
fixed-width text, so the index sorts them as numbers)."""
from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.participation import schema
from ckanext.lyg_opendata.participation.model import Rating
from ckanext.lyg_opendata.vocab import Term

log = logging.getLogger(__name__)
_ = tk._

DIMENSIONS = [
    Term("quality", "数据质量", "Data quality"),
    Term("timeliness", "更新及时", "Timeliness"),
    Term("usability", "易用性", "Ease of use"),
]
DIMENSION_CODES = [t.code for t in DIMENSIONS]
AVERAGE_FIELD = "rating_average"
COUNT_FIELD = "rating_count"

__all__ = [
    "lyg_opendata_rating_rate",
    "lyg_opendata_rating_list",
    "lyg_opendata_rating_hide",
    "lyg_opendata_rating_answer",
]


def _published(pkg: model.Package) -> bool:
    return pkg.state == "active" and not pkg.private and \
        pkg.extras.get("review_status") == "published"


def _package(id_or_name) -> model.Package:
    pkg = model.Package.get(id_or_name) if isinstance(id_or_name, str) and id_or_name else None
    if pkg is None or pkg.state != "active" or pkg.type != "dataset":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return pkg


def get(rating_id: str) -> Rating:
    return shared.find(Rating, rating_id, _("Rating not found"))


def summary(package_id: str) -> dict[str, Any]:
    """Average of each dimension, the overall average (of the three) and the count."""
    cols = [sa.func.avg(getattr(Rating, code)) for code in DIMENSION_CODES]
    row = model.Session.query(sa.func.count(Rating.id), *cols).filter(
        Rating.package_id == package_id).one()
    count = row[0] or 0
    out: dict[str, Any] = {"count": count, "dimensions": []}
    values = []
    for term, avg in zip(DIMENSIONS, row[1:]):
        value = round(float(avg), 1) if avg is not None else None
        values.append(float(avg) if avg is not None else None)
        out["dimensions"].append({"code": term.code, "label": term.label(), "average": value})
    out["average"] = round(sum(values) / len(values), 1) if count else None
    out["average_exact"] = sum(values) / len(values) if count else None
    return out


def rating_dict(row: Rating, user) -> dict[str, Any]:
    """A rating as ``user`` may see it: the author's name (never contact details); a hidden
    comment only for supervisors and its author."""
    author = model.Session.get(model.User, row.user_id)
    me = roles._user(user)
    own = bool(me and me.id == row.user_id)
    insider = roles.is_supervisor(user)
    show_comment = not row.hidden or own or insider
    out = {"id": row.id, "package_id": row.package_id,
           "author": (author.fullname or author.name) if author else "",
           "own": own,
           "scores": {code: getattr(row, code) for code in DIMENSION_CODES},
           "comment": row.comment if show_comment else None,
           "hidden": bool(row.hidden),
           "hidden_reason": row.hidden_reason if (own or insider) else None,
           "answer_text": row.answer_text, "answered_at": row.answered_at.isoformat()
           if row.answered_at else None,
           "created": row.created.isoformat(), "modified": row.modified.isoformat()}
    return out


def reindex(package_id: str) -> None:
    from ckan.logic import index_update_package
    try:
        index_update_package({"model": model, "ignore_auth": True, "validate": False,
                              "use_cache": False}, package_id)
    except Exception:  # the page reads the table; search catches up at the next index
        log.exception("could not re-index dataset %s after a rating", package_id)


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``rating_average`` ("4.33") and ``rating_count`` ("000012") for sorting; the result's
    stored JSON carries the numbers for the dataset list."""
    pkg_dict.pop(AVERAGE_FIELD, None)
    pkg_dict.pop(COUNT_FIELD, None)
    if not pkg_dict.get("id"):
        return pkg_dict
    s = summary(pkg_dict["id"])
    if s["count"]:
        pkg_dict[AVERAGE_FIELD] = "%.2f" % s["average_exact"]
        pkg_dict[COUNT_FIELD] = "%06d" % s["count"]
    for key in ("data_dict", "validated_data_dict"):
        raw = pkg_dict.get(key)
        if isinstance(raw, str) and raw:
            stored = json.loads(raw)
            if isinstance(stored, dict):
                stored[AVERAGE_FIELD] = s["average"]
                stored[COUNT_FIELD] = s["count"]
                pkg_dict[key] = json.dumps(stored)
    return pkg_dict


def without_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    pkg_dict.pop(AVERAGE_FIELD, None)
    pkg_dict.pop(COUNT_FIELD, None)
    return pkg_dict


# --- actions -------------------------------------------------------------------------------

def lyg_opendata_rating_rate(context, data_dict):
    """Rate a published dataset (logged-in users); a second call edits one's rating.

    :param package_id: the dataset (id or name)
    :param quality: 1–5 (数据质量)
    :param timeliness: 1–5 (更新及时)
    :param usability: 1–5 (易用性)
    :param comment: optional (public; word filter; supervisors may hide it)
    :returns: the rating
    """
    data = schema.validate(data_dict, schema.rating_schema())
    pkg = _package(data["package_id"])
    tk.check_access("lyg_opendata_rating_rate", context, {"package_id": pkg.id})
    if not _published(pkg):
        raise tk.ValidationError({"package_id": [_("Only published datasets can be rated")]})
    user = roles._user(context.get("user"))
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                          {"k": f"lyg_opendata_rating:{pkg.id}:{user.id}"})
    row = model.Session.query(Rating).filter(Rating.package_id == pkg.id,
                                             Rating.user_id == user.id).one_or_none()
    if row is None:
        row = Rating(package_id=pkg.id, user_id=user.id)
        model.Session.add(row)
    for code in DIMENSION_CODES:
        setattr(row, code, data[code])
    comment = (data.get("comment") or "").strip() or None
    if comment != row.comment:
        row.comment = comment
        row.hidden, row.hidden_reason, row.hidden_by = False, None, None
    row.modified = shared.utcnow()
    model.Session.flush()
    shared.commit(context)
    reindex(pkg.id)
    return rating_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_rating_list(context, data_dict):
    """A dataset's ratings (newest first) and their summary.

    :param package_id: the dataset (id or name)
    :returns: ``{"summary": {count, average, dimensions}, "results": [...], "mine"}``
    """
    data = schema.validate(data_dict, {"package_id": [schema.v("not_empty"), schema.is_text,
                                                      schema.v("unicode_safe")]})
    pkg = _package(data["package_id"])
    tk.check_access("lyg_opendata_rating_list", context, {"package_id": pkg.id})
    user = context.get("user")
    rows = model.Session.query(Rating).filter(Rating.package_id == pkg.id).order_by(
        Rating.modified.desc(), Rating.id)
    results = [rating_dict(r, user) for r in rows]
    return {"summary": summary(pkg.id), "results": results,
            "mine": next((r for r in results if r["own"]), None)}


def lyg_opendata_rating_hide(context, data_dict):
    """Supervisors hide a rating's comment, with a reason (the scores still count).

    :param id: the rating's id
    :param reason: why (required)
    """
    data = schema.validate(data_dict, schema.reason_schema())
    get(data["id"])
    tk.check_access("lyg_opendata_rating_hide", context, data)
    row = shared.locked(Rating, data["id"], _("Rating not found"))
    if row.hidden:
        shared.fail("id", _("This comment is hidden already"))
    row.hidden, row.hidden_reason = True, data["reason"]
    row.hidden_by = shared.actor_id(context.get("user"))
    shared.commit(context)
    return rating_dict(row, context.get("user"))


def lyg_opendata_rating_answer(context, data_dict):
    """The dataset's agency answers a rating in public (again: replaces the answer).

    :param id: the rating's id
    :param text: the answer
    """
    data = schema.validate(data_dict, schema.reason_schema("text"))
    get(data["id"])
    tk.check_access("lyg_opendata_rating_answer", context, data)
    row = shared.locked(Rating, data["id"], _("Rating not found"))
    row.answer_text = data["text"]
    row.answered_by = shared.actor_id(context.get("user"))
    row.answered_at = shared.utcnow()
    shared.commit(context)
    return rating_dict(row, context.get("user"))


@shared.after("lyg_opendata_rating_answer")
def after_answer(context, data_dict, result) -> None:
    """The author hears of the agency's answer."""
    from ckanext.lyg_opendata import notify
    row = model.Session.get(Rating, (result or {}).get("id") or "")
    pkg = model.Session.get(model.Package, row.package_id) if row else None
    if row is None or pkg is None:
        return
    subject = _("The data-opening body answered your rating of %s") % (pkg.title or pkg.name)
    notify.notify_users([model.Session.get(model.User, row.user_id)], subject, subject,
                        link=tk.url_for("lyg_opendata_participation.ratings", id=pkg.name,
                                        _external=True), commit=False)
