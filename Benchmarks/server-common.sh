# Sourced by the single-server benchmarks (server.sh, soak.sh): wrk, release builds of
# labelindex and labelindex-bench, a scratch directory, and a cleanup that stops the server
# (its PID in `server`). SCRATCH: another build directory (say .build-release).
scripts/install-system-packages
command -v wrk >/dev/null || {
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product labelindex >&2
swift build -c release --scratch-path "$scratch" --product labelindex-bench >&2
bin=$scratch/release/labelindex
bench=$scratch/release/labelindex-bench
work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
# Waits until the server answers /healthz on $1.
wait_for_server() { for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
