#!/usr/bin/env bash
# The analysts' page end to end: vigil serve on a loopback port, the page in
# headless Chromium (Debian's, driven by playwright-core from npm), with
# screenshots of its pages in build/screenshots/. Skipped, saying so, only
# where Chromium or npm cannot be had. Usage: tests/web.sh VIGIL_BINARY
set -u
VIGIL=${1:-build/vigil}
S="${SHARED:-../shared}"
ROOT=$(pwd)
T=$(mktemp -d /tmp/vigil-web-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skipped - Chromium or Node.js is not installed here (scripts/install-deps installs them)"
  echo "0 passed, 0 failed"
  exit 0
fi
# playwright-core, once, into build/ (never its bundled browsers)
MOD="$ROOT/build/web-tests"
if [ ! -d "$MOD/node_modules/playwright-core" ]; then
  mkdir -p "$MOD" && cp tests/web/package.json "$MOD/"
  if ! (cd "$MOD" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent >"$T/npm.log" 2>&1); then
    echo "not ok - npm could not install playwright-core:"; tail -5 "$T/npm.log"
    echo "0 passed, 1 failed"; exit 1
  fi
fi
cp tests/web/e2e.mjs "$MOD/"
NAMES=(--names "$S/eval/names/given-name-equivalents.txt.gz" --names "$S/eval/names/nicknames-groups.csv")
"$VIGIL" load --db "$T/v.db" "${NAMES[@]}" "$S/lists/eu/eu-fsf-rebuilt-2026-08-14.xml" \
  "$S/lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" "$S/lists/ofac/sdn-csv-2019-01" >/dev/null 2>&1
PORT=$("$(dirname "$0")/../scripts/free-port")
# authentication on, as beyond loopback: the page signs in with an analyst's key
"$VIGIL" users add --db "$T/v.db" ana --role analyst >/dev/null
KEY=$("$VIGIL" keys create --db "$T/v.db" ana 2>/dev/null | grep -o 'vigil_[0-9a-f]\{64\}')
"$VIGIL" users add --db "$T/v.db" rita --role reviewer >/dev/null
RKEY=$("$VIGIL" keys create --db "$T/v.db" rita 2>/dev/null | grep -o 'vigil_[0-9a-f]\{64\}')
# four eyes: an analyst proposes, a reviewer approves
"$VIGIL" serve --db "$T/v.db" --port "$PORT" --four-eyes "${NAMES[@]}" 2>"$T/server.err" &
PID=$!
for _ in $(seq 1 300); do curl -s "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
printf 'id,name,dob,country\nc1,Vladimir Putin,1952-10-07,RU\nc2,Jane Smith,1980-01-01,GB\nc3,Alexander Bastrykin,,\n' >"$T/customers.csv"
# the customer base an analyst imports: one listed in 2019, one only from 2022 on, one nobody
printf 'id,name,dob,country\nk1,Oleg Slizhevsky,,\nk2,Jasmeet Hakimzada,,\nk3,Jane Ordinary,1980-01-01,GB\nk4,,,\n' >"$T/base.csv"
# for the list change: a newer OFAC list, loaded by the test while the server runs
printf '#!/bin/sh\nexec "%s" load --db "%s" "%s"\n' "$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")" \
  "$T/v.db" "$S/lists/ofac/sdn-csv-2022-01" >"$T/load-2022"
chmod +x "$T/load-2022"
mkdir -p "$ROOT/build/screenshots"
out=$(cd "$MOD" && node e2e.mjs "http://127.0.0.1:$PORT" "$ROOT/build/screenshots" "$T/customers.csv" "$KEY" \
  "$RKEY" "$T/base.csv" "$T/load-2022" 2>&1)
echo "$out"
p=$(printf '%s\n' "$out" | grep -c '^ok ')
f=$(printf '%s\n' "$out" | grep -c '^not ok')
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
