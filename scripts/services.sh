# Sourced by scripts/test.sh and scripts/bench.sh: Debian packages, and PostgreSQL and Redis
# started in a temporary folder. Each listens on a Unix socket in that folder and on no TCP
# port, so there is no port to pick and no race with another run for one.

log() { printf '\n==> %s\n' "$*"; }

# install_packages PACKAGE…: installs what is named from Debian (nothing when the list is empty).
install_packages() {
  (($#)) || return 0
  log "Installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@"
}

# services_folder: a new temporary folder PostgreSQL's user may write to.
services_folder() {
  local dir
  dir=$(mktemp -d /tmp/shuangyong-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres DIR [SERVER OPTION…]: a cluster in DIR/data with database `shuangyong`;
# exports DATABASE_URL and PG_BIN (the newest installed PostgreSQL's programs).
start_postgres() {
  local dir=$1
  shift
  PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")
  log "Starting PostgreSQL in $dir"
  as_postgres "$PG_BIN/initdb" -D "$dir/data" -U shuangyong --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -k $dir $*" start >/dev/null
  as_postgres "$PG_BIN/createdb" -h "$dir" -U shuangyong shuangyong
  export DATABASE_URL="postgres://shuangyong@/shuangyong?host=$dir"
}

# start_redis DIR: nothing saved; exports REDIS_URL.
start_redis() {
  local dir=$1
  log "Starting Redis"
  redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --save "" \
    --appendonly no --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --daemonize yes
  for _ in $(seq 50); do redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="unix://$dir/redis.sock"
}

# stop_services DIR: stops what start_postgres and start_redis started there and removes DIR.
stop_services() {
  local dir=$1
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  [ -n "${PG_BIN:-}" ] && as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
