#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and benchmarks, listening only on 127.0.0.1.
#
#   url=$(bash scripts/ci/pg-start.sh [DIR])     # prints postgres://USER@127.0.0.1:PORT/postgres
#   ...
#   bash scripts/ci/pg-stop.sh DIR               # stops it and removes DIR
#
# DIR is created with mktemp when not given; its path is printed on stderr and written to DIR/cluster.env
# (with the port, URL, OS user and binaries used), so pg-stop.sh needs only DIR.
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system user when it
# exists, else to a `fqci` user created for it. Authentication is `trust` (local, throwaway cluster).
#
# Environment:
#   PG_PORT      first port to try (default 55432; the next free one up to +50 is used)
#   PG_DURABLE   1 keeps PostgreSQL's default durability (fsync, synchronous_commit, full_page_writes).
#                By default they are off: faster for tests, but not for measuring.
set -euo pipefail

log() { echo "pg-start: $*" >&2; }

find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/local/bin /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

PG_BIN=$(find_pg_bin) || { log "no PostgreSQL binaries (initdb, pg_ctl, postgres) found; install postgresql-15"; exit 1; }

if [[ $(id -u) -eq 0 ]]; then
  if id -u postgres >/dev/null 2>&1; then
    OS_USER=postgres
  else
    if ! id -u fqci >/dev/null 2>&1; then
      log "creating system user fqci to own the cluster"
      useradd --system --no-create-home --shell /usr/sbin/nologin fqci
    fi
    OS_USER=fqci
  fi
else
  OS_USER=$(id -un)
fi

# Runs a command as the cluster's owner, from a directory that owner can read.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u "$OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

DIR=${1:-}
if [[ -z "$DIR" ]]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/fq-pg.XXXXXX")
else
  mkdir -p "$DIR"
fi
DIR=$(cd "$DIR" && pwd)
if [[ $(id -u) -eq 0 ]]; then chown "$OS_USER" "$DIR"; fi
chmod 700 "$DIR"

PORT=${PG_PORT:-55432}
for _ in $(seq 0 50); do
  port_in_use "$PORT" || break
  PORT=$((PORT + 1))
done
if port_in_use "$PORT"; then log "no free port near ${PG_PORT:-55432}"; exit 1; fi

log "initdb in $DIR/data as $OS_USER with $PG_BIN ($("$PG_BIN/postgres" --version))"
as_owner "$PG_BIN/initdb" -D "$DIR/data" -U "$OS_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
  log "initdb failed:"; cat "$DIR/initdb.log" >&2; exit 1;
}

OPTS="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories='$DIR' -c max_connections=200"
if [[ "${PG_DURABLE:-0}" != 1 ]]; then
  OPTS="$OPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

URL="postgres://$OS_USER@127.0.0.1:$PORT/postgres"
cat >"$DIR/cluster.env" <<ENV
PG_BIN='$PG_BIN'
PG_OS_USER='$OS_USER'
PG_PORT='$PORT'
PG_URL='$URL'
ENV

log "starting on 127.0.0.1:$PORT"
if ! as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -o "$OPTS" -w -t 60 start >&2; then
  log "start failed:"; cat "$DIR/server.log" >&2 || true; exit 1
fi

ready=0
for _ in $(seq 1 60); do
  if [[ -x "$PG_BIN/pg_isready" ]]; then
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$OS_USER" -d postgres; then ready=1; break; fi
  elif port_in_use "$PORT"; then
    ready=1; break
  fi
  sleep 0.5
done
if [[ $ready != 1 ]]; then log "server did not become ready:"; cat "$DIR/server.log" >&2 || true; exit 1; fi

log "ready; stop with: bash scripts/ci/pg-stop.sh $DIR"
echo "$URL"
