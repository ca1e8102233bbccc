"""The showcase of uses (数据应用, Art 29): applications, reports, visualisations and research
built on open data. A signed-in user submits an entry (title, description, type, link,
picture, the organisation behind it, the datasets it cites); supervisors publish it or
return it with a reason; its submitter edits a returned entry (back to review) and may
withdraw it; supervisors may withdraw a published one with a reason. A grantee can turn a
submitted usage report (Art 24) into an entry, with their consent. Published entries are
public and listed on the pages of the datasets they cite; the submitting person is not
public (supervisors see who it was).

    submitted ─publish→ published ─withdraw→ withdrawn
        │ └──return→ returned ─update→ submitted
        └──────withdraw (submitter)──────→ withdrawn

Here: the code lists, the transitions and an entry as a dict (who sees what); the actions
are in ``action.py``, their auth functions in ``auth.py``, the notices in ``notices.py``.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import roles, vocab
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.showcase.model import Showcase, ShowcaseDataset, ShowcaseEvent
from ckanext.lyg_opendata.vocab import Term

_ = tk._

TYPES = [
    Term("app", "应用程序", "Application"),
    Term("report", "研究报告", "Report"),
    Term("visualisation", "可视化", "Visualisation"),
    Term("research", "学术研究", "Research"),
    Term("service", "公共服务", "Public service"),
]
STATUSES = [
    Term("submitted", "待审核", "Waiting for review"),
    Term("published", "已发布", "Published"),
    Term("returned", "已退回", "Returned"),
    Term("withdrawn", "已撤下", "Withdrawn"),
]
EVENTS = [
    Term("create", "提交数据应用", "Submitted"),
    Term("update", "修改后重新提交", "Changed and submitted again"),
    Term("publish", "审核通过并发布", "Published"),
    Term("return", "退回修改", "Returned"),
    Term("withdraw", "撤下", "Withdrawn"),
]
CODES = vocab.CodeLists({"type": TYPES, "status": STATUSES, "event": EVENTS})
label, choices = CODES.label, CODES.choices
MAX_DATASETS = 20

TRANSITIONS = shared.Transitions({
    "update": (frozenset({"submitted", "returned"}), "submitted"),
    "publish": (frozenset({"submitted"}), "published"),
    "return": (frozenset({"submitted"}), "returned"),
    "withdraw": (frozenset({"submitted", "returned", "published"}), "withdrawn"),
}, status_label=lambda code: label("status", code),
   action_label=lambda code: label("event", code),
   refused=N_("A showcase entry that is %(status)s cannot be %(action)s"))


def get(showcase_id) -> Showcase:
    return shared.find(Showcase, showcase_id, _("Showcase entry not found"))


def is_submitter(user, row: Showcase) -> bool:
    u = roles._user(user)
    return bool(u and row.submitted_by == u.id)


def _citable(pkg: Optional[model.Package]) -> bool:
    """A dataset the public can see: active, public, published and not 非开放."""
    return bool(pkg and pkg.type == "dataset" and pkg.state == "active" and not pkg.private
                and pkg.extras.get("review_status") == "published"
                and pkg.extras.get("open_type") != "non_open")



def _cited(showcase_ids: list[str]) -> dict[str, list[model.Package]]:
    """The datasets each entry cites, by title, for several entries in one query."""
    out: dict[str, list[model.Package]] = {i: [] for i in showcase_ids}
    for showcase_id, pkg in model.Session.query(ShowcaseDataset.showcase_id, model.Package).join(
            model.Package, ShowcaseDataset.package_id == model.Package.id).filter(
            ShowcaseDataset.showcase_id.in_(showcase_ids)).order_by(model.Package.title):
        out[showcase_id].append(pkg)
    return out


def showcase_dict(row: Showcase, user, events: bool = True,
                  pkgs: Optional[list[model.Package]] = None) -> dict[str, Any]:
    insider = roles.is_supervisor(user)
    if pkgs is None:
        pkgs = _cited([row.id])[row.id]
    image = tk.h.url_for_static(f"uploads/showcase/{row.image_url}", qualified=True) \
        if row.image_url else None
    out = {"id": row.id, "title": row.title, "description": row.description,
           "type": row.type, "type_label": label("type", row.type), "url": row.url,
           "image_display_url": image,
           "organization_name": row.organization_name,
           "status": row.status, "status_label": label("status", row.status),
           "published_at": row.published_at.isoformat() if row.published_at else None,
           "created": row.created.isoformat(),
           "datasets": [{"id": p.id, "name": p.name, "title": p.title or p.name}
                        for p in pkgs if _citable(p) or insider or is_submitter(user, row)],
           "own": is_submitter(user, row)}
    if insider or out["own"]:
        out["review_note"] = row.review_note
        out["from_usage_report"] = bool(row.usage_report_id)
    if insider:
        author = model.Session.get(model.User, row.submitted_by) if row.submitted_by else None
        out["submitted_by"] = (author.fullname or author.name) if author else None
    if events and (insider or out["own"]):
        rows = model.Session.query(ShowcaseEvent).filter(
            ShowcaseEvent.showcase_id == row.id).order_by(ShowcaseEvent.created, ShowcaseEvent.id)
        out["events"] = [{"action": e.action, "action_label": label("event", e.action),
                          "text": e.text, "created": e.created.isoformat()} for e in rows]
    return out


