"""Build the extension's zh_Hans_CN catalog.

Two sources, one compiled catalog:

- ``zh_Hans_CN/LC_MESSAGES/ckanext-lyg_opendata.po`` — this extension's own strings
  (template: ``ckanext-lyg_opendata.pot``, extracted from the sources);
- ``core/zh_Hans_CN.po`` — Chinese for the CKAN core, ckanext-scheming, ckanext-dcat and
  ckanext-harvest msgids that CKAN's own zh_Hans_CN catalog leaves untranslated, or words
  against GLOSSARY.md (each such override keeps the upstream wording in a ``#. upstream:``
  comment). Kept apart so that it can be diffed after a CKAN upgrade.

Both are merged (own strings win) into ``zh_Hans_CN/LC_MESSAGES/ckanext-lyg_opendata.mo``,
which CKAN loads through ITranslation and Flask-Babel merges over core's catalog.

The front end's strings are another catalog: CKAN's ``build_js_translations`` (run by
``ckan run`` and ``ckan translation js``) writes ``<storage>/i18n/js/<lang>.js`` from the
``.js`` entries of each ``.pot`` and the translations of CKAN's ``ckan.po`` and of each
ITranslation plugin's ``.po`` — never from a ``.mo``, nor from ``core/``. So ``pot`` also
lists every msgid of the JavaScript (``sources.javascript()``, with its ``.js`` location)
and ``pot`` and ``compile`` copy their translation (``core/zh_Hans_CN.po``, else CKAN's
catalog) into the own ``.po``, marked ``#. JavaScript``: edit them in ``core/``.

    python -m ckanext.lyg_opendata.i18n.build            # = compile
    python -m ckanext.lyg_opendata.i18n.build pot        # re-extract own strings, update own .po
    python -m ckanext.lyg_opendata.i18n.build draft      # add drafts for what is missing
    python -m ckanext.lyg_opendata.i18n.build check      # counts; exit 1 if anything is missing
    python -m ckanext.lyg_opendata.i18n.build compile    # write the .mo

``draft`` needs OpenCC (dev tool: ``pip install opencc-python-reimplemented==0.1.7``): a new
msgid gets CKAN's zh_Hant_TW wording converted with OpenCC's ``tw2sp`` and the glossary's
replacements, flagged ``fuzzy`` — a fuzzy entry is not compiled, and the tests fail until a
person has read it, corrected it and removed the flag.
"""
from __future__ import annotations

import pathlib
import sys
from typing import Dict, Optional

import polib

from ckanext.lyg_opendata.i18n import glossary, sources

HERE = pathlib.Path(__file__).resolve().parent
LOCALE = sources.LOCALE
DOMAIN = sources.DOMAIN
POT = HERE / f"{DOMAIN}.pot"
OWN_PO = HERE / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.po"
CORE_PO = HERE / "core" / f"{LOCALE}.po"
MO = HERE / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.mo"

