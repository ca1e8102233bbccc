"""The machine-readable part of GLOSSARY.md: rejected variants and their replacements."""
from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass
from typing import List, Optional

import yaml

GLOSSARY = pathlib.Path(__file__).resolve().parent / "GLOSSARY.md"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    use: str
    replace: Optional[str]


def rules() -> List[Rule]:
    text = GLOSSARY.read_text(encoding="utf-8")
    block = text.split("```yaml", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(block)
    return [Rule(re.compile(r["pattern"]), str(r["use"]), r.get("replace"))
            for r in data["rejected"]]


def violations(text: str, rule_list: Optional[List[Rule]] = None) -> List[str]:
    """The rejected variants found in ``text`` (each as 'variant→use')."""
    found = []
    for rule in rule_list or rules():
        for m in rule.pattern.finditer(text):
            found.append(f"{m.group(0)}→{rule.use}")
    return found


def normalize(text: str, rule_list: Optional[List[Rule]] = None) -> str:
    """Apply the glossary's replacements to a machine draft (the reading comes after)."""
    for rule in rule_list or rules():
        if rule.replace:
            text = rule.pattern.sub(rule.replace, text)
    return text


# Words a Chinese msgstr may keep: acronyms, formats, product and proper names.
ALLOWED_LATIN = {
    "CKAN", "API", "APIs", "CSV", "JSON", "DCAT", "URL", "URLs", "URI", "URN", "ID", "IDs",
    "RDF", "XML", "TTL", "HTML", "HTML5", "JSONL", "LD", "N3", "Turtle", "Markdown",
    "SPARQL", "GET", "POST", "HTTP", "HTTPS", "UUID", "GUID", "CSS", "SQL", "AJAX", "CSW",
    "WAF", "ASCII", "Unicode", "Moment", "js", "ckanapi", "CMS", "CC", "BY", "SA", "GNU",
    "OpenID", "ODbL", "PDDL", "ODC-By", "NC", "BY-SA", "OGL", "CCZero", "CC0", "NONE", "Shift", "Enter", "Facebook", "Twitter",
    "Solr", "Redis", "CAPTCHA", "OpenAPI", "PDF", "ZIP", "XLS", "XLSX", "GeoJSON", "WMS",
    "ICP", "DCAT-AP", "JSON-LD", "UTF-8", "WFS", "PNG", "JPEG", "GIF", "WebP", "KiB", "MiB", "GiB", "TiB", "MB", "KB", "IP", "SHA-256", "SHA", "PDF", "GB", "YYYY", "MM", "DD", "DDTHH", "SS", "HH", "Deeplink",
    "dict", "float", "list", "datetime", "schema", "true", "false", "null", "id", "iframe",
        "resource_id", "start_date", "end_date", "offset_days", "upsert", "insert", "update",
    "ckan", "clean", "activities", "jones", "watershed", "survey", "active", "subject",
    "stage", "trusted", "DataStore", "YYYY-MM", "YYYY-MM-DD", "YYYY-MM-DDTHH", "Web", "MIME", "Datapusher", "http", "https", "www", "example", "com", "AB", "URLs",
}
_TAGS = re.compile(r"<code>.*?</code>|<[^>]+>|%\(\w+\)[sdrfi]|%[sdrfi]|\{[^{}]*\}|https?://\S+|&\w+;")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.@/\\-]*[A-Za-z0-9]")


def english_words(text: str) -> List[str]:
    """The Latin-letter words of a msgstr that are neither placeholders, markup, URLs nor
    allowed names: English left in a Chinese translation."""
    stripped = _TAGS.sub(" ", text)
    return [w for w in _LATIN_WORD.findall(stripped)
            if w not in ALLOWED_LATIN and not re.search(r"[_.@/]", w)]
