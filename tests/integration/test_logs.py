"""The server's logs: JSON lines (`--log-format json`), the request id answered in
X-Request-Id and carried by every line of its request, and never a token nor an e-mail address
(docs/OPERATIONS.md).

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        test_logs.py

What is checked:
  NothingPersonal  a citizen books, looks at the management page and the API, moves the
                   appointment, asks for the link again, cancels; every message is sent (debug
                   log level): no line holds a token, an e-mail address, a phone number or a
                   name; every line is a JSON object
  RequestIds       answered in X-Request-Id and found in the access line of that request; a
                   client's own X-Request-Id is ignored unless it comes from a trusted proxy
"""

import json
import re
import unittest
import urllib.parse

from harness import Demo, Server, require, wait_until

require("aiosmtpd", "python3-aiosmtpd")
from smtp_sink import SmtpSink  # noqa: E402 (after the check that names the package)

FORM = "application/x-www-form-urlencoded"
EMAIL = "camille.logs-test+rdv@example.org"
PHONE = "+33612345678"
NAME = "Zéphyrine"
ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
TOKEN = re.compile(r"/manage/([A-Za-z0-9_-]{43})")


def log_lines(server):
    return [line for line in server.log_text().splitlines() if line.startswith("{")]


def tokens_in(mail):
    """The management tokens a received mail's text and HTML parts carry."""
    found = set()
    for part in mail.message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            found.update(TOKEN.findall(part.get_content()))
    return found


class NothingPersonal(unittest.TestCase):
    def test_booking_management_cancel_logs_nothing_personal(self):
        sink = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", sink.url, "--log-level", "debug",
                                 "--log-format", "json"]).prepare().start()
        try:
            demo = Demo(srv)
            motif = demo.video_motif()["id"]
            slots = demo.slots(motif)
            r = demo.book(motif, slots[0], email=EMAIL, phone=PHONE, first_name=NAME,
                          last_name="Logtest")
            self.assertEqual(r.status, 201, r)
            tokens = {r.json["token"]}
            token = r.json["token"]
            self.assertEqual(srv.get("/manage/%s" % token).status, 200)
            self.assertEqual(srv.get("/api/v1/appointments/%s" % token).status, 200)
            moved = srv.post("/api/v1/appointments/%s/reschedule" % token,
                             {"start": slots[-1]["start"], "site": slots[-1]["site"]["id"]})
            self.assertEqual(moved.status, 200, moved)
            # "Send me my link again", as the form sends it.
            page = srv.get("/demo/resend")
            cookie = [v for k, v in page.headers
                      if k.lower() == "set-cookie" and v.startswith("vg_csrf=")][0]
            pair = cookie.split(";")[0]
            body = urllib.parse.urlencode({"csrf": pair.split("=", 1)[1], "lang": "fr",
                                           "contact": EMAIL})
            asked = srv.request("POST", "/demo/resend", body=body, content_type=FORM,
                                headers={"Cookie": pair})
            self.assertEqual(asked.status, 303, asked)
            # The link sent again carries a new token. Waited for by its content, not by a
            # count: a reminder due at once (an early first slot) also counts as a mail.
            sink.wait_for(1, timeout=60,
                          predicate=lambda m: bool(tokens_in(m) - {token}))
            self.assertEqual(demo.cancel(token, "Plus besoin, merci Zéphyrine").status, 200)
            sink.wait_for(1, timeout=60,
                          predicate=lambda m: m.subject.startswith("Votre rendez-vous est annulé"))
            for m in sink.messages:
                tokens.update(tokens_in(m))
            self.assertGreaterEqual(len(tokens), 2, "the link sent again is a new token")
        finally:
            code = srv.stop()
            sink.stop()
        self.assertEqual(code, 0)
        text = srv.log_text()
        for secret in sorted(tokens):
            self.assertNotIn(secret, text, "a management token is in the log")
        for personal in (EMAIL, PHONE, PHONE[3:], NAME, "Logtest"):
            self.assertNotIn(personal, text)
        self.assertEqual(ADDRESS.findall(text), [], "no e-mail address at all")
        lines = text.splitlines()
        self.assertGreater(len(lines), 10)
        for line in lines:
            if line.startswith("Visioguichet listening on "):
                continue  # the start line, on standard output (scripts wait for it)
            entry = json.loads(line)  # every log line is one JSON object
            self.assertTrue({"time", "level", "message"} <= set(entry), line)


class RequestIds(unittest.TestCase):
    def run_server(self, args):
        srv = Server(extra_args=["--log-format", "json"] + args).prepare().start()
        self.addCleanup(lambda: self.assertEqual(srv.stop(), 0))
        return srv

    def test_answered_and_in_the_access_line(self):
        srv = self.run_server([])
        demo = Demo(srv)
        motif = demo.video_motif()["id"]
        r = demo.book(motif, demo.slots(motif)[0])
        self.assertEqual(r.status, 201)
        rid = r.header("X-Request-Id")
        self.assertRegex(rid, r"^[0-9a-f]{16}$")
        self.assertNotEqual(srv.get("/healthz").header("X-Request-Id"), rid)

        def access_line():
            for line in log_lines(srv):
                entry = json.loads(line)
                if entry.get("request_id") == rid:
                    return entry
        entry = wait_until(access_line, 10, "the booking's access line")
        self.assertTrue(entry["message"].startswith("POST /api/v1/orgs/{org}/appointments 201"),
                        entry)
        # A client may not choose its id (it could forge other requests' lines).
        r = srv.get("/healthz", headers={"X-Request-Id": "chosen-by-client"})
        self.assertNotEqual(r.header("X-Request-Id"), "chosen-by-client")

    def test_a_trusted_proxy_names_it(self):
        srv = self.run_server(["--trusted-proxies", "127.0.0.1/32"])
        r = srv.get("/healthz", headers={"X-Request-Id": "proxy-id-42"})
        self.assertEqual(r.header("X-Request-Id"), "proxy-id-42")
        r = srv.get("/healthz", headers={"X-Request-Id": "bad id\" with quotes"})
        self.assertRegex(r.header("X-Request-Id"), r"^[0-9a-f]{16}$")
        wait_until(lambda: any(json.loads(l).get("request_id") == "proxy-id-42"
                               for l in log_lines(srv)), 10, "the proxy's id in the log")


if __name__ == "__main__":
    unittest.main()
