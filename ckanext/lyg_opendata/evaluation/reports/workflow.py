"""The states of a yearly evaluation report, its ``Transitions`` table and its events (the
shared workflow shape, ``ckanext.lyg_opendata.workflow``)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.evaluation.model import EvaluationReport, EvaluationReportEvent
from ckanext.lyg_opendata.i18n import N_
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


def status_label(code: Optional[str]) -> str:
    return CODES.label("status", code)


def action_label(code: Optional[str]) -> str:
    return _(ACTIONS[code]) if code in ACTIONS else (code or "")


def get(report_id: Any) -> EvaluationReport:
    return shared.find(EvaluationReport, report_id, _("Evaluation report not found"))


def record(row: EvaluationReport, context, action: str, before: Optional[str],
           text: Optional[str] = None) -> None:
    shared.record(EvaluationReportEvent, report_id=row.id,
                  actor_id=shared.actor_id(context.get("user")), action=action,
                  from_status=before, to_status=row.status, text=text)
