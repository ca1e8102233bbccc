"""The front end's strings (upload widget, autocomplete, confirm dialogs, …) are Chinese in
our catalog's wording: CKAN's build_js_translations (run by `ckan run` and `ckan translation
js`) reads CKAN's ckan.po and our own .po, which carries every JavaScript msgid (build.py)."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import i18n

from ckanext.lyg_opendata.i18n import build, glossary, sources

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture
def js_catalog(tmp_path, monkeypatch):
    """Build the per-locale JavaScript catalogs as `ckan run` does, into a fresh storage."""
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    i18n.build_js_translations()
    return tmp_path / "i18n" / "js"


def test_every_javascript_msgid_is_chinese_in_our_wording(app, js_catalog):
    import flask_babel
    built = json.loads((js_catalog / "zh_Hans_CN.js").read_text(encoding="utf-8"))
    missing, differ, english = [], [], []
    with app.flask_app.test_request_context("/"):
        merged = flask_babel.get_translations()   # what the pages use, unformatted
        for key in sources.javascript():
            msgid = sources.singular(key)
            entry = built.get(msgid)
            if not entry or not all(entry[1:]):
                missing.append(msgid)
                continue
            text = entry[1]
            want = (merged.ngettext(key[0], key[1], 2) if isinstance(key, tuple)
                    else merged.gettext(msgid))
            if text != want:
                differ.append(f"{msgid!r}: JS {text!r}, pages {want!r}")
            if glossary.english_words(text) or glossary.violations(text):
                english.append(f"{msgid!r}: {text!r}")
    assert not missing, f"JavaScript msgids without Chinese: {missing}"
    assert not differ, "JavaScript and pages word these differently:\n" + "\n".join(differ)
    assert not english, "English or rejected variants:\n" + "\n".join(english)


def test_own_po_carries_the_javascript_translations():
    """build.py copies them (`compile` keeps the copies in step with core/zh_Hans_CN.po)."""
    own = build.load(build.OWN_PO)
    assert build.sync_javascript(own) == 0, "run `make i18n` (build.py compile)"
    keys = {build.key_of(e) for e in own if build.is_done(e)}
    assert not set(sources.javascript()) - keys


def test_the_page_language_gets_the_chinese_catalog(app, js_catalog):
    """CKAN's JavaScript asks /api/i18n/zh_Hans-CN (frontend.py) on Chinese pages."""
    data = app.get("/api/i18n/zh_Hans-CN").json
    assert data["Please Confirm"] == [None, "请确认"]
    assert data["Upload"] == [None, "上传"]
    assert data["No matches found"] == [None, "没有匹配项"]
    assert "请确认" not in app.get("/api/i18n/en").body
