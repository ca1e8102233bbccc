# Shared settings and helpers of the project's scripts (sourced, not run).
# Every path lives under the checkout's git-ignored .local/ folder; every port is on
# 127.0.0.1 and can be moved with an environment variable when it is taken.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
RUN="$LOCAL/run"
LOGS="$LOCAL/logs"
MAIL_DIR="$LOCAL/mail"
DEV_INI="$LOCAL/dev.ini"

PG_PORT="${LYG_PG_PORT:-54329}"
REDIS_PORT="${LYG_REDIS_PORT:-63799}"
SOLR_PORT="${LYG_SOLR_PORT:-18983}"
SMTP_PORT="${LYG_SMTP_PORT:-8025}"
WEB_PORT="${LYG_WEB_PORT:-5000}"
# the local OpenID Connect provider (identity/provider/server.mjs), one for the dev portal and
# every test slot (like PostgreSQL and Solr)
OIDC_PORT="${LYG_OIDC_PORT:-9180}"
# A second test run beside the first (e.g. a helper working in parallel) uses its own
# database, Solr core and Redis database: LYG_TEST_SLOT=2..15 -> ckan_test2, core ckan_test2, redis db 2..15.
# Slot 1 is the default slot by another name (ckan_test, core ckan_test, redis db 1).
TEST_SLOT="${LYG_TEST_SLOT:-}"
case "$TEST_SLOT" in ""|[2-9]|1[0-5]) ;; 1) TEST_SLOT="" ;; *) echo "ERROR: LYG_TEST_SLOT must be empty or 1..15 (Redis has 16 databases)" >&2; exit 1 ;; esac
TEST_DB="ckan_test$TEST_SLOT"
TEST_CORE="ckan_test$TEST_SLOT"
TEST_REDIS_DB="${TEST_SLOT:-1}"
# DataStore: a database beside each CKAN database (datastore_dev, datastore_test<slot>),
# written by $PG_USER, read through a read-only role (docs/access.md).
TEST_DS_DB="datastore_test$TEST_SLOT"
DS_RO_USER=ckan_datastore_ro
DS_RO_PASSWORD=ckan_datastore_ro
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_USER=ckan
PG_PASSWORD=ckan


mkdir -p "$RUN" "$LOGS" "$MAIL_DIR"

info() { printf '%s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# step "name" cmd… : run one named step and print its time.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  printf '==> %s\n' "$name"
  "$@"
  printf '    %s: done in %ss\n' "$name" "$((SECONDS - t0))"
}

# port_busy PORT: true when something listens on 127.0.0.1:PORT
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_owner PORT: "pid/command" of the listener, for error messages
port_owner() {
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\2 \1/p' | head -n1
}

require_free_port() {
  local port="$1" what="$2" var="$3"
  if port_busy "$port"; then
    die "port $port for $what is taken by another process ($(port_owner "$port")); stop it, or pick another port: $var=<port> make …"
  fi
}

# pid_alive NAME: the process recorded in $RUN/NAME.pid runs; removes a stale PID file.
pid_alive() {
  local f="$RUN/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  info "    removed stale PID file $f (process ${pid:-?} is gone)"
  rm -f "$f"
  return 1
}

# start_bg NAME LOGFILE cmd… : start a background process in its own session and record its pid.
start_bg() {
  local name="$1" log="$2"; shift 2
  setsid "$@" >>"$log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

# stop_bg NAME : stop the process group recorded for NAME, politely then firmly.
stop_bg() {
  local name="$1" f="$RUN/$1.pid" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    info "    stopped $name (pid $pid)"
  fi
  rm -f "$f"
}

# wait_for DESCRIPTION SECONDS PIDNAME LOG cmd… : poll cmd until it succeeds; fail with
# the log's tail if the process dies or the time runs out.
wait_for() {
  local what="$1" secs="$2" name="$3" log="$4"; shift 4
  local i
  for i in $(seq 1 $((secs * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "$name" ] && ! kill -0 "$(cat "$RUN/$name.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      tail -n 15 "$log" >&2 || true
      die "$what exited while starting; see $log"
    fi
    sleep 0.2
  done
  tail -n 15 "$log" >&2 || true
  die "$what did not answer within ${secs}s; see $log"
}

ckan_cli() { "$VENV/bin/ckan" "$@"; }
