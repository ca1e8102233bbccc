"""Demo content in Chinese only (issue 15): an English half of a description or an English
tag shows in Chinese search results and on the dataset page."""
import pathlib
import re

import yaml

DEMO = pathlib.Path(__file__).resolve().parents[2] / "ckanext" / "lyg_opendata" / "demo" / "demo.yaml"
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{3,}\b(?: [A-Za-z]{2,}\b)+")   # two English words in a row


def test_demo_descriptions_and_tags_are_chinese():
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    found = []
    for ds in data["datasets"]:
        if ENGLISH_WORDS.search(ds.get("notes") or ""):
            found.append((ds["name"], "notes"))
        found += [(ds["name"], tag) for tag in ds.get("tags") or [] if re.fullmatch(r"[ -~]+", tag)]
    assert data["datasets"] and not found, found
