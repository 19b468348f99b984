"""admin-rest (issue 12): the platform administrator (an account flag set by `visioguichet
user platform-admin`) lists organisations and creates one with its first administrator,
invited by e-mail; nobody else reaches the page."""

import re
import unittest

from admin_login import staff_with_totp
from staff import totp
from harness import Server
from staff import GOOD, Browser, cli, set_password

PLATFORM = "plateforme@visioguichet.test"


class Platform(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        r = cli(cls.srv, "user", "platform-admin", "--email", PLATFORM)
        assert r.returncode == 0, r.stderr
        set_password(cls.srv, PLATFORM, GOOD + "-platform")
        cls.srv.start()
        b = Browser(cls.srv)
        r = b.login(PLATFORM, GOOD + "-platform")
        # A platform administrator enrols a second factor first.
        assert (r.status, r.header("Location")) == (303, "/console/totp"), (r.status, r.headers)
        page = b.send("GET", "/console/totp").body.decode()
        secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1).strip()
        sealed = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
        r = b.post("/console/totp", {"code": totp(secret), "enrolment": sealed})
        assert r.status == 200, r.body.decode()
        cls.platform = b
        cls.admin = staff_with_totp(cls.srv, "admin@demo.visioguichet.test", "admin")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_the_cli_sets_the_flag(self):
        r = cli(self.srv, "user", "list")
        line = [x for x in r.stdout.splitlines() if x.startswith(PLATFORM)][0]
        self.assertIn("platform-admin", line)

    def test_only_platform_administrators(self):
        self.assertEqual(self.admin.send("GET", "/console/platform").status, 403)
        self.assertEqual(self.admin.post("/console/platform",
                                         {"slug": "x", "name": "X",
                                          "admin_email": "x@example.org"}).status, 403)
        r = Browser(self.srv).send("GET", "/console/platform")
        self.assertEqual((r.status, r.header("Location")), (303, "/login"))
        r = self.platform.send("GET", "/console/platform")
        self.assertEqual(r.status, 200)
        self.assertIn(b"demo", r.body)
        # A forged form: 403, nothing created.
        r = self.platform.send("POST", "/console/platform",
                               [("slug", "forged"), ("name", "F"), ("admin_email", "f@x.org")])
        self.assertEqual(r.status, 403)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM organisations WHERE slug='forged'"),
                         [(0,)])

    def test_create_an_organisation_and_invite_its_first_administrator(self):
        count = self.srv.sql("SELECT COUNT(*) FROM organisations")[0][0]
        for bad in ({"slug": "console", "name": "Caf", "admin_email": "a@caf.example"},
                    {"slug": "Caf Nord", "name": "Caf", "admin_email": "a@caf.example"},
                    {"slug": "demo", "name": "Caf", "admin_email": "a@caf.example"},
                    {"slug": "caf-nord", "name": "", "admin_email": "nobody"}):
            r = self.platform.post("/console/platform", bad)
            self.assertEqual(r.status, 422, bad)
            self.assertIn(b'class="field-error"', r.body)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM organisations")[0][0], count)

        r = self.platform.post("/console/platform", {"slug": "caf-nord", "name": "Caf du Nord",
                                                     "admin_email": "direction@caf-nord.example"})
        self.assertEqual((r.status, r.header("Location")), (303, "/console/platform?created=1"))
        org = self.srv.sql("SELECT id, name FROM organisations WHERE slug='caf-nord'")
        self.assertEqual(org[0][1], "Caf du Nord")
        roles = self.srv.sql(
            "SELECT m.role FROM memberships m JOIN accounts a ON a.id = m.account_id "
            "WHERE a.email='direction@caf-nord.example' AND m.organisation_id=?", (org[0][0],))
        self.assertEqual(roles, [("admin",)])
        invitations = self.srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='account_invitation'")
        self.assertEqual(invitations, [(1,)])
        journal = self.srv.sql("SELECT actor, action FROM config_changes WHERE organisation_id=?",
                               (org[0][0],))
        self.assertEqual(len(journal), 1)
        self.assertTrue(journal[0][0].startswith("account:"))
        self.assertIn(b"Caf du Nord", self.platform.send("GET", "/console/platform").body)


if __name__ == "__main__":
    unittest.main()
