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
for term in 退 退款 申请退款; do
    # the search condition of src/store/pg/filter.c for one term (its tokens: search.c)
    case $term in
    退) grams='退' ;;
    退款) grams='退款' ;;
    *) grams=$(printf '申请\037请退\037退款') ;;
    esac
    plan=$(psql -X -q -At "$url" -c "SET enable_seqscan = off" -c "EXPLAIN SELECT s.workorder_id
        FROM unnest(ARRAY['$grams'], ARRAY['$term']) WITH ORDINALITY AS q(g, term, k) JOIN
        wo_search s ON s.grams @> string_to_array(q.g, chr(31)) AND strpos(s.body, q.term) > 0
        GROUP BY s.workorder_id HAVING count(DISTINCT q.k) = 1")
    if echo "$plan" | grep -q 'Bitmap Index Scan on wo_search_grams'; then
        echo "ok: $term uses wo_search_grams"
    else
        echo "not ok: $term does not use the index:"
        echo "$plan"
        fail=1
    fi
done
[ $fail -eq 0 ] && echo "3 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
