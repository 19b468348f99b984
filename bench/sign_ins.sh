#!/usr/bin/env bash
# Step 3a3 of scripts/bench (issue 12): staff sign-ins at full speed (POST /login with the
# right password: one Argon2id verification at the parameters of docs/SECURITY.md and a new
# session each) beside citizens' slot searches. Slot search alone first, then the same slot
# search while sign-ins run; the ratio says whether sign-ins starve it. Runnable alone:
#   BASE=http://127.0.0.1:PORT DB=path/to/served.db VG=path/to/visioguichet RUN=dir \
#   SLOTS_PATH=/api/v1/orgs/dept/slots?... bench/sign_ins.sh
# Writes $RUN/wrk-signin-slots-alone.txt, wrk-signin-slots-during.txt, wrk-signins.txt and
# $RUN/signins.txt (RESULT key=value).
set -euo pipefail
: "${BASE:?}" "${DB:?}" "${VG:?}" "${RUN:?}" "${SLOTS_PATH:?}"
DURATION="${DURATION:-10s}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PASSWORD="bench-SignIn-gravier-71"
SIGNIN_CONNECTIONS="${SIGNIN_CONNECTIONS:-8}"  # staff signing in at once (a morning rush)
SLOT_CONNECTIONS="${SLOT_CONNECTIONS:-16}"

EMAIL="$(sqlite3 "$DB" "SELECT email FROM accounts WHERE password_hash IS NULL ORDER BY id LIMIT 1")"
[ -n "$EMAIL" ] || { echo "no account without password to sign in with"; exit 1; }
echo "$PASSWORD" | "$VG" user password --db "$DB" --email "$EMAIL" >/dev/null
JAR="$RUN/signin-cookies.txt"
rm -f "$JAR"
curl -s -c "$JAR" -o /dev/null "$BASE/login"
CSRF="$(awk '$6 == "vg_csrf" {print $7}' "$JAR")"
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

echo "==> wrk: slot search alone ($SLOT_CONNECTIONS clients)"
wrk -t1 -c"$SLOT_CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$BASE$SLOTS_PATH" \
  | tee "$RUN/wrk-signin-slots-alone.txt"
echo "==> wrk: slot search ($SLOT_CONNECTIONS clients) while $SIGNIN_CONNECTIONS clients sign in"
VG_EMAIL="$(urlencode "$EMAIL")" VG_PASSWORD="$(urlencode "$PASSWORD")" VG_CSRF="$CSRF" \
  wrk -t1 -c"$SIGNIN_CONNECTIONS" -d"$DURATION" --timeout 20s --latency -s "$ROOT/bench/sign_ins.lua" \
  "$BASE/login" >"$RUN/wrk-signins.txt" &
SIGNINS=$!
wrk -t1 -c"$SLOT_CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$BASE$SLOTS_PATH" \
  | tee "$RUN/wrk-signin-slots-during.txt"
wait "$SIGNINS"
cat "$RUN/wrk-signins.txt"
python3 - "$RUN" >"$RUN/signins.txt" <<'PY'
import os, re, sys
run = sys.argv[1]
def rps(name):
    m = re.search(r"Requests/sec:\s+([0-9.]+)", open(os.path.join(run, name)).read())
    return float(m.group(1)) if m else float("nan")
def p99(name):
    m = re.search(r"^\s+99%\s+([0-9.]+)(us|ms|s)\b", open(os.path.join(run, name)).read(), re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
signed = re.search(r"sign-ins: (\d+) signed in \(303\), (\d+) locked \(429\), (\d+) other",
                   open(os.path.join(run, "wrk-signins.txt")).read())
print("RESULT slots_alone_rps=%.1f slots_during_rps=%.1f slots_alone_p99=%.2f "
      "slots_during_p99=%.2f signins_rps=%.2f signins_p50=%s signins_p99=%.1f signed=%s locked=%s other=%s"
      % (rps("wrk-signin-slots-alone.txt"), rps("wrk-signin-slots-during.txt"),
         p99("wrk-signin-slots-alone.txt"), p99("wrk-signin-slots-during.txt"),
         rps("wrk-signins.txt"),
         (re.search(r"^\s+50%\s+(\S+)", open(os.path.join(run, "wrk-signins.txt")).read(), re.M)
          or [None, "?"])[1], p99("wrk-signins.txt"),
         *(signed.groups() if signed else ("?", "?", "?"))))
PY
cat "$RUN/signins.txt"
