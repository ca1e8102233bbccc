"""Where the portal's user-interface messages come from.

Collects, from the *installed* packages, the msgids that can reach a page of the portal:
CKAN core (its ``ckan.pot``), ckanext-scheming (ships no ``.pot``: its templates, Python and
the string labels of ``presets.json``, which scheming passes through gettext),
ckanext-dcat and ckanext-harvest (their ``.pot`` plus what their templates and Python hold
today, in case the ``.pot`` is stale) and this extension (extracted from its sources).

Used by ``build.py`` (to list what still needs a translation) and by the tests (so that an
upgrade that brings new strings turns the completeness test red). Only babel is needed.
"""
from __future__ import annotations

import importlib.util
import json
import pathlib
from typing import Dict, Iterable, Iterator, Tuple

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

HERE = pathlib.Path(__file__).resolve().parent
EXTENSION_DIR = HERE.parent              # ckanext/lyg_opendata
DOMAIN = "ckanext-lyg_opendata"
LOCALE = "zh_Hans_CN"

# A message key: the msgid for a singular message, (singular, plural) for a plural one.
Key = object

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "ungettext": (1, 2),
            "N_": None, "ugettext": None, "lazy_gettext": None}


def _method(path: pathlib.Path):
    parts = path.parts
    if "tests" in parts or "i18n" in parts or "node_modules" in parts:
        return None
    if path.suffix == ".py":
        return "python"
    if path.suffix == ".html" and "templates" in parts:
        return "ckan"
    if path.suffix == ".js" and ("assets" in parts or "public" in parts) \
            and not path.name.endswith(".min.js") and "vendor" not in parts:
        return "javascript"
    return None


def package_dir(module: str) -> pathlib.Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"{module} is not installed")
    return pathlib.Path(list(spec.submodule_search_locations)[0])


def _key(msgid) -> Key:
    if isinstance(msgid, (tuple, list)):
        return (msgid[0], msgid[1])
    return msgid


def from_pot(path: pathlib.Path) -> Dict[Key, str]:
    """msgid → a location (for messages)."""
    with open(path, "rb") as f:
        catalog = read_po(f)
    out = {}
    for msg in catalog:
        if not msg.id:
            continue
        loc = f"{msg.locations[0][0]}:{msg.locations[0][1]}" if msg.locations else str(path)
        out[_key(msg.id)] = loc
    return out


def from_sources(root: pathlib.Path, only: str = "") -> Dict[Key, str]:
    """Extract msgids from a package's Python, templates and JavaScript with babel (the
    templates with CKAN's extractor); ``only``: one of these methods. A template that CKAN's
    Jinja cannot parse (an old 2.8-only template) is skipped: CKAN 2.12 cannot render it
    either."""
    out = {}
    for path in sorted(root.rglob("*")):
        method = _method(path.relative_to(root))
        if method is None or not path.is_file() or (only and method != only):
            continue
        try:
            found = extract_from_file(method, str(path), keywords=KEYWORDS,
                                      options={} if method == "ckan" else None)
        except Exception:  # noqa: BLE001 - unparsable legacy template
            continue
        for lineno, message, _comments, _context in found:
            key = _key(message)
            if not key or (isinstance(key, tuple) and not all(key)):
                continue
            out.setdefault(key, f"{root.name}/{path.relative_to(root)}:{lineno}")
    return out


