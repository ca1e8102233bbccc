"""The showcase's actions: submit, change, show, list, publish, return, withdraw
(``logic.py``: the code lists, the transitions, the entry as a dict)."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import uploader

from ckanext.lyg_opendata import roles, validation
from ckanext.lyg_opendata import workflow as shared
from ckanext.lyg_opendata.objections import workflow as objections_workflow
from ckanext.lyg_opendata.participation import schema
from ckanext.lyg_opendata.showcase import notices  # noqa: F401  (registers the notices)
from ckanext.lyg_opendata.showcase.logic import (CODES, MAX_DATASETS, TRANSITIONS, _citable,
                                                 _cited, get, is_submitter, showcase_dict)
from ckanext.lyg_opendata.showcase.model import Showcase, ShowcaseDataset, ShowcaseEvent

_ = tk._

__all__ = [
    "lyg_opendata_showcase_create",
    "lyg_opendata_showcase_update",
    "lyg_opendata_showcase_show",
    "lyg_opendata_showcase_list",
    "lyg_opendata_showcase_publish",
    "lyg_opendata_showcase_return",
    "lyg_opendata_showcase_withdraw",
]



def _entry_schema() -> dict:
    v = schema.v
    return {
        "title": schema.text(minimum=4, maximum=200),
        "description": schema.text(minimum=10, maximum=5000),
        "type": [v("not_empty"), schema.is_text, v("unicode_safe"), CODES.one_of("type")],
        "url": [v("ignore_missing"), schema.web_url],
        "organization_name": schema.text(minimum=2, maximum=200),
        "datasets": [v("not_empty"), schema.id_list],
        "usage_report_id": [v("ignore_missing"), schema.is_text, v("unicode_safe")],
        "consent": [v("ignore_missing"), validation.boolean],
    }


def _datasets(names: list[str]) -> list[model.Package]:
    """The cited datasets (each one the public can see), or a field error."""
    out: list[model.Package] = []
    for name in names:
        pkg = model.Package.get(name)
        if not _citable(pkg):
            raise tk.ValidationError({"datasets": [
                _("No published dataset is called %s") % name]})
        if pkg not in out:
            out.append(pkg)
    return out


def _picture(data_dict: dict, old: Optional[str] = None):
    """CKAN's uploader for the picture (``image_upload``; ``clear_upload`` removes it): the
    file type is checked by name, declared type and content (ckan.upload.showcase.*). The
    picture is only ever an uploaded file: a caller's ``image_url`` is not taken (no
    third-party address on the portal's pages). Returns (uploader, the file name or None)."""
    data_dict["image_url"] = old or ""
    upload = uploader.get_uploader("showcase", old)
    try:
        upload.update_data_dict(data_dict, "image_url", "image_upload", "clear_upload")
    except tk.ValidationError:  # core's message names the MIME type, untranslated
        raise tk.ValidationError({"image_upload": [
            _("The picture must be a PNG, JPEG, GIF or WebP image")]})
    return upload, (data_dict.pop("image_url", None) or None)


def _store(upload) -> None:
    try:
        upload.upload(uploader.get_max_image_size())
    except tk.ValidationError:
        model.Session.rollback()
        raise tk.ValidationError({"image_upload": [
            _("The picture is too large (at most %d MB)") % uploader.get_max_image_size()]})


def _record(row: Showcase, user, action: str, from_status, to_status, text=None) -> None:
    shared.record(ShowcaseEvent, showcase_id=row.id, actor_id=shared.actor_id(user),
                  action=action, from_status=from_status, to_status=to_status, text=text)


def _link(row: Showcase, pkgs: list[model.Package]) -> None:
    model.Session.query(ShowcaseDataset).filter(ShowcaseDataset.showcase_id == row.id).delete()
    for pkg in pkgs:
        model.Session.add(ShowcaseDataset(showcase_id=row.id, package_id=pkg.id))


