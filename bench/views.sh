#!/usr/bin/env bash
# The todo view without and with the view cache, next to nginx, and the server's memory (issue 12),
# on the benchmark database (SQLite; bench/run.sh passes its own, or one is generated). Per round:
#  (v1) view=todo&limit=50 for one agent, view cache off (GONGDAN_VIEW_CACHE=0), 64 connections:
#       rate, p50 / p90 / p99, and how the server's CPU was spread over its worker threads (a
#       connection stays on its worker: a crowded one is the tail; http/acceptor.c), and the time
#       its threads waited on the run queue per view (runnable, not running: the time-slicing of
#       more threads than cores);
#       the server's CPU time (user + system) per view, which the machine's load moves far less
#       than the rate (bench_view_ceiling gives the same without HTTP, and SQLite's part alone);
#       the server's resident memory once warm (one request), its peak after the views, and its
#       peak after durable creates (bench/create.lua, 16 connections) on top; the same three of
#       the memory SQLite holds (its page caches; /metrics, gongdan_sqlite_memory_bytes)
#  (v2) nginx serving the same bytes as a static file, 64 connections: the ceiling
#  (v3) the same view with the cache on, 64 connections
#  (v4) the mix (bench/mix.lua): agents of MIX_SHOPS shops reading their todo views, one durable
#       create for every 20 reads, 64 connections; requests/s, the view cache's hit rate and the
#       row cache's (the rows its misses took rendered; src/http/rowcache.c)
#  (v0) once per round, when built: bench_view_ceiling, the same view without HTTP on 2 threads,
#       level by level (SQLite's statement alone, the index alone, the service, the rendering):
#       SQLite's part is the ceiling (v1) cannot pass, measured in the same minutes as nginx
# UNCACHED_ONLY=1 measures (v0), (v1) and (v2) alone (no creates: the database is not written).
# With BEFORE_BIN (another build, e.g. main's) each round measures both builds in turns, so the
# two are compared in the same minutes on the shared machine. Raw wrk output in bench/out/views-*.
# Usage: bench/views.sh [DB]. Environment: BENCH_ROWS (1000000), BENCH_SHOPS (100),
# BENCH_SECONDS (15), BENCH_ROUNDS (1), GONGDAN_BIN (build/gongdan), BEFORE_BIN, AGENT (the
# agent of v1-v3, b001_agent1), MIX_SHOPS (100), BENCH_GEN_DIR (build/bench), SERVER_THREADS (the
# server's --threads, both builds; its default when unset).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-1000000}
SHOPS=${BENCH_SHOPS:-100}
SECS=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-1}
BIN=${GONGDAN_BIN:-build/gongdan}
GEN=${BENCH_GEN_DIR:-build/bench}
AGENT=${AGENT:-b001_agent1}
MIX_SHOPS=${MIX_SHOPS:-100}
OUT=bench/out
mkdir -p "$OUT"
# the scratch directory and its clean-up, port, serve, stop, nginx, rps, p99, pct
. bench/lib.sh
bench_workdir gd-bench-views
THREADS_ARGS=()
[ -n "${SERVER_THREADS:-}" ] && THREADS_ARGS=(-- --threads "$SERVER_THREADS")
mib() { python3 -c "print(f'{int($1)/1024:.1f}')"; }
# the server's VmRSS or VmHWM (its peak), kB
mem() { awk -v k="$1:" '$1==k {print $2}' "/proc/$SRV/status"; }
# the server's CPU time so far (user + system), clock ticks; the requests a wrk output counts
ticks() { awk '{print $14 + $15}' "/proc/$SRV/stat"; }
requests() { awk '/requests in/ {print $1}' "$1"; }
us_per() { python3 -c "print(f'{($1) * 1e6 / $(getconf CLK_TCK) / float($2):.0f}')"; }
metric() { curl -s "http://127.0.0.1:$P/metrics" | awk -v k="$1" '$1==k {print $2}'; }

