#!/usr/bin/env bash
# Zone-check benchmark: times `grader zone check` against kzonecheck,
# nsd-checkzone and named-checkzone on a generated zone (gen-bench-zone).
#
# Usage: bash benches/zone-check.sh      (from any directory)
# Environment:
#   RECORDS=N       records in the generated zone (default 100000)
#   RUNS=R          timed runs per tool (default 5)
#   SKIP_GRADER=1   do not build or time the grader (e.g. before grader-cli exists)
# Exits 1 if a tool is missing or any tool exits non-zero on the zone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh

RECORDS=${RECORDS:-100000}
RUNS=${RUNS:-5}
SKIP_GRADER=${SKIP_GRADER:-0}
ORIGIN=bench.test.
TARGET=${CARGO_TARGET_DIR:-target}

for var in RECORDS RUNS; do
    if ! [[ ${!var} =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $var must be a positive integer, got '${!var}'" >&2
        exit 1
    fi
done

# --- Tools ---------------------------------------------------------------------
missing=()
for tool in kzonecheck nsd-checkzone named-checkzone nsd; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time")
if ((${#missing[@]} > 0)); then
    echo "Missing tools: ${missing[*]}. Run scripts/test.sh (which installs them)." >&2
    exit 1
fi

# --- Build and generate the zone -------------------------------------------
packages=(-p grader-benches)
[[ $SKIP_GRADER == 1 ]] || packages=(-p grader-cli "${packages[@]}")
cargo build --release "${packages[@]}"

mkdir -p "$TARGET/bench"
if ((RECORDS % 1000 == 0)); then
    zone="$TARGET/bench/bench-$((RECORDS / 1000))k.zone"
else
    zone="$TARGET/bench/bench-$RECORDS.zone"
fi
"$TARGET/release/gen-bench-zone" --records "$RECORDS" --origin "$ORIGIN" >"$zone"
grader="$TARGET/release/grader"

echo
echo "zone:     $zone ($(stat -c %s "$zone") bytes," \
    "$(grep -Evc '^[[:space:]]*($|;|\$)' "$zone") records)"
echo "machine:  nproc=$(nproc), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
echo "runs:     $RUNS per tool"
echo "versions:"
if [[ $SKIP_GRADER != 1 ]]; then
    version=$("$grader" --version 2>/dev/null | head -n1 || true)
    echo "  grader:          ${version:-unknown}"
fi
echo "  kzonecheck:      $(kzonecheck --version 2>&1 | head -n1 || true)"
echo "  nsd-checkzone:   $(nsd -v 2>&1 | head -n1 || true)"
echo "  named-checkzone: $(named-checkzone -v 2>&1 | head -n1 || true)"
echo

# --- Timing ------------------------------------------------------------------
row() { printf '%-16s %10s %12s %14s %6s\n' "$@"; }
row tool "best s" "median s" "peak RSS MiB" exit
row ---- ------ -------- ------------ ----

# shellcheck source=benches/measure.sh
. benches/measure.sh
any_failed=0

# bench NAME COMMAND...: run COMMAND $RUNS times (output discarded) and print a row.
bench() {
    local name=$1
    shift
    measure "$RUNS" "$@"
    row "$name" "$MEASURED_BEST" "$MEASURED_MEDIAN" "$MEASURED_PEAK" "$MEASURED_EXITS"
    if [[ $MEASURED_EXITS != 0 ]]; then
        any_failed=1
        echo "  ^ non-zero exit; to see why run: $*" >&2
    fi
}

if [[ $SKIP_GRADER != 1 ]]; then
    bench grader "$grader" zone check --origin "$ORIGIN" "$zone"
fi
bench kzonecheck kzonecheck -o "$ORIGIN" "$zone"
bench nsd-checkzone nsd-checkzone "$ORIGIN" "$zone"
bench named-checkzone named-checkzone -i local "$ORIGIN" "$zone"

exit "$any_failed"
