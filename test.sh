#!/usr/bin/env bash
# The test command: installs the pinned Azurite (npm ci) when needed, builds the solution once, runs every test
# project (VSTest, TRX logger) and prints as its very last line:
#   Tests: N passed, N failed, N skipped
# Extra arguments go to `dotnet test` (e.g. --filter "TestCategory!=Slow"). SOLUTION overrides the solution file.
# Exits non-zero if the build or `dotnet test` fails, if any test failed, or if no test ran.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
SOLUTION="${SOLUTION:-Orchestration.sln}"

passed=0
failed=0
skipped=0
# The summary is printed on every exit path (including a failed npm ci or build), always as the last line.
trap 'echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"' EXIT

if [[ ! -d node_modules/azurite || ! -f node_modules/.package-lock.json \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "test.sh: installing Azurite (npm ci)..."
  npm ci --no-audit --no-fund
fi

RESULTS="$(mktemp -d "${TMPDIR:-/tmp}/orchestration-tests.XXXXXX")"

dotnet build "$SOLUTION" -c Release

test_rc=0
dotnet test "$SOLUTION" -c Release --no-build \
  --logger "trx;LogFilePrefix=results" --results-directory "$RESULTS" "$@" || test_rc=$?

# Sum the <Counters .../> of every TRX file. For MSTest [Ignore]d (and Inconclusive) tests VSTest writes
# outcome="NotExecuted" on the result but leaves the notExecuted/inconclusive counters at 0; they only show in
# total (and not in executed), so skipped = total - passed - failed.
trx_files=()
while IFS= read -r -d '' file; do
  trx_files+=("$file")
done < <(find "$RESULTS" -type f -name '*.trx' -print0)

if ((${#trx_files[@]} == 0)); then
  echo "test.sh: no TRX files found in $RESULTS (no test project ran?)"
else
  read -r passed failed skipped < <(awk '
    function counter(name,    v) {
      if (match($0, "[ \t\r\n]" name "=\"[0-9]+\"")) {
        v = substr($0, RSTART, RLENGTH)
        gsub(/[^0-9]/, "", v)
        return v + 0
      }
      return 0
    }
    BEGIN { RS = "<"; p = 0; f = 0; s = 0 }
    /^Counters[ \t\r\n]/ {
      t = counter("total")
      pa = counter("passed")
      fa = counter("failed") + counter("error") + counter("timeout") + counter("aborted")
      sk = t - pa - fa
      if (sk < 0) sk = 0
      p += pa; f += fa; s += sk
    }
    END { print p, f, s }
  ' "${trx_files[@]}")
  echo "test.sh: TRX files in $RESULTS"
fi

rc=0
if ((test_rc != 0)); then
  rc=$test_rc
elif ((failed > 0)); then
  rc=1
elif ((passed + failed == 0)); then
  echo "test.sh: no tests ran"
  rc=1
fi
exit "$rc"
