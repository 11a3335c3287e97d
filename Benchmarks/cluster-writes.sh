#!/usr/bin/env bash
# Durable writes through a replicated node beside the same writes on a single node, in one run
# (machines are shared and noisy: the ratio is the figure), and the replication lag under that
# load. Prints a Markdown table.
#
#   Benchmarks/cluster-writes.sh                 # 10 s per measurement, 64 connections
#   DURATION=20s CONNECTIONS=64 Benchmarks/cluster-writes.sh
#
# Writes: ProjectDiscovery label appends (P1, `POST /v1/asset/{id}/labels`) on 10,000 assets,
# each acknowledged once durable: on the single node after its group commit's fsync; on the
# cluster node once etcd committed the entry (quorum of 3 members, each fsyncing its WAL) and
# the node applied it.
# Lag: while the load runs, a probe writes on n1 and then reads on n2 with `min_seq` set to
# n1's `X-Applied-Seq`; the time from n1's acknowledgement to n2's answer bounds the time from
# the etcd commit to n2's apply (it adds one loopback request).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18637}
SAMPLES=${SAMPLES:-200}

scripts/install-system-packages
command -v wrk >/dev/null || {
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}
. Benchmarks/cluster-common.sh

# 10,000 assets on every store, written through the API (in a cluster, through the log).
seed() {
    python3 -c 'import sys; [print("{\"id\":%d,\"name\":\"a%d\"}" % (i, i)) for i in range(1, 10001)]' |
        curl -fs -X POST "$1/v1/assets" -H 'Content-Type: application/x-ndjson' --data-binary @- >/dev/null
}

cat >"$work/append.lua" <<'LUA'
-- POST /v1/asset/{id}/labels with a random asset and one of 64 labels: real changes, each
-- acknowledged only once durable.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    local body = string.format('{"labels":["bench-%d"]}', math.random(64))
    return wrk.format(nil, "/v1/asset/" .. math.random(10000) .. "/labels", nil, body)
end
LUA

# Runs wrk; prints "requests/s p99 non-2xx".
measure() {
    local output
    output=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/append.lua" "$1")
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$output") $(awk '$1 == "99%" {print $2}' <<<"$output") \
$(awk '/Non-2xx/ {print $5}' <<<"$output" | grep . || echo 0)"
}

# Single node, durable (the default).
$bin serve --data-dir "$work/single" --port "$PORT" --no-auth --log-level warning 2>"$work/single.log" &
pids+=($!)
wait_for "http://127.0.0.1:$PORT/healthz"
seed "http://127.0.0.1:$PORT"
echo "measuring single-node appends" >&2
read -r single single_p99 single_errors < <(measure "http://127.0.0.1:$PORT")
kill "${pids[0]}" && wait "${pids[0]}" 2>/dev/null || true
pids=()

# Two replicated nodes over a 3-member etcd cluster.
ETCD_TEST_PORT_BASE=${ETCD_TEST_PORT_BASE:-31800} scripts/etcd-test-cluster start "$work/etcd" >&2
etcd=$(python3 -c 'import json,sys; print(",".join(m["clientURL"] for m in json.load(open(sys.argv[1]))))' "$work/etcd/members.json")
$bin cluster init --etcd "$etcd" --partitions 8 >&2
for n in 1 2; do
    $bin serve --data-dir "$work/n$n" --node-name "n$n" --port $((PORT + n)) --etcd "$etcd" --no-auth \
        --log-level warning 2>"$work/n$n.log" &
    pids+=($!)
    wait_for "http://127.0.0.1:$((PORT + n))/healthz"
done
n1="http://127.0.0.1:$((PORT + 1))"
n2="http://127.0.0.1:$((PORT + 2))"
seed "$n1"

# The lag probe, in the background for as long as the load runs.
python3 - "$n1" "$n2" "$SAMPLES" >"$work/lag.txt" <<'PY' &
import http.client, sys, time, urllib.parse
n1, n2, samples = urllib.parse.urlparse(sys.argv[1]), urllib.parse.urlparse(sys.argv[2]), int(sys.argv[3])
writer = http.client.HTTPConnection(n1.hostname, n1.port)
reader = http.client.HTTPConnection(n2.hostname, n2.port)
time.sleep(1)  # the load is under way
lags = []
for i in range(samples):
    writer.request("POST", "/v1/asset/%d/labels" % (i % 10000 + 1), body='{"labels":["probe-%d"]}' % i,
                   headers={"Content-Type": "application/json"})
    response = writer.getresponse()
    response.read()
    seen = response.getheader("X-Applied-Seq")
    acknowledged = time.perf_counter()
    reader.request("GET", "/healthz?min_seq=" + urllib.parse.quote(seen))
    answer = reader.getresponse()
    answer.read()
    if answer.status == 200:
        lags.append(time.perf_counter() - acknowledged)
    time.sleep(0.02)
lags.sort()
print(len(lags), lags[len(lags) // 2] * 1000, lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000)
PY
probe=$!
echo "measuring replicated appends (and the lag)" >&2
read -r replicated replicated_p99 replicated_errors < <(measure "$n1")
wait "$probe"
read -r lag_samples lag_p50 lag_p99 <"$work/lag.txt"

cat <<TABLE
wrk -t2 -c$CONNECTIONS -d$DURATION, durable P1 appends on 10,000 assets, same run.

| write path | appends/s | p99 | × single node | non-2xx |
|---|---:|---:|---:|---:|
| single node (group commit, fsync) | $single | $single_p99 | 1.00× | $single_errors |
| replicated node (etcd quorum of 3, applied on the node) | $replicated | $replicated_p99 | $(awk -v a="$replicated" -v b="$single" 'BEGIN { printf "%.2f×", a / b }') | $replicated_errors |

Replication lag under that load (n1's acknowledgement → n2 has applied it, $lag_samples samples):
p50 $(printf '%.1f' "$lag_p50") ms, p99 $(printf '%.1f' "$lag_p99") ms.
TABLE
