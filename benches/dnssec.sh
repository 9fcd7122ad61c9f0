#!/usr/bin/env bash
# DNSSEC validation benchmark: signs the generated benchmark zone
# (gen-bench-zone, 100,000 records) with ECDSA P-256 (algorithm 13), once
# with NSEC and once with NSEC3 (no salt, 0 iterations), then times
# `grader zone check --dnssec` beside kzonecheck, dnssec-verify and
# ldns-verify-zone on both signed zones, and prints wall time, peak RSS and
# exit status side by side.
#
# Target (the issue): the grader at most half of kzonecheck's wall time.
#
# Usage: bash benches/dnssec.sh      (from any directory)
# Environment:
#   RECORDS=N       records in the generated zone (default 100000)
#   RUNS=R          timed runs per tool and zone (default 3); best and median
#   RESIGN=1        sign again even when the cached signed zones are current
#   SKIP_GRADER=1   do not build or time the grader
# The keys and the signed zones are cached under target/bench/dnssec/, keyed
# by the SHA-256 of the unsigned zone, the keys and the signing options, so
# re-runs skip the signing (a few seconds per zone on two cores). Signatures
# are valid from 2024-01-01 to 2036-01-01: a cached zone does not expire.
# Exits 1 if a tool is missing or any tool exits non-zero on a zone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh

RECORDS=${RECORDS:-100000}
RUNS=${RUNS:-3}
RESIGN=${RESIGN:-0}
SKIP_GRADER=${SKIP_GRADER:-0}
ORIGIN=bench.test.
TARGET=${CARGO_TARGET_DIR:-target}
INCEPTION=20240101000000
EXPIRATION=20360101000000

