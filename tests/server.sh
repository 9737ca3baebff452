#!/usr/bin/env bash
# Integration tests of vigil serve: the real server on a loopback port, called
# with curl (and wrk, for a reload under load). Usage: tests/server.sh VIGIL_BINARY
# Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed".
set -u
VIGIL=${1:-build/vigil}
L="${SHARED:-../shared}/lists"
N="${SHARED:-../shared}/eval/names"
. "$(dirname "$0")/lib.sh"
server_suite srv
NAMES=(--names "$N/given-name-equivalents.txt.gz" --names "$N/nicknames-groups.csv")

# call METHOD PATH [BODY]: the status in $T/code, the body in $T/body
call() {
  if [ $# -ge 3 ]; then
    curl -s -o "$T/body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
      --data-binary "$3" "$U$2" >"$T/code"
  else
    curl -s -o "$T/body" -w '%{http_code}' -X "$1" "$U$2" >"$T/code"
  fi
}
code_is() { [ "$(cat "$T/code")" = "$1" ]; }
body_has() { grep -q -- "$1" "$T/body"; }
json_ok() { jq -e . "$T/body" >/dev/null; }

"$VIGIL" load --db "$DB" "${NAMES[@]}" "$L/un/un-consolidated-2026-02-27.xml" \
  "$L/eu/eu-fsf-rebuilt-2026-08-14.xml" >/dev/null 2>&1
# an admin token of 600 characters: compared whole, never a prefix of it
TOKEN=$(printf 'k%.0s' $(seq 1 599))Z
"$VIGIL" serve --db "$DB" --port "$PORT" --no-auth --admin-token "$TOKEN" --access-log "$T/access.log" \
  "${NAMES[@]}" 2>"$T/server.err" &
PID=$!
wait_ready "$U"

call GET /healthz
check "GET /healthz is 200" eval 'code_is 200 && body_has "\"ok\""'
call GET /readyz
check "GET /readyz is 200 once the lists are read" code_is 200
call GET /catalog
check "GET /catalog lists the versions" eval 'code_is 200 && json_ok && body_has "\"source\":\"eu\"" && body_has "\"entities\":8017"'

Q='{"queries":{"q1":{"schema":"Person","properties":{"name":["Александр Бастрыкин"],"birthDate":["1953-08-27"]}},"q2":{"schema":"Person","properties":{"name":["Jane Nobody-Atall"]}}}}'
call POST /match/default "$Q"
check "POST /match finds Bastrykin in the EU list, yente's shape" eval 'code_is 200 && json_ok && body_has "\"responses\":{\"q1\":{\"status\":200" && body_has "\"id\":\"eu:14980080\"" && body_has "\"explanations\""'
check "each result is yente's ScoredEntityResponse: the entity's FollowTheMoney properties, features, referents, target" eval 'jq -e ".responses.q1.results[0] | (.properties.birthDate | index(\"1953-08-27\")) != null and (.properties.topics | index(\"sanction\")) != null and .features.name > 0.9 and .features.birth_date > 0 and (.referents | type) == \"array\" and .target == true and .match == true and (.datasets == [\"eu\"])" "$T/body"'
check "each query answers apart, with its total" eval 'body_has "\"q2\":{\"status\":200,\"results\":\[\],\"total\":{\"value\":0"'
call POST /match/default '{"queries":{"q":{"schema":"Person","properties":{"name":"Alexander Bastrykin","nationality":"Russia","country":["Russian Federation","Atlantis"]}}}}'
check "the echoed query is yente's: lists of strings, countries as codes" eval 'jq -e ".responses.q.query == {\"schema\":\"Person\",\"properties\":{\"name\":[\"Alexander Bastrykin\"],\"nationality\":[\"ru\"],\"country\":[\"ru\"]}}" "$T/body"'
call POST "/match/default?exclude_dataset=eu" "$Q"
check "exclude_dataset leaves a list out" eval 'code_is 200 && ! body_has "eu:14980080"'
call POST "/match/un" "$Q"
check "a dataset names one list" eval 'code_is 200 && ! body_has "eu:14980080"'
call POST "/match/default?threshold=0.99&limit=1" "$Q"
check "threshold and limit are honoured" eval 'code_is 200 && body_has "\"limit\":1" && body_has "\"match\":true"'
call GET "/search/default?q=AL-MAZIDIH%20Akram&limit=3"
check "GET /search finds a UN name" eval 'code_is 200 && json_ok && body_has "un:QDi.276"'
check "GET /search is yente's SearchResponse: limit, offset, total, facets" eval 'jq -e ".limit == 3 and .offset == 0 and (.total.value | type) == \"number\" and (.facets | has(\"countries\") and has(\"topics\") and has(\"datasets\"))" "$T/body"'
call GET "/search/un?limit=2&offset=2"
check "GET /search without q lists the dataset's entities a page at a time, as yente's" eval 'code_is 200 && jq -e "(.results | length) == 2 and .total.value > 1000 and .offset == 2 and (.results[0].id | startswith(\"un:\")) and (.results[0].properties.name | length) >= 1" "$T/body"'
call GET "/search/default?q=Bastrykin&fuzzy=false"
check "a yente /search argument vigil does not take is refused, naming it (400): fuzzy=false (its search is always by similarity)" eval 'code_is 400 && jq -e ".detail | test(\"fuzzy\")" "$T/body"'
call GET "/search/default?q=Bastrykin&exclude_schema=Person"
check "exclude_schema on /search leaves that schema out" eval 'code_is 200 && jq -e ".total.value == 0" "$T/body"'
call GET "/search/default?countries=ru&filter=gender:male&sort=caption:desc&limit=3"
check "a listing without q is filtered, faceted and sorted as yente's" eval 'code_is 200 && jq -e "(.results | length) == 3 and .total.value > 10 and all(.results[]; ((.properties.nationality // []) + (.properties.country // []) | index(\"ru\")) != null and .properties.gender == [\"male\"]) and ([.results[].caption] | . == (sort | reverse)) and (.facets.countries.values | map(.name) | index(\"ru\")) != null" "$T/body"'
call GET "/search/default?q=Mohammed%20Omar&limit=2"
cp "$T/body" "$T/page1"
call GET "/search/default?q=Mohammed%20Omar&limit=2&offset=2"
check "offset gives the next page, not the first again" eval 'code_is 200 && [ "$(jq -c "[.results[].id]" "$T/body")" != "$(jq -c "[.results[].id]" "$T/page1")" ] && jq -e ".offset == 2 and (.results | length) == 2" "$T/body"'
call GET "/search/default?q=Bastrykin&countries=ru"
check "countries= keeps the entities of that country" eval 'code_is 200 && jq -e "(.results | length) >= 1 and all(.results[]; (.properties.nationality // []) + (.properties.country // []) | index(\"ru\") != null)" "$T/body"'
call GET "/search/default?q=Bastrykin&countries=fr"
check "countries= of another country leaves them out" eval 'jq -e ".total.value == 0" "$T/body"'
call GET "/search/default?q=Bastrykin&filter=schema:Organization"
check "filter=schema:… keeps that schema only" eval 'jq -e ".total.value == 0" "$T/body"'
call GET "/search/default?q=Bastrykin&topics=sanction&facets=datasets"
check "topics= and facets= as yente's" eval 'jq -e "(.results | length) >= 1 and (.facets | keys) == [\"datasets\"] and (.facets.datasets.values | length) >= 1" "$T/body"'
call GET /entities/un:QDi.276
check "GET /entities returns every field and the version" eval 'code_is 200 && json_ok && body_has "AKRAM TURKI HISHAN AL-MAZIDIH" && body_has "\"version\""'
check "GET /entities is also yente's EntityResponse (FollowTheMoney form)" eval 'jq -e ".id == \"un:QDi.276\" and .caption == \"AKRAM TURKI HISHAN AL-MAZIDIH\" and .schema == \"Person\" and (.properties.name | index(\"AKRAM TURKI HISHAN AL-MAZIDIH\")) != null and (.properties.birthDate | length) >= 1 and .properties.topics == [\"sanction\"] and .properties.programId == [\"Al-Qaida\"] and .datasets == [\"un\"] and (.referents | type) == \"array\" and .target == true and (.first_seen | test(\"^20\")) and .last_change != null" "$T/body"'
call POST "/match/default?algorithm=logic-v1" "$Q"
check "an algorithm this server has not is 400 with yente's detail" eval 'code_is 400 && jq -e ".detail | test(\"unknown algorithm\")" "$T/body"'
call POST "/match/default?algorithm=vigil&cutoff=0.9" "$Q"
check "algorithm=vigil is taken, and cutoff leaves out what scores under it" eval 'code_is 200 && jq -e "[.responses.q1.results[].score] | all(. >= 0.85)" "$T/body"'
python3 "$(dirname "$0")/yente_client.py" "$U" >"$T/yente.out" 2>&1
check "a client written to yente's API: match, fetch, adjacent, search, reconcile, extend ($(grep -c '^ok' "$T/yente.out") checks; $(grep '^not ok' "$T/yente.out" | head -3 | tr '\n' ' '))" grep -q '^0 failed$' "$T/yente.out"
call POST "/match/default?exclude_entity_ids=eu:14980080" "$Q"
check "exclude_entity_ids leaves that entity out" eval 'code_is 200 && ! body_has "eu:14980080"'
call POST "/match/default?topics=crime.terror" "$Q"
check "topics= keeps only entities of those topics" eval 'code_is 200 && jq -e ".responses.q1.results == []" "$T/body"'
call POST "/match/default?changed_since=last-week" "$Q"
check "a changed_since that is not a date is 422, as yente's" eval 'code_is 422 && jq -e ".detail | test(\"changed_since\")" "$T/body"'
call POST "/match/default?changed_since=2999-01-01" "$Q"
check "changed_since leaves out what has not changed since" eval 'code_is 200 && jq -e ".responses.q1.results == []" "$T/body"'
call POST /match/default '{"weights":{"name_literal":0.8},"queries":{"q":{"schema":"Person","properties":{"name":["x"]}}}}'
check "weights and config are refused (400): vigil's algorithm has none to set" eval 'code_is 400 && jq -e ".detail | test(\"weights\")" "$T/body"'
call GET /algorithms
check "GET /algorithms is yente's AlgorithmResponse" eval 'code_is 200 && jq -e ".default == \"vigil\" and .best == \"vigil\" and .algorithms[0].name == \"vigil\" and (.algorithms[0].features.name.description | length) > 0" "$T/body"'

# bad requests: a JSON 4xx with a message, never a crash
call POST /match/default '{not json'
check "malformed JSON is 400" eval 'code_is 400 && json_ok && body_has "not JSON"'
call POST /match/default '{"queries":{"q":{"schema":"Spaceship","properties":{"name":["x"]}}}}'
check "an unknown schema is 400" eval 'code_is 400 && body_has "unknown schema"'
call POST /match/default "$(printf '{"queries":{"q":{"schema":"Person","properties":{"name":["\xff\xfe"]}}}}')"
check "invalid UTF-8 is 400" eval 'code_is 400 && body_has "UTF-8"'
head -c 1100000 /dev/zero | tr '\0' 'a' >"$T/big"
curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary @"$T/big" "$U/match/default" >"$T/code"
check "a body over 1 MiB is 413" eval 'code_is 413 && json_ok'
{ printf '{"queries":{'; for i in $(seq 1 101); do printf '"q%d":{"schema":"Thing","properties":{"name":["x"]}},' "$i"; done; printf '"q0":{"schema":"Thing","properties":{"name":["x"]}}}}'; } >"$T/many"
curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary @"$T/many" "$U/match/default" >"$T/code"
check "over 100 queries is 400" eval 'code_is 400 && body_has "at most 100"'
call POST /match/default '{"queries":{"q":{"schema":"Person","properties":{}}}}'
check "a query without a name is 400" eval 'code_is 400 && body_has "no name"'
call POST /match/default '{"queries":{"q":{"properties":{"name":["Alexander Bastrykin"]}}}}'
check "a query without a schema is 422, as yente's (EntityExample requires one)" eval 'code_is 422 && jq -e ".detail | test(\"schema is required\")" "$T/body"'
call POST /match/default '{"queries":{"q":{"schema":"Thing","properties":{"name":["Alexander Bastrykin"]}}}}'
check "schema Thing is any schema" eval 'code_is 200 && jq -e ".responses.q.results[0].id == \"eu:14980080\" and .responses.q.query.schema == \"Thing\"" "$T/body"'
call POST /match/nosuchlist '{"queries":{"q":{"schema":"Person","properties":{"name":["x"]}}}}'
check "an unknown dataset is 404" eval 'code_is 404 && json_ok'
call GET /match/default
check "a wrong method is 405" eval 'code_is 405 && json_ok'
call GET /no/such/thing
check "an unknown path is 404" eval 'code_is 404 && json_ok'
call GET /entities/un:NOPE.000
check "an unknown entity is 404" eval 'code_is 404 && json_ok'
call GET "/search/default?q=x&limit=abc"
check "a bad limit is 422, as yente's" eval 'code_is 422 && json_ok'
call POST /admin/reload
check "reload without the token is 401" eval 'code_is 401 && json_ok'
auth() { curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $1" "$U/admin/reload" >"$T/code"; }
auth "${TOKEN:0:504}"
check "the token's first 504 characters are refused (401)" eval 'code_is 401 && json_ok'
auth "${TOKEN:0:599}"
check "the token less its last character is refused (401)" eval 'code_is 401'
auth "${TOKEN}x"
check "the token with a character more is refused (401)" eval 'code_is 401'

# a batch upload: screened in the background, its progress polled, its results fetched
printf 'id,name,dob\nc1,Alexander Bastrykin,1953-08-27\nc2,,\nc3,Jane Nobody,\n=1+2,Jane Roe,\n' >"$T/batch.csv"
curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary @"$T/batch.csv" "$U/batch" >"$T/code"
check "POST /batch starts a batch (202) and counts its records" eval 'code_is 202 && body_has "\"total\":4"'
BID=$(jq -r .id "$T/body")
check "a batch's id is 128 random bits (b and 32 hex digits)" eval 'printf "%s" "$BID" | grep -Eq "^b[0-9a-f]{32}$"'
curl -s -o /dev/null -X POST --data-binary @"$T/batch.csv" "$U/batch"
BID2=$(curl -s -X POST --data-binary @"$T/batch.csv" "$U/batch" | jq -r .id)
check "two batches' ids share no run a sequence would give" eval '[ "$BID" != "$BID2" ] && [ "${BID:0:8}" != "${BID2:0:8}" ]'
for _ in $(seq 1 100); do
  call GET "/batch/$BID"
  body_has '"status":"done"' && break
  sleep 0.1
done
check "GET /batch/ID reports the batch done, with its errors" eval 'code_is 200 && body_has "\"rows\":4" && body_has "\"failed\":1"'
call GET "/batch/$BID/results.csv"
check "the results as CSV, a line per result" eval 'code_is 200 && head -1 "$T/body" | grep -q "^row,id,status" && grep -q "^1,c1,ok,,eu,14980080," "$T/body" && grep -q "^2,c2,error,no name" "$T/body"'
check "a cell a spreadsheet would run as a formula is written as text" eval 'grep -q "^4,\"'"'"'=1+2\",ok," "$T/body" && ! grep -q "^4,=" "$T/body"'
call GET "/batch/$BID/results.jsonl"
check "the results as JSON lines, one per record" eval 'code_is 200 && [ "$(wc -l <"$T/body")" = 4 ]'
call GET /batch/nosuchbatch
check "an unknown batch is 404" eval 'code_is 404 && json_ok'
call GET /
check "GET / is the web page" eval 'code_is 200 && body_has "<title>vigil"'

# on loopback it answers to loopback names only (DNS rebinding: another site's page calling
# its own name that resolves to 127.0.0.1)
curl -s -o "$T/body" -w '%{http_code}' -H "Host: evil.example:$PORT" "$U/healthz" >"$T/code"
check "a request for another Host is refused (400, JSON)" eval 'code_is 400 && json_ok && body_has "Host"'
curl -s -o "$T/body" -w '%{http_code}' -H "Host: localhost:$PORT" "$U/healthz" >"$T/code"
check "Host localhost is answered" eval 'code_is 200'
# a URL over 8 KiB and headers over 32 KiB get JSON errors (414, 431)
long=$(head -c 9000 /dev/zero | tr '\0' a)
curl -s -o "$T/body" -w '%{http_code}' "$U/search/default?q=$long" >"$T/code"
check "a URL over 8 KiB is 414, as JSON" eval 'code_is 414 && json_ok'
big=$(head -c 20000 /dev/zero | tr '\0' b)
curl -s -o "$T/body" -w '%{http_code}' -H "X-One: $big" -H "X-Two: $big" "$U/healthz" >"$T/code"
check "headers over 32 KiB are 431, as JSON" eval 'code_is 431 && json_ok'
# the security headers on every kind of response: JSON, an error, the page
for path in /healthz /no-such-endpoint /; do
  curl -s -D "$T/headers" -o /dev/null "$U$path"
  check "GET $path carries CSP, X-Frame-Options, nosniff and Referrer-Policy" eval 'grep -qi "^Content-Security-Policy: default-src .self.;.*frame-ancestors .none." "$T/headers" && grep -qi "^X-Frame-Options: DENY" "$T/headers" && grep -qi "^X-Content-Type-Options: nosniff" "$T/headers" && grep -qi "^Referrer-Policy: no-referrer" "$T/headers"'
done
curl -s -o "$T/openapi.json" "$U/openapi.json"
curl -s -o "$T/api.json" "$U/api"
check "GET /openapi.json is an OpenAPI 3 document naming every endpoint of the route table with its method" \
  python3 -c '
import json, sys
spec = json.load(open(sys.argv[1])); api = json.load(open(sys.argv[2]))
assert spec["openapi"].startswith("3.") and spec["info"]["title"] and spec["paths"]
missing = []
for e in api["endpoints"]:
    method, path = e.split(" ", 1)
    path = path.split("?")[0]
    if path == "/": continue
    if method.lower() not in spec["paths"].get(path, {}): missing.append(e)
for path, ops in spec["paths"].items():
    for m, o in ops.items():
        for code, r in o["responses"].items():
            for c in r.get("content", {}).values():
                ref = c["schema"].get("$ref")
                assert not ref or ref.split("/")[-1] in spec["components"]["schemas"], ref
assert not missing, missing
' "$T/openapi.json" "$T/api.json"
call GET /api
check "GET /api lists every endpoint of the route table" eval 'code_is 200 && json_ok && body_has "\"POST /match/{dataset}\"" && body_has "\"GET /batch/{id}/results.csv\"" && body_has "\"POST /admin/reload\""'
call GET /metrics
check "GET /metrics is Prometheus text with counts and latency" eval 'code_is 200 && body_has "vigil_requests_total{endpoint=\"match\",code=\"200\"}" && body_has "vigil_request_duration_seconds{quantile=\"0.99\"}"'
check "the batch routes are counted under one label" eval '[ "$(grep -c "^vigil_requests_total{endpoint=\"batch\",code=\"200\"}" "$T/body")" = 1 ]'
check "the access log has a line per request" eval 'grep -q "POST /match/default 200" "$T/access.log"'

# a new list loaded while the server answers under load: reloads (HTTP and
# SIGHUP) swap it in without a failed request
call GET "/search/default?q=Alexander%20Ivanovich%20Bastrykin"
check "before the UK list is loaded, its entry is not found" eval '! body_has "uk:GHR0011"'
"$VIGIL" load --db "$DB" "${NAMES[@]}" "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" \
  "$L/ofac/sdn-csv-2022-01" >/dev/null 2>&1
cat >"$T/match.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"queries":{"q1":{"schema":"Person","properties":{"name":["Alexander Bastrykin"]}}}}'
wrk.headers["Content-Type"] = "application/json"
EOF
wrk -t1 -c8 -d4s -s "$T/match.lua" "$U/match/default" >"$T/wrk.out" 2>&1 &
WRK=$!
sleep 1
curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" "$U/admin/reload" >"$T/code"
check "POST /admin/reload with the token reloads" eval 'code_is 200 && body_has "\"reloaded\":true" && body_has "\"source\":\"uk\""'
sleep 0.5
kill -HUP "$PID"
wait "$WRK"
check "under load through both reloads, every request succeeded" eval 'grep -q "requests in" "$T/wrk.out" && ! grep -q "Non-2xx" "$T/wrk.out" && ! grep -q "Socket errors" "$T/wrk.out"'
call GET "/search/default?q=Alexander%20Ivanovich%20Bastrykin"
check "after the reload the UK entry is found" eval 'code_is 200 && body_has "uk:GHR0011"'
call POST /match/default "$Q"
check "with four lists' versions in it, the response is still whole JSON" eval 'code_is 200 && json_ok && body_has "\"source\":\"ofac\""'

# SIGTERM: a clean stop
kill -TERM "$PID"
stopped=1
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || { stopped=0; break; }; sleep 0.1; done
wait "$PID" 2>/dev/null
rc=$?
check "SIGTERM stops the server cleanly (exit 0)" eval '[ $stopped = 0 ] && [ $rc = 0 ] && grep -q "stopped" "$T/server.err"'
check "the server wrote no sanitizer report" eval '! grep -q "ERROR: AddressSanitizer\|runtime error\|LeakSanitizer" "$T/server.err"'
PID=

# TLS with a certificate made here: TLS 1.2 and 1.3 only
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/key.pem" \
  -out "$T/cert.pem" -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  >/dev/null 2>&1
TPORT=$("$(dirname "$0")/../scripts/free-port")
"$VIGIL" serve --db "$DB" --port "$TPORT" --no-auth --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
  "${NAMES[@]}" 2>"$T/tls.err" &
PID=$!
wait_ready "https://127.0.0.1:$TPORT" --cacert "$T/cert.pem"
curl -s --cacert "$T/cert.pem" -o "$T/body" -w '%{http_code}' "https://127.0.0.1:$TPORT/healthz" >"$T/code"
check "over TLS with the test certificate, GET /healthz is 200" eval 'code_is 200 && body_has "\"ok\""'
hello() { echo | timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" "-$1" -cipher 'DEFAULT@SECLEVEL=0' 2>&1; }
check "a TLS 1.0 handshake is refused" eval 'hello tls1 | grep -q "Cipher is (NONE)"'
check "a TLS 1.1 handshake is refused" eval 'hello tls1_1 | grep -q "Cipher is (NONE)"'
check "TLS 1.2 and 1.3 handshakes succeed" eval 'hello tls1_2 | grep -q "Cipher is ECDHE" && hello tls1_3 | grep -q "Cipher is TLS_"'
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TPORT/healthz" >"$T/code"
check "plain HTTP to the TLS port gets no answer" eval '! code_is 200'
kill -TERM "$PID"
wait "$PID" 2>/dev/null
trc=$?
check "the TLS server stopped cleanly and wrote no sanitizer report" eval '[ $trc = 0 ] && ! grep -q "ERROR: AddressSanitizer\|runtime error\|LeakSanitizer" "$T/tls.err"'
PID=

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
