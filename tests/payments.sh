#!/usr/bin/env bash
# Payment screening end to end (issue 18, docs/payments.md): vigil
# screen-message on the messages written for the tests (tests/data/payments:
# held for a listed party in each kind of field, passed when ordinary) and
# on the shared samples, its exit codes and JSON; vigil batch --format
# payments over a folder and over a file of many messages with a broken one
# among them; POST /screen/message on a loopback vigil serve, and bad bodies
# answered 4xx with the line and the field. Usage: tests/payments.sh
# VIGIL_BINARY. Prints "ok - ..." / "not ok - ..." per check and "N passed,
# M failed".
set -u
VIGIL=${1:-build/vigil}
S="${SHARED:-../shared}"
L="$S/lists"
P="$(dirname "$0")/data/payments"
. "$(dirname "$0")/lib.sh"
server_suite payments

"$VIGIL" load --db "$DB" "$L/un/un-consolidated-2026-02-27.xml" "$L/eu/eu-fsf-rebuilt-2026-08-14.xml" \
  "$L/uk/uk-sanctions-list-rebuilt-2026-04-16.xml" "$L/ofac/sdn-csv-2022-01" >/dev/null 2>&1

run "$VIGIL" screen-message --db "$DB" "$P/pacs008-hold.xml"
check "screen-message holds a pacs.008 paying a listed person (exit 3), naming the field" eval 'rc_is 3 && out_has "^HOLD  pacs.008.001.09" && out_has "party        CdtTrfTxInf\[2\]/Cdtr/Nm" && out_has "eu:14980080"'
check "the listed bank's BIC, its country, the IMO number and the whole name in the remittance line are hits of their own" eval 'out_has "bic          CdtTrfTxInf\[2\]/IntrmyAgt1" && out_has "jurisdiction CdtTrfTxInf\[2\]/IntrmyAgt1" && out_has "imo          CdtTrfTxInf\[2\]/RmtInf/Ustrd\[1\]" && out_has "text         CdtTrfTxInf\[2\]/RmtInf/Ustrd\[1\]"'
run "$VIGIL" screen-message --db "$DB" --json "$P/pacs009-cov.xml"
check "--json: the cover's underlying debtor in Cyrillic, Sevastopol a jurisdiction hit, the ids kept" eval 'rc_is 3 && jq -e ".decision == \"hold\" and .message.uetr == \"c3f1a2b4-1d2e-4f5a-8b9c-0d1e2f3a4b5c\" and .message.end_to_end_id == \"E2E-COV-42\" and any(.hits[]; .kind == \"party\" and .role == \"underlying_debtor\" and .source_id == \"14980080\") and any(.hits[]; .kind == \"jurisdiction\" and .value == \"Sevastopol\")" "$T/out"'
run "$VIGIL" screen-message --db "$DB" --json - <"$P/mt103-hold.txt"
check "an MT103 from standard input: the typed UN name in :50K:, the North Korean bank in :57A:" eval 'rc_is 3 && jq -e "any(.hits[]; .path == \":50K: line 2\" and .source_id == \"QDi.276\") and any(.hits[]; .kind == \"bic\" and .path == \":57A:\") and any(.hits[]; .kind == \"jurisdiction\" and .value == \"KP\")" "$T/out"'
run "$VIGIL" screen-message --db "$DB" --json "$P/mt202cov-hold.txt"
check "an MT202 COV: the underlying ordering customer (option F, with a date of birth)" eval 'rc_is 3 && jq -e ".message.type == \"MT202COV\" and any(.hits[]; .path == \"B/:50F: line 2\" and .role == \"underlying_ordering_customer\")" "$T/out"'
for f in "$P/pacs008-pass.xml" "$P/mt103-pass.txt" "$S"/payments/samples/*.xml; do
  run "$VIGIL" screen-message --db "$DB" "$f"
  check "$(basename "$f") passes (exit 0): common names, banks in ordinary countries" eval 'rc_is 0 && out_has "^PASS"'
done
printf '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09">\n<FIToFICstmrCdtTrf>\n<CdtTrfTxInf><Cdtr><Nm>x' >"$T/broken.xml"
run "$VIGIL" screen-message --db "$DB" "$T/broken.xml"
check "a broken message is refused (exit 1) with its file and line" eval 'rc_is 1 && err_has "broken.xml: line [0-9]*: malformed XML"'
run "$VIGIL" screen-message --db "$DB" "$T/none.xml"
check "a missing file exits 1" eval 'rc_is 1 && err_has "none.xml"'

# batch: a folder, and a file of many messages with a broken one among them
run "$VIGIL" batch --db "$DB" --format payments "$P"
check "batch --format payments over a folder: a JSON line per message, in file order" eval 'rc_is 0 && [ "$(wc -l <"$T/out")" = 6 ] && [ "$(jq -r .decision "$T/out" | sort | uniq -c | tr -s " " | tr "\n" ";")" = " 4 hold; 2 pass;" ] && err_has "6 messages, 4 held, 0 failed"'
{ cat "$P/mt103-pass.txt"; echo; echo '{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}{4:'; echo ':50B:NOBODY'; echo '-}'; cat "$P/mt103-hold.txt"; } >"$T/many.fin"
run "$VIGIL" batch --db "$DB" --format payments "$T/many.fin"
check "a file of three MT messages: the broken one gets an error line naming its field, the others go on (exit 1)" eval 'rc_is 1 && [ "$(wc -l <"$T/out")" = 3 ] && jq -s -e ".[1].status == \"error\" and (.[1].error | test(\":50B:\")) and .[1].index == 2 and .[2].decision == \"hold\" and .[0].decision == \"pass\"" "$T/out"'

# the server
"$VIGIL" serve --db "$DB" --port "$PORT" --no-auth 2>"$T/server.err" &
PID=$!
wait_ready "$U"
post() { curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary "@$1" "$U/screen/message" >"$T/code"; }
code_is() { [ "$(cat "$T/code")" = "$1" ]; }
post "$P/pacs008-hold.xml"
check "POST /screen/message holds the pacs.008, with the hits" eval 'code_is 200 && jq -e ".decision == \"hold\" and any(.hits[]; .path == \"CdtTrfTxInf[2]/Cdtr/Nm\")" "$T/body"'
HELD=$(jq -r .message_id "$T/body")
post "$P/mt103-pass.txt"
check "POST /screen/message passes an ordinary MT103" eval 'code_is 200 && jq -e ".decision == \"pass\" and .hits == []" "$T/body"'
PASSED=$(jq -r .message_id "$T/body")
get() { curl -s -o "$T/body" -w '%{http_code}' "$U$1" >"$T/code"; }
get "/messages/$HELD"
check "a held message is kept, its hits alerts in the queue (customer msg:ID)" eval 'code_is 200 && jq -e ".status == \"held\" and (.alerts | length) >= 5 and all(.alerts[]; .status == \"open\")" "$T/body"'
ALERTS=$(jq -r '.alerts[].id' "$T/body")
get "/alerts?customer=msg:$HELD&limit=100"
check "the queue lists the message's alerts, the jurisdiction's among them" eval 'code_is 200 && jq -e "(.alerts | length) >= 5 and any(.alerts[]; .entity.source == \"jurisdiction\")" "$T/body"'
check "each alert of a hit on a party is named after the party (the payee's alerts BASTRYKIN's)" eval 'jq -e "any(.alerts[]; .customer.name == \"BASTRYKIN, Aleksandr Ivanovich\") and any(.alerts[]; .customer.name == \"Pasargad Bank\")" "$T/body"'
get "/messages/$PASSED"
check "a passed message is kept too, with no alerts" eval 'code_is 200 && jq -e ".status == \"passed\" and .alerts == []" "$T/body"'
decide() { curl -s -o "$T/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "{\"decision\":\"$2\",\"note\":\"$3\"}" "$U/alerts/$1/decision" >"$T/code"; }
for a in $ALERTS; do decide "$a" false-positive "the payee is another man, the bank its namesake"; done
get "/messages/$HELD"
check "every alert a false positive: the message is released" eval 'code_is 200 && jq -e ".status == \"released\"" "$T/body"'
post "$P/pacs009-cov.xml"
COV=$(jq -r .message_id "$T/body")
get "/messages/$COV"
decide "$(jq -r '.alerts[0].id' "$T/body")" true-match "the investigator's brother-in-law confirms it"
get "/messages/$COV"
check "an alert a true match: the message is rejected" eval 'code_is 200 && jq -e ".status == \"rejected\"" "$T/body"'
get "/audit?customer=msg:$HELD"
check "the trail has the message held, its hits opened and decided" eval 'code_is 200 && jq -e "any(.trail[]; .action == \"opened\") and any(.trail[]; .action == \"decided\") and any(.trail[]; .action == \"message held\")" "$T/body"'
get "/messages/999999"
check "an unknown message is 404" eval 'code_is 404 && jq -e ".detail" "$T/body"'
post "$T/broken.xml"
check "a broken message is 422 with the line, as JSON" eval 'code_is 422 && jq -e ".detail | test(\"line [0-9]+: malformed XML\")" "$T/body"'
printf 'hello' >"$T/hello.txt"
post "$T/hello.txt"
check "a body that is no message is 422, saying what a message is" eval 'code_is 422 && jq -e ".detail | test(\"neither ISO 20022\")" "$T/body"'
curl -s -o "$T/body" -w '%{http_code}' -X POST "$U/screen/message" >"$T/code"
check "an empty body is 400" eval 'code_is 400 && jq -e ".detail" "$T/body"'
kill "$PID"; wait "$PID" 2>/dev/null; PID=
check "the server stopped without a sanitizer report" eval '! grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error" "$T/server.err"'

echo "$passed passed, $failed failed"