def _usage_report(report_id: str, user) -> Any:
    """The caller's own submitted usage report (Art 24) and the dataset of its grant."""
    from ckanext.lyg_opendata.access.model import Grant, UsageReport
    report = model.Session.get(UsageReport, report_id)
    grant = model.Session.get(Grant, report.grant_id) if report else None
    me = roles._user(user)
    if report is None or grant is None or me is None or grant.user_id != me.id:
        raise tk.ValidationError({"usage_report_id": [_("Not a usage report of yours")]})
    if report.submitted_at is None:
        raise tk.ValidationError({"usage_report_id": [_("Submit the usage report first")]})
    if model.Session.query(Showcase.id).filter(Showcase.usage_report_id == report.id).first():
        raise tk.ValidationError({"usage_report_id": [
            _("This usage report is already a showcase entry")]})
    return report, grant


def lyg_opendata_showcase_create(context, data_dict):
    """Submit a use of open data for the showcase (signed-in users; published after review).

    :param title: the use's name
    :param description: what it does and how it uses the data
    :param type: ``app``, ``report``, ``visualisation``, ``research`` or ``service``
    :param url: its web address (optional)
    :param organization_name: the organisation (or person's project) behind it (public)
    :param datasets: the published datasets it uses (names or ids; a list or one text)
    :param image_upload: a picture (multipart; PNG, JPEG, GIF or WebP)
    :param usage_report_id: turn this usage report of yours (Art 24) into the entry; its
        grant's dataset is cited
    :param consent: required with ``usage_report_id``: you agree the entry is made public
    :returns: the entry
    """
    tk.check_access("lyg_opendata_showcase_create", context, data_dict)
    data_dict = dict(data_dict or {}) if isinstance(data_dict, dict) else data_dict
    upload, image = _picture(data_dict) if isinstance(data_dict, dict) else (None, None)
    data = schema.validate(data_dict, _entry_schema())
    user = roles._user(context.get("user"))
    report_id = data.get("usage_report_id")
    pkgs = _datasets(data["datasets"])
    if report_id:
        _report, grant = _usage_report(report_id, user)
        if not data.get("consent"):
            raise tk.ValidationError({"consent": [
                _("Agree that the use described in your report is shown in public")]})
        grant_pkg = model.Session.get(model.Package, grant.package_id)
        if grant_pkg is not None and grant_pkg not in pkgs:
            pkgs.insert(0, grant_pkg)
    if len(pkgs) > MAX_DATASETS:
        raise tk.ValidationError({"datasets": [_("Give at most 20 datasets by name or id")]})
    if not context.get("ignore_auth"):
        objections_workflow.check_rate(Showcase, Showcase.submitted_by, None, user.id, None)
    _store(upload)
    row = Showcase(title=data["title"], description=data["description"], type=data["type"],
                   url=data.get("url"), organization_name=data["organization_name"],
                   image_url=image, submitted_by=user.id,
                   usage_report_id=report_id or None, status="submitted")
    model.Session.add(row)
    model.Session.flush()
    _link(row, pkgs)
    _record(row, user, "create", None, "submitted")
    shared.commit(context)
    return showcase_dict(row, context.get("user"))


def lyg_opendata_showcase_update(context, data_dict):
    """Change one's entry while it waits for review or after it was returned; it goes (back)
    to review. Fields as ``lyg_opendata_showcase_create`` plus ``id``."""
    if not isinstance(data_dict, dict) or not data_dict.get("id"):
        raise tk.ValidationError({"id": [_("Missing value")]})
    get(data_dict["id"])
    tk.check_access("lyg_opendata_showcase_update", context, {"id": data_dict["id"]})
    row = shared.locked(Showcase, data_dict["id"], _("Showcase entry not found"))
    data_dict = dict(data_dict)
    upload, image = _picture(data_dict, row.image_url)
    entry = _entry_schema()
    entry.pop("usage_report_id")
    entry.pop("consent")
    data = schema.validate({k: v for k, v in data_dict.items() if k != "id"}, entry)
    pkgs = _datasets(data["datasets"])
    status = row.status
    target = TRANSITIONS.target("update", status)
    _store(upload)
    for key in ("title", "description", "type", "organization_name"):
        setattr(row, key, data[key])
    row.url = data.get("url")
    row.image_url = image
    row.status, row.modified = target, shared.utcnow()
    _link(row, pkgs)
    _record(row, context.get("user"), "update", status, target)
    shared.commit(context)
    return showcase_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_showcase_show(context, data_dict):
    """One entry: published ones to everybody, others to their submitter and supervisors.

    :param id: the entry's id
    """
    data = schema.validate(data_dict, schema.id_schema())
    row = get(data["id"])
    tk.check_access("lyg_opendata_showcase_show", context, data)
    return showcase_dict(row, context.get("user"))


