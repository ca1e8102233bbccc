#!/usr/bin/env bash
# Installs what is missing: Debian packages, the virtualenv with CKAN and the extension,
# and Apache Solr's jars (from Maven Central, through solr/pom.xml). Re-running it only
# redoes a step whose inputs changed.
source "$(dirname "$0")/lib.sh"
STAMPS="$LOCAL/stamps"; mkdir -p "$STAMPS"

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

apt_packages() {
  local missing=()
  [ -x "$PG_BIN/postgres" ] || missing+=("postgresql-$PG_VERSION")
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v pg_config >/dev/null || missing+=(libpq-dev)
  command -v msgfmt >/dev/null || missing+=(gettext)
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v ss >/dev/null || missing+=(iproute2)
  command -v patch >/dev/null || missing+=(patch)
  command -v curl >/dev/null || missing+=(curl)
  command -v npm >/dev/null || missing+=(npm)
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  if [ ${#missing[@]} -eq 0 ]; then info "    all present"; return; fi
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
  info "    installing ${missing[*]} (log: $LOGS/apt.log)"
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >"$LOGS/apt.log" 2>&1; then
    tail -n 5 "$LOGS/apt.log" >&2
    die "apt-get could not install ${missing[*]} (are Debian's package servers reachable? see $LOGS/apt.log)"
  fi
}

check_java() {
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  [ -n "$v" ] || die "Java is missing: Solr 9 needs Java 17 or newer (apt-get install openjdk-17-jre-headless)"
  [ "$v" -ge 17 ] || die "Java $v found: Solr 9 needs Java 17 or newer (apt-get install openjdk-17-jre-headless)"
  info "    java $v"
}

# ckanext-xloader without its own requirements (pyproject.toml lists the ones it needs): it asks
# for certifi>=2026.7.22, CKAN 2.12.0 pins certifi==2026.6.17 and pip refuses the pair
XLOADER="ckanext-xloader==2.6.0"

venv() {
  local py stamp
  # the first Python 3.11 of at least 3.11.5 (pinned packages such as soupsieve 4.1 need it;
  # Debian's python3.11 is 3.11.2): on PATH, pyenv's when its shims are not on PATH (a
  # non-login shell, a CI runner), Debian's; else the first 3.11 found
  py=""
  local candidate
  for candidate in "$(command -v python3.11 || true)" \
      $(ls -d /root/.pyenv/versions/3.11*/bin/python3.11 2>/dev/null | sort -V -r || true) \
      "$(command -v /usr/bin/python3.11 || true)"; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' 2>/dev/null; then
      py="$candidate"; break
    fi
    [ -n "$py" ] || py="$candidate"
  done
  [ -n "$py" ] || die "python3.11 is missing: this project runs on Python 3.11 (apt-get install python3.11 python3.11-venv, or pyenv install 3.11)"
  if [ ! -x "$VENV/bin/python" ]; then
    "$py" -m venv "$VENV" || die "could not create the virtualenv in $VENV"
  fi
  # the stamp lives in the virtualenv it describes (a .local shared by several checkouts must
  # not make one checkout's .venv look up to date because another one's was installed)
  stamp="$VENV/.lyg-pip-$(hash_of "$ROOT/pyproject.toml" "$ROOT/constraints.txt" "$ROOT/scripts/install.sh")"
  if [ -f "$stamp" ] && [ -x "$VENV/bin/ckan" ]; then info "    up to date"; return; fi
  info "    pip install -c constraints.txt -e .[test] (log: $LOGS/pip.log)"
  if ! { "$VENV/bin/pip" install -q --upgrade pip wheel 'setuptools<81' \
         && "$VENV/bin/pip" install --progress-bar off -c "$ROOT/constraints.txt" -e "$ROOT[test]" \
         && "$VENV/bin/pip" install --progress-bar off --no-deps -c "$ROOT/constraints.txt" "$XLOADER"; } >"$LOGS/pip.log" 2>&1; then
    grep -E "ERROR|error:" "$LOGS/pip.log" | tail -n 5 >&2 || true
    die "pip could not install the Python packages with $("$VENV/bin/python" --version 2>&1) (is PyPI reachable? see $LOGS/pip.log)"
  fi
  rm -f "$VENV"/.lyg-pip-*; touch "$stamp"
}

solr_jars() {
  local stamp lib="$LOCAL/solr/lib" classes="$LOCAL/solr/classes"
  stamp="$STAMPS/solr-$(hash_of "$ROOT/solr/pom.xml" "$ROOT/solr/Launcher.java")"
  if [ -f "$stamp" ] && [ -f "$classes/Launcher.class" ]; then info "    up to date"; return; fi
  rm -rf "$lib" "$classes"; mkdir -p "$lib" "$classes"
  info "    mvn dependency:copy-dependencies (log: $LOGS/maven.log)"
  if ! mvn -B -f "$ROOT/solr/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$lib" -DincludeScope=runtime >"$LOGS/maven.log" 2>&1; then
    grep -E "ERROR" "$LOGS/maven.log" | head -n 5 >&2 || true
    die "Maven could not fetch Apache Solr from Maven Central (is it reachable? see $LOGS/maven.log)"
  fi
  javac -nowarn -cp "$lib/*" -d "$classes" "$ROOT/solr/Launcher.java" >"$LOGS/javac.log" 2>&1 \
    || die "could not compile solr/Launcher.java (see $LOGS/javac.log)"
  info "    $(ls "$lib" | wc -l) jars"
  rm -f "$STAMPS"/solr-*; touch "$stamp"
}

axe_core() {
  # axe-core for the browser tests' accessibility checks and oidc-provider, the local OpenID
  # Connect provider of dev and tests (package.json), from the npm registry into
  # node_modules/; the tests inject axe from there, no CDN
  local stamp
  stamp="$STAMPS/npm-$(hash_of "$ROOT/package.json" "$ROOT/package-lock.json")"
  if [ -f "$stamp" ] && [ -f "$ROOT/node_modules/axe-core/axe.min.js" ] \
     && [ -f "$ROOT/node_modules/oidc-provider/package.json" ]; then info "    up to date"; return; fi
  info "    npm ci (log: $LOGS/npm.log)"
  if ! (cd "$ROOT" && npm ci --no-audit --no-fund) >"$LOGS/npm.log" 2>&1; then
    tail -n 5 "$LOGS/npm.log" >&2
    die "npm could not install axe-core and oidc-provider (is the npm registry reachable? see $LOGS/npm.log)"
  fi
  rm -f "$STAMPS"/npm-*; touch "$stamp"
}

step "Debian packages" apt_packages
step "Java" check_java
step "Python virtualenv (.venv)" venv
step "Apache Solr jars" solr_jars
step "axe-core, oidc-provider (node_modules)" axe_core
