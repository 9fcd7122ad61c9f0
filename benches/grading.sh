#!/usr/bin/env bash
# Prints the compile time of a checker and the median and p99 of one grading
# (fresh instance + call) of a 50-record zone, zone parsing excluded.
# Usage: bash benches/grading.sh [RUNS]   (default 10000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release -q -p grader-benches --bin grading-bench
echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
target/release/grading-bench --runs "${1:-10000}"
