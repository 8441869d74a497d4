#!/usr/bin/env bash
# `make test`: installs the system packages and Python packages the tests need, starts
# PostgreSQL, Redis, the search node and an S3-compatible server locally, in temporary folders, runs every check and
# the whole pytest suite, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

source scripts/services.sh

# --- System packages (Debian) -------------------------------------------------------------
need=()
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v javac >/dev/null || need+=(default-jdk-headless)  # javac builds the node control wrapper
command -v mvn >/dev/null || need+=(maven)
command -v npm >/dev/null || need+=(npm)  # fetches axe-core for the accessibility tests
command -v redis-server >/dev/null || need+=(redis-server)  # the shared cache
install_packages "${need[@]}"

# --- Python packages --------------------------------------------------------------------
log "Installing Python packages"
make --no-print-directory install-test
BIN="$ROOT/.venv/bin"

# --- axe-core, from the npm registry, pinned -------------------------------------------
AXE_VERSION=4.14.1
AXE_DIR="$ROOT/.cache/npm"
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  log "Installing axe-core $AXE_VERSION"
  npm install --prefix "$AXE_DIR" --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION"
fi

# --- PostgreSQL and Redis (the shared cache), in one temporary folder -----------------------
PG_DIR=$(services_folder)

cleanup() {
  status=$?
  log "Stopping services"
  [ -n "${SEARCH_STATE:-}" ] && "$BIN/python" tools/opensearch/node.py stop --state "$SEARCH_STATE" || true
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null || true
  [ -n "${S3_DIR:-}" ] && rm -rf "$S3_DIR"
  stop_services "$PG_DIR"
  exit $status
}
trap cleanup EXIT INT TERM

start_postgres "$PG_DIR" -c fsync=off -c synchronous_commit=off -c full_page_writes=off
start_redis "$PG_DIR"

# --- Search engine node -----------------------------------------------------------------
if [ -f tools/opensearch/node.py ]; then
  SEARCH_STATE="$PG_DIR/opensearch.json"
  log "Starting an OpenSearch node"
  export SEARCH_TEST_URL=$("$BIN/python" tools/opensearch/node.py start --state "$SEARCH_STATE")
  echo "OpenSearch at $SEARCH_TEST_URL"
fi

# --- S3-compatible server for the private storage (moto, from PyPI) ----------------------
# Port 0: the server binds a free port itself and prints it, so there is no race for one.
S3_DIR=$(mktemp -d /tmp/shuangyong-s3.XXXXXX)
log "Starting an S3-compatible server (moto)"
"$BIN/moto_server" -H 127.0.0.1 -p 0 >"$S3_DIR/server.log" 2>&1 &
S3_PID=$!
S3_TEST_URL=""
for _ in $(seq 1 300); do
  S3_TEST_URL=$(grep -o -m 1 'http://127\.0\.0\.1:[0-9]*' "$S3_DIR/server.log" || true)
  [ -n "$S3_TEST_URL" ] && break
  kill -0 "$S3_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$S3_TEST_URL" ]; then
  cat "$S3_DIR/server.log"
  echo "The S3-compatible server did not start." >&2
  exit 1
fi
export S3_TEST_URL
echo "S3-compatible server at $S3_TEST_URL"

# --- Checks and tests -------------------------------------------------------------------
log "Lint and format"
"$BIN/ruff" check .
"$BIN/ruff" format --check .

log "Migrations are complete"
DJANGO_SETTINGS_MODULE=siteconf.settings.test "$BIN/python" manage.py makemigrations --check --dry-run

log "Production settings pass the deployment checks"
DJANGO_SETTINGS_MODULE=siteconf.settings.production DJANGO_SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  DJANGO_ALLOWED_HOSTS=shuangyong.example.cn "$BIN/python" manage.py check --deploy --fail-level WARNING

# make load: the load and fault benchmark instead of the tests (bench/load.py).
if [ "${LOAD:-}" = 1 ]; then
  log "Load benchmark: bench/load.py ${LOAD_ARGS:-}"
  as_postgres "$PG_BIN/createdb" -h "$PG_DIR" -U shuangyong load
  restart="$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w restart"
  [ "$(id -u)" = 0 ] && restart="runuser -u postgres -- $restart"
  # shellcheck disable=SC2086  # LOAD_ARGS is a list of options
  "$BIN/python" bench/load.py --database-url "postgres://shuangyong@/load?host=$PG_DIR" \
    --postgres-restart "$restart" ${LOAD_ARGS:-}
  exit $?
fi

# The Procfile's processes on production settings, in their own database and index.
if [ "${SKIP_PROD_CHECK:-}" != 1 ]; then
  log "Production rehearsal (make prod-check)"
  as_postgres "$PG_BIN/createdb" -h "$PG_DIR" -U shuangyong prodcheck
  timeout --signal=TERM --kill-after=30 15m "$BIN/python" scripts/prod_check.py \
    --search-url "$SEARCH_TEST_URL" --database-url "postgres://shuangyong@/prodcheck?host=$PG_DIR"
  if [ "${PROD_CHECK_ONLY:-}" = 1 ]; then exit 0; fi
fi

log "pytest"
# A hung run ends here rather than at CI's limit; each test also has its own timeout.
timeout --signal=TERM --kill-after=60 "${TEST_TIMEOUT:-40m}" "$BIN/python" -m pytest "$@"
