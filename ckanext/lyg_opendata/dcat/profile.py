"""The ``lyg_opendata`` DCAT profile: DCAT-AP 3 plus the catalog fields of this portal.

Builds on ckanext-dcat's ``euro_dcat_ap_3`` (which it calls through ``super()``), then
states the catalog fields with EU vocabularies where they exist and with this project's
namespace (``mapping.LYG``) where they do not, so that a harvester running this profile
gets every field back. Enabled with ``ckanext.dcat.rdf.profiles = lyg_opendata`` (alone:
it already contains ``euro_dcat_ap_3``). The mapping table is in the README, "DCAT and
harvesting".

Conditional data (有条件开放): distributions point at the application page and carry no
download or data URL. The access domain removes those URLs from every dataset dict before
any profile sees them; this profile also drops them itself.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.dcat.profiles.base import ADMS, DCAT, DCT, FOAF, VCARD

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.dcat import languages
from ckanext.lyg_opendata.dcat import mapping as m

LANG = "zh"
PLACEHOLDER_ITEM_CODE = "source_unspecified"


SOURCE_APPLICATION_URL = "source_application_url"
# a harvested copy: the source's IRI of the dataset (of a distribution: a resource field)
SOURCE_URI = "source_uri"
# the languages of a harvested copy's title and description: {"title": {"en": …}, …,
# "lang": {"title": "en", "notes": "en"}}
TRANSLATIONS = "translations"
# what the reviewer must look at in a harvested copy, e.g. "no_access_rights"
HARVEST_FLAGS = "harvest_flags"
NO_ACCESS_RIGHTS = "no_access_rights"


def _extra(dataset_dict: dict[str, Any], key: str) -> Any:
    if dataset_dict.get(key):
        return dataset_dict[key]
    for extra in dataset_dict.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


def application_url(dataset_dict: dict[str, Any]) -> str:
    """Where a conditional dataset is applied for: its application page on this portal,
    ``/dataset/<name>/apply`` (the access domain's application form); for a harvested
    copy, its source's landing page (the source agency decides)."""
    if dataset_dict.get(SOURCE_APPLICATION_URL):
        return dataset_dict[SOURCE_APPLICATION_URL]
    for extra in dataset_dict.get("extras") or []:
        if extra.get("key") == SOURCE_APPLICATION_URL and extra.get("value"):
            return extra["value"]
    site = tk.config.get("ckan.site_url").rstrip("/")
    return f"{site}/dataset/{dataset_dict.get('name') or dataset_dict.get('id')}/apply"


def is_conditional(dataset_dict: dict[str, Any]) -> bool:
    return dataset_dict.get("open_type") == "conditional"


class LygOpendataProfile(EuropeanDCATAP3Profile):
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
        for resource_dict in dataset_dict.get("resources", []):
            self._add_distribution(dataset_dict, dataset_ref, resource_dict)
        if is_conditional(dataset_dict):
            self._redact(dataset_dict, dataset_ref)

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

    def _tag_zh(self, subject, predicates) -> None:
        """Untagged literals of this portal's content are Chinese."""
        for predicate in predicates:
            for obj in list(self.g.objects(subject, predicate)):
                if isinstance(obj, Literal) and obj.language is None and obj.datatype is None:
                    self.g.remove((subject, predicate, obj))
                    self.g.add((subject, predicate, Literal(str(obj), lang=LANG)))

    def _tag_languages(self, dataset_dict, dataset_ref) -> None:
        """Each title and description with its true language: this portal's own text @zh;
        a harvested copy's text with the tag it came with, and its other languages beside."""
        translations = _as_dict(_extra(dataset_dict, TRANSLATIONS))
        chosen = translations.get("lang") or {}
        for key, predicate in (("title", DCT.title), ("notes", DCT.description)):
            value = dataset_dict.get(key)
            texts = translations.get(key) or {}
            tag = chosen.get(key)
            if not value or tag is None or texts.get(tag) != value:
                self._tag_zh(dataset_ref, (predicate,))   # written (or edited) here
                tag = LANG
            else:
                self.g.remove((dataset_ref, predicate, None))
                self.g.add((dataset_ref, predicate, Literal(value, lang=tag or None)))
            for other, text in texts.items():
                if other != tag and text and other:
                    self.g.add((dataset_ref, predicate, Literal(text, lang=other)))

    def _add_provenance(self, dataset_dict, dataset_ref) -> None:
        """A harvested copy is described under this portal's URI; the source's IRI of the
        dataset stays as its identifier and its origin."""
        source_uri = _extra(dataset_dict, SOURCE_URI)
        if not source_uri or not str(source_uri).startswith(("http://", "https://")):
            return
        g = self.g
        source = URIRef(source_uri)
        g.add((dataset_ref, PROV.wasDerivedFrom, source))
        g.add((dataset_ref, DCT.source, source))
        if (dataset_ref, DCT.identifier, None) not in g:
            g.add((dataset_ref, DCT.identifier, Literal(source_uri)))
        identifier = BNode()
        g.add((dataset_ref, ADMS.identifier, identifier))
        g.add((identifier, RDF.type, ADMS.Identifier))
        g.add((identifier, SKOS.notation, Literal(source_uri, datatype=XSD.anyURI)))

    def _add_language(self, subject) -> None:
        self.g.add((subject, DCT.language, m.LANGUAGE.ZHO))
        self.g.add((m.LANGUAGE.ZHO, RDF.type, DCT.LinguisticSystem))

    def _add_access_rights(self, dataset_dict, dataset_ref) -> None:
        iri = m.OPEN_TYPE_ACCESS_RIGHT.get(dataset_dict.get("open_type"))
        if iri:
            self.g.remove((dataset_ref, DCT.accessRights, None))
            self.g.add((dataset_ref, DCT.accessRights, iri))
            self.g.add((iri, RDF.type, DCT.RightsStatement))

    def _add_frequency(self, dataset_dict, dataset_ref) -> None:
        iri = m.FREQUENCY_IRI.get(dataset_dict.get("update_frequency"))
        if iri:
            self.g.remove((dataset_ref, DCT.accrualPeriodicity, None))
            self.g.add((dataset_ref, DCT.accrualPeriodicity, iri))
            self.g.add((iri, RDF.type, DCT.Frequency))

    def _add_subject_areas(self, dataset_dict, dataset_ref) -> None:
        for code in _as_list(dataset_dict.get("subject_areas")):
            concept = m.subject_area_iri(code)
            self.g.add((dataset_ref, DCAT.theme, concept))
            self.g.add((concept, RDF.type, SKOS.Concept))
            self.g.add((concept, SKOS.inScheme, URIRef(m.SUBJECT_AREA_SCHEME)))
            self.g.add((concept, SKOS.notation, Literal(code)))
            self.g.add((concept, SKOS.prefLabel, Literal(vocab.label("subject_area", code, "zh"), lang="zh")))
            self.g.add((concept, SKOS.prefLabel, Literal(vocab.label("subject_area", code, "en"), lang="en")))
            for theme in m.SUBJECT_AREA_THEMES.get(code, []):
                self.g.add((dataset_ref, DCAT.theme, m.DATA_THEME[theme]))
                self.g.add((concept, SKOS.broadMatch, m.DATA_THEME[theme]))

    def _tag_publisher_zh(self, dataset_ref) -> None:
        for publisher in self.g.objects(dataset_ref, DCT.publisher):
            self._tag_zh(publisher, (FOAF.name,))

    def _add_data_items(self, dataset_dict, dataset_ref) -> None:
        """数据项 as a CSVW table schema, linked with dct:conformsTo."""
        items = [i for i in _as_list(dataset_dict.get("data_items"))
                 if isinstance(i, dict) and i.get("code") != PLACEHOLDER_ITEM_CODE]
        if not items:
            return   # the harvested placeholder is not something the source said
        g = self.g
        schema = URIRef(f"{dataset_ref}#data-items") if isinstance(dataset_ref, URIRef) else BNode()
        g.add((dataset_ref, DCT.conformsTo, schema))
        g.add((schema, RDF.type, DCT.Standard))
        g.add((schema, RDF.type, m.CSVW.Schema))
        g.add((schema, DCT.title, Literal("数据项", lang=LANG)))
        columns = []
        for item in items:
            column = BNode()
            g.add((column, RDF.type, m.CSVW.Column))
            g.add((column, m.CSVW.name, Literal(item.get("code") or "")))
            g.add((column, m.CSVW.titles, Literal(item.get("name_zh") or "", lang=LANG)))
            xsd = m.DATA_TYPE_XSD.get(item.get("type"))
            if xsd:
                g.add((column, m.CSVW.datatype, XSD[xsd]))
            if item.get("description"):
                g.add((column, DCT.description, Literal(item["description"], lang=LANG)))
            g.add((column, m.LYG.dataType, Literal(item.get("type") or "")))
            g.add((column, m.LYG.sensitivity, Literal(item.get("sensitive") or "")))
            columns.append(column)
        head = BNode()
        Collection(g, head, columns)
        g.add((schema, m.CSVW.column, head))

    def _add_catalog_fields(self, dataset_dict, dataset_ref) -> None:
        g = self.g
        if dataset_dict.get("open_type"):
            g.add((dataset_ref, m.LYG.openType, Literal(dataset_dict["open_type"])))
        grade = dataset_dict.get("data_grade")
        if grade:
            g.add((dataset_ref, m.LYG.dataGrade, Literal(grade)))
            g.add((dataset_ref, m.LYG.dataGradeLabel,
                   Literal(vocab.label("data_grade", grade, "zh"), lang=LANG)))
        for key, predicate in (("open_conditions", m.LYG.openConditions),
                               ("non_open_reason", m.LYG.nonOpenReason)):
            if dataset_dict.get(key):
                g.add((dataset_ref, predicate, Literal(dataset_dict[key], lang=LANG)))
        if dataset_dict.get("non_open_basis"):
            g.add((dataset_ref, m.LYG.nonOpenBasis, Literal(dataset_dict["non_open_basis"])))
        if dataset_dict.get("data_updated"):
            g.add((dataset_ref, m.LYG.dataUpdated,
                   Literal(str(dataset_dict["data_updated"])[:10], datatype=XSD.date)))
        code = dataset_dict.get("resource_code")
        if code:
            g.add((dataset_ref, m.LYG.resourceCode, Literal(code)))
            identifier = BNode()
            g.add((dataset_ref, ADMS.identifier, identifier))
            g.add((identifier, RDF.type, ADMS.Identifier))
            g.add((identifier, SKOS.notation, Literal(code)))
        spatial = dataset_dict.get("spatial_coverage")
        if spatial and isinstance(spatial, str):
            location = BNode()
            g.add((dataset_ref, DCT.spatial, location))
            g.add((location, RDF.type, DCT.Location))
            g.add((location, SKOS.prefLabel, Literal(spatial, lang=LANG)))

    def _add_distribution(self, dataset_dict, dataset_ref, resource_dict) -> None:
        g = self.g
        distribution = self._distribution_ref(dataset_ref, resource_dict)
        if distribution is None:
            return
        self._tag_zh(distribution, (DCT.title, DCT.description))
        fmt = (resource_dict.get("format") or "").upper()
        g.remove((distribution, DCT["format"], None))
        g.remove((distribution, DCAT.mediaType, None))
        if fmt in m.API_FORMATS:
            self._add_data_service(dataset_dict, dataset_ref, distribution, resource_dict)
        elif fmt in m.FORMATS:
            file_type, media_type = m.FORMATS[fmt]
            g.add((distribution, DCT["format"], m.FILE_TYPE[file_type]))
            g.add((m.FILE_TYPE[file_type], RDF.type, DCT.MediaTypeOrExtent))
            if media_type:
                g.add((distribution, DCAT.mediaType, URIRef(m.IANA + media_type)))
                g.add((URIRef(m.IANA + media_type), RDF.type, DCT.MediaType))
        license_url = dataset_dict.get("license_url")
        if license_url and (distribution, DCT.license, None) not in g:
            g.add((distribution, DCT.license, URIRef(license_url)))
            g.add((URIRef(license_url), RDF.type, DCT.LicenseDocument))
        if is_conditional(dataset_dict) and dataset_dict.get("open_conditions"):
            # one rights statement per distribution: the open conditions (a harvested copy
            # keeps its source's rights text in them)
            for old in list(g.objects(distribution, DCT.rights)):
                g.remove((distribution, DCT.rights, old))
                if isinstance(old, BNode):
                    g.remove((old, None, None))
            rights = BNode()
            g.add((distribution, DCT.rights, rights))
            g.add((rights, RDF.type, DCT.RightsStatement))
            g.add((rights, RDFS.label, Literal(dataset_dict["open_conditions"], lang=LANG)))

    def _distribution_ref(self, dataset_ref, resource_dict):
        from ckanext.dcat.utils import resource_uri
        if not resource_dict.get("id") and not resource_dict.get("uri"):
            return None
        ref = URIRef(resource_uri(resource_dict))
        return ref if (dataset_ref, DCAT.distribution, ref) in self.g else None

    def _add_data_service(self, dataset_dict, dataset_ref, distribution, resource_dict) -> None:
        """An API has no file type: it is a dcat:DataService reached through the
        distribution."""
        g = self.g
        service = URIRef(f"{distribution}#service")
        g.add((distribution, DCAT.accessService, service))
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCT.title, Literal(resource_dict.get("name") or dataset_dict.get("title") or "API", lang=LANG)))
        endpoint = application_url(dataset_dict) if is_conditional(dataset_dict) else resource_dict.get("url")
        if endpoint:
            g.add((service, DCAT.endpointURL, URIRef(endpoint)))
        g.add((service, DCAT.servesDataset, dataset_ref))
        iri = m.OPEN_TYPE_ACCESS_RIGHT.get(dataset_dict.get("open_type"))
        if iri:
            g.add((service, DCT.accessRights, iri))

    def _redact(self, dataset_dict, dataset_ref) -> None:
        """No download or data URL of conditional data, only the application page."""
        g = self.g
        apply = URIRef(application_url(dataset_dict))
        data_urls = {str(r.get(k)) for r in dataset_dict.get("resources", [])
                     for k in ("url", "download_url", "access_url") if r.get(k)}
        for distribution in list(g.objects(dataset_ref, DCAT.distribution)):
            g.remove((distribution, DCAT.downloadURL, None))
            g.remove((distribution, DCAT.accessURL, None))
            g.add((distribution, DCAT.accessURL, apply))
        for s, p, o in list(g):
            if str(o) in data_urls and str(o) != str(apply):
                g.remove((s, p, o))

    # --- RDF → CKAN ------------------------------------------------------------------

    def _object_value(self, subject, predicate, multilingual=False):
        """Literals in the best language for this portal (BCP 47, ``languages.py``), not
        the first one found."""
        if not multilingual:
            objects = list(self.g.objects(subject, predicate))
            if objects and all(isinstance(o, Literal) for o in objects):
                return str(objects[languages.best([o.language for o in objects])])
        return super()._object_value(subject, predicate, multilingual=multilingual)

    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        extras = {e["key"]: e["value"] for e in dataset_dict.get("extras", [])}
        self._parse_languages(dataset_dict, dataset_ref)
        self._parse_identity(dataset_dict, dataset_ref)
        self._parse_license(dataset_dict, dataset_ref)
        consumed = {"access_rights", "frequency", "theme", "language", "conforms_to",
                    "spatial_text", "contact_name", "contact_email", "contact_uri",
                    "alternate_identifier", "issued", "modified"}
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
        # set by this portal's review, never by the source (Art 12)
        for key in ("issued", "review_status", "desensitized"):
            dataset_dict.pop(key, None)
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", [])
                                  if e["key"] not in consumed and not self._schema_field(e["key"])]
        return dataset_dict

    def _parse_languages(self, dataset_dict, dataset_ref) -> None:
        """Title and description in the best language; the others kept in
        ``translations`` (exported again with their own tags)."""
        translations: dict[str, Any] = {"lang": {}}
        keep = False
        for key, predicate in (("title", DCT.title), ("notes", DCT.description)):
            literals = [o for o in self.g.objects(dataset_ref, predicate) if isinstance(o, Literal)]
            if not literals:
                continue
            chosen = literals[languages.best([o.language for o in literals])]
            dataset_dict[key] = str(chosen)
            translations[key] = {(o.language or ""): str(o) for o in literals}
            translations["lang"][key] = chosen.language or ""
            if len(translations[key]) > 1 or not languages.is_chinese(chosen.language):
                keep = True
        if keep:
            dataset_dict.setdefault("extras", []).append(
                {"key": TRANSLATIONS, "value": json.dumps(translations, ensure_ascii=False)})

    def _parse_identity(self, dataset_dict, dataset_ref) -> None:
        """The copy gets this portal's URIs; the source's IRI stays as ``source_uri``."""
        dataset_dict.pop("uri", None)
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", []) if e["key"] != "uri"]
        dataset_dict["source_identifier"] = _extra(dataset_dict, "identifier") or ""
        if isinstance(dataset_ref, URIRef):
            dataset_dict.setdefault("extras", []).append({"key": SOURCE_URI, "value": str(dataset_ref)})
        for resource in dataset_dict.get("resources", []):
            uri = resource.pop("uri", None)
            if uri:
                resource[SOURCE_URI] = uri

    def _parse_license(self, dataset_dict, dataset_ref) -> None:
        if dataset_dict.get("license_id"):
            return
        iris = [str(o) for o in self.g.objects(dataset_ref, DCT.license)]
        iris += [str(o) for d in self.g.objects(dataset_ref, DCAT.distribution)
                 for o in self.g.objects(d, DCT.license)]
        for iri in iris:
            found = m.license_id(iri)
            if found:
                dataset_dict["license_id"] = found
                return

    def _rights_text(self, dataset_ref) -> str:
        """The source's own rights text (dct:rights of the dataset or its distributions)."""
        subjects = [dataset_ref] + list(self.g.objects(dataset_ref, DCAT.distribution))
        for subject in subjects:
            for rights in self.g.objects(subject, DCT.rights):
                if isinstance(rights, Literal):
                    return str(rights)
                labels = list(self.g.objects(rights, RDFS.label))
                if labels:
                    return str(labels[languages.best([getattr(o, "language", None) for o in labels])])
        return ""

    def _parse_open_type(self, dataset_dict, dataset_ref, extras) -> None:
        codes = {str(iri): code for code, iri in m.OPEN_TYPE_ACCESS_RIGHT.items()}
        value = self._object_value(dataset_ref, m.LYG.openType)
        if value not in vocab.codes("open_type"):
            value = codes.get(str(self.g.value(dataset_ref, DCT.accessRights) or ""))
        if not value:
            # the source does not say: never published on our own, the reviewer decides
            dataset_dict.setdefault("extras", []).append(
                {"key": HARVEST_FLAGS, "value": NO_ACCESS_RIGHTS})
        dataset_dict["open_type"] = value or "unconditional"

    def _parse_frequency(self, dataset_dict, dataset_ref) -> None:
        iri = self.g.value(dataset_ref, DCT.accrualPeriodicity)
        dataset_dict["update_frequency"] = m.READ_FREQUENCY_CODE.get(str(iri or "").rstrip("/"), "irregular")

    def _parse_subject_areas(self, dataset_dict, dataset_ref) -> None:
        themes = [str(t) for t in self.g.objects(dataset_ref, DCAT.theme)]
        own = [c for c in (m.subject_area_code(t) for t in themes) if c in vocab.codes("subject_area")]
        if not own:
            for theme in themes:
                code = m.THEME_SUBJECT_AREA.get(theme.rsplit("/", 1)[-1]) if theme.startswith(str(m.DATA_THEME)) else None
                if code and code not in own:
                    own.append(code)
        if own:
            order = vocab.codes("subject_area")
            dataset_dict["subject_areas"] = sorted(own, key=order.index)

    def _parse_data_items(self, dataset_dict, dataset_ref) -> None:
        items = []
        for schema in self.g.objects(dataset_ref, DCT.conformsTo):
            head = self.g.value(schema, m.CSVW.column)
            if head is None:
                continue
            for column in Collection(self.g, head):
                data_type = self._object_value(column, m.LYG.dataType)
                if data_type not in vocab.codes("data_type"):
                    data_type = _xsd_to_type(self.g.value(column, m.CSVW.datatype))
                sensitive = self._object_value(column, m.LYG.sensitivity)
                items.append({
                    "name_zh": self._object_value(column, m.CSVW.titles) or self._object_value(column, m.CSVW.name),
                    "code": self._object_value(column, m.CSVW.name),
                    "type": data_type,
                    "description": self._object_value(column, DCT.description) or "",
                    "sensitive": sensitive if sensitive in vocab.codes("sensitivity") else "no",
                })
            break
        if not items:
            # the source states no data items: a placeholder the reviewer replaces
            items = [{"name_zh": "来源目录未提供数据项", "code": PLACEHOLDER_ITEM_CODE,
                      "type": "string", "sensitive": "no",
                      "description": "由采集导入，来源目录未提供数据项，审核时补充。"}]
        dataset_dict["data_items"] = items

    def _parse_catalog_fields(self, dataset_dict, dataset_ref, extras) -> None:
        value = self._object_value
        grade = value(dataset_ref, m.LYG.dataGrade)
        if grade in vocab.codes("data_grade"):
            dataset_dict["data_grade"] = grade
        for key, predicate in (("open_conditions", m.LYG.openConditions),
                               ("non_open_reason", m.LYG.nonOpenReason),
                               ("non_open_basis", m.LYG.nonOpenBasis),
                               ("resource_code", m.LYG.resourceCode),
                               ("data_updated", m.LYG.dataUpdated)):
            found = value(dataset_ref, predicate)
            if found:
                dataset_dict[key] = found
        if dataset_dict["open_type"] == "conditional" and not dataset_dict.get("open_conditions"):
            dataset_dict["open_conditions"] = self._rights_text(dataset_ref) or "见来源平台的开放条件。"
        if dataset_dict["open_type"] == "non_open":
            dataset_dict.setdefault("non_open_basis", "other_law")
            dataset_dict.setdefault("non_open_reason", "来源目录标注为非开放。")
        if extras.get("spatial_text"):
            dataset_dict["spatial_coverage"] = extras["spatial_text"]
        if extras.get("contact_name") and not dataset_dict.get("maintainer"):
            dataset_dict["maintainer"] = extras["contact_name"]
        if extras.get("contact_email") and not dataset_dict.get("maintainer_email"):
            dataset_dict["maintainer_email"] = extras["contact_email"].replace("mailto:", "")
        for key in ("temporal_start", "temporal_end"):
            if dataset_dict.get(key):
                dataset_dict[key] = str(dataset_dict[key])[:10]

    def _parse_application_url(self, dataset_dict, dataset_ref) -> None:
        """A conditional copy is applied for at its source: the source's landing page,
        else the source's dataset IRI, else where its distributions are accessed."""
        candidates = [str(o) for d in self.g.objects(dataset_ref, DCAT.distribution)
                      for o in self.g.objects(d, DCAT.accessURL)]
        candidates += [dataset_dict.get("url"), str(dataset_ref)]
        found = next((c for c in candidates if c and c.startswith(("http://", "https://"))), None)
        if found:
            dataset_dict.setdefault("extras", []).append(
                {"key": SOURCE_APPLICATION_URL, "value": found})

    def _parse_distribution(self, dataset_dict, resource_dict) -> None:
        distribution = URIRef(resource_dict["distribution_ref"]) \
            if resource_dict.get("distribution_ref", "").startswith("http") \
            else _bnode_or_none(resource_dict.get("distribution_ref"))
        fmt = mimetype = None
        if distribution is not None:
            values = []
            for predicate in (DCT["format"], DCAT.mediaType):
                for value in self.g.objects(distribution, predicate):
                    described = [self.g.value(value, RDF.value), self.g.value(value, RDFS.label)]
                    if any(described):   # a dct:IMT with rdf:value / rdfs:label
                        values += [d for d in described if d is not None]
                    elif not isinstance(value, BNode):
                        values.append(value)
            fmt, mimetype = m.format_and_mimetype(values)
            if not fmt and (distribution, DCAT.accessService, None) in self.g:
                fmt = "API"
        if fmt:
            resource_dict["format"] = fmt
        elif str(resource_dict.get("format") or "").startswith(("http://", "https://")):
            resource_dict.pop("format")   # an IRI of an unknown vocabulary is no format
        if mimetype:
            resource_dict["mimetype"] = mimetype
        resource_dict.pop("access_services", None)


def _as_dict(value: Any) -> dict:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [v.strip() for v in value.split(",") if v.strip()]
    return value if isinstance(value, list) else []


def _xsd_to_type(datatype) -> str:
    reverse = {"string": "string", "integer": "integer", "decimal": "decimal", "date": "date",
               "dateTime": "datetime", "boolean": "boolean", "base64Binary": "binary"}
    name = str(datatype or "").rsplit("#", 1)[-1]
    return reverse.get(name, "string")


def _bnode_or_none(value: Optional[str]):
    return BNode(value) if value else None
