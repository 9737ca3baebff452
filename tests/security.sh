#!/usr/bin/env bash
# The security suite of vigil serve (issue 15, docs/security.md): the real
# server on a loopback port with authentication on, called with curl and a
# few raw-socket clients (python3). Every endpoint without a key, with a
# wrong key, with a key of each role, with a revoked key and a disabled
# user's; the key compared whole and in time that does not depend on how
# much of it is right; batches private to their owner; the page's session
# and its CSRF token; per-key limits; slow clients cut; bodies within their
# memory budget; the session cookie Secure under TLS.
# Usage: tests/security.sh VIGIL_BINARY. Prints "ok - ..." / "not ok - ..."
# per check and "N passed, M failed".
set -u
VIGIL=${1:-build/vigil}
L="${SHARED:-../shared}/lists"
. "$(dirname "$0")/lib.sh"
server_suite sec

"$VIGIL" load --db "$DB" "$L/un/un-consolidated-2026-02-27.xml" >/dev/null 2>&1
K_SCREEN=$(key_for sam screen)
K_ANALYST=$(key_for ana analyst)
K_ANALYST2=$(key_for bob analyst)
K_REVIEWER=$(key_for rev reviewer)
K_ADMIN=$(key_for adm admin)
K_REVOKED=$("$VIGIL" keys create --db "$DB" ana 2>/dev/null | grep -o 'vigil_[0-9a-f]\{64\}')
"$VIGIL" keys revoke --db "$DB" "${K_REVOKED:0:14}" >/dev/null
K_DISABLED=$(key_for dis analyst)
"$VIGIL" users disable --db "$DB" dis >/dev/null
check "every role has a key of 256 bits (vigil_ and 64 hex digits)" eval '[ ${#K_SCREEN} = 70 ] && [ ${#K_ADMIN} = 70 ] && [ "$K_SCREEN" != "$K_ADMIN" ]'

check "--no-auth beyond loopback is refused (exit 2)" eval '"$VIGIL" serve --db "$DB" --listen 0.0.0.0 --port "$PORT" --no-auth 2>"$T/refused.err"; [ $? = 2 ] && grep -q "loopback" "$T/refused.err"'

"$VIGIL" serve --db "$DB" --port "$PORT" --key-rate 10 --header-timeout 3 --body-timeout 4 \
  --body-memory 16 --access-log "$T/access.log" 2>"$T/server.err" &
PID=$!
wait_ready "$U"

