#!/usr/bin/env bash
# make bench: generates benchmark data and measures, side by side with a ceiling in the same run.
#  (a) view=todo, 50 rows for one agent, 64 connections: requests/s and p99
#  (b) durable creates/s at 16 connections
#  (c) nginx serving a static file of (a)'s response size, 64 connections: the machine's ceiling
# then the other benchmark programs (deadlines, reports) when they are built, and Lighthouse on
# the workbench (bench/lighthouse.mjs: the sign-in, list and work order pages, mobile preset).
# Everything talks to 127.0.0.1 only and every load is bounded in time.
# Environment: BENCH_ROWS (1000000), BENCH_SHOPS (100), BENCH_SECONDS (15).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-1000000}
SHOPS=${BENCH_SHOPS:-100}
SECS=${BENCH_SECONDS:-15}
OUT=bench/out
BIN=build/gongdan
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/gd-bench.XXXXXX)
cleanup() {
    [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null || true
    [ -n "${NGX:-}" ] && kill "$NGX" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/$2" && return 0; sleep 0.1; done; return 1; }
# wrk prints "Requests/sec: N" and, with --latency, "99% X"; both to be read back.
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
p50() { awk '$1=="50%" {print $2}' "$1"; }

echo "== generating $ROWS work orders across $SHOPS shops"
build/bench/bench_gen_center "$WORK/bench.db" "$ROWS" "$SHOPS" > "$WORK/gen.txt"
AGENT=$(awk '$1=="agent" {print $2}' "$WORK/gen.txt")
TODO=$(awk '$1=="agent" {print $3}' "$WORK/gen.txt")
export GD_TOKEN=$($BIN token create "$AGENT" --db "sqlite:$WORK/bench.db" 2>/dev/null)

P=$(port)
GONGDAN_LOG=warn $BIN serve --db "sqlite:$WORK/bench.db" --listen "127.0.0.1:$P" --data-dir "$WORK" > "$WORK/serve.log" 2>&1 &
SRV=$!
wait_port "$P" healthz
export GD_HANDLER=$(curl -s -H "Authorization: Bearer $GD_TOKEN" "http://127.0.0.1:$P/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')
URL="http://127.0.0.1:$P/api/v1/workorders?view=todo&limit=50"
curl -s -H "Authorization: Bearer $GD_TOKEN" "$URL" > "$WORK/todo.json"
SIZE=$(stat -c %s "$WORK/todo.json")
ROWS_BACK=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK/todo.json")
echo "== (a) view=todo for $AGENT ($TODO to do, $ROWS_BACK rows, $SIZE bytes), 64 connections, ${SECS}s"
wrk -t2 -c64 -d"${SECS}s" --latency -s bench/auth.lua "$URL" > "$OUT/todo.txt"
cat "$OUT/todo.txt"

kill "$SRV"; wait "$SRV" 2>/dev/null || true
echo "== (a') the same with the view cache off (every request queries and renders)"
GONGDAN_VIEW_CACHE=0 GONGDAN_LOG=warn $BIN serve --db "sqlite:$WORK/bench.db" --listen "127.0.0.1:$P" --data-dir "$WORK" > "$WORK/serve.log" 2>&1 &
SRV=$!
wait_port "$P" healthz
wrk -t2 -c64 -d"${SECS}s" --latency -s bench/auth.lua "$URL" > "$OUT/todo-nocache.txt"
cat "$OUT/todo-nocache.txt"
kill "$SRV"; wait "$SRV" 2>/dev/null || true
GONGDAN_LOG=warn $BIN serve --db "sqlite:$WORK/bench.db" --listen "127.0.0.1:$P" --data-dir "$WORK" > "$WORK/serve.log" 2>&1 &
SRV=$!
wait_port "$P" healthz

echo "== (b) durable creates, 16 connections, ${SECS}s"
wrk -t2 -c16 -d"${SECS}s" --latency -s bench/create.lua "http://127.0.0.1:$P/api/v1/workorders" > "$OUT/create.txt"
cat "$OUT/create.txt"
kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=

# nginx: the ceiling of (c), and the webhook receiver of (d) (answers 204 to any POST on /hook)
NP=$(port)
mkdir -p "$WORK/www" "$WORK/nginx"
cp "$WORK/todo.json" "$WORK/www/todo.json"
chmod 755 "$WORK" "$WORK/www"; chmod 644 "$WORK/www/todo.json"  # nginx workers drop root
cat > "$WORK/nginx/nginx.conf" <<NGX
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx;
    client_body_buffer_size 256k;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    server { listen 127.0.0.1:$NP; root $WORK/www; location = /hook { return 204; } }
}
NGX
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGX=$!
wait_port "$NP" todo.json

echo "== (d) webhooks: creates with an endpoint on the shop, then a backlog drained"
$BIN webhook add "http://127.0.0.1:$NP/hook" --user b001_lead0 --db "sqlite:$WORK/bench.db" > /dev/null 2>&1
hook_field() { $BIN webhook list --user b001_lead0 --db "sqlite:$WORK/bench.db" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
GONGDAN_LOG=warn $BIN serve --db "sqlite:$WORK/bench.db" --listen "127.0.0.1:$P" --data-dir "$WORK" --webhook-allow-private > "$WORK/serve.log" 2>&1 &
SRV=$!
wait_port "$P" healthz
wrk -t2 -c16 -d"${SECS}s" --latency -s bench/create.lua "http://127.0.0.1:$P/api/v1/workorders" > "$OUT/create-webhook.txt"
cat "$OUT/create-webhook.txt"
for _ in $(seq 300); do [ "$(hook_field pending)" = 0 ] && break; sleep 0.1; done
echo "pending after the creates: $(hook_field pending), delivered $(hook_field delivered)"
kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
# Rewind the endpoint to the start of what the outbox still holds, and time the deliverer
# draining it alone (bench only: a product endpoint never moves backwards).
sqlite3 "$WORK/bench.db" "UPDATE webhooks SET cursor = 0, delivered = 0, failures = 0, next_attempt_at = 0"
BACKLOG=$(hook_field pending)
T0=$(date +%s.%N)
GONGDAN_LOG=warn $BIN serve --db "sqlite:$WORK/bench.db" --listen "127.0.0.1:$P" --data-dir "$WORK" --webhook-allow-private > "$WORK/serve.log" 2>&1 &
SRV=$!
for _ in $(seq 6000); do [ "$(hook_field pending)" = 0 ] && break; sleep 0.05; done
T1=$(date +%s.%N)
kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
DRAIN=$(python3 -c "print(f'{$BACKLOG/($T1-$T0):.0f}')")
echo "backlog of $BACKLOG events drained in $(python3 -c "print(f'{$T1-$T0:.2f}')") s: $DRAIN events/s"
# the ceiling: nginx taking POSTs of one full batch's size on one connection, as the deliverer sends them
python3 -c "import json,sys; ev={'seq':'1','id':'384413601328267265','kind':'created','at':'2026-11-27T02:42:24.616+08:00','actor':{'id':'384413592197267456','name':'主管1'},'workorder':{'id':'384413601328267264','number':'GD-000091','type':'after_sales'},'data':{}}; print(json.dumps({'webhook_id':'1','events':[ev]*100},ensure_ascii=False,separators=(',',':')))" > "$WORK/batch.json"
BODY_FILE="$WORK/batch.json" wrk -t1 -c1 -d"${SECS}s" -s bench/post.lua "http://127.0.0.1:$NP/hook" > "$OUT/hook-ceiling.txt"
HOOK_CEIL=$(python3 -c "print(f'{100*float($(rps "$OUT/hook-ceiling.txt")):.0f}')")
echo "nginx ceiling, one connection, 100-event batches: $HOOK_CEIL events/s"

echo "== (c) nginx: a static file of $SIZE bytes, 64 connections, ${SECS}s"
wrk -t2 -c64 -d"${SECS}s" --latency "http://127.0.0.1:$NP/todo.json" > "$OUT/nginx.txt"
cat "$OUT/nginx.txt"
kill "$NGX"; wait "$NGX" 2>/dev/null || true; NGX=

A=$(rps "$OUT/todo.txt"); B=$(rps "$OUT/create.txt"); C=$(rps "$OUT/nginx.txt")
SHARE=$(python3 -c "print(f'{100*float($A)/float($C):.0f}%')")
{
    echo "| measurement | requests/s | p50 | p99 | target |"
    echo "|---|---|---|---|---|"
    echo "| (a) view=todo, 50 rows, 64 conn | $A | $(p50 "$OUT/todo.txt") | $(p99 "$OUT/todo.txt") | ≥ 10,000/s, ≥ 25% of nginx ($SHARE), p99 ≤ 20 ms |"
    echo "| (a') the same, view cache off | $(rps "$OUT/todo-nocache.txt") | $(p50 "$OUT/todo-nocache.txt") | $(p99 "$OUT/todo-nocache.txt") | (for comparison) |"
    echo "| (b) durable creates, 16 conn | $B | $(p50 "$OUT/create.txt") | $(p99 "$OUT/create.txt") | ≥ 2,000/s |"
    echo "| (b') the same with a webhook endpoint on the shop | $(rps "$OUT/create-webhook.txt") | $(p50 "$OUT/create-webhook.txt") | $(p99 "$OUT/create-webhook.txt") | (outbox cost) |"
    echo "| (c) nginx static $SIZE B, 64 conn (ceiling) | $C | $(p50 "$OUT/nginx.txt") | $(p99 "$OUT/nginx.txt") | — |"
    echo "| (d) webhook backlog of $BACKLOG events drained, 1 endpoint | $DRAIN events/s | | | nginx ceiling $HOOK_CEIL events/s |"
} > "$OUT/center.md"
echo; echo "== work order center ($ROWS work orders, $SHOPS shops)"; cat "$OUT/center.md"

if [ -x build/bench/bench_reports ]; then
    echo; echo "== statistics and export ($ROWS work orders in one shop)"
    build/bench/bench_reports "$BIN" "$ROWS" "$WORK/reports" | tee "$OUT/reports.txt"
fi
if [ -x build/bench/bench_deadlines ]; then
    echo; echo "== deadline engine"
    build/bench/bench_deadlines "$ROWS" | tee "$OUT/deadlines.txt"
fi
if [ -f web/dist/index.html ] && [ -d web/node_modules/lighthouse ]; then
    echo; echo "== workbench: Lighthouse, mobile preset (sign-in, 全店工单, a work order)"
    node bench/lighthouse.mjs | tee "$OUT/lighthouse.txt"
fi
