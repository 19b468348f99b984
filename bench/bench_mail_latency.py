#!/usr/bin/env python3
"""Booking latency with the mail server down compared with up, in the same run.

Starts the real server twice on a fresh demo database: once with --smtp-url pointing at a
port where nothing listens, once at a running aiosmtpd sink. Each time, 16 client threads
book distinct free slots through the JSON API; prints p50/p99 of the booking requests and
the number of confirmations the sink received.

  bench_mail_latency.py BINARY [--bookings 300]
"""
import argparse, concurrent.futures, datetime, json, os, socket, subprocess, sys, tempfile, time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from smtp_sink import SmtpSink  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(base, path, body=None):
    req = urllib.request.Request(base + path, method="POST" if body else "GET",
                                 data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def run(binary, smtp_url, bookings, workdir, label, sink=None):
    db = os.path.join(workdir, label + ".db")
    subprocess.run([binary, "migrate", "--db", db], check=True, capture_output=True)
    subprocess.run([binary, "demo", "--db", db], check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                             "--booking-rate-limit", "0", "--smtp-url", smtp_url,
                             "--log-level", "warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    terms = call(base, "/api/v1/orgs/demo/terms")[1]["version"]
    motifs = [m["id"] for m in call(base, "/api/v1/orgs/demo/motifs")[1]["motifs"]
              if "video" in m["channels"]]
    today = datetime.date.today()
    bodies = []
    seen = set()  # one booking per start time: different motifs compete for the same agents
    for week in range(6):
        frm = today + datetime.timedelta(days=7 * week)
        for m in motifs:
            slots = call(base, "/api/v1/orgs/demo/slots?motif=%d&channel=video&from=%s&to=%s"
                         % (m, frm, frm + datetime.timedelta(days=6)))[1]["slots"]
            for s in slots:
                if s["start"] in seen:
                    continue
                seen.add(s["start"])
                bodies.append({"motif": m, "channel": "video", "start": s["start"],
                               "citizen": {"first_name": "Zoé", "last_name": "Bench",
                                           "email": "b%d@example.org" % len(bodies)},
                               "accept_terms": True, "terms_version": terms})
    bodies = bodies[:bookings]

    def book(body):
        t = time.perf_counter()
        status, _ = call(base, "/api/v1/orgs/demo/appointments", body)
        return status, time.perf_counter() - t

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(book, bodies))
    received = None
    if sink is not None:  # let the worker deliver before stopping the server
        deadline = time.time() + 60
        while sink.count() < sum(1 for st, _ in results if st == 201) and time.time() < deadline:
            time.sleep(0.2)
        received = sink.count()
    proc.terminate()
    proc.wait(timeout=30)
    lat = sorted(d for s, d in results)
    ok = sum(1 for s, _ in results if s == 201)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    out = {"label": label, "requests": len(results), "created": ok,
           "p50_ms": round(pct(0.50), 2), "p99_ms": round(pct(0.99), 2)}
    if received is not None:
        out["mails_received"] = received
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--bookings", type=int, default=300)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        down = run(a.binary, "smtp://127.0.0.1:%d" % free_port(), a.bookings, work, "mail_down")
        sink = SmtpSink().start()
        try:
            up = run(a.binary, sink.url, a.bookings, work, "mail_up", sink)
        finally:
            sink.stop()
    for r in (down, up):
        print(json.dumps(r))
    print(json.dumps({"p99_ratio_down_over_up": round(down["p99_ms"] / up["p99_ms"], 2)}))


if __name__ == "__main__":
    main()