# call KEY METHOD PATH [BODY]: the status in $T/code, the body in $T/body, the headers in $T/headers
call() {
  local key=$1 m=$2 p=$3
  shift 3
  local a=()
  [ -n "$key" ] && a=(-H "Authorization: Bearer $key")
  if [ $# -ge 1 ]; then a+=(-H 'Content-Type: application/json' --data-binary "$1"); fi
  curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' -X "$m" "${a[@]}" "$U$p" >"$T/code"
}
code_is() { [ "$(cat "$T/code")" = "$1" ]; }
json_ok() { jq -e .error "$T/body" >/dev/null 2>&1 || jq -e . "$T/body" >/dev/null 2>&1; }

Q='{"queries":{"q":{"schema":"Person","properties":{"name":["AKRAM TURKI HISHAN AL-MAZIDIH"]}}}}'
printf 'id,name\nc1,AKRAM TURKI HISHAN AL-MAZIDIH\nc2,Jane Roe\n' >"$T/batch.csv"
# every protected endpoint: METHOD PATH BODY LEAST-ROLE (1 screen .. 4 admin)
ENDPOINTS=(
  "POST|/match/default|$Q|1"
  "GET|/search/default?q=AL-MAZIDIH||1"
  "GET|/entities/un:QDi.276||1"
  "GET|/catalog||1"
  "POST|/screen/message|@$(dirname "$0")/data/payments/mt103-pass.txt|1"
  "GET|/messages/1||2"
  "GET|/batch||2"
  "POST|/batch|@$T/batch.csv|2"
  "GET|/metrics||4"
  "POST|/admin/reload||4"
)
hit() { # KEY ENDPOINT
  local m p b
  IFS='|' read -r m p b _ <<<"$2"
  if [ -n "$b" ]; then call "$1" "$m" "$p" "$b"; else call "$1" "$m" "$p"; fi
}
for e in "${ENDPOINTS[@]}"; do
  IFS='|' read -r m p _ least <<<"$e"
  hit "" "$e"
  check "$m $p without a key is 401, JSON, with WWW-Authenticate" eval 'code_is 401 && json_ok && grep -qi "^WWW-Authenticate: Bearer" "$T/headers"'
  hit "vigil_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$e"
  check "$m $p with a made-up key is 401" eval 'code_is 401 && json_ok'
  hit "$K_REVOKED" "$e"
  check "$m $p with a revoked key is 401" eval 'code_is 401'
  hit "$K_DISABLED" "$e"
  check "$m $p with a disabled user's key is 401" eval 'code_is 401'
  r=1
  for k in "$K_SCREEN" "$K_ANALYST" "$K_REVIEWER" "$K_ADMIN"; do
    hit "$k" "$e"
    want=403
    [ "$r" -ge "$least" ] && want=200
    [ "$want" = 200 ] && [ "$m $p" = "POST /batch" ] && want=202
    check "$m $p with a key of role $r is $want" eval 'code_is $want && { [ "$p" = /metrics ] || json_ok; }'
    r=$((r + 1))
  done
done
for p in /healthz /readyz /api /algorithms /; do
  call "" GET "$p"
  check "GET $p needs no key" code_is 200
done

# the key is compared whole: its id with the rest wrong, a prefix, one character
# more or less, the same key in another case, are all refused
k=$K_SCREEN
last=${k: -1}
[ "$last" = 0 ] && other=1 || other=0
for variant in "${k:0:69}$other" "${k:0:69}" "${k}0" "${k:0:40}" "$(printf %s "$k" | tr a-f A-F)"; do
  call "$variant" GET /catalog
  check "a key ${#variant} characters long, all but a part of it right, is refused" code_is 401
done
call "$k" GET /catalog
check "the right key, after all those, still works" code_is 200
# timing: with the key known, a wrong key sharing 69 of its 70 characters is
# refused as fast as one sharing only its 14-character id (SHA-256 digests are
# compared in constant time; the median of 40 tries each)
med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
near="${k:0:69}$other"
far="${k:0:14}$(printf '%056d' 0)"
for _ in $(seq 1 40); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $near" "$U/catalog"; done | med >"$T/near"
for _ in $(seq 1 40); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $far" "$U/catalog"; done | med >"$T/far"
check "a nearly right key takes no longer to refuse than a wrong one (median $(cat "$T/near") s against $(cat "$T/far") s)" \
  awk -v a="$(cat "$T/near")" -v b="$(cat "$T/far")" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 0.003 || d < 0.5 * b) }'

# a key revoked while the server runs stops working within a second
K_LATE=$("$VIGIL" keys create --db "$DB" sam 2>/dev/null | grep -o 'vigil_[0-9a-f]\{64\}')
call "$K_LATE" GET /catalog
check "a new key works at once" code_is 200
"$VIGIL" keys revoke --db "$DB" "${K_LATE:0:14}" >/dev/null
sleep 1.2
call "$K_LATE" GET /catalog
check "once revoked, it is refused within a second" code_is 401

# batches: private to their owner, under ids nobody can guess
sleep 1 # the rate limit's bucket refills
call "$K_ANALYST" POST /batch "@$T/batch.csv"
BID=$(jq -r .id "$T/body")
check "a batch's id is 128 random bits" eval 'printf %s "$BID" | grep -Eq "^b[0-9a-f]{32}$"'
for _ in $(seq 1 100); do
  call "$K_ANALYST" GET "/batch/$BID"
  grep -q '"status":"done"' "$T/body" && break
  sleep 0.1