@tk.side_effect_free
def lyg_opendata_showcase_list(context, data_dict):
    """Published entries, newest first (anybody); supervisors may ask for any ``status``,
    and ``mine`` lists one's own entries in every state.

    :param package_id: only entries citing this dataset (name or id)
    :param type: a type code
    :param status: a status code (supervisors)
    :param mine: true for one's own entries
    :param limit: at most this many (default 20, at most 100)
    :param offset: skip this many
    """
    tk.check_access("lyg_opendata_showcase_list", context, data_dict)
    v = schema.v
    data = schema.validate(data_dict, {
        "package_id": [v("ignore_missing"), schema.is_text, v("unicode_safe")],
        "type": [v("ignore_missing"), schema.is_text, v("unicode_safe"), CODES.one_of("type")],
        "status": [v("ignore_missing"), schema.is_text, v("unicode_safe"), CODES.one_of("status")],
        "mine": [v("ignore_missing"), validation.boolean],
        "limit": [v("ignore_missing"), v("natural_number_validator")],
        "offset": [v("ignore_missing"), v("natural_number_validator")]})
    user = context.get("user")
    query = model.Session.query(Showcase)
    if data.get("mine"):
        me = roles._user(user)
        query = query.filter(Showcase.submitted_by == (me.id if me else None))
        if data.get("status"):
            query = query.filter(Showcase.status == data["status"])
    elif data.get("status") and data["status"] != "published":
        if not roles.is_supervisor(user):
            raise tk.NotAuthorized(_("Only supervisors list entries that are not published"))
        query = query.filter(Showcase.status == data["status"])
    else:
        query = query.filter(Showcase.status == "published")
    if data.get("package_id"):
        pkg = model.Package.get(data["package_id"])
        query = query.filter(Showcase.id.in_(sa.select(ShowcaseDataset.showcase_id).where(
            ShowcaseDataset.package_id == (pkg.id if pkg else None))))
    if data.get("type"):
        query = query.filter(Showcase.type == data["type"])
    count = query.count()
    limit = min(int(data.get("limit", 20) or 20), 100)
    rows = query.order_by(sa.func.coalesce(Showcase.published_at, Showcase.created).desc(),
                          Showcase.id).offset(int(data.get("offset", 0) or 0)).limit(limit).all()
    cited = _cited([r.id for r in rows])
    return {"count": count, "results": [showcase_dict(r, user, events=False, pkgs=cited[r.id])
                                        for r in rows]}


def _transition(context, data_dict, verb: str, required: bool):
    data = schema.validate(data_dict, {**schema.id_schema(), "reason": schema.text(required=required)})
    get(data["id"])
    tk.check_access(f"lyg_opendata_showcase_{verb}", context, data)
    changes = {"modified": shared.utcnow()}
    if verb == "publish":
        changes["published_at"] = changes["modified"]
    if verb in ("return", "withdraw") and data.get("reason"):
        changes["review_note"] = data["reason"]
    row = shared.move(context, Showcase, data["id"], _("Showcase entry not found"), verb,
                      TRANSITIONS, _record, data.get("reason"), **changes)
    return showcase_dict(row, context.get("user"))


def lyg_opendata_showcase_publish(context, data_dict):
    """Publish an entry waiting for review (supervisors).

    :param id: the entry's id
    :param reason: a note (optional)
    """
    return _transition(context, data_dict, "publish", required=False)


def lyg_opendata_showcase_return(context, data_dict):
    """Return an entry to its submitter for changes (supervisors), with the reason.

    :param id: the entry's id
    :param reason: what to change
    """
    return _transition(context, data_dict, "return", required=True)


def lyg_opendata_showcase_withdraw(context, data_dict):
    """Withdraw an entry: its submitter (any time), or supervisors with a reason.

    :param id: the entry's id
    :param reason: why (required of supervisors withdrawing someone else's entry)
    """
    row = get((data_dict or {}).get("id") if isinstance(data_dict, dict) else None)
    own = is_submitter(context.get("user"), row)
    return _transition(context, data_dict, "withdraw", required=not own)


