"""The DCAT RDF harvester of this portal. Plugin ``lyg_dcat_rdf_harvester``, source type
``lyg_dcat_rdf``. It reuses ckanext-dcat's parser and profiles but runs its own gather and
import stages, with the rules of this portal (docs/dcat.md):

- **Ownership**: an entry belongs to the harvest source that created it. Earlier imports
  are looked up by the dataset IRI *within the source* (its current harvest objects);
  another source listing the same IRI gets its own entry, never someone else's.
- **Downloads** (``fetch.py``): one overall deadline per download, a size limit, only
  http(s), no loopback/private targets unless configured, no remote JSON-LD contexts.
- **All or nothing per sync**: every page is downloaded and parsed before anything is
  created; a failure anywhere gives a gather error and the job imports, updates and
  deletes nothing.
- **One object per dataset**: each dataset is its own harvest object with its own error (a
  dataset without a title does not stop the valid one beside it).
- **Deletions** only after a complete, successful gather that lists at least one dataset;
  an empty or blank answer, or a catalog with zero datasets, deletes nothing. A sync that
  would delete more than ``ckanext.lyg_opendata.harvest.max_delete_share`` of the source's
  entries holds the deletions for a sysadmin (``deletions.py``). Every deletion is logged
  with its source and job.
- **Once per job**: the gather of a job runs once even when ``ckan harvester run-test`` and
  the gather consumer both pick the job up (a Redis claim).
- **Review** (Art 12): imports wait for review, unless the source's configuration says
  ``{"trusted": true}``; then the harvest user approves them (and the changes a later sync
  brings), except entries whose source states no access rights: they wait for review.
"""
from __future__ import annotations

import json
import logging
import uuid

import sqlalchemy as sa
from rdflib import URIRef

import ckan.lib.plugins as lib_plugins
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.dcat.harvesters import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.dcat.processors import RDFParser, RDFParserException
from ckanext.harvest.logic.schema import unicode_safe
from ckanext.harvest.model import (HarvestGatherError, HarvestObject, HarvestObjectError,
                                   HarvestObjectExtra)

from ckanext.lyg_opendata.dcat import fetch, names
from ckanext.lyg_opendata.dcat.messages import Message, stored
from ckanext.lyg_opendata.i18n import N_
from ckanext.lyg_opendata.dcat.profile.fields import HARVEST_FLAGS, SOURCE_URI

log = logging.getLogger(__name__)

TRUSTED = "trusted"
HELD = "held_delete"
GATHER_CLAIM_SECONDS = 6 * 3600

RDF_FORMATS = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/rdf+xml": "xml",
    "application/ld+json": "json-ld", "application/json": "json-ld", "application/n-triples": "nt",
    "text/n3": "n3", "application/trig": "trig", "application/n-quads": "nquads",
}


# msgids ckanext-harvest's pages look up at run time, outside its .pot: ``_(f.title())`` of
# the update frequencies (new-source form), ``_(action)`` of a job's counts (job pages), the
# ``config`` key of a source's details (its about page). Listed so that our catalog has them.
HARVEST_RUNTIME_MSGIDS = (
    N_("Manual"), N_("Monthly"), N_("Weekly"), N_("Biweekly"), N_("Daily"), N_("Always"),
    N_("added"), N_("updated"), N_("not modified"), N_("config"),
    # ckanext-dcat's harvester title (the source list's type facet)
    N_("Generic DCAT RDF Harvester"),
)


class GatherFailed(Exception):
    """A gather that stops; ``message`` is a ``messages.Message``."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(str(message))


STOPPED = N_("Harvest of %(url)s stopped: nothing was imported, updated or deleted by this job.")


def source_config(source) -> dict:
    try:
        config = json.loads(source.config or "{}")
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def is_trusted(source) -> bool:
    return source_config(source).get(TRUSTED) is True


def max_size_mb() -> int:
    return tk.config.get("ckanext.dcat.max_file_size")


def max_delete_share() -> float:
    return float(tk.config.get("ckanext.lyg_opendata.harvest.max_delete_share"))


def current_entries(source_id: str) -> dict[str, str]:
    """guid → package id of the source's current, not deleted entries."""
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
    log.warning("Harvest deletion: dataset %s (guid %s) deleted by source %s (%s), job %s: %s",
                harvest_object.package_id, harvest_object.guid, job.source.id, job.source.url,
                job.id, reason)


