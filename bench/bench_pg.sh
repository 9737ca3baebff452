#!/usr/bin/env bash
# bench/bench_pg.sh - screening inside PostgreSQL (issue 19, docs/postgres.md):
# 1,000,000 customers in a table screened by one SQL statement with parallel
# workers, beside `vigil batch` (2 threads) on the same rows and beside
# pg_trgm on a sample of them; and the memory of the engine with 8 backends
# open. Prints a Markdown table. Run from the repository: `make bench-pg`.
#
# The rows: as bench_batch.c makes them, the given name of one synthetic
# person of ../shared/eval/screening and the family name of another of the
# same nationality, with the first one's date of birth, nationality and
# gender. The lists: UN, EU, UK and OFAC 2022, as `make run` loads them.
# Each timing is the median of RUNS runs (default 3), all in this one run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
SAMPLE=${SAMPLE:-2000} # rows pg_trgm screens (it is far slower)
SH="$(cd "${SHARED:-../shared}" && pwd)"
make -s build/vigil install-pg >/dev/null
PGBIN=/usr/lib/postgresql/15/bin
T=$(mktemp -d /tmp/vigil-bench-pg-XXXXXX)
chmod 755 "$T"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
  jobs -p | xargs -r kill 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$T/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap stop EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; } # calc FORMAT EXPRESSION
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

DB="$T/v.db"
build/vigil load --db "$DB" "$SH/lists/un/un-consolidated-2026-02-27.xml" \
  "$SH/lists/eu/eu-fsf-rebuilt-2026-08-14.xml" \
  "$SH/lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" "$SH/lists/ofac/sdn-csv-2022-01" >/dev/null
chmod 644 "$DB.engine"
python3 - "$SH/eval/screening" "$T/rows.csv" "$ROWS" <<'EOF'
import csv, sys
people = []
for part in ("global", "us"):
    for r in csv.DictReader(open(f"{sys.argv[1]}/negatives-dev-{part}.csv")):
        if r["first_name"] and r["last_name"] and len(people) < 2000:
            people.append(r)
by_nat = {}
for p in people:
    by_nat.setdefault(p["nationality"], []).append(p)
out = csv.writer(open(sys.argv[2], "w", newline=""))
out.writerow(["id", "name", "dob", "country", "gender"])
x = 88172645463325252
for i in range(int(sys.argv[3])):
    a = people[i % len(people)]
    x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF; x ^= x >> 7; x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
    same = by_nat[a["nationality"]]
    b = same[x % len(same)]
    out.writerow([f"c{i}", f'{a["first_name"]} {b["last_name"]}', a["date_of_birth"],
                  a["nationality"], a["gender"]])
EOF
chmod 644 "$T/rows.csv"

# vigil batch, 2 threads, results to /dev/null
batch=()
for _ in $(seq "$RUNS"); do
  t0=$(now)
  build/vigil batch --db "$DB" --threads 2 "$T/rows.csv" >/dev/null
  batch+=("$(since "$t0")")
done
batch_s=$(printf '%s\n' "${batch[@]}" | median)

mkdir "$T/data" "$T/sock"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$T/data" "$T/sock"; fi
PORT=$(scripts/free-port)
as_pg "$PGBIN/initdb" -D "$T/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/data/server.log" -w -o "-c listen_addresses=127.0.0.1 \
  -p $PORT -k $T/sock -c fsync=off -c shared_buffers=512MB -c max_parallel_workers_per_gather=2 \
  -c vigil.engine=$DB.engine" start >/dev/null
sql() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"; }
sql >/dev/null <<EOF
CREATE EXTENSION vigil;
CREATE EXTENSION pg_trgm;
CREATE TABLE customers (id text PRIMARY KEY, name text, dob text, country text, gender text);
\\copy customers FROM '$T/rows.csv' CSV HEADER
VACUUM ANALYZE customers;
CREATE TABLE sample AS SELECT * FROM customers ORDER BY id LIMIT $SAMPLE;
EOF
SCREEN="SELECT count(*) FROM customers c CROSS JOIN LATERAL vigil.screen(c.name, \
birth_date => c.dob, country => c.country, gender => c.gender) h WHERE h.match"
workers=$(sql -c "EXPLAIN (ANALYZE, COSTS OFF) $SCREEN" | grep -o "Workers Launched: [0-9]*" | grep -o "[0-9]*$" || echo 0)
pgs=()
for _ in $(seq "$RUNS"); do
  t0=$(now)
  matches=$(sql -c "$SCREEN")
  pgs+=("$(since "$t0")")
done
pg_s=$(printf '%s\n' "${pgs[@]}" | median)

