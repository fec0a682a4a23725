#!/usr/bin/env bash
# The todo view on PostgreSQL alone (make bench's (a), (a') and (c) for the pg backend, issue
# 14), for before/after comparisons in the same minutes: each binary given is measured in turn
# on one database, cached then uncached, with nginx serving the same bytes after each, and the
# server's and PostgreSQL's CPU time per view of both, how the cached run's work was spread
# over the server's threads, and what the scheduler and the host did meanwhile: the run-queue wait
# per view (the server's threads) and per read (the fence's reader), the context switches per
# view, the CPU of PostgreSQL's background processes (checkpointer, autovacuum…) and the VM's
# steal time (a run that falls with steal in it was slowed by the host; docs/PERFORMANCE.md,
# "Figures: 2026-12-02 (3)").
#   bench/pgview.sh [GONGDAN_BIN...]     (default build/gongdan)
# An argument NAME=VALUE:GONGDAN_BIN runs that binary with the variable set, e.g.
#   bench/pgview.sh GONGDAN_AUTH_CACHE=0:build/gongdan build/gongdan
# compares one build without and with the cache of signed-in principals; options of serve follow
# the binary in the same argument: bench/pgview.sh build/gongdan "build/gongdan --threads 4".
# Environment: BENCH_ROWS (200000), BENCH_SHOPS (ROWS/10000, at least 10), BENCH_SECONDS (10),
# PGVIEW_DIR (where the cluster and the generator's output live, /tmp/gd-pgview-ROWS: kept
# between runs, so the rows are generated once; remove it to start again), PGVIEW_WARMUP (seconds
# of the same load before each measurement, 2; 0: none). The cluster is tuned
# as make bench's (bench/run.sh PG_TUNING, docs/PERFORMANCE.md). PGVIEW_BACKEND=sqlite measures
# the same on a SQLite file instead (PGVIEW_DIR then defaults to /tmp/gd-sqview-ROWS).
# PGVIEW_MIX=1 adds (m), the mix of issue 12 (bench/mix.lua: the agents b001_agent1… of up to 100
# shops reading their todo views, one durable create in 21 requests; 64 connections, view cache
# on), after the cached run on the same server: what the server's thread count does to reads
# that wait behind writes. It writes (some 50 work orders a second into the agents' shops; the
# measured agent's view is not among them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-200000}
SHOPS=${BENCH_SHOPS:-$((ROWS / 10000 > 10 ? ROWS / 10000 : 10))}
SECS=${BENCH_SECONDS:-10}
BACKEND=${PGVIEW_BACKEND:-postgresql}
[ "$BACKEND" = sqlite ] && DIR=${PGVIEW_DIR:-/tmp/gd-sqview-$ROWS} || DIR=${PGVIEW_DIR:-/tmp/gd-pgview-$ROWS}
BINS=("$@")
[ ${#BINS[@]} -gt 0 ] || BINS=(build/gongdan)
OUT=bench/out
mkdir -p "$OUT" "$DIR/www" "$DIR/nginx"
chmod 755 "$DIR" "$DIR/www"
# port, serve, stop, nginx, the figures, the cluster's settings; $DIR is the scratch directory
# (kept between runs, not removed as bench_workdir's is)
. bench/lib.sh
WORK=$DIR
export PG_TEST_CLUSTER_OPTS="$PG_TUNING -c shared_preload_libraries=pg_stat_statements"
rps() { awk '/Requests\/sec/ {printf "%.0f\n", $2}' "$1"; } # whole requests
served() { awk '/requests in/ {print $1}' "$1"; }
# CPU ticks (user + system) of processes: the server, or PostgreSQL's (the postmaster's children)
ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{t += $1} END {print t + 0}'; }
pg_pids() { [ -f "$DIR/pg/data/postmaster.pid" ] && pgrep -P "$(head -1 "$DIR/pg/data/postmaster.pid")" || true; }
# PostgreSQL's own processes, not serving a connection (checkpointer, background writer, WAL
# writer, autovacuum): whether one of them woke during a run ("[local]" marks a client's backend)
pg_bg_pids() { for p in $(pg_pids); do tr '\0' ' ' < "/proc/$p/cmdline" 2> /dev/null | grep -q '\[local\]' || echo "$p"; done; }
metric() { curl -s "http://127.0.0.1:$P/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
per_view() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}'; } # µs

cleanup() {
    [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null || true
    [ -n "${NGX:-}" ] && kill "$NGX" 2>/dev/null || true
    wait 2>/dev/null || true
    [ -n "${SHARED:-}" ] || scripts/pg-test-cluster down "$DIR/pg" > /dev/null 2>&1 || true
}
trap cleanup EXIT

if [ "$BACKEND" = sqlite ]; then
    PGURL="sqlite:$DIR/bench.db"
    if [ ! -f "$DIR/gen.txt" ]; then
        rm -f "$DIR"/bench.db*
        echo "== generating $ROWS work orders across $SHOPS shops"
        build/bench/bench_gen_center "$DIR/bench.db" "$ROWS" "$SHOPS" > "$DIR/gen.tmp" # a bare path
        mv "$DIR/gen.tmp" "$DIR/gen.txt"
    fi
elif [ -f "$DIR/gen.txt" ] && [ -f "$DIR/pg/data/postmaster.pid" ] &&
    kill -0 "$(head -1 "$DIR/pg/data/postmaster.pid")" 2> /dev/null; then
    SHARED=1 # already running (another run measures on it): used as it is, and left running
    PGURL="postgresql:///bench?host=$(cd "$DIR/pg" && pwd)&user=postgres"
elif [ -f "$DIR/gen.txt" ]; then
    PGURL=$(scripts/pg-test-cluster up "$DIR/pg" | sed 's#/gongdan?#/bench?#')
else
    scripts/pg-test-cluster stop "$DIR/pg" > /dev/null 2>&1 || true
    scripts/pg-test-cluster start "$DIR/pg" > /dev/null
    PGURL=$(scripts/pg-test-cluster createdb "$DIR/pg" bench)
    psql -XAtq "$PGURL" -c "CREATE EXTENSION pg_stat_statements"
    echo "== generating $ROWS work orders across $SHOPS shops"
    build/bench/bench_gen_center "$PGURL" "$ROWS" "$SHOPS" > "$DIR/gen.tmp"
    psql -XAtq "$PGURL" -c "VACUUM ANALYZE"
    mv "$DIR/gen.tmp" "$DIR/gen.txt"
fi
AGENT=$(awk '$1=="agent" {print $2}' "$DIR/gen.txt")
TODO=$(awk '$1=="agent" {print $3}' "$DIR/gen.txt")
bin_of() { local b=$1; [[ $b == *=*:* ]] && b=${b#*:}; echo "${b%% *}"; }
args_of() { local b=${1#*=*:}; [[ $b == *" "* ]] && echo "${b#* }" || true; } # serve's options
env_of() { [[ $1 == *=*:* ]] && echo "${1%%:*}" || true; }
export GD_TOKEN=$("$(bin_of "${BINS[0]}")" token create "$AGENT" --db "$PGURL" 2>/dev/null)

nginx_start

P=$(port)
URL="http://127.0.0.1:$P/api/v1/workorders?view=todo&limit=50"
run_wrk() { # NAME URL [wrk args]
    local name=$1 url=$2; shift 2
    echo "== $name (load average $(load))" >&2
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency "$@" "$url" > "$OUT/pgview-$BACKEND-$name.txt"
}
# URL [wrk args]: the same load for PGVIEW_WARMUP seconds (2) before each measurement, nginx's as
# the server's, so neither side is measured cold (a server's first connections, PostgreSQL's
# backends, the caches)
warm() { [ "${PGVIEW_WARMUP:-2}" = 0 ] || wrk -t2 -c64 -d"${PGVIEW_WARMUP:-2}s" --timeout 60s "$@" > /dev/null; }

echo "| binary | (a) cached | (c) nginx | (a) / nginx | (a') uncached | (c) nginx | (a') / nginx | load | (a): server CPU, PostgreSQL CPU per view; generation reads/s, answers each | (a): the server's CPU by thread | (a'): server CPU, PostgreSQL CPU per view | (a): run-queue wait per view, the reader's per read; switches per view, voluntary / preempted; PostgreSQL's background CPU; the VM's steal | (m) mix /s, p50, p99 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for i in "${!BINS[@]}"; do
    BIN=$(bin_of "${BINS[$i]}") set=$(env_of "${BINS[$i]}") # what serve starts, and how
    read -ra args <<< "$(args_of "${BINS[$i]}")"
    l0=$(load)
    serve "$PGURL" ${set:+"$set"} -- "${args[@]}"
    curl -s -H "Authorization: Bearer $GD_TOKEN" "$URL" > "$DIR/www/todo.json"
    chmod 644 "$DIR/www/todo.json"
    warm "$URL" -s bench/auth.lua
    s0=$(ticks "$SRV") p0=$(ticks $(pg_pids)) r0=$(metric gongdan_store_generation_reads_total)
    a0=$(metric gongdan_store_generation_answers_total)
    thread_ticks "$SRV" > "$DIR/threads0"
    w0=$(run_wait_ns "$SRV") fw0=$(thread_wait_ns "$SRV" gd-fence) b0=$(ticks $(pg_bg_pids)) st0=$(steal_ticks)
    read -r v0 nv0 <<< "$(switches "$SRV")"
    run_wrk "cached-$i" "$URL" -s bench/auth.lua
    s1=$(ticks "$SRV") p1=$(ticks $(pg_pids)) r1=$(metric gongdan_store_generation_reads_total)
    a1=$(metric gongdan_store_generation_answers_total)
    thread_ticks "$SRV" > "$DIR/threads1"
    w1=$(run_wait_ns "$SRV") fw1=$(thread_wait_ns "$SRV" gd-fence) b1=$(ticks $(pg_bg_pids)) st1=$(steal_ticks)
    read -r v1 nv1 <<< "$(switches "$SRV")"
    mix="—"
    if [ "${PGVIEW_MIX:-0}" = 1 ]; then
        export MIX_AGENTS="$DIR/mix-agents.txt" # "TOKEN USER_ID" lines, made once
        if [ ! -s "$MIX_AGENTS" ]; then
            for s in $(seq 1 $((SHOPS < 100 ? SHOPS : 100))); do
                t=$("$BIN" token create "$(printf 'b%03d_agent1' "$s")" --db "$PGURL" 2> /dev/null)
                echo "$t $(curl -s -H "Authorization: Bearer $t" "http://127.0.0.1:$P/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')"
            done > "$MIX_AGENTS.tmp"
            mv "$MIX_AGENTS.tmp" "$MIX_AGENTS"
        fi
        run_wrk "mix-$i" "http://127.0.0.1:$P/" -s bench/mix.lua
        mix="$(rps "$OUT/pgview-$BACKEND-mix-$i.txt")/s, p50 $(p50 "$OUT/pgview-$BACKEND-mix-$i.txt"), p99 $(p99 "$OUT/pgview-$BACKEND-mix-$i.txt")"
    fi
    stop
    warm "http://127.0.0.1:$NP/todo.json"
    run_wrk "nginx-$i" "http://127.0.0.1:$NP/todo.json"
    serve "$PGURL" ${set:+"$set"} GONGDAN_VIEW_CACHE=0 -- "${args[@]}"
    warm "$URL" -s bench/auth.lua
    us0=$(ticks "$SRV") up0=$(ticks $(pg_pids))
    run_wrk "uncached-$i" "$URL" -s bench/auth.lua
    us1=$(ticks "$SRV") up1=$(ticks $(pg_pids))
    stop
    warm "http://127.0.0.1:$NP/todo.json"
    run_wrk "nginx2-$i" "http://127.0.0.1:$NP/todo.json"
    a=$(rps "$OUT/pgview-$BACKEND-cached-$i.txt") c=$(rps "$OUT/pgview-$BACKEND-nginx-$i.txt")
    u=$(rps "$OUT/pgview-$BACKEND-uncached-$i.txt") c2=$(rps "$OUT/pgview-$BACKEND-nginx2-$i.txt")
    n=$(served "$OUT/pgview-$BACKEND-cached-$i.txt") un=$(served "$OUT/pgview-$BACKEND-uncached-$i.txt")
    fence="$(((${r1:-0} - ${r0:-0}) / SECS))/s, $(awk -v a="$((${a1:-0} - ${a0:-0}))" -v r="$((${r1:-0} - ${r0:-0}))" 'BEGIN {printf "%.1f", r ? a / r : 0}')"
    # time-slicing: the server's threads' run-queue wait per view, the reader's per read, the
    # context switches per view (voluntary / preempted), PostgreSQL's background processes' CPU,
    # the CPU time the hypervisor took from this VM meanwhile
    sched=$(awk -v w=$((w1 - w0)) -v fw=$((fw1 - fw0)) -v n="$n" -v r="$((${r1:-0} - ${r0:-0}))" \
        -v v=$((v1 - v0)) -v nv=$((nv1 - nv0)) -v b=$((b1 - b0)) -v st=$((st1 - st0)) -v hz="$(getconf CLK_TCK)" \
        'BEGIN {printf "%.1f µs, %.0f µs; %.2f / %.2f; %.0f ms; steal %.0f ms", n ? w / 1e3 / n : 0, r ? fw / 1e3 / r : 0, n ? v / n : 0, n ? nv / n : 0, b * 1e3 / hz, st * 1e3 / hz}')
    echo "| ${BINS[$i]} | $a/s, p99 $(p99 "$OUT/pgview-$BACKEND-cached-$i.txt") | $c/s | $(pct "$a" "$c") | $u/s, p99 $(p99 "$OUT/pgview-$BACKEND-uncached-$i.txt") | $c2/s | $(pct "$u" "$c2") | $l0–$(load) | $(per_view $((s1 - s0)) "$n") µs, $(per_view $((p1 - p0)) "$n") µs; $fence | $(spread "$DIR/threads0" "$DIR/threads1") | $(per_view $((us1 - us0)) "$un") µs, $(per_view $((up1 - up0)) "$un") µs | $sched | $mix |"
done
echo "($BACKEND, $ROWS work orders, $SHOPS shops; $AGENT has $TODO to do; $(stat -c %s "$DIR/www/todo.json") bytes a view; 64 connections, ${SECS} s each)"