def _preset_strings(node) -> Iterator[str]:
    """The plain-string labels scheming sends through gettext (label, help_text,
    form_placeholder, choices' labels…)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("label", "help_text", "form_placeholder", "form_attrs_placeholder",
                     "required_label", "display_label") and isinstance(v, str) and v:
                yield v
            else:
                yield from _preset_strings(v)
    elif isinstance(node, list):
        for item in node:
            yield from _preset_strings(item)


CORE_PLUGINS = ["activity", "datastore", "datatablesview", "textview", "imageview",
                "webpageview", "audioview", "videoview", "stats", "tracking",
                "multilingual", "datapusher", "tabledesigner", "resourceproxy",
                "expire_api_token", "chained_functions"]


# Values that CKAN's templates pass to gettext at run time, so that no extractor finds them:
# the state of a dataset (``_(pkg_dict.state)`` in package/snippets/additional_info.html and
# scheming's copy of it) and of a user (``_(user.state)`` in user/snippets/info.html).
DYNAMIC = {
    "active": "ckan/templates/package/snippets/additional_info.html:61 _(pkg_dict.state)",
    "draft": "ckan/templates/package/snippets/additional_info.html:61 _(pkg_dict.state)",
    "deleted": "ckan/templates/user/snippets/info.html:96 _(user.state)",
    "pending": "ckan/templates/user/snippets/info.html:96 _(user.state)",
}


def core() -> Dict[Key, str]:
    """CKAN's ``ckan.pot`` plus what CKAN's sources (and its bundled plugins) hold that the
    ``.pot`` lacks (a few strings added after the ``.pot`` was last extracted), plus the
    run-time values of ``DYNAMIC``."""
    out = from_pot(package_dir("ckan") / "i18n" / "ckan.pot")
    for k, v in DYNAMIC.items():
        out.setdefault(k, v)
    extra = from_sources(package_dir("ckan"))
    for name in CORE_PLUGINS:
        try:
            extra.update(from_sources(package_dir("ckanext." + name)))
        except LookupError:
            continue
    for k, v in extra.items():
        out.setdefault(k, v)
    return out


def scheming() -> Dict[Key, str]:
    root = package_dir("ckanext.scheming")
    out = from_sources(root)
    presets = json.loads((root / "presets.json").read_text(encoding="utf-8"))
    for s in _preset_strings(presets):
        out.setdefault(s, "scheming/presets.json")
    return out


def _pot_and_sources(module: str, pot: str) -> Dict[Key, str]:
    root = package_dir(module)
    out = from_sources(root)
    path = root / "i18n" / pot
    if path.exists():
        for k, v in from_pot(path).items():
            out.setdefault(k, v)
    return out


def dcat() -> Dict[Key, str]:
    return _pot_and_sources("ckanext.dcat", "ckanext-dcat.pot")


def harvest() -> Dict[Key, str]:
    return _pot_and_sources("ckanext.harvest", "ckanext-harvest.pot")


def extension() -> Dict[Key, str]:
    return from_sources(EXTENSION_DIR)


def javascript() -> Dict[Key, str]:
    """The msgids the front end translates in the browser (``this._`` / ``ckan.i18n``, served
    by ``/api/i18n/<lang>``) → a ``.js`` location: the entries of ``ckan.pot`` that occur in a
    ``.js`` file, plus what the JavaScript of the installed packages holds today."""
    out: Dict[Key, str] = {}
    with open(package_dir("ckan") / "i18n" / "ckan.pot", "rb") as f:
        for msg in read_po(f):
            for path, line in msg.locations:
                if msg.id and path.endswith(".js"):
                    out.setdefault(_key(msg.id), f"{path}:{line}")
                    break
    roots = [package_dir("ckan"), EXTENSION_DIR]
    for module in ["ckanext." + n for n in CORE_PLUGINS] + [
            "ckanext.scheming", "ckanext.dcat", "ckanext.harvest"]:
        try:
            roots.append(package_dir(module))
        except LookupError:
            continue
    for root in roots:
        for k, loc in from_sources(root, only="javascript").items():
            out.setdefault(k, loc)
    return out


SOURCES = {"ckan": core, "scheming": scheming, "dcat": dcat, "harvest": harvest,
           "lyg_opendata": extension}


def all_msgids() -> Dict[Key, Tuple[str, str]]:
    """Every msgid → (source name, location); the first source that has it wins."""
    out: Dict[Key, Tuple[str, str]] = {}
    for name, fn in SOURCES.items():
        for k, loc in fn().items():
            out.setdefault(k, (name, loc))
    return out


def singular(key: Key) -> str:
    return key[0] if isinstance(key, tuple) else key


def iter_keys(keys: Iterable[Key]) -> Iterator[Key]:
    return iter(sorted(keys, key=lambda k: (singular(k), str(k))))


def iter_keys_with(found: Dict[Key, str]) -> Iterator[Tuple[Key, str]]:
    for key in iter_keys(found):
        yield key, found[key]
