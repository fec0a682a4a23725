#!/bin/sh
# The PostgreSQL backend's keyword search reads its GIN index for one- and two-character terms
# (and longer ones), and the index itself keeps to the searching shop: on the demo's two shops,
# whose work orders share their titles, the plan of the search condition of src/store/pg/filter.c
# (sequential and plain index scans priced out: on tables this small reading a whole one is
# cheaper, and the benchmark's EXPLAIN shows the plan at size) is a bitmap scan of wo_search_grams whose
# condition holds the shop's token, and the scan yields exactly the shop's pieces that hold the
# term's tokens, none of the other shop's. Usage: search_index.sh GONGDAN CLUSTER
set -eu
bin=$1
cluster=$2
here=$(dirname "$0")
url=$("$here/../../scripts/pg-test-cluster" createdb "$cluster" "search_index_$$")
"$bin" demo --db "$url" >/dev/null 2>&1
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$url" "$@"; }
sql -c "ANALYZE"
shop=$(sql -c "SELECT id FROM shops ORDER BY id LIMIT 1")
passed=0
fail=0
for term in 退 退款 申请退款; do
    # the tokens of one term (src/store/pg/search.c): its unigram, or its bigrams
    case $term in
    退) grams='退' ;;
    退款) grams='退款' ;;
    *) grams=$(printf '申请\037请退\037退款') ;;
    esac
    tokens="string_to_array('$grams', chr(31))"
    mine=$(sql -c "SELECT count(*) FROM wo_search s JOIN workorders w ON w.id = s.workorder_id
        WHERE w.shop_id = $shop AND s.grams @> $tokens")
    everyone=$(sql -c "SELECT count(*) FROM wo_search s WHERE s.grams @> $tokens")
    plan=$(sql -c "SET enable_seqscan = off" -c "SET enable_indexscan = off" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
        SELECT s.workorder_id FROM unnest(ARRAY['$grams'], ARRAY['$term']) WITH ORDINALITY AS
        q(g, term, k) JOIN wo_search s ON s.grams @> (string_to_array(q.g, chr(31)) ||
        'shop $shop'::text) AND strpos(s.body, q.term) > 0 GROUP BY s.workorder_id
        HAVING count(DISTINCT q.k) = 1")
    scan=$(echo "$plan" | grep -A1 'Bitmap Index Scan on wo_search_grams' || true)
    got=$(echo "$scan" | sed -n 's/.*Bitmap Index Scan on wo_search_grams (actual rows=\([0-9]*\).*/\1/p')
    if [ -z "$scan" ]; then
        echo "not ok: $term does not use the index:"
        echo "$plan"
        fail=$((fail + 1))
    elif ! echo "$scan" | grep -q "'shop $shop'"; then
        echo "not ok: $term: the index condition holds no shop token:"
        echo "$plan"
        fail=$((fail + 1))
    elif [ "$mine" -eq 0 ] || [ "$mine" -ge "$everyone" ] || [ "$got" != "$mine" ]; then
        echo "not ok: $term: the index yielded $got pieces; the shop has $mine, both shops $everyone:"
        echo "$plan"
        fail=$((fail + 1))
    else
        echo "ok: $term uses wo_search_grams and yields the shop's $mine pieces of $everyone"
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $fail failed"
[ $fail -eq 0 ]
