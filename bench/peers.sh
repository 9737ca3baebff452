#!/usr/bin/env bash
# bench/peers.sh - vigil side by side with PostgreSQL (pg_trgm, fuzzystrmatch)
# and a brute-force Jaro-Winkler scan (bench/bench_peers.c), in one run.
# Installs PostgreSQL and its client library if missing (Debian's), starts a
# throw-away server on a loopback port in a temporary folder, runs the
# benchmark, stops and removes the server. Writes bench/RESULTS.md and
# bench/recall-fp.svg. Run from the repository: `make bench-peers`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps
make -s build/bench/bench_peers

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
D=$(mktemp -d /tmp/vigil-pg-XXXXXX)
PORT=$(scripts/free-port)
# PostgreSQL will not run as root: as the postgres user when we are root
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$D"; fi
stop() {
  as_pg "$PGBIN/pg_ctl" -D "$D/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$D"
}
trap stop EXIT
as_pg "$PGBIN/initdb" -D "$D/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $D -c shared_buffers=256MB -c fsync=off" start >/dev/null
echo "peers: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
SHARED=${SHARED:-../shared} build/bench/bench_peers \
  "host=127.0.0.1 port=$PORT user=postgres dbname=postgres" bench/RESULTS.md bench/recall-fp.svg