# pg_trgm: every listed name (the entities' names in the lists' documents),
# lower case, on a GIN trigram index (its fastest form here: a GiST index
# ordered by distance was 15 times slower); each row's five most similar
# names at pg_trgm's default similarity, 0.3, and at 0.5 (issue 13's
# comparison), on the sample
sqlite3 "$DB" "SELECT DISTINCT lower(json_extract(j.value, '\$.name')) FROM entity_doc, \
json_each(entity_doc.doc, '\$.names') j" | tr '\t' ' ' | sed 's/\\/\\\\/g' >"$T/names.txt"
chmod 644 "$T/names.txt"
sql >/dev/null <<EOF
CREATE TABLE listnames (norm text);
\\copy listnames FROM '$T/names.txt'
CREATE INDEX ON listnames USING gin (norm gin_trgm_ops);
ANALYZE listnames;
EOF
# both cores for pg_trgm too, however small the sample
trgm() { # trgm THRESHOLD: median seconds for the sample
  local q="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET pg_trgm.similarity_threshold = $1; SELECT count(*) FROM sample c CROSS JOIN LATERAL
(SELECT n.norm FROM listnames n WHERE n.norm % lower(c.name) ORDER BY similarity(n.norm, lower(c.name)) DESC LIMIT 5) h"
  local ts=() t0
  for _ in $(seq "$RUNS"); do
    t0=$(now)
    sql -c "$q" >/dev/null
    ts+=("$(since "$t0")")
  done
  printf '%s\n' "${ts[@]}" | median
}
trgm5_s=$(trgm 0.5)
trgm3_s=$(trgm 0.3)

# memory: 8 backends that have screened once and wait; each maps the engine
# file read-only. From /proc: the file's pages each maps (Rss) and its share
# of them (Pss, shared pages divided among the processes mapping them), each
# backend's private memory (its own tables, name data, ICU), and its
# proportional share of all its memory (Pss). Then the first call of a new
# connection, median of 5: what a backend pays before it screens.
memory() {
  local i p n pids
  for i in $(seq 8); do
    sql -c "SELECT count(*) FROM vigil.screen('Александр Бастрыкин'); SELECT pg_sleep(60)" >/dev/null 2>&1 &
  done
  for _ in $(seq 100); do
    n=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
    [ "$n" -ge 8 ] && break
    sleep 0.2
  done
  pids=$(sql -c "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
  for p in $pids; do
    awk -v f="$DB.engine" '
      /^[0-9a-f]+-[0-9a-f]+ / { inmap = ($6 == f) }
      inmap && /^Rss:/ { rss += $2 } inmap && /^Pss:/ { pss += $2 }
      END { printf "%d %d\n", rss, pss }' "/proc/$p/smaps"
    awk '/^Private_Clean:|^Private_Dirty:/ { priv += $2 } /^Pss:/ { pss = $2 }
      END { print priv, pss }' "/proc/$p/smaps_rollup"
  done | paste - - | awk '{ rss += $1; fpss += $2; priv += $3; pss += $4; n++ }
    END { printf "%d %.1f %.1f %.1f %.1f ", n, rss / n / 1024, fpss / 1024, priv / n / 1024, pss / n / 1024 }'
  sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'" >/dev/null
  wait
  local ts=() t0
  for _ in $(seq 5); do
    t0=$(now)
    sql -c "SELECT count(*) FROM vigil.screen('Александр Бастрыкин')" >/dev/null
    ts+=("$(since "$t0")")
  done
  printf '%s\n' "${ts[@]}" | median
}
read -r nb file_rss file_pss_total priv_each pss_each first_s <<<"$(memory)"
# the same with the library preloaded: built once in the postmaster
as_pg "$PGBIN/pg_ctl" -D "$T/data" -w -m fast restart -o "-c listen_addresses=127.0.0.1 \
  -p $PORT -k $T/sock -c fsync=off -c shared_buffers=512MB -c max_parallel_workers_per_gather=2 \
  -c vigil.engine=$DB.engine -c shared_preload_libraries=vigil" >/dev/null
read -r _ pre_file_rss pre_file_pss_total pre_priv_each pre_pss_each pre_first_s <<<"$(memory)"
engine_mb=$(du -m "$DB.engine" | cut -f1)

batch_rate=$(calc %.0f "$ROWS / $batch_s")
pg_rate=$(calc %.0f "$ROWS / $pg_s")
trgm5_rate=$(calc %.1f "$SAMPLE / $trgm5_s")
trgm3_rate=$(calc %.1f "$SAMPLE / $trgm3_s")
cat <<EOF
PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores, $(date -u +%Y-%m-%d); $ROWS rows, medians of $RUNS runs

| screening | rows/s | seconds | against vigil batch |
|---|---|---|---|
| vigil batch --threads 2 | $batch_rate | $batch_s | 1.00 |
| SQL, vigil.screen, $workers parallel workers and the leader | $pg_rate | $pg_s | $(calc %.2f "$pg_rate / $batch_rate") |
| SQL, pg_trgm similarity >= 0.5 on a GIN index ($SAMPLE rows) | $trgm5_rate | $trgm5_s | vigil.screen $(calc %.1f "$pg_rate / $trgm5_rate")x as fast |
| SQL, pg_trgm similarity >= 0.3 on a GIN index ($SAMPLE rows) | $trgm3_rate | $trgm3_s | vigil.screen $(calc %.1f "$pg_rate / $trgm3_rate")x as fast |

SQL matches (hits with match true): $matches

| memory with $nb backends open, each having screened once (MiB) | loaded by each backend | shared_preload_libraries = vigil |
|---|---|---|
| engine file ($engine_mb MiB on disk): mapped by each backend (Rss) | $file_rss | $pre_file_rss |
| engine file: all $nb backends together (sum of Pss) | $file_pss_total | $pre_file_pss_total |
| private memory of each backend | $priv_each | $pre_priv_each |
| each backend's share of all it maps (Pss) | $pss_each | $pre_pss_each |
| a new connection's first vigil.screen (seconds, median of 5) | $first_s | $pre_first_s |
EOF
