"""Review before publication (Art 12): the state machine and its transitions.

States: draft → pending → published, or pending → returned (with a reason) → pending…;
published → withdrawn (with a reason) → pending. A dataset is public only when published
and not non-open.

The shared shape (``ckanext.lyg_opendata.workflow``): each transition locks the dataset row,
checks the move against ``TRANSITIONS``, records the event and writes the dataset — a
transition its status fields only (``_narrow_patch``: index, the plugins' update hooks and
activity as ``package_update`` has them), an approved held change through core's
``package_update`` (``_patch``) — and commits, so the event, the held change and the dataset
land in one transaction. The notifications follow from
the action's success signal (``notify_after``): a failing mail never turns a committed
decision into an error. Scripts (harvester, scan, demo) call the actions, not these helpers.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any, Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan import logic
from ckan.plugins import IPackageController, PluginImplementations

from ckanext.lyg_opendata import events as events_shape
from ckanext.lyg_opendata import notify, roles, vocab
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.catalog.model import PendingChange, ReviewEvent
from ckanext.lyg_opendata.workdays.calendar import today_beijing

_ = tk._

INTERNAL = "lyg_opendata_internal"

# action -> (states it may start from, state it leads to); one table, tested exhaustively
TRANSITIONS = shared.Transitions({
    "submit": (frozenset({"draft", "returned", "withdrawn"}), "pending"),
    "approve": (frozenset({"pending"}), "published"),
    "return": (frozenset({"pending"}), "returned"),
    "withdraw": (frozenset({"published"}), "withdrawn"),
}, status_label=lambda code: vocab.label("review_status", code),
   action_label=lambda code: action_label(code),
   refused=N_("A dataset that is %(status)s cannot be %(action)s"), field="review_status")


# Checks that other domains register (``fn(package_id, action)``, raising a ValidationError):
# the catalog does not import them, they import the catalog
TRANSITION_CHECKS: list[Callable[[str, str], None]] = []


def derived_private(status: str, open_type: Optional[str]) -> bool:
    """Public only when published and not non-open (Art 6, 12)."""
    return not (status == "published" and open_type != "non_open")


def initial_status(context: dict[str, Any]) -> str:
    """New entries start as drafts; entries imported by a harvest (the site user, without
    a person behind the request) wait for review straight away."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return "pending" if context.get("user") == site_user and context.get("ignore_auth") else "draft"


def current_values(pkg: model.Package) -> dict[str, Any]:
    extras = pkg.extras
    values: dict[str, Any] = {k: extras.get(k) for k in (
        "review_status", "issued", "desensitized", "open_type", "open_conditions",
        "non_open_basis", "non_open_reason")}
    values["review_status"] = values["review_status"] or "draft"
    try:
        values["data_items"] = json.loads(extras.get("data_items") or "[]")
    except ValueError:
        values["data_items"] = []
    return values


def _user_id(context: dict[str, Any]) -> Optional[str]:
    return shared.actor_id(context.get("user"))


def record(package_id: str, context: dict[str, Any], action: str, from_status: Optional[str],
           to_status: Optional[str], reason: Optional[str] = None,
           data: Optional[dict] = None) -> ReviewEvent:
    """The review event (flushed; committed with the dataset by the action)."""
    return shared.record(ReviewEvent, package_id=package_id, actor_id=_user_id(context),
                         action=action, from_status=from_status, to_status=to_status,
                         reason=reason, data=data)


def hold_change(package_id: str, context: dict[str, Any], proposed: dict, before: dict) -> None:
    change = model.Session.get(PendingChange, package_id)
    if change is None:
        change = PendingChange(package_id=package_id, proposed=proposed, before=before)
        model.Session.add(change)
    else:  # a newer edit replaces the one still waiting
        change.proposed = {**change.proposed, **proposed}
        change.before = {**before, **change.before}
        change.submitted_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    change.submitted_by = _user_id(context)
    record(package_id, context, "change_held", "published", "published",
           data={"fields": sorted(proposed)})


def lock(package_id: str) -> model.Package:
    """The dataset (by id or name), locked for this transaction."""
    # the id only: an entity loaded before the lock would keep its unlocked (stale) values
    found = model.Session.query(model.Package.id).filter(
        (model.Package.id == package_id) | (model.Package.name == package_id)
    ).scalar() if package_id and isinstance(package_id, str) else None
    pkg = shared.locked(model.Package, found, _("Dataset not found"))
    if pkg.state == "deleted" or pkg.type != "dataset":
        model.Session.rollback()
        raise tk.ObjectNotFound(_("Dataset not found"))
    return pkg


