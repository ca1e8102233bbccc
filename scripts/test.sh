#!/usr/bin/env bash
# Runs the test suite against the real services (started by make test).
#   scripts/test.sh [pytest args…]
# One test slot (LYG_TEST_SLOT, default: the default slot) or, with pytest-xdist, one slot
# per worker: LYG_XDIST_SLOTS="1 2" runs two workers, gw0 on slot 1 (the default slot) and
# gw1 on slot 2, each with its own database, DataStore database, Solr core and Redis
# database. LYG_XDIST_SLOTS="" (or one slot) runs without xdist.
source "$(dirname "$0")/lib.sh"

XDIST_SLOTS="${LYG_XDIST_SLOTS-}"
for s in $XDIST_SLOTS; do
  case "$s" in [1-9]|1[0-5]) ;; *) die "LYG_XDIST_SLOTS must list slots 1..15 (1 = the default slot), got '$s'" ;; esac
done
read -r -a SLOTS <<<"$XDIST_SLOTS"
[ "${#SLOTS[@]}" -ge 2 ] || SLOTS=("${TEST_SLOT:-1}")

# slot_env SLOT: the CKAN_* variables that point CKAN at the slot's services
slot_env() {
  local slot="$1"; [ "$slot" = 1 ] && slot=""
  printf '%s\n' \
    "CKAN_SQLALCHEMY_URL=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/ckan_test$slot" \
    "CKAN_SOLR_URL=http://127.0.0.1:$SOLR_PORT/solr/ckan_test$slot" \
    "CKAN_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/${slot:-1}" \
    "CKAN_DATASTORE_WRITE_URL=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/datastore_test$slot" \
    "CKAN_DATASTORE_READ_URL=postgresql://$DS_RO_USER:$DS_RO_PASSWORD@127.0.0.1:$PG_PORT/datastore_test$slot" \
    "CKAN_STORAGE_PATH=$LOCAL/test-storage$slot"
}

# slot_services SLOT: the slot's database, DataStore database and Solr core exist
# (services.sh, idempotent; one slot at a time: it creates databases)
slot_services() {
  local log="$LOGS/test-db-init-slot$1.log" slot="$1"; [ "$slot" = 1 ] && slot=""
  # uploaded resource files of the slot's test portal (CKAN's resource file store)
  mkdir -p "$LOCAL/test-storage$slot"
  if [ "${#SLOTS[@]}" -ge 2 ]; then
    LYG_TEST_SLOT="$1" "$ROOT/scripts/services.sh" start >"$log" 2>&1
  else
    LYG_TEST_SLOT="$1" "$ROOT/scripts/services.sh" datastore >"$log" 2>&1  # make test started the rest
  fi || { tail -n 10 "$log" >&2; die "preparing the services of test slot $1 failed; see $log"; }
}

# slot_db_init SLOT: ckan db init creates / upgrades the slot's tables
slot_db_init() {
  local log="$LOGS/test-db-init-slot$1.log"
  (
    while IFS= read -r var; do export "${var?}"; done < <(slot_env "$1")
    cd "$ROOT"
    "$VENV/bin/ckan" -c test.ini db init && "$VENV/bin/ckan" -c test.ini db pending-migrations --apply
  ) >>"$log" 2>&1 || { tail -n 10 "$log" >&2; die "ckan db init on the database of test slot $1 failed; see $log"; }
}

export CKAN_SMTP_SERVER="127.0.0.1:$SMTP_PORT"
export LYG_MAIL_DIR="$MAIL_DIR"
mkdir -p "$ROOT/test-artifacts"
for s in "${SLOTS[@]}"; do slot_services "$s"; done
pids=()
for s in "${SLOTS[@]}"; do slot_db_init "$s" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || exit 1; done

# the session (and xdist's controller) runs on the first slot
while IFS= read -r var; do export "${var?}"; done < <(slot_env "${SLOTS[0]}")
XDIST_ARGS=()
if [ "${#SLOTS[@]}" -ge 2 ]; then
  # worker gwN reads its slot's variables from LYG_XDIST_ENV_N (tests/conftest.py)
  for i in "${!SLOTS[@]}"; do
    export "LYG_XDIST_ENV_$i=$(slot_env "${SLOTS[$i]}" | tr '\n' ' ')"
  done
  XDIST_ARGS=(-n "${#SLOTS[@]}" --dist worksteal)
fi
cd "$ROOT"
exec "$VENV/bin/pytest" --ckan-ini=test.ini "${XDIST_ARGS[@]}" "$@"
