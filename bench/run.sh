#!/usr/bin/env bash
# make bench: generates benchmark data and measures, side by side with a ceiling in the same run,
# on both backends: SQLite and PostgreSQL 15 (a throwaway cluster, tuned as a user would).
#  (a) view=todo, 50 rows for one agent, 64 connections: requests/s and p99 (view cache on)
#  (a') the same with the view cache off
#  (s) a two-character keyword search (q=退款) over the shop, 8 connections, cache off: p99
#  (b) durable creates/s at 16 connections; on SQLite beside its ceiling, the create's unit of
#      work run by 8 threads without HTTP and JSON (bench/create_ceiling.c)
#  (c) nginx serving a static file of (a)'s response size, 64 connections: the ceiling of (a)
#  PostgreSQL ceilings: pgbench running the statements the code ran, captured from the
#  server's log (bench/pgscript.py): for (b) a create's, for (s) the search query's.
#  (e) creates with two 1 MiB images (upload + create, 8 connections), then the thumbnail time per
#      image (bench/attachments.mjs), on SQLite
#  (m) gongdan migrate of the whole database into PostgreSQL: rows/s and total time
#  (n) three nodes on one PostgreSQL behind nginx (bench/cluster.mjs): creates/s and todo views/s
#      through nginx with 1 and 3 nodes, deadline firings/s with 1 node and 3 claiming together,
#      change -> live event on another node (p50/p99), takeover after SIGKILL
# then the other benchmark programs (deadlines on both backends, time targets' reminders and
# escalations, reports) when they are built, and
# Lighthouse on the workbench (bench/lighthouse.mjs: the sign-in, list and work order pages,
# mobile preset), the chat-side panel's first paint (bench/panel.mjs: time to the create button),
# a bulk transfer of 500 work orders (bench/bulk.mjs: one request, and ten of 50 as the
# workbench sends them), and creates with a least-open-work assignment rule over 20 agents next to
# creates without a rule (bench/assign.mjs), the notification fan-out of one change to 50
# open workbenches: the time to each bell (bench/notify.mjs), and the 全店 list filtered on a
# custom field next to the same list without it (bench/types.sh, on the benchmark database), and
# the todo view uncached and cached beside nginx, a 100-shop mix of reads and writes with the
# view cache's hit rate, and the server's memory (bench/views.sh, on the benchmark database), and
# durable creates' latency (p50/p90/p99/max), CPU per create and group sizes beside their ceiling
# with 8 and 16 threads (bench/creates.sh, on a copy of the benchmark database).
# Everything talks to 127.0.0.1 or a Unix socket only and every load is bounded in time.
# Environment: BENCH_ROWS (1000000), BENCH_SHOPS (100), BENCH_SECONDS (15),
# BENCH_DEADLINES (timers of the deadline engine burst, default BENCH_ROWS), BENCH_PG_DEADLINES
# (the same on PostgreSQL, default 20000), BENCH_TARGETS (time targets due in one minute, 100000),
# BENCH_PG (1; 0 measures SQLite only), BENCH_KEEP (set: keep the data and the cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-1000000}
SHOPS=${BENCH_SHOPS:-100}
SECS=${BENCH_SECONDS:-15}
TIMERS=${BENCH_DEADLINES:-$ROWS}
# PostgreSQL fires a timer in a few statements, each a round trip (docs/PERFORMANCE.md): its burst
# is smaller by default so a run ends within the hour
PG_TIMERS=${BENCH_PG_DEADLINES:-20000}
# time targets whose reminders and escalations fall due within one minute (bench/targets.c)
TARGETS=${BENCH_TARGETS:-100000}
WITH_PG=${BENCH_PG:-1}
OUT=bench/out
BIN=build/gongdan
mkdir -p "$OUT"
# the scratch directory and its clean-up, port, serve, stop, nginx, the figures of wrk and
# pgbench, the PostgreSQL settings and capture
. bench/lib.sh
bench_workdir gd-bench
PGDIR="$WORK/pg"
cleanup_more() { [ -n "${MIGRATE_PG:-}" ] && scripts/pg-test-cluster stop "$MIGRATE_PG" || true; }
P=$(port)
me_id() { curl -s -H "Authorization: Bearer $1" "http://127.0.0.1:$P/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])'; }
# the body of every create (bench/create.lua), for the handler $1
create_body() { echo '{"type":"after_sales","title":"压测创建工单","content":"买家反馈商品破损，申请退款。","handler_id":"'"$1"'"}'; }

# gen BACKEND DB: the benchmark data, then AGENT/TODO/LEAD of the generator's output
gen() {
    echo "== $1: generating $ROWS work orders across $SHOPS shops"
    local t0=$(date +%s.%N)
    build/bench/bench_gen_center "$2" "$ROWS" "$SHOPS" > "$WORK/gen-$1.txt"
    echo "generated in $(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s"
}

# center BACKEND DB: (a), (a'), (s), (b) on one backend; raw output in $OUT/*-BACKEND.txt
center() {
    local b=$1 db=$2
    local agent=$(awk '$1=="agent" {print $2}' "$WORK/gen-$b.txt")
    local todo=$(awk '$1=="agent" {print $3}' "$WORK/gen-$b.txt")
    export GD_TOKEN=$($BIN token create "$agent" --db "$db" 2>/dev/null)
    local lead_token=$($BIN token create b001_lead0 --db "$db" 2>/dev/null)
    serve "$db"
    export CREATE_BODY=$(create_body "$(me_id "$GD_TOKEN")")
    URL="http://127.0.0.1:$P/api/v1/workorders?view=todo&limit=50"
    curl -s -H "Authorization: Bearer $GD_TOKEN" "$URL" > "$WORK/todo-$b.json"
    local size=$(stat -c %s "$WORK/todo-$b.json")
    local back=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK/todo-$b.json")
    echo "== $b (a) view=todo for $agent ($todo to do, $back rows, $size bytes), 64 connections, ${SECS}s"
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "$URL" > "$OUT/todo-$b.txt"
    cat "$OUT/todo-$b.txt"
    stop
    echo "== $b (c) nginx: the same $size bytes as a static file, 64 connections, ${SECS}s"
    cp "$WORK/todo-$b.json" "$WORK/www/todo-$b.json"
    chmod 644 "$WORK/www/todo-$b.json"
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency "http://127.0.0.1:$NP/todo-$b.json" > "$OUT/nginx-$b.txt"
    cat "$OUT/nginx-$b.txt"

    echo "== $b (a') the same with the view cache off (every request queries and renders)"
    serve "$db" GONGDAN_VIEW_CACHE=0
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "$URL" > "$OUT/todo-nocache-$b.txt"
    cat "$OUT/todo-nocache-$b.txt"
    search_load "$b" "$lead_token"
    stop

    serve "$db"
    local handler=$(me_id "$GD_TOKEN")
    echo "== $b (b) durable creates, 16 connections, ${SECS}s (load average $(cut -d' ' -f1 /proc/loadavg))"
    wrk -t2 -c16 -d"${SECS}s" --timeout 60s --latency -s bench/create.lua "http://127.0.0.1:$P/api/v1/workorders" > "$OUT/create-$b.txt"
    cat "$OUT/create-$b.txt"
    if [ "$b" = sqlite ]; then
        # its ceiling, right after it (the server stopped): the create's unit of work from as
        # many threads as the server has, without HTTP and JSON (bench/create_ceiling.c)
        stop
        echo "== $b (b) ceiling: the create's unit of work from 8 threads, no HTTP, ${SECS}s (load average $(cut -d' ' -f1 /proc/loadavg))"
        build/bench/bench_create_ceiling "$db" "$GD_TOKEN" "$handler" "$SECS" 8 | tee "$OUT/create-ceiling-$b.txt"
        serve "$db"
        echo "== $b (e) creates with two 1 MiB images, 8 connections, ${SECS}s; then thumbnails one at a time"
        node bench/attachments.mjs "http://127.0.0.1:$P" "$SECS" 8 > "$OUT/attachments.md"
        cat "$OUT/attachments.md"
    fi
    stop
    echo "$size" > "$WORK/size-$b"
    echo "$lead_token" > "$WORK/lead-$b"
}

if [ "$WITH_PG" = 1 ]; then
    echo "== PostgreSQL: a throwaway cluster in $PGDIR"
    PG_TEST_CLUSTER_OPTS="$PG_TUNING $PG_LOGGING" scripts/pg-test-cluster start "$PGDIR" > /dev/null
    PGURL=$(scripts/pg-test-cluster createdb "$PGDIR" bench)
    psql -XAtq "$PGURL" -c "CREATE EXTENSION pg_stat_statements"
fi

# nginx: the ceiling of (a), measured right after (a) with the same bytes (the shared machine's
# speed moves within minutes), and the webhook receiver of (d) (answers 204 to a POST on /hook)
# the deliverer's: when each POST arrived (the drain's time, without the server's start)
nginx_start 'location = /hook { access_log '"$WORK"'/nginx/hook.log posted; return 204; }
        location = /hook-ceiling { return 204; }'

# what a sync costs here now (both backends sync each acknowledged write): fdatasync, WAL-sized
FSYNC_US=$(/usr/lib/postgresql/15/bin/pg_test_fsync -s 1 -f "$WORK/fsync-test" 2>/dev/null | awk '$1=="fdatasync" {print $(NF-1); exit}' || true)
rm -f "$WORK/fsync-test"
echo "== fdatasync on this file system: ${FSYNC_US:-?} µs per call (pg_test_fsync)"
gen sqlite "$WORK/bench.db"
if [ "$WITH_PG" = 1 ]; then
    gen pg "$PGURL"
    # a bulk load ends the way a user's would: statistics and the visibility map up to date
    t0=$(date +%s.%N)
    psql -XAtq "$PGURL" -c "VACUUM ANALYZE"
    echo "VACUUM ANALYZE in $(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s"
fi

center sqlite "sqlite:$WORK/bench.db"
if [ "$WITH_PG" = 1 ]; then
    # the search's statement is captured before the benchmark's creates add to the shop
    search_capture "$($BIN token create b001_lead0 --db "$PGURL" 2>/dev/null)" pg
    center pg "$PGURL"
    echo "== pg (b) ceiling: pgbench running a create's statements, 16 connections, ${SECS}s"
    capture "INSERT INTO workorders" "" create -X POST -H "Content-Type: application/json" \
        -H "Authorization: Bearer $GD_TOKEN" -d "$CREATE_BODY" "http://127.0.0.1:$P/api/v1/workorders"
    # one pgbench thread per connection, as each server thread drives its own connection
    mapfile -d '' CREATE_ARGS < "$OUT/pgbench-create.args"
    pgbench -n -M prepared -c16 -j16 -T"$SECS" "${CREATE_ARGS[@]}" -f "$OUT/pgbench-create.sql" "$PGURL" > "$OUT/create-pgbench.txt" 2>&1
    cat "$OUT/create-pgbench.txt"
    echo "== pg (b) the same with 8 connections (the server's 8 threads hold 8 database connections)"
    pgbench -n -M prepared -c8 -j8 -T"$SECS" "${CREATE_ARGS[@]}" -f "$OUT/pgbench-create.sql" "$PGURL" > "$OUT/create-pgbench8.txt" 2>&1
    cat "$OUT/create-pgbench8.txt"
    search_ceiling pg
fi

echo "== (d) webhooks: creates with an endpoint on the shop, then a backlog drained"
DB="sqlite:$WORK/bench.db"
GD_TOKEN=$($BIN token create "$(awk '$1=="agent" {print $2}' "$WORK/gen-sqlite.txt")" --db "$DB" 2>/dev/null)
$BIN webhook add "http://127.0.0.1:$NP/hook" --user b001_lead0 --db "$DB" > /dev/null 2>&1
hook_field() { $BIN webhook list --user b001_lead0 --db "$DB" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
serve "$DB" -- --webhook-allow-private
export CREATE_BODY=$(create_body "$(me_id "$GD_TOKEN")")
wrk -t2 -c16 -d"${SECS}s" --timeout 60s --latency -s bench/create.lua "http://127.0.0.1:$P/api/v1/workorders" > "$OUT/create-webhook.txt"
cat "$OUT/create-webhook.txt"
for _ in $(seq 300); do [ "$(hook_field pending)" = 0 ] && break; sleep 0.1; done
echo "pending after the creates: $(hook_field pending), delivered $(hook_field delivered)"
stop
# Rewind the endpoint to the start of what the outbox still holds, and time the deliverer
# draining it alone (bench only: a product endpoint never moves backwards).
sqlite3 "$WORK/bench.db" "UPDATE webhooks SET cursor = 0, delivered = 0, failures = 0, next_attempt_at = 0"
BACKLOG=$(hook_field pending)
POSTS_BEFORE=$(wc -l < "$WORK/nginx/hook.log")
T0=$(date +%s.%N)
serve "$DB" -- --webhook-allow-private # the start is part of the drain timed
for _ in $(seq 6000); do [ "$(hook_field pending)" = 0 ] && break; sleep 0.05; done
T1=$(date +%s.%N)
stop
RESTART_DRAIN=$(python3 -c "print(f'{$BACKLOG/($T1-$T0):.0f}')")
echo "backlog of $BACKLOG events drained in $(python3 -c "print(f'{$T1-$T0:.2f}')") s from a restart (the server's start and 50 ms polls included): $RESTART_DRAIN events/s"
# the drain itself: the events posted after the first POST, over the time to the last one
DRAIN=$(tail -n +$((POSTS_BEFORE + 1)) "$WORK/nginx/hook.log" | python3 -c "
import sys; t = [float(l) for l in sys.stdin if l.strip()]
print(f'{$BACKLOG * (len(t) - 1) / len(t) / (t[-1] - t[0]):.0f}' if len(t) > 1 and t[-1] > t[0] else '-')")
echo "between the first and the last POST of the drain ($(( $(wc -l < "$WORK/nginx/hook.log") - POSTS_BEFORE )) POSTs): $DRAIN events/s"
# the ceiling: nginx taking POSTs of one full batch's size on one connection, as the deliverer sends them
python3 -c "import json,sys; ev={'seq':'1','id':'384413601328267265','kind':'created','at':'2026-11-27T02:42:24.616+08:00','actor':{'id':'384413592197267456','name':'主管1'},'workorder':{'id':'384413601328267264','number':'GD-000091','type':'after_sales'},'data':{}}; print(json.dumps({'webhook_id':'1','events':[ev]*100},ensure_ascii=False,separators=(',',':')))" > "$WORK/batch.json"
BODY_FILE="$WORK/batch.json" wrk -t1 -c1 -d"${SECS}s" -s bench/post.lua "http://127.0.0.1:$NP/hook-ceiling" > "$OUT/hook-ceiling.txt"
HOOK_CEIL=$(python3 -c "print(f'{100*float($(rps "$OUT/hook-ceiling.txt")):.0f}')")
echo "nginx ceiling, one connection, 100-event batches: $HOOK_CEIL events/s"

kill "$NGX"; wait "$NGX" 2>/dev/null || true; NGX=

# One row per measurement: SQLite's figure, PostgreSQL's, and each as a share of its ceiling.
row() { # LABEL FILE_STEM FIELD(rps|p99) CEILING_STEM_SQLITE CEILING_STEM_PG TARGET
    local label=$1 stem=$2 field=$3 cs=$4 cp=$5 target=$6 vs vp ss="" sp=""
    vs=$($field "$OUT/$stem-sqlite.txt")
    vp=$([ -f "$OUT/$stem-pg.txt" ] && $field "$OUT/$stem-pg.txt" || echo "—")
    [ -n "$cs" ] && ss=" ($(pct "$vs" "$(rps "$OUT/$cs-sqlite.txt")") of nginx)"
    [ -n "$cp" ] && [ -f "$OUT/$cp-pg.txt" ] && sp=" ($(pct "$vp" "$(rps "$OUT/$cp-pg.txt")") of nginx)"
    echo "| $label | $vs$ss | $vp$sp | $target |"
}
# " (N% of the ceiling's R/s: the create's unit of work from 8 threads without HTTP)" for SQLite
create_share() {
    local c=$(awk '{for (i = 1; i < NF; i++) if ($i == "per_second") print $(i+1)}' "$OUT/create-ceiling-sqlite.txt" 2>/dev/null)
    [ -n "$c" ] && echo " ($(pct "$(rps "$OUT/create-sqlite.txt")" "$c") of the $c/s of its ceiling: the create's unit of work from 8 threads, no HTTP)"
}
{
    echo "| measurement | SQLite | PostgreSQL | target |"
    echo "|---|---|---|---|"
    row "(a) view=todo, 50 rows, 64 conn, requests/s" todo rps nginx nginx "≥ 60% of nginx (PG), ≥ 25% (SQLite)"
    row "(a) p99" todo p99 "" "" "≤ 20 ms"
    row "(a') the same, view cache off, requests/s" todo-nocache rps nginx nginx "≥ 10% of nginx"
    row "(a') p99" todo-nocache p99 "" "" "(for comparison)"
    if [ -f "$OUT/create-pgbench.txt" ]; then
        CT=$(tps "$OUT/create-pgbench.txt")
        CT8=$(tps "$OUT/create-pgbench8.txt")
        echo "| (b) durable creates, 16 conn, requests/s | $(rps "$OUT/create-sqlite.txt")$(create_share) | $(rps "$OUT/create-pg.txt") ($(pct "$(rps "$OUT/create-pg.txt")" "$CT") of pgbench's $CT tps running a create's statements on 16 connections; $(pct "$(rps "$OUT/create-pg.txt")" "$CT8") of its $CT8 on 8) | ≥ 2,000/s (SQLite), ≥ 50% of pgbench (PG) |"
    else
        echo "| (b) durable creates, 16 conn, requests/s | $(rps "$OUT/create-sqlite.txt")$(create_share) | — | ≥ 2,000/s, ≥ 50% of the ceiling |"
    fi
    row "(b) p99" create p99 "" "" ""
    echo "| fdatasync (pg_test_fsync, this run) | ${FSYNC_US:-?} µs | (the same disk) | |"
    if [ -f "$OUT/search-pgbench-pg.txt" ]; then
        SP=$(p99 "$OUT/search-pg.txt")
        echo "| (s) search q=$TERM_Q, 8 conn, cache off: p99 | $(p99 "$OUT/search-sqlite.txt") | $SP (the query alone by pgbench: $SEARCH_CEIL_P99, ×$(python3 -c "
import re
def ms(v):
    n=float(re.match(r'[\d.]+',v).group()); u=v[len(re.match(r'[\d.]+',v).group()):]
    return n*{'us':0.001,'ms':1,'s':1000}[u]
print(f'{ms(\"$SP\")/ms(\"$SEARCH_CEIL_P99\"):.1f}')"); EXPLAIN: $SEQ Seq Scan) | within 2× of the query alone, no Seq Scan |"
    else
        echo "| (s) search q=$TERM_Q, 8 conn, cache off: p99 | $(p99 "$OUT/search-sqlite.txt") | — | |"
    fi
    row "(s) requests/s" search rps "" "" ""
    echo "| (b') SQLite creates with a webhook endpoint on the shop | $(rps "$OUT/create-webhook.txt") | | (outbox cost) |"
    echo "| (c) nginx static todo view, 64 conn (ceiling) | $(rps "$OUT/nginx-sqlite.txt") | $([ -f "$OUT/nginx-pg.txt" ] && rps "$OUT/nginx-pg.txt" || echo —) | — |"
    echo "| (d) webhook backlog of $BACKLOG events drained, 1 endpoint | $DRAIN events/s (from a restart: $RESTART_DRAIN) | | nginx ceiling $HOOK_CEIL events/s |"
    cat "$OUT/attachments.md"
} > "$OUT/center.md"
echo; echo "== work order center ($ROWS work orders, $SHOPS shops)"; cat "$OUT/center.md"

# (m) gongdan migrate: the whole benchmark database (its 1,000,000 work orders and what the
# runs above added) into an empty database on a throwaway PostgreSQL cluster, with the copy
# verified (counts, checksums, timers); rows/s and total time from its own report.
echo; echo "== (m) gongdan migrate of the benchmark database into PostgreSQL"
MIGRATE_PG=$WORK/pg-migrate
chmod 755 "$WORK"
PG_URL=$(scripts/pg-test-cluster start "$MIGRATE_PG")
T0=$(date +%s.%N)
GONGDAN_LOG=warn $BIN migrate --from "sqlite:$WORK/bench.db" --to "$PG_URL" 2>/dev/null | tee "$OUT/migrate.txt"
T1=$(date +%s.%N)
scripts/pg-test-cluster stop "$MIGRATE_PG"; MIGRATE_PG=
{
    echo "| measurement | rows | copy | rows/s | verify (read back) | total |"
    echo "|---|---|---|---|---|---|"
    awk -v total="$(python3 -c "print(f'{$T1-$T0:.1f} s')")" '
        /^copied/ {rows=$2; copy=$8" s"; rate=substr($10,2)}
        /^verified in/ {verify=$3" s"}
        END {print "| (m) gongdan migrate, SQLite to PostgreSQL | " rows " | " copy " | " rate " | " verify " | " total " |"}' "$OUT/migrate.txt"
} > "$OUT/migrate.md"
cat "$OUT/migrate.md"

if [ -x build/bench/bench_reports ]; then
    echo; echo "== statistics and export ($ROWS work orders in one shop)"
    build/bench/bench_reports "$BIN" "$ROWS" "$WORK/reports" | tee "$OUT/reports.txt"
fi
if [ -x build/bench/bench_deadlines ]; then
    echo; echo "== deadline engine, SQLite (load average $(cut -d' ' -f1 /proc/loadavg))"
    build/bench/bench_deadlines "$TIMERS" | tee "$OUT/deadlines-sqlite.txt"
    # its ceiling: a burst of at most 200,000 fired by the engine, next to the same statements
    # run from a plain loop (bench_deadlines --ceiling; the recording is held in memory)
    DL_CEIL=$(( TIMERS < 200000 ? TIMERS : 200000 ))
    echo; echo "== deadline engine, SQLite, $DL_CEIL timers beside its ceiling (load average $(cut -d' ' -f1 /proc/loadavg))"
    build/bench/bench_deadlines "$DL_CEIL" --ceiling | tee "$OUT/deadlines-sqlite-ceiling.txt"
fi
if [ -x build/bench/bench_targets ]; then
    echo; echo "== time targets: $TARGETS targets due within one minute, reminders and escalations, SQLite"
    build/bench/bench_targets "$TARGETS" 2> /dev/null | tee "$OUT/targets-sqlite.txt"
fi
if [ -x build/bench/bench_deadlines ] && [ "$WITH_PG" = 1 ]; then
    DL=$PG_TIMERS
    echo; echo "== deadline engine, PostgreSQL ($DL timers, load average $(cut -d' ' -f1 /proc/loadavg))"
    build/bench/bench_deadlines "$DL" --db "$(scripts/pg-test-cluster createdb "$PGDIR" dl_engine)" | tee "$OUT/deadlines-pg.txt"
    # the ceiling: the same burst fired on a logging connection gives every statement the engine
    # ran, with its values (bench/pgscript.py replay); bench_pg_replay runs them again on one
    # connection over a copy of the database as the burst found it
    CAP_URL=$(scripts/pg-test-cluster createdb "$PGDIR" dl_capture)
    read -r _ DL_DUE _ DL_SHOP < <(build/bench/bench_deadlines "$DL" --fill-only --db "$CAP_URL" 2>/dev/null)
    psql -XAtq "$PGURL" -c "CREATE DATABASE dl_ceiling TEMPLATE dl_capture"
    CEIL_URL=${CAP_URL/dl_capture/dl_ceiling}
    build/bench/bench_deadlines --fire "$DL_DUE" --db "$CAP_URL$LOGGED" > /dev/null
    sleep 0.5 # the logging collector writes behind
    python3 bench/pgscript.py replay "$PGDIR/data/log" "DELETE FROM deadlines WHERE id IN" > "$WORK/deadlines-replay.jsonl"
    echo "the engine's statements run again on one connection (load average $(cut -d' ' -f1 /proc/loadavg))"
    build/bench/bench_pg_replay "$CEIL_URL" "$WORK/deadlines-replay.jsonl" "$DL" | tee "$OUT/deadlines-pg-ceiling.txt"
    # a fired timer leaves no row: the replay fired those of the burst no longer there
    DL_FIRED=$((DL - $(psql -XAt "$CEIL_URL" -c "SELECT count(*) FROM deadlines WHERE state = 'pending' AND due_at <= $DL_DUE")))
    FS=$(awk '$1=="firings" {print $2}' "$OUT/deadlines-pg.txt")
    FC=$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "firings/s") print $i}' "$OUT/deadlines-pg-ceiling.txt")
    SQ_CEIL=$(awk '$1=="ceiling" && $2=="firings" {print $3}' "$OUT/deadlines-sqlite-ceiling.txt")
    SQ_ENG=$(awk '$1=="firings" {print $2}' "$OUT/deadlines-sqlite-ceiling.txt")
    {
        echo "| measurement | SQLite | PostgreSQL | target |"
        echo "|---|---|---|---|"
        echo "| timers due at one instant, firings/s | $(awk '$1=="firings" {print $2}' "$OUT/deadlines-sqlite.txt") ($TIMERS timers); $SQ_ENG ($DL_CEIL timers): $(pct "$SQ_ENG" "$SQ_CEIL") of the $SQ_CEIL/s of the same statements from a plain loop | $FS ($DL timers): $(pct "$FS" "$FC") of the $FC/s of the same statements replayed on one connection (it fired $DL_FIRED) | ≥ 100,000/s (SQLite); ≥ 50% of the replay (PostgreSQL) |"
        echo "| exactly once | $(awk '$1=="exactly" {print $3}' "$OUT/deadlines-sqlite.txt") | $(awk '$1=="exactly" {print $3}' "$OUT/deadlines-pg.txt") | yes |"
    } > "$OUT/deadlines.md"
    echo; cat "$OUT/deadlines.md"
fi
if [ "$WITH_PG" = 1 ] && command -v nginx > /dev/null; then
    echo; echo "== (n) three nodes on one PostgreSQL behind nginx (the demo database, ${SECS}s per load)"
    GONGDAN_BIN="$PWD/$BIN" node bench/cluster.mjs "$PGDIR" "$SECS" > "$OUT/cluster.md"
    cat "$OUT/cluster.md"
fi
if [ -f web/dist/index.html ] && [ -d web/node_modules/lighthouse ]; then
    echo; echo "== workbench: Lighthouse, mobile preset (sign-in, 全店工单, a work order)"
    node bench/lighthouse.mjs | tee "$OUT/lighthouse.txt"
fi
echo; echo "== bulk work: a transfer of 500 work orders (SQLite), bench/bulk.mjs"
GONGDAN_BIN="$PWD/$BIN" node bench/bulk.mjs | tee "$OUT/bulk.md"
echo; echo "== views (issue 12): the todo view uncached and cached next to nginx, the 100-shop mix and the hit rate, the server's memory (SQLite), bench/views.sh"
AGENT=$(awk '$1=="agent" {print $2}' "$WORK/gen-sqlite.txt") bench/views.sh "$WORK/bench.db"
echo; echo "== durable creates (issue 12): latency, CPU per create, group sizes, the ceiling with 8 and 16 threads (SQLite), bench/creates.sh"
AGENT=$(awk '$1=="agent" {print $2}' "$WORK/gen-sqlite.txt") bench/creates.sh "$WORK/bench.db"
echo; echo "== custom field filters: the 全店 list with and without field[grade]=G0 on the benchmark database (SQLite), bench/types.sh"
# last of the benchmarks on it: shop 1's work orders become a shop type's
bench/types.sh "$WORK/bench.db"
echo; echo "== assignment rules: creates with a least-open-work rule over 20 agents (SQLite), bench/assign.mjs"
GONGDAN_BIN="$PWD/$BIN" node bench/assign.mjs | tee "$OUT/assign.md"
echo; echo "== notifications: one judgement tells 50 owners and leads with a workbench open, time to each bell (SQLite), bench/notify.mjs"
GONGDAN_BIN="$PWD/$BIN" node bench/notify.mjs | tee "$OUT/notify.md"
if [ -f web/dist/panel.html ]; then
    echo; echo "== chat-side panel: first paint at 400 px (time to the create button), bench/panel.mjs"
    GONGDAN_BIN="$PWD/$BIN" node bench/panel.mjs | tee "$OUT/panel.md"
fi
