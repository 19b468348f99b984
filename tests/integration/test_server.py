"""The server as operated: probes, security headers, rate limit, clean shutdown."""

import threading
import time
import unittest

from harness import Demo, Response, Server, module_server, spread_slots


# One server for the module, in the global `server`; stopping it must exit 0.
setUpModule, tearDownModule = module_server(globals())


def directives(csp):
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


class Probes(unittest.TestCase):
    def test_health_and_readiness(self):
        self.assertEqual(server.get("/healthz").status, 200)
        self.assertEqual(server.get("/readyz").status, 200)

    def test_security_headers(self):
        for path in ("/healthz", "/api/v1/orgs/demo/motifs", "/api/v1/orgs/nope/motifs",
                     "/no/such/page"):
            with self.subTest(path=path):
                r = server.get(path)
                csp = r.header("Content-Security-Policy")
                self.assertTrue(csp, r.headers)
                d = directives(csp)
                script = d.get("script-src", d.get("default-src"))
                self.assertIsNotNone(script, csp)
                self.assertNotIn("'unsafe-inline'", script)
                self.assertEqual((r.header("X-Content-Type-Options") or "").lower(), "nosniff")
                self.assertTrue(r.header("Referrer-Policy"), r.headers)

    def test_unknown_paths(self):
        for path in ("/no/such/page", "/api/v1/nothing", "/api/v2/orgs/demo/motifs",
                     "/api/v1/orgs/demo/motifs/extra"):
            with self.subTest(path=path):
                self.assertEqual(server.get(path).status, 404)

    def test_api_answers_json(self):
        for method, path, body in (
                ("GET", "/api/v1/orgs/demo/motifs", None),
                ("GET", "/api/v1/orgs/nope/motifs", None),
                ("GET", "/api/v1/orgs/demo/slots", None),
                ("GET", "/api/v1/appointments/unknown", None),
                ("POST", "/api/v1/orgs/demo/appointments", b"{")):
            r = server.request(method, path, body=body)
            self.assertTrue((r.header("Content-Type") or "").startswith("application/json"),
                            (path, r.status, r.headers))


class RateLimit(unittest.TestCase):
    def test_fourth_booking_within_the_hour_is_refused(self):
        limited = Server(rate_limit=3).prepare().start()
        try:
            demo = Demo(limited)
            motif = demo.video_motif()
            slots = spread_slots(demo.slots(motif["id"], days=20), 4)
            bodies = [demo.booking(motif["id"], s) for s in slots]
            for body in bodies[:3]:
                r = limited.post("/api/v1/orgs/demo/appointments", body)
                self.assertEqual(r.status, 201, r)
            r = limited.post("/api/v1/orgs/demo/appointments", bodies[3])
            self.assertEqual(r.status, 429, r)
            retry = int(r.header("Retry-After"))
            self.assertGreaterEqual(retry, 1)
            self.assertLessEqual(retry, 3600)
            self.assertEqual(r.json["error"]["code"], "rate_limited")
            self.assertTrue(demo.slot_free(motif["id"], slots[3]), "nothing booked on a 429")
            # Malformed attempts count too; reads are not limited.
            self.assertEqual(limited.post("/api/v1/orgs/demo/appointments", b"{").status, 429)
            self.assertEqual(limited.get("/api/v1/orgs/demo/motifs").status, 200)
        finally:
            code = limited.stop()
        self.assertEqual(code, 0)


class Shutdown(unittest.TestCase):
    def test_sigterm_during_bookings_loses_nothing_confirmed(self):
        self.stop_during_bookings(kill=False)

    def test_sigkill_during_bookings_loses_nothing_confirmed(self):
        # Group commit answers a booking only once its batch is flushed: a 201 is never ahead
        # of the database, even when the process dies between two batches.
        self.stop_during_bookings(kill=True)

    def stop_during_bookings(self, kill):
        own = Server().prepare().start()
        try:
            demo = Demo(own)
            motif = demo.video_motif()
            slots = spread_slots(demo.slots(motif["id"], days=41), 32)
            self.assertEqual(len(slots), 32)
            bodies = [demo.booking(motif["id"], s, last_name="Stop%d" % i)
                      for i, s in enumerate(slots)]
            results = [None] * len(bodies)
            barrier = threading.Barrier(len(bodies) + 1)
            first = threading.Event()

            def run(i):
                try:
                    barrier.wait(timeout=30)
                    r = own.post("/api/v1/orgs/demo/appointments", bodies[i], timeout=60)
                    results[i] = r
                    if r.status == 201:
                        first.set()
                except Exception as e:  # noqa: BLE001 - a refused connection is fine
                    results[i] = e
                    first.set()

            threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
            for t in threads:
                t.start()
            barrier.wait(timeout=30)
            first.wait(timeout=30)
            stopped_at = time.monotonic()
            if kill:
                own.proc.kill()
                own.proc.wait()
            else:
                own.terminate()
            for t in threads:
                t.join(timeout=60)
            code = own.stop(timeout=20)
            self.assertEqual(code, -9 if kill else 0, own.log_text())
            self.assertLess(time.monotonic() - stopped_at, 20.5)

            answered = [r for r in results if isinstance(r, Response)]
            for r in answered:
                self.assertIn(r.status, (201, 409, 503), r)
            tokens = [r.json["token"] for r in answered if r.status == 201]
            self.assertTrue(tokens, "at least the first booking was confirmed")

            # Every confirmed booking survived the stop.
            own.start()
            for token in tokens:
                got = own.get("/api/v1/appointments/" + token)
                self.assertEqual(got.status, 200, got)
                self.assertEqual(got.json["status"], "booked")
            self.assertEqual(own.live_overlaps(), 0)
        finally:
            code = own.stop()
        self.assertEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
