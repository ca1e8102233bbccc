#!/usr/bin/env bash
# Runs the whole test suite against the real services (started by make test).
#   scripts/test.sh [pytest args…]
source "$(dirname "$0")/lib.sh"
export CKAN_SQLALCHEMY_URL="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$TEST_DB"
export CKAN_SOLR_URL="http://127.0.0.1:$SOLR_PORT/solr/$TEST_CORE"
export CKAN_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$TEST_REDIS_DB"
export CKAN_DATASTORE_WRITE_URL="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$TEST_DS_DB"
export CKAN_DATASTORE_READ_URL="postgresql://$DS_RO_USER:$DS_RO_PASSWORD@127.0.0.1:$PG_PORT/$TEST_DS_DB"
export CKAN_SMTP_SERVER="127.0.0.1:$SMTP_PORT"
export LYG_MAIL_DIR="$MAIL_DIR"
mkdir -p "$ROOT/test-artifacts"
# the slot's DataStore database and read-only role (idempotent; CKAN's set-permissions SQL)
"$ROOT/scripts/services.sh" datastore
cd "$ROOT"
# ckan db init creates / upgrades the test database's tables before the fixtures use it.
{ "$VENV/bin/ckan" -c test.ini db init && "$VENV/bin/ckan" -c test.ini db pending-migrations --apply; } >"$LOGS/test-db-init.log" 2>&1 \
  || { tail -n 10 "$LOGS/test-db-init.log" >&2; die "ckan db init on the test database failed; see $LOGS/test-db-init.log"; }
exec "$VENV/bin/pytest" --ckan-ini=test.ini "$@"
