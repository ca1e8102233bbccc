"""Suggestions about the platform (意见建议, Art 18): signed-in users send one (category, text,
optional contact); the platform operator (``participation.operator_org``, 市信息中心) answers
or closes it; supervisors follow them all. Not public: the submitter, the operator's staff
and supervisors read a suggestion.

    submitted ─answer→ answered ─answer→ answered (a further answer)
        └────────close────────┘→ closed
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify, roles
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.objections import workflow as objections_workflow
from ckanext.lyg_opendata.participation import schema
from ckanext.lyg_opendata.participation.model import Suggestion, SuggestionEvent
from ckanext.lyg_opendata.vocab import CodeLists, Term

_ = tk._

CATEGORIES = [
    Term("platform", "平台功能", "Platform features"),
    Term("data", "数据内容", "Data content"),
    Term("service", "服务与支持", "Service and support"),
    Term("other", "其他", "Other"),
]
STATUSES = [
    Term("submitted", "待答复", "Waiting for an answer"),
    Term("answered", "已答复", "Answered"),
    Term("closed", "已关闭", "Closed"),
]
EVENTS = [
    Term("create", "提交意见建议", "Suggestion sent"),
    Term("answer", "答复", "Answered"),
    Term("close", "关闭", "Closed"),
]
_LISTS = CodeLists({"category": CATEGORIES, "status": STATUSES, "event": EVENTS})
label, choices = _LISTS.label, _LISTS.choices

TRANSITIONS = shared.Transitions({
    "answer": (frozenset({"submitted", "answered"}), "answered"),
    "close": (frozenset({"submitted", "answered"}), "closed"),
}, status_label=lambda code: label("status", code),
   action_label=lambda code: label("event", code),
   refused=N_("A suggestion that is %(status)s cannot be %(action)s"))

__all__ = [
    "lyg_opendata_suggestion_create",
    "lyg_opendata_suggestion_show",
    "lyg_opendata_suggestion_list",
    "lyg_opendata_suggestion_answer",
    "lyg_opendata_suggestion_close",
]


def operator_org() -> Optional[model.Group]:
    name = tk.config.get("ckanext.lyg_opendata.participation.operator_org")
    org = model.Group.get(name) if name else None
    return org if org is not None and org.state == "active" else None


def is_operator(user) -> bool:
    """Editors and admins of the platform operator (sysadmins too)."""
    u = roles._user(user)
    if u is None:
        return False
    if u.sysadmin:
        return True
    org = operator_org()
    return bool(org) and roles.is_agency_editor(user, org.id)


def get(suggestion_id: str) -> Suggestion:
    return shared.find(Suggestion, suggestion_id, _("Suggestion not found"))


def suggestion_dict(row: Suggestion, user, events: bool = True) -> dict[str, Any]:
    insider = is_operator(user) or roles.is_supervisor(user)
    author = model.Session.get(model.User, row.submitted_by) if row.submitted_by else None
    out = {"id": row.id, "category": row.category, "category_label": label("category", row.category),
           "text": row.text, "status": row.status, "status_label": label("status", row.status),
           "answer_text": row.answer_text,
           "answered_at": row.answered_at.isoformat() if row.answered_at else None,
           "created": row.created.isoformat(), "contact": row.contact,
           "submitted_by": (author.fullname or author.name) if author and insider else None}
    if events:
        rows = model.Session.query(SuggestionEvent).filter(
            SuggestionEvent.suggestion_id == row.id).order_by(SuggestionEvent.created,
                                                              SuggestionEvent.id)
        out["events"] = [{"action": e.action, "action_label": label("event", e.action),
                          "text": e.text, "created": e.created.isoformat()} for e in rows]
    return out


def _record(row: Suggestion, user, action: str, from_status, to_status, text=None) -> None:
    shared.record(SuggestionEvent, suggestion_id=row.id, actor_id=shared.actor_id(user),
                  action=action, from_status=from_status, to_status=to_status, text=text)


def lyg_opendata_suggestion_create(context, data_dict):
    """Send a suggestion about the platform (logged-in users; word filter and the hourly
    per-user limit of the objections apply).

    :param category: ``platform``, ``data``, ``service`` or ``other``
    :param text: the suggestion
    :param contact: how the operator may reach you (optional)
    """
    tk.check_access("lyg_opendata_suggestion_create", context, data_dict)
    v = schema.v
    data = schema.validate(data_dict, {
        "category": [v("not_empty"), schema.is_text, v("unicode_safe"), _LISTS.one_of("category")],
        "text": schema.text(minimum=None),
        "contact": [v("ignore_missing"), schema.is_text, v("unicode_safe"),
                    schema.max_length(200), schema.no_blocked_words]})
    user = roles._user(context.get("user"))
    if not context.get("ignore_auth"):
        objections_workflow.check_rate(Suggestion, Suggestion.submitted_by, None, user.id, None)
    row = Suggestion(category=data["category"], text=data["text"], contact=data.get("contact"),
                     submitted_by=user.id, status="submitted")
    model.Session.add(row)
    model.Session.flush()
    _record(row, user, "create", None, "submitted")
    shared.commit(context)
    return suggestion_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_suggestion_show(context, data_dict):
    """One suggestion (its submitter, the operator's staff, supervisors).

    :param id: the suggestion's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    row = get(data["id"])
    tk.check_access("lyg_opendata_suggestion_show", context, data)
    return suggestion_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_suggestion_list(context, data_dict):
    """Suggestions, newest first: all of them for the operator's staff and supervisors, one's
    own for everyone else.

    :param status: a status code (optional)
    """
    tk.check_access("lyg_opendata_suggestion_list", context, data_dict)
    v = schema.v
    data = schema.validate(data_dict, {"status": [v("ignore_missing"), schema.is_text,
                                                  v("unicode_safe"), _LISTS.one_of("status")]})
    user = context.get("user")
    query = model.Session.query(Suggestion)
    if not (is_operator(user) or roles.is_supervisor(user)):
        me = roles._user(user)
        query = query.filter(Suggestion.submitted_by == (me.id if me else None))
    if data.get("status"):
        query = query.filter(Suggestion.status == data["status"])
    rows = query.order_by(Suggestion.created.desc(), Suggestion.id).limit(500).all()
    return {"count": len(rows), "results": [suggestion_dict(r, user, events=False) for r in rows]}


def _transition(context, data_dict, verb: str, required: bool):
    data = schema.validate(data_dict, {**schema.id_schema(), "text": schema.text(required=required)})
    get(data["id"])
    tk.check_access(f"lyg_opendata_suggestion_{verb}", context, data)
    answer = {"answer_text": data["text"], "answered_at": shared.utcnow()} if verb == "answer" else {}
    row = shared.move(context, Suggestion, data["id"], _("Suggestion not found"), verb,
                      TRANSITIONS, _record, data.get("text"), **answer)
    return suggestion_dict(row, context.get("user"))


def lyg_opendata_suggestion_answer(context, data_dict):
    """The platform operator answers (again: a further answer replaces the shown one).

    :param id: the suggestion's id
    :param text: the answer
    """
    return _transition(context, data_dict, "answer", required=True)


def lyg_opendata_suggestion_close(context, data_dict):
    """Close a suggestion (the operator or supervisors), with an optional note.

    :param id: the suggestion's id
    :param text: note (optional)
    """
    return _transition(context, data_dict, "close", required=False)


@shared.after("lyg_opendata_suggestion_create")
def after_create(context, data_dict, result) -> None:
    org = operator_org()
    if not result or org is None:
        return
    subject = _("New suggestion about the platform: %s") % label("category", result.get("category"))
    notify.notify_users(notify.agency_staff(org.id), subject, subject,
                        link=tk.url_for("lyg_opendata_participation.suggestion_read",
                                        id=result["id"], _external=True), commit=False)


@shared.after("lyg_opendata_suggestion_answer")
def after_answer(context, data_dict, result) -> None:
    row = model.Session.get(Suggestion, (result or {}).get("id") or "")
    if row is None or not row.submitted_by:
        return
    subject = _("Your suggestion was answered")
    notify.notify_users([model.Session.get(model.User, row.submitted_by)], subject,
                        "\n".join([subject, row.answer_text or ""]),
                        link=tk.url_for("lyg_opendata_participation.suggestion_read",
                                        id=row.id, _external=True), commit=False)
