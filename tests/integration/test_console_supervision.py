"""Supervision in the console (issue 12): access (agents 403, signed out to /login, forged
POST 403, another organisation's ids 404), and closing a site for a day: the preview lists
what confirming does, confirming does exactly that, each citizen is told in their language
and no on-site slot of that site is offered that day any more."""

import datetime
import re
import unittest

from harness import Demo, module_server
from staff import AGENT, GOOD, Browser, cli, set_password, sign_in_with_totp

setUpModule, tearDownModule = module_server(globals(), smtp_sink=True,
                                            extra_args=["--outbox-poll", "1"])
SUPERVISOR = "superviseure@demo.visioguichet.test"


def supervisor_browser(srv):
    """A supervisor signed in with the second factor they must enrol."""
    r = cli(srv, "user", "add", "--org", "demo", "--email", SUPERVISOR, "--role", "supervisor")
    assert r.returncode == 0 or "already" in (r.stderr + r.stdout), r.stderr
    set_password(srv, SUPERVISOR, GOOD)
    b = Browser(srv)
    sign_in_with_totp(b, SUPERVISOR, GOOD)
    return b


class Supervision(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.sup = supervisor_browser(server)
        set_password(server, AGENT, GOOD)
        cls.agent = Browser(server)
        cls.agent.login(AGENT, GOOD)

    def test_access(self):
        self.assertEqual(self.agent.send("GET", "/console/supervision/today").status, 403)
        self.assertEqual(self.agent.send("GET", "/console/supervision/close-site").status, 403)
        signed_out = Browser(server)
        r = signed_out.send("GET", "/console/supervision/today")
        self.assertEqual((r.status, r.header("Location")), (303, "/login"))
        self.assertEqual(self.sup.send("GET", "/console/supervision/today").status, 200)
        # A forged POST (no CSRF token): 403, nothing done.
        r = self.sup.send("POST", "/console/supervision/close-site",
                          {"site": "1", "day": "2030-01-07", "reason": "x"})
        self.assertEqual(r.status, 403)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM site_closures")[0][0], 0)
        # Ids of nothing in this organisation: 404.
        self.assertEqual(self.sup.send("GET", "/console/supervision/appointments/999999/reassign")
                         .status, 404)
        self.assertEqual(self.sup.send("GET", "/console/supervision/close-site?site=999999&day="
                                       "2030-01-07").status, 404)

    def test_close_a_site_for_a_day(self):
        evry = [s for s in self.demo.sites() if "vry" in s["name"]][0]["id"]
        motif = [m for m in self.demo.motifs() if m["code"] == "online_help"][0]["id"]
        day = datetime.date.today() + datetime.timedelta(days=2)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        slots = self.demo.slots(motif, "on_site", days=0, site=evry, first_day=day)
        self.assertGreaterEqual(len(slots), 2, slots)
        by_mail = self.demo.book(motif, slots[0], "on_site", email="anna@example.de",
                                 language="de")
        self.assertEqual(by_mail.status, 201, by_mail)
        by_phone = self.demo.book(motif, slots[1], "on_site", email="", phone="0612345678",
                                  language="nl")
        self.assertEqual(by_phone.status, 201, by_phone)

        q = "/console/supervision/close-site?site=%d&day=%s" % (evry, day.isoformat())
        preview = self.sup.send("GET", q)
        self.assertEqual(preview.status, 200)
        page = preview.body.decode()
        rows = re.findall(r'data-appointment="(\d+)".*?<td class="outcome">([^<]+)</td>', page)
        self.assertEqual(len(rows), 2, page)
        self.assertIn("Devient un rendez-vous vidéo", [o for _, o in rows])
        fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)

        done = self.sup.post("/console/supervision/close-site",
                             {"site": evry, "day": day.isoformat(), "reason": "Dégât des eaux",
                              "fingerprint": fingerprint})
        self.assertEqual(done.status, 200, done)
        after = re.findall(r'data-appointment="(\d+)".*?<td class="outcome">([^<]+)</td>',
                           done.body.decode())
        self.assertEqual(after, rows)
        self.assertEqual(self.demo.slots(motif, "on_site", days=0, site=evry, first_day=day), [])
        self.assertTrue(self.demo.slots(motif, "video", days=0, first_day=day))

        mail = sink.wait_for(1, timeout=20, predicate=lambda m: "anna@example.de" in m.rcpt_tos
                             and "anders statt" in m.message["Subject"])[0]
        text = mail.message.get_body(("plain",)).get_content()
        self.assertIn("geschlossen", text)
        self.assertEqual(server.live_overlaps(), 0)


if __name__ == "__main__":
    unittest.main()
