#!/usr/bin/env bash
# Backups while citizens book (issue 16; step 3c of scripts/bench): booking throughput over
# HTTP (wrk, distinct free slots) alone, then while `visioguichet backup` runs back to back
# with each method (online backup API, VACUUM INTO); the time and size of a backup of the
# served database; the throughput during backups as a ratio to the one without (target
# >= 70 %). Runnable alone against a running server (ORG: the organisation's slug):
#   BASE=http://127.0.0.1:PORT DB=path/to/served.db VG=path/to/visioguichet RUN=dir \
#   [ORG=dept] bench/backup.sh
# Writes $RUN/wrk-backup-*.txt, $RUN/backup-*.log and $RUN/backup.txt (RESULT key=value).
set -euo pipefail
: "${BASE:?}" "${DB:?}" "${VG:?}" "${RUN:?}"
DURATION="${DURATION:-10s}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
ORG="${ORG:-dept}"
# The order of the runs (the database grows with each; swap it to check that order does not
# decide the comparison).
METHODS="${METHODS:-online vacuum}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$RUN/backups"
mkdir -p "$OUT"

# Fresh distinct slots, three shares: alone, during online backups, during VACUUM INTO.
python3 "$ROOT/bench/booking_bodies.py" --base "$BASE" --db "$DB" --org "$ORG" \
  --out "$RUN/backup-bodies.jsonl" --max "${BACKUP_BODIES:-30000}" --motifs 8 >/dev/null
split -n "l/3" -d "$RUN/backup-bodies.jsonl" "$RUN/backup-bodies-"
echo "    $(wc -l <"$RUN/backup-bodies.jsonl") booking bodies in three shares"

book() {  # book NAME BODIES: wrk at full speed for DURATION
  VG_BODIES="$2" VG_WRK_THREADS="$WRK_THREADS" VG_ORG="$ORG" \
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$DURATION" --timeout 10s --latency \
    -s "$ROOT/bench/bookings.lua" "$BASE/api/v1/orgs/$ORG/appointments" >"$RUN/wrk-backup-$1.txt"
  grep -E "Requests/sec|^BOOKINGS" "$RUN/wrk-backup-$1.txt" | sed 's/^/    /'
}

echo "==> bookings alone ($WRK_CONNECTIONS clients, $DURATION)"
book alone "$RUN/backup-bodies-00"

n=0
for method in $METHODS; do
  n=$((n + 1))
  echo "==> bookings while backups ($method) run back to back"
  book "$method" "$RUN/backup-bodies-0$n" &
  WRK=$!
  : >"$RUN/backup-$method.log"
  while kill -0 "$WRK" 2>/dev/null; do
    rm -f "$OUT"/*.gz
    start=$(date +%s.%N)
    "$VG" backup --db "$DB" --to "$OUT/$method-$(date +%s%N).db.gz" --method "$method" \
      >>"$RUN/backup-$method.log"
    echo "seconds $(echo "$(date +%s.%N) - $start" | bc)" >>"$RUN/backup-$method.log"
  done
  wait "$WRK"
  head -1 "$RUN/backup-$method.log" | sed 's/^/    /'
done
rm -rf "$OUT"

python3 - "$RUN" >"$RUN/backup.txt" <<'PY'
import os, re, sys, statistics
run = sys.argv[1]
def read(name):
    return open(os.path.join(run, name)).read()
def rps(name):
    m = re.search(r"Requests/sec:\s+([0-9.]+)", read(name))
    return float(m.group(1)) if m else float("nan")
def booked(name):
    m = re.search(r"status201=(\d+)", read(name))
    return int(m.group(1)) if m else 0
alone = rps("wrk-backup-alone.txt")
out = {"alone_rps": "%.1f" % alone}
for method in ("online", "vacuum"):
    log = read("backup-%s.log" % method)
    sizes = re.findall(r": ([0-9.]+) MB \(database ([0-9.]+) MB", log)
    times = [float(t) for t in re.findall(r"^seconds ([0-9.]+)", log, re.M)]
    during = rps("wrk-backup-%s.txt" % method)
    out[method + "_count"] = len(times)
    if times:
        out[method + "_seconds"] = "%.2f" % statistics.median(times)
    if sizes:
        out[method + "_file_mb"] = sizes[-1][0]
        out["database_mb"] = sizes[-1][1]
    out[method + "_rps"] = "%.1f" % during
    out[method + "_ratio"] = "%.2f" % (during / alone if alone else float("nan"))
    out[method + "_201"] = booked("wrk-backup-%s.txt" % method)
# One line (bench/report.py reads the first RESULT line's key=value pairs).
print("RESULT " + " ".join("%s=%s" % kv for kv in out.items()))
PY
cat "$RUN/backup.txt"
