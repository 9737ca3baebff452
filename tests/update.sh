#!/usr/bin/env bash
# vigil update against a local HTTP server on loopback (python3's) serving
# the files of ../shared/lists: a good update, a truncated file, a 404, and a
# list that shrank. Usage: tests/update.sh VIGIL_BINARY
set -u
VIGIL=${1:-build/vigil}
L="$(cd "${SHARED:-../shared}/lists" && pwd)"
T=$(mktemp -d /tmp/vigil-upd-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
DB="$T/v.db"
. "$(dirname "$0")/lib.sh"
versions_of() { "$VIGIL" lists --db "$DB" | grep -c " $1 "; }

# what the server serves: the real files, a cut one, a small one
W="$T/www"
mkdir -p "$W/ofac" "$W/small"
cp "$L/un/un-consolidated-2026-02-27.xml" "$W/un.xml"
cp "$L/eu/eu-fsf-rebuilt-2026-08-14.xml" "$W/eu.xml"
head -c 300000 "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" >"$W/uk-cut.xml"
cp "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" "$W/uk.xml"
cp "$L/eu/eu-fsf-official-fragment-putin.xml" "$W/small/eu.xml"
for f in sdn add alt sdn_comments; do
  cp "$L/ofac/sdn-csv-2022-01/$f.csv" "$W/ofac/$(echo "$f" | tr a-z A-Z).CSV"
done
PORT=$("$(dirname "$0")/../scripts/free-port")
(cd "$W" && exec python3 -m http.server --bind 127.0.0.1 "$PORT" >/dev/null 2>&1) &
PID=$!
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/un.xml" -o /dev/null && break; sleep 0.1; done
U="http://127.0.0.1:$PORT"
export VIGIL_URL_UN="$U/un.xml" VIGIL_URL_EU="$U/eu.xml" VIGIL_URL_UK="$U/uk.xml" VIGIL_URL_OFAC="$U/ofac"

run "$VIGIL" update --db "$DB"
check "update downloads and loads the four lists" eval 'rc_is 0 && out_has "updated  un: version" && out_has "updated  eu" && out_has "updated  uk" && out_has "updated  ofac" && out_has "8976 entities"'
run "$VIGIL" update --db "$DB" --source un,eu
check "the same files again make no new version" eval 'rc_is 0 && out_has "unchanged un" && out_has "unchanged eu"'

VIGIL_URL_UK="$U/uk-cut.xml" run "$VIGIL" update --db "$DB" --source uk,un
check "a truncated file is refused with its reason, the others still update" eval 'rc_is 1 && err_has "failed   uk from" && err_has "uk-cut" && out_has "unchanged un"'
check "the truncated list stays at its last good version" eval '[ "$(versions_of uk)" = 1 ]'

VIGIL_URL_UN="$U/nothing-here.xml" run "$VIGIL" update --db "$DB" --source un
check "a 404 is a failed download, said so" eval 'rc_is 1 && err_has "HTTP 404" && err_has "stays as it was"'
check "after the 404 the list has its one version" eval '[ "$(versions_of un)" = 1 ]'

VIGIL_URL_EU="$U/small/eu.xml" run "$VIGIL" update --db "$DB" --source eu
check "a list that shrank by more than half is held back" eval 'rc_is 1 && err_has "held back" && err_has "8017"'
check "the held-back list keeps its version" eval '[ "$(versions_of eu)" = 1 ]'
VIGIL_URL_EU="$U/small/eu.xml" run "$VIGIL" update --db "$DB" --source eu --force
check "--force loads it" eval 'rc_is 0 && out_has "updated  eu" && [ "$(versions_of eu)" = 2 ]'

run "$VIGIL" diff --db "$DB" eu
check "diff shows what the shrunk list dropped" eval 'rc_is 0 && out_has "8016 removed"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
