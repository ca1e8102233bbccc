"""CKAN → RDF for the catalog fields of a dataset: provenance of a harvested copy, 开放类型
as ``dct:accessRights``, 更新频度, 数据领域 as themes, 数据项 as a CSVW table schema, and
the fields without an EU vocabulary in this project's namespace (``mapping.LYG``)."""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, RDF, SKOS, XSD

from ckanext.dcat.profiles.base import ADMS, DCAT, DCT

from ckanext.lyg_opendata import vocab
from ckanext.lyg_opendata.dcat import mapping as m
from ckanext.lyg_opendata.dcat.profile.fields import (LANG, PLACEHOLDER_ITEM_CODE, SOURCE_URI,
                                                      as_list, extra)


class DatasetExport:
    """The dataset's catalog fields in the graph (a mixin of ``LygOpendataProfile``)."""

    def _add_provenance(self, dataset_dict, dataset_ref) -> None:
        """A harvested copy is described under this portal's URI; the source's IRI of the
        dataset stays as its identifier and its origin."""
        source_uri = extra(dataset_dict, SOURCE_URI)
        if not source_uri or not str(source_uri).startswith(("http://", "https://")):
            return
        g = self.g
        source = URIRef(source_uri)
        g.add((dataset_ref, PROV.wasDerivedFrom, source))
        g.add((dataset_ref, DCT.source, source))
        if (dataset_ref, DCT.identifier, None) not in g:
            g.add((dataset_ref, DCT.identifier, Literal(source_uri)))
        self._add_identifier(dataset_ref, Literal(source_uri, datatype=XSD.anyURI))

    def _add_identifier(self, dataset_ref, notation) -> None:
        g = self.g
        identifier = BNode()
        g.add((dataset_ref, ADMS.identifier, identifier))
        g.add((identifier, RDF.type, ADMS.Identifier))
        g.add((identifier, SKOS.notation, notation))

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
        for code in as_list(dataset_dict.get("subject_areas")):
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

    def _add_data_items(self, dataset_dict, dataset_ref) -> None:
        """数据项 as a CSVW table schema, linked with dct:conformsTo."""
        items = [i for i in as_list(dataset_dict.get("data_items"))
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
            self._add_identifier(dataset_ref, Literal(code))
        spatial = dataset_dict.get("spatial_coverage")
        if spatial and isinstance(spatial, str):
            location = BNode()
            g.add((dataset_ref, DCT.spatial, location))
            g.add((location, RDF.type, DCT.Location))
            g.add((location, SKOS.prefLabel, Literal(spatial, lang=LANG)))
