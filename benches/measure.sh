# Sourced by the benchmark scripts: runs a command several times and
# summarises its wall time and peak memory (GNU time, Debian package `time`).
#
# measure RUNS COMMAND...: runs COMMAND RUNS times, output discarded, and
# sets MEASURED_BEST and MEASURED_MEDIAN (wall seconds), MEASURED_PEAK (peak
# RSS, MiB) and MEASURED_EXITS (the distinct exit statuses, `0/1`).
measure() {
    local runs=$1 i rc wall rss timing
    shift
    timing=$(mktemp)
    local walls=() rsses=() codes=()
    for ((i = 0; i < runs; i++)); do
        rc=0
        /usr/bin/time -f '%e %M' -o "$timing" "$@" >/dev/null 2>&1 || rc=$?
        # On failure GNU time writes "Command exited with ..." first; the
        # formatted line is always last.
        read -r wall rss < <(tail -n1 "$timing")
        walls+=("$wall") rsses+=("$rss") codes+=("$rc")
    done
    rm -f "$timing"
    MEASURED_BEST=$(printf '%s\n' "${walls[@]}" | sort -g | head -n1)
    MEASURED_MEDIAN=$(printf '%s\n' "${walls[@]}" | sort -g | awk '
        { v[NR] = $1 }
        END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    MEASURED_PEAK=$(printf '%s\n' "${rsses[@]}" | sort -g | tail -n1 | awk '{ printf "%.1f", $1 / 1024 }')
    MEASURED_EXITS=$(printf '%s\n' "${codes[@]}" | sort -un | paste -sd/)
}
