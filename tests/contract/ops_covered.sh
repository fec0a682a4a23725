#!/bin/sh
# Fails when an operation of the store's vtable (struct gd_store_ops in store.h) has no call in
# the contract suite (GD_STORE(handle, op, ...) or GD_STORE0(handle, op) in tests/contract), so
# an operation added to the contract cannot go untested on every backend.
# Usage: ops_covered.sh STORE_H CONTRACT_DIR
set -eu
header=$1 dir=$2
ops=$(sed -n '/^struct gd_store_ops {/,/^};/p' "$header" | grep -o '(\*[a-z0-9_]*)' | tr -d '(*)')
if [ -z "$ops" ]; then
    echo "no operations found in struct gd_store_ops of $header" >&2
    exit 1
fi
missing=0 total=0
for op in $ops; do
    total=$((total + 1))
    if ! grep -Eq "GD_STORE0?\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*,[[:space:]]*$op[[:space:],)]" \
            "$dir"/*.c "$dir"/*.h; then
        echo "store operation '$op' is never called by the contract suite ($dir)" >&2
        missing=$((missing + 1))
    fi
done
if [ "$missing" -ne 0 ]; then
    echo "$missing of $total store operations uncovered" >&2
    exit 1
fi
echo "all $total store operations are called by the contract suite"
