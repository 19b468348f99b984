#!/usr/bin/env python3
"""Collects distinct free slots through the JSON API and writes one booking body per line.

Used by scripts/bench for the booking run (bench/bookings.lua). Two bookings never compete
for one agent: only 30-minute motifs without buffer are used (their slots sit on the same
30-minute grid), and each (site, start) is kept once whatever the motif or channel, so no two
bodies overlap in time at one site; the generator gives no agent two sites at the same time.

    booking_bodies.py --base http://127.0.0.1:PORT --db PATH --out FILE [--max N] [--seed N]
"""
import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import time
import urllib.request

FIRST = ["Camille", "Karim", "Sophie", "Thomas", "Inès", "Julien", "Léa", "Mohamed", "Chloé",
         "Lucas", "Emma", "Hugo", "Aïcha", "Nathan", "Manon", "Yanis"]
LAST = ["Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefèvre", "Garcia", "Benali", "Nguyen", "Diallo"]


def get(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--org", default="dept")
    ap.add_argument("--max", type=int, default=30000)
    ap.add_argument("--motifs", type=int, default=4, help="30-minute motifs to use at most")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    motifs = con.execute(
        "SELECT m.id, m.channels, COUNT(DISTINCT p.agent_id) AS n FROM motifs m "
        "JOIN organisations o ON o.id = m.organisation_id "
        "JOIN opening_plans p ON p.organisation_id = o.id "
        " AND (p.motif_ids = '[]' OR EXISTS (SELECT 1 FROM json_each(p.motif_ids) WHERE value = m.id)) "
        "WHERE o.slug = ? AND m.is_public = 1 AND m.duration_minutes = 30 "
        "AND m.buffer_minutes = 0 GROUP BY m.id ORDER BY n DESC, m.id LIMIT ?",
        (a.org, a.motifs)).fetchall()
    con.close()
    if not motifs:
        sys.exit("no 30-minute motif without buffer in the data set")
    terms = get(f"{a.base}/api/v1/orgs/{a.org}/terms")["version"]

    today = dt.date.today()
    not_before = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)
    seen = {}
    requests = 0
    t0 = time.monotonic()
    for motif_id, channels, _ in motifs:
        for bit, channel in ((1, "video"), (2, "on_site")):
            if not channels & bit:
                continue
            for chunk in range(0, 200, 62):
                frm = today + dt.timedelta(days=chunk)
                to = today + dt.timedelta(days=min(chunk + 61, 199))
                url = (f"{a.base}/api/v1/orgs/{a.org}/slots?motif={motif_id}&channel={channel}"
                       f"&from={frm}&to={to}")
                requests += 1
                for s in get(url)["slots"]:
                    if dt.datetime.fromisoformat(s["start"]) < not_before:
                        continue
                    key = (s["site"]["id"], s["start"])
                    if key not in seen:
                        seen[key] = (motif_id, channel, s["start"], s["site"]["id"])
    rnd = random.Random(a.seed)
    picked = list(seen.values())
    rnd.shuffle(picked)
    picked = picked[: a.max]
    with open(a.out, "w", encoding="utf-8") as f:
        for n, (motif_id, channel, start, site) in enumerate(picked):
            body = {
                "motif": motif_id, "channel": channel, "start": start, "site": site,
                "citizen": {"first_name": FIRST[n % len(FIRST)],
                            "last_name": LAST[(n // len(FIRST)) % len(LAST)],
                            "email": f"bench.{n}@example.test"},
                "accept_terms": True, "terms_version": terms,
            }
            f.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"motifs {[m[0] for m in motifs]}: {requests} slot requests in "
          f"{time.monotonic() - t0:.1f} s, {len(seen)} distinct (site, start), "
          f"{len(picked)} bodies written")


if __name__ == "__main__":
    main()
