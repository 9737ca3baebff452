#!/usr/bin/env bash
# Case work over HTTP (issue 16, docs/api.md): vigil serve with keys and
# --four-eyes on a loopback port, and the analyst's day through the API:
# import customers, re-screen, the queue and its filters, one alert, assign,
# propose, review as another user (the proposer's own review refused), the
# audit trail as JSON and CSV, customers, a list change raising a new alert,
# list differences; and bad input answered 4xx with the reason.
# Usage: tests/cases.sh VIGIL_BINARY. Prints "ok - ..." / "not ok - ..." per
# check and "N passed, M failed".
set -u
VIGIL=${1:-build/vigil}
L="${SHARED:-../shared}/lists"
. "$(dirname "$0")/lib.sh"
server_suite cases

"$VIGIL" load --db "$DB" "$L/ofac/sdn-csv-2019-01" >/dev/null 2>&1
ANA=$(key_for ana analyst)
BOB=$(key_for bob analyst)
RITA=$(key_for rita reviewer)
"$VIGIL" serve --db "$DB" --port "$PORT" --four-eyes 2>"$T/server.err" &
PID=$!
wait_ready "$U"

# call KEY METHOD PATH [BODY]: the status in $T/code, the body in $T/body
call() {
  local key=$1 m=$2 p=$3
  shift 3
  local a=(-H "Authorization: Bearer $key")
  [ $# -ge 1 ] && a+=(-H 'Content-Type: application/json' --data-binary "$1")
  curl -s -o "$T/body" -w '%{http_code}' -X "$m" "${a[@]}" "$U$p" >"$T/code"
}
code_is() { [ "$(cat "$T/code")" = "$1" ]; }
jq_ok() { jq -e "$1" "$T/body" >/dev/null 2>&1; }
err_says() { jq -e ".error | test(\"$1\")" "$T/body" >/dev/null 2>&1; }
wait_task() { # KEY ID: polls until the task is no longer running
  for _ in $(seq 1 300); do
    call "$1" GET "/tasks/$2"
    jq_ok '.status != "running"' && return
    sleep 0.1
  done
}

# import customers as a task, with its progress and summary
printf 'id,name,dob\nc1,Jasmeet Hakimzada,\nc2,John Jairo Gallego Valencia,\nc3,Oleg Slizhevsky,\nc4,Jane Ordinary,1980-01-01\nc5,,\n' >"$T/customers.csv"
call "$ANA" POST /customers/import "@$T/customers.csv"
check "POST /customers/import starts a task (202)" eval 'code_is 202 && jq_ok ".kind == \"import\""'
TASK=$(jq -r .id "$T/body")
wait_task "$ANA" "$TASK"
check "the import is done: 4 added, 1 refused with its row and reason" eval 'jq_ok ".status == \"failed\" or .status == \"done\"" && jq_ok ".summary.added == 4 and .summary.refused == 1 and .summary.refused_rows[0].row == 5 and (.summary.refused_rows[0].error | test(\"name\"))"'
call "$BOB" GET "/tasks/$TASK"
check "another user cannot see the task (404)" code_is 404
call "$ANA" POST /customers/import ""
check "an empty import is 400 with the reason" eval 'code_is 400 && err_says "upload"'

# re-screen as a task
call "$ANA" POST /runs
check "POST /runs starts a re-screen (202)" eval 'code_is 202 && jq_ok ".kind == \"rescreen\""'
RUN=$(jq -r .id "$T/body")
wait_task "$ANA" "$RUN"
check "the re-screen is done and says what it did, its progress counted in customers" eval 'jq_ok ".status == \"done\" and .summary.run == 1 and .summary.alerts_new == 2 and .rows == 4 and .total == 4"'
call "$ANA" POST "/runs?threshold=7"
check "a bad threshold is 400" eval 'code_is 400 && err_says "threshold"'
call "$ANA" GET /runs
check "GET /runs lists the run with its versions" eval 'code_is 200 && jq_ok "length == 1 and .[0].versions[0].source == \"ofac\""'

# the queue
call "$ANA" GET /alerts
check "GET /alerts: the open alerts, strongest first, with customer and entity" eval 'code_is 200 && jq_ok ".total == 2 and (.alerts | length) == 2 and .alerts[0].score >= .alerts[1].score and .alerts[0].customer.name != null and .alerts[0].entity.source == \"ofac\""'
A2=$(jq -r '.alerts[] | select(.customer.id == "c2") | .id' "$T/body")
A3=$(jq -r '.alerts[] | select(.customer.id == "c3") | .id' "$T/body")
call "$ANA" GET "/alerts?customer=c3&list=ofac&min_score=0.5"
check "filters: customer, list, score" eval 'code_is 200 && jq_ok ".total == 1 and .alerts[0].id == $A3"'
call "$ANA" GET "/alerts?list=un"
check "a list with no alerts: none" eval 'code_is 200 && jq_ok ".total == 0"'
call "$ANA" GET "/alerts?status=sleeping"
check "an unknown status is 400 naming the statuses" eval 'code_is 400 && err_says "open, pending"'
call "$ANA" GET "/alerts?min_score=2"
check "a score over 1 is 400" eval 'code_is 400 && err_says "min_score"'
call "$ANA" GET "/alerts?limit=0"
check "a limit of 0 is 400" code_is 400
call "$ANA" GET "/alerts/$A3"
check "GET /alerts/{id}: customer, the listed entity, reasons, versions, trail" eval 'code_is 200 && jq_ok ".customer.id == \"c3\" and .entity.document.source_id != null and .explanation != null and (.run.versions | length) == 1 and .trail[0].action == \"opened\""'
call "$ANA" GET /alerts/999999
check "an unknown alert is 404" eval 'code_is 404 && err_says "no alert"'
call "$ANA" GET /alerts/abc
check "an alert id that is not a number is 404" code_is 404

# assign, propose, review under four eyes
call "$ANA" POST "/alerts/$A3/assign" '{"to":"ana"}'
check "POST /alerts/{id}/assign" eval 'code_is 200 && jq_ok ".assignee == \"ana\""'
call "$ANA" GET "/alerts?assignee=ana"
check "the queue filtered by assignee" eval 'jq_ok ".total == 1"'
call "$ANA" POST "/alerts/$A3/assign" '{"to":7}'
check "assigning to a number is 400" code_is 400
call "$ANA" POST "/alerts/$A3/assign" 'not json'
check "a body that is not JSON is 400" eval 'code_is 400 && err_says "JSON"'
call "$ANA" POST "/alerts/$A3/decision" '{"decision":"false-positive"}'
check "a decision without a note is 400" eval 'code_is 400 && err_says "note"'
call "$ANA" POST "/alerts/$A3/decision" '{"decision":"maybe","note":"x"}'
check "an unknown decision is 400" eval 'code_is 400 && err_says "true-match or false-positive"'
call "$ANA" POST "/alerts/$A3/decision" '{"decision":"false-positive","note":"born 1962, the listed man 1970"}'
check "under four eyes a decision is a proposal (pending)" eval 'code_is 200 && jq_ok ".status == \"pending\" and .decisions[-1].state == \"proposed\" and .decisions[-1].by == \"ana\""'
call "$ANA" POST "/alerts/$A3/review" '{"approve":true,"note":"ok"}'
check "an analyst cannot review (403)" eval 'code_is 403 && err_says "reviewer"'
call "$RITA" POST "/alerts/$A3/review" '{"approve":"yes"}'
check "a review needs approve true or false (400)" code_is 400
call "$RITA" POST "/alerts/$A3/review" '{"approve":true,"note":"agreed: the dates differ"}'
check "another user of the reviewer role approves: the alert is a false positive" eval 'code_is 200 && jq_ok ".status == \"false-positive\" and .decisions[-1].state == \"approved\""'
call "$RITA" POST "/alerts/$A2/decision" '{"decision":"true-match","note":"same name, same place"}'
check "a reviewer may propose too" eval 'code_is 200 && jq_ok ".status == \"pending\""'
call "$RITA" POST "/alerts/$A2/review" '{"approve":true,"note":"mine"}'
check "four eyes: the proposer's own review is refused (400)" eval 'code_is 400 && err_says "four eyes"'
call "$ANA" POST "/alerts/$A2/decision" '{"decision":"false-positive","note":"again"}'
check "a pending alert takes no second proposal (400)" eval 'code_is 400 && err_says "pending"'
call "$ANA" POST "/alerts/$A2/nonsense" '{}'
check "an unknown alert action is 404" code_is 404
call "$ANA" GET "/alerts?status=pending"
check "the pending alerts are their own queue" eval 'jq_ok ".total == 1 and .alerts[0].id == $A2"'

# the audit trail
call "$RITA" GET "/audit?alert=$A3"
check "GET /audit: every step on the alert, in order, with its user" eval 'code_is 200 && jq_ok "[.trail[].action] == [\"opened\",\"assigned\",\"proposed\",\"approved\"] and .trail[2].user == \"ana\" and .trail[3].user == \"rita\" and .trail[3].versions[0].source == \"ofac\""'
call "$RITA" GET /audit
check "the whole trail holds the import" eval 'jq_ok "[.trail[].action] | index(\"imported\") != null"'
curl -s -o "$T/body" -H "Authorization: Bearer $RITA" "$U/audit.csv"
check "GET /audit.csv: the trail as CSV" eval 'head -1 "$T/body" | grep -q "^id,at,user,action,alert_id,customer_id,note,detail,versions$" && grep -q ",rita,approved,$A3,c3," "$T/body"'
call "$ANA" GET /audit
check "an analyst cannot read the whole trail (403)" code_is 403
check "no statement can change the trail" eval '! sqlite3 "$DB" "UPDATE audit SET user=1" 2>/dev/null && ! sqlite3 "$DB" "DELETE FROM audit" 2>/dev/null'

# customers
call "$ANA" GET "/customers?q=slizh"
check "GET /customers?q= finds by part of the name" eval 'code_is 200 && jq_ok ".total == 1 and .customers[0].id == \"c3\""'
call "$ANA" GET "/customers?limit=2&offset=2"
check "customers in pages" eval 'jq_ok ".total == 4 and (.customers | length) == 2"'
call "$ANA" GET /customers/c3
check "GET /customers/{id}: the customer with its alerts and trail" eval 'code_is 200 && jq_ok ".alerts[0].status == \"false-positive\" and (.trail | length) >= 4"'
call "$ANA" GET /customers/nobody
check "an unknown customer is 404" code_is 404

# a list change: the 2022 list designates 21845 (Jasmeet Hakimzada); a re-screen alerts
"$VIGIL" load --db "$DB" "$L/ofac/sdn-csv-2022-01" >/dev/null 2>&1
call "$ANA" GET /diff/ofac
check "GET /diff/{list}: what the new version added" eval 'code_is 200 && grep -q "21845" "$T/body"'
call "$ANA" GET "/diff/ofac?from=x"
check "a bad version is 400" code_is 400
call "$ANA" GET /diff/nosuchlist
check "an unknown list is 404" code_is 404
call "$ANA" POST /runs
wait_task "$ANA" "$(jq -r .id "$T/body")"
check "the re-screen after the list change opens the new alert" eval 'jq_ok ".status == \"done\" and .summary.alerts_new >= 1"'
call "$ANA" GET "/alerts?customer=c1"
check "the new alert is in the queue" eval 'jq_ok ".total == 1 and .alerts[0].entity.source_id == \"21845\""'
call "$ANA" GET "/alerts?customer=c3&status=any"
check "the approved false positive, its entity changed in 2022, is reopened as a new alert; the old stays decided" eval 'jq_ok ".total == 2 and ([.alerts[].status] | sort) == [\"false-positive\",\"open\"]"'

kill -TERM "$PID"
wait "$PID" 2>/dev/null
rc=$?
check "the server stopped cleanly and wrote no sanitizer report" eval '[ $rc = 0 ] && ! grep -q "ERROR: AddressSanitizer\|runtime error\|LeakSanitizer" "$T/server.err"'
PID=
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
