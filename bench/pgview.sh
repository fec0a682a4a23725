#!/usr/bin/env bash
# The todo view on PostgreSQL alone (make bench's (a), (a') and (c) for the pg backend, issue
# 14), for before/after comparisons in the same minutes: each binary given is measured in turn
# on one database, cached then uncached, with nginx serving the same bytes after each.
#   bench/pgview.sh [GONGDAN_BIN...]     (default build/gongdan)
# An argument NAME=VALUE:GONGDAN_BIN runs that binary with the variable set, e.g.
#   bench/pgview.sh GONGDAN_AUTH_CACHE=0:build/gongdan build/gongdan
# compares one build without and with the cache of signed-in principals.
# Environment: BENCH_ROWS (200000), BENCH_SHOPS (ROWS/10000, at least 10), BENCH_SECONDS (10),
# PGVIEW_DIR (where the cluster and the generator's output live, /tmp/gd-pgview-ROWS: kept
# between runs, so the rows are generated once; remove it to start again). The cluster is tuned
# as make bench's (bench/run.sh PG_TUNING, docs/PERFORMANCE.md). PGVIEW_BACKEND=sqlite measures
# the same on a SQLite file instead (PGVIEW_DIR then defaults to /tmp/gd-sqview-ROWS).
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
export PG_TEST_CLUSTER_OPTS="-c shared_buffers=1GB -c effective_cache_size=4GB -c work_mem=16MB \
 -c maintenance_work_mem=256MB -c wal_buffers=16MB -c max_wal_size=8GB \
 -c checkpoint_timeout=30min -c random_page_cost=1.1 -c jit=off \
 -c shared_preload_libraries=pg_stat_statements"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/$2" && return 0; sleep 0.1; done; return 1; }
rps() { awk '/Requests\/sec/ {printf "%.0f\n", $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
pct() { python3 -c "print(f'{100*float($1)/float($2):.0f}%')"; }
load() { cut -d' ' -f1 /proc/loadavg; }

cleanup() {
    [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null || true
    [ -n "${NGX:-}" ] && kill "$NGX" 2>/dev/null || true
    wait 2>/dev/null || true
    scripts/pg-test-cluster down "$DIR/pg" > /dev/null 2>&1 || true
}
trap cleanup EXIT

if [ "$BACKEND" = sqlite ]; then
    PGURL="sqlite:$DIR/bench.db"
    if [ ! -f "$DIR/gen.txt" ]; then
        rm -f "$DIR"/bench.db*
        echo "== generating $ROWS work orders across $SHOPS shops"
        build/bench/bench_gen_center "$PGURL" "$ROWS" "$SHOPS" > "$DIR/gen.tmp"
        mv "$DIR/gen.tmp" "$DIR/gen.txt"
    fi
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
bin_of() { [[ $1 == *=*:* ]] && echo "${1#*:}" || echo "$1"; }
env_of() { [[ $1 == *=*:* ]] && echo "${1%%:*}" || true; }
export GD_TOKEN=$("$(bin_of "${BINS[0]}")" token create "$AGENT" --db "$PGURL" 2>/dev/null)

NP=$(port)
echo ok > "$DIR/www/up"
chmod 644 "$DIR/www/up"
cat > "$DIR/nginx/nginx.conf" <<NGX
worker_processes 2;
daemon off;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $DIR/nginx; proxy_temp_path $DIR/nginx;
       fastcgi_temp_path $DIR/nginx; uwsgi_temp_path $DIR/nginx; scgi_temp_path $DIR/nginx;
       server { listen 127.0.0.1:$NP; root $DIR/www; } }
NGX
nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" &
NGX=$!
wait_port "$NP" up

P=$(port)
URL="http://127.0.0.1:$P/api/v1/workorders?view=todo&limit=50"
serve() { # [NAME=VALUE:]BIN [ENV=VALUE...]
    local bin set
    bin=$(bin_of "$1") set=$(env_of "$1"); shift
    env GONGDAN_LOG=warn ${set:+"$set"} "$@" "$bin" serve --db "$PGURL" --listen "127.0.0.1:$P" --data-dir "$DIR" \
        > "$DIR/serve.log" 2>&1 &
    SRV=$!
    wait_port "$P" healthz
}
stop() { kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=; }
run_wrk() { # NAME URL [wrk args]
    local name=$1 url=$2; shift 2
    echo "== $name (load average $(load))" >&2
    wrk -t2 -c64 -d"${SECS}s" --timeout 60s --latency "$@" "$url" > "$OUT/pgview-$BACKEND-$name.txt"
}

echo "| binary | (a) cached | (c) nginx | (a) / nginx | (a') uncached | (c) nginx | (a') / nginx | load |"
echo "|---|---|---|---|---|---|---|---|"
for i in "${!BINS[@]}"; do
    bin=${BINS[$i]}
    l0=$(load)
    serve "$bin"
    curl -s -H "Authorization: Bearer $GD_TOKEN" "$URL" > "$DIR/www/todo.json"
    chmod 644 "$DIR/www/todo.json"
    run_wrk "cached-$i" "$URL" -s bench/auth.lua
    stop
    run_wrk "nginx-$i" "http://127.0.0.1:$NP/todo.json"
    serve "$bin" GONGDAN_VIEW_CACHE=0
    run_wrk "uncached-$i" "$URL" -s bench/auth.lua
    stop
    run_wrk "nginx2-$i" "http://127.0.0.1:$NP/todo.json"
    a=$(rps "$OUT/pgview-$BACKEND-cached-$i.txt") c=$(rps "$OUT/pgview-$BACKEND-nginx-$i.txt")
    u=$(rps "$OUT/pgview-$BACKEND-uncached-$i.txt") c2=$(rps "$OUT/pgview-$BACKEND-nginx2-$i.txt")
    echo "| $bin | $a/s, p99 $(p99 "$OUT/pgview-$BACKEND-cached-$i.txt") | $c/s | $(pct "$a" "$c") | $u/s, p99 $(p99 "$OUT/pgview-$BACKEND-uncached-$i.txt") | $c2/s | $(pct "$u" "$c2") | $l0–$(load) |"
done
echo "($BACKEND, $ROWS work orders, $SHOPS shops; $AGENT has $TODO to do; $(stat -c %s "$DIR/www/todo.json") bytes a view; 64 connections, ${SECS} s each)"
