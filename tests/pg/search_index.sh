#!/bin/sh
# The PostgreSQL backend's keyword search uses its GIN index for one- and two-character terms
# (and longer ones): the plan of the search condition of src/store/pg/filter.c, with sequential
# scans priced out, is a bitmap scan of wo_search_grams. Usage: search_index.sh GONGDAN CLUSTER
set -eu
bin=$1
cluster=$2
here=$(dirname "$0")
url=$("$here/../../scripts/pg-test-cluster" createdb "$cluster" "search_index_$$")
"$bin" init --db "$url" --admin-password admin-password >/dev/null
fail=0
for grams in '{退}' '{退款}' '{申请,请退,退款}'; do
    plan=$(psql -X -q -At "$url" -c "SET enable_seqscan = off" -c "EXPLAIN SELECT s.workorder_id
        FROM wo_search s WHERE s.grams @> '$grams'::text[] AND NOT EXISTS (SELECT 1 FROM
        unnest('{x}'::text[]) t WHERE strpos(s.body, t) = 0)")
    if echo "$plan" | grep -q 'Bitmap Index Scan on wo_search_grams'; then
        echo "ok: $grams uses wo_search_grams"
    else
        echo "not ok: $grams does not use the index:"
        echo "$plan"
        fail=1
    fi
done
[ $fail -eq 0 ] && echo "3 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
