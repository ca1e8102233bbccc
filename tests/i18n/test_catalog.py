"""The merged zh_Hans_CN catalog (CKAN core's + this extension's, as Flask-Babel merges
them) translates every msgid of CKAN core, ckanext-scheming, ckanext-dcat, ckanext-harvest
and this extension. The msgids are collected at test time from the installed packages, so
an upgrade that brings new strings turns this red (then: ``build.py draft``, read, compile;
see docs/development.md)."""
from __future__ import annotations

import re

import polib
import pytest

from ckanext.lyg_opendata.i18n import build, sources

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(scope="module")
def msgids():
    return sources.all_msgids()


@pytest.fixture
def merged(app):
    """The translations Flask-Babel serves for zh_Hans_CN (its merge of the catalog
    directories of CKAN core and every ITranslation plugin, in plugin order)."""
    import flask_babel
    with app.flask_app.test_request_context("/"):
        translations = flask_babel.get_translations()
        assert str(flask_babel.get_locale()) == "zh_Hans_CN"
        return translations._catalog


def _lookup(catalog, key):
    if isinstance(key, tuple):
        return catalog.get((key[0], 0))
    return catalog.get(key)


def _report(keys, msgids, limit=60):
    lines = [f"  {sources.singular(k)[:90]!r}  ({msgids[k][0]}: {msgids[k][1]})"
             for k in list(keys)[:limit]]
    more = f"\n  … and {len(keys) - limit} more" if len(keys) > limit else ""
    return "\n".join(lines) + more


def test_sources_are_found(msgids):
    by_source = {}
    for name, _loc in msgids.values():
        by_source[name] = by_source.get(name, 0) + 1
    assert by_source.get("ckan", 0) > 1000
    assert by_source.get("scheming", 0) > 10
    assert by_source.get("dcat", 0) > 10
    assert by_source.get("harvest", 0) > 50


def test_every_msgid_is_translated_in_the_merged_catalog(merged, msgids):
    untranslated = [k for k in msgids if not _lookup(merged, k)]
    print(f"{len(msgids)} msgids, {len(untranslated)} untranslated")
    assert not untranslated, (
        f"{len(untranslated)} of {len(msgids)} msgids have no zh_Hans_CN translation; run "
        "`python -m ckanext.lyg_opendata.i18n.build pot draft`, translate, compile:\n"
        + _report(untranslated, msgids))


def test_no_fuzzy_or_empty_entry_in_our_po_files():
    bad = []
    for path in (build.OWN_PO, build.CORE_PO):
        for e in polib.pofile(str(path)):
            if "fuzzy" in e.flags or not build.is_done(e):
                bad.append(f"{path.name}: {e.msgid[:80]!r}")
    assert not bad, "fuzzy or untranslated entries:\n" + "\n".join(bad)


def test_own_po_follows_the_sources():
    """Every string of the extension's sources is in its .pot and .po (build.py pot)."""
    found = set(sources.extension())
    pot = {build.key_of(e) for e in polib.pofile(str(build.POT)) if e.msgid}
    own = {build.key_of(e) for e in polib.pofile(str(build.OWN_PO)) if e.msgid}
    assert not (found - pot), f"not in the .pot: {sorted(map(str, found - pot))[:20]}"
    assert not (found - own), f"not in the .po: {sorted(map(str, found - own))[:20]}"


def test_committed_mo_is_compiled_from_the_po_files():
    expected = {(build.key_of(e)): build.text_of(e) for e in build.merged_po()}
    mo = {(build.key_of(e)): build.text_of(e) for e in polib.mofile(str(build.MO)) if e.msgid}
    assert mo == expected, ("the .mo is out of date: "
                            "`python -m ckanext.lyg_opendata.i18n.build compile`")


def test_mo_declares_chinese_plural_forms():
    mo = polib.mofile(str(build.MO))
    assert mo.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in mo.metadata["Content-Type"]


PLACEHOLDER = re.compile(r"%\(\w+\)[sdrfi]|%[sdrfi]|\{\w*(?:![rs])?(?::[^{}]*)?\}")


def test_placeholders_are_kept():
    bad = []
    for path in (build.OWN_PO, build.CORE_PO):
        for e in polib.pofile(str(path)):
            if not e.msgid:
                continue
            if e.msgid_plural:
                want = sorted(set(PLACEHOLDER.findall(e.msgid_plural)))
                got = sorted(set(PLACEHOLDER.findall(e.msgstr_plural.get(0, ""))))
            else:
                want = sorted(set(PLACEHOLDER.findall(e.msgid)))
                got = sorted(set(PLACEHOLDER.findall(e.msgstr)))
            if want != got:
                bad.append(f"{e.msgid[:70]!r}: {want} vs {got}")
    assert not bad, "placeholders differ:\n" + "\n".join(bad)


def test_plural_messages_work(app):
    import flask_babel
    with app.flask_app.test_request_context("/"):
        one = flask_babel.ngettext("{number} group found", "{number} groups found", 1)
        many = flask_babel.ngettext("{number} group found", "{number} groups found", 5)
    assert one == many == "找到 {number} 个主题"


def test_our_translation_overrides_core(app):
    import flask_babel
    with app.flask_app.test_request_context("/"):
        assert flask_babel.gettext("Organizations") == "数据开放主体"
        assert flask_babel.gettext("Groups") == "主题"
        assert flask_babel.gettext("Log in") == "登录"
