#!/usr/bin/env bash
# The vigil extension in a real PostgreSQL 15 (docs/postgres.md): installs it
# (make install-pg), starts a throw-away cluster in a temporary folder on a
# loopback port, and checks screening by SQL, bad arguments and engine files,
# the trigger, a list reload seen without a restart, parallel query, and that
# SQL gives what vigil batch gives for the same rows. Stops the cluster and
# removes the folder at the end. Usage: tests/postgres.sh VIGIL_BINARY
set -u
cd "$(dirname "$0")/.."
VIGIL=${1:-build/vigil}
L="$(cd "${SHARED:-../shared}/lists" && pwd)"
E="$(cd "${SHARED:-../shared}/eval" && pwd)"
PGBIN=/usr/lib/postgresql/15/bin
T=$(mktemp -d /tmp/vigil-pg-XXXXXX)
chmod 755 "$T"
. tests/lib.sh
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
  as_pg "$PGBIN/pg_ctl" -D "$T/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$T"
}
trap stop EXIT

if ! make -s install-pg >"$T/install.log" 2>&1; then
  cat "$T/install.log"
  echo "not ok - make install-pg"
  echo "0 passed, 1 failed"
  exit 1
fi

DB="$T/v.db"
"$VIGIL" load --db "$DB" "$L/un/un-consolidated-2026-02-27.xml" \
  "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" >"$T/load.out"
# "engine   7049 entities, 19771 names indexed"
indexed=$(sed -n 's/^engine *\([0-9]*\) entities, \([0-9]*\) names indexed$/\1|\2/p' "$T/load.out")
chmod 644 "$DB.engine"
mkdir "$T/data" "$T/sock"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$T/data" "$T/sock"; fi
PORT=$(scripts/free-port)
as_pg "$PGBIN/initdb" -D "$T/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/data/server.log" -w -o "-c listen_addresses=127.0.0.1 \
  -p $PORT -k $T/sock -c fsync=off -c max_parallel_workers_per_gather=2" start >/dev/null
# psql as the superuser (or ROLE=name): -X no psqlrc, tuples only, unaligned
sql() {
  "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "${ROLE:-postgres}" \
    -d postgres "$@"
}
# q SQL: runs it, keeping the output in $T/out and errors in $T/err
q() { run sql -c "$1"; }
# fails_with SQLSTATE SQL: the statement fails with that state
fails_with() { sql -c "\\set VERBOSITY verbose" -c "$2" >"$T/out" 2>"$T/err"; grep -q "ERROR:  $1:" "$T/err"; }

check "the cluster is up on loopback" sql -c "SELECT 1"
check "CREATE EXTENSION vigil" sql -c "CREATE EXTENSION vigil"
check "vigil.engine not set: says so (55000)" fails_with 55000 "SELECT * FROM vigil.lists()"
sql -c "ALTER DATABASE postgres SET vigil.engine = '$DB.engine'"

q "SELECT source, version, entities FROM vigil.lists() ORDER BY source"
check "vigil.lists(): the engine's versions with their entities" \
  diff <(printf 'uk|2|6046\nun|1|1003\n') "$T/out"
q "SELECT entities, names FROM vigil.engine_info()"
check "vigil.engine_info(): what vigil load said it indexed ($indexed)" \
  grep -qx "${indexed:-none}" "$T/out"

q "SELECT source || ':' || source_id, match FROM vigil.screen('Александр Бастрыкин') LIMIT 1"
check "Bastrykin in Cyrillic found (uk:GHR0011)" grep -qx "uk:GHR0011|t" "$T/out"
q "SELECT explanation ? 'name', explanation ? 'evidence', score > 0.9 FROM vigil.screen('BASTRYKIN, Aleksandr Ivanovich', 'Person', birth_date => '1953-08-27') LIMIT 1"
check "screen with a schema and a date of birth: scored and explained" grep -qx "t|t|t" "$T/out"
q "SELECT count(*) FROM vigil.screen('Александр Бастрыкин', max_results => 1)"
check "max_results bounds the hits" grep -qx 1 "$T/out"
q "SELECT count(*) FROM vigil.screen(NULL)"
check "a NULL name: no hits" grep -qx 0 "$T/out"
q "SELECT count(*) FROM vigil.screen('Mary Smith', 'Person', '1990-04-01', 'GB') WHERE match"
check "an unlisted person: no match" grep -qx 0 "$T/out"
q "SELECT vigil.compare('Александр Бастрыкин', 'BASTRYKIN, Aleksandr Ivanovich') > 0.9, vigil.compare('John Smith', 'Vladimir Putin') < 0.5"
check "vigil.compare across scripts" grep -qx "t|t" "$T/out"

