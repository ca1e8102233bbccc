#!/usr/bin/env bash
# Starts / stops the real services on 127.0.0.1: PostgreSQL 15, Redis, Apache Solr 9 and
# the development SMTP sink. Data lives under .local/ (git-ignored).
#   scripts/services.sh start|stop|status
source "$(dirname "$0")/lib.sh"

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user, which must
# be able to reach it. When the checkout is not reachable for postgres (e.g. under /root),
# the cluster lives in /var/tmp instead (and the README says so).
pg_home() {
  if runuser -u postgres -- test -w "$LOCAL/pg" 2>/dev/null || \
     { mkdir -p "$LOCAL/pg" && chown postgres: "$LOCAL/pg" && runuser -u postgres -- test -w "$LOCAL/pg"; } 2>/dev/null; then
    echo "$LOCAL/pg"
  else
    local alt="/var/tmp/lyg-opendata-$(echo "$ROOT" | sha256sum | cut -c1-8)/pg"
    mkdir -p "$alt" && chown -R postgres: "$(dirname "$alt")"
    echo "$alt"
  fi
}
PGHOME="$(pg_home)"
PGDATA="$PGHOME/data"
PGSOCK="$PGHOME/run"

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
psql_su() { runuser -u postgres -- "$PG_BIN/psql" -h "$PGSOCK" -p "$PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }

start_postgres() {
  [ -x "$PG_BIN/postgres" ] || die "PostgreSQL $PG_VERSION is not installed (run make install, or apt-get install postgresql-$PG_VERSION)"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    info "    initdb $PGDATA"
    mkdir -p "$PGSOCK"; chown -R postgres: "$PGHOME"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 \
      || die "initdb failed; see $LOGS/initdb.log"
  fi
  if pg_running; then
    info "    already running on 127.0.0.1:$PG_PORT"
  else
    require_free_port "$PG_PORT" PostgreSQL LYG_PG_PORT
    mkdir -p "$PGSOCK"; chown postgres: "$PGSOCK"
    touch "$LOGS/postgresql.log"; chown postgres: "$LOGS/postgresql.log"
    # pg_ctl removes a stale postmaster.pid by itself when its process is gone.
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgresql.log" -w -t 60 \
      -o "-p $PG_PORT -k $PGSOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { tail -n 10 "$LOGS/postgresql.log" >&2; die "PostgreSQL did not start; see $LOGS/postgresql.log"; }
    info "    started on 127.0.0.1:$PG_PORT"
  fi
  # role and databases (idempotent)
  psql_su -d postgres <<SQL
SELECT 'CREATE ROLE $PG_USER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER')\gexec
ALTER ROLE $PG_USER WITH LOGIN PASSWORD '$PG_PASSWORD';
SELECT 'CREATE DATABASE ckan_dev OWNER $PG_USER ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'ckan_dev')\gexec
SELECT 'CREATE DATABASE $TEST_DB OWNER $PG_USER ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$TEST_DB')\gexec
SQL
  prepare_datastore
}

# The DataStore databases and their read-only role (idempotent). The permissions are CKAN's
# own: the SQL of `ckan datastore set-permissions`, rendered by its function without a
# config file, for the dev pair and this test slot's pair.
prepare_datastore() {
  [ -x "$VENV/bin/python" ] || die "the virtualenv is missing (run make install): it renders the DataStore permissions"
  # one at a time: test runs of several slots may start together (CREATE DATABASE and
  # GRANT would race)
  exec 9>"$RUN/datastore.lock"
  flock 9
  psql_su -d postgres <<SQL
SELECT 'CREATE ROLE $DS_RO_USER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DS_RO_USER')\gexec
ALTER ROLE $DS_RO_USER WITH LOGIN PASSWORD '$DS_RO_PASSWORD';
SELECT 'CREATE DATABASE $TEST_DB OWNER $PG_USER ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$TEST_DB')\gexec
SELECT 'CREATE DATABASE datastore_dev OWNER $PG_USER ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'datastore_dev')\gexec
SELECT 'CREATE DATABASE $TEST_DS_DB OWNER $PG_USER ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$TEST_DS_DB')\gexec
SQL
  local pair
  : > "$LOGS/datastore-permissions.log"
  for pair in ckan_dev:datastore_dev "$TEST_DB:$TEST_DS_DB"; do
    "$VENV/bin/python" -c 'import sys; from ckanext.datastore.cli import permissions_sql as p
m, d, u, r = sys.argv[1:5]; print(p(maindb=m, datastoredb=d, mainuser=u, writeuser=u, readuser=r))' \
      "${pair%%:*}" "${pair#*:}" "$PG_USER" "$DS_RO_USER" 2>>"$LOGS/datastore-permissions.log" \
      | psql_su -d postgres >>"$LOGS/datastore-permissions.log" 2>&1 \
      || { tail -n 5 "$LOGS/datastore-permissions.log" >&2; die "setting the DataStore permissions on ${pair#*:} failed (SQL of ckan datastore set-permissions); see $LOGS/datastore-permissions.log"; }
  done
  exec 9>&-
}

