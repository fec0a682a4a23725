#!/usr/bin/env bash
# Durable creates on SQLite, their latency and their ceiling (issue 12), on a copy of a benchmark
# database (each build gets a fresh copy, so every run meets the same index and the same WAL).
# Per round and build:
#  (b)  POST /api/v1/workorders (bench/create.lua), 16 connections: rate, p50/p90/p99/max, the
#       server's CPU time (user + system) per create, group commits (/metrics) and creates per
#       commit
#  (b8) bench_create_ceiling, 8 threads (the server's default): the create's unit of work without
#       HTTP and JSON, rate, p50/p99, creates per commit
#  (b16) the same with 16 threads: whether bigger groups raise the ceiling
# With BEFORE_BIN (another build's gongdan, its bench_create_ceiling beside it in BEFORE_GEN)
# each round measures both builds in turns. Raw output in bench/out/creates-*.
# Each build migrates its own copy (a build may keep files beside the database: the search index's
# <db>-search, which the copies carry along).
# Usage: bench/creates.sh DB. Environment: BENCH_SECONDS (10), BENCH_ROUNDS (1), GONGDAN_BIN
# (build/gongdan), BENCH_GEN_DIR (build/bench), BEFORE_BIN, BEFORE_GEN, AGENT (b001_agent3),
# SERVER_THREADS (the server's --threads; its default when unset), BENCH_CEILING (0: HTTP only).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-1}
BIN=${GONGDAN_BIN:-build/gongdan}
GEN=${BENCH_GEN_DIR:-build/bench}
AGENT=${AGENT:-b001_agent3}
OUT=bench/out
mkdir -p "$OUT"
# the scratch directory and its clean-up, port, serve, stop, rps, p50, p99, pct, load
. bench/lib.sh
bench_workdir gd-bench-creates
SRC=${1:?usage: bench/creates.sh DB}
ticks() { awk '{print $14 + $15}' "/proc/$SRV/stat"; }
requests() { awk '/requests in/ {print $1}' "$1"; }
pctl() { awk -v k="$1" '$1==k {print $2}' "$2"; }
metric() { curl -s "http://127.0.0.1:$P/metrics" | awk -v k="$1" '$1==k {print $2}'; }
field() { tr ' ' '\n' < "$2" | awk -v k="$1" 'p {print; exit} $0==k {p=1}'; }
us_per() { python3 -c "print(f'{($1) * 1e6 / $(getconf CLK_TCK) / float($2):.0f}')"; }
div() { python3 -c "print(f'{float($1) / float($2):.1f}')"; }

