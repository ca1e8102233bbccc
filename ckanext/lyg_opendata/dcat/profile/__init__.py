"""The ``lyg_opendata`` DCAT profile: DCAT-AP 3 plus the catalog fields of this portal.

Builds on ckanext-dcat's ``euro_dcat_ap_3`` (which it calls through ``super()``), then
states the catalog fields with EU vocabularies where they exist and with this project's
namespace (``mapping.LYG``) where they do not, so that a harvester running this profile
gets every field back. Enabled with ``ckanext.dcat.rdf.profiles = lyg_opendata`` (alone:
it already contains ``euro_dcat_ap_3``). The mapping table is in docs/dcat.md.

The steps, by concern: ``fields`` (the dict keys beside the schema), ``text`` (language
tags), ``export`` (catalog fields → RDF), ``distributions`` (resources ↔ distributions),
``conditional`` (where a harvested conditional copy is applied for), ``uses`` (the showcase
entries and data requests that refer to a dataset), ``parse`` (RDF → catalog
fields of a harvested copy). This module only orders them.

Conditional data (有条件开放): distributions point at the application page and carry no
download or data URL. The access domain removes those URLs from every dataset dict before
any profile sees it (``dcat_dataset_show`` and the catalog's search are redacted whoever
asks); no profile redacts on its own (``conditional.py``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.dcat.profiles.base import DCAT, DCT, FOAF, VCARD

from ckanext.lyg_opendata.dcat.profile.conditional import Conditional
from ckanext.lyg_opendata.dcat.profile.distributions import Distributions
from ckanext.lyg_opendata.dcat.profile.export import DatasetExport
from ckanext.lyg_opendata.dcat.profile.fields import LANG, is_conditional
from ckanext.lyg_opendata.dcat.profile.parse import DatasetParse
from ckanext.lyg_opendata.dcat.profile.text import Text
from ckanext.lyg_opendata.dcat.profile.uses import Uses

# dcat extras a harvested copy has turned into catalog fields
CONSUMED_EXTRAS = frozenset({
    "access_rights", "frequency", "theme", "language", "conforms_to", "spatial_text",
    "contact_name", "contact_email", "contact_uri", "alternate_identifier", "issued", "modified"})
# set by this portal's review, never by the source (Art 12)
REVIEW_FIELDS = ("issued", "review_status", "desensitized")


class LygOpendataProfile(Text, DatasetExport, Distributions, Conditional, DatasetParse, Uses,
                         EuropeanDCATAP3Profile):
    """DCAT-AP 3 with 开放类型, 更新频度, 数据项, 数据领域, 数据分级, 开放条件 …"""

    # --- CKAN → RDF ------------------------------------------------------------------

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        super().graph_from_dataset(dataset_dict, dataset_ref)
        self._tag_languages(dataset_dict, dataset_ref)
        self._tag_zh(dataset_ref, (DCAT.keyword,))
        self._add_provenance(dataset_dict, dataset_ref)
        self._add_language(dataset_ref)
        self._add_access_rights(dataset_dict, dataset_ref)
        self._add_frequency(dataset_dict, dataset_ref)
        self._add_subject_areas(dataset_dict, dataset_ref)
        self._tag_publisher_zh(dataset_ref)
        for contact in self.g.objects(dataset_ref, DCAT.contactPoint):
            self.g.add((contact, RDF.type, VCARD.Kind))
            self._tag_zh(contact, (VCARD.fn,))
        self._add_data_items(dataset_dict, dataset_ref)
        self._add_catalog_fields(dataset_dict, dataset_ref)
        self._add_uses(dataset_dict, dataset_ref)
        for resource_dict in dataset_dict.get("resources", []):
            self._add_distribution(dataset_dict, dataset_ref, resource_dict)

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        super().graph_from_catalog(catalog_dict, catalog_ref)
        g = self.g
        g.remove((catalog_ref, DCT.language, None))
        self._add_language(catalog_ref)
        if (catalog_ref, DCT.description, None) not in g:
            g.add((catalog_ref, DCT.description, Literal(
                tk.config.get("ckan.site_title") + "公共数据开放目录", lang=LANG)))
        self._tag_zh(catalog_ref, (DCT.title, DCT.description))
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        publisher = URIRef(tk.config.get("ckan.site_url").rstrip("/") + "#publisher")
        g.add((catalog_ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(self._catalog_publisher_name(), lang=LANG)))

    def _catalog_publisher_name(self) -> str:
        org_name = tk.config.get("ckanext.lyg_opendata.supervisor_org")
        try:
            org = tk.get_action("organization_show")(
                {"ignore_auth": True}, {"id": org_name, "include_datasets": False})
            return org["title"] or org["name"]
        except tk.ObjectNotFound:
            return tk.config.get("ckan.site_title")

    # --- RDF → CKAN ------------------------------------------------------------------

    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        extras = {e["key"]: e["value"] for e in dataset_dict.get("extras", [])}
        self._parse_languages(dataset_dict, dataset_ref)
        self._parse_identity(dataset_dict, dataset_ref)
        self._parse_license(dataset_dict, dataset_ref)
        self._parse_open_type(dataset_dict, dataset_ref, extras)
        self._parse_frequency(dataset_dict, dataset_ref)
        self._parse_subject_areas(dataset_dict, dataset_ref)
        self._parse_data_items(dataset_dict, dataset_ref)
        self._parse_catalog_fields(dataset_dict, dataset_ref, extras)
        for resource_dict in dataset_dict.get("resources", []):
            self._parse_distribution(dataset_dict, resource_dict)
        if is_conditional(dataset_dict):
            self._parse_application_url(dataset_dict, dataset_ref)
        if not dataset_dict.get("notes"):
            dataset_dict["notes"] = dataset_dict.get("title") or ""
        for key in REVIEW_FIELDS:
            dataset_dict.pop(key, None)
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", [])
                                  if e["key"] not in CONSUMED_EXTRAS and not self._schema_field(e["key"])]
        return dataset_dict
