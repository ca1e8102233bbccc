"""Core-compatibility harness: CKAN's own tests (shipped in the installed wheel under
``ckan/tests/`` and ``ckanext/activity/tests/``) run against the project's plugin set.

The test modules here only import a core test module (``from ckan.tests… import *``); this
file makes the run meaningful for a deployment of this extension:

- the configured plugins (``ckan.plugins`` of test.ini) are loaded for every test, plus any
  plugin the core test asks for (CKAN's pytest plugin unloads them all otherwise);
- the settings CKAN's own ``test-core.ini`` gives that are neither services nor plugins
  (English UI, auth switches, site URL …) override test.ini, unless the test sets them;
- a database reset applies the plugin migrations (``activity``, ``lyg_opendata``);
- ``helpers.call_action`` is core's: a test that names no user acts as "127.0.0.1", a user
  that does not exist (anonymous to auth and search); the activity plugin, which core's CI
  does not load for these modules, gets it as a real user when it records a change by it;
  only the harness's own steps (the review of a published dataset, the organisation of an
  unowned one) act as its sysadmins;
- the core factories are policy-compliant: ``Dataset`` fills the required catalog fields
  (Art 11), gives the dataset an owning organisation, confirms Art 14 desensitisation of
  its files and publishes it through the real review actions (submit, then approval by a
  second reviewer) unless the test asks for a private dataset; ``Resource`` confirms
  desensitisation.

What still fails by deliberate policy is listed in ``expected_failures.txt`` with the rule
that causes it; those tests are marked ``xfail(strict=True)``, so a policy change or a
CKAN upgrade that makes one pass (or a new failure) shows up. ``LYG_CORE_COMPAT_WITHOUT=1``
runs the same tests without ``lyg_opendata`` (scheming on its default schema, ckanext-dcat
on its default profile, plain factories, no expected failures): the baseline the figures in
docs/core-compat.md compare with.
"""
from __future__ import annotations

import copy
import os
import pathlib
import uuid

import pytest

import ckan.model as model
import ckan.plugins as plugins
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan.common import asbool

HERE = pathlib.Path(__file__).resolve().parent
WITHOUT = os.environ.get("LYG_CORE_COMPAT_WITHOUT") == "1"
FULL = os.environ.get("LYG_CORE_COMPAT_FULL") == "1"

# `make test` runs the in-suite subset; `make test-core-compat` adds extended/
collect_ignore_glob = [] if FULL else ["extended/*"]

# CKAN's test-core.ini, minus services (database, Solr, Redis, DataStore) and plugins, as the
# values a load of the config gives (lists where CKAN declares a list)
CORE_TEST_CONFIG = {
    "ckan.auth.user_create_organizations": True,
    "ckan.auth.user_create_groups": True,
    "ckan.auth.create_user_via_api": False,
    "ckan.auth.create_user_via_web": False,
    "ckan.auth.create_dataset_if_not_in_organization": True,
    "ckan.auth.anon_create_dataset": False,
    "ckan.auth.user_delete_groups": True,
    "ckan.auth.user_delete_organizations": True,
    "ckan.auth.create_unowned_dataset": True,
    "ckan.auth.create_default_api_keys": True,
    "ckan.site_id": "test.ckan.net",
    "ckan.site_title": "CKAN",
    "ckan.site_url": "http://test.ckan.net",
    "SESSION_COOKIE_DOMAIN": "test.ckan.net",
    "package_new_return_url": "http://localhost/dataset/<NAME>?test=new",
    "package_edit_return_url": "http://localhost/dataset/<NAME>?test=edit",
    "ckan.extra_resource_fields": ["alt_url"],
    "smtp.mail_from": "info@test.ckan.net",
    "ckan.locale_default": "en",
    "ckan.locale_order": ("en pt_BR ja it cs_CZ ca es fr el sv sr sr@latin no sk fi ru de pl nl "
                          "bg ko_KR hu sa sl lv").split(),
    "ckan.locales_offered": [],
    "ckan.locales_filtered_out": [],
    "ckan.display_timezone": "server",
    "ckan.datasets_per_page": 20,
    "ckan.activity_streams_email_notifications": True,
    "ckan.views.default_views": [],
}

PLUGINS_WITH_MIGRATIONS = ("activity", "lyg_opendata")

# what the catalog schema requires (Art 11) and the core factories do not give
CATALOG_DEFAULTS = {
    "license_id": "cc-by",
    "notes": "core compatibility test dataset",
    "open_type": "unconditional",
    "update_frequency": "monthly",
    "data_items": [{"name_zh": "名称", "code": "name", "type": "string", "description": "",
                    "sensitive": "no"}],
}


def configured_plugins(config) -> list[str]:
    names = config.get("ckan.plugins") or []
    if isinstance(names, str):
        names = names.split()
    names = list(names)
    if WITHOUT and "lyg_opendata" in names:
        names.remove("lyg_opendata")
    return names