DB=${1:-}
if [ -z "$DB" ]; then
    DB="$WORK/bench.db"
    echo "== generating $ROWS work orders across $SHOPS shops"
    $GEN/bench_gen_center "$DB" "$ROWS" "$SHOPS" > /dev/null
fi

# nginx for (v2): the same bytes as a static file
nginx_start

P=$(port)
export GD_TOKEN=$($BIN token create "$AGENT" --db "sqlite:$DB" 2>/dev/null)
URL="http://127.0.0.1:$P/api/v1/workorders?view=todo&limit=50"
serve "sqlite:$DB"
me() { curl -s -H "Authorization: Bearer $1" "http://127.0.0.1:$P/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])'; }
export CREATE_BODY='{"type":"after_sales","title":"压测创建工单","content":"买家反馈商品破损，申请退款。","handler_id":"'"$(me "$GD_TOKEN")"'"}'
export MIX_AGENTS="$WORK/agents.txt"
[ "${UNCACHED_ONLY:-0}" = 1 ] && MIX_SHOPS=0 # (v4) is not run
for s in $(seq 1 "$MIX_SHOPS"); do
    t=$($BIN token create "$(printf 'b%03d_agent1' "$s")" --db "sqlite:$DB" 2>/dev/null)
    echo "$t $(me "$t")"
done > "$MIX_AGENTS"
curl -s -H "Authorization: Bearer $GD_TOKEN" "$URL" > "$WORK/www/todo.json"
chmod 644 "$WORK/www/todo.json"
SIZE=$(stat -c %s "$WORK/www/todo.json")
stop

TABLE="$WORK/table.md"
echo "| build, round (load average) | (v1) uncached: /s, p50 / p90 / p99 | (v1) server CPU per view, µs | (v1) run-queue wait per view, µs | (v1) the server's CPU by thread | (v2) nginx /s | (v1) share of nginx | (v3) cached: /s, share of nginx | (v4) mix /s, hit rate, rows kept | RSS warm / peak views / peak creates, MiB | of which SQLite (gongdan_sqlite_memory_bytes), MiB |" > "$TABLE"
echo "|---|---|---|---|---|---|---|---|---|---|---|" >> "$TABLE"
measure() { # LABEL BIN ROUND (BIN is what serve starts)
    local l=$1 BIN=$2 n=$3 load=$(load)
    serve "sqlite:$DB" GONGDAN_VIEW_CACHE=0 "${THREADS_ARGS[@]}"
    curl -s -o /dev/null -H "Authorization: Bearer $GD_TOKEN" "$URL"
    local warm=$(mem VmRSS) sq_warm=$(metric 'gongdan_sqlite_memory_bytes{at="now"}') t0=$(ticks)
    thread_ticks "$SRV" > "$WORK/threads0"
    local w0=$(run_wait_ns "$SRV")
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "$URL" > "$OUT/views-uncached-$l-$n.txt"
    thread_ticks "$SRV" > "$WORK/threads1"
    local wait_ns=$(($(run_wait_ns "$SRV") - w0))
    local cpu=$(($(ticks) - t0)) by_thread=$(spread "$WORK/threads0" "$WORK/threads1" | sed 's/, reader 0%//') peak_views=$(mem VmHWM) sq_views=$(metric 'gongdan_sqlite_memory_bytes{at="peak"}')
    local u=$OUT/views-uncached-$l-$n.txt g=$OUT/views-nginx-$l-$n.txt c=$OUT/views-cached-$l-$n.txt
    if [ "${UNCACHED_ONLY:-0}" = 1 ]; then
        stop
        wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency "http://127.0.0.1:$NP/todo.json" > "$g"
        echo "| $l, $n ($load) | $(rps "$u"), $(p50 "$u") / $(p90 "$u") / $(p99 "$u") | $(us_per "$cpu" "$(requests "$u")") | $((wait_ns / 1000 / $(requests "$u"))) | $by_thread | $(rps "$g") | **$(pct "$(rps "$u")" "$(rps "$g")")** | | | $(mib "$warm") / $(mib "$peak_views") / | |" >> "$TABLE"
        return
    fi
    wrk -t2 -c16 -d"${SECS}s" --timeout 60s -s bench/create.lua "http://127.0.0.1:$P/api/v1/workorders" > "$OUT/views-create-$l-$n.txt"
    local peak_creates=$(mem VmHWM) sq_creates=$(metric 'gongdan_sqlite_memory_bytes{at="peak"}')
    stop
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency "http://127.0.0.1:$NP/todo.json" > "$g"
    serve "sqlite:$DB" "${THREADS_ARGS[@]}"
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "$URL" > "$c"
    local h0=$(metric 'gongdan_view_cache_requests_total{result="hit"}') m0=$(metric 'gongdan_view_cache_requests_total{result="miss"}')
    local rh0=$(metric 'gongdan_row_cache_requests_total{result="hit"}') rm0=$(metric 'gongdan_row_cache_requests_total{result="miss"}')
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency -s bench/mix.lua "http://127.0.0.1:$P/" > "$OUT/views-mix-$l-$n.txt"
    local h1=$(metric 'gongdan_view_cache_requests_total{result="hit"}') m1=$(metric 'gongdan_view_cache_requests_total{result="miss"}')
    local rh1=$(metric 'gongdan_row_cache_requests_total{result="hit"}') rm1=$(metric 'gongdan_row_cache_requests_total{result="miss"}')
    local rows=none # a build without the row cache
    [ -n "$rh1" ] && rows=$(pct "$((rh1 - rh0))" "$((rh1 - rh0 + rm1 - rm0 > 0 ? rh1 - rh0 + rm1 - rm0 : 1))")
    stop
    echo "| $l, $n ($load) | $(rps "$u"), $(p50 "$u") / $(p90 "$u") / $(p99 "$u") | $(us_per "$cpu" "$(requests "$u")") | $((wait_ns / 1000 / $(requests "$u"))) | $by_thread | $(rps "$g") | **$(pct "$(rps "$u")" "$(rps "$g")")** | $(rps "$c"), $(pct "$(rps "$c")" "$(rps "$g")") | $(rps "$OUT/views-mix-$l-$n.txt"), $(pct "$((h1 - h0))" "$((h1 - h0 + m1 - m0))"), $rows | $(mib "$warm") / $(mib "$peak_views") / $(mib "$peak_creates") | $(mib "$((${sq_warm:-0} / 1024))") / $(mib "$((${sq_views:-0} / 1024))") / $(mib "$((${sq_creates:-0} / 1024))") |" >> "$TABLE"
}
echo "== todo view of $AGENT ($SIZE bytes), ${SECS}s per load, $ROUNDS round(s)${BEFORE_BIN:+, $BEFORE_BIN and $BIN in turns}"
CEILINGS="$WORK/ceilings.txt"
for n in $(seq 1 "$ROUNDS"); do
    if [ -x "$GEN/bench_view_ceiling" ]; then
        echo "round $n (load $(load)):" >> "$CEILINGS"
        "$GEN/bench_view_ceiling" "$DB" "$GD_TOKEN" 5 2 >> "$CEILINGS"
    fi
    if [ -n "${BEFORE_BIN:-}" ]; then
        measure before "$BEFORE_BIN" "$n"
        measure after "$BIN" "$n"
    else
        measure "$(basename "$BIN")" "$BIN" "$n"
    fi
done
cat "$TABLE" | tee "$OUT/views.md"
if [ -s "$CEILINGS" ]; then
    echo "(v0) bench_view_ceiling, the view without HTTP, 2 threads:" | tee -a "$OUT/views.md"
    tee -a "$OUT/views.md" < "$CEILINGS"
fi
