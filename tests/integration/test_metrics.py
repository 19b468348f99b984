"""GET /metrics (Prometheus) on `serve --metrics-listen`, and /readyz (docs/OPERATIONS.md).

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        test_metrics.py

What is checked:
  Metrics     only on the metrics listener, only with the token; `promtool check metrics`
              (Debian's prometheus) accepts the output; bookings, cancellations, slot
              searches, requests by route and status, commit batches and the outbox move
  Readiness   /readyz answers 503 with the reason when the oldest due message waited longer
              than --ready-outbox-max-age, or when the disk is fuller than
              --ready-min-free-disk allows; /healthz stays 200
"""

import http.client
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest

from harness import Demo, Server, clean_env, free_port, wait_until

TOKEN = "metrics-token-0123456789abcdef"


def promtool():
    path = shutil.which("promtool")
    if not path:
        raise RuntimeError("promtool is missing: install Debian's prometheus")
    return path


class Metrics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="vg-metrics-")
        token_file = os.path.join(cls.dir, "metrics.token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        cls.metrics_port = free_port()
        cls.server = Server(extra_args=[
            "--outbox-threads", "0", "--metrics-listen", "127.0.0.1:%d" % cls.metrics_port,
            "--metrics-token-file", token_file]).prepare().start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.dir, True)
        assert code == 0, cls.server.log_text()[-3000:]

    def scrape(self, token=TOKEN):
        conn = http.client.HTTPConnection("127.0.0.1", self.metrics_port, timeout=30)
        try:
            headers = {"Authorization": "Bearer " + token} if token else {}
            conn.request("GET", "/metrics", headers=headers)
            r = conn.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode("utf-8")
        finally:
            conn.close()

    def value(self, text, series):
        """The value of one series, e.g. 'vg_bookings_total' or 'x{a="b"}' (0 when absent)."""
        for line in text.splitlines():
            if line.startswith(series + " "):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def test_not_public_and_token_required(self):
        self.assertEqual(self.server.get("/metrics").status, 404)
        self.assertEqual(self.scrape(token=None)[0], 401)
        self.assertEqual(self.scrape(token="wrong-token-0123456789abcdef")[0], 401)
        status, ctype, text = self.scrape()
        self.assertEqual(status, 200)
        self.assertTrue(ctype.startswith("text/plain; version=0.0.4"), ctype)

    def test_promtool_accepts_and_counters_move(self):
        demo = Demo(self.server)
        _, _, before = self.scrape()
        motif = demo.video_motif()["id"]
        slot = demo.slots(motif)[0]
        r = demo.book(motif, slot, email="metrics@example.org")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(demo.cancel(r.json["token"]).status, 200)
        booking = ('vg_http_requests_total{method="POST",route="/api/v1/orgs/{org}/'
                   'appointments",status="201"}')
        # The outbox figures are read at most every 5 s: wait for the confirmation to show.
        text = wait_until(
            lambda: (lambda t: t if self.value(t, 'vg_outbox_messages{status="pending"}') >= 1
                     else None)(self.scrape()[2]), 30, "the queued confirmation in /metrics")
        self.assertEqual(self.value(text, "vg_bookings_total"),
                         self.value(before, "vg_bookings_total") + 1)
        self.assertEqual(self.value(text, 'vg_cancellations_total{by="citizen"}'),
                         self.value(before, 'vg_cancellations_total{by="citizen"}') + 1)
        self.assertGreater(self.value(text, "vg_slot_searches_total"),
                           self.value(before, "vg_slot_searches_total"))
        self.assertEqual(self.value(text, booking), self.value(before, booking) + 1)
        self.assertGreater(self.value(text, "vg_store_commit_batch_size_count"),
                           self.value(before, "vg_store_commit_batch_size_count"))
        self.assertGreater(self.value(
            text, 'vg_http_request_duration_seconds_count{method="POST",route="/api/v1/orgs/'
                  '{org}/appointments"}'), 0)
        for series in ("vg_database_size_bytes", "process_resident_memory_bytes",
                       "process_open_fds"):
            self.assertGreater(self.value(text, series), 0, series)
        self.assertIn("vg_database_wal_size_bytes ", text)
        self.assertIn("vg_outbox_oldest_due_age_seconds ", text)
        self.assertIn('vg_outbox_messages{status="dead"} 0', text)
        self.assertNotIn("metrics@example.org", text)
        self.assertNotIn(r.json["token"], text)
        check = subprocess.run([promtool(), "check", "metrics"], input=text.encode("utf-8"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        self.assertEqual(check.returncode, 0, check.stdout.decode("utf-8", "replace"))
        self.assertEqual(check.stdout.decode().strip(), "", "promtool has no remark either")


def start_raw(args):
    """A server whose readiness is the point of the test (the harness waits for /readyz)."""
    d = tempfile.mkdtemp(prefix="vg-ready-")
    srv = Server(db_dir=d, extra_args=args).prepare()
    srv.port = free_port()
    srv.log_path = os.path.join(d, "serve.log")
    srv.log = open(srv.log_path, "wb")
    srv.proc = subprocess.Popen(
        [srv.binary, "serve", "--db", srv.db, "--listen", "127.0.0.1:%d" % srv.port,
         "--assets", srv.source] + args, env=clean_env(), stdout=srv.log,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def up():
        try:
            return srv.get("/healthz", timeout=2).status == 200
        except OSError:
            return False
    wait_until(up, 30, "the server to answer /healthz")
    return srv, d


class Readiness(unittest.TestCase):
    def test_stuck_outbox(self):
        srv = Server(extra_args=["--outbox-threads", "0", "--ready-outbox-max-age", "600"])
        srv.prepare().start()
        try:
            demo = Demo(srv)
            motif = demo.video_motif()["id"]
            self.assertEqual(demo.book(motif, demo.slots(motif)[0]).status, 201)
            self.assertEqual(srv.get("/readyz").status, 200, "just queued: not stuck")
            # The confirmation has waited an hour (nobody sends: --outbox-threads 0).
            conn = sqlite3.connect(srv.db, timeout=30)
            conn.execute("UPDATE outbox SET due_at = due_at - 3600, next_attempt_at = "
                         "next_attempt_at - 3600 WHERE kind = 'confirmation'")
            conn.commit()
            conn.close()
            r = wait_until(lambda: (lambda x: x if x.status == 503 else None)(srv.get("/readyz")),
                           30, "/readyz to notice the stuck outbox")
            self.assertIn(b"outbox stuck", r.body)
            self.assertEqual(srv.get("/healthz").status, 200)
        finally:
            self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])

    def test_disk_nearly_full(self):
        srv, d = start_raw(["--ready-min-free-disk", "100"])
        try:
            r = srv.get("/readyz")
            self.assertEqual(r.status, 503, r)
            self.assertIn(b"disk nearly full", r.body)
            self.assertEqual(srv.get("/healthz").status, 200)
        finally:
            code = srv.stop()
            shutil.rmtree(d, True)
        self.assertEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