# --- expected failures -----------------------------------------------------------------

def _expected() -> dict[str, str]:
    """``expected_failures.txt``: ``## <rule>`` headings, each followed by the ids of the
    core tests that fail because of it (``module::Class::test[param]``)."""
    rules: dict[str, str] = {}
    rule = None
    for line in (HERE / "expected_failures.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("## "):
            rule = line[3:].strip()
        elif line and not line.startswith("#"):
            assert rule, f"expected_failures.txt: {line} has no rule heading"
            rules[line] = rule
    return rules


def core_id(item) -> str:
    """The id of a collected core test, independent of the wrapper module that imports it:
    ``ckan.tests.logic.action.test_patch::TestPatch::test_x[1]``."""
    module = getattr(getattr(item, "function", None), "__module__", None) or item.module.__name__
    return "::".join([module] + item.nodeid.split("::")[1:])


def pytest_collection_modifyitems(config, items):
    if WITHOUT:
        return
    expected = _expected()
    for item in items:
        if HERE not in pathlib.Path(str(item.fspath)).parents:
            continue
        rule = expected.get(core_id(item))
        if rule:
            item.add_marker(pytest.mark.xfail(strict=True, reason=rule))


# --- the database: plugin migrations on every reset -------------------------------------

def _migrate_pending() -> None:
    """Apply the migrations of the loaded plugins that the tables do not have yet (the
    bookkeeping of tests/conftest.py: once per build of the tables). A session-wide reset
    (``non_clean_db``) runs before any plugin is loaded: the harness migrates after loading."""
    from ckan.cli.db import _run_migrations
    from tests.conftest import PLUGINS_WITH_MIGRATIONS, _migrated, harvest_tables
    for plugin in PLUGINS_WITH_MIGRATIONS:
        if plugin not in _migrated and plugins.plugin_loaded(plugin):
            _run_migrations(plugin, "head", True)
            _migrated.add(plugin)
    harvest_tables()


@pytest.fixture(scope="session")
def reset_db():
    """CKAN's reset, then the plugin migrations (for every reset: ``clean_db``,
    ``non_clean_db``, and the fixtures of core tests that reset themselves)."""
    from tests.conftest import _migrated, reset_database

    def reset():
        if not model.repo.tables_created_and_initialised:
            _migrated.clear()          # CKAN drops every table, the plugins' too
        factories.fake.unique.clear()
        reset_database()
        _migrate_pending()
    return reset


if WITHOUT:
    @pytest.fixture
    def clean_db(reset_db):
        """Without ``lyg_opendata`` loaded, tests/conftest.py's clean_db would migrate it:
        ``reset_db`` above migrates the plugins that are loaded."""
        reset_db()


# --- real users --------------------------------------------------------------------------

def harness_user(name: str) -> model.User:
    """A sysadmin of the harness, created in the current database when missing."""
    user = model.User.get(name)
    if user is None:
        user = model.User(name=name, email=f"{name}@test.ckan.net", sysadmin=True,
                          password=uuid.uuid4().hex)
        model.Session.add(user)
        model.Session.commit()
    return user


ADMIN = "core-compat-admin"
REVIEWER = "core-compat-reviewer"
# the user core's call_action names when a test gives none
CORE_DEFAULT_USER = "127.0.0.1"


def _activity_actor(original):
    """Core's ``call_action`` acts as "127.0.0.1" when the context names no user: a user
    that does not exist (anonymous to auth and search). Core's CI runs the action modules
    without the activity plugin; loaded here (as configured), it refuses to record a change
    by an actor that does not exist. The harness makes that user real when, and only when,
    the activity plugin records a change by it: not a sysadmin, member of nothing, created
    in the action's transaction. Reads as "127.0.0.1" stay anonymous, as in core."""
    def get_user_or_raise(username):
        if username == CORE_DEFAULT_USER and model.User.get(username) is None:
            model.Session.add(model.User(name=CORE_DEFAULT_USER, email="core@test.ckan.net",
                                         password=uuid.uuid4().hex))
            model.Session.flush()
        return original(username)
    return get_user_or_raise


# --- policy-compliant factories ----------------------------------------------------------

def _owner_org(user_name) -> str:
    """The organisation of a dataset the core test creates without one. A dataset a user
    creates for themselves (core: an unowned dataset its creator edits) belongs to an
    organisation of their own, of which they are an editor; the others to the harness's."""
    user = model.User.get(user_name) if user_name else None
    personal = user is not None and not user.sysadmin
    name = f"core-compat-{user.id[:8]}" if personal else "core-compat-agency"
    org = model.Group.get(name)
    if org is not None:
        return org.id
    users = [{"name": user.name, "capacity": "editor"}] if personal else []
    harness_user(ADMIN)
    return helpers.call_action("organization_create", context={"user": ADMIN}, name=name,
                               title="Core compatibility agency", users=users)["id"]


def _compliant_dataset(original):
    def api_create(data_dict):
        data = dict(data_dict)
        if data.get("type") not in (None, "", "dataset"):
            return original(data)
        data = factories.Dataset._api_prepare_args(data)
        context = dict(data.pop("context", None) or {})
        private = asbool(data.pop("private", False))
        for key, value in CATALOG_DEFAULTS.items():
            if not data.get(key):
                data[key] = copy.deepcopy(value)
        if not data.get("owner_org"):
            data["owner_org"] = _owner_org(context.get("user"))
        resources = [dict(r, desensitized=True) for r in data.get("resources") or []]
        if resources:
            data["resources"] = resources
        created = helpers.call_action("package_create", context=context, **data)
        if private or data.get("state") not in (None, "", "active"):
            return created
        harness_user(ADMIN)
        if created.get("review_status") != "pending":  # the site user's entries wait already
            helpers.call_action("lyg_opendata_review_submit", context={"user": ADMIN},
                                id=created["id"], desensitized=True)
        harness_user(REVIEWER)
        helpers.call_action("lyg_opendata_review_approve", context={"user": REVIEWER},
                            id=created["id"])
        return helpers.call_action("package_show", context={"user": context.get("user") or ADMIN},
                                   id=created["id"])
    return api_create


def _compliant_resource(original):
    def api_create(data_dict):
        data = dict(data_dict)
        data.setdefault("desensitized", True)
        return original(data)
    return api_create


def _core_test_plugins() -> None:
    """CKAN's wheel declares its test plugins (``test_package_controller_plugin`` …) as
    ``tests.plugins.ckantestplugins``, the path in CKAN's source tree; in the wheel they are
    ``ckan.tests.plugins.ckantestplugins``, and ``tests`` is this project's test package."""
    import importlib
    import sys
    for name in ("plugins", "plugins.ckantestplugins"):
        sys.modules.setdefault(f"tests.{name}", importlib.import_module(f"ckan.tests.{name}"))


def pytest_configure(config):
    _core_test_plugins()
    # core's tests carry pytest-freezegun's mark; without that plugin it does nothing
    config.addinivalue_line("markers", "freeze_time(time): pytest-freezegun's mark (core tests)")


def _forget_load() -> None:
    """tests/conftest.py keeps the plugins loaded from one test to the next with the same
    plugin list: a load made with core's test settings must not serve the project's tests
    (nor a load of theirs a core test)."""
    from tests.conftest import _loaded
    _loaded.update(names=None, config=None, app=None)


@pytest.fixture(scope="module", autouse=True)
def core_compat_module():
    _forget_load()
    yield
    _forget_load()


def _core_settings(request, config, monkeypatch) -> set[str]:
    marked = {mark.args[0] for mark in request.node.iter_markers("ckan_config")}
    for key, value in CORE_TEST_CONFIG.items():
        if key not in marked:
            monkeypatch.setitem(config, key, value)
    if WITHOUT:
        monkeypatch.setitem(config, "scheming.dataset_schemas",
                            "ckanext.scheming:ckan_dataset.yaml")
        # test.ini's DCAT profile is the extension's (it reads the extension's tables):
        # without the extension, ckanext-dcat's default profile
        monkeypatch.setitem(config, "ckanext.dcat.rdf.profiles", "euro_dcat_ap_3")
    return marked


@pytest.fixture(autouse=True)
def core_compat_config(request, monkeypatch, ckan_config):
    """Core's test settings and the configured plugins (plus those the core test names in
    a ``ckan.plugins`` mark), before ``with_plugins`` loads them."""
    from ckan.tests.pytest_ckan import ckan_setup
    marked = _core_settings(request, ckan_config, monkeypatch)
    wanted = configured_plugins(ckan_setup._config)
    if "ckan.plugins" in marked:
        extra = ckan_config["ckan.plugins"]
        extra = extra.split() if isinstance(extra, str) else list(extra or [])
        wanted = wanted + [p for p in extra if p not in wanted]
    monkeypatch.setitem(ckan_config, "ckan.plugins", wanted)


@pytest.fixture(autouse=True)
def core_compat_harness(request, monkeypatch, ckan_config, core_compat_config, with_plugins):
    """Every core test: the plugins loaded (``with_plugins``, after ``core_compat_config``),
    plugin migrations, real users and policy-compliant factories."""
    _core_settings(request, ckan_config, monkeypatch)  # a reused load restores its config
    _migrate_pending()
    from ckanext.activity import subscriptions
    monkeypatch.setattr(subscriptions, "_get_user_or_raise",
                        _activity_actor(subscriptions._get_user_or_raise))
    if not WITHOUT:
        monkeypatch.setattr(factories.Dataset, "api_create",
                            _compliant_dataset(factories.Dataset.api_create))
        monkeypatch.setattr(factories.Resource, "api_create",
                            _compliant_resource(factories.Resource.api_create))
    yield