def last_submitter(package_id: str) -> Optional[str]:
    event = model.Session.query(ReviewEvent).filter(
        ReviewEvent.package_id == package_id,
        ReviewEvent.action.in_(["submit", "import"])).order_by(ReviewEvent.created.desc()).first()
    return event.actor_id if event else None


def _patch(context: dict[str, Any], pkg: model.Package, changes: dict[str, Any]) -> dict:
    """Write the dataset through core's ``package_update``, which commits the session (and
    indexes the dataset and records its activity), so everything added before (events, held
    changes) lands in the same transaction, under the row lock. Core's ``package_update`` does
    not compose under ``defer_commit`` in 2.12 (it drops its savepoint unless it returns the
    id only, and then it neither indexes nor records the activity), so the review's writes
    commit here.

    The reviewer (a supervisor) may not use conditional data: the dataset is read for the
    update with the extension's explicit full-data key (``redaction.FULL_DATA``: the
    addresses must be written back unchanged), and what is returned is what ``package_show``
    gives the reviewer."""
    from ckanext.lyg_opendata.access import redaction
    ctx = {"user": context.get("user"), "ignore_auth": True, INTERNAL: True,
           "model": model, "session": model.Session}
    try:
        current = tk.get_action("package_show")(
            redaction.full_data_context(user=context.get("user")), {"id": pkg.id})
        patched = dict(current)
        patched.pop("metadata_modified", None)
        patched.update(changes)
        patched["id"] = current["id"]
        tk.get_action("package_update")(
            dict(ctx, original_package=current, return_id_only=True), patched)
    except Exception:
        model.Session.rollback()
        raise
    return shown_to(context, pkg.id)


# what a review transition changes: the row's ``private`` and server-managed extras only
NARROW_FIELDS = frozenset({"review_status", "private", "issued", "desensitized"})


def _narrow_patch(context: dict[str, Any], pkg: model.Package, changes: dict[str, Any]) -> dict:
    """A transition's write without a second full ``package_update``: it changes only the
    row's ``private`` and server-managed extras (``NARROW_FIELDS``, never validated from
    input: ``lyg_opendata_server_managed``), so nothing is read back for an update nor
    validated again. What ``package_update`` does after its save is done the same way core
    does it: the plugins' ``IPackageController.edit`` and ``after_dataset_update`` hooks are
    called (with the dataset as shown), the index is updated from
    ``package_show_default_and_custom_schemas`` (the permission labels follow ``private``),
    the session is committed (with the event, under
    the row lock), and ``action_succeeded`` is sent for ``package_update`` with the dataset
    in ``changed_entities``, so core's activity plugin records the "changed package" snapshot
    as for any update. The answer is the custom-schema dict core's ``package_update`` would
    return, shown with the caller's rights (redacted for who may not use the data)."""
    ctx = {"user": context.get("user"), "ignore_auth": True, INTERNAL: True,
           "model": model, "session": model.Session}
    try:
        extras = dict(pkg.extras or {})
        for key, value in changes.items():
            if key == "private":
                pkg.private = bool(value)
            else:
                extras[key] = str(value)
        pkg.extras = extras
        pkg.metadata_modified = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        model.Session.flush()
        shown_default, shown_custom = logic.package_show_default_and_custom_schemas(ctx, pkg.id)
        # the update hooks of the loaded plugins, as package_update calls them after its save
        for plugin in PluginImplementations(IPackageController):
            plugin.edit(pkg)
            plugin.after_dataset_update(ctx, copy.deepcopy(shown_custom))
        if model.Session.dirty or model.Session.new:  # a hook wrote: index what it wrote
            model.Session.flush()
            shown_default, shown_custom = logic.package_show_default_and_custom_schemas(
                ctx, pkg.id)
        result = copy.deepcopy(shown_custom)
        logic.index_update_package_dicts((shown_default, shown_custom))
        model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    ctx["changed_entities"] = {"packages": {pkg.id}}
    tk.signals.action_succeeded.send("package_update", context=ctx, data_dict={"id": pkg.id},
                                     result=pkg.id)
    return result


