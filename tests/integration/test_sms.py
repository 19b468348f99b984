"""SMS through the organisation's HTTP gateway, against the local test gateway: E.164
numbers, opt-out honoured, gateway failures retried."""
import json
import re
import sqlite3
import subprocess
import time
import unittest

from harness import Demo, Server, clean_env, wait_until
from sms_gateway import SmsGateway


class Sms(unittest.TestCase):
    def setUp(self):
        self.gw = SmsGateway().__enter__()
        self.addCleanup(self.gw.__exit__, None, None, None)
        self.srv = Server(extra_args=["--outbox-first-retry", "1"]).prepare()
        gateway = {"url": self.gw.url, "content_type": "application/json", "sender": "CAF",
                   "headers": {"Authorization": "Bearer test-key"},
                   "body": '{"to": "{{to}}", "text": "{{text}}", "from": "{{sender}}"}'}
        conn = sqlite3.connect(self.srv.db)
        with conn:
            conn.execute("UPDATE organisations SET sms_gateway=? WHERE slug='demo'",
                         (json.dumps(gateway),))
        conn.close()
        self.srv.start()
        self.addCleanup(self.srv.stop)
        self.demo = Demo(self.srv)

    def book(self, phone, index=0):
        motif = self.demo.video_motif()
        slot = self.demo.slots(motif["id"])[index]
        res = self.demo.book(motif["id"], slot, email="", phone=phone)
        self.assertEqual(res.status, 201, res.body)
        return res.json

    def test_confirmation_sms_in_e164_and_opt_out(self):
        self.gw.fail_next(1, status=503)  # the first attempt fails: retried
        appt = self.book("06 12 34 56 78")
        msgs = self.gw.wait_for(1, timeout=30)
        body = msgs[0]["body"]
        self.assertEqual(body["to"], "+33612345678")
        self.assertEqual(body["from"], "CAF")
        self.assertEqual(msgs[0]["headers"]["authorization"], "Bearer test-key")
        self.assertIn("/manage/", body["text"])
        self.assertLessEqual(len(body["text"]), 3 * 153)
        # The citizen stops SMS from the management page; the cancellation then goes nowhere.
        token = appt["manage_url"].rsplit("/", 1)[1]
        page = self.srv.get("/manage/%s" % token)
        cookie = page.header("Set-Cookie").split(";")[0]
        csrf = cookie.split("=", 1)[1]
        res = self.srv.request("POST", "/manage/%s/sms-opt-out" % token,
                               body=("csrf=" + csrf).encode(),
                               headers={"Cookie": cookie},
                               content_type="application/x-www-form-urlencoded")
        self.assertEqual(res.status, 303)
        self.assertEqual(self.srv.post("/api/v1/appointments/%s/cancel" % token, {}).status, 200)
        wait_until(lambda: self.srv.sql(
            "SELECT COUNT(*) FROM outbox WHERE kind='cancellation' AND channel='sms' "
            "AND status='cancelled' AND last_error='opted out'")[0][0] == 1, 20,
            "the cancellation SMS to be skipped")
        self.assertEqual(len(self.gw.messages), 1)

    def test_daily_cap_counts_sent_sms_across_restarts_and_holds_as_dead(self):
        """Issue 11.2: the cap (10 SMS per number per day) counts SMS sent, in the database:
        a restart does not reset it, and the 11th is a dead letter with its reason (listed by
        `outbox --status dead`, replayable), not silently cancelled."""
        self.gw.fail_next(3, status=503)  # failed attempts do not count against the cap
        for i in range(10):
            self.book("06 12 34 56 78", index=i)
        self.gw.wait_for(10, timeout=60)
        self.srv.stop()
        self.srv.start()
        appt = self.book("+33 6 12 34 56 78", index=10)
        wait_until(lambda: self.srv.sql(
            "SELECT COUNT(*) FROM outbox WHERE appointment_id=? AND channel='sms' "
            "AND kind='confirmation' AND status='dead'", (appt["id"],))[0][0] == 1, 20,
            "the 11th SMS of the day to be held back")
        error = self.srv.sql("SELECT last_error FROM outbox WHERE appointment_id=? "
                             "AND channel='sms' AND kind='confirmation'", (appt["id"],))[0][0]
        self.assertIn("per-number SMS limit", error)
        self.assertEqual(len(self.gw.messages), 10)
        listing = subprocess.run(
            [self.srv.binary, "outbox", "--db", self.srv.db, "--org", "demo", "--status",
             "dead"], env=clean_env(), stdout=subprocess.PIPE, timeout=60)
        self.assertIn(b"per-number SMS limit", listing.stdout)

    def test_landline_gets_no_sms(self):
        self.book("01 23 45 67 89", index=1)
        wait_until(lambda: self.srv.sql(
            "SELECT COUNT(*) FROM outbox WHERE channel='sms' AND kind='confirmation' "
            "AND status='cancelled'")[0][0] == 1, 20, "the SMS to a landline to be skipped")
        self.assertEqual(self.gw.messages, [])

    def test_resend_by_phone_sends_one_sms_with_a_new_link_to_each_appointment(self):
        """Issue 11.21: "send me my link again" with a phone number, typed nationally."""
        first = self.book("06 12 34 56 78", index=0)
        second = self.book("+33 6 12 34 56 78", index=5)
        self.gw.wait_for(2, timeout=30)  # the confirmations
        page = self.srv.get("/demo/resend")
        cookie = page.header("Set-Cookie").split(";")[0]
        res = self.srv.request("POST", "/demo/resend",
                               body="csrf=%s&contact=06+12+34+56+78" % cookie.split("=", 1)[1],
                               headers={"Cookie": cookie},
                               content_type="application/x-www-form-urlencoded")
        self.assertEqual(res.status, 303, res)
        sms = self.gw.wait_for(3, timeout=30)[2]["body"]
        self.assertEqual(sms["to"], "+33612345678")
        tokens = re.findall(r"/manage/([A-Za-z0-9_-]{43})", sms["text"])
        self.assertEqual(len(tokens), 2, sms["text"])
        self.assertLessEqual(len(sms["text"]), 3 * 153)
        for token, appt in zip(tokens, (first, second)):
            r = self.srv.get("/api/v1/appointments/" + token)
            self.assertEqual((r.status, r.json["id"]), (200, appt["id"]))


if __name__ == "__main__":
    unittest.main()