check "unknown schema: 22023" fails_with 22023 "SELECT * FROM vigil.screen('x', 'Planet')"
check "a date that is not one: 22007" fails_with 22007 "SELECT * FROM vigil.screen('x', birth_date => 'yesterday')"
check "an unknown country: 22023" fails_with 22023 "SELECT * FROM vigil.screen('x', country => 'Narnia')"
check "a gender vigil does not read: 22023" fails_with 22023 "SELECT * FROM vigil.screen('x', gender => 'yes')"
q "SELECT count(*) > 0 FROM vigil.screen('Александр Бастрыкин', gender => 'other')"
check "   ... while other and unknown say none" grep -qx t "$T/out"
check "threshold out of range: 22023" fails_with 22023 "SELECT * FROM vigil.screen('x', threshold => 1.5)"
check "max_results 0: 22023" fails_with 22023 "SELECT * FROM vigil.screen('x', max_results => 0)"
check "an empty name: 22023" fails_with 22023 "SELECT * FROM vigil.screen('  ')"
check "vigil.compare with an unknown schema: 22023" fails_with 22023 "SELECT vigil.compare('a', 'b', 'Planet')"
check "a missing engine file: 58P01, naming it" \
  fails_with 58P01 "SET vigil.engine = '$T/none.engine'; SELECT * FROM vigil.lists()"
check "   ... and its path" grep -q "none.engine" "$T/err"
check "a file that is no engine: 55000, saying so" \
  fails_with 55000 "SET vigil.engine = '$DB'; SELECT * FROM vigil.lists()"
check "   ... not a saved vigil engine" grep -q "not a saved vigil engine" "$T/err"
head -c 4000000 "$DB.engine" >"$T/cut.engine"
chmod 644 "$T/cut.engine"
check "a cut engine file: 55000, damaged" \
  fails_with 55000 "SET vigil.engine = '$T/cut.engine'; SELECT * FROM vigil.lists()"
check "   ... says it is damaged" grep -q "damaged" "$T/err"
sql -c "CREATE ROLE app LOGIN" >/dev/null
ROLE=app check "only a superuser sets vigil.engine: 42501" \
  fails_with 42501 "SELECT vigil.compare('a', 'b'); SET vigil.engine = '/etc/passwd'"
ROLE=app q "SET vigil.engine = '/etc/passwd'; SELECT count(*) FROM vigil.lists()"
check "   ... nor before the extension's library is loaded" grep -qx 2 "$T/out"
ROLE=app q "SELECT count(*) FROM vigil.screen('Александр Бастрыкин') WHERE match"
check "another role screens with the database's setting" grep -qx 1 "$T/out"

# the trigger: onboarding screened in the same transaction
sql >/dev/null <<'EOF'
CREATE TABLE customers (id int PRIMARY KEY, full_name text, dob date, nationality text, note text);
CREATE TRIGGER screen AFTER INSERT OR UPDATE ON customers FOR EACH ROW
  EXECUTE FUNCTION vigil.screen_trigger('name=full_name', 'birth_date=dob', 'country=nationality');
INSERT INTO customers VALUES (1, 'Александр Бастрыкин', '1953-08-27', 'RU', NULL),
                             (2, 'Mary Smith', '1990-04-01', 'GB', NULL);
EOF
q "SELECT table_name, row_key, source || ':' || source_id, versions->0->>'source' FROM vigil.alerts"
check "the trigger writes the listed customer's alert, only" \
  diff <(echo "public.customers|1|uk:GHR0011|un") "$T/out"
sql -c "UPDATE customers SET note = 'called' WHERE id = 1" >/dev/null
q "SELECT count(*) FROM vigil.alerts"
check "an update of an unscreened column screens nothing again" grep -qx 1 "$T/out"
sql -c "UPDATE customers SET full_name = 'BASTRYKIN, Aleksandr Ivanovich', dob = NULL WHERE id = 2" >/dev/null
q "SELECT count(*) FROM vigil.alerts WHERE row_key = '2'"
check "an update of the name screens the row again" grep -qx 1 "$T/out"
sql -c "BEGIN; INSERT INTO customers VALUES (3, 'Alexander Bastrykin', NULL, NULL, NULL); ROLLBACK" >/dev/null
q "SELECT count(*) FROM vigil.alerts WHERE row_key = '3'"
check "a rolled back insert leaves no alert (same transaction)" grep -qx 0 "$T/out"
sql >/dev/null <<'EOF'
CREATE TABLE onboarding (ref text, name text);
CREATE TRIGGER screen BEFORE INSERT ON onboarding FOR EACH ROW
  EXECUTE FUNCTION vigil.screen_trigger('name=name', 'key=ref', 'on_match=reject', 'schema=Person');