def _summary(error: Exception) -> dict | str:
    """A validation error as ``{field: [messages]}`` (each shown translated), else its text."""
    summary = getattr(error, "error_summary", None)
    if isinstance(summary, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
                for k, v in summary.items()}
    return str(error)


def _claim(key: str) -> bool:
    """True for the first process to claim ``key`` (Redis SET NX)."""
    try:
        return bool(connect_to_redis().set(f"lyg_opendata:harvest:{key}", "1", nx=True,
                                           ex=GATHER_CLAIM_SECONDS))
    except Exception:  # Redis down: the harvest queue is down as well
        log.exception("Could not claim %s", key)
        return True


def _in_ui_language(msgid: str) -> str:
    """Translated when there is a request (the harvest pages), as is otherwise (CLI, jobs)."""
    try:
        return tk._(msgid)
    except Exception:  # no application context
        return msgid


def _harvest_facet_title(key: str, title: str) -> str:
    titles = {"frequency": tk._("Update frequency"), "source_type": tk._("Source type")}
    return titles.get(key, tk._(title))


def _harvester_titles() -> dict[str, str]:
    """source type → its harvester's title, in the UI language."""
    from ckanext.harvest.interfaces import IHarvester
    titles = {}
    for harvester in p.PluginImplementations(IHarvester):
        info = harvester.info()
        titles[info["name"]] = _in_ui_language(info.get("title") or info["name"])
    return titles


def label_harvest_facets(search_facets: dict) -> None:
    """The harvest source list's facet items named in the UI language: a source type by
    its harvester's title (not ``lyg_dcat_rdf``), an update frequency by its word (not
    ``MANUAL``). The facet list and the applied-filter pill both show ``display_name``."""
    types = (search_facets.get("source_type") or {}).get("items") or []
    if types:
        titles = _harvester_titles()
        for item in types:
            item["display_name"] = titles.get(item["name"], item["name"])
    for item in (search_facets.get("frequency") or {}).get("items") or []:
        item["display_name"] = _in_ui_language(str(item["name"]).title())


