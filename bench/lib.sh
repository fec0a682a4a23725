# Shared by the benchmark scripts (bench/run.sh, search.sh, views.sh, pgview.sh, types.sh),
# sourced, not run: the scratch directory and its clean-up, the server under test and nginx beside
# it, and how figures are read back. The caller sets BIN (the gongdan binary), OUT (bench/out),
# and, for PostgreSQL, PGDIR (the cluster's directory) and PGURL (its database); bench_workdir
# sets WORK, P is the server's port (P=$(port)).

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/$2" && return 0; sleep 0.1; done; return 1; }

# wrk prints "Requests/sec: N" and, with --latency, "99% X"; both to be read back. (wrk leaves
# requests slower than --timeout out of its latencies: 60 s, so a slow search is counted.)
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
p50() { awk '$1=="50%" {print $2}' "$1"; }
p90() { awk '$1=="90%" {print $2}' "$1"; }
# pgbench prints "tps = N (without initial connection time)"
tps() { awk '/^tps = / {printf "%.0f\n", $3}' "$1"; }
# the CPU ticks of each of the server's threads: "NAME TID TICKS" lines
thread_ticks() { for t in /proc/"$1"/task/*; do echo "$(tr ' ' _ < "$t/comm") ${t##*/} $(awk '{print $14 + $15}' "$t/stat")"; done 2> /dev/null; }
# How the server's CPU was spread over its threads between two thread_ticks: each of
# libmicrohttpd's workers' share of the workers' CPU, busiest first, and the fence's reader's share
# of the server's. A connection stays on the worker that took it, so a run whose connections
# landed on one or two workers cannot use both cores (docs/PERFORMANCE.md, "Figures: 2026-12-02
# (2)"; since http/acceptor.c the server hands them to its workers in turn).
spread() {
    join -1 2 -2 2 <(sort -k2,2 "$1") <(sort -k2,2 "$2") | awk '
        {d = $5 - $3; all += d} $2 == "MHD-worker" {w[++n] = d; sum += d} $2 == "gd-fence" {f += d}
        END {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (w[j] > w[i]) {t = w[i]; w[i] = w[j]; w[j] = t}
            for (i = 1; i <= n; i++) printf "%s%.0f", (i > 1 ? "/" : "workers "), (sum ? 100 * w[i] / sum : 0)
            printf "%%, reader %.0f%%", (all ? 100 * f / all : 0)
        }'
}
# Nanoseconds the process's threads have waited on a run queue, runnable but not running (the
# second field of /proc/PID/task/TID/schedstat), summed: its change over a run divided by the
# requests served is the time-slicing a request met (more runnable threads than cores).
run_wait_ns() { cat /proc/"$1"/task/*/schedstat 2> /dev/null | awk '{t += $2} END {printf "%.0f", t}'; }
# The same for the one thread of PID named NAME (the fence's reader, gd-fence): how long the
# thread every suspended request waits on sat runnable while others held the cores.
thread_wait_ns() { for t in /proc/"$1"/task/*; do [ "$(cat "$t/comm" 2> /dev/null)" = "$2" ] && awk '{print $2}' "$t/schedstat"; done 2> /dev/null | awk '{t += $1} END {printf "%.0f", t}'; }
# CPU ticks the hypervisor gave to others while this VM wanted them (steal, /proc/stat), all
# CPUs: a run slower than its neighbours with steal in it was the host's, not the code's.
steal_ticks() { awk '$1 == "cpu" {print $9}' /proc/stat; }
# Context switches of the process's threads, voluntary (a thread going to sleep: a wait on epoll,
# a futex) and not (preempted), summed: "VOLUNTARY INVOLUNTARY".
switches() { cat /proc/"$1"/task/*/status 2> /dev/null | awk '$1 == "voluntary_ctxt_switches:" {v += $2} $1 == "nonvoluntary_ctxt_switches:" {n += $2} END {print v + 0, n + 0}'; }
pct() { python3 -c "print(f'{100*float($1)/float($2):.0f}%')"; }
load() { cut -d' ' -f1 /proc/loadavg; }

