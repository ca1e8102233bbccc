"""The import stage of the DCAT harvester (``harvester.py``): a harvest object becomes a new
entry of the source, or updates the entry the source created earlier (found by its guid
within the source; resources matched by their source IRI); a deletion the gather decided is
carried out; a trusted source's entries are published by the harvest user. A job's last
object commits the search index."""
from __future__ import annotations

import json
import logging
import uuid

import sqlalchemy as sa

import ckan.lib.plugins as lib_plugins
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.harvest.logic.schema import unicode_safe
from ckanext.harvest.model import HarvestObject

from ckanext.lyg_opendata.clitools import portal_language
from ckanext.lyg_opendata.dcat import names
from ckanext.lyg_opendata.dcat.deletions import HELD, delete_entry
from ckanext.lyg_opendata.dcat.messages import Message
from ckanext.lyg_opendata.dcat.profile.fields import HARVEST_FLAGS, SOURCE_URI
from ckanext.lyg_opendata.dcat.sources import is_trusted
from ckanext.lyg_opendata.i18n import N_

log = logging.getLogger(__name__)


def _summary(error: Exception) -> dict | str:
    """A validation error as ``{field: [messages]}`` (each shown translated), else its text."""
    summary = getattr(error, "error_summary", None)
    if isinstance(summary, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
                for k, v in summary.items()}
    return str(error)


