#!/usr/bin/env bash
# The development portal: config, database, demo content, and the CKAN processes
# (web on 127.0.0.1:$WEB_PORT served by gunicorn with LYG_WEB_WORKERS processes, default one
# per core; LYG_JOB_WORKERS job workers, default 2; the periodic runner).
#   scripts/dev.sh start|stop|status
source "$(dirname "$0")/lib.sh"

write_config() {
  if [ ! -f "$DEV_INI" ]; then
    ckan_cli generate config "$DEV_INI" >/dev/null || die "ckan generate config failed"
    info "    generated $DEV_INI (secrets kept from now on)"
  fi
  local overrides="$LOCAL/dev.overrides.ini"
  sed -e "s#@PG_PORT@#$PG_PORT#g" -e "s#@SOLR_PORT@#$SOLR_PORT#g" \
      -e "s#@REDIS_PORT@#$REDIS_PORT#g" -e "s#@WEB_PORT@#$WEB_PORT#g" \
      -e "s#@SMTP_PORT@#$SMTP_PORT#g" -e "s#@OIDC_PORT@#$OIDC_PORT#g" -e "s#@LOCAL@#$LOCAL#g" \
      "$ROOT/config/dev.ini.in" > "$overrides"
  ckan_cli config-tool "$DEV_INI" -f "$overrides" >/dev/null || die "could not merge config/dev.ini.in into $DEV_INI"
  mkdir -p "$LOCAL/storage"
}

init_db() {
  { ckan_cli -c "$DEV_INI" db init && ckan_cli -c "$DEV_INI" db pending-migrations --apply; } >"$LOGS/db-init.log" 2>&1 \
    || { tail -n 10 "$LOGS/db-init.log" >&2; die "ckan db init failed; see $LOGS/db-init.log"; }
}

demo() {
  ckan_cli -c "$DEV_INI" lyg-opendata demo load --admin admin \
    --admin-password-file "$LOCAL/admin-password" ${LYG_SYNTHETIC:+--synthetic "$LYG_SYNTHETIC"}
  ckan_cli -c "$DEV_INI" lyg-opendata calendar load --from-library --all-known --skip-loaded
  # datasets the index lost (e.g. after a Solr schema change) are indexed again
  ckan_cli -c "$DEV_INI" search-index rebuild --only-missing --quiet >"$LOGS/reindex.log" 2>&1 \
    || { tail -n 5 "$LOGS/reindex.log" >&2; die "search-index rebuild failed; see $LOGS/reindex.log"; }
  # data requests are documents of their own in the same core (participation/search.py)
  ckan_cli -c "$DEV_INI" lyg-opendata data-requests reindex >>"$LOGS/reindex.log" 2>&1 \
    || { tail -n 5 "$LOGS/reindex.log" >&2; die "data-requests reindex failed; see $LOGS/reindex.log"; }
  # so are the proactive disclosure catalog's published entries (disclosure/proactive/search.py)
  ckan_cli -c "$DEV_INI" lyg-opendata disclosure reindex-catalog >>"$LOGS/reindex.log" 2>&1 \
    || { tail -n 5 "$LOGS/reindex.log" >&2; die "disclosure reindex-catalog failed; see $LOGS/reindex.log"; }
}

# ckanext-xloader downloads uploads and posts its results with the site user's API token
xloader_token() {
  if grep -Eq '^ckanext\.xloader\.api_token *= *[A-Za-z0-9]' "$DEV_INI" \
      && ! grep -q '^ckanext.xloader.api_token *= *NOT_SET' "$DEV_INI"; then return 0; fi
  local token
  token=$(ckan_cli -c "$DEV_INI" lyg-opendata data xloader-token 2>"$LOGS/xloader-token.log" | tail -n 1) \
    || die "could not create the xloader API token; see $LOGS/xloader-token.log"
  ckan_cli config-tool "$DEV_INI" "ckanext.xloader.api_token=$token" >/dev/null \
    || die "could not write ckanext.xloader.api_token into $DEV_INI"
}

web_up() { curl -sf "http://127.0.0.1:$WEB_PORT/api/3/action/status_show" >/dev/null; }

