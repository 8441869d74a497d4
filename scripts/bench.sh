#!/usr/bin/env bash
# `make bench`: starts PostgreSQL and Redis in a temporary folder (as scripts/test.sh does),
# runs bench/pages_bench.py against them, and stops what it started. The database search
# backend serves the search page. Extra arguments go to the benchmark: `--seconds 30`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n==> %s\n' "$*"; }

need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v wrk >/dev/null || need+=(wrk)
if ((${#need[@]})) && [ "$(id -u)" = 0 ]; then
  log "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"
fi
make --no-print-directory install
BIN="$ROOT/.venv/bin"

PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")
DIR=$(mktemp -d /tmp/shuangyong-bench.XXXXXX)
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  as_postgres() { runuser -u postgres -- "$@"; }
else
  as_postgres() { "$@"; }
fi

cleanup() {
  status=$?
  log "Stopping services"
  [ -f "$DIR/redis.pid" ] && kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
  as_postgres "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  exit $status
}
trap cleanup EXIT INT TERM

log "Starting PostgreSQL and Redis in $DIR"
as_postgres "$PG_BIN/initdb" -D "$DIR/data" -U shuangyong --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o "-c listen_addresses='' -k $DIR" start >/dev/null
as_postgres "$PG_BIN/createdb" -h "$DIR" -U shuangyong shuangyong
export DATABASE_URL="postgres://shuangyong@/shuangyong?host=$DIR"
redis-server --port 0 --unixsocket "$DIR/redis.sock" --unixsocketperm 777 --save "" \
  --appendonly no --dir "$DIR" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --daemonize yes
for _ in $(seq 50); do redis-cli -s "$DIR/redis.sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
export REDIS_URL="unix://$DIR/redis.sock"

log "Benchmark"
"$BIN/python" bench/pages_bench.py "$@"
