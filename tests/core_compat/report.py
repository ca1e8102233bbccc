"""Figures of a core-compatibility run, per core test module, from pytest's JUnit XML.

    scripts/test.sh tests/core_compat --junitxml=with.xml            (make test-core-compat)
    LYG_CORE_COMPAT_WITHOUT=1 scripts/test.sh tests/core_compat --junitxml=without.xml
    .venv/bin/python tests/core_compat/report.py with.xml [without.xml] [--failures]

prints passed / xfailed / failed (failed includes errors and XPASS(strict)) per core module
for each run; ``--failures`` lists the failing ids of the first run with the first line of
their message, grouped by message, as a start for ``expected_failures.txt``.
"""
from __future__ import annotations

import collections
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).resolve().parent
_IMPORT = re.compile(r"^from (\S+) import \*", re.M)


def wrapped_modules() -> dict[str, str]:
    """wrapper module (dotted, as in the JUnit classname) -> core module it imports."""
    out = {}
    for path in HERE.rglob("test_*.py"):
        match = _IMPORT.search(path.read_text(encoding="utf-8"))
        if match:
            rel = path.relative_to(HERE.parent.parent).with_suffix("")
            out[".".join(rel.parts)] = match.group(1)
    return out


def outcomes(xml_path: str):
    """(core module, core id, outcome, message) of every test case."""
    wrappers = wrapped_modules()
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        classname = case.get("classname", "")
        module, cls = classname, None
        while module and module not in wrappers:
            module, _, tail = module.rpartition(".")
            cls = tail if cls is None else f"{tail}::{cls}"
        core = wrappers.get(module, classname)
        core_id = "::".join(p for p in (core, cls, case.get("name")) if p)
        skipped = case.find("skipped")
        failed = case.find("failure")
        if failed is None:
            failed = case.find("error")
        if failed is not None:
            yield core, core_id, "failed", (failed.get("message") or "").splitlines()[0:1]
        elif skipped is not None and skipped.get("type") == "pytest.xfail":
            yield core, core_id, "xfailed", []
        elif skipped is not None:
            yield core, core_id, "skipped", []
        else:
            yield core, core_id, "passed", []


def table(xml_path: str) -> dict[str, collections.Counter]:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for core, _id, outcome, _msg in outcomes(xml_path):
        counts[core][outcome] += 1
    return counts


def main(argv: list[str]) -> None:
    paths = [a for a in argv if not a.startswith("--")]
    runs = [table(p) for p in paths]
    modules = sorted(set().union(*runs))
    header = "module".ljust(52) + "".join(
        f"{'passed':>8}{'xfailed':>9}{'failed':>8}{'skipped':>9}  " for _ in runs)
    print(header)
    for module in modules:
        row = module.ljust(52)
        for run in runs:
            c = run.get(module, collections.Counter())
            row += f"{c['passed']:>8}{c['xfailed']:>9}{c['failed']:>8}{c['skipped']:>9}  "
        print(row)
    if "--failures" in argv:
        by_message = collections.defaultdict(list)
        for _core, core_id, outcome, msg in outcomes(paths[0]):
            if outcome == "failed":
                by_message[(msg or [""])[0][:160]].append(core_id)
        for message, ids in sorted(by_message.items(), key=lambda kv: -len(kv[1])):
            print(f"\n## {message}")
            print("\n".join(sorted(ids)))


if __name__ == "__main__":
    main(sys.argv[1:])