done
check "its owner sees it done" eval 'code_is 200 && grep -q "\"rows\":2" "$T/body"'
call "$K_ANALYST" GET "/batch/$BID/results.jsonl"
check "its owner reads its results, streamed from the database" eval 'code_is 200 && [ "$(wc -l <"$T/body")" = 2 ] && grep -q QDi.276 "$T/body"'
for who in "$K_ANALYST2" "$K_ADMIN"; do
  for what in "" /results.csv /results.jsonl; do
    call "$who" GET "/batch/$BID$what"
    check "another user (even an admin) gets 404 for GET /batch/{id}$what" eval 'code_is 404 && json_ok'
  done
done
call "$K_ANALYST2" DELETE "/batch/$BID"
check "another user cannot delete it (404)" code_is 404
call "$K_ANALYST2" GET /batch
check "another user's list of batches does not hold it" eval 'code_is 200 && ! grep -q "$BID" "$T/body"'
call "$K_ANALYST" GET /batch
check "its owner's list holds it" eval 'code_is 200 && grep -q "$BID" "$T/body"'
call "$K_ANALYST" DELETE "/batch/$BID"
check "its owner deletes it" code_is 200
call "$K_ANALYST" GET "/batch/$BID"
check "then it is gone" code_is 404
check "the batch's lines are gone from the database too" eval '[ "$(sqlite3 "$DB" "SELECT count(*) FROM batch_line WHERE batch_id='"'"'$BID'"'"'")" = 0 ]'

# the page's session
sleep 1
curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "{\"key\":\"$K_ANALYST\"}" "$U/session" >"$T/code"
check "POST /session signs in with a key" eval 'code_is 200 && jq -e ".user == \"ana\" and .role == \"analyst\"" "$T/body" >/dev/null'
check "the session cookie is HttpOnly and SameSite=Strict, and not Secure without TLS" eval 'grep -i "^Set-Cookie: vigil_session=[0-9a-f]\{32\};" "$T/headers" | grep -q "HttpOnly" && grep -i "^Set-Cookie" "$T/headers" | grep -q "SameSite=Strict" && ! grep -i "^Set-Cookie" "$T/headers" | grep -qi secure'
SID=$(grep -i '^Set-Cookie' "$T/headers" | sed 's/.*vigil_session=\([0-9a-f]*\).*/\1/')
CSRF=$(jq -r .csrf "$T/body")
scall() { # METHOD PATH [CSRF] [BODY]
  local a=(-H "Cookie: vigil_session=$SID")
  [ -n "${3:-}" ] && a+=(-H "X-CSRF-Token: $3")
  [ -n "${4:-}" ] && a+=(--data-binary "$4")
  curl -s -o "$T/body" -w '%{http_code}' -X "$1" "${a[@]}" "$U$2" >"$T/code"
}
scall GET /catalog
check "the cookie alone answers a GET" code_is 200
scall POST /batch "" "@$T/batch.csv"
check "a POST with the cookie but no CSRF token is 403" eval 'code_is 403 && grep -q CSRF "$T/body"'
scall POST /batch "$(printf '%032d' 0)" "@$T/batch.csv"
check "a POST with a wrong CSRF token is 403" code_is 403
scall POST /batch "$CSRF" "@$T/batch.csv"
check "a POST with the cookie and its CSRF token is taken" code_is 202
scall GET /metrics
check "the session has its user's role, no more (403 for /metrics)" code_is 403
curl -s -o "$T/body" -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary "{\"key\":\"$K_ANALYST\"}" "$U/session" >"$T/code"
check "signing in from a form (not JSON) is refused: another site cannot sign a user in" code_is 415
scall DELETE /session "$CSRF"
check "DELETE /session signs out" code_is 200
scall GET /catalog
check "after signing out the cookie is refused" code_is 401

# per-key limits: 10 requests a second, bursts of 20
sleep 2
args=()
for _ in $(seq 1 60); do args+=(-o /dev/null -w '%{http_code}\n' "$U/catalog"); done
curl -s -H "Authorization: Bearer $K_REVIEWER" "${args[@]}" >"$T/codes"
check "past its rate a key gets 429 ($(grep -c 429 "$T/codes") of 60)" eval 'grep -q "^429$" "$T/codes" && grep -q "^200$" "$T/codes"'
call "$K_REVIEWER" GET /catalog
check "a 429 says when to come back (Retry-After) as JSON" eval '! code_is 429 || { grep -qi "^Retry-After: " "$T/headers" && json_ok; }'
call "$K_ADMIN" GET /catalog
check "another key is not held back by it" code_is 200

