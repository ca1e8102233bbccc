"""Conditional data (有条件开放) in DCAT. Exported, a conditional dataset's distributions
point at the application page: the profile receives the dict redacted by the access domain
(``access/redaction.py``: each resource's ``url`` is the application page, no download or
access URL), as every other profile does, and does no redaction of its own. Parsed, a
harvested conditional copy keeps where its source takes applications."""
from __future__ import annotations

from ckanext.dcat.profiles.base import DCAT

from ckanext.lyg_opendata.access.rights import SOURCE_APPLICATION_URL


class Conditional:
    """Where a harvested conditional copy is applied for (a mixin of ``LygOpendataProfile``)."""

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
