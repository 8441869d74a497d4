#!/usr/bin/env bash
# `make bench`: starts PostgreSQL and Redis in a temporary folder (as scripts/test.sh does),
# runs bench/pages_bench.py against them, and stops what it started. The database search
# backend serves the search page. Extra arguments go to the benchmark: `--seconds 30`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

source scripts/services.sh

need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v wrk >/dev/null || need+=(wrk)
if [ "$(id -u)" = 0 ]; then install_packages "${need[@]}"; fi
make --no-print-directory install
BIN="$ROOT/.venv/bin"

DIR=$(services_folder)
cleanup() {
  status=$?
  log "Stopping services"
  stop_services "$DIR"
  exit $status
}
trap cleanup EXIT INT TERM

start_postgres "$DIR"
start_redis "$DIR"

log "Benchmark"
"$BIN/python" bench/pages_bench.py "$@"
