#!/usr/bin/env bash
# Stops a cluster started by pg-start.sh and removes its directory: bash scripts/ci/pg-stop.sh DIR
set -euo pipefail
DIR=${1:?usage: pg-stop.sh DIR}
[[ -d "$DIR" ]] || exit 0
if [[ -f "$DIR/cluster.env" ]]; then
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
  if [[ -f "$DIR/data/postmaster.pid" ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      (cd / && runuser -u "$PG_OS_USER" -- "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop) >&2 || true
    else
      (cd / && "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop) >&2 || true
    fi
  fi
fi
rm -rf "$DIR"
