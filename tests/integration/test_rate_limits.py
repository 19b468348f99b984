"""Rate limits as seen from outside (issue 11, point 13): booking, cancelling and rescheduling
share one limit per client; X-Forwarded-For names the client only when a trusted proxy
sends it; an IPv6 /64 is one client."""

import unittest

from harness import Demo, Server

BOOK = "/api/v1/orgs/demo/appointments"
BOGUS = "/api/v1/appointments/" + "A" * 43


def xff(address):
    return {"X-Forwarded-For": address}


class ApiCancelAndReschedule(unittest.TestCase):
    def test_cancel_and_reschedule_count_with_bookings(self):
        server = Server(rate_limit=3).prepare().start()
        self.addCleanup(server.stop)
        demo = Demo(server)
        motif = demo.video_motif()
        slot = demo.slots(motif["id"], days=20)[0]
        booked = demo.book(motif["id"], slot)  # 1
        self.assertEqual(booked.status, 201, booked)
        token = booked.json["token"]
        # Attempts on tokens that do not exist count: no probing without limit.
        self.assertEqual(server.post(BOGUS + "/cancel", {}).status, 404)  # 2
        self.assertEqual(server.post(BOGUS + "/reschedule", {"start": slot["start"]}).status,
                         404)  # 3
        for path, body in (("/cancel", {}), ("/reschedule", {"start": slot["start"]}),
                           ("/cancel", b"{")):
            r = server.post("/api/v1/appointments/%s%s" % (token, path), body)
            self.assertEqual(r.status, 429, (path, r))
            self.assertEqual(r.json["error"]["code"], "rate_limited")
            self.assertGreaterEqual(int(r.header("Retry-After")), 1)
        # Nothing changed; reading is not limited.
        r = server.get("/api/v1/appointments/" + token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "booked")
        self.assertEqual(r.json["start"], slot["start"])


    def test_cancel_page_counts_with_the_api(self):
        server = Server(rate_limit=3).prepare().start()
        self.addCleanup(server.stop)
        demo = Demo(server)
        motif = demo.video_motif()
        booked = demo.book(motif["id"], demo.slots(motif["id"], days=20)[0])  # 1
        self.assertEqual(booked.status, 201, booked)
        token = booked.json["token"]
        page = server.get("/manage/%s" % token)  # reading: not counted
        self.assertEqual(page.status, 200)
        cookie = page.header("Set-Cookie").split(";")[0]
        csrf = cookie.split("=", 1)[1]
        self.assertEqual(server.post(BOGUS + "/cancel", {}).status, 404)  # 2
        self.assertEqual(server.post(BOGUS + "/cancel", {}).status, 404)  # 3
        r = server.request("POST", "/manage/%s/cancel" % token,
                           body=("csrf=%s&reason=test" % csrf).encode(),
                           headers={"Cookie": cookie},
                           content_type="application/x-www-form-urlencoded")
        self.assertEqual(r.status, 429, r)
        self.assertGreaterEqual(int(r.header("Retry-After")), 1)
        self.assertEqual(server.get("/api/v1/appointments/" + token).json["status"], "booked")


class ForwardedFor(unittest.TestCase):
    def post_bogus(self, server, headers):
        return server.post(BOGUS + "/cancel", {}, headers=headers).status

    def test_ignored_without_trusted_proxies(self):
        # A client writing X-Forwarded-For does not become another client.
        server = Server(rate_limit=2).prepare().start()
        self.addCleanup(server.stop)
        self.assertEqual(self.post_bogus(server, xff("203.0.113.1")), 404)
        self.assertEqual(self.post_bogus(server, xff("203.0.113.2")), 404)
        self.assertEqual(self.post_bogus(server, xff("203.0.113.3")), 429)
        self.assertEqual(self.post_bogus(server, {}), 429)

    def test_honoured_from_a_trusted_proxy(self):
        # The tests connect from 127.0.0.1: here, a trusted proxy.
        server = Server(rate_limit=2, extra_args=[
            "--trusted-proxies", "10.0.0.0/8, 127.0.0.1"]).prepare().start()
        self.addCleanup(server.stop)
        a, b = "203.0.113.1", "203.0.113.2"
        self.assertEqual(self.post_bogus(server, xff(a)), 404)
        self.assertEqual(self.post_bogus(server, xff(a)), 404)
        self.assertEqual(self.post_bogus(server, xff(a)), 429)
        self.assertEqual(self.post_bogus(server, xff(b)), 404)  # another client
        # What the client wrote before its own address (left of it) changes nothing; trusted
        # proxies on the way (right of it) are skipped.
        self.assertEqual(self.post_bogus(server, xff("198.51.100.7, " + a)), 429)
        self.assertEqual(self.post_bogus(server, xff(a + ", 10.1.2.3")), 429)
        self.assertEqual(self.post_bogus(server, xff("198.51.100.8")), 404)
        # An IPv6 /64 is one client, whatever address it picks in it.
        self.assertEqual(self.post_bogus(server, xff("2001:db8:7:7::1")), 404)
        self.assertEqual(self.post_bogus(server, xff("2001:db8:7:7:abcd::2")), 404)
        self.assertEqual(self.post_bogus(server, xff("2001:db8:7:7:ffff::3")), 429)
        self.assertEqual(self.post_bogus(server, xff("2001:db8:7:8::1")), 404)
        # No header from the proxy: the proxy itself is the client.
        self.assertEqual(self.post_bogus(server, {}), 404)
        self.assertEqual(self.post_bogus(server, {}), 404)
        self.assertEqual(self.post_bogus(server, {}), 429)

    def test_bad_trusted_proxies_refuse_to_start(self):
        for bad in ("10.0.0.1/8", "proxy.example", "10.0.0.0/33"):
            s = Server(extra_args=["--trusted-proxies", bad]).prepare()
            with self.assertRaises(RuntimeError) as caught:
                s.start(timeout=10)
            s.stop()
            self.assertIn("invalid setting: --trusted-proxies", str(caught.exception))
            self.assertIn(bad.split("/")[0], str(caught.exception))


if __name__ == "__main__":
    unittest.main()
