#!/usr/bin/env bash
# Step 3c of scripts/bench (issue 12): the week agenda of a signed-in agent with about 40
# live appointments that week, in the département data set, over HTTP with wrk; the server
# time per page comes from the server's access log (route /console/agenda, and /healthz of the
# same run as the baseline). Runnable alone against a running server:
#   BASE=http://127.0.0.1:PORT DB=path/to/served.db VG=path/to/visioguichet RUN=dir \
#   SERVER_LOG=path/to/server.log bench/agenda_week.sh
# Writes $RUN/wrk-agenda-1.txt, $RUN/wrk-agenda.txt and $RUN/agenda.txt (RESULT key=value).
set -euo pipefail
: "${BASE:?}" "${DB:?}" "${VG:?}" "${RUN:?}" "${SERVER_LOG:?}"
DURATION="${DURATION:-10s}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PASSWORD="bench-Agenda-tulipe-93"

# The agent and ISO week (Monday, Paris time approximated as UTC+1) whose count of live
# appointments is closest to 40, more rather than fewer.
read -r AGENT WEEK COUNT < <(sqlite3 -separator ' ' "$DB" "
  SELECT agent_id, (starts_at + 3600 - 345600) / 604800 AS w, COUNT(*) AS c FROM appointments
  WHERE status IN ('booked','confirmed') GROUP BY agent_id, w
  ORDER BY ABS(COUNT(*) - 40), COUNT(*) DESC LIMIT 1")
MONDAY="$(sqlite3 "$DB" "SELECT date($WEEK * 604800 + 345600, 'unixepoch')")"
EMAIL="$(sqlite3 "$DB" "SELECT email FROM agents WHERE id = $AGENT")"
echo "    agent $AGENT ($EMAIL), week of $MONDAY: $COUNT live appointments"

# A session made through the sign-in form, as a browser does.
echo "$PASSWORD" | "$VG" user password --db "$DB" --email "$EMAIL" >/dev/null
JAR="$RUN/agenda-cookies.txt"
rm -f "$JAR"
curl -s -c "$JAR" -o /dev/null "$BASE/login"
CSRF="$(awk '$6 == "vg_csrf" {print $7}' "$JAR")"
code="$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' --data-urlencode "email=$EMAIL" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$CSRF" "$BASE/login")"
[ "$code" = 303 ] || { echo "sign-in -> $code"; exit 1; }
STAFF="$(awk '$6 == "vg_staff" {print $7}' "$JAR")"
URL="$BASE/console/agenda?day=$MONDAY&view=week"
curl -s -H "Cookie: vg_staff=$STAFF" -o "$RUN/agenda.html" -w '%{http_code}' "$URL" >"$RUN/agenda.code"
SHOWN="$(grep -c 'href="&#x2F;console&#x2F;appointments&#x2F;' "$RUN/agenda.html" || true)"
[ "$(cat "$RUN/agenda.code")" = 200 ] && [ "$SHOWN" = "$COUNT" ] ||
  { echo "GET $URL -> $(cat "$RUN/agenda.code"), $SHOWN appointments shown of $COUNT"; exit 1; }

# One client first (the server time of a page, without queueing behind 63 others), then 64
# (throughput; on 2 cores, 64 requests at once share them: server time there is mostly
# waiting for a core).
echo "==> wrk: week agenda of agent $AGENT ($COUNT appointments, signed in), 1 client"
MARK1="$(wc -l <"$SERVER_LOG")"
wrk -t1 -c1 -d"$DURATION" --timeout 10s --latency -H "Cookie: vg_staff=$STAFF" "$URL" \
  | tee "$RUN/wrk-agenda-1.txt"
echo "==> wrk: week agenda, $WRK_CONNECTIONS clients"
MARK64="$(wc -l <"$SERVER_LOG")"
wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$DURATION" --timeout 10s --latency \
  -H "Cookie: vg_staff=$STAFF" "$URL" | tee "$RUN/wrk-agenda.txt"
sleep 1  # access log lines of the last requests
# Server time per request from the access log ("GET <route> <status> <ms>ms"): the agenda's
# lines of each run, and /healthz of the same server (its hello-world run) as the baseline.
python3 - "$SERVER_LOG" "$MARK1" "$MARK64" "$COUNT" "$AGENT" "$MONDAY" >"$RUN/agenda.txt" <<'PY'
import re, sys
log, mark1, mark64, count, agent, monday = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:]
pat = re.compile(r"GET (/console/agenda|/healthz) (\d{3}) ([0-9.]+)ms")
one, many, hello, ok = [], [], [], 0
with open(log, errors="replace") as f:
    for i, line in enumerate(f):
        m = pat.search(line)
        if not m:
            continue
        t = float(m.group(3))
        if m.group(1) == "/healthz":
            hello.append(t)
        elif i >= mark1:
            ok += m.group(2) == "200"
            (one if i < mark64 else many).append(t)
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")
print("RESULT appointments=%s agent=%s week=%s requests=%d status200=%d "
      "server1_p50=%.2f server1_p99=%.2f server1_max=%.2f server64_p50=%.2f server64_p99=%.2f "
      "healthz_server_p50=%.2f healthz_server_p99=%.2f"
      % (count, agent, monday, len(one) + len(many), ok, pct(one, .5), pct(one, .99),
         max(one or [float("nan")]), pct(many, .5), pct(many, .99), pct(hello, .5),
         pct(hello, .99)))
PY
cat "$RUN/agenda.txt"
