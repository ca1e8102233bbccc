"""Distributions: the file type and media type of each resource from EU vocabularies, an
API as a ``dcat:DataService``, the licence and the open conditions of each distribution;
and the format of a harvested distribution read back."""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ckanext.dcat.profiles.base import DCAT, DCT

from ckanext.lyg_opendata.access.rights import application_url
from ckanext.lyg_opendata.dcat import mapping as m
from ckanext.lyg_opendata.dcat.profile.fields import LANG, bnode_or_none, is_conditional


class Distributions:
    """Resources ↔ distributions (a mixin of ``LygOpendataProfile``)."""

    # --- CKAN → RDF ------------------------------------------------------------------

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
            self._add_open_conditions(distribution, dataset_dict["open_conditions"])

    def _add_open_conditions(self, distribution, open_conditions) -> None:
        """One rights statement per distribution: the open conditions (a harvested copy
        keeps its source's rights text in them)."""
        g = self.g
        for old in list(g.objects(distribution, DCT.rights)):
            g.remove((distribution, DCT.rights, old))
            if isinstance(old, BNode):
                g.remove((old, None, None))
        rights = BNode()
        g.add((distribution, DCT.rights, rights))
        g.add((rights, RDF.type, DCT.RightsStatement))
        g.add((rights, RDFS.label, Literal(open_conditions, lang=LANG)))

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

    # --- RDF → CKAN ------------------------------------------------------------------

    def _parse_distribution(self, dataset_dict, resource_dict) -> None:
        distribution = URIRef(resource_dict["distribution_ref"]) \
            if resource_dict.get("distribution_ref", "").startswith("http") \
            else bnode_or_none(resource_dict.get("distribution_ref"))
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