HEADER = {
    "Project-Id-Version": "ckanext-lyg_opendata",
    "Report-Msgid-Bugs-To": "",
    "Language": LOCALE,
    "Language-Team": "zh_Hans_CN",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


# --- reading catalogs -----------------------------------------------------------------

def key_of(entry: polib.POEntry):
    return (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid


def text_of(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\n".join(v for _, v in sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def is_done(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def upstream_po(locale: str = LOCALE) -> polib.POFile:
    return polib.pofile(str(sources.package_dir("ckan") / "i18n" / locale
                            / "LC_MESSAGES" / "ckan.po"))


def done_entries(po: polib.POFile) -> Dict[object, polib.POEntry]:
    return {key_of(e): e for e in po if e.msgid and is_done(e)}


def load(path: pathlib.Path) -> polib.POFile:
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(HEADER)
    return po


def save(po: polib.POFile, path: pathlib.Path, sort: bool = True) -> None:
    if sort:
        po.sort(key=lambda e: (e.msgid, e.msgid_plural or ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.metadata.update(HEADER)
    po.save(str(path))


# --- pot ------------------------------------------------------------------------------

def cmd_pot() -> int:
    found = dict(sources.extension())
    for key, loc in sources.javascript().items():
        found.setdefault(key, loc)
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = dict(HEADER, Language="")
    pot.metadata.pop("Language")
    for key, loc in sources.iter_keys_with(found):
        pot.append(_entry(key, loc))
    save(pot, POT)
    own = load(OWN_PO)
    have = {key_of(e): e for e in own}
    incoming = incoming_translations()
    new = polib.POFile(wrapwidth=0)
    new.metadata = dict(HEADER)
    for e in pot:
        old = have.get(key_of(e))
        if old is not None:
            old.occurrences = e.occurrences
            entry = old
        else:
            entry = _entry(key_of(e), e.occurrences[0][0] if e.occurrences else "")
        given = incoming.get(key_of(e))
        if given is not None and not is_done(entry):
            entry.msgstr, entry.msgstr_plural = given.msgstr, given.msgstr_plural
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        new.append(entry)
    dropped = [k for k in have if k not in {key_of(e) for e in pot}]
    sync_javascript(new)
    save(new, OWN_PO)
    print(f"{POT.name}: {len(pot)} msgids; {OWN_PO.name}: {len(new)} entries"
          f" ({sum(not is_done(e) for e in new)} to translate, {len(dropped)} dropped)")
    overridden = _incoming_core_overrides(incoming, {key_of(e) for e in pot})
    if overridden:
        print(f"{CORE_PO.name}: {overridden} override(s) of CKAN's wording from incoming/")
    return 0


def _incoming_core_overrides(incoming: Dict[object, polib.POEntry], own: set) -> int:
    """An incoming msgid that is not the extension's but CKAN's (e.g. a traditional
    character in CKAN's own zh_Hans_CN wording) overrides it in core/, keeping the upstream
    wording in a ``#. upstream:`` comment."""
    upstream = {key_of(e): e for e in upstream_po() if e.msgid}
    core = load(CORE_PO)
    have = {key_of(e): e for e in core}
    changed = 0
    for key, given in incoming.items():
        if key in own or key not in upstream:
            continue
        entry = have.get(key)
        if entry is None:
            entry = _entry(key, "")
            entry.occurrences = upstream[key].occurrences
            entry.comment = "upstream: " + text_of(upstream[key])
            core.append(entry)
        if text_of(entry) != text_of(given) or "fuzzy" in entry.flags:
            entry.msgstr, entry.msgstr_plural = given.msgstr, given.msgstr_plural
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            changed += 1
    if changed:
        save(core, CORE_PO)
    return changed


INCOMING = HERE / "incoming"


def incoming_translations() -> Dict[object, polib.POEntry]:
    """Translations handed in by work done in parallel (``incoming/*.po``, msgid/msgstr
    pairs): taken for msgids the own catalog has not translated yet, then the files can go."""
    found: Dict[object, polib.POEntry] = {}
    for path in sorted(INCOMING.glob("*.po")) if INCOMING.is_dir() else []:
        found.update(done_entries(polib.pofile(str(path))))
    return found


def _entry(key, loc: str) -> polib.POEntry:
    kw = {}
    if isinstance(key, tuple):
        kw = {"msgid": key[0], "msgid_plural": key[1], "msgstr_plural": {0: ""}}
    else:
        kw = {"msgid": key, "msgstr": ""}
    path, _, line = loc.rpartition(":")
    occ = [(path, line)] if path else []
    return polib.POEntry(occurrences=occ, **kw)


JS_COMMENT = "JavaScript: copied by build.py from core/zh_Hans_CN.po or CKAN's catalog, " \
             "for /api/i18n/<lang>; edit it there"


def sync_javascript(own: polib.POFile) -> int:
    """Give the own ``.po``'s JavaScript entries (CKAN's msgids, not the extension's) the
    translation of ``core/zh_Hans_CN.po``, else of CKAN's catalog; returns how many changed."""
    js = set(sources.javascript()) - set(sources.extension())
    core = done_entries(load(CORE_PO))
    up = done_entries(upstream_po())
    changed = 0
    for e in own:
        key = key_of(e)
        if key not in js:
            continue
        src = core.get(key) or up.get(key)
        if e.comment != JS_COMMENT:
            e.comment = JS_COMMENT
        if src is None or "fuzzy" in e.flags:
            continue
        if e.msgid_plural:
            want = {0: text_of(src)}
            if e.msgstr_plural != want:
                e.msgstr_plural, changed = want, changed + 1
        elif e.msgstr != src.msgstr:
            e.msgstr, changed = src.msgstr, changed + 1
    return changed


# --- what the core section must hold --------------------------------------------------

def core_needed() -> Dict[object, tuple]:
    """Every non-extension msgid that upstream leaves untranslated or words against the
    glossary → (source name, location, upstream msgstr or None)."""
    up = done_entries(upstream_po())
    rules = glossary.rules()
    out = {}
    for key, (src, loc) in sources.all_msgids().items():
        if src == "lyg_opendata":
            continue
        entry = up.get(key)
        if entry is None:
            out[key] = (src, loc, None)
        elif glossary.violations(text_of(entry), rules) or \
                glossary.english_words(text_of(entry)):
            out[key] = (src, loc, text_of(entry))
    return out


def cmd_draft() -> int:
    from opencc import OpenCC  # dev tool only
    cc = OpenCC("tw2sp")
    rules = glossary.rules()
    tw = done_entries(upstream_po("zh_Hant_TW"))
    core = load(CORE_PO)
    have = {key_of(e): e for e in core}
    needed = core_needed()
    added = 0
    for key, (src, loc, upstream) in needed.items():
        if key in have:
            continue
        entry = _entry(key, loc)
        draft: Optional[str] = None
        if upstream is not None:
            draft, how = upstream, "upstream zh_Hans_CN, glossary replacements"
        elif key in tw:
            draft, how = cc.convert(text_of(tw[key])), "zh_Hant_TW via OpenCC tw2sp"
        if upstream is not None:
            entry.comment = f"upstream: {upstream}"
        if draft is not None:
            draft = glossary.normalize(draft, rules)
            if entry.msgid_plural:
                entry.msgstr_plural = {0: draft}
            else:
                entry.msgstr = draft
            entry.tcomment = f"draft: {how}"
            entry.flags.append("fuzzy")
        core.append(entry)
        added += 1
    stale = [k for k in have if k not in needed]
    save(core, CORE_PO)
    print(f"{CORE_PO}: {added} entries added; {len(stale)} no longer needed "
          f"(upstream translated them, or they left the sources):")
    for k in stale:
        print("   ", sources.singular(k)[:70])
    return 0


# --- compile and check ----------------------------------------------------------------

def merged_po() -> polib.POFile:
    out = polib.POFile(wrapwidth=0)
    out.metadata = dict(HEADER, **{"PO-Revision-Date": ""})
    seen = set()
    for path in (OWN_PO, CORE_PO):           # own strings first: they win
        if not path.exists():
            continue
        for e in polib.pofile(str(path)):
            k = key_of(e)
            if k in seen or not is_done(e):
                continue
            seen.add(k)
            out.append(polib.POEntry(msgid=e.msgid, msgid_plural=e.msgid_plural,
                                     msgstr=e.msgstr, msgstr_plural=e.msgstr_plural))
    out.sort(key=lambda e: (e.msgid, e.msgid_plural or ""))
    return out


def cmd_compile() -> int:
    own = load(OWN_PO)
    if sync_javascript(own):
        save(own, OWN_PO)
    po = merged_po()
    po.metadata.pop("PO-Revision-Date", None)
    MO.parent.mkdir(parents=True, exist_ok=True)
    po.save_as_mofile(str(MO))
    print(f"{MO.relative_to(HERE.parent.parent.parent)}: {len(po)} messages")
    return 0


def cmd_check() -> int:
    rules = glossary.rules()
    up = done_entries(upstream_po())
    ours = {key_of(e): e for e in merged_po()}
    all_ids = sources.all_msgids()
    missing = [k for k in all_ids if k not in ours and k not in up]
    fuzzy = [key_of(e) for p in (OWN_PO, CORE_PO) if p.exists()
             for e in polib.pofile(str(p)) if "fuzzy" in e.flags]
    bad = []
    for k in all_ids:
        e = ours.get(k) or up.get(k)
        if e is not None:
            found = glossary.violations(text_of(e), rules) + glossary.english_words(text_of(e))
            if found:
                bad.append((k, found))
    print(f"{len(all_ids)} msgids; {len(ours)} in our catalog; "
          f"{len(missing)} untranslated; {len(fuzzy)} fuzzy; {len(bad)} against the glossary")
    for k in missing[:40]:
        print("  untranslated:", sources.singular(k)[:80], all_ids[k])
    for k, v in bad[:40]:
        print("  glossary:", sources.singular(k)[:60], v)
    return 1 if (missing or fuzzy or bad) else 0


COMMANDS = {"pot": cmd_pot, "draft": cmd_draft, "compile": cmd_compile, "check": cmd_check}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv) or ["compile"]
    rc = 0
    for name in argv:
        rc = COMMANDS[name]() or rc
    return rc


if __name__ == "__main__":
    sys.exit(main())
