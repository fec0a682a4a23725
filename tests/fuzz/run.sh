#!/bin/sh
# run.sh HARNESS SECONDS SEEDS WORK: fuzzes for SECONDS starting from the seed corpus SEEDS (read
# only, in the repository); new inputs go to WORK, and a crashing input to WORK.artifacts/, which
# the failure output names. Exits non-zero on a crash, a leak, a timeout or an out-of-memory.
set -eu
harness=$1 seconds=$2 seeds=$3 work=$4
mkdir -p "$work" "$work.artifacts"
# -timeout: one input taking 10 s is a hang; -rss_limit_mb: an input costing 2 GB is a bug
exec "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work.artifacts/" "$work" "$seeds"