class ImportStage:
    """The import stage, mixed into ``LygDCATRDFHarvester`` (it uses the harvester's
    ``_get_object_extra``, ``_get_user_name``, ``modify_package_dict`` and
    ``_save_object_error``)."""

    def import_stage(self, harvest_object):
        try:
            with portal_language():  # the harvester's process: notices in the portal's language
                return self._import(harvest_object)
        finally:
            self._commit_index_after_the_last(harvest_object)

    def _import(self, harvest_object):
        status = self._get_object_extra(harvest_object, "status")
        if status == "delete":
            # the object was marked current=False with the others of its guid
            model.Session.query(HarvestObject).filter(
                HarvestObject.guid == harvest_object.guid,
                HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
            ).update({"current": False}, False)
            delete_entry(harvest_object, self._get_user_name(), "no longer listed by the source")
            model.Session.commit()
            return True
        if status == HELD:
            return True
        if harvest_object.content is None:
            self._save_object_error(Message(N_("Empty content for object %(id)s"),
                                            id=harvest_object.id), harvest_object, "Import")
            return False
        try:
            dataset = json.loads(harvest_object.content)
        except ValueError:
            self._save_object_error(Message(N_("Could not parse content for object %(id)s"),
                                            id=harvest_object.id), harvest_object, "Import")
            return False

        previous = model.Session.query(HarvestObject).filter(
            HarvestObject.guid == harvest_object.guid,
            HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
            HarvestObject.current == True,  # noqa: E712
            HarvestObject.id != harvest_object.id,
        ).first()
        existing = model.Package.get(previous.package_id) if previous and previous.package_id else None
        if existing is not None and existing.state == "deleted":
            existing = None
        source_identifier = dataset.pop("source_identifier", None)
        dataset = self.modify_package_dict(dataset, {}, harvest_object)
        context = {"user": self._get_user_name(), "return_id_only": True, "ignore_auth": True}
        created = existing is None
        if created:
            # the entry, its review event, activity and harvest object are committed below,
            # together; it is indexed after, without a Solr commit of its own (see _index)
            context["defer_commit"] = True
        package_plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
        try:
            if existing is not None:
                context["schema"] = package_plugin.update_package_schema()
                dataset["id"], dataset["name"] = existing.id, existing.name
                by_source_uri = {r.extras.get(SOURCE_URI): r.id for r in existing.resources
                                 if r.extras.get(SOURCE_URI)}
                for resource in dataset.get("resources", []):
                    if resource.get(SOURCE_URI) in by_source_uri:
                        resource["id"] = by_source_uri[resource[SOURCE_URI]]
                harvest_object.package_id = existing.id
                tk.get_action("package_update")(context, dataset)
            else:
                schema = package_plugin.create_package_schema()
                schema["id"] = [unicode_safe]
                context["schema"] = schema
                dataset["id"] = str(uuid.uuid4())
                dataset["name"] = names.unique_name(names.base_name(
                    source_identifier or dataset.get("identifier"),
                    dataset.get("title"), f"{harvest_object.source.title or 'harvested'}"), set())
                harvest_object.package_id = dataset["id"]
                harvest_object.add()
                model.Session.execute(sa.text(
                    "SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
                model.Session.flush()
                tk.get_action("package_create")(context, dataset)
        except tk.ValidationError as e:
            model.Session.rollback()
            harvest_object = model.Session.merge(harvest_object)
            harvest_object.package_id = existing.id if existing is not None else None
            self._save_object_error(Message(
                N_("Update validation error: %(errors)s") if existing is not None
                else N_("Create validation error: %(errors)s"),
                errors=_summary(e)), harvest_object, "Import")
            return False
        except Exception as e:
            log.exception("Import of %s failed", harvest_object.guid)
            model.Session.rollback()
            harvest_object = model.Session.merge(harvest_object)
            harvest_object.package_id = existing.id if existing is not None else None
            self._save_object_error(Message(N_("Error importing dataset %(guid)s: %(reason)s"),
                                            guid=harvest_object.guid,
                                            reason=f"{type(e).__name__}: {e}"),
                                    harvest_object, "Import")
            return False
        if previous is not None:
            previous.current = False
            previous.add()
        harvest_object.current = True
        harvest_object.add()
        model.Session.commit()

        published = False
        try:
            if is_trusted(harvest_object.job.source):
                flags = dataset.get(HARVEST_FLAGS) or next(
                    (e["value"] for e in dataset.get("extras", []) if e["key"] == HARVEST_FLAGS), "")
                if flags:
                    return True   # e.g. no access rights stated: the reviewer decides
                try:
                    published = self._publish(harvest_object.package_id)
                except (tk.ValidationError, tk.ObjectNotFound) as e:
                    model.Session.rollback()
                    self._save_object_error(Message(
                        N_("Imported, but not published from this trusted source: %(errors)s"),
                        errors=_summary(e)), harvest_object, "Import")
                    return False
            return True
        finally:
            if created and not published:
                self._index(harvest_object)

    def _index(self, harvest_object) -> None:
        """Index a new entry without a Solr commit per dataset (Solr's soft commit,
        ``solr/configset``, makes it searchable within a second)."""
        from ckan.logic import index_update_package
        index_update_package({"ignore_auth": True}, harvest_object.package_id, defer_commit=True)

    def _commit_index_after_the_last(self, harvest_object) -> None:
        """The job's last object commits the index: a finished job's entries are all
        searchable."""
        from ckan.lib import search
        try:
            pending = model.Session.query(HarvestObject.id).filter(
                HarvestObject.harvest_job_id == harvest_object.harvest_job_id,
                HarvestObject.id != harvest_object.id,
                HarvestObject.state.in_(("WAITING", "FETCH", "IMPORT"))).first()
            if pending is None:
                search.commit()
        except Exception:  # the import's own outcome stands; Solr's soft commit follows
            log.exception("Could not commit the search index after job %s",
                          harvest_object.harvest_job_id)

    def _publish(self, package_id: str) -> bool:
        """A trusted source's entries are published by the harvest user: a new import is
        approved, a change held on a published entry is applied. True when it wrote (and
        so indexed) the entry."""
        from ckanext.lyg_opendata.catalog import review
        from ckanext.lyg_opendata.catalog.model import PendingChange
        context = {"user": self._get_user_name(), "ignore_auth": True}
        status = review.current_values(model.Package.get(package_id))["review_status"]
        if status == "pending":
            tk.get_action("lyg_opendata_review_approve")(context, {"id": package_id})
            return True
        if status == "published" and model.Session.get(PendingChange, package_id):
            tk.get_action("lyg_opendata_review_change_approve")(context, {"id": package_id})
            return True
        return False
