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
