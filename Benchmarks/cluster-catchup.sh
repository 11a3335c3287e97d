#!/usr/bin/env bash
# Measures how long a new (or wiped) cluster node takes to catch up from a peer's snapshot:
# from its start until it serves, holding every asset. Beside it, in the same run, the time
# to copy the same store with cp (the floor of moving the bytes on this machine), so the
# figure is a ratio (machines are shared and noisy).
#
#   Benchmarks/cluster-catchup.sh                 # 1,000,000 assets (the issue's workload)
#   ASSETS=100000 Benchmarks/cluster-catchup.sh
#
# n1 holds an imported store and takes a snapshot; n2 starts with an empty data directory,
# fetches n1's snapshot over HTTP, checks its SHA-256, installs it and follows the log.
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS=${ASSETS:-1000000}
PORT=${PORT:-18537}

scripts/install-system-packages
. Benchmarks/cluster-common.sh
swift build -c release --scratch-path "$scratch" --product labelindex-bench >&2
now() { date +%s.%N; }

"$scratch/release/labelindex-bench" generate --assets "$ASSETS" --out "$work/workload" >&2
$bin import --data-dir "$work/n1" --namespace dev/default --no-progress \
    "$work/workload/labels.ndjson" "$work/workload/assets.ndjson" >&2
ETCD_TEST_PORT_BASE=${ETCD_TEST_PORT_BASE:-31700} scripts/etcd-test-cluster start "$work/etcd" >&2
etcd=$(python3 -c 'import json,sys; print(",".join(m["clientURL"] for m in json.load(open(sys.argv[1]))))' "$work/etcd/members.json")
flags=(--etcd "$etcd" --no-auth --log-level info --snapshot-interval 1 --trim-interval 0)
$bin cluster init --etcd "$etcd" --partitions 4 >&2

$bin serve --data-dir "$work/n1" --node-name n1 --port "$PORT" "${flags[@]}" 2>"$work/n1.log" &
pids+=($!)
wait_for "http://127.0.0.1:$PORT/healthz"
curl -fs -X PUT "http://127.0.0.1:$PORT/v1/assets/-1" -H 'Content-Type: application/json' \
    -d '{"name":"marker","labels":["marker"]}' >/dev/null
# Until n1's registration names a snapshot.
for _ in $(seq 600); do
    $bin cluster status --etcd "$etcd" --json | grep -q '"sha256"' && break
    sleep 0.2
done
snapshot_bytes=$(du -b "$work"/n1/snapshots/*/data.mdb | sort -n | tail -1 | cut -f1)

start=$(now)
cp "$(ls -d "$work"/n1/snapshots/*/ | tail -1)data.mdb" "$work/copy.mdb"
sync "$work/copy.mdb"
copied=$(now)

start2=$(now)
$bin serve --data-dir "$work/n2" --node-name n2 --port $((PORT + 1)) "${flags[@]}" 2>"$work/n2.log" &
pids+=($!)
wait_for "http://127.0.0.1:$((PORT + 1))/healthz"
served=$(now)
assets=$(curl -fs "http://127.0.0.1:$((PORT + 1))/v1/stats" | python3 -c 'import json,sys; print(sum(n["assets"] for n in json.load(sys.stdin)["namespaces"]))')
grep -q "installed a snapshot" "$work/n2.log" || {
    echo "n2 did not install a snapshot:" >&2
    cat "$work/n2.log" >&2
    $bin cluster status --etcd "$etcd" --json >&2
    exit 1
}
[ "$assets" -eq $((ASSETS + 1)) ] || { echo "n2 holds $assets assets, expected $((ASSETS + 1))" >&2; exit 1; }

python3 - "$ASSETS" "$snapshot_bytes" "$start" "$copied" "$start2" "$served" <<'PY'
import sys
assets, size, start, copied, start2, served = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
catch_up, copy = served - start2, copied - start
print(f"| assets | snapshot | catch-up (start → serving, every asset) | cp of the snapshot | ratio |")
print(f"|---:|---:|---:|---:|---:|")
print(f"| {assets:,} | {size / 2**20:,.0f} MiB | {catch_up:.2f} s | {copy:.2f} s | {catch_up / copy:.1f}× |")
PY
