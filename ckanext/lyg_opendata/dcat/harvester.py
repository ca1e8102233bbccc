"""The DCAT RDF harvester of this portal: ckanext-dcat's, with the fixes and rules of this
portal. Plugin ``lyg_dcat_rdf_harvester``, source type ``lyg_dcat_rdf``.

- Updates its own imports: ckanext-dcat 2.4.4's ``_get_existing_dataset`` looks the
  earlier import up with ``package_show`` and an empty context (an anonymous user), so a
  second sync stops with ``NotAuthorized`` on every entry still in review. Here it is read
  with ``ignore_auth``, as the harvest job does everything else.
- Bad input fails the whole source, cleanly: a timeout (``ckanext.lyg_opendata.harvest.timeout``
  seconds per connect or read; ckanext-dcat sets none), a document over
  ``ckanext.dcat.max_file_size`` MB, a document that is not RDF (or not UTF-8) each give one
  gather error naming the source; the objects already gathered from earlier pages are
  dropped, so nothing is imported half-way and nothing already imported is deleted.
- Review (Art 12): imports wait for review, unless the source's configuration says
  ``{"trusted": true}``; then the harvest user approves them (and the changes a later sync
  brings), recorded as review events.
"""
from __future__ import annotations

import json
import logging
import re

import requests

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.munge import munge_title_to_name

from ckanext.dcat.harvesters import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.harvest.model import HarvestGatherError, HarvestObject

log = logging.getLogger(__name__)

TRUSTED = "trusted"


class _TimeoutAdapter(requests.adapters.HTTPAdapter):
    """Gives every request of the session a (connect, read) timeout unless it has one."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


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


class LygDCATRDFHarvester(DCATRDFHarvester):
    p.implements(IDCATRDFHarvester, inherit=True)

    def info(self):
        return {
            "name": "lyg_dcat_rdf",
            "title": "DCAT RDF（连云港市公共数据开放平台）",
            "description": "Harvests DCAT-AP RDF catalogs, including this portal's catalog fields",
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

    # --- download: timeout, size, errors ---------------------------------------------

    def update_session(self, session):
        adapter = _TimeoutAdapter(tk.config.get("ckanext.lyg_opendata.harvest.timeout"))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def _save_gather_error(self, message, job):
        message = " ".join(str(message).split())
        if message.startswith("Remote file is too big"):
            message = (f"The catalog at {job.source.url} is larger than the harvest size limit "
                       f"of {max_size_mb()} MB (ckanext.dcat.max_file_size).")
        elif "timed out" in message:
            message = (f"{message} (timeout: {tk.config.get('ckanext.lyg_opendata.harvest.timeout')} s, "
                       f"ckanext.lyg_opendata.harvest.timeout)")
        HarvestGatherError.create(message, job)

    def _gen_new_name(self, title, existing_name=None, append_type=None):
        """A Chinese title munges to underscores only (``__``, ``__-1``…): such entries are
        named after their harvest source instead (``<source>-data``, ``<source>-data-1``…)."""
        if not re.search(r"[a-z0-9]", munge_title_to_name(title or "")):
            title = f"{getattr(self, '_name_base', None) or 'harvested'}-data"
        return super()._gen_new_name(title, existing_name=existing_name, append_type=append_type)

    def gather_stage(self, harvest_job):
        source = model.Package.get(harvest_job.source.id)
        self._name_base = source.name if source else None
        before = self._gather_error_count(harvest_job)
        try:
            object_ids = super().gather_stage(harvest_job)
        except Exception as e:  # e.g. a document that is not UTF-8 text
            log.exception("Harvest of %s failed", harvest_job.source.url)
            model.Session.rollback()
            self._save_gather_error(f"Could not harvest {harvest_job.source.url}: "
                                    f"{type(e).__name__}: {e}", harvest_job)
            object_ids = []
        if not object_ids and self._gather_error_count(harvest_job) > before:
            # the objects of earlier pages are never imported and nothing is deleted
            dropped = model.Session.query(HarvestObject).filter(
                HarvestObject.harvest_job_id == harvest_job.id).delete()
            model.Session.commit()
            self._save_gather_error(
                f"Harvest of {harvest_job.source.url} stopped: nothing was imported, updated "
                f"or deleted by this job ({dropped} gathered entries dropped).", harvest_job)
            return []
        return object_ids

    @staticmethod
    def _gather_error_count(harvest_job) -> int:
        return model.Session.query(HarvestGatherError).filter(
            HarvestGatherError.harvest_job_id == harvest_job.id).count()

    # --- import: earlier imports, review -----------------------------------------------

    def _get_existing_dataset(self, guid):
        datasets = self._read_datasets_from_db(guid)
        if not datasets:
            return None
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": datasets[0][0]})

    def import_stage(self, harvest_object):
        result = super().import_stage(harvest_object)
        if result is True and harvest_object.package_id and \
                self._get_object_extra(harvest_object, "status") != "delete" and \
                is_trusted(harvest_object.job.source):
            try:
                self._publish(harvest_object.package_id)
            except (tk.ValidationError, tk.ObjectNotFound) as e:
                model.Session.rollback()
                self._save_object_error(
                    f"Imported, but not published from this trusted source: "
                    f"{getattr(e, 'error_summary', e)}", harvest_object, "Import")
                return False
        return result

    def _publish(self, package_id: str) -> None:
        """A trusted source's entries are published by the harvest user: a new import is
        approved, a change held on a published entry is applied."""
        from ckanext.lyg_opendata.catalog import review
        from ckanext.lyg_opendata.catalog.model import PendingChange
        context = {"user": self._get_user_name(), "ignore_auth": True}
        status = review.current_values(model.Package.get(package_id))["review_status"]
        if status == "pending":
            review.transition(context, package_id, "approve")
        elif status == "published" and model.Session.get(PendingChange, package_id):
            review.decide_change(context, package_id, approve=True)
