#!/usr/bin/env bash
# Report benchmark: times `grader report` (release build) over N realistic
# results (gen-results: the exercises' samples graded for real, handed to
# ~N/10 learners in two courses, 1 to 3 attempts each), read from an SQLite
# gradebook and from a JSON-lines file, as HTML (the budget: under 2 s for
# 10,000 results), and as a table and CSV for comparison.
#
# Usage: bash benches/report.sh      (from any directory)
# Environment:
#   RESULTS=N   results generated (default 10000)
#   RUNS=R      timed runs per row (default 5)
#   BUDGET=S    the most seconds the median HTML run may take (default 2)
# Exits 1 if a run fails or an HTML median is over the budget.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh

RESULTS=${RESULTS:-10000}
RUNS=${RUNS:-5}
BUDGET=${BUDGET:-2}
TARGET=${CARGO_TARGET_DIR:-target}

for var in RESULTS RUNS; do
    if ! [[ ${!var} =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $var must be a positive integer, got '${!var}'" >&2
        exit 1
    fi
done
[[ -x /usr/bin/time ]] || {
    echo "Missing /usr/bin/time (Debian package time). Run scripts/test.sh (which installs it)." >&2
    exit 1
}

# --- Build and generate the results -----------------------------------------
cargo build --release -p grader-cli -p grader-benches --bin grader --bin gen-results

mkdir -p "$TARGET/bench"
jsonl="$TARGET/bench/report-results-$RESULTS.jsonl"
book="$TARGET/bench/report-gradebook-$RESULTS.db"
html="$TARGET/bench/report-$RESULTS.html"
rm -f "$book" "$book-wal" "$book-shm"
"$TARGET/release/gen-results" --results "$RESULTS" --jsonl "$jsonl" --gradebook "$book"
grader="$TARGET/release/grader"

echo
echo "results:  $RESULTS ($(stat -c %s "$jsonl") bytes of JSON lines; gradebook $(stat -c %s "$book") bytes)"
echo "machine:  nproc=$(nproc), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
echo "runs:     $RUNS per row; budget for HTML: ${BUDGET} s (median)"
echo "grader:   $("$grader" --version 2>/dev/null | head -n1 || true)"
echo

# --- Timing ------------------------------------------------------------------
row() { printf '%-24s %10s %12s %14s %6s %8s\n' "$@"; }
row report "best s" "median s" "peak RSS MiB" exit budget
row ------ ------ -------- ------------ ---- ------

# shellcheck source=benches/measure.sh
. benches/measure.sh
any_failed=0

# bench NAME HTML? COMMAND...: run COMMAND $RUNS times and print a row; an
# HTML row is held to the budget.
bench() {
    local name=$1 budgeted=$2 verdict=-
    shift 2
    measure "$RUNS" "$@"
    if [[ $budgeted == 1 ]]; then
        if awk -v m="$MEASURED_MEDIAN" -v b="$BUDGET" 'BEGIN { exit !(m < b) }'; then
            verdict=ok
        else
            verdict=OVER
            any_failed=1
        fi
    fi
    row "$name" "$MEASURED_BEST" "$MEASURED_MEDIAN" "$MEASURED_PEAK" "$MEASURED_EXITS" "$verdict"
    if [[ $MEASURED_EXITS != 0 ]]; then
        any_failed=1
        echo "  ^ non-zero exit; to see why run: $*" >&2
    fi
}

bench "html, SQLite gradebook" 1 "$grader" report --gradebook "$book" --format html --output "$html"
bench "html, JSON lines" 1 "$grader" report --results "$jsonl" --format html --output "$html"
bench "table, SQLite gradebook" 0 "$grader" report --gradebook "$book"
bench "csv, SQLite gradebook" 0 "$grader" report --gradebook "$book" --format csv

echo
echo "html:     $html ($(stat -c %s "$html") bytes)"
exit "$any_failed"