def shown_to(context: dict[str, Any], package_id: str) -> dict:
    """The dataset as ``package_show`` gives it to the caller (redacted for whoever may not
    use its data)."""
    return tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": True, "model": model,
         "session": model.Session}, {"id": package_id})


def transition(context: dict[str, Any], package_id: str, action: str,
               reason: Optional[str] = None, confirm_desensitized: bool = False) -> dict:
    """Move a dataset's review; raises ValidationError when the move is not allowed."""
    pkg = lock(package_id)
    current = current_values(pkg)
    status = current["review_status"]
    target = TRANSITIONS.target(action, status)
    # what other domains check first (data.scan, Art 14: open personal-data findings hold
    # back submission and approval)
    for check in TRANSITION_CHECKS:
        check(pkg.id, action)
    changes: dict[str, Any] = {"review_status": target,
                               "private": derived_private(target, current.get("open_type"))}
    if action == "submit":
        changes["desensitized"] = "True"
    if action == "approve" and not current.get("issued"):
        # 发布日期 is the day in Beijing (a day ends at 24:00 Beijing time)
        changes["issued"] = today_beijing().isoformat()
    record(pkg.id, context, action, status, target, reason=reason,
           data={"desensitized": True} if confirm_desensitized else None)
    if action == "withdraw":
        model.Session.query(PendingChange).filter(PendingChange.package_id == pkg.id).delete()
    return _narrow_patch(context, pkg, changes)


def decide_change(context: dict[str, Any], package_id: str, approve: bool,
                  reason: Optional[str] = None) -> dict:
    """Apply (approve) or discard (return) the held change of a published dataset."""
    pkg = lock(package_id)
    change = model.Session.get(PendingChange, pkg.id)
    if change is None:
        shared.fail("id", _("This dataset has no change waiting for review"))
    status = current_values(pkg)["review_status"]
    proposed = dict(change.proposed)
    record(pkg.id, context, "change_approved" if approve else "change_returned", status, status,
           reason=reason, data={"proposed": change.proposed, "before": change.before})
    model.Session.delete(change)
    result = None
    if approve:
        open_type = proposed.get("open_type") or current_values(pkg).get("open_type")
        proposed["private"] = derived_private(status, open_type)
        result = _patch(context, pkg, proposed)
    else:
        model.Session.flush()  # the action commits (``workflow.commit``)
    return result or shown_to(context, pkg.id)


# --- notifications, once an action has succeeded ------------------------------------------

_NOTIFIED = {"submit": "submit", "approve": "approve", "return": "return",
             "withdraw": "withdraw", "change_approve": "change_approved",
             "change_return": "change_returned"}


def _notify_after(event_action: str):
    def receiver(context, data_dict, result) -> None:
        package_id = (result or {}).get("id")
        if not package_id:
            return
        event = model.Session.query(ReviewEvent).filter(
            ReviewEvent.package_id == package_id, ReviewEvent.action == event_action).order_by(
            ReviewEvent.created.desc(), ReviewEvent.id.desc()).first()
        notify.review_transition(package_id, event_action, event.reason if event else None)
    receiver.__qualname__ = f"review.notify_after.{event_action}"
    return receiver


for _verb, _event_action in _NOTIFIED.items():
    shared.after(f"lyg_opendata_review_{_verb}")(_notify_after(_event_action))


def action_label(action: str) -> str:
    return {
        "submit": _("submitted for review"),
        "approve": _("approved"),
        "return": _("returned"),
        "withdraw": _("withdrawn"),
        "import": _("imported for review"),
        "change_held": _("change held for review"),
        "change_approved": _("change approved"),
        "change_returned": _("change returned"),
        "open_type_reduced": _("made less open"),
    }.get(action, action)


def event_dict(event: ReviewEvent) -> dict[str, Any]:
    return events_shape.event_dict(event, action_label, package_id=event.package_id)


def is_four_eyes_violation(user_name: str, package_id: str, for_change: bool = False) -> bool:
    user = model.User.get(user_name)
    if user is None:
        return True
    if for_change:
        change = model.Session.get(PendingChange, package_id)
        return bool(change and change.submitted_by == user.id)
    return last_submitter(package_id) == user.id


def can_review(user_name: Optional[str]) -> bool:
    return roles.is_supervisor(user_name)
