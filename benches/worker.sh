#!/usr/bin/env bash
# Load benchmark of the grader service: N lab-size submissions (the sample
# submissions of exercises/) through the real grader-worker, side by side
# with a no-op consumer (consume → publish a result-sized message with a
# confirm → ack) on the same broker, in one run. For each: msg/s with a
# pre-filled queue, and p50/p99 latency (publish → result) at a steady rate.
# Every result is counted and checked (worker-bench exits 1 if any is
# missing or wrong); duplicates are shown.
#
# Usage: bash benches/worker.sh [N]       (from any directory; N default 10000)
# Environment:
#   RATE=R           submissions per second of the steady phase (default 1000)
#   STEADY=M         submissions of the steady phase (default N)
#   AMQP_ADDR=H:P    the broker (default 127.0.0.1:5672), user guest/guest
#                    unless AMQP_USER / AMQP_PASSWORD say otherwise
#   WORKER_ARGS="…"  further grader-worker flags, e.g. "--concurrency 2"
#   ONLY=a,b         only the samples of these exercises (e.g. the unsigned
#                    lab zones: ONLY=zone-basics,delegation,reverse-zone,mail-and-caa,soa-and-ttl)
#
# Needs RabbitMQ on this machine: rabbitmqctl creates two vhosts for the run
# (deleted afterwards). The broker is installed (Debian package) and started
# when missing. The worker adds the checkers' rustup target itself.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh

N=${1:-10000}
RATE=${RATE:-1000}
STEADY=${STEADY:-$N}
AMQP_ADDR=${AMQP_ADDR:-127.0.0.1:5672}
AMQP_USER=${AMQP_USER:-guest}
AMQP_PASSWORD=${AMQP_PASSWORD:-guest}
TARGET=${CARGO_TARGET_DIR:-target}

for var in N RATE STEADY; do
    if ! [[ ${!var} =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $var must be a positive integer, got '${!var}'" >&2
        exit 2
    fi
done

if ((EUID == 0)); then
    as_root=()
elif command -v sudo >/dev/null; then
    if [[ -t 0 ]]; then as_root=(sudo); else as_root=(sudo -n); fi
else
    as_root=()
fi
rmq() { "${as_root[@]}" rabbitmqctl -q "$@"; }

# --- the broker ----------------------------------------------------------------
if ! command -v rabbitmqctl >/dev/null; then
    echo "==> Installing rabbitmq-server"
    apt_opts=(-o DPkg::Lock::Timeout=600)
    "${as_root[@]}" apt-get "${apt_opts[@]}" update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get "${apt_opts[@]}" install -y --no-install-recommends rabbitmq-server
fi
if ! rmq status >/dev/null 2>&1; then
    echo "==> Starting RabbitMQ"
    "${as_root[@]}" rabbitmq-server -detached
    for _ in $(seq 120); do
        rmq status >/dev/null 2>&1 && break
        sleep 1
    done
    rmq await_startup >/dev/null
fi

# --- the binaries --------------------------------------------------------------
echo "==> Building grader-worker and worker-bench (release)"
cargo build --release -q -p grader-worker --bin grader-worker
cargo build --release -q -p grader-benches --bin worker-bench

# --- one vhost per mode, deleted at exit ---------------------------------------
run_id="bench-$$-$(date +%s)"
vhosts=("$run_id-worker" "$run_id-noop")
cleanup() {
    for v in "${vhosts[@]}"; do rmq delete_vhost "$v" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
for v in "${vhosts[@]}"; do
    rmq add_vhost "$v" >/dev/null
    rmq set_permissions -p "$v" "$AMQP_USER" '.*' '.*' '.*' >/dev/null
done
url() { echo "amqp://$AMQP_USER:$AMQP_PASSWORD@$AMQP_ADDR/$1"; }

echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "broker: RabbitMQ $(rmq version 2>/dev/null || echo '?') at $AMQP_ADDR (vhosts ${vhosts[*]})"
# The broker's process, for its CPU time (when it runs on this machine).
bench_args=()
broker_pid=$(rmq eval 'list_to_integer(os:getpid()).' 2>/dev/null || true)
if [[ $broker_pid =~ ^[0-9]+$ && -d /proc/$broker_pid ]]; then
    bench_args+=(--broker-pid "$broker_pid")
fi
for a in ${WORKER_ARGS:-}; do bench_args+=("--worker-arg=$a"); done
if [[ -n ${ONLY:-} ]]; then bench_args+=(--only "$ONLY"); fi
"$TARGET/release/worker-bench" \
    --worker-url "$(url "${vhosts[0]}")" \
    --noop-url "$(url "${vhosts[1]}")" \
    --worker-bin "$TARGET/release/grader-worker" \
    --exercises exercises \
    --log-dir "$TARGET/worker-bench" \
    --messages "$N" --steady-messages "$STEADY" --rate "$RATE" \
    "${bench_args[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