start_processes() {
  if pid_alive periodic; then info "    periodic runner already running"; else
    start_bg periodic "$LOGS/periodic.log" "$VENV/bin/python" "$ROOT/scripts/periodic.py" \
      --ini "$DEV_INI" --crontab "$ROOT/config/crontab"
    info "    periodic runner started (log: $LOGS/periodic.log)"
  fi
  # ckanext-harvest's queue consumers (Redis); `ckan harvester run` (config/crontab) feeds them.
  # They wait on the queue with a blocking BLPOP, which redis-py 8's default 5 s socket timeout
  # breaks (ckan/ckanext-harvest#581): their Redis connection gets a year-long one.
  local harvest_redis="redis://127.0.0.1:$REDIS_PORT/0?socket_timeout=31536000"
  for stage in gather fetch; do
    if pid_alive "harvest-$stage"; then info "    harvest $stage consumer already running"; else
      start_bg "harvest-$stage" "$LOGS/harvest-$stage.log" env CKAN_REDIS_URL="$harvest_redis" \
        "$VENV/bin/ckan" -c "$DEV_INI" harvester "$stage-consumer"
      info "    harvest $stage consumer started (log: $LOGS/harvest-$stage.log)"
    fi
  done
  if pid_alive web && web_up; then info "    web already running"; else
    stop_bg web
    require_free_port "$WEB_PORT" "the CKAN web server" LYG_WEB_PORT
    # gunicorn, LYG_WEB_WORKERS processes (default: one per core), as in production
    start_bg web "$LOGS/web.log" env CKAN_INI="$DEV_INI" "$VENV/bin/gunicorn" \
      --workers "$WEB_WORKERS" --bind "127.0.0.1:$WEB_PORT" --timeout 120 \
      --chdir "$ROOT/scripts" wsgi:application
    wait_for "CKAN web server" 90 web "$LOGS/web.log" web_up
    info "    web started: gunicorn, $WEB_WORKERS workers (log: $LOGS/web.log)"
  fi
  # after the web server: xloader's jobs download uploads from it and post their results to
  # it. LYG_JOB_WORKERS RQ workers (default 2) take jobs from the same Redis queue.
  local i name
  for i in $(seq 1 "$JOB_WORKERS"); do
    name=$(worker_name "$i")
    if pid_alive "$name"; then info "    $name already running"; else
      start_bg "$name" "$LOGS/$name.log" "$VENV/bin/ckan" -c "$DEV_INI" jobs worker
      info "    $name started (log: $LOGS/$name.log)"
    fi
  done
}

WEB_WORKERS="${LYG_WEB_WORKERS:-$(nproc)}"
JOB_WORKERS="${LYG_JOB_WORKERS:-2}"
worker_name() { if [ "$1" = 1 ]; then echo worker; else echo "worker-$1"; fi; }
# the job workers started (their pid files), whatever LYG_JOB_WORKERS was then
started_workers() {
  local f
  for f in "$RUN"/worker.pid "$RUN"/worker-*.pid; do [ -f "$f" ] && basename "$f" .pid; done
}

case "${1:-}" in
  start)
    step "Dev config ($DEV_INI)" write_config
    step "Database (ckan db init, plugin migrations)" init_db
    step "DataStore loader token (ckanext-xloader)" xloader_token
    step "Demo content" demo
    step "CKAN web, job worker, periodic runner, harvest consumers" start_processes
    info ""
    info "Portal: http://127.0.0.1:$WEB_PORT   (sysadmin: admin / $(cat "$LOCAL/admin-password"))"
    info "Logs: $LOGS   Mail: $MAIL_DIR   Config: $DEV_INI"
    ;;
  stop)
    stop_bg web; stop_bg periodic
    for w in $(started_workers); do stop_bg "$w"; done
    stop_bg harvest-gather; stop_bg harvest-fetch ;;
  status)
    for s in web $(started_workers) periodic harvest-gather harvest-fetch; do
      if [ -f "$RUN/$s.pid" ] && kill -0 "$(cat "$RUN/$s.pid")" 2>/dev/null; then info "$s: running (pid $(cat "$RUN/$s.pid"))"; else info "$s: stopped"; fi
    done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
