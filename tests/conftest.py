"""Shared fixtures. The tests run against the real PostgreSQL, Solr and Redis that
`make test` starts (see test.ini); nothing here mocks them."""
from __future__ import annotations

import email
import email.policy
import os
import pathlib
import threading
import time

import pytest
from sqlalchemy.orm import close_all_sessions
from werkzeug.serving import make_server

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.plugins import core as plugins_core
from ckan.tests import factories, helpers as test_helpers

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def _xdist_worker_slot() -> None:
    """Under pytest-xdist, worker gwN runs on the N-th slot of LYG_XDIST_SLOTS: its own
    database, DataStore database, Solr core and Redis database. scripts/test.sh exports
    each slot's CKAN_* variables as LYG_XDIST_ENV_N; they are set here, when pytest loads
    this file, before CKAN's pytest plugin reads them (at session start)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    env = os.environ.get(f"LYG_XDIST_ENV_{worker.removeprefix('gw')}")
    if env is None:
        raise pytest.UsageError(
            f"xdist worker {worker} has no test slot: run the tests in parallel with "
            "scripts/test.sh and LYG_XDIST_SLOTS (one slot per worker), not with pytest -n")
    for pair in env.split():
        name, value = pair.split("=", 1)
        os.environ[name] = value


_xdist_worker_slot()


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """test.ini names the local OIDC provider on its default port; LYG_OIDC_PORT (which
    moves the provider of scripts/services.sh) moves the portal's issuer with it. After
    CKAN's pytest plugin has read test.ini: its config snapshot, restored before each test,
    carries the moved issuer."""
    port = os.environ.get("LYG_OIDC_PORT")
    if not port:
        return
    from ckan.tests.pytest_ckan import ckan_setup
    issuer = f"http://127.0.0.1:{int(port)}"
    for config in (tk.config, ckan_setup._config):
        config["ckanext.lyg_opendata.oidc.issuer"] = issuer


# CKAN hashes passwords with pbkdf2_sha512 at 25,000 rounds: about 0.1 s a user, and most
# tests make eight or more users. The tests hash with 1,000 rounds (the same algorithm and
# verification; a stored hash carries its own rounds), as test settings of web frameworks do.
import ckan.model.user as _user_model  # noqa: E402
_user_model.pbkdf2_sha512 = _user_model.pbkdf2_sha512.using(rounds=1000)


# --- database and plugins: set up once, reset per test --------------------------------
# CKAN's fixtures rebuild per test what does not change between tests: `with_plugins`
# loads and unloads every plugin, `app` loads them all again (load_environment), and the
# plugin migrations are a no-op after the first run. The fixtures below keep the same
# guarantees (an empty database, the plugins of the test's plugin set loaded with the
# test's config, a fresh test client) and only skip the work that would give the same state.

PLUGINS_WITH_MIGRATIONS = ["activity", "lyg_opendata"]

# plugin migrations applied since CKAN last (re)created the tables
_migrated: set[str] = set()


def migrate_once(migrate_db_for, *names: str) -> None:
    """Apply the migrations of the plugins ``names`` once per build of the tables.
    ``reset_db`` only empties the tables once they exist; it drops and re-creates them
    (and so the plugins' tables) when CKAN does not know them as created."""
    for name in names:
        if name not in _migrated:
            migrate_db_for(name)
            _migrated.add(name)


def harvest_tables() -> None:
    """ckanext-harvest's tables, once its model is imported (the DCAT harvester of this
    project imports it): the model maps a ``harvest_objects`` relation on ``Package``, so
    purging a dataset reads ``harvest_object`` even when the harvest plugin is not loaded.
    Only harvest's migrations create the table (once per build of the tables)."""
    import sys
    if "harvest" in _migrated or "ckanext.harvest.model" not in sys.modules:
        return
    import ckanext.harvest
    ini = pathlib.Path(ckanext.harvest.__file__).parent / "migration" / "harvest" / "alembic.ini"
    original = model.repo._alembic_ini
    model.repo._alembic_ini = str(ini)
    try:
        model.repo.upgrade_db("head")
    finally:
        model.repo._alembic_ini = original
    _migrated.add("harvest")


# --- database and search index resets --------------------------------------------------
# CKAN's reset of an existing database (``repo.delete_all``) asks, table by table, whether
# the table exists and then deletes its rows: two round trips for each of the ~100 tables
# of CKAN and the plugins, for every test. ``reset_db`` below deletes the same rows (every
# table CKAN's metadata knows and the database has, children first, alembic_version kept)
# with one query for the existing tables and one batch of DELETE statements. The first
# reset of a run (tables not known as created) is CKAN's own: it drops and re-creates them.

def delete_all_rows() -> None:
    """``model.repo.delete_all`` in two round trips."""
    from sqlalchemy import text
    model.Session.remove()
    conn = model.Session.connection()
    existing = set(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    tables = [t.name for t in reversed(model.repo.metadata.sorted_tables)
              if t.name != "alembic_version" and t.name in existing]
    if tables:
        conn.exec_driver_sql("; ".join(f'DELETE FROM "{name}"' for name in tables))
    model.Session.commit()
    model.Session.remove()


def reset_database() -> None:
    """``ckan.tests.helpers.reset_db``: every table emptied, or dropped and re-created
    when CKAN does not know them as created (the first reset of a run)."""
    if not model.repo.tables_created_and_initialised:
        test_helpers.reset_db()
        return
    close_all_sessions()
    delete_all_rows()


@pytest.fixture(scope="session")
def reset_db():
    """CKAN's ``reset_db`` (used by ``clean_db``), with the rows deleted in one batch."""
    return reset_database


def reset_search_index() -> None:
    """``ckan.lib.search.clear_all``: every dataset of this site removed from the index.
    CKAN commits each change it indexes (``ckan.search.solr_commit``), so the commit that
    makes the removal visible is needed only when a search sees documents; the delete is
    always sent (it also removes what an uncommitted change added, before that shows)."""
    from ckan.lib.search.common import make_connection
    conn = make_connection()
    query = '+site_id:"%s"' % tk.config.get("ckan.site_id")
    visible = conn.search(q=query, rows=0).hits
    conn.delete(q=query, commit=visible > 0)


@pytest.fixture(scope="session")
def reset_index():
    """CKAN's ``reset_index`` (used by ``clean_index``), committing only when needed."""
    return reset_search_index


def _clean_db(reset_db, migrate_db_for) -> None:
    if not model.repo.tables_created_and_initialised:
        _migrated.clear()          # reset_db drops every table, the plugins' too
    reset_db()
    migrate_once(migrate_db_for, *PLUGINS_WITH_MIGRATIONS)
    harvest_tables()


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db (every table emptied), plus the tables of the plugins that have
    their own migrations."""
    _clean_db(reset_db, migrate_db_for)


def _config_marks(request) -> list[tuple]:
    """The test's ``ckan_config`` marks other than the plugin list."""
    return [m.args for m in request.node.iter_markers("ckan_config")
            if m.args[0] != "ckan.plugins"]


# What the last full load of the plugins left: the plugin list, the config right after it
# (without the test's ckan_config marks) and the app built on it. ``names`` is None when
# the load is not reusable (a fake plugin was provided).
_loaded: dict = {"names": None, "config": None, "app": None}


def _remember_load(request, names: list[str], app=None) -> None:
    from ckan.tests.pytest_ckan import ckan_setup
    config = tk.config.copy()
    for key, _value in _config_marks(request):     # as a load without the mark leaves it
        if key in ckan_setup._config:
            config[key] = ckan_setup._config[key]
        else:
            config.pop(key, None)
    config["ckan.plugins"] = list(names)
    provided = request is not None and any(request.node.iter_markers("provide_plugin"))
    _loaded.update(names=None if provided else tuple(names), config=config, app=app)


def _reusable(request, names: list[str]) -> bool:
    return (_loaded["names"] == tuple(names) and list(plugins_core._PLUGINS) == list(names)
            and not any(request.node.iter_markers("provide_plugin")))


def _restore_load(request) -> None:
    """Put the config back as the last load left it, with the test's ``ckan_config`` marks
    on top, validated and converted as a load converts them (options are read when used:
    none of the plugins reads a marked option while loading)."""
    from ckan.common import config_declaration
    from ckan.lib.app_globals import app_globals
    tk.config.clear()
    tk.config.update(_loaded["config"])
    marks = _config_marks(request)
    for key, value in marks:
        tk.config[key] = value
    if marks:
        config_declaration.normalize(tk.config)
    app_globals._init()


def _load(request, names: list[str]) -> None:
    if _reusable(request, names):
        _restore_load(request)
    else:
        plugins.load_all()
        _remember_load(request, names)


# Settings core reads when it registers the app's routes, not per request (ckan/views/
# dataset.py registers the collaborator routes only when allow_dataset_collaborators is on)
ROUTE_SETTINGS = ("ckan.auth.allow_dataset_collaborators",)


def ensure_app(request):
    """The test app on the loaded plugins (built, which loads every plugin again, only
    when the plugins or the config they were loaded with changed). A test whose
    ``ckan_config`` marks set a route setting (``ROUTE_SETTINGS``) gets an app of its own,
    built with them, that no other test reuses (the next test loads the plugins again)."""
    names = tk.aslist(tk.config.get("ckan.plugins"))
    if request is not None and any(key in ROUTE_SETTINGS for key, *_ in _config_marks(request)):
        test_app = test_helpers._get_test_app()
        _loaded.update(names=None, config=None, app=None)
        return test_app
    if _reusable(request, names) and _loaded["app"] is not None:
        _restore_load(request)
        return test_helpers.CKANTestApp(_loaded["app"])
    test_app = test_helpers._get_test_app()
    _remember_load(request, names, app=test_app.app)
    return test_app


@pytest.fixture
def with_plugins(ckan_config, provide_plugin, monkeypatch, request):
    """CKAN's ``with_plugins``, keeping the plugins loaded from one test to the next when
    the next needs the same plugins: then the config is put back as the load left it
    (with the test's ``ckan_config`` marks) instead of loading every plugin again."""
    names = []
    for mark in request.node.iter_markers("with_plugins"):
        for plugin in mark.args:
            if isinstance(plugin, str):
                names.append(plugin)
            else:
                for name, impl in plugin.items():
                    provide_plugin(name, impl)
                    names.append(name)
    current = ckan_config["ckan.plugins"]
    if isinstance(current, str):
        current = current.split()
    wanted = list(current) + names
    monkeypatch.setitem(ckan_config, "ckan.plugins", wanted)
    _load(request, wanted)
    yield


@pytest.fixture(autouse=True)
def _no_plugins_without_with_plugins(request):
    """A test without ``with_plugins`` starts with no plugin loaded, as after CKAN's
    ``with_plugins`` (which unloads them after each test)."""
    if "with_plugins" not in request.fixturenames and plugins_core._PLUGINS:
        plugins.unload_all()
        _loaded.update(names=None, config=None, app=None)


@pytest.fixture
def make_app(ckan_config, request):
    """CKAN's ``make_app``: a fresh test client, on a Flask app built once per plugin
    load (building one loads every plugin again: load_environment)."""
    from ckan.lib.app_globals import _CONFIG_CACHE
    _CONFIG_CACHE.clear()
    return lambda: ensure_app(request)


@pytest.fixture(scope="module")
def shared_db(request, reset_db, migrate_db_for, reset_index):
    """For a module whose tests read one world built once (module-scoped, instead of a
    world per test): the plugins of test.ini loaded and the app built first (building it
    would empty the in-memory file store), then an empty database and search index. The
    tests of such a module use ``with_plugins`` but not ``clean_db``/``clean_index``
    (which would empty the world); the next test that uses them empties it."""
    ensure_app(request)
    _clean_db(reset_db, migrate_db_for)
    reset_index()


# People get Chinese full names: pages show them, and the page tests look for English UI
# words (Faker's English names are data that would read like UI words). The make_*
# functions build what the fixtures of the same name give, for module-scoped worlds.
def make_sysadmin():
    return factories.SysadminWithToken(fullname="平台管理员")


def make_reviewer():
    return factories.SysadminWithToken(fullname="审核管理员")


def make_agency(sysadmin):
    return factories.Organization(
        name="lyg-jtj-test", title="市交通运输局",
        users=[{"name": sysadmin["name"], "capacity": "admin"}])


@pytest.fixture
def sysadmin():
    return make_sysadmin()


@pytest.fixture
def reviewer():
    """A second sysadmin: reviews what ``sysadmin`` submitted (four eyes)."""
    return make_reviewer()


@pytest.fixture
def agency(sysadmin):
    """An agency (数据开放主体) organization."""
    return make_agency(sysadmin)


DATA_ITEMS = [
    {"name_zh": "名称", "code": "name", "type": "string", "description": "", "sensitive": "no"},
    {"name_zh": "地址", "code": "address", "type": "string", "description": "", "sensitive": "no"},
]


def catalog_fields(**kwargs):
    """The required catalog fields with sensible values, overridden by ``kwargs``."""
    data = {"license_id": "cc-by", "notes": "测试数据集", "open_type": "unconditional",
            "update_frequency": "monthly", "data_items": [dict(i) for i in DATA_ITEMS]}
    data.update(kwargs)
    return data


def dataset_creator(sysadmin, agency):
    def create(**kwargs):
        data = catalog_fields(owner_org=agency["id"], **kwargs)
        return tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    return create


@pytest.fixture
def create_dataset(sysadmin, agency):
    """Create a draft dataset through the action API as the agency's admin."""
    return dataset_creator(sysadmin, agency)


ROLES = ["anonymous", "registered", "other_agency_editor", "agency_editor", "agency_admin",
         "supervisor", "sysadmin"]


def make_people(agency):
    names = {"registered": "注册用户", "other_agency_editor": "统计局编辑",
             "agency_editor": "交通局编辑", "agency_admin": "交通局管理员",
             "supervisor": "大数据局审核员", "sysadmin": "系统管理员"}
    users = {role: factories.UserWithToken(fullname=names[role])
             for role in ROLES if role != "anonymous"}
    users["sysadmin"] = factories.SysadminWithToken(fullname=names["sysadmin"])
    other = factories.Organization(name="lyg-other-agency", title="市统计局")
    supervisor_org = factories.Organization(
        name=tk.config.get("ckanext.lyg_opendata.supervisor_org"), title="市大数据管理局")
    member = tk.get_action("organization_member_create")
    ctx = {"ignore_auth": True}
    member(ctx, {"id": other["id"], "username": users["other_agency_editor"]["name"], "role": "editor"})
    member(ctx, {"id": agency["id"], "username": users["agency_editor"]["name"], "role": "editor"})
    member(ctx, {"id": agency["id"], "username": users["agency_admin"]["name"], "role": "admin"})
    member(ctx, {"id": supervisor_org["id"], "username": users["supervisor"]["name"], "role": "editor"})
    users["anonymous"] = None
    return users


@pytest.fixture
def people(agency):
    """One user per role around ``agency`` (None for anonymous): a registered user with no
    organization, an editor of another agency, the agency's editor and admin, a supervisor
    (editor of the supervising organization 市大数据管理局) and a sysadmin."""
    return make_people(agency)


def publisher(sysadmin, reviewer):
    def run(dataset):
        tk.get_action("lyg_opendata_review_submit")(
            {"user": sysadmin["name"]}, {"id": dataset["id"], "desensitized": True})
        return tk.get_action("lyg_opendata_review_approve")(
            {"user": reviewer["name"]}, {"id": dataset["id"]})
    return run


@pytest.fixture
def publish(sysadmin, reviewer):
    """Submit a dataset (as its agency) and approve it (as another reviewer)."""
    return publisher(sysadmin, reviewer)


@pytest.fixture
def published_dataset(create_dataset, publish):
    """Create and publish a dataset: what the public sees."""
    def create(**kwargs):
        return publish(create_dataset(**kwargs))
    return create


# --- mail --------------------------------------------------------------------------

@pytest.fixture
def mail_dir() -> pathlib.Path:
    """Folder where the SMTP sink stores mail (set by scripts/test.sh)."""
    path = os.environ.get("LYG_MAIL_DIR")
    if not path:
        pytest.fail("LYG_MAIL_DIR is not set: run the tests with `make test`")
    return pathlib.Path(path)


def read_mail_to(mail_dir: pathlib.Path, recipient: str, timeout: float = 10.0):
    """Wait for and return the messages stored by the SMTP sink for ``recipient``."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for path in sorted(mail_dir.glob("*.eml")):
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if recipient in msg.get("X-Envelope-To", ""):
                found.append(msg)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


# --- a live server for browser tests ------------------------------------------------

@pytest.fixture
def live_server(app):
    """The test app served over HTTP on a free loopback port."""
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # absolute links and redirects point at the live server (restored after the test)
    tk.config["ckan.site_url"] = base
    yield base
    server.shutdown()
    thread.join(5)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page; a failed test leaves a screenshot in test-artifacts/."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot saved to {path}")
    context.close()


def pytest_collection_modifyitems(items):
    """Every test that drives the browser carries the ``browser`` mark (make test-fast
    deselects them)."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


BROWSER_PASSWORD = "Lyg-test-1234"


def browser_login(page, base: str, name: str, password: str = BROWSER_PASSWORD) -> None:
    """Log in through the Chinese login form in a fresh browser session."""
    page.context.clear_cookies()
    page.goto(base + "/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", password)
    page.press("#field-password", "Enter")
    page.wait_for_url(lambda url: "/user/login" not in url)
