# lib.sh - what the shell tests share (sourced, with $T set to their
# temporary folder): a check that counts, and running a command while keeping
# its output, error output and exit code. Each test ends with
# echo "$passed passed, $failed failed".
passed=0
failed=0
check() { # check DESCRIPTION COMMAND... : passes when the command succeeds
  local d=$1; shift
  if "$@" >/dev/null 2>&1; then echo "ok - $d"; passed=$((passed + 1));
  else echo "not ok - $d"; failed=$((failed + 1)); fi
}
# run CMD...: runs the command, keeping stdout, stderr and the exit code.
run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }
out_has() { grep -q -- "$1" "$T/out"; }
err_has() { grep -q -- "$1" "$T/err"; }

# The tests of vigil serve (server.sh, security.sh, cases.sh): server_suite
# NAME makes $T (removed at the end, with the server $PID killed if it is
# still running), $DB in it, a free loopback $PORT and its $U.
server_suite() {
  T=$(mktemp -d "/tmp/vigil-$1-XXXXXX")
  PID=
  trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"' EXIT
  DB="$T/v.db"
  PORT=$("$(dirname "${BASH_SOURCE[0]}")/../scripts/free-port")
  U="http://127.0.0.1:$PORT"
}
# wait_ready URL [CURL OPTIONS]: until the server answers /readyz (60 s at most:
# a sanitizer build on a busy machine starts slowly); when the server $PID has
# exited, says so with the end of its error output ($T/server.err) and stops
# waiting
wait_ready() {
  local url=$1; shift
  for _ in $(seq 1 600); do
    curl -s "$@" "$url/readyz" >/dev/null 2>&1 && return
    if [ -n "${PID:-}" ] && ! kill -0 "$PID" 2>/dev/null; then
      echo "the server exited before it was ready:"
      tail -n 5 "$T/server.err" 2>/dev/null
      return
    fi
    sleep 0.1
  done
  echo "the server was not ready after 60 s"
}
# key_for USER ROLE: adds the user to $DB and prints a new key of theirs
key_for() {
  "$VIGIL" users add --db "$DB" "$1" --role "$2" >/dev/null
  "$VIGIL" keys create --db "$DB" "$1" 2>/dev/null | grep -o 'vigil_[0-9a-f]\{64\}'
}
