#!/usr/bin/env bash
# Full test run for the workspace (also what CI runs, via .ci/run):
#   1. install the Debian DNS tools the tests compare against (only if missing),
#   2. make sure the wasm32-wasip2 Rust target is installed,
#   3. cargo fmt --check, clippy (warnings are errors), tests, doctests.
# Usage: bash scripts/test.sh   (from any directory)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh

# --- 1. Debian packages ------------------------------------------------------
PACKAGES=(bind9 bind9-utils bind9-dnsutils nsd knot knot-dnsutils knot-dnssecutils ldnsutils unbound time rabbitmq-server socat openssl chromium chromium-driver)

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
    echo "==> Installing missing Debian packages: ${missing[*]}"
    if ((EUID == 0)); then
        as_root=()
    elif command -v sudo >/dev/null; then
        # Without a terminal (CI) sudo must not wait for a password prompt.
        if [[ -t 0 ]]; then as_root=(sudo); else as_root=(sudo -n); fi
    else
        echo "error: packages missing (${missing[*]}) and not root, and sudo is not available." >&2
        echo "       Install them as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    # Wait for the dpkg lock (e.g. unattended-upgrades on a fresh VM) instead of failing.
    apt_opts=(-o DPkg::Lock::Timeout=600)
    "${as_root[@]}" apt-get "${apt_opts[@]}" update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"
fi

# --- RabbitMQ ----------------------------------------------------------------
# The worker's tests (tests/worker_e2e.rs, tests/worker_fault.rs) need a broker
# on 127.0.0.1:5672 with the default guest/guest user, and rabbitmqctl.
if ((EUID == 0)); then
    rabbit_as_root=()
elif [[ -t 0 ]]; then
    rabbit_as_root=(sudo)
else
    rabbit_as_root=(sudo -n)
fi
if ! "${rabbit_as_root[@]}" rabbitmqctl status >/dev/null 2>&1; then
    echo "==> Starting RabbitMQ"
    "${rabbit_as_root[@]}" rabbitmq-server -detached
    rabbit_deadline=$((SECONDS + 60))
    until "${rabbit_as_root[@]}" rabbitmqctl --timeout 10 await_startup >/dev/null 2>&1; do
        if ((SECONDS >= rabbit_deadline)); then
            echo "error: RabbitMQ did not start within 60 s (rabbitmq-server -detached);" >&2
            echo "       see /var/log/rabbitmq/ and \`rabbitmqctl status\`." >&2
            exit 1
        fi
        sleep 1
    done
    echo "==> RabbitMQ is running on 127.0.0.1:5672"
fi

# --- PostgreSQL --------------------------------------------------------------
# The gradebook tests (tests/gradebook.rs, regrade.rs, gradebook_worker.rs)
# need PostgreSQL on 127.0.0.1:5432 with trust authentication for the user
# postgres over TCP (how this machine's cluster is set up), and psql.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "==> Starting PostgreSQL"
    for cluster in /etc/postgresql/*/main; do
        [[ -d "$cluster" ]] || continue
        version=$(basename "$(dirname "$cluster")")
        "${rabbit_as_root[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    pg_deadline=$((SECONDS + 30))
    until pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; do
        if ((SECONDS >= pg_deadline)); then
            echo "error: PostgreSQL is not answering on 127.0.0.1:5432; the gradebook tests need it" >&2
            echo "       (Debian packages postgresql and postgresql-client; start it with" >&2
            echo "       pg_ctlcluster --skip-systemctl-redirect VERSION main start)." >&2
            exit 1
        fi
        sleep 1
    done
    echo "==> PostgreSQL is running on 127.0.0.1:5432"
fi

# --- 2. Rust targets ---------------------------------------------------------
command -v rustup >/dev/null || { echo "error: rustup not found (install Rust via rustup)" >&2; exit 1; }
# (captured first: `rustup ... | grep -q` could die of SIGPIPE under pipefail)
# Checkers build for wasm32-unknown-unknown (no imports); the sandbox tests
# also build one for wasm32-wasip2 to prove WASI imports are refused.
installed_targets=$(rustup target list --installed)
for target in wasm32-unknown-unknown wasm32-wasip2; do
    if ! grep -qx "$target" <<<"$installed_targets"; then
        echo "==> Installing Rust target $target"
        rustup target add "$target"
    fi
done

# --- 3. Checks and tests -----------------------------------------------------
# Every step runs even if an earlier one failed, so one CI run reports all
# problems; the script fails at the end if any step failed.
failed=()
step() {
    echo
    echo "==> $*"
    if ! "$@"; then
        failed+=("$*")
    fi
}

step cargo fmt --all --check
step cargo clippy --workspace --all-targets --locked -- -D warnings
# The binaries the end-to-end tests run, built once with the same command
# the tests use (tests/common/mod.rs, build_binary), so no test builds them.
step cargo build --workspace --bins --locked
if cargo nextest --version >/dev/null 2>&1; then
    step cargo nextest run --workspace --locked --no-fail-fast
else
    step cargo test --workspace --locked --no-fail-fast
fi
# nextest does not run doctests.
step cargo test --workspace --doc --locked
# The checker SDK (its own workspace, host unit tests and doctests).
step cargo test --manifest-path checker-sdk/Cargo.toml --locked
step cargo clippy --manifest-path exercises/Cargo.toml --target wasm32-unknown-unknown --locked -- -D warnings
# Every exercise, checkers built from source, on all its sample submissions.
exercise_dirs=()
for def in exercises/*/exercise.toml; do exercise_dirs+=("${def%/exercise.toml}"); done
step "${CARGO_TARGET_DIR:-target}/debug/grader" exercise test "${exercise_dirs[@]}"

echo
if ((${#failed[@]} > 0)); then
    echo "==> FAILED steps:"
    printf '      %s\n' "${failed[@]}"
    exit 1
fi
echo "==> All checks passed."
