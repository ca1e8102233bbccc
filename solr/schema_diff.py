"""Print the project's changes to CKAN's Solr schema as a unified diff.

    .venv/bin/python solr/schema_diff.py > solr/ckan-schema.diff

The committed solr/ckan-schema.diff is checked by tests/test_solr_schema.py: when a CKAN
upgrade changes ckan/config/solr/schema.xml, the test turns red; re-apply the diff to the
new schema (`patch -o solr/configset/conf/schema.xml <new ckan schema> solr/ckan-schema.diff`)
and regenerate the diff.
"""
from __future__ import annotations

import difflib
import pathlib
import sys

import ckan

HERE = pathlib.Path(__file__).resolve().parent
CKAN_SCHEMA = pathlib.Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"
OUR_SCHEMA = HERE / "configset" / "conf" / "schema.xml"


def schema_diff() -> str:
    ours = OUR_SCHEMA.read_text("utf-8").splitlines(keepends=True)
    theirs = CKAN_SCHEMA.read_text("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(
        theirs, ours, "ckan/config/solr/schema.xml", "solr/configset/conf/schema.xml"))


if __name__ == "__main__":
    sys.stdout.write(schema_diff())
