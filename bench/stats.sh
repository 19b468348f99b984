#!/bin/sh
# The statistics' benchmark (issue 14, docs/PERFORMANCE.md), run by hand (not by scripts/test):
#   bench/stats.sh [BUILD]
# BUILD: a build folder configured with -DVG_BENCH=ON (gen_departement and bench_stats built).
# Generates once, niced, ten départements (dept1 ... dept10) of 100,000 appointments each over
# the past year with their outcomes, surveys and video rooms' journals (gen_departement
# --history: 1,000,000 appointments), then measures the statistics page's computation for a
# year and every site of one département, and its full one-year export (bench_stats), then
# that export through HTTP with the server's memory (bench/stats_http_export.py: it adds an
# administrator account and its session to the data set).
# Hooked into scripts/bench (step 7); VG_BENCH_DATA: where the data set is kept (bench/out);
# VG_BENCH_DEPTS: how many départements (10; fewer makes a smaller file, see PERFORMANCE.md).
set -eu
BUILD="${1:-build}"
DATA="${VG_BENCH_DATA:-bench/out}"
DEPTS="${VG_BENCH_DEPTS:-10}"
mkdir -p "$DATA"
DATASET="$DATA/stats-${DEPTS}x100k-$(date +%F).db"
if [ ! -f "$DATASET" ]; then
  # Appointments are relative to the day of generation: older data sets are dropped.
  find "$DATA" -maxdepth 1 -name 'stats-*' -delete
  for i in $(seq 1 "$DEPTS"); do
    nice -n 19 "$BUILD/gen_departement" --db "$DATASET.tmp" --seed "$i" --slug "dept$i" \
      --history --appointments 100000
  done
  sqlite3 "$DATASET.tmp" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  rm -f "$DATASET.tmp-wal" "$DATASET.tmp-shm"
  mv "$DATASET.tmp" "$DATASET"
fi
echo "==> $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg)"
sqlite3 "$DATASET" "SELECT 'appointments', COUNT(*) FROM appointments; SELECT 'room_events', COUNT(*) FROM room_events;"
"$BUILD/bench_stats" --db "$DATASET" --org dept1 --runs "${RUNS:-20}"
echo "==> what-if: memory-mapped reads (--mmap-mb 1024)"
"$BUILD/bench_stats" --db "$DATASET" --org dept1 --runs "${RUNS:-20}" --mmap-mb 1024
echo "==> the one-year export through HTTP, streamed (server's memory before, peak, after)"
VG_BINARY="$BUILD/visioguichet" VG_SOURCE_DIR="$(pwd)" python3 bench/stats_http_export.py \
  "$DATASET" dept1