INSERT INTO onboarding VALUES ('a', 'Mary Smith');
EOF
check "on_match=reject refuses a listed person: 23514" \
  fails_with 23514 "INSERT INTO onboarding VALUES ('b', 'Alexander Bastrykin')"
q "SELECT string_agg(ref, ',') FROM onboarding"
check "   ... and keeps the rest" grep -qx "a" "$T/out"
sql -c "CREATE TABLE t2 (id int, name text)" >/dev/null
sql -c "CREATE TRIGGER bad AFTER INSERT ON t2 FOR EACH ROW EXECUTE FUNCTION vigil.screen_trigger('name=full_name')" >/dev/null
check "a trigger naming a column the table lacks: 42703" fails_with 42703 "INSERT INTO t2 VALUES (1, 'x')"
sql -c "DROP TRIGGER bad ON t2; CREATE TRIGGER bad AFTER INSERT ON t2 FOR EACH ROW EXECUTE FUNCTION vigil.screen_trigger('name=name', 'colour=red')" >/dev/null
check "a trigger with an unknown argument: 22023" fails_with 22023 "INSERT INTO t2 VALUES (1, 'x')"

# a list reload seen by the next statement of the same session, no restart
sql >"$T/reload" 2>&1 <<EOF
SELECT string_agg(source, ',' ORDER BY source) FROM vigil.lists();
\\! "$VIGIL" load --db "$DB" "$L/eu/eu-fsf-rebuilt-2026-08-14.xml" >/dev/null && chmod 644 "$DB.engine"
SELECT string_agg(source, ',' ORDER BY source) FROM vigil.lists();
SELECT count(*) FROM vigil.screen('Александр Бастрыкин') WHERE match;
EOF
check "a reload by vigil load is seen by the next statement" \
  diff <(printf 'uk,un\neu,uk,un\n2\n') "$T/reload"

# parallel query, and the same answers as vigil batch for the same rows
python3 - "$E/screening" "$T/rows.csv" <<'EOF'
import csv, sys
out = csv.writer(open(sys.argv[2], "w", newline=""))
out.writerow(["id", "name", "dob"])
for f in ("positives-crosslist-dev.csv", "negatives-dev-extra.csv"):
    rows = csv.DictReader(open(sys.argv[1] + "/" + f))
    for i, r in zip(range(400), rows):
        out.writerow([r["id"], r.get("full_name") or r.get("name"), r.get("date_of_birth") or r.get("dob") or ""])
EOF
"$VIGIL" batch --db "$DB" "$T/rows.csv" >"$T/batch.jsonl" 2>/dev/null
chmod 644 "$T/rows.csv"
sql >/dev/null <<EOF
CREATE TABLE rows (id text, name text, dob text);
\\copy rows FROM '$T/rows.csv' CSV HEADER
EOF
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
QUERY="SELECT r.id, h.source, h.source_id, h.score FROM rows r CROSS JOIN LATERAL vigil.screen(r.name, birth_date => r.dob) h"
sql -c "$PAR" -c "EXPLAIN (ANALYZE, COSTS OFF) $QUERY WHERE h.match" >"$T/plan" 2>&1
check "the screening runs in parallel workers" grep -q "Workers Launched: [12]" "$T/plan"
sql -F, -c "$PAR" -c "$QUERY" >"$T/sql.csv"
check "SQL gives what vigil batch gives for the same 800 rows" python3 - "$T/batch.jsonl" "$T/sql.csv" <<'EOF'
import csv, json, sys
want = sorted((l.get("id"), h["source"], h["source_id"], h["score"])
              for l in map(json.loads, open(sys.argv[1])) for h in l.get("results", []))
got = sorted((r[0], r[1], r[2], float(r[3])) for r in csv.reader(open(sys.argv[2])))
assert len(want) == len(got) and len(want) > 400, (len(want), len(got))
for w, g in zip(want, got):
    assert w[:3] == g[:3] and abs(w[3] - g[3]) < 1e-4, (w, g)
EOF

# preloaded (shared_preload_libraries): the name data and the engine built
# once in the postmaster, inherited by every backend
sql -c "ALTER SYSTEM SET vigil.engine = '$DB.engine'" -c "ALTER SYSTEM SET shared_preload_libraries = 'vigil'" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/data/server.log" -w -m fast restart >/dev/null 2>&1
check "preloaded: the postmaster maps the engine at start" \
  grep -q 'vigil: engine file ".*" mapped at start: [0-9]* entities' "$T/data/server.log"
q "SELECT source || ':' || source_id FROM vigil.screen('Александр Бастрыкин') WHERE match ORDER BY 1"
check "preloaded: a new backend screens with it" diff <(printf 'eu:14980080\nuk:GHR0011\n') "$T/out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
