#!/usr/bin/env bash
# End-to-end tests of the vigil command: exit codes, messages, and that a
# refused load leaves the database as it was. Usage: tests/cli.sh VIGIL_BINARY
# Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed".
set -u
VIGIL=${1:-build/vigil}
L="${SHARED:-../shared}/lists"
T=$(mktemp -d /tmp/vigil-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/v.db"
. "$(dirname "$0")/lib.sh"

run "$VIGIL" --help
check "--help exits 0 and names every command" eval 'rc_is 0 && out_has "load \[--db" && out_has "lists \[--db" && out_has "show \[--db"'
run "$VIGIL" frobnicate
check "an unknown command exits 2" eval 'rc_is 2 && err_has "unknown command"'
run "$VIGIL" load --db "$DB"
check "load without files exits 2" eval 'rc_is 2'

run "$VIGIL" load --db "$DB" "$L/un/un-consolidated-2026-02-27.xml" "$L/eu/eu-fsf-rebuilt-2026-08-14.xml" \
  "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" "$L/ofac/sdn-csv-2022-01"
check "the four lists load" eval 'rc_is 0 && out_has "loaded   un version 1" && out_has "loaded   ofac version 4"'
check "load reports counts" eval 'out_has "8017 entities" && out_has "6046 entities" && out_has "8976 entities" && out_has "1003 entities (730 persons, 273 organizations"'

run "$VIGIL" load --db "$DB" "$L/un/un-consolidated-2026-02-27.xml"
check "the same content again makes no new version" eval 'rc_is 0 && out_has "unchanged un" && out_has "version 1"'
# another process holds the write lock (as a re-screening run does): the load waits, says so,
# and goes through once it is let go
( (echo "BEGIN IMMEDIATE; INSERT OR REPLACE INTO meta(key, value) VALUES('held', 'yes');"; sleep 2.5; echo "COMMIT;") | sqlite3 "$DB" ) &
sleep 0.5
printf '{"id":"lock1","schema":"Person","properties":{"name":["Test Person"]}}\n' > "$T/lock.json"
run "$VIGIL" load --db "$DB" "$T/lock.json"
wait
check "load waits for another process's write lock and says so" eval 'rc_is 0 && err_has "waiting for the database'"'"'s write lock" && out_has "loaded   ftm"'

run "$VIGIL" diff --db "$DB" ofac
check "diff with one version of a list says it needs two (exit 1)" eval 'rc_is 1 && err_has "a difference needs two"'
run "$VIGIL" diff --db "$DB" ofac 1
check "diff with one version number is bad usage (exit 2)" eval 'rc_is 2'
run "$VIGIL" lists --db "$DB"
check "lists shows the four versions" eval 'rc_is 0 && [ "$(grep -c -E "^ +[0-9]+  (un|eu|uk|ofac) " "$T/out")" = 4 ]'
run "$VIGIL" lists --db "$DB" --json
check "lists --json is JSON with counts" eval 'rc_is 0 && out_has "\"Person\": 730"'

run "$VIGIL" show --db "$DB" un:QDi.276
check "show prints an entity with its version" eval 'rc_is 0 && out_has "AKRAM TURKI HISHAN AL-MAZIDIH" && out_has "from version 1 of un"'
run "$VIGIL" show --db "$DB" --json eu:14980080
check "show --json gives every field" eval 'rc_is 0 && out_has "\"date\": \"1953-08-27\"" && out_has "БАСТРЫКИН" && out_has "\"version\""'
VIGIL_DB="$DB" run "$VIGIL" show uk:AFG0001
check "VIGIL_DB names the database" eval 'rc_is 0 && out_has "AFG0001"'
run "$VIGIL" show --db "$DB" un:QDi.999999
check "show of a missing entity exits 1 and says so" eval 'rc_is 1 && err_has "not in version"'
run "$VIGIL" show --db "$DB" QDi.276
check "show without SOURCE: exits 2" eval 'rc_is 2 && err_has "SOURCE:SOURCE_ID"'
run "$VIGIL" show --db "$T/none.db" un:QDi.276
check "show on a missing database exits 1" eval 'rc_is 1 && err_has "none.db"'

printf '<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n' > "$T/cut.xml"
before=$("$VIGIL" lists --db "$DB" --json)
run "$VIGIL" load --db "$DB" "$L/ofac/sdn-csv-2019-01" "$T/cut.xml"
check "a broken file is refused with file and line" eval 'rc_is 1 && err_has "cut.xml:[0-9]*: " && err_has "nothing was loaded"'
check "a refused load leaves the database as it was" eval '[ "$("$VIGIL" lists --db "$DB" --json)" = "$before" ]'
run "$VIGIL" load --db "$DB" "$L/eu/eu-fsf-official-sample-2026-08-05.xml"
check "a nameless entity is refused by line" eval 'rc_is 1 && err_has "official-sample-2026-08-05.xml:181: record without a name"'
run "$VIGIL" load --db "$DB" --lenient "$L/eu/eu-fsf-official-sample-2026-08-05.xml"
check "--lenient skips and counts it" eval 'rc_is 0 && out_has "4 entities" && out_has "1 records skipped"'
run "$VIGIL" load --db "$DB" --published 2019-01-31 "$L/ofac/sdn-csv-2019-01"
check "--published dates an OFAC CSV set" eval 'rc_is 0 && out_has "published 2019-01-31"'
run "$VIGIL" load --db "$DB" --published yesterday "$L/ofac/sdn-csv-2019-01"
check "a bad --published is refused" eval 'rc_is 1 && err_has "is not YYYY-MM-DD"'
run "$VIGIL" load --db "$DB" --bogus x
check "an unknown option exits 2" eval 'rc_is 2 && err_has "unknown option"'

run "$VIGIL" compare "PUTIN, Vladimir Vladimirovich" "Vladimir Putin"
check "compare: word order and a missing patronymic" eval 'rc_is 0 && out_has "\"match\":true" && out_has "\"pairs\""'
run "$VIGIL" compare "Александр Бастрыкин" "BASTRYKIN, Aleksandr Ivanovich"
check "compare: across scripts" eval 'rc_is 0 && out_has "\"match\":true"'
run "$VIGIL" compare --schema Company --explain "ООО Ромашка" "Romashka LLC"
check "compare --explain: legal forms canonicalised, indented JSON" eval 'rc_is 0 && out_has "\"match\": true" && out_has "\"judged\": \"same\""'
run "$VIGIL" compare --schema Vessel "Petrel 8" "Petrel 9"
check "compare: vessel numbers must agree" eval 'rc_is 0 && out_has "\"match\":false"'
run "$VIGIL" compare --threshold 0.99 "Olaf Scholz" "Olaf Schloz"
check "compare --threshold decides match" eval 'rc_is 0 && out_has "\"match\":false"'
run "$VIGIL" compare --names "${SHARED:-../shared}/eval/names/nicknames-groups.csv" "Bob Menendez" "Robert Menendez"
check "compare --names: nicknames" eval 'rc_is 0 && out_has "nickname" && out_has "\"match\":true"'
VIGIL_NAMES="${SHARED:-../shared}/eval/names/nicknames-groups.csv" run "$VIGIL" compare "Bob Menendez" "Robert Menendez"
check "VIGIL_NAMES names the given-name data" eval 'rc_is 0 && out_has "nickname"'
run "$VIGIL" compare --schema Company "Zorblax Sociedad Anónima de Capital Variable" "Zorblax S.A. de C.V."
check "compare: the legal-form table is built in (S.A. de C.V., no flag)" eval 'rc_is 0 && out_has "\"match\":true"'
# the name data is in the binary: nothing of ../shared, no flag, no environment
nodata=$(mktemp -d)
run env -u VIGIL_NAMES -u VIGIL_LEGAL_FORMS sh -c "cd '$nodata' && '$(realpath "$VIGIL")' compare 'Bob Menendez' 'Robert Menendez'"
check "compare: nicknames built in, run where no ../shared is" eval 'rc_is 0 && out_has "nickname" && out_has "\"match\":true"'
rmdir "$nodata"
run "$VIGIL" compare --schema Company --legal-forms "${SHARED:-../shared}/eval/legal-forms/org_types.yml" "Zorblax Sociedad Anónima de Capital Variable" "Zorblax S.A. de C.V."
check "compare --legal-forms: the table's forms" eval 'rc_is 0 && out_has "\"match\":true"'
run "$VIGIL" compare --names /nonexistent.csv "a" "b"
check "compare: missing name data is an error" eval 'rc_is 1 && err_has "nonexistent.csv"'
run "$VIGIL" compare --schema Planet "a" "b"
check "compare: an unknown schema exits 2" eval 'rc_is 2 && err_has "unknown schema"'
run "$VIGIL" compare "only one name"
check "compare: one name exits 2" eval 'rc_is 2'

SDB="$T/screen.db"
"$VIGIL" load --db "$SDB" "$L/un/un-consolidated-2026-02-27.xml" "$L/eu/eu-fsf-rebuilt-2026-08-14.xml" \
  "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" "$L/ofac/sdn-csv-2022-01" >/dev/null 2>&1
run "$VIGIL" screen --db "$SDB" "Александр Бастрыкин"
check "screen finds the EU and UK entries across scripts" eval 'rc_is 0 && out_has "eu:14980080" && out_has "uk:GHR0011" && out_has "MATCH"'
run "$VIGIL" screen --db "$SDB" --json --dob 1953-08-27 --country RU --source eu "BASTRYKIN, Aleksandr"
check "screen --json: results with explanations and the versions screened" eval 'rc_is 0 && out_has "\"source_id\": \"14980080\"" && out_has "same date of birth" && out_has "\"versions\""'
run "$VIGIL" screen --db "$SDB" --schema Planet "x"
check "screen: an unknown schema exits 2" eval 'rc_is 2'
run "$VIGIL" screen --db "$SDB" "Zxqwv Plonkety"
check "screen: nothing alike, no match" eval 'rc_is 0 && ! out_has "MATCH"'

printf 'id,full_name,dob,nationality,extra\nc1,Александр Бастрыкин,1953-08-27,RU,x\nc2,,1990,FR,y\nc3,PUTIN Vladimir,,,z\nc4,"cut,row\n' > "$T/in.csv"
run "$VIGIL" batch --db "$SDB" --threads 2 "$T/in.csv"
check "batch: one line per record, in order, errors as lines" eval '[ "$(wc -l < "$T/out")" = 4 ] && [ "$(sed -n 1p "$T/out" | grep -c "\"row\":1,\"id\":\"c1\",\"status\":\"ok\"")" = 1 ] && sed -n 2p "$T/out" | grep -q "\"status\":\"error\",\"error\":\"no name\"" && sed -n 4p "$T/out" | grep -q "\"row\":4"'
check "batch: finds the listed people" eval 'sed -n 1p "$T/out" | grep -q "14980080" && sed -n 3p "$T/out" | grep -q "PUTIN"'
check "batch: exit status 1 when a record failed, and a summary naming the versions" eval 'rc_is 1 && err_has "4 records screened, 2 failed" && err_has "\"source\":\"eu\""'
"$VIGIL" batch --db "$SDB" --threads 1 "$T/in.csv" > "$T/one" 2>/dev/null
check "batch: the same output with one thread or two" eval 'cmp -s "$T/out" "$T/one"'
printf '{"id":"j1","name":"Vladimir Putin","schema":"Person"}\nnot json\n{"id":7,"name":"PETREL 8","type":"Vessel"}\n' > "$T/in.jsonl"
run "$VIGIL" batch --db "$SDB" --limit 1 - < "$T/in.jsonl"
check "batch: JSON lines from standard input" eval '[ "$(wc -l < "$T/out")" = 3 ] && sed -n 2p "$T/out" | grep -q "not a JSON object" && sed -n 3p "$T/out" | grep -q "DPR0075"'
printf 'id,full_name\nk1,Hamed Abdollahi\n' > "$T/ok.csv"
printf 'id,name\nc1,Ann\000a Smith\nc2,Vladimir Putin\n' > "$T/nul.csv"
run "$VIGIL" batch --db "$SDB" "$T/nul.csv"
check "batch: a NUL inside a field refuses that record, the rest go on" eval 'sed -n 1p "$T/out" | grep -q "\"error\":\"a NUL byte inside a field\"" && sed -n 2p "$T/out" | grep -q "\"status\":\"ok\""'
run "$VIGIL" batch --db "$SDB" --format csv "$T/ok.csv"
check "batch: exit 0 when every record is screened" eval 'rc_is 0 && out_has "\"status\":\"ok\""'
run "$VIGIL" batch --db "$SDB" --format xml "$T/ok.csv"
check "batch: a bad --format exits 2" eval 'rc_is 2'

# customers, re-screening what changed, alerts and decisions (OFAC 2019, then 2022)
CDB="$T/c.db"
"$VIGIL" load --db "$CDB" --published 2019-01-01 "$L/ofac/sdn-csv-2019-01" >/dev/null 2>&1
printf 'id,name,schema,dob\nc1,Jasmeet Hakimzada,Person,\nc2,John Jairo Gallego Valencia,Person,\nc3,Jane Ordinary,Person,1980\n,No Id,Person,\nc5,Odd One,Martian,\n' > "$T/cust.csv"
run "$VIGIL" customers import --db "$CDB" "$T/cust.csv"
check "customers import: keeps the good rows, a line per refused one, exit 1" eval 'rc_is 1 && out_has "3 added, 0 changed, 0 unchanged, 2 refused; 3 customers held" && err_has "row 4: no id" && err_has "row 5, id c5: unknown schema"'
run "$VIGIL" customers import --db "$CDB" --format jsonl - <<< '{"id":"c3","name":"Jane Ordinary","schema":"Person","dob":"1980"}'
check "customers import: the same customer again is unchanged (JSON lines, exit 0)" eval 'rc_is 0 && out_has "0 added, 0 changed, 1 unchanged, 0 refused"'
run "$VIGIL" customers --db "$CDB" count
check "customers count" eval 'rc_is 0 && out_has "^3$"'
run "$VIGIL" alerts --db "$CDB"
check "alerts before any run: none" eval 'rc_is 0 && out_has "no alerts"'
run "$VIGIL" rescreen --db "$CDB"
check "rescreen: the first run screens everyone against everything" eval 'rc_is 0 && out_has "run 1 (everyone against every list)" && out_has "3 against every list" && out_has "1 new"'
run "$VIGIL" alerts --db "$CDB" --open
check "alerts --open: the listed customer" eval 'rc_is 0 && out_has "open .* c2 (John Jairo Gallego Valencia)  ~  ofac:10263"'
run "$VIGIL" decide --db "$CDB" 1 false-positive
check "decide without a note is bad usage (exit 2)" eval 'rc_is 2 && err_has "--note"'
run "$VIGIL" decide --db "$CDB" 99 true-match --note "x"
check "decide on no such alert exits 1" eval 'rc_is 1 && err_has "no alert 99"'
run "$VIGIL" decide --db "$CDB" --by ana --note "same man, same passport" 1 true-match
check "decide records the decision" eval 'rc_is 0 && out_has "alert 1: true-match"'
"$VIGIL" load --db "$CDB" --published 2022-01-01 "$L/ofac/sdn-csv-2022-01" >/dev/null 2>&1
run "$VIGIL" rescreen --db "$CDB" --json
check "rescreen after a new list version screens what changed" eval 'rc_is 0 && out_has "\"full\":false" && out_has "\"entities_changed\":2701" && out_has "\"entities_removed\":261" && out_has "\"screened_in_full\":0" && out_has "\"alerts_new\":1"'
run "$VIGIL" alerts --db "$CDB" --json
check "alerts --json: the new designation, the decision with its note and versions" eval 'rc_is 0 && jq -e ".[0].entity.source_id == \"21845\" and .[0].run.versions[0].version == 2 and .[1].decisions[0].note == \"same man, same passport\" and .[1].decisions[0].by == \"ana\" and .[1].decisions[0].versions[0].version == 1" "$T/out"'
run "$VIGIL" runs --db "$CDB"
check "runs lists both runs" eval 'rc_is 0 && out_has "^   1 .* full " && out_has "^   2 .* delta .*against 2701 changed"'
run "$VIGIL" rescreen --db "$CDB" --frobnicate
check "rescreen with an unknown option exits 2" eval 'rc_is 2'

# users and keys: a key printed once, kept only as its hash, revoked by its id
UDB="$T/users.db"
run "$VIGIL" users --db "$UDB" add ana@bank --role analyst
check "users add makes a user with a role" eval 'rc_is 0 && out_has "user ana@bank added, role analyst"'
run "$VIGIL" users --db "$UDB" add bob --role root
check "users add refuses a role that is none of the four (exit 2)" eval 'rc_is 2 && err_has "is screen, analyst, reviewer or admin"'
run "$VIGIL" keys --db "$UDB" create ana@bank
KEY=$(cat "$T/out")
check "keys create prints a key of 256 bits once" eval 'rc_is 0 && printf "%s" "$KEY" | grep -Eq "^vigil_[0-9a-f]{64}$" && err_has "shown this once"'
run "$VIGIL" users --db "$UDB" list
check "users list names the key by its id, never the key" eval 'rc_is 0 && out_has "ana@bank  *analyst  *enabled  *${KEY:0:14}" && ! out_has "${KEY:14}"'
check "the database does not hold the key" eval '! grep -qa "${KEY:14:40}" "$UDB" "$UDB-wal"'
run "$VIGIL" keys --db "$UDB" revoke "${KEY:0:14}"
check "keys revoke revokes it by its id" eval 'rc_is 0 && out_has "revoked"'
run "$VIGIL" keys --db "$UDB" revoke "${KEY:0:14}"
check "a key is revoked once (exit 1)" eval 'rc_is 1 && err_has "no key"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
