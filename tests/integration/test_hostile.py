"""Hostile and broken input: always a 4xx with the documented shape, never a 500, and nothing
written to the database."""

import json
import random
import socket
import threading
import unittest

from harness import Demo, module_server


# One server for the module, in the global `server`; stopping it must exit 0.
setUpModule, tearDownModule = module_server(globals())


BOOK = "/api/v1/orgs/demo/appointments"


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.motif = cls.demo.video_motif()
        slots = cls.demo.slots(cls.motif["id"], days=20)
        # A slot with exactly one free agent would show any accidental write; any slot
        # shows it in the appointment count.
        cls.slot = slots[len(slots) // 2]
        cls.version = cls.demo.terms_version()

    def setUp(self):
        self.before = server.appointment_count()

    def tearDown(self):
        self.assertEqual(server.appointment_count(), self.before, "a refused request wrote")
        self.assertTrue(self.demo.slot_free(self.motif["id"], self.slot))

    def valid(self, **citizen):
        person = {"first_name": "Alex", "last_name": "Hostile", "email": "alex@example.org"}
        person.update(citizen)
        return {"motif": self.motif["id"], "channel": "video", "start": self.slot["start"],
                "site": self.slot["site"]["id"], "citizen": person, "accept_terms": True,
                "terms_version": self.version}

    def assertError(self, r, status, *fields):
        self.assertEqual(r.status, status, r)
        self.assertTrue((r.header("Content-Type") or "").startswith("application/json"), r.headers)
        body = r.json
        self.assertTrue(body["error"]["code"])
        self.assertTrue(body["error"]["message"])
        for f in fields:
            self.assertIn(f, body["error"]["fields"], body)
        return body

    def assert4xx(self, r):
        self.assertGreaterEqual(r.status, 400, r)
        self.assertLess(r.status, 500, r)

    # --- validation (422) ---------------------------------------------------------------

    def test_terms_not_accepted(self):
        for value in (False, None):
            body = self.valid()
            body["accept_terms"] = value
            self.assertError(server.post(BOOK, body), 422, "accept_terms")
        body = self.valid()
        del body["accept_terms"]
        self.assertError(server.post(BOOK, body), 422, "accept_terms")
        body = self.valid()
        body["accept_terms"] = "yes"
        self.assertError(server.post(BOOK, body), 422, "accept_terms")

    def test_outdated_terms_version(self):
        for version in (self.version + 1, self.version - 1, 0, -5):
            body = self.valid()
            body["terms_version"] = version
            self.assertError(server.post(BOOK, body), 422, "terms_version")
        body = self.valid()
        del body["terms_version"]
        self.assertError(server.post(BOOK, body), 422, "terms_version")

    def test_missing_names(self):
        body = self.valid(first_name="", last_name="   ")
        self.assertError(server.post(BOOK, body), 422, "citizen.first_name", "citizen.last_name")
        body = self.valid()
        del body["citizen"]["first_name"]
        self.assertError(server.post(BOOK, body), 422, "citizen.first_name")
        body = self.valid()
        del body["citizen"]
        self.assertError(server.post(BOOK, body), 422, "citizen.first_name")

    def test_no_email_and_no_phone(self):
        body = self.valid()
        del body["citizen"]["email"]
        err = self.assertError(server.post(BOOK, body), 422)["error"]["fields"]
        self.assertTrue("citizen.email" in err or "citizen.phone" in err, err)

    def test_invalid_contact_details(self):
        self.assertError(server.post(BOOK, self.valid(email="not-an-email")), 422, "citizen.email")
        self.assertError(server.post(BOOK, self.valid(phone="call me")), 422, "citizen.phone")
        self.assertError(server.post(BOOK, self.valid(language="xx")), 422, "citizen.language")
        self.assertError(server.post(BOOK, self.valid(first_name="é" * 101)), 422,
                         "citizen.first_name")
        self.assertError(server.post(BOOK, self.valid(needs="n" * 5000)), 422, "citizen.needs")

    def test_phone_channel_needs_a_valid_number(self):
        # Accepted before: no number at all ("the advisor will call you at ."), and 6 digits.
        motif = next(m for m in self.demo.motifs() if "phone" in m["channels"])
        slot = self.demo.slots(motif["id"], channel="phone", days=20)[0]
        messages = set()
        for lang in ("fr", "en", "nl", "de"):
            body = self.demo.booking(motif["id"], slot, channel="phone")
            r = server.post(BOOK, body, headers={"Accept-Language": lang})
            err = self.assertError(r, 422, "citizen.phone")["error"]
            self.assertEqual(err["field_codes"]["citizen.phone"], "phone_required")
            messages.add(err["fields"]["citizen.phone"])
        self.assertEqual(len(messages), 4, messages)  # one text per language
        for bad in ("06 12 34", "0690 12 34 56", "06 12 AB CD EF", "+33 6", "   "):
            body = self.demo.booking(motif["id"], slot, channel="phone", phone=bad)
            err = self.assertError(server.post(BOOK, body), 422, "citizen.phone")["error"]
            self.assertIn(err["field_codes"]["citizen.phone"], ("invalid_phone", "phone_required"))
        self.assertTrue(self.demo.slot_free(motif["id"], slot, channel="phone"))

    def test_header_injection(self):
        for field in ("first_name", "last_name", "email"):
            for value in ("a\r\nBcc: x@y", "a\nBcc: x@y", "x@y\r\nBcc: victim@example.org",
                          "a\u0000b"):
                r = server.post(BOOK, self.valid(**{field: value}))
                self.assertError(r, 422, "citizen." + field)
        r = server.post(BOOK, self.valid(phone="0612345678\r\nBcc: x@y"))
        self.assertError(r, 422, "citizen.phone")
        r = server.post(BOOK, self.valid(first_name="<script>alert(1)</script>"))
        self.assertError(r, 422, "citizen.first_name")

    def test_wrong_types(self):
        cases = [("motif", str(self.motif["id"]), "motif"), ("motif", 1.5, "motif"),
                 ("motif", -1, "motif"), ("motif", 2 ** 64, "motif"), ("motif", None, "motif"),
                 ("channel", 1, "channel"), ("channel", "fax", "channel"),
                 ("start", 1700000000, "start"), ("start", "tomorrow", "start"),
                 ("start", "2030-01-01T10:00:00", "start"), ("site", "1", "site"),
                 ("site", [1], "site"), ("citizen", "Alex", "citizen"),
                 ("citizen", [], "citizen"), ("terms_version", "1", "terms_version"),
                 ("terms_version", 1.0000001, "terms_version"),
                 ("terms_version", 2 ** 40, "terms_version")]
        for key, value, field in cases:
            body = self.valid()
            body[key] = value
            with self.subTest(key=key, value=value):
                self.assertError(server.post(BOOK, body), 422, field)
        for key, value in (("first_name", 12), ("email", ["a@b.c"]), ("phone", {"n": 1}),
                           ("needs", True), ("beneficiary_number", 123)):
            with self.subTest(key=key):
                self.assertError(server.post(BOOK, self.valid(**{key: value})), 422,
                                 "citizen." + key)

    def test_every_field_error_at_once(self):
        body = {"motif": "x", "channel": "fax", "start": "no", "citizen": {"first_name": 1},
                "accept_terms": False, "terms_version": "v"}
        fields = self.assertError(server.post(BOOK, body), 422)["error"]["fields"]
        for f in ("motif", "channel", "start", "citizen.first_name", "citizen.last_name",
                  "accept_terms", "terms_version"):
            self.assertIn(f, fields)

    # --- malformed bodies (400, 413, 415) -------------------------------------------------

    def test_malformed_json(self):
        for raw in (b"{", b"", b"   ", b"{'motif': 1}", b'{"motif": 1,}', b"null", b"[]", b"42",
                    b'"text"', b'{"motif": 1} {"motif": 2}', b"{\"a\": NaN}",
                    b'{"motif": 1e400}', b'{"a": 1, "a": 2}', b"[" * 5000 + b"]" * 5000,
                    b'{"a":' * 1000 + b"1" + b"}" * 1000, b"\xef\xbb\xbf{}x"):
            with self.subTest(raw=raw[:40]):
                self.assertError(server.post(BOOK, raw), 400)

    def test_wrong_content_type(self):
        body = json.dumps(self.valid())
        for ct in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                   "application/json; charset=iso-8859-1", "application/jsonp", None):
            with self.subTest(ct=ct):
                r = server.post(BOOK, body, content_type=ct)
                self.assertError(r, 415)
        ok = server.post(BOOK, body, content_type="Application/JSON; charset=UTF-8")
        self.assertEqual(ok.status, 201, ok)
        self.assertEqual(self.demo.cancel(ok.json["token"]).status, 200)
        self.before += 1  # that one was meant to be written

    def test_garbage_and_invalid_utf8(self):
        raws = [b"\xff\xfe\x00garbage", b"\x00" * 100,
                b'{"citizen": {"first_name": "\xc3\x28"}}',
                b'{"citizen": {"first_name": "\xed\xa0\x80"}}',
                b'{"citizen": {"first_name": "\\ud800"}}',
                json.dumps(self.valid()).replace('"Alex"', '"Al\xe9x"').encode("latin-1"),
                json.dumps(self.valid()).encode("utf-16")]
        rnd = random.Random(20240601)
        for _ in range(40):
            raws.append(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300))))
        for raw in raws:
            with self.subTest(raw=raw[:40]):
                self.assert4xx(server.post(BOOK, raw))

    def test_random_mutations_never_500(self):
        base = json.dumps(self.valid())
        rnd = random.Random(7)
        for _ in range(150):
            s = list(base)
            for _ in range(rnd.randrange(1, 6)):
                i = rnd.randrange(len(s))
                op = rnd.randrange(3)
                if op == 0:
                    del s[i]
                elif op == 1:
                    s.insert(i, rnd.choice('{}[]",:\\0123456789eE.-+ ntfu\x00\u00e9\U0001F600'))
                else:
                    s[i] = rnd.choice('{}[]",:\\0aZ ')
            r = server.post(BOOK, "".join(s).encode("utf-8", "surrogatepass"))
            self.assertLess(r.status, 500, r)
            if r.status == 201:  # a harmless mutation (e.g. in a name) may book
                self.assertEqual(self.demo.cancel(r.json["token"]).status, 200)
                self.before += 1

    def test_oversized_body(self):
        status = raw_post_status(server.port, BOOK, b"{" + b" " * (1024 * 1024) + b"}")
        self.assertEqual(status, 413)

    # --- tokens ---------------------------------------------------------------------------

    def test_bad_tokens(self):
        shapes = ["x", "A" * 42, "A" * 43, "A" * 44, "a" * 43, "%2E%2E%2Fetc", "..",
                  "A" * 42 + "=", "A" * 42 + "%00", "%C3%A9" * 43, "A" * 5000, "-" * 43, "_" * 43]
        for token in shapes:
            with self.subTest(token=token[:50]):
                self.assertError(server.get("/api/v1/appointments/" + token), 404)
                self.assertError(server.post("/api/v1/appointments/%s/cancel" % token, {}), 404)
                self.assertError(server.post("/api/v1/appointments/%s/reschedule" % token,
                                             {"start": self.slot["start"]}), 404)

    def test_methods(self):
        """docs/API.md: a known path with another method gets 405 method_not_allowed, with
        Allow naming the methods that path takes; an unknown path gets 404 not_found."""
        for method, path, allow in [
                ("DELETE", "/api/v1/appointments/" + "A" * 43, "GET"),
                ("GET", "/api/v1/orgs/demo/appointments", "POST"),
                ("PUT", "/api/v1/appointments/%s/cancel" % ("A" * 43), "POST")]:
            with self.subTest(method=method, path=path):
                r = server.request(method, path)
                body = self.assertError(r, 405)
                self.assertEqual(body["error"]["code"], "method_not_allowed")
                self.assertEqual(r.header("Allow"), allow)
        body = self.assertError(server.get("/api/v1/no/such/thing"), 404)
        self.assertEqual(body["error"]["code"], "not_found")
        self.assertIsNone(server.get("/api/v1/no/such/thing").header("Allow"))


def raw_post_status(port, path, body):
    """Sends a large body while reading: the server answers 413 as soon as it sees the length."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % (path, len(body))).encode()
        sock.sendall(head)

        def send_body():
            try:
                for i in range(0, len(body), 16384):
                    sock.sendall(body[i:i + 16384])
            except OSError:
                pass  # the server may stop reading once it has answered

        sender = threading.Thread(target=send_body, daemon=True)
        sender.start()
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        sender.join(timeout=5)
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        return int(line.split(" ")[1]) if line.startswith("HTTP/") else None
    finally:
        sock.close()


if __name__ == "__main__":
    unittest.main()
