"""RDF → CKAN for a harvested copy: this portal's URIs with the source's IRI kept, the
licence, 开放类型 from ``dct:accessRights`` (flagged for the reviewer when the source does
not say), 更新频度, 数据领域 from themes, 数据项 from a CSVW table schema (or a placeholder)
and the catalog fields the review needs."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from ckanext.dcat.profiles.base import DCAT, DCT

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.dcat import languages
from ckanext.lyg_opendata.dcat import mapping as m
from ckanext.lyg_opendata.dcat.profile.fields import (HARVEST_FLAGS, NO_ACCESS_RIGHTS,
                                                      PLACEHOLDER_ITEM_CODE, SOURCE_URI, extra,
                                                      xsd_to_type)


class DatasetParse:
    """The dataset's catalog fields from the graph (a mixin of ``LygOpendataProfile``)."""

    def _parse_identity(self, dataset_dict, dataset_ref) -> None:
        """The copy gets this portal's URIs; the source's IRI stays as ``source_uri``."""
        dataset_dict.pop("uri", None)
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", []) if e["key"] != "uri"]
        dataset_dict["source_identifier"] = extra(dataset_dict, "identifier") or ""
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
                    data_type = xsd_to_type(self.g.value(column, m.CSVW.datatype))
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
