"""Reading a harvest source (the gather stage's first half): every page of the catalog is
downloaded (``fetch.py``) and parsed with ckanext-dcat's parser and profiles before anything
is written; each dataset becomes (guid, dataset dict, error), so that a dataset without a
title does not stop the valid one beside it. A failure anywhere raises ``GatherFailed``."""
from __future__ import annotations

import logging

from rdflib import URIRef

from ckanext.dcat.processors import RDFParser, RDFParserException

from ckanext.lyg_opendata.dcat import fetch
from ckanext.lyg_opendata.dcat.messages import Message
from ckanext.lyg_opendata.dcat.sources import source_config
from ckanext.lyg_opendata.i18n import N_

log = logging.getLogger(__name__)

RDF_FORMATS = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/rdf+xml": "xml",
    "application/ld+json": "json-ld", "application/json": "json-ld", "application/n-triples": "nt",
    "text/n3": "n3", "application/trig": "trig", "application/n-quads": "nquads",
}


class GatherFailed(Exception):
    """A gather that stops; ``message`` is a ``messages.Message``."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(str(message))


def read_source(harvest_job) -> list[tuple[str, dict | None, str | None]]:
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
        for entry in datasets(parser, source):
            if entry[0] in seen_guids:
                continue
            seen_guids.add(entry[0])
            entries.append(entry)
        url = parser.next_page()
    return entries

def datasets(parser, source):
    """(guid, dataset dict, error) of each dataset the parsed page describes."""
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
