"""The documentation stays true: the configuration reference is what CKAN generates from the
declaration, and the README links every page of docs/ (and only pages that exist)."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
MARK = "<!-- generated below by `make docs`"


@pytest.mark.usefixtures("with_plugins")
def test_configuration_reference_is_generated_from_the_declaration(cli):
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["config", "docs", "lyg_opendata", "-f", "md"])
    assert result.exit_code == 0, result.output
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert MARK in doc
    generated = doc.split(MARK, 1)[1].split("-->", 1)[1]
    assert "ckanext.lyg_opendata.applications.deadline_workdays" in result.output
    assert generated.strip() == result.output.strip(), "docs/configuration.md is stale: run make docs"


def test_readme_links_every_doc_and_every_link_resolves():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[^)#]+)", readme))
    pages = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert pages and pages == linked, (pages - linked, linked - pages)
    for page in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([a-z0-9_-]+\.md)", page.read_text(encoding="utf-8")):
            assert (ROOT / "docs" / target).exists(), (page.name, target)
