#!/usr/bin/env bash
# Custom field filters (docs/types.md) at BENCH_ROWS work orders (1,000,000 across 100 shops, as
# bench/run.sh makes them): shop 1's work orders become a shop type's holding a single choice
# (bench/gen_types.c, ten values, each held by a tenth of the shop's), then the lead's 全店 list of
# 50, view cache off, 8 connections, BENCH_SECONDS a run: without a filter and with
# field[grade]=G0, alternating, twice. Prints requests/s and p99 of each run and the ratio over
# both (target: the filtered list within 2x of the plain one). SQLite; with a database path as $1 it uses that bench database
# (bench/run.sh passes its own) instead of generating one.
# Environment: BENCH_ROWS (1000000), BENCH_SHOPS (100), BENCH_SECONDS (15); GONGDAN_BIN and
# BENCH_GEN_DIR: the programs to run (build/gongdan, build/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-1000000}
SHOPS=${BENCH_SHOPS:-100}
SECS=${BENCH_SECONDS:-15}
BIN=${GONGDAN_BIN:-build/gongdan}
GEN=${BENCH_GEN_DIR:-build/bench}
OUT=bench/out
mkdir -p "$OUT"
. bench/lib.sh # the scratch directory and its clean-up, port, serve, stop, rps, p99, load
bench_workdir gd-bench-types
DB=${1:-}
if [ -z "$DB" ]; then
    DB="$WORK/bench.db"
    echo "== generating $ROWS work orders across $SHOPS shops"
    $GEN/bench_gen_center "$DB" "$ROWS" "$SHOPS" > /dev/null
fi
t0=$(date +%s.%N)
$GEN/bench_gen_types "$DB" > "$WORK/types.txt"
rows=$(awk '$1=="rows" {print $2}' "$WORK/types.txt")
echo "== shop 1: $rows work orders given a shop type and a grade in $(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s"

P=$(port)
serve "sqlite:$DB" GONGDAN_VIEW_CACHE=0
export GD_TOKEN=$($BIN token create b001_lead0 --db "sqlite:$DB" 2>/dev/null)
BASE="http://127.0.0.1:$P/api/v1/workorders?view=shop&limit=50"
FIELD="$BASE&field%5Bgrade%5D=G0"
count() { curl -s -H "Authorization: Bearer $GD_TOKEN" "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))'; }
echo "== the lead's list of 50 ($(count "$BASE") rows back) and with field[grade]=G0 ($(count "$FIELD") rows back), view cache off, 8 connections, ${SECS}s a run, the two lists alternating twice (the machine's load moves; load average $(load))"
for run in 1 2; do
    wrk -t2 -c8 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "$BASE" > "$OUT/types-plain-$run.txt"
    wrk -t2 -c8 -d"${SECS}s" --timeout 60s --latency -s bench/auth.lua "$FIELD" > "$OUT/types-field-$run.txt"
done
{
    echo "| list (SQLite, $ROWS work orders, shop 1: $rows) | run | requests/s | p99 |"
    echo "|---|---|---|---|"
    for run in 1 2; do
        echo "| view=shop&limit=50 | $run | $(rps "$OUT/types-plain-$run.txt") | $(p99 "$OUT/types-plain-$run.txt") |"
        echo "| view=shop&limit=50&field[grade]=G0 | $run | $(rps "$OUT/types-field-$run.txt") | $(p99 "$OUT/types-field-$run.txt") |"
    done
    python3 -c "import sys; a=float(sys.argv[1])+float(sys.argv[3]); b=float(sys.argv[2])+float(sys.argv[4]); print(f'\nthe filtered list at {b/a:.2f}x the requests/s of the plain one over both runs (target: at least 0.5x)')" \
        "$(rps "$OUT/types-plain-1.txt")" "$(rps "$OUT/types-field-1.txt")" "$(rps "$OUT/types-plain-2.txt")" "$(rps "$OUT/types-field-2.txt")"
} | tee "$OUT/types.md"