for var in RECORDS RUNS; do
    if ! [[ ${!var} =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $var must be a positive integer, got '${!var}'" >&2
        exit 1
    fi
done

# --- Tools ---------------------------------------------------------------------
missing=()
for tool in dnssec-keygen dnssec-signzone dnssec-verify kzonecheck ldns-verify-zone sha256sum; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time")
if ((${#missing[@]} > 0)); then
    echo "Missing tools: ${missing[*]}. Run scripts/test.sh (which installs them:" \
        "Debian packages bind9-utils, knot-dnssecutils, ldnsutils, time)." >&2
    exit 1
fi

# --- Build and generate the zone -------------------------------------------------
packages=(-p grader-benches)
[[ $SKIP_GRADER == 1 ]] || packages=(-p grader-cli "${packages[@]}")
cargo build --release "${packages[@]}"
grader="$TARGET/release/grader"

work="$TARGET/bench/dnssec"
mkdir -p "$work"
unsigned="$work/bench-$RECORDS.zone"
"$TARGET/release/gen-bench-zone" --records "$RECORDS" --origin "$ORIGIN" >"$unsigned.new"
mv "$unsigned.new" "$unsigned"

# --- Keys and signing (cached) ---------------------------------------------------
keydir="$work/keys"
mkdir -p "$keydir"
# The KSK and the ZSK, made once; dnssec-signzone -S signs with every key of
# $keydir, so when either is missing both are made anew in an empty $keydir.
ksk=$(cat "$keydir/ksk" 2>/dev/null || true)
zsk=$(cat "$keydir/zsk" 2>/dev/null || true)
if [[ -z $ksk || -z $zsk || ! -f $keydir/$ksk.private || ! -f $keydir/$zsk.private ]]; then
    rm -f "$keydir"/K* "$keydir/ksk" "$keydir/zsk"
    ksk=$(dnssec-keygen -q -K "$keydir" -a ECDSAP256SHA256 -f KSK "$ORIGIN")
    zsk=$(dnssec-keygen -q -K "$keydir" -a ECDSAP256SHA256 "$ORIGIN")
    echo "$ksk" >"$keydir/ksk"
    echo "$zsk" >"$keydir/zsk"
fi

# sign NAME OPTIONS...: sign the unsigned zone into $work/NAME.signed unless
# the cached one was made from the same zone, keys and options.
sign() {
    local name=$1 out="$work/$1.signed"
    shift
    local stamp
    stamp=$( {
        sha256sum <"$unsigned"
        cat "$keydir/$ksk.key" "$keydir/$zsk.key"
        echo "$* -s $INCEPTION -e $EXPIRATION"
    } | sha256sum | cut -d' ' -f1)
    if [[ $RESIGN != 1 && -f $out && "$(cat "$out.stamp" 2>/dev/null)" == "$stamp" ]]; then
        echo "signed ($name): cached $out"
        return
    fi
    echo "signing ($name): dnssec-signzone $* ..."
    local start=$SECONDS
    # -S: smart signing, the keys of $keydir (the KSK and the ZSK) added as
    # the DNSKEY set; -P: no post-signing verification (the benchmark
    # verifies, three times); -O full: one record per line, names absolute;
    # -d: the dsset- file beside the signed zones, not in the working tree.
    dnssec-signzone -q -S -P -O full -o "$ORIGIN" -K "$keydir" -d "$work" \
        -s "$INCEPTION" -e "$EXPIRATION" \
        "$@" -f "$out.new" "$unsigned" >/dev/null
    mv "$out.new" "$out"
    echo "$stamp" >"$out.stamp"
    echo "signed ($name) in $((SECONDS - start)) s: $out"
}
sign nsec
sign nsec3 -3 - -H 0
zones=(nsec nsec3)

echo
echo "zone:     $unsigned ($(grep -Evc '^[[:space:]]*($|;|\$)' "$unsigned") records)," \
    "signed with ECDSAP256SHA256 (KSK $ksk, ZSK $zsk)"
for z in "${zones[@]}"; do
    echo "          $work/$z.signed: $(stat -c %s "$work/$z.signed") bytes," \
        "$(awk '$4 == "RRSIG"' "$work/$z.signed" | wc -l) RRSIGs"
done
echo "machine:  nproc=$(nproc), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
echo "runs:     $RUNS per tool and zone (best and median wall time, largest peak RSS)"
echo "versions:"
if [[ $SKIP_GRADER != 1 ]]; then
    echo "  grader:           $("$grader" --version 2>/dev/null | head -n1 || echo unknown)"
fi
echo "  kzonecheck:       $(kzonecheck --version 2>&1 | head -n1 || true)"
echo "  dnssec-verify:    $(dnssec-verify -V 2>&1 | head -n1 || true)"
echo "  ldns-verify-zone: $(ldns-verify-zone -v 2>&1 | head -n1 || true)"
echo

# --- Timing ------------------------------------------------------------------------
row() { printf '%-18s %-6s %8s %9s %13s %6s\n' "$@"; }
row tool zone "best s" "median s" "peak RSS MiB" exit
row ---- ---- ------ -------- ------------ ----

# shellcheck source=benches/measure.sh
. benches/measure.sh
any_failed=0
declare -A best_of

# bench NAME ZONE COMMAND...: run COMMAND $RUNS times (output discarded), print a row.
bench() {
    local name=$1 zone=$2
    shift 2
    measure "$RUNS" "$@"
    best_of[$name/$zone]=$MEASURED_BEST
    row "$name" "$zone" "$MEASURED_BEST" "$MEASURED_MEDIAN" "$MEASURED_PEAK" "$MEASURED_EXITS"
    if [[ $MEASURED_EXITS != 0 ]]; then
        any_failed=1
        echo "  ^ non-zero exit; to see why run: $*" >&2
    fi
}

for z in "${zones[@]}"; do
    file="$work/$z.signed"
    if [[ $SKIP_GRADER != 1 ]]; then
        bench grader "$z" "$grader" zone check --dnssec --origin "$ORIGIN" "$file"
    fi
    bench kzonecheck "$z" kzonecheck -o "$ORIGIN" -d on "$file"
    bench dnssec-verify "$z" dnssec-verify -q -o "$ORIGIN" "$file"
    bench ldns-verify-zone "$z" ldns-verify-zone -V 1 "$file"
done

if [[ $SKIP_GRADER != 1 ]]; then
    echo
    for z in "${zones[@]}"; do
        awk -v g="${best_of[grader/$z]}" -v k="${best_of[kzonecheck/$z]}" -v z="$z" 'BEGIN {
            r = g / k
            printf "%-6s grader / kzonecheck = %.2f (target <= 0.50: %s)\n", z, r, r <= 0.5 ? "met" : "NOT met"
        }'
    done
fi

exit "$any_failed"