# slow clients are cut: headers not whole within 3 s, a body not whole within 4 s
cat >"$T/slow.py" <<'EOF'
import socket, sys, time
port, mode = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(0.5)
t0 = time.time()
if mode == "headers":
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
else:
    s.sendall(b"POST /match/default HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
while time.time() - t0 < 20:
    try:
        s.sendall(b"X-Slow: 1\r\n" if mode == "headers" else b"x")
        if s.recv(1) == b"":
            print("cut after %.1f s" % (time.time() - t0)); sys.exit(0)
    except socket.timeout:
        time.sleep(0.5)
    except OSError:
        print("cut after %.1f s" % (time.time() - t0)); sys.exit(0)
print("never cut"); sys.exit(1)
EOF
python3 "$T/slow.py" "$PORT" headers >"$T/slow-h"
check "a client sending a header line every second is cut ($(cat "$T/slow-h"))" eval 'grep -q "^cut after [3-6]\." "$T/slow-h"'
python3 "$T/slow.py" "$PORT" body >"$T/slow-b"
check "a client sending its body a byte a second is cut ($(cat "$T/slow-b"))" eval 'grep -q "^cut after [4-7]\." "$T/slow-b"'

# bodies in memory at once: 16 MiB here; a body past that gets 503, JSON
cat >"$T/budget.py" <<'EOF'
import json, socket, sys, time
port, key = int(sys.argv[1]), sys.argv[2]
def post(n, send):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("POST /batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
               "Content-Length: %d\r\n\r\n" % (key, n)).encode())
    s.sendall(b"x" * send)
    return s
held = post(12 << 20, 10 << 20)      # 10 MiB held, unfinished
time.sleep(0.5)
s = post(9 << 20, 9 << 20)            # 9 MiB more: past 16 MiB
s.settimeout(10)
data = b""
while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
print(head.split(b"\r\n")[0].decode(), "|", "retry-after" in head.decode().lower(), "|", body.decode()[:200])
held.close()
EOF
python3 "$T/budget.py" "$PORT" "$K_ADMIN" >"$T/budget" 2>&1
check "a body past the memory budget is 503 with Retry-After, as JSON ($(cut -c1-60 "$T/budget"))" eval 'grep -q "^HTTP/1.1 503 .*| True | {\"error\"" "$T/budget"'
call "" GET /healthz
check "the server answers on after the slow clients and the budget" code_is 200

check "the access log names the user of each request" eval 'grep -q "GET /catalog 200 .* sam$" "$T/access.log" && grep -q "POST /match/default 401 .* -$" "$T/access.log"'
kill -TERM "$PID"
wait "$PID" 2>/dev/null
rc=$?
check "the server stopped cleanly and wrote no sanitizer report" eval '[ $rc = 0 ] && ! grep -q "ERROR: AddressSanitizer\|runtime error\|LeakSanitizer" "$T/server.err"'
PID=

# under TLS the session cookie is Secure
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/key.pem" \
  -out "$T/cert.pem" -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  >/dev/null 2>&1
"$VIGIL" serve --db "$DB" --port "$PORT" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
  2>"$T/tls.err" &
PID=$!
wait_ready "https://127.0.0.1:$PORT" --cacert "$T/cert.pem"
curl -s --cacert "$T/cert.pem" -D "$T/headers" -o "$T/body" -H 'Content-Type: application/json' \
  --data-binary "{\"key\":\"$K_SCREEN\"}" "https://127.0.0.1:$PORT/session" >/dev/null
check "under TLS the session cookie is Secure" eval 'grep -i "^Set-Cookie: vigil_session=" "$T/headers" | grep -q "; Secure"'
curl -s --cacert "$T/cert.pem" -o "$T/body" -w '%{http_code}' "https://127.0.0.1:$PORT/catalog" >"$T/code"
check "under TLS a request without a key is 401" code_is 401
kill -TERM "$PID"
wait "$PID" 2>/dev/null
PID=

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
