#!/usr/bin/env bash
# Wall time of one full grading of a submission with a target: the 20 probes
# of benches/exercises/twenty-probes sent at once to a real authoritative
# server on loopback (Knot DNS, then NSD, serving
# tests/servers/zones/grp7.lab.example.zone), then the checker. Prints per
# server the median, p95 and max of a grading and of its parts (probing,
# grading, the checker), and whether the goal of issue 6 (under 50 ms) is
# met. Every result is checked (full marks, every probe answered as the zone
# says); probe-bench exits 1 if any is wrong.
#
# Usage: bash benches/probe.sh [N]        (from any directory; N default 300)
# Environment:
#   WARMUP=W        gradings per server before measuring (default 20)
#   CONCURRENCY=C   gradings at once (default 1: one after the other)
#   RATE=R          gradings started per second (default 20: each grading
#                   on its own, as when every probe goes to another
#                   student's server; 0: back to back)
#   SERVERS=a,b     knot, nsd, bind (default knot,nsd)
#
# Installs nothing: the servers come from the Debian packages knot and nsd
# (bind9 for SERVERS=bind), which `bash scripts/test.sh` installs; the
# checker is built for wasm32-unknown-unknown (added with rustup when
# missing, as the worker does).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh

N=${1:-300}
WARMUP=${WARMUP:-20}
CONCURRENCY=${CONCURRENCY:-1}
RATE=${RATE:-20}
SERVERS=${SERVERS:-knot,nsd}
TARGET=${CARGO_TARGET_DIR:-target}

for var in N CONCURRENCY; do
    if ! [[ ${!var} =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $var must be a positive integer, got '${!var}'" >&2
        exit 2
    fi
done
for var in WARMUP RATE; do
    if ! [[ ${!var} =~ ^[0-9]+$ ]]; then
        echo "error: $var must be a non-negative integer, got '${!var}'" >&2
        exit 2
    fi
done

# --- the servers ---------------------------------------------------------------
missing=()
versions=()
IFS=, read -ra servers <<<"$SERVERS"
for s in "${servers[@]}"; do
    case $s in
        knot) program=knotd package=knot version=(knotd --version) ;;
        nsd) program=nsd package=nsd version=(nsd -v) ;;
        bind) program=named package=bind9 version=(named -v) ;;
        *)
            echo "error: unknown server '$s' in SERVERS (knot, nsd, bind)" >&2
            exit 2
            ;;
    esac
    if command -v "$program" >/dev/null; then
        versions+=("$("${version[@]}" 2>&1 | sed -n 1p)")
    else
        missing+=("$package")
    fi
done
if ((${#missing[@]})); then
    echo "error: not installed: ${missing[*]} (Debian packages); \`bash scripts/test.sh\` installs them, or \`apt-get install ${missing[*]}\`" >&2
    exit 2
fi
if ! command -v setpriv >/dev/null; then
    echo "error: setpriv is not installed (Debian package util-linux): the servers are started with it" >&2
    exit 2
fi

# --- the binary ----------------------------------------------------------------
echo "==> Building probe-bench (release)"
cargo build --release -q -p grader-benches --bin probe-bench

echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "servers: $(printf '%s; ' "${versions[@]}" | sed 's/; $//')"
"$TARGET/release/probe-bench" --submissions "$N" --warmup "$WARMUP" \
    --concurrency "$CONCURRENCY" --rate "$RATE" --servers "$SERVERS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