# bench_workdir NAME: a scratch directory $WORK (/tmp/NAME.XXXXXX, readable by nginx's and
# PostgreSQL's users) and, on exit, the clean-up: the server ($SRV) and nginx ($NGX) stopped, the
# script's own cleanup_more (when it defines one) run, then, unless BENCH_KEEP is set, the cluster
# in $PGDIR (when set) stopped and $WORK removed.
bench_workdir() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$WORK"
    SRV= NGX=
    trap bench_cleanup EXIT
}
bench_cleanup() {
    [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null || true
    [ -n "${NGX:-}" ] && kill "$NGX" 2>/dev/null || true
    wait 2>/dev/null || true
    if declare -F cleanup_more > /dev/null; then cleanup_more; fi
    if [ -n "${BENCH_KEEP:-}" ]; then
        echo "kept $WORK${PGDIR:+ (PostgreSQL still running: scripts/pg-test-cluster stop $PGDIR)}"
        return
    fi
    [ -n "${PGDIR:-}" ] && [ -d "$PGDIR" ] && scripts/pg-test-cluster stop "$PGDIR" || true
    rm -rf "$WORK"
}

# serve DB_URL [ENV=VALUE...] [-- SERVE_ARGS...]: $BIN serving DB_URL on $P (its files and log in
# $WORK), in the background as $SRV; returns once it answers
serve() {
    local db=$1 env=()
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    env GONGDAN_LOG=warn "${env[@]}" $BIN serve --db "$db" --listen "127.0.0.1:$P" --data-dir "$WORK" \
        "$@" > "$WORK/serve.log" 2>&1 &
    SRV=$!
    wait_port "$P" healthz
}

stop() { kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=; }

# nginx_start [LOCATIONS]: nginx (2 workers) on a new port $NP as $NGX, serving $WORK/www (each
# file there must be readable by its workers, which drop root) with LOCATIONS added to its
# server block; returns once it answers. The ceiling of the server's own answers, sent as
# static files.
nginx_start() {
    NP=$(port)
    mkdir -p "$WORK/www" "$WORK/nginx"
    chmod 755 "$WORK/www"
    echo ok > "$WORK/www/up"; chmod 644 "$WORK/www/up"
    cat > "$WORK/nginx/nginx.conf" <<NGX
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    log_format posted '\$msec';
    client_body_temp_path $WORK/nginx;
    client_body_buffer_size 256k;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    server {
        listen 127.0.0.1:$NP; root $WORK/www;
        ${1:-}
    }
}
NGX
    nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
    NGX=$!
    wait_port "$NP" up
}

# The PostgreSQL cluster of the benchmark: throwaway, durable (fsync and synchronous_commit on),
# sized as a user would size it for this database on this machine (docs/PERFORMANCE.md says
# why each), with pg_stat_statements loaded and jsonlog written (the ceilings read statements
# back from it; only connections that ask for log_statement log anything).
PG_TUNING="-c shared_buffers=1GB -c effective_cache_size=4GB -c work_mem=16MB \
 -c maintenance_work_mem=256MB -c wal_buffers=16MB -c max_wal_size=8GB \
 -c checkpoint_timeout=30min -c random_page_cost=1.1 -c jit=off"
PG_LOGGING="-c shared_preload_libraries=pg_stat_statements -c logging_collector=on \
 -c log_destination=jsonlog -c log_directory=log"
# libpq URL options: this connection logs every statement it runs (the capture)
LOGGED="&options=-c%20log_statement%3Dall"

