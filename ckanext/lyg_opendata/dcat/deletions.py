"""Held harvest deletions: a sync that would delete more than
``ckanext.lyg_opendata.harvest.max_delete_share`` of a source's entries deletes nothing and
holds the deletions; a sysadmin lists and confirms them (action
``lyg_opendata_harvest_deletions_confirm``, CLI ``ckan lyg-opendata harvest
confirm-deletions JOB_ID``). Only the source's latest job can be confirmed: a later sync
that lists the entries again makes the held deletions void."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import click

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata.clitools import request_scope

if TYPE_CHECKING:
    from ckanext.harvest.model import HarvestObject

log = logging.getLogger(__name__)
# every deletion is logged in the harvester's log (docs/dcat.md)
harvest_log = logging.getLogger("ckanext.lyg_opendata.dcat.harvester")
_ = tk._

__all__ = ["lyg_opendata_harvest_deletions_confirm"]


HELD = "held_delete"


def current_entries(source_id: str) -> dict[str, str]:
    """guid → package id of the source's current, not deleted entries."""
    from ckanext.harvest.model import HarvestObject
    rows = model.Session.query(HarvestObject.guid, HarvestObject.package_id) \
        .join(model.Package, model.Package.id == HarvestObject.package_id) \
        .filter(HarvestObject.current == True,  # noqa: E712
                HarvestObject.harvest_source_id == source_id,
                model.Package.state != "deleted")
    return {guid: package_id for guid, package_id in rows}


def delete_entry(harvest_object: HarvestObject, user: str, reason: str) -> None:
    """Deletes the entry of ``harvest_object`` (and logs it with the source and job)."""
    job = harvest_object.job
    context = {"model": model, "session": model.Session, "user": user, "ignore_auth": True}
    try:
        tk.get_action("package_delete")(context, {"id": harvest_object.package_id})
    except tk.ObjectNotFound:
        pass
    harvest_log.warning(
        "Harvest deletion: dataset %s (guid %s) deleted by source %s (%s), job %s: %s",
        harvest_object.package_id, harvest_object.guid, job.source.id, job.source.url,
        job.id, reason)


def _held(job_id: str):
    from ckanext.harvest.model import HarvestObject, HarvestObjectExtra
    return model.Session.query(HarvestObject).join(
        HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id).filter(
        HarvestObject.harvest_job_id == job_id, HarvestObjectExtra.key == "status",
        HarvestObjectExtra.value == HELD).all()


def lyg_opendata_harvest_deletions_confirm(context, data_dict):
    """Deletes the entries a harvest job held back. ``job_id``; ``dry_run`` (true: only
    list them). Returns ``{"job_id", "source_id", "deleted": [package ids]}``."""
    tk.check_access("lyg_opendata_harvest_deletions_confirm", context, data_dict)
    from ckanext.harvest.model import HarvestJob, HarvestObject
    job_id = (data_dict or {}).get("job_id")
    if not job_id:
        raise tk.ValidationError({"job_id": [_("Missing value")]})
    job = model.Session.get(HarvestJob, job_id)
    if job is None:
        raise tk.ObjectNotFound(_("Harvest job not found"))
    held = _held(job.id)
    if not held:
        raise tk.ValidationError({"job_id": [_("This harvest job holds no deletions")]})
    latest = model.Session.query(HarvestJob).filter(
        HarvestJob.source_id == job.source_id).order_by(HarvestJob.created.desc()).first()
    if latest.id != job.id:
        raise tk.ValidationError({"job_id": [_(
            "A later harvest job of this source ran: its report decides what is deleted")]})
    still_current = current_entries(job.source_id)
    targets = [obj for obj in held if still_current.get(obj.guid) == obj.package_id]
    if tk.asbool(data_dict.get("dry_run")):
        return {"job_id": job.id, "source_id": job.source_id,
                "deleted": [obj.package_id for obj in targets]}
    user = context.get("user")
    for obj in targets:
        model.Session.query(HarvestObject).filter(
            HarvestObject.guid == obj.guid, HarvestObject.harvest_source_id == job.source_id,
        ).update({"current": False}, False)
        delete_entry(obj, user, f"held deletion confirmed by {user}")
        for extra in obj.extras:
            if extra.key == "status":
                extra.value = "delete"
    model.Session.commit()
    return {"job_id": job.id, "source_id": job.source_id,
            "deleted": [obj.package_id for obj in targets]}


def auth_confirm(context, data_dict):
    # sysadmins only (CKAN lets them through before this function is called)
    return {"success": False, "msg": _("Only sysadmins may confirm held harvest deletions")}


@click.group("harvest")
def harvest():
    """Harvest sources of this portal (the lyg_dcat_rdf harvester)."""


@harvest.command("confirm-deletions")
@click.argument("job_id")
@click.option("--dry-run", is_flag=True, help="Only list the entries that would be deleted.")
@click.option("--user", "user_name", help="Sysadmin who confirms (default: the site user).")
@click.pass_context
def confirm_deletions(ctx, job_id, dry_run, user_name):
    """Delete the entries the harvest job JOB_ID held for confirmation."""
    with request_scope(ctx):
        user = user_name or tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        try:
            result = tk.get_action("lyg_opendata_harvest_deletions_confirm")(
                {"user": user}, {"job_id": job_id, "dry_run": dry_run})
        except (tk.ValidationError, tk.ObjectNotFound, tk.NotAuthorized) as e:
            raise click.ClickException(str(getattr(e, "error_summary", None) or e))
        verb = "would delete" if dry_run else "deleted"
        for package_id in result["deleted"]:
            click.echo(f"{verb} {package_id}")
        click.echo(f"{len(result['deleted'])} entries {verb} (job {job_id})")


COMMANDS = [harvest]
