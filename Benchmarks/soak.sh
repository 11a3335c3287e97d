#!/usr/bin/env bash
# Memory under a long mixed load: the server on a generated store, wrk sending queries of
# ever new texts (the prepared-query cache), pages and counts over every label (the postings
# caches), label appends that create new labels (the label-name cache) and requests from
# several accounts (the key cache), while the server's RSS and anonymous memory are sampled.
# Prints a Markdown table per sample interval and the growth over the last third of the run,
# which is what says whether memory levels off (caches are bounded by bytes; a leak keeps
# growing). RSS includes the pages of the store's memory map, which grow with the data (the
# appends add labels); anonymous memory is the process's own heap, where caches live.
#
#   Benchmarks/soak.sh                          # 100,000 assets, 10 minutes, a sample every 30 s
#   DURATION=900 SAMPLE=60 Benchmarks/soak.sh   # the hardening issue's 15 minutes
#
# The caches are left at their defaults unless SERVE_FLAGS says otherwise, for example
# SERVE_FLAGS="--postings-cache-mib 16" to see the level move with the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS=${ASSETS:-100000}
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-30}
CONNECTIONS=${CONNECTIONS:-32}
ACCOUNTS=${ACCOUNTS:-4}
PORT=${PORT:-18438}
# How many distinct labels the appends draw from (soak-1…): new labels grow the store and
# what is derived from it; a small number keeps the data's size fixed.
APPEND_LABELS=${APPEND_LABELS:-20000}
SERVE_FLAGS=${SERVE_FLAGS:-}

# shellcheck source=Benchmarks/server-common.sh
source Benchmarks/server-common.sh

"$bench" generate --assets "$ASSETS" --out "$work/workload" >&2
$bin import --data-dir "$work/db" --namespace soak0/default \
    "$work/workload/labels.ndjson" "$work/workload/assets.ndjson" >&2
: >"$work/keys.txt"
for account in $(seq 0 $((ACCOUNTS - 1))); do
    $bin keys create --account "soak$account" --data-dir "$work/db" 2>/dev/null >>"$work/keys.txt"
done
grep -oE '"label":"[^"]+"' "$work/workload/labels.ndjson" | cut -d'"' -f4 >"$work/labels.txt"
head -n 10000 "$work/workload/assets.ndjson" | grep -oE '^\{"id":-?[0-9]+' | cut -d: -f2 >"$work/ids.txt"

# shellcheck disable=SC2086
$bin serve --data-dir "$work/db" --port "$PORT" --log-level warning $SERVE_FLAGS 2>"$work/server.log" &
server=$!
wait_for_server "$PORT"

cat >"$work/mix.lua" <<LUA
-- Each thread draws its own sequence; a request is one of: a page of 100 full assets for
-- two random labels (a new query text almost every time), a count, a page of ids, or an
-- append of a label from a growing set to a random asset. Most queries go to the loaded
-- account, the rest to the empty ones.
local labels, ids, keys = {}, {}, {}
for line in io.lines("$work/labels.txt") do labels[#labels + 1] = line end
for line in io.lines("$work/ids.txt") do ids[#ids + 1] = line end
for line in io.lines("$work/keys.txt") do keys[#keys + 1] = line end
local counter = 0
setup = function(thread) thread:set("seed", math.random(1000000)) end
init = function() math.randomseed(seed) end
request = function()
    counter = counter + 1
    local key = keys[1]
    if math.random(10) == 1 then key = keys[math.random(#keys)] end
    local headers = { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }
    local a = labels[math.random(#labels)]
    local b = labels[math.random(#labels)]
    local pick = math.random(100)
    if pick <= 45 then
        return wrk.format("GET", "/v1/query?q=label:" .. a .. "%20AND%20NOT%20label:" .. b .. "&limit=100", headers)
    elseif pick <= 70 then
        return wrk.format("GET", "/v1/query?q=label:" .. a .. "%20OR%20label:" .. b .. "&count_only=true", headers)
    elseif pick <= 90 then
        return wrk.format("GET", "/v1/query?q=label:" .. a .. "&limit=100&fields=id", headers)
    else
        -- The loaded account's assets: the other accounts have none to label.
        headers["X-API-Key"] = keys[1]
        local body = string.format('{"labels":["soak-%d"]}', math.random($APPEND_LABELS))
        return wrk.format("POST", "/v1/asset/" .. ids[math.random(#ids)] .. "/labels", headers, body)
    end
end
LUA

memory() { awk '/^VmRSS/ {rss=$2} /^RssAnon/ {anon=$2} END {printf "%.1f %.1f\n", rss/1024, anon/1024}' "/proc/$server/status"; }

wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$work/mix.lua" "http://127.0.0.1:$PORT" >"$work/wrk.txt" &
load=$!
: >"$work/samples.txt"
read -r rss anon < <(memory)
echo "0 $rss $anon" >>"$work/samples.txt"
elapsed=0
while [ "$elapsed" -lt "$DURATION" ]; do
    sleep "$SAMPLE"
    elapsed=$((elapsed + SAMPLE))
    kill -0 "$server" 2>/dev/null || { echo "error: the server exited" >&2; cat "$work/server.log" >&2; exit 1; }
    read -r rss anon < <(memory)
    echo "$elapsed $rss $anon" >>"$work/samples.txt"
    echo "t=${elapsed}s rss=${rss} MiB anon=${anon} MiB" >&2
done
wait "$load"

requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
errors=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
labels_now=$(curl -fs -H "X-API-Key: $(head -1 "$work/keys.txt")" "http://127.0.0.1:$PORT/v1/stats" |
    grep -oE '"labels":[0-9]+' | head -1 | cut -d: -f2 || echo "?")
echo "$ASSETS assets, wrk -t2 -c$CONNECTIONS for ${DURATION} s ($requests requests, $rps/s, ${errors:-0} non-2xx), $ACCOUNTS accounts, appends drawn from $APPEND_LABELS labels, ${labels_now} labels at the end; serve flags: ${SERVE_FLAGS:-defaults}"
echo
echo "| t (s) | RSS (MiB) | anonymous (MiB) |"
echo "|---:|---:|---:|"
awk '{printf "| %d | %.1f | %.1f |\n", $1, $2, $3}' "$work/samples.txt"
echo
awk -v duration="$DURATION" '
    { t[NR] = $1; rss[NR] = $2; anon[NR] = $3 }
    END {
        # The last third: from the first sample at or after 2/3 of the run to the end.
        for (i = 1; i <= NR; i++) if (t[i] >= duration * 2 / 3) { first = i; break }
        printf "last third (%d s to %d s): RSS %+.1f MiB, anonymous %+.1f MiB; over the whole run: RSS %+.1f MiB\n",
            t[first], t[NR], rss[NR] - rss[first], anon[NR] - anon[first], rss[NR] - rss[1]
    }' "$work/samples.txt"