# capture PICK ONLY NAME CURL_ARGS...: serves with statement logging, makes the request 24 times
# (three per server thread: a thread's first request also connects and fills its caches)
# between marks, and writes the pgbench script of what it ran to $OUT/pgbench-NAME.sql (its
# parameters' values in $OUT/pgbench-NAME.args, pgbench -D arguments) and, with the values
# written in, to $OUT/explain-NAME.sql
capture() {
    local pick=$1 only=$2 name=$3; shift 3
    serve "$PGURL$LOGGED" GONGDAN_VIEW_CACHE=0
    local mark="gd-bench-$name"
    psql -XAtq "$PGURL$LOGGED" -c "SELECT '$mark'" > /dev/null
    for _ in $(seq 24); do
        curl -s -o /dev/null "$@"
        psql -XAtq "$PGURL$LOGGED" -c "SELECT '$mark'" > /dev/null
    done
    stop
    sleep 0.5 # the logging collector writes behind
    python3 bench/pgscript.py request "$PGDIR/data/log" "$mark" "$pick" "$only" > "$OUT/explain-$name.sql"
    python3 bench/pgscript.py request "$PGDIR/data/log" "$mark" "$pick" "$only" "$OUT/pgbench-$name.args" > "$OUT/pgbench-$name.sql" 2>/dev/null
}

# pgbench_p99 FILE_PREFIX: the 99th percentile of pgbench -l's per-transaction latencies, in ms
pgbench_p99() {
    cat "$1".* | python3 -c 'import sys; v=sorted(int(l.split()[2]) for l in sys.stdin); print(f"{v[int(len(v)*0.99)]/1000:.2f}ms" if v else "-")'
}

# (s) the keyword search: a two-character term in about a quarter of the generator's titles
TERM_Q=退款
TERM_QS=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$TERM_Q")
SEARCH_PATH="/api/v1/workorders?view=shop&q=$TERM_QS&limit=50"

# search_load NAME LEAD_TOKEN: q=$TERM_Q over the lead's shop, 8 connections, $SECS s, against
# the server on $P (serve it with GONGDAN_VIEW_CACHE=0); wrk's output in $OUT/search-NAME.txt
search_load() {
    local name=$1 token=$2 hits
    hits=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$P$SEARCH_PATH" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))') || true
    echo "== $name (s) search q=$TERM_Q over the lead's shop ($hits rows back), view cache off, 8 connections, ${SECS}s (load average $(cut -d' ' -f1 /proc/loadavg))"
    GD_TOKEN=$token wrk -t2 -c8 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "http://127.0.0.1:$P$SEARCH_PATH" > "$OUT/search-$name.txt"
    cat "$OUT/search-$name.txt"
}

# search_capture LEAD_TOKEN NAME: the search's statements on PostgreSQL ($PGURL), for
# search_ceiling NAME
search_capture() {
    capture "FROM workorders w" "FROM workorders w" "search-$2" -H "Authorization: Bearer $1" "http://127.0.0.1:$P$SEARCH_PATH"
}

# search_ceiling NAME: pgbench running the search query captured as NAME alone, 8 connections,
# $SECS s, into $OUT/search-pgbench-NAME.txt; sets SEARCH_CEIL_P99, and SEQ to the Seq Scans in
# the plan PostgreSQL picks for it (no setting forces the index), $OUT/search-explain-NAME.txt
search_ceiling() {
    local name=$1 args
    echo "== $name (s) ceiling: pgbench running the search query alone, 8 connections, ${SECS}s (load average $(cut -d' ' -f1 /proc/loadavg))"
    mapfile -d '' args < "$OUT/pgbench-search-$name.args"
    rm -f "$WORK"/search-ceiling.*
    pgbench -n -M prepared -c8 -j8 -T"$SECS" "${args[@]}" -l --log-prefix="$WORK/search-ceiling" -f "$OUT/pgbench-search-$name.sql" "$PGURL" > "$OUT/search-pgbench-$name.txt" 2>&1
    cat "$OUT/search-pgbench-$name.txt"
    SEARCH_CEIL_P99=$(pgbench_p99 "$WORK/search-ceiling")
    echo "search query alone, p99: $SEARCH_CEIL_P99"
    psql -XAt "$PGURL" -c "EXPLAIN $(sed 's/;$//' "$OUT/explain-search-$name.sql")" > "$OUT/search-explain-$name.txt" || true
    SEQ=$(grep -c 'Seq Scan' "$OUT/search-explain-$name.txt" || true)
}
