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

The stages: reading the source (``reading.py``), the gather and its deletions (here; held
deletions: ``deletions.py``), the import (``importing.py``); a source's configuration:
``sources.py``.
"""
from __future__ import annotations

import json
import logging

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.dcat.harvesters import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.harvest.model import (HarvestGatherError, HarvestObject, HarvestObjectError,
                                   HarvestObjectExtra)

from ckanext.lyg_opendata.dcat.deletions import HELD, current_entries
from ckanext.lyg_opendata.dcat.importing import ImportStage
from ckanext.lyg_opendata.dcat.messages import Message, stored
from ckanext.lyg_opendata.dcat.reading import GatherFailed, read_source
from ckanext.lyg_opendata.dcat.sources import TRUSTED, max_delete_share
from ckanext.lyg_opendata.i18n import N_

log = logging.getLogger(__name__)

GATHER_CLAIM_SECONDS = 6 * 3600

# msgids ckanext-harvest's pages look up at run time, outside its .pot: ``_(f.title())`` of
# the update frequencies (new-source form), ``_(action)`` of a job's counts (job pages), the
# ``config`` key of a source's details (its about page). Listed so that our catalog has them.
HARVEST_RUNTIME_MSGIDS = (
    N_("Manual"), N_("Monthly"), N_("Weekly"), N_("Biweekly"), N_("Daily"), N_("Always"),
    N_("added"), N_("updated"), N_("not modified"), N_("config"),
    # ckanext-dcat's harvester title (the source list's type facet)
    N_("Generic DCAT RDF Harvester"),
)

STOPPED = N_("Harvest of %(url)s stopped: nothing was imported, updated or deleted by this job.")


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


class LygDCATRDFHarvester(ImportStage, DCATRDFHarvester):
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
            entries = read_source(harvest_job)
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

    # --- import: importing.ImportStage ---------------------------------------------------
