"""Conditional data (有条件开放) in DCAT: distributions point at the application page
(``access.rights.application_url``) and carry no download or data URL; a harvested
conditional copy keeps where its source takes applications."""
from __future__ import annotations

from rdflib import URIRef

from ckanext.dcat.profiles.base import DCAT

from ckanext.lyg_opendata.access.rights import SOURCE_APPLICATION_URL, application_url


class Conditional:
    """The application page, both ways (a mixin of ``LygOpendataProfile``)."""

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
