"""Every msgstr follows GLOSSARY.md: no rejected variant in our catalog, nor in the merged
catalog (CKAN core's wording included) for any msgid a page can show."""
from __future__ import annotations

import polib
import pytest

from ckanext.lyg_opendata.i18n import build, glossary, sources


def test_glossary_is_readable():
    rules = glossary.rules()
    assert len(rules) > 20
    assert glossary.violations("请登陆后查看资料") == ["资料→数据", "登陆→登录"] or \
        sorted(glossary.violations("请登陆后查看资料")) == sorted(["资料→数据", "登陆→登录"])
    assert glossary.violations("数据开放主体的数据资源") == []
    assert glossary.violations("统一资源标识符") == []


@pytest.mark.parametrize("path", [build.OWN_PO, build.CORE_PO], ids=lambda p: p.name)
def test_no_rejected_variant_in_our_catalog(path):
    rules = glossary.rules()
    bad = []
    for e in polib.pofile(str(path)):
        found = glossary.violations(build.text_of(e), rules)
        if found:
            bad.append(f"  {e.msgid[:60]!r}: {found}")
    assert not bad, f"{path.name} uses rejected variants:\n" + "\n".join(bad)


@pytest.mark.usefixtures("with_plugins")
def test_no_rejected_variant_in_the_merged_catalog(app):
    import flask_babel
    rules = glossary.rules()
    with app.flask_app.test_request_context("/"):
        catalog = flask_babel.get_translations()._catalog
    bad = []
    for key, (src, _loc) in sources.all_msgids().items():
        text = catalog.get((key[0], 0) if isinstance(key, tuple) else key)
        found = glossary.violations(text or "", rules)
        if found:
            bad.append(f"  {sources.singular(key)[:60]!r} ({src}): {found}")
    assert not bad, "rejected variants in what pages show:\n" + "\n".join(bad[:80])
