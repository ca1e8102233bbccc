"""DCAT-AP 3 validation of this portal's RDF with pyshacl (a test dependency).

Shapes: the official DCAT-AP 3.0.1 SHACL files vendored in ``shacl/`` (see
``shacl/SOURCE.md``); the EU vocabularies they check against: ``vocabularies/``, passed to
pyshacl as the ontology graph.
"""
from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

HERE = pathlib.Path(__file__).resolve().parent
SHAPES = [HERE / "shacl" / "dcat-ap-SHACL.ttl", HERE / "shacl" / "mdr-vocabularies.shape.ttl"]
VOCABULARIES = [HERE / "vocabularies" / "eu-authority-tables.ttl"]


@dataclass
class Report:
    conforms: bool
    violations: list[str]
    warnings: list[str]
    text: str


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for path in SHAPES:
        g.parse(path, format="turtle")
    return g


@functools.lru_cache(maxsize=1)
def vocabulary_graph() -> Graph:
    g = Graph()
    for path in VOCABULARIES:
        g.parse(path, format="turtle")
    return g


def validate(data: Graph) -> Report:
    """Validate ``data`` with RDFS inference, the EU vocabularies mixed in;
    ``violations`` lists the top-level sh:Violation results only."""
    import pyshacl

    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in vocabulary_graph():
        graph.add(triple)
    conforms, results, text = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="rdfs", abort_on_first=False,
        allow_warnings=True, meta_shacl=False)
    violations, warnings = [], []
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        line = "{} {} {}: {}".format(
            results.value(result, SH.focusNode), results.value(result, SH.resultPath),
            results.value(result, SH.value), results.value(result, SH.resultMessage))
        (violations if severity == SH.Violation else warnings).append(line)
    return Report(conforms=not violations, violations=sorted(violations),
                  warnings=sorted(warnings), text=text)