stop_postgres() {
  if pg_running; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && info "    stopped PostgreSQL"
  fi
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server is not installed (run make install, or apt-get install redis-server)"
  if pid_alive redis && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    info "    already running on 127.0.0.1:$REDIS_PORT"; return
  fi
  require_free_port "$REDIS_PORT" Redis LYG_REDIS_PORT
  mkdir -p "$LOCAL/redis"
  start_bg redis "$LOGS/redis.log" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --save "" --appendonly no --dir "$LOCAL/redis" --daemonize no
  wait_for "Redis" 20 redis "$LOGS/redis.log" redis-cli -p "$REDIS_PORT" ping
  info "    started on 127.0.0.1:$REDIS_PORT"
}

solr_ping() { curl -sf "http://127.0.0.1:$SOLR_PORT/solr/$1/admin/ping" >/dev/null; }

prepare_solr_home() {
  local home="$LOCAL/solr/home" core
  mkdir -p "$home"
  cp "$ROOT/solr/solr.xml" "$home/solr.xml"
  for core in $(printf '%s\n' ckan ckan_test "$TEST_CORE" | sort -u); do
    mkdir -p "$home/$core/conf"
    cp -r "$ROOT/solr/configset/conf/." "$home/$core/conf/"
    [ -f "$home/$core/core.properties" ] || echo "name=$core" > "$home/$core/core.properties"
  done
}

# A running Solr picks up a changed configset (schema.xml …) by a core reload.
sync_solr_conf() {
  local home="$LOCAL/solr/home" core
  for core in $(ls "$home"); do
    [ -f "$home/$core/core.properties" ] || continue
    # bench/versus_vanilla.py's vanilla core keeps CKAN's stock schema
    [ -f "$home/$core/stock-schema" ] && continue
    if ! diff -rq "$ROOT/solr/configset/conf" "$home/$core/conf" >/dev/null 2>&1; then
      cp -r "$ROOT/solr/configset/conf/." "$home/$core/conf/"
      curl -sf "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=RELOAD&core=$core" >/dev/null \
        || die "Solr could not reload core $core with the changed configset; see $LOGS/solr.log"
      info "    reloaded core $core (configset changed; run make reindex for the dev portal)"
    fi
  done
}

# The jars a Solr process was started with (a core reload cannot add jars: after a change
# of solr/pom.xml, e.g. the ICU analysis, the running Solr is restarted).
solr_jars_sig() { ls "$LOCAL/solr/lib" 2>/dev/null | sha256sum | cut -c1-16; }

start_solr() {
  [ -f "$LOCAL/solr/classes/Launcher.class" ] || die "Solr is not installed (run make install)"
  [ -f "$LOCAL/stamps/solr-$(cat "$ROOT/solr/pom.xml" "$ROOT/solr/Launcher.java" | sha256sum | cut -c1-16)" ] \
    || die "Solr's jars are older than solr/pom.xml: run scripts/install.sh (or make services)"
  if pid_alive solr && solr_ping ckan \
      && [ "$(cat "$RUN/solr.jars" 2>/dev/null)" != "$(solr_jars_sig)" ]; then
    info "    Solr's jars changed (solr/pom.xml): restarting Solr"
    stop_bg solr
  fi
  if pid_alive solr && solr_ping ckan; then
    sync_solr_conf
    if ! solr_ping "$TEST_CORE"; then
      mkdir -p "$LOCAL/solr/home/$TEST_CORE/conf"
      cp -r "$ROOT/solr/configset/conf/." "$LOCAL/solr/home/$TEST_CORE/conf/"
      curl -sf "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=CREATE&name=$TEST_CORE&instanceDir=$TEST_CORE" >/dev/null \
        || die "Solr could not create core $TEST_CORE; see $LOGS/solr.log"
      info "    created core $TEST_CORE"
    fi
    info "    already running on 127.0.0.1:$SOLR_PORT"; return
  fi
  stop_bg solr
  require_free_port "$SOLR_PORT" Solr LYG_SOLR_PORT
  prepare_solr_home
  : > "$LOGS/solr.log"
  start_bg solr "$LOGS/solr.log" java -Xms256m -Xmx1g -Dsolr.log.dir="$LOGS" \
    -Dlog4j2.formatMsgNoLookups=true -Dsolr.install.dir="$LOCAL/solr" \
    -cp "$LOCAL/solr/lib/*:$LOCAL/solr/classes" Launcher "$LOCAL/solr/home" "$SOLR_PORT"
  solr_jars_sig > "$RUN/solr.jars"
  wait_for "Solr" 120 solr "$LOGS/solr.log" solr_ping ckan
  # the cores load in parallel: the test core may come a moment after the dev core
  wait_for "Solr core $TEST_CORE" 60 solr "$LOGS/solr.log" solr_ping "$TEST_CORE"
  info "    started on http://127.0.0.1:$SOLR_PORT/solr (cores ckan, $TEST_CORE)"
}

