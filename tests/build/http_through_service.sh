#!/bin/sh
# Fails when src/http/ reaches storage other than through the service (the layers are one-way:
# http -> service -> store): an include of store/store.h or of a backend, a store operation
# (GD_STORE, GD_STORE0), a gd_store_* function or a service's store handle (->store, .store).
# Usage: http_through_service.sh HTTP_DIR
set -eu
dir=$1
if grep -nE '#[[:space:]]*include[[:space:]]*"store/|\bGD_STORE0?\b|\bgd_store_[a-z_]+[[:space:]]*\(|(->|\.)store\b' \
        "$dir"/*.c "$dir"/*.h; then
    echo "src/http/ reaches the store directly (above): call a gd_svc_* function instead" >&2
    exit 1
fi
echo "src/http/ reaches storage only through the service"
