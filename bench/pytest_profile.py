"""Where the test suite spends its time: a pytest plugin, not a test.

    scripts/test.sh tests/… -p bench.pytest_profile [-q]

At the end of the run it prints the time of the test phases (setup, call, teardown, summed
over the tests), the fixtures by their summed setup time, and how often (and how long) the
expensive steps of the fixtures ran: database resets, plugin migrations, search index
clears, plugin loads and unloads, Flask app builds. Under pytest-xdist each worker prints
its own figures (``-s`` shows them). Figures go to stdout (and to ``LYG_PROFILE_OUT`` when
set). Nothing is changed: the steps are only wrapped to be counted and timed.
"""
from __future__ import annotations

import collections
import os
import time

import pytest

_phases: collections.Counter = collections.Counter()
_fixtures: collections.Counter = collections.Counter()
_fixture_calls: collections.Counter = collections.Counter()
_steps: collections.Counter = collections.Counter()
_step_calls: collections.Counter = collections.Counter()
_tests = 0


def _wrap(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _steps[label] += time.perf_counter() - t0
            _step_calls[label] += 1
    timed.__wrapped__ = original
    setattr(owner, name, timed)


def pytest_configure(config):
    import ckan.lib.search as search
    import ckan.model as model
    import ckan.plugins as plugins
    import ckan.tests.helpers as helpers
    from ckan.cli import db

    _wrap(type(model.repo), "rebuild_db", "database reset (repo.rebuild_db)")
    _wrap(type(model.repo), "clean_db", "  of which: tables dropped (repo.clean_db)")
    _wrap(type(model.repo), "delete_all", "  of which: rows deleted (repo.delete_all)")
    _wrap(type(model.repo), "init_db", "  of which: tables created/checked (repo.init_db)")
    _wrap(db, "_run_migrations", "plugin migrations (cli.db._run_migrations)")
    _wrap(search, "clear_all", "search index cleared (search.clear_all)")
    _wrap(plugins, "load_all", "plugins loaded (plugins.load_all)")
    _wrap(plugins, "unload_all", "plugins unloaded (plugins.unload_all)")
    _wrap(helpers, "_get_test_app", "Flask app built (helpers._get_test_app)")


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    t0 = time.perf_counter()
    yield
    _fixtures[fixturedef.argname] += time.perf_counter() - t0
    _fixture_calls[fixturedef.argname] += 1


def pytest_runtest_logreport(report):
    global _tests
    _phases[report.when] += report.duration
    if report.when == "call":
        _tests += 1


def pytest_unconfigure(config):
    lines = [f"\n=== bench/pytest_profile.py ({os.environ.get('PYTEST_XDIST_WORKER', 'main')}):"
             f" {_tests} tests ==="]
    for phase in ("setup", "call", "teardown"):
        lines.append(f"{phase:>10}: {_phases[phase]:8.1f} s")
    lines.append("steps (count, total s, ms each):")
    for label in sorted(_steps, key=lambda k: -_steps[k]):
        n = _step_calls[label]
        lines.append(f"  {label:52} {n:6d} {_steps[label]:8.1f} {1000 * _steps[label] / n:8.0f}")
    lines.append("fixtures by setup time (count, total s; nested fixtures count in each):")
    for name, total in _fixtures.most_common(25):
        lines.append(f"  {name:52} {_fixture_calls[name]:6d} {total:8.1f}")
    text = "\n".join(lines)
    print(text)
    out = os.environ.get("LYG_PROFILE_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(text + "\n")
