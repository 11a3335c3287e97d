#!/usr/bin/env bash
# Measures the HTTP server with wrk on loopback, each endpoint beside the trivial /healthz
# route in the same run, and prints a Markdown table of ratios (machines are shared and noisy,
# so only same-run ratios mean something).
#
#   Benchmarks/server.sh                  # 100,000 assets, 10 s per measurement
#   ASSETS=1000000 DURATION=20s Benchmarks/server.sh
#
# Measures: GET /healthz (the floor), GET /v1/query with a page of 100 full assets, a page of
# 100 ids (fields=id) and count_only,
# and durable ProjectDiscovery label appends (P1, group commit) from 64 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS=${ASSETS:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18437}

# shellcheck source=Benchmarks/server-common.sh
source Benchmarks/server-common.sh

"$bench" generate --assets "$ASSETS" --out "$work/workload" >&2
$bin import --data-dir "$work/db" --namespace bench/default \
    "$work/workload/labels.ndjson" "$work/workload/assets.ndjson" >&2
key=$($bin keys create --account bench --data-dir "$work/db" 2>/dev/null)
# Asset ids for the append script: the first 10,000 assets of the workload.
head -n 10000 "$work/workload/assets.ndjson" | grep -oE '^\{"id":-?[0-9]+' | cut -d: -f2 >"$work/ids.txt"

$bin serve --data-dir "$work/db" --port "$PORT" --log-level warning 2>"$work/server.log" &
server=$!
wait_for_server "$PORT"

cat >"$work/append.lua" <<LUA
-- POST /v1/asset/{id}/labels with a random asset and one of 64 labels: real changes, each
-- acknowledged only after its group's durable commit.
local ids = {}
for line in io.lines("$work/ids.txt") do ids[#ids + 1] = line end
wrk.method = "POST"
wrk.headers["X-API-Key"] = "$key"
wrk.headers["Content-Type"] = "application/json"
request = function()
    local id = ids[math.random(#ids)]
    local body = string.format('{"labels":["bench-%d"]}', math.random(64))
    return wrk.format(nil, "/v1/asset/" .. id .. "/labels", nil, body)
end
LUA

# Runs wrk; prints "requests/s p99-ms non-2xx".
measure() {
    local output
    output=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$output")
    echo "$rps ${p99:-?} ${errors:-0}"
}

query="label:env-prod%20AND%20NOT%20label:team-platform"
base="http://127.0.0.1:$PORT"
echo "measuring /healthz" >&2
read -r floor floor_p99 floor_errors < <(measure "$base/healthz")
echo "measuring /v1/query (page of 100)" >&2
read -r page page_p99 page_errors < <(measure -H "X-API-Key: $key" -H "X-Namespace: default" \
    "$base/v1/query?q=$query&limit=100")
echo "measuring /v1/query (page of 100 ids)" >&2
read -r ids ids_p99 ids_errors < <(measure -H "X-API-Key: $key" -H "X-Namespace: default" \
    "$base/v1/query?q=$query&limit=100&fields=id")
echo "measuring /v1/query (count_only)" >&2
read -r count count_p99 count_errors < <(measure -H "X-API-Key: $key" -H "X-Namespace: default" \
    "$base/v1/query?q=$query&count_only=true")
echo "measuring P1 appends" >&2
read -r append append_p99 append_errors < <(measure -s "$work/append.lua" "$base")
echo "measuring /healthz again" >&2
read -r floor2 floor2_p99 _ < <(measure "$base/healthz")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
mean_floor=$(awk -v a="$floor" -v b="$floor2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
cat <<TABLE
$ASSETS assets, wrk -t2 -c$CONNECTIONS -d$DURATION, same run; the floor is the mean of /healthz before and after.

| endpoint | requests/s | p99 | × /healthz | non-2xx |
|---|---:|---:|---:|---:|
| GET /healthz (floor) | $floor / $floor2 | $floor_p99 / $floor2_p99 | 1.00× | $floor_errors |
| GET /v1/query, page of 100 full assets | $page | $page_p99 | $(ratio "$page" "$mean_floor") | $page_errors |
| GET /v1/query, page of 100, fields=id | $ids | $ids_p99 | $(ratio "$ids" "$mean_floor") | $ids_errors |
| GET /v1/query, count_only | $count | $count_p99 | $(ratio "$count" "$mean_floor") | $count_errors |
| POST /v1/asset/{id}/labels (durable, group commit) | $append | $append_p99 | $(ratio "$append" "$mean_floor") | $append_errors |
TABLE
