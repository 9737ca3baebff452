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
