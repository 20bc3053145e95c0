#!/usr/bin/env bash
# Runs the prover benchmark matrix of docs/benchmarks.md (release build):
# 2^16, 2^18, 2^20 rows × 8, 16, 32 advice columns at the given preset, each
# shape's floor and proof alternated RUNS times (medians; default 3).
# Usage: Benchmarks/zkpolicy-bench/stark-matrix.sh [PRESET] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
preset="${1:-conjectured-100}"
runs="${2:-3}"
swift build -c release --product zkpolicy-bench >/dev/null
bench=.build/release/zkpolicy-bench
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for rows in 16 18 20; do
    for columns in 8 16 32; do
        "$bench" stark --log-rows "$rows" --columns "$columns" --security "$preset" --runs "$runs"
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
