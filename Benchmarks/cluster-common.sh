# Sourced by the cluster benchmarks: a release labelindex, a scratch directory, and a cleanup
# that stops every process they started (PIDs in `pids`) and their etcd cluster ($work/etcd).
# SCRATCH: another build directory (say .build-release), so a debug build can run beside it.
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product labelindex >&2
bin=$scratch/release/labelindex
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    scripts/etcd-test-cluster stop "$work/etcd" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
wait_for() { for _ in $(seq 3000); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.01; done; return 1; }
