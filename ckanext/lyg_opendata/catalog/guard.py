"""The catalog guard: chained core actions that keep review fields server-managed.

No create, update, patch, resource change or bulk call makes an unreviewed dataset
public. On a published dataset, a change that makes it more open or changes its data
items is held for review (the public keeps the approved values); a change that makes it
less open takes effect at once and is recorded for supervisors.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from sqlalchemy.exc import IntegrityError

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.lyg_opendata import notify, vocab
from ckanext.lyg_opendata.catalog import review

_ = tk._

SERVER_FIELDS = ("review_status", "issued", "desensitized")
OPEN_FIELDS = ("open_type", "open_conditions", "non_open_basis", "non_open_reason")
ITEM_FIELDS = ("name_zh", "code", "type", "description", "sensitive")
RESOURCE_CODE_INDEX = "lyg_opendata_resource_code_uniq"


def _save(next_, context, data_dict):
    """Run the core action; a 资源代码 taken by a simultaneous request (the database's
    unique index, migration 0003) becomes the same field error the validator gives."""
    try:
        return next_(context, data_dict)
    except IntegrityError as e:
        model.Session.rollback()
        if RESOURCE_CODE_INDEX in str(e.orig):
            raise tk.ValidationError({"resource_code": [
                _("The resource code %s is already used by another dataset")
                % data_dict.get("resource_code")]})
        raise


def _check_resource_urls(data_dict: dict[str, Any]) -> None:
    """A resource address Python cannot parse (``http://s[``: an unclosed IPv6 bracket)
    would stop CKAN's uploader, before validation, with an error: a field error instead,
    one dict per resource as ``resource_update`` expects it."""
    from urllib.parse import urlparse
    resources = data_dict.get("resources")
    if not isinstance(resources, list):
        return
    errors: list[dict[str, Any]] = []
    for res in resources:
        url = res.get("url") if isinstance(res, dict) else None
        problem = {}
        if isinstance(url, str):
            try:
                urlparse(url)
            except ValueError:
                problem = {"url": [_("This is not a valid web address")]}
        errors.append(problem)
    if any(errors):
        raise tk.ValidationError({"resources": errors})


def _bool(value: Any) -> Optional[bool]:
    if value is None or value is missing or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")


_ITEM_TEXT = ("name_zh", "code", "description")


def _expand_form(data_dict: dict[str, Any]) -> None:
    """Form posts carry data items as data_items-0-code …; turn them into a list now so
    that the guard compares like with like (scheming does the same during validation),
    and drop the rows left empty in the form (nothing typed into their text fields; the
    selects always carry a default)."""
    from ckanext.scheming.plugins import expand_form_composite
    expand_form_composite(data_dict, {"data_items"})
    items = data_dict.get("data_items")
    if isinstance(items, list):
        data_dict["data_items"] = [
            i for i in items
            if not isinstance(i, dict) or any(str(i.get(k) or "").strip() for k in _ITEM_TEXT)]


def normalized_items(items: Any) -> list[dict[str, str]]:
    if isinstance(items, str):
        try:
            items = json.loads(items)
        except ValueError:
            items = []
    rows = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        row = {k: str(item.get(k) or "").strip() for k in ITEM_FIELDS}
        if any(row.values()):
            rows.append(row)
    return rows


def _check_server_fields(data_dict: dict[str, Any], current: dict[str, Any]) -> None:
    errors = {}
    for field in SERVER_FIELDS:
        if field in data_dict and data_dict[field] not in (None, "", current.get(field)):
            if field == "desensitized" and _bool(data_dict[field]) == _bool(current.get(field)):
                continue
            errors[field] = [_("This field is set by the review workflow and cannot be changed "
                               "directly (Art 12)")]
    if errors:
        raise tk.ValidationError(errors)


def _check_private(data_dict: dict[str, Any], current_private: bool, derived: bool) -> None:
    requested = _bool(data_dict.get("private"))
    if requested is None or requested == current_private:
        return
    if requested != derived:
        if requested is False:
            msg = _("A dataset becomes public only when its review has approved it and it is "
                    "not non-open (Art 6, 12)")
        else:
            msg = _("A published dataset is taken off the public catalog by withdrawing it, "
                    "with a reason")
        raise tk.ValidationError({"private": [msg]})


def _check_owner(context, data_dict: dict[str, Any], creating: bool) -> None:
    """Every dataset belongs to a data-opening body (an organization): the guard makes it
    private until review, so without one core would refuse it on ``private``, a field the
    client never sent. Refuse it on ``owner_org``, the field that is missing."""
    if creating and data_dict.get("type") not in (None, "", "dataset"):
        return
    if (creating or "owner_org" in data_dict) and not data_dict.get("owner_org"):
        # who may not create or edit learns nothing about the rules (403 first)
        tk.check_access("package_create" if creating else "package_update", context, data_dict)
        raise tk.ValidationError({"owner_org": [
            _("Choose the data-opening body (organization) this dataset belongs to")]})


@tk.chained_action
def package_create(next_, context, data_dict):
    # who may not write learns nothing of the rules below (core checks again)
    tk.check_access("package_create", context, data_dict)
    _check_resource_urls(data_dict)
    if context.get(review.INTERNAL):
        return next_(context, data_dict)
    _check_owner(context, data_dict, creating=True)
    _check_server_fields(data_dict, {})
    _check_private(data_dict, True, True)
    _expand_form(data_dict)
    status = review.initial_status(context)
    data_dict["review_status"] = status
    data_dict["private"] = True
    for field in ("issued", "desensitized"):
        data_dict.pop(field, None)
    result = _save(next_, context, data_dict)
    if status == "pending":
        # the entry exists only once package_create has committed it; the import event
        # follows in its own small transaction
        package_id = result if isinstance(result, str) else result["id"]
        review.record(package_id, context, "import", None, "pending")
        model.repo.commit()
    return result


@tk.chained_action
def package_update(next_, context, data_dict):
    # who may not write learns nothing of the rules below (core checks again)
    tk.check_access("package_update", context, data_dict)
    _check_resource_urls(data_dict)
    if context.get(review.INTERNAL):
        return next_(context, data_dict)
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if pkg is None or pkg.type != "dataset":
        return next_(context, data_dict)
    current = review.current_values(pkg)
    status = current["review_status"]
    _check_owner(context, data_dict, creating=False)
    _check_server_fields(data_dict, current)
    _expand_form(data_dict)

    held: dict[str, Any] = {}
    before: dict[str, Any] = {}
    reduced = None
    new_type = data_dict.get("open_type", current.get("open_type"))
    if status == "published":
        _check_new_files(data_dict, pkg)
        old_rank = vocab.OPEN_RANK.get(current.get("open_type"), 0)
        new_rank = vocab.OPEN_RANK.get(new_type, old_rank)
        if new_rank > old_rank:
            for field in OPEN_FIELDS:
                held[field] = data_dict.get(field)
                before[field] = current.get(field)
                _restore(data_dict, field, current.get(field))
            new_type = current.get("open_type")
        elif new_rank < old_rank:
            reduced = (current.get("open_type"), new_type)
        if "data_items" in data_dict and \
                normalized_items(data_dict["data_items"]) != normalized_items(current.get("data_items")):
            held["data_items"] = normalized_items(data_dict["data_items"])
            before["data_items"] = normalized_items(current.get("data_items"))
            data_dict["data_items"] = before["data_items"]

    derived = review.derived_private(status, new_type)
    _check_private(data_dict, pkg.private, derived)
    for field in SERVER_FIELDS:
        _restore(data_dict, field, current.get(field))
    data_dict["private"] = derived

    # added to the session now: package_update commits them with the dataset, or its
    # validation error rolls them back with it
    if held:
        review.hold_change(pkg.id, context, held, before)
    if reduced:
        review.record(pkg.id, context, "open_type_reduced", status, status,
                      data={"before": reduced[0], "after": reduced[1]})
    try:
        result = _save(next_, context, data_dict)
    except Exception:
        model.Session.rollback()
        raise
    if held or reduced:
        # core returns early without committing when the dataset itself is unchanged
        # (only the held fields differed): commit the held change in that case too
        model.repo.commit()
    if held:
        notify.notify_change_held(pkg.id)
    return result


def _restore(data_dict: dict[str, Any], field: str, value: Any) -> None:
    if value in (None, ""):
        data_dict.pop(field, None)
    else:
        data_dict[field] = value


def _check_new_files(data_dict: dict[str, Any], pkg: model.Package) -> None:
    """Art 14: every new or replaced data file on a published dataset comes with the
    desensitisation confirmation."""
    if "resources" not in data_dict:
        return
    existing = {r.id: r.url for r in pkg.resources}
    errors = []
    failed = False
    for res in data_dict["resources"] or []:
        res_id = res.get("id")
        is_new = not res_id or res_id not in existing
        replaced = not is_new and (res.get("url") or "") != (existing[res_id] or "") \
            and res.get("url") not in (None, "")
        if (is_new or replaced) and not _bool(res.get("desensitized")):
            errors.append({"desensitized": [
                _("Confirm that the data file has been desensitised (Art 14)")]})
            failed = True
        else:
            errors.append({})
    if failed:
        raise tk.ValidationError({"resources": errors})


def _check_bulk(context, data_dict, make_public: bool) -> None:
    ids = data_dict.get("datasets") or []
    errors = []
    for pkg_id in ids:
        pkg = model.Package.get(pkg_id)
        if pkg is None:
            continue
        current = review.current_values(pkg)
        derived = review.derived_private(current["review_status"], current.get("open_type"))
        if make_public and derived:
            errors.append(pkg.name)
        if not make_public and not derived:
            errors.append(pkg.name)
    if errors:
        msg = (_("Only datasets whose review has approved them can be made public: %s")
               if make_public else
               _("Published datasets are taken off the public catalog by withdrawing them, "
                 "with a reason: %s"))
        raise tk.ValidationError({"datasets": [msg % ", ".join(errors)]})


@tk.chained_action
def bulk_update_public(next_, context, data_dict):
    if not context.get(review.INTERNAL):
        _check_bulk(context, data_dict, True)
    return next_(context, data_dict)


@tk.chained_action
def bulk_update_private(next_, context, data_dict):
    if not context.get(review.INTERNAL):
        _check_bulk(context, data_dict, False)
    return next_(context, data_dict)
