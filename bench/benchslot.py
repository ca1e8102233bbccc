"""What the bench scripts share: a test slot of their own (``LYG_BENCH_SLOT``, default 5:
databases ``ckan_test<slot>`` and ``datastore_test<slot>``, Solr core ``ckan_test<slot>``,
Redis db ``<slot>``, on the ports of ``LYG_PG_PORT`` etc.), a config made from
``test.ini`` for it, and CKAN's WSGI app on that config. Never the dev portal's data."""
from __future__ import annotations

import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
CKAN = str(ROOT / ".venv/bin/ckan")
PYTHON = str(ROOT / ".venv/bin/python")
SLOT = os.environ.get("LYG_BENCH_SLOT", "5")
# scripts/lib.sh: slot 1 is the default slot by another name (ckan_test, datastore_test)
DB_SUFFIX = "" if SLOT == "1" else SLOT


def ini_path(name: str) -> pathlib.Path:
    """The bench's config file for this slot, e.g. ``.local/bench-dcat-slot5.ini``."""
    return ROOT / f".local/bench-{name}-slot{SLOT}.ini"


def log(msg: str) -> None:
    print(msg, flush=True)


def run(*args: str, env: dict | None = None, quiet: bool = False) -> None:
    subprocess.run(args, check=True, cwd=ROOT, env={**os.environ, **(env or {})},
                   stdout=subprocess.DEVNULL if quiet else None)


def setup(ini: pathlib.Path, quiet: bool = False) -> None:
    """Start the services with the slot's database and core; write the slot's config;
    create the tables (``ckan db init`` and the plugins' migrations)."""
    run("scripts/services.sh", "start", env={"LYG_TEST_SLOT": SLOT}, quiet=quiet)
    ini.parent.mkdir(exist_ok=True)
    ini.write_text((ROOT / "test.ini").read_text())
    pg_port = os.environ.get("LYG_PG_PORT", "54329")
    solr_port = os.environ.get("LYG_SOLR_PORT", "18983")
    redis_port = os.environ.get("LYG_REDIS_PORT", "63799")
    run(CKAN, "config-tool", str(ini),
        f"sqlalchemy.url=postgresql://ckan:ckan@127.0.0.1:{pg_port}/ckan_test{DB_SUFFIX}",
        f"solr_url=http://127.0.0.1:{solr_port}/solr/ckan_test{DB_SUFFIX}",
        f"ckan.redis.url=redis://127.0.0.1:{redis_port}/{SLOT}",
        # the slot's own DataStore database on the services' port (test.ini has the defaults)
        f"ckan.datastore.write_url=postgresql://ckan:ckan@127.0.0.1:{pg_port}/datastore_test{DB_SUFFIX}",
        "ckan.datastore.read_url=postgresql://ckan_datastore_ro:ckan_datastore_ro"
        f"@127.0.0.1:{pg_port}/datastore_test{DB_SUFFIX}",
        "testing=false", "ckan.site_url=http://bench.lyg-opendata.invalid", quiet=quiet)
    run(CKAN, "-c", str(ini), "db", "init", quiet=quiet)
    run(CKAN, "-c", str(ini), "db", "pending-migrations", "--apply", quiet=quiet)


def make_app(ini: pathlib.Path):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app as ckan_make_app
    return ckan_make_app(load_config(str(ini)))