class LygDCATRDFHarvester(DCATRDFHarvester):
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IPackageController: the harvest source list's facet items (ckanext-harvest shows the
    # raw values of its fields ``source_type`` and ``frequency``)
    def after_dataset_search(self, search_results, search_params):
        facets = search_results.get("search_facets")
        if isinstance(facets, dict) and ("source_type" in facets or "frequency" in facets):
            label_harvest_facets(facets)
        return search_results

    # IFacets (this plugin comes after ``harvest``, whose facet titles are English words
    # outside any catalog): the harvest source list's facets in the UI language
    def dataset_facets(self, facets_dict, package_type):
        if package_type != "harvest":
            return facets_dict
        return type(facets_dict)((key, _harvest_facet_title(key, title))
                                 for key, title in facets_dict.items())

    def organization_facets(self, facets_dict, organization_type, package_type):
        return self.dataset_facets(facets_dict, package_type)

    def info(self):
        return {
            "name": "lyg_dcat_rdf",
            "title": _in_ui_language(N_("DCAT-AP RDF, with this portal's catalog fields")),
            "description": _in_ui_language(
                N_("Harvests DCAT-AP RDF catalogs, including this portal's catalog fields")),
        }

    # --- configuration ---------------------------------------------------------------

    def validate_config(self, config):
        config = super().validate_config(config)
        if config:
            values = json.loads(config)
            if not isinstance(values, dict):
                raise ValueError(tk._("The configuration must be a JSON object"))
            if TRUSTED in values and not isinstance(values[TRUSTED], bool):
                raise ValueError(tk._('"trusted" must be true or false'))
        return config

    # --- gather ------------------------------------------------------------------------

    # errors are stored as a msgid and its parameters and shown in the reader's language
    # (messages.py)
    def _save_gather_error(self, message, job):
        HarvestGatherError.create(stored(message), job)

    def _save_object_error(self, message, obj, stage="Fetch", line=None):
        HarvestObjectError.create(stored(message), obj, stage, line)

    def gather_stage(self, harvest_job):
        if not _claim(f"gather:{harvest_job.id}"):
            log.warning("Job %s is already being gathered by another process", harvest_job.id)
            return []
        source = harvest_job.source
        try:
            entries = self._read_source(harvest_job)
        except GatherFailed as e:
            log.warning("Harvest of %s failed: %s", source.url, e)
            self._save_gather_error(e.message, harvest_job)
            self._save_gather_error(Message(STOPPED, url=source.url), harvest_job)
            return []
        except Exception as e:  # an unforeseen parser failure: the same, with its type
            log.exception("Harvest of %s failed", source.url)
            model.Session.rollback()
            self._save_gather_error(Message(N_("Could not harvest %(url)s: %(reason)s"),
                                            url=source.url, reason=f"{type(e).__name__}: {e}"),
                                    harvest_job)
            self._save_gather_error(Message(STOPPED, url=source.url), harvest_job)
            return []
        if not entries:
            self._save_gather_error(Message(N_(
                "The catalog at %(url)s lists no datasets: nothing was imported, updated or "
                "deleted by this job (an empty answer never deletes entries)."), url=source.url),
                harvest_job)
            return []

        # the objects of the whole catalog in one transaction (one commit, not one a dataset)
        objects, guids = [], set()
        source_pkg = model.Package.get(source.id)
        owner_org = source_pkg.owner_org if source_pkg is not None else None
        for guid, dataset, error in entries:
            guids.add(guid)
            if dataset is not None and owner_org and not dataset.get("owner_org"):
                dataset["owner_org"] = owner_org
            obj = HarvestObject(guid=guid, job=harvest_job,
                                content=json.dumps(dataset) if dataset is not None else None)
            model.Session.add(obj)
            if error:
                obj.state = "ERROR"
                obj.report_status = "errored"
                model.Session.add(HarvestObjectError(message=stored(error), object=obj,
                                                     stage="Import"))
                continue
            objects.append(obj)
        model.Session.flush()
        object_ids = [obj.id for obj in objects]   # before the commit expires them
        model.Session.commit()
        object_ids += self._deletions(harvest_job, guids)
        return object_ids

    def _read_source(self, harvest_job) -> list[tuple[str, dict | None, str | None]]:
        """(guid, dataset dict, error) of every dataset on every page; raises GatherFailed."""
        source = harvest_job.source
        config_format = source_config(source).get("rdf_format")
        url, seen, entries, seen_guids = source.url, set(), [], set()
        while url:
            if url in seen:
                break
            seen.add(url)
            try:
                body, content_type = fetch.fetch(url, accept=config_format)
            except fetch.FetchError as e:
                raise GatherFailed(e.message) from e
            try:
                text = body.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                raise GatherFailed(Message(N_("Could not harvest %(url)s: the document is not "
                                              "UTF-8 text (%(reason)s)"), url=url,
                                           reason=e.reason)) from e
            if not text.strip():
                raise GatherFailed(Message(N_(
                    "The catalog at %(url)s answered with an empty document: nothing was "
                    "imported, updated or deleted by this job."), url=url))
            rdf_format = config_format or content_type.split(";")[0].strip().lower() or None
            rdf_format = RDF_FORMATS.get(rdf_format, rdf_format)
            if rdf_format in ("json-ld",) or (rdf_format is None and text.lstrip().startswith(("{", "["))):
                rdf_format = "json-ld"
                try:
                    text = fetch.localise_contexts(text)
                except fetch.FetchError as e:
                    raise GatherFailed(Message(N_("Could not harvest %(url)s: %(reason)s"),
                                               url=url, reason=e.message)) from e
            parser = RDFParser()
            try:
                parser.parse(text, _format=rdf_format)
            except RDFParserException as e:
                raise GatherFailed(Message(N_("Error parsing the RDF file %(url)s: %(reason)s"),
                                           url=url, reason=str(e))) from e
            except Exception as e:
                raise GatherFailed(Message(N_("Could not harvest %(url)s: %(reason)s"), url=url,
                                           reason=f"{type(e).__name__}: {e}")) from e
            for entry in self._datasets(parser, source):
                if entry[0] in seen_guids:
                    continue
                seen_guids.add(entry[0])
                entries.append(entry)
            url = parser.next_page()
        return entries

    def _datasets(self, parser, source):
        for dataset_ref in list(parser._datasets()):
            guid = str(dataset_ref)
            dataset, error = None, None
            try:
                dataset = {}
                for profile_class in parser._profiles:
                    profile_class(parser.g, dataset_type=parser.dataset_type,
                                  compatibility_mode=parser.compatibility_mode) \
                        .parse_dataset(dataset, dataset_ref)
                if isinstance(dataset_ref, URIRef):
                    guid = str(dataset_ref)
                else:  # a blank node: its identifier, else its title
                    guid = dataset.get("identifier") or \
                        f"{source.url.rstrip('/')}/{dataset.get('title') or dataset_ref}"
                if not (dataset.get("title") or "").strip():
                    error = Message(N_("Dataset %(guid)s has no title (%(property)s): not "
                                       "imported; the other datasets of the source are."),
                                    guid=guid, property="dct:title")
                    dataset = None
            except Exception as e:
                log.exception("Could not read dataset %s", guid)
                error = Message(N_("Could not read dataset %(guid)s: %(reason)s"), guid=guid,
                                reason=f"{type(e).__name__}: {e}")
                dataset = None
            if dataset is not None:
                dataset["extras"] = [e for e in dataset.get("extras", []) if e["key"] != "guid"]
                dataset["extras"].append({"key": "guid", "value": guid})
            yield guid, dataset, error

    def _deletions(self, harvest_job, guids_in_source: set[str]) -> list[str]:
        """Harvest objects for the source's entries the complete gather did not list;
        held for a sysadmin when there are too many."""
        source = harvest_job.source
        current = current_entries(source.id)
        missing = sorted(set(current) - guids_in_source)
        if not missing:
            return []
        held = len(missing) > max_delete_share() * len(current)
        ids = []
        for guid in missing:
            obj = HarvestObject(guid=guid, job=harvest_job, package_id=current[guid],
                                extras=[HarvestObjectExtra(key="status",
                                                           value=HELD if held else "delete")])
            if held:
                obj.state = "COMPLETE"
                obj.report_status = "not modified"
            obj.save()
            if not held:
                ids.append(obj.id)
        if held:
            self._save_gather_error(Message(N_(
                "%(missing)s of the %(current)s entries of %(url)s are no longer listed: more "
                "than %(share)s at once, so nothing was deleted. A sysadmin confirms the "
                "deletions with `%(command)s`."),
                missing=len(missing), current=len(current), url=source.url,
                share=f"{max_delete_share():.0%}",
                command=f"ckan lyg-opendata harvest confirm-deletions {harvest_job.id}"),
                harvest_job)
            log.warning("Harvest deletions held: source %s (%s), job %s: %d of %d entries",
                        source.id, source.url, harvest_job.id, len(missing), len(current))
        return ids

    def fetch_stage(self, harvest_object):
        return True

    # --- import --------------------------------------------------------------------------

    def import_stage(self, harvest_object):
        try:
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