start_mailsink() {
  if pid_alive mailsink && port_busy "$SMTP_PORT"; then
    info "    already running on 127.0.0.1:$SMTP_PORT"; return
  fi
  require_free_port "$SMTP_PORT" "the SMTP sink" LYG_SMTP_PORT
  start_bg mailsink "$LOGS/mailsink.log" "$VENV/bin/python" "$ROOT/scripts/mailsink.py" \
    --port "$SMTP_PORT" --dir "$MAIL_DIR"
  wait_for "SMTP sink" 20 mailsink "$LOGS/mailsink.log" port_busy "$SMTP_PORT"
  info "    started on 127.0.0.1:$SMTP_PORT, mail stored in $MAIL_DIR"
}

oidc_ping() { curl -sf "http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration" >/dev/null; }

# The local OpenID Connect provider with the demo identities (docs/identity.md); its signing
# key is kept in .local/oidc
start_oidc() {
  [ -f "$ROOT/node_modules/oidc-provider/package.json" ] || die "the OIDC provider (npm oidc-provider) is not installed (run make install)"
  if pid_alive oidc && oidc_ping; then
    info "    already running on http://127.0.0.1:$OIDC_PORT"; return
  fi
  stop_bg oidc
  require_free_port "$OIDC_PORT" "the OIDC provider" LYG_OIDC_PORT
  mkdir -p "$LOCAL/oidc"
  start_bg oidc "$LOGS/oidc.log" env LYG_OIDC_PORT="$OIDC_PORT" LYG_OIDC_STATE_DIR="$LOCAL/oidc" \
    node "$ROOT/ckanext/lyg_opendata/identity/provider/server.mjs"
  wait_for "the OIDC provider" 30 oidc "$LOGS/oidc.log" oidc_ping
  info "    started on http://127.0.0.1:$OIDC_PORT (demo identities: docs/identity.md)"
}

status() {
  pg_running && info "postgresql: running on 127.0.0.1:$PG_PORT ($PGDATA)" || info "postgresql: stopped"
  for s in redis solr mailsink oidc; do
    if [ -f "$RUN/$s.pid" ] && kill -0 "$(cat "$RUN/$s.pid")" 2>/dev/null; then info "$s: running (pid $(cat "$RUN/$s.pid"))"; else info "$s: stopped"; fi
  done
}

case "${1:-}" in
  start)
    step "PostgreSQL $PG_VERSION" start_postgres
    step "Redis" start_redis
    step "Apache Solr 9" start_solr
    step "SMTP sink" start_mailsink
    step "OIDC provider" start_oidc
    ;;
  stop)
    stop_bg oidc; stop_bg mailsink; stop_bg solr; stop_bg redis; stop_postgres ;;
  status) status ;;
  pgdata) echo "$PGDATA" ;;
  # bench/versus_vanilla.py: a database and a Solr core NAME of their own (never a test
  # slot's, which the tests empty), with our configset (bench-ours) or with CKAN's stock
  # schema.xml for vanilla CKAN (bench-vanilla; sync_solr_conf leaves that core alone);
  # idempotent
  bench-ours|bench-vanilla)
    name="${2:?usage: services.sh bench-ours|bench-vanilla NAME}"
    pg_running || die "PostgreSQL is not running (make services)"
    psql_su -d postgres <<SQL
SELECT 'CREATE DATABASE $name OWNER $PG_USER ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$name')\gexec
SQL
    if ! solr_ping "$name"; then
      dir="$LOCAL/solr/home/$name"
      mkdir -p "$dir/conf"
      cp -r "$ROOT/solr/configset/conf/." "$dir/conf/"
      if [ "$1" = bench-vanilla ]; then
        cp "$("$VENV/bin/python" -c 'import ckan, os; print(os.path.dirname(ckan.__file__))')/config/solr/schema.xml" "$dir/conf/schema.xml"
        touch "$dir/stock-schema"
      fi
      curl -sf "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=CREATE&name=$name&instanceDir=$name" >/dev/null \
        || die "Solr could not create core $name; see $LOGS/solr.log"
      info "    created core $name ($1)"
    fi
    ;;
  # the DataStore databases of the dev portal and of this test slot (scripts/test.sh runs it)
  datastore) pg_running || die "PostgreSQL is not running (make services)"; prepare_datastore ;;
  *) echo "usage: $0 start|stop|status|datastore" >&2; exit 2 ;;
esac
