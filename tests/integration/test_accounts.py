"""Staff accounts: the CLI contract (org create, user add|list|password), sign-in at /login
(same answer whether the account exists, growing delays and a lock that survives a restart),
the session cookie, idle timeout, sign-out and sign-out everywhere, /console/ behind a
session."""

import re
import statistics
import time
import unittest

from harness import Server, require, wait_until

require("aiosmtpd", "python3-aiosmtpd")
from smtp_sink import SmtpSink  # noqa: E402 (after the check that names the package)

from staff import AGENT, GOOD, Browser, cli, set_cookies, set_password  # noqa: E402


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server().prepare()

    def test_org_create_user_add_list_and_password(self):
        srv = self.srv
        r = cli(srv, "org", "create", "--slug", "caf-test", "--name", "CAF Test")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = cli(srv, "org", "create", "--slug", "caf-test", "--name", "Again")
        self.assertEqual(r.returncode, 2)
        self.assertIn("exists already", r.stderr)
        self.assertEqual(cli(srv, "org", "create", "--slug", "login", "--name", "X").returncode, 2)
        r = cli(srv, "user", "add", "--org", "caf-test", "--email", "Chef@Example.fr",
                "--role", "admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = cli(srv, "user", "add", "--org", "caf-test", "--email", "chef@example.fr",
                "--role", "agent")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotEqual(cli(srv, "user", "add", "--org", "caf-test", "--email", "x@y.fr",
                                "--role", "boss").returncode, 0)
        self.assertEqual(cli(srv, "user", "add", "--org", "nowhere", "--email", "x@y.fr",
                             "--role", "agent").returncode, 2)
        # One account a line, e-mail first, then its roles and organisation.
        r = cli(srv, "user", "list", "--org", "caf-test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["Chef@Example.fr\tadmin,agent\tcaf-test"])
        everyone = cli(srv, "user", "list").stdout.splitlines()
        self.assertEqual(len(everyone), 7)  # the six demo agents are accounts
        self.assertIn(AGENT + "\tagent\tdemo", everyone)
        demo = cli(srv, "user", "list", "--org", "demo").stdout.splitlines()
        self.assertEqual(len(demo), 6)
        # The password comes on standard input and the policy applies (16 for an admin).
        r = cli(srv, "user", "password", "--email", "chef@example.fr", stdin="password1234\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("at least 12 characters (16", r.stderr)
        r = cli(srv, "user", "password", "--email", "chef@example.fr",
                stdin="CafTest-Chef-Example\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("too easy to guess", r.stderr)
        self.assertEqual(srv.sql("SELECT password_hash FROM accounts WHERE email_key=?",
                                 ("chef@example.fr",)), [(None,)])
        r = cli(srv, "user", "password", "--email", "chef@example.fr",
                stdin="tulipe-gravier-Orbite-93-ancre\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        (h,), = srv.sql("SELECT password_hash FROM accounts WHERE email_key=?",
                        ("chef@example.fr",))
        self.assertTrue(h.startswith("$argon2id$v=19$m=65536,t=2,p=1$"), h)
        self.assertEqual(cli(srv, "user", "password", "--email", "nobody@example.fr",
                             stdin=GOOD).returncode, 2)
        actions = [a for (a,) in srv.sql("SELECT action FROM audit_log ORDER BY id")]
        for a in ("organisation.create", "account.create", "membership.add", "account.password"):
            self.assertIn(a, actions)


class SignIn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        set_password(cls.srv, AGENT, GOOD)
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_login_page_is_french_first_and_works_without_script(self):
        r = self.srv.get("/login")
        self.assertEqual(r.status, 200)
        body = r.body.decode()
        self.assertIn('<form method="post" action="/login"', body)
        self.assertRegex(body, r'<label for="email">Adresse e-mail</label>')
        self.assertRegex(body, r'<label for="password">Mot de passe</label>')
        self.assertIn(">Se connecter</button>", body)

    def test_the_same_answer_whether_the_account_exists_or_not(self):
        b = Browser(self.srv)
        answers, times = {}, {"known": [], "unknown": []}
        # An existing account with a wrong password, an account without password (another
        # demo agent) and an address nobody has.
        for kind, email in (("known", "agent3@demo.visioguichet.test"),
                            ("unknown", "nobody.at.all@demo.visioguichet.test"),
                            ("known", AGENT), ("unknown", "agent9@demo.visioguichet.test")):
            b.send("GET", "/login")
            start = time.monotonic()
            r = b.post("/login", {"email": email, "password": "wrong-password-x"})
            times[kind].append(time.monotonic() - start)
            answers.setdefault(kind, set()).add(
                (r.status, r.body.replace(email.encode(), b"EMAIL")))
            self.assertEqual(r.status, 401, r)
            self.assertIn("Adresse e-mail ou mot de passe incorrect.", r.body.decode())
            self.assertFalse([c for c in set_cookies(r) if "vg_staff" in c])
        self.assertEqual(answers["known"], answers["unknown"])
        self.assertEqual(len(answers["known"]), 1)
        # An unknown address costs a password hash too (tens of milliseconds at least,
        # against well under one without it).
        self.assertGreater(min(times["unknown"]), statistics.median(times["known"]) / 4, times)

    def test_sign_in_cookie_console_and_sign_out(self):
        b = Browser(self.srv)
        r = b.send("GET", "/console/")
        self.assertEqual((r.status, r.header("Location")), (303, "/login"))
        b.jar["vg_staff"] = "A" * 43  # a planted session id is never kept
        r = b.login(AGENT, GOOD)
        self.assertEqual((r.status, r.header("Location")), (303, "/console/"), r)
        staff = [c for c in set_cookies(r) if c.startswith("vg_staff=")]
        self.assertEqual(len(staff), 1, set_cookies(r))
        attrs = [a.strip() for a in staff[0].split(";")[1:]]
        self.assertEqual(sorted(attrs), ["HttpOnly", "Path=/", "SameSite=Lax"])
        self.assertNotEqual(b.jar["vg_staff"], "A" * 43)
        r = b.send("GET", "/console/")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Camille Martin", r.body.decode())
        self.assertIn("Caf de démonstration", r.body.decode())
        self.assertEqual(b.send("GET", "/console/anything").status, 404)
        # Signing in again rotates the id: the old cookie no longer opens anything.
        old = b.jar["vg_staff"]
        b.login(AGENT, GOOD)
        self.assertNotEqual(b.jar["vg_staff"], old)
        self.assertEqual(self.srv.get("/console/", headers={"Cookie": "vg_staff=" + old}).status,
                         303)
        r = b.post("/logout")
        self.assertEqual((r.status, r.header("Location")), (303, "/login?signed_out=1"))
        self.assertNotIn("vg_staff", b.jar)
        self.assertEqual(self.srv.get("/console/", headers={"Cookie": "vg_staff=" + old}).status,
                         303)
        actions = [a for (a,) in self.srv.sql("SELECT action FROM audit_log")]
        self.assertIn("signin.success", actions)
        self.assertIn("signout", actions)

    def test_sign_out_everywhere(self):
        one, two = Browser(self.srv), Browser(self.srv)
        self.assertEqual(one.login(AGENT, GOOD).status, 303)
        self.assertEqual(two.login(AGENT, GOOD).status, 303)
        self.assertEqual(two.send("GET", "/console/").status, 200)
        # Without the CSRF token: refused, nothing ended.
        r = one.send("POST", "/logout/everywhere", {})
        self.assertEqual(r.status, 403)
        self.assertEqual(two.send("GET", "/console/").status, 200)
        self.assertEqual(one.post("/logout/everywhere").status, 303)
        self.assertEqual(two.send("GET", "/console/").status, 303)
        self.assertEqual(one.send("GET", "/console/").status, 303)

    def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(self):
        email = "agent5@demo.visioguichet.test"
        set_password(self.srv, email, GOOD)
        b = Browser(self.srv)
        self.assertEqual(b.login(email, GOOD).status, 303)
        self.assertEqual(b.send("GET", "/console/").status, 200)
        old = b.jar["vg_staff"]
        r = cli(self.srv, "user", "disable", "--email", email.upper())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(b.send("GET", "/console/").status, 303)  # its session ended
        r = Browser(self.srv).login(email, GOOD)
        self.assertEqual(r.status, 401)  # the same answer as a wrong password
        self.assertIn("Adresse e-mail ou mot de passe incorrect.", r.body.decode())
        self.assertEqual(cli(self.srv, "user", "disable", "--email", "nobody@x.fr").returncode, 2)
        r = cli(self.srv, "user", "enable", "--email", email)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(Browser(self.srv).login(email, GOOD).status, 303)
        # Enabling it again does not bring back the sessions that were ended.
        self.assertEqual(self.srv.get("/console/", headers={"Cookie": "vg_staff=" + old}).status,
                         303)
        actions = [a for (a,) in self.srv.sql("SELECT action FROM audit_log")]
        self.assertIn("account.disable", actions)
        self.assertIn("account.enable", actions)

    def test_login_refuses_a_forged_form(self):
        b = Browser(self.srv)
        b.send("GET", "/login")
        r = b.send("POST", "/login", {"email": AGENT, "password": GOOD, "csrf": "x" * 43})
        self.assertEqual(r.status, 403)
        self.assertNotIn("vg_staff", b.jar)


class HttpsCookie(unittest.TestCase):
    def test_host_prefixed_secure_cookie_under_https(self):
        srv = Server(extra_args=["--outbox-threads", "0", "--public-url",
                                 "https://rdv.example.org/"]).prepare()
        set_password(srv, AGENT, GOOD)
        srv.start()
        try:
            b = Browser(srv, origin="https://rdv.example.org")
            r = b.login(AGENT, GOOD)
            self.assertEqual(r.status, 303, r)
            staff = [c for c in set_cookies(r) if "vg_staff" in c]
            self.assertEqual(len(staff), 1)
            self.assertTrue(staff[0].startswith("__Host-vg_staff="), staff)
            attrs = sorted(a.strip() for a in staff[0].split(";")[1:])
            self.assertEqual(attrs, ["HttpOnly", "Path=/", "SameSite=Lax", "Secure"])
            self.assertEqual(b.send("GET", "/console/").status, 200)
        finally:
            self.assertEqual(srv.stop(), 0)


class Limits(unittest.TestCase):
    def test_lock_after_failures_then_unlock_after_the_delay(self):
        srv = Server(extra_args=["--outbox-threads", "0", "--sign-in-lock-after", "3",
                                 "--sign-in-lock-seconds", "2"]).prepare()
        set_password(srv, AGENT, GOOD)
        srv.start()
        try:
            b = Browser(srv)
            for _ in range(3):
                self.assertEqual(b.login(AGENT, "wrong-password-x").status, 401)
            r = b.login(AGENT, GOOD)
            self.assertEqual(r.status, 429, r)
            self.assertIn("Trop de tentatives", r.body.decode())
            self.assertTrue(1 <= int(r.header("Retry-After")) <= 2, r.header("Retry-After"))
            wait_until(lambda: b.login(AGENT, GOOD).status == 303, 20, "the lock to end")
            actions = [a for (a,) in srv.sql("SELECT action FROM audit_log")]
            self.assertEqual(actions.count("signin.failure"), 3)
            self.assertEqual(actions.count("signin.lock"), 1)
            self.assertGreaterEqual(actions.count("signin.blocked"), 1)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_the_lock_survives_a_restart(self):
        srv = Server(extra_args=["--outbox-threads", "0", "--sign-in-lock-after", "2",
                                 "--sign-in-lock-seconds", "600"]).prepare()
        set_password(srv, AGENT, GOOD)
        srv.start()
        try:
            b = Browser(srv)
            for _ in range(2):
                self.assertEqual(b.login(AGENT, "wrong-password-x").status, 401)
            self.assertEqual(srv.stop(), 0)
            srv.start()
            b = Browser(srv)
            self.assertEqual(b.login(AGENT, GOOD).status, 429)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_idle_session_expires(self):
        # 5 s: room for the sign-in and the first page on a loaded machine (1 s was seen
        # expiring between them).
        srv = Server(extra_args=["--outbox-threads", "0", "--session-idle-timeout", "5"]).prepare()
        set_password(srv, AGENT, GOOD)
        srv.start()
        try:
            b = Browser(srv)
            self.assertEqual(b.login(AGENT, GOOD).status, 303)
            self.assertEqual(b.send("GET", "/console/").status, 200)
            # Asking the console would be activity: wait until the server's clock is past
            # the recorded last activity plus the timeout, then ask once.
            (seen,), = srv.sql("SELECT MAX(last_seen_at) FROM staff_sessions")
            wait_until(lambda: time.time() >= seen + 6, 30, "the idle timeout to pass")
            self.assertEqual(b.send("GET", "/console/").status, 303)
            (revoked,), = srv.sql("SELECT COUNT(*) FROM staff_sessions WHERE revoked_at IS NULL")
            self.assertEqual(revoked, 1)  # expired, not revoked: refused all the same
        finally:
            self.assertEqual(srv.stop(), 0)


class Links(unittest.TestCase):
    """Invitation and reset: single-use links valid 30 minutes, sent through the outbox."""

    @classmethod
    def setUpClass(cls):
        cls.sink = SmtpSink().start()
        # Polls every second: the CLI's invitation is queued by another process.
        cls.srv = Server(extra_args=["--smtp-url", cls.sink.url, "--outbox-poll", "1"])
        cls.srv.prepare().start()

    @classmethod
    def tearDownClass(cls):
        try:
            assert cls.srv.stop() == 0
        finally:
            cls.sink.stop()

    def link_of(self, mail):
        text = mail.message.get_body(("plain",)).get_content()
        m = re.search(r"http://[^/\s]+(/account/password/[A-Za-z0-9_-]{43})", text)
        self.assertTrue(m, text)
        return m.group(1)

    def test_reset_link_sets_the_password_once_and_never_shows_in_logs(self):
        email = "agent4@demo.visioguichet.test"
        b = Browser(self.srv)
        b.send("GET", "/login/reset")
        before = len(self.sink.messages)
        r = b.post("/login/reset", {"email": email})
        self.assertEqual(r.status, 200)
        self.assertIn("Si un compte existe", r.body.decode())
        # The same page for an address nobody has, and no message for it.
        r2 = b.post("/login/reset", {"email": "ghost@demo.visioguichet.test"})
        self.assertEqual((r2.status, r2.body), (r.status, r.body))
        mail = self.sink.wait_for(before + 1, timeout=20)[-1]
        self.assertEqual(mail.rcpt_tos, [email])
        self.assertEqual(mail.subject, "Réinitialisation de votre mot de passe")
        path = self.link_of(mail)
        token = path.rsplit("/", 1)[1]
        # A weak password is refused with the reason, the link stays usable.
        r = b.post(path, {"password": "password1234"})
        self.assertEqual(r.status, 422)
        self.assertIn("trop facile à deviner", r.body.decode())
        r = b.post(path, {"password": GOOD})
        self.assertEqual((r.status, r.header("Location")), (303, "/login?password_set=1"))
        self.assertEqual(b.post(path, {"password": GOOD + "x"}).status, 410)  # single use
        self.assertEqual(b.send("GET", path).status, 410)
        self.assertEqual(Browser(self.srv).login(email, GOOD).status, 303)
        # The token is in no log line and no longer in the database's message.
        wait_until(lambda: self.srv.sql(
            "SELECT COUNT(*) FROM outbox WHERE kind='account_reset' AND status='sent'")[0][0], 10,
            "the message marked sent")
        self.assertNotIn(token, self.srv.log_text())
        for (payload,) in self.srv.sql("SELECT payload FROM outbox WHERE kind LIKE 'account_%'"):
            self.assertNotIn("token", payload)

    def test_reset_requests_are_limited_per_address_and_per_client(self):
        """Each request may send a mail: 3 a day per address (known or not), 10 an hour per
        client; over a limit, 429 with Retry-After and nothing queued."""
        srv = Server(extra_args=["--outbox-threads", "0"]).prepare().start()
        try:
            b = Browser(srv)
            b.send("GET", "/login/reset")
            queued = lambda: srv.sql(
                "SELECT COUNT(*) FROM outbox WHERE kind='account_reset'")[0][0]
            for email in ("agent5@demo.visioguichet.test", "ghost@demo.visioguichet.test"):
                for _ in range(3):
                    self.assertEqual(b.post("/login/reset", {"email": email}).status, 200)
                r = b.post("/login/reset", {"email": email.upper()})  # the same address
                self.assertEqual(r.status, 429, email)
                self.assertGreater(int(r.header("Retry-After")), 0)
                self.assertIn("Trop de demandes de réinitialisation", r.body.decode())
            self.assertEqual(queued(), 3)  # only the known address's, not the 4th
            # 8 requests so far from this client; 2 more are allowed, the 11th is not.
            for i in range(2):
                self.assertEqual(b.post("/login/reset", {"email": "x%d@example.org" % i}).status,
                                 200)
            self.assertEqual(b.post("/login/reset", {"email": "y@example.org"}).status, 429)
            self.assertEqual(queued(), 3)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_invitation_from_the_command_line(self):
        srv = self.srv
        r = cli(srv, "user", "add", "--org", "demo", "--email", "new.agent@demo.visioguichet.test",
                "--role", "agent", "--name", "Nouvel Agent")
        self.assertEqual(r.returncode, 0, r.stderr)
        before = len(self.sink.messages)
        r = cli(srv, "user", "invite", "--email", "new.agent@demo.visioguichet.test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotRegex(r.stdout + r.stderr, r"[A-Za-z0-9_-]{43}")
        self.assertEqual(cli(srv, "user", "invite", "--email", "nobody@x.fr").returncode, 2)
        # Another process queued it: the server's sender finds it at its next look.
        mail = self.sink.wait_for(before + 1, timeout=20)[-1]
        self.assertEqual(mail.rcpt_tos, ["new.agent@demo.visioguichet.test"])
        path = self.link_of(mail)
        b = Browser(self.srv)
        r = b.send("GET", path)
        self.assertEqual(r.status, 200)
        self.assertIn('autocomplete="new-password"', r.body.decode())
        self.assertEqual(b.post(path, {"password": GOOD}).status, 303)
        self.assertEqual(Browser(self.srv).login("new.agent@demo.visioguichet.test", GOOD).status,
                         303)


if __name__ == "__main__":
    unittest.main()
