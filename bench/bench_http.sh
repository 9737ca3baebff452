#!/usr/bin/env bash
# bench_http.sh - vigil serve under load (issue 5: 10,000 requests/s on 2
# cores, p99 under 10 ms, no errors, over 30 s).
#
# Loads UN, EU, UK and OFAC 2022 and the name data into a new database, starts
# `vigil serve` on a loopback port (one worker thread per core), and has wrk
# (one thread, 32 connections, on the same 2 cores) POST one Person query
# (name, date of birth, nationality) to /match/default for 30 s. Prints wrk's
# figures. Usage: bench/bench_http.sh [VIGIL_BINARY] [SECONDS]
set -u
VIGIL=${1:-build/vigil}
SECS=${2:-30}
S="${SHARED:-../shared}"
T=$(mktemp -d /tmp/vigil-http-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
# the product as installed: its built-in name data, no --names
"$VIGIL" load --db "$T/v.db" "$S/lists/un/un-consolidated-2026-02-27.xml" \
  "$S/lists/eu/eu-fsf-rebuilt-2026-08-14.xml" "$S/lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" \
  "$S/lists/ofac/sdn-csv-2022-01" >/dev/null || exit 1
PORT=$("$(dirname "$0")/../scripts/free-port")
"$VIGIL" serve --db "$T/v.db" --port "$PORT" --no-auth 2>"$T/server.err" &
PID=$!
for _ in $(seq 1 300); do curl -s "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
cat >"$T/match.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"queries":{"q1":{"schema":"Person","properties":{"name":["Alexander Bastrykin"],"birthDate":["1953-08-27"],"nationality":["ru"]}}}}'
wrk.headers["Content-Type"] = "application/json"
LUA
echo "vigil serve on $(nproc) cores; wrk -t1 -c32 -d${SECS}s, POST /match/default, one Person query"
wrk -t1 -c32 -d"${SECS}s" --latency -s "$T/match.lua" "http://127.0.0.1:$PORT/match/default"
echo "(targets: 10,000 requests/s, p99 10 ms, no non-2xx responses or socket errors)"