P=$(port)
DB="$WORK/bench.db"
# copy_db FROM TO: a database with the files a build keeps beside it
copy_db() {
    rm -f "$2" "$2-wal" "$2-shm" "$2-search" "$2-search-wal" "$2-search-shm"
    cp "$1" "$2"
    [ -e "$1-search" ] && cp "$1-search" "$2-search"
    # on disk before anything is measured: the kernel writes a copy's 1.5 GB back when it
    # chooses (30 s later, or at the first fsync of the file: the first checkpoint), and every
    # commit's sync waited behind it (0.2-1 s stalls, docs/PERFORMANCE.md, "Create latency: the
    # stalls")
    sync "$2" $([ -e "$2-search" ] && echo "$2-search")
}
copy_db "$SRC" "$DB"
# (the token made by the older build: a newer one may migrate the copy further)
export GD_TOKEN=$(${BEFORE_BIN:-$BIN} token create "$AGENT" --db "sqlite:$DB" 2>/dev/null)
# start_db BIN LABEL: the copy BIN migrated, checkpointed: what each of its runs starts from
start_db() {
    local BIN=$1
    copy_db "$WORK/source.db" "$DB"
    # migrated before it serves (a migration may take longer than serve's wait for the port)
    $BIN init --db "sqlite:$DB" --admin-password bench-admin-password > /dev/null 2>&1 || true
    serve "sqlite:$DB"
    HANDLER=$(curl -s -H "Authorization: Bearer $GD_TOKEN" "http://127.0.0.1:$P/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')
    stop
    sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    [ -e "$DB-search" ] && sqlite3 "$DB-search" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
    copy_db "$DB" "$WORK/start-$2.db"
}
mv "$DB" "$WORK/source.db"
[ -e "$DB-search" ] && mv "$DB-search" "$WORK/source.db-search"
[ -n "${BEFORE_BIN:-}" ] && start_db "$BEFORE_BIN" before
start_db "$BIN" after
export CREATE_BODY='{"type":"after_sales","title":"压测创建工单","content":"买家反馈商品破损，申请退款。","handler_id":"'"$HANDLER"'"}'
THREADS_ARGS=()
[ -n "${SERVER_THREADS:-}" ] && THREADS_ARGS=(-- --threads "$SERVER_THREADS")

TABLE="$WORK/table.md"
echo "| build, round (load average) | (b) HTTP /s | p50 / p90 / p99 / max | server CPU per create, µs | creates per commit | (b8) ceiling, 8 threads: /s, p50 / p99, per commit | (b16) 16 threads: /s, p50 / p99, per commit |" > "$TABLE"
echo "|---|---|---|---|---|---|---|" >> "$TABLE"
measure() { # LABEL BIN GEN ROUND
    local l=$1 BIN=$2 gen=$3 n=$4 load=$(load)
    local h=$OUT/creates-http-$l-$n.txt c8=$OUT/creates-ceiling8-$l-$n.txt c16=$OUT/creates-ceiling16-$l-$n.txt
    local start=$WORK/start-$([ "$BIN" = "${BEFORE_BIN:-}" ] && echo before || echo after).db
    copy_db "$start" "$DB"
    serve "sqlite:$DB" "${THREADS_ARGS[@]}"
    local k0=$(metric gongdan_db_commit_seconds_count) t0=$(ticks)
    wrk -t2 -c16 -d"${SECS}s" --timeout 60s --latency -s bench/create.lua "http://127.0.0.1:$P/api/v1/workorders" > "$h"
    local cpu=$(($(ticks) - t0)) k1=$(metric gongdan_db_commit_seconds_count)
    stop
    local reqs=$(requests "$h")
    if [ "${BENCH_CEILING:-1}" = 0 ]; then
        echo "| $l, $n ($load) | **$(rps "$h")** | $(pctl 50% "$h") / $(pctl 90% "$h") / **$(pctl 99% "$h")** / $(awk '$1=="Latency" {print $4; exit}' "$h") | $(us_per "$cpu" "$reqs") | $(div "$reqs" "$((k1 - k0))") | | |" >> "$TABLE"
        return
    fi
    copy_db "$start" "$DB"
    "$gen/bench_create_ceiling" "$DB" "$GD_TOKEN" "$HANDLER" "$SECS" 8 > "$c8"
    copy_db "$start" "$DB"
    "$gen/bench_create_ceiling" "$DB" "$GD_TOKEN" "$HANDLER" "$SECS" 16 > "$c16"
    ceil() { echo "$(field per_second "$1"), $(field p50_ms "$1") / $(field p99_ms "$1") ms, $(field per_commit "$1")"; }
    echo "| $l, $n ($load) | **$(rps "$h")** | $(pctl 50% "$h") / $(pctl 90% "$h") / **$(pctl 99% "$h")** / $(awk '$1=="Latency" {print $4; exit}' "$h") | $(us_per "$cpu" "$reqs") | $(div "$reqs" "$((k1 - k0))") | $(ceil "$c8") | $(ceil "$c16") |" >> "$TABLE"
}
echo "== durable creates, ${SECS}s per load, $ROUNDS round(s)${BEFORE_BIN:+, $BEFORE_BIN and $BIN in turns}"
for n in $(seq 1 "$ROUNDS"); do
    if [ -n "${BEFORE_BIN:-}" ]; then
        measure before "$BEFORE_BIN" "${BEFORE_GEN:?BEFORE_GEN: the bench directory of BEFORE_BIN}" "$n"
        measure after "$BIN" "$GEN" "$n"
    else
        measure "$(basename "$BIN")" "$BIN" "$GEN" "$n"
    fi
done
tee "$OUT/creates.md" < "$TABLE"
