"""The agent's agenda in the console (docs/CONSOLE.md): an agent sees their own appointments
on /console/ and in the day and week views and nobody else's (another agent's id in ?agent=
is refused, another organisation's ids 404), signed out goes to /login; the private calendar
feed carries no citizen contact and stops working once replaced or revoked; forged POSTs are
refused (403) and write nothing; the console language; teams (administrators only)."""

import html
import datetime
import re
import unittest

from harness import Demo, module_server
from staff import GOOD, Browser, cli, set_password, totp

setUpModule, tearDownModule = module_server(globals())

ADMIN = "chef.agenda@example.org"
ADMIN_PASSWORD = "Orbite-tulipe-Gravier-93-xk"


def text(r):
    return html.unescape(r.body.decode("utf-8"))


class Agenda(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        srv = server
        cls.demo = Demo(srv)
        motif = cls.demo.video_motif()
        # A slot two agents serve: the second booking of it goes to another agent.
        for slot in cls.demo.slots(motif["id"], days=14):
            mine = cls.demo.book(motif["id"], slot, first_name="Zélie", last_name="Agendaire",
                                 email="zelie.agendaire@example.org", phone="06 11 22 33 44")
            assert mine.status == 201, mine
            if cls.demo.slot_free(motif["id"], slot):
                break
            assert cls.demo.cancel(mine.json["token"]).status == 200  # one agent only
        theirs = cls.demo.book(motif["id"], slot, first_name="Octave", last_name="Voisin",
                               email="octave.voisin@example.org")
        assert theirs.status == 201, theirs
        cls.day = slot["start"][:10]
        cls.mine, cls.theirs = mine.json["id"], theirs.json["id"]
        rows = dict(srv.sql("SELECT id, agent_id FROM appointments WHERE id IN (?,?)",
                            (cls.mine, cls.theirs)))
        cls.my_agent, cls.their_agent = rows[cls.mine], rows[cls.theirs]
        assert cls.my_agent != cls.their_agent
        cls.email = srv.sql("SELECT email FROM agents WHERE id=?", (cls.my_agent,))[0][0]
        set_password(srv, cls.email, GOOD)
        # Another organisation with its own agent.
        assert cli(srv, "org", "create", "--slug", "ailleurs", "--name", "Ailleurs").returncode == 0
        assert cli(srv, "user", "add", "--org", "ailleurs", "--email", "loin@ailleurs.example",
                   "--role", "agent").returncode == 0
        cls.foreign_agent = srv.sql(
            "SELECT id FROM agents WHERE email='loin@ailleurs.example'")[0][0]

    def agent(self):
        b = Browser(server)
        r = b.login(self.email, GOOD)
        self.assertEqual(r.status, 303, r)
        return b

    def test_agent_sees_own_appointments_in_day_and_week_views(self):
        b = self.agent()
        for view in ("day", "week"):
            r = b.send("GET", "/console/agenda?day=%s&view=%s" % (self.day, view))
            self.assertEqual(r.status, 200, r)
            body = text(r)
            self.assertIn("/console/appointments/%d" % self.mine, body)
            self.assertIn("Zélie Agendaire", body)
            self.assertNotIn("Octave Voisin", body)
            self.assertNotIn("/console/appointments/%d" % self.theirs, body)
        # "all" is the agent's own scope: still only their appointments.
        r = b.send("GET", "/console/agenda?day=%s&view=week&agent=all" % self.day)
        self.assertEqual(r.status, 200)
        self.assertNotIn("Octave Voisin", text(r))
        # The printable list names the citizen and their phone (internal use).
        r = b.send("GET", "/console/agenda/print?day=%s" % self.day)
        self.assertEqual(r.status, 200)
        self.assertIn("Zélie Agendaire", text(r))
        self.assertIn("+33 6 11 22 33 44", text(r))
        # The console's entrance keeps the account's links.
        r = b.send("GET", "/console/")
        self.assertEqual(r.status, 200)
        self.assertIn('action="/logout"', text(r))
        self.assertIn('href="/console/totp"', text(r))
        self.assertIn('href="/console/agenda?view=week"', text(r))
        # Previous and next links move by a week.
        monday = datetime.date.fromisoformat(self.day)
        r = b.send("GET", "/console/agenda?day=%s&view=week" % self.day)
        nxt = (monday + datetime.timedelta(days=7)).isoformat()
        self.assertIn("day=%s&view=week" % nxt, text(r))

    def test_another_agents_id_and_another_organisations_ids_are_refused(self):
        b = self.agent()
        for agent in (self.their_agent, self.foreign_agent, 999999):
            with self.subTest(agent=agent):
                r = b.send("GET", "/console/agenda?day=%s&view=week&agent=%d" % (self.day, agent))
                self.assertEqual(r.status, 404, r)
                self.assertNotIn("Octave", text(r))
        for bad in ("day=2026-02-30", "view=month", "agent=abc"):
            with self.subTest(bad=bad):
                self.assertEqual(b.send("GET", "/console/agenda?" + bad).status, 400)
        # An agent is no administrator.
        self.assertEqual(b.send("GET", "/console/admin/teams").status, 403)

    def test_signed_out_goes_to_login(self):
        for path in ("/console/", "/console/agenda", "/console/agenda?view=week",
                     "/console/agenda/print", "/console/calendar", "/console/admin/teams"):
            with self.subTest(path=path):
                r = server.get(path)
                self.assertEqual(r.status, 303, r)
                self.assertEqual(r.header("Location"), "/login")

    def feed_url(self, r):
        m = re.search(r'value="(http[^"]+/calendar/([A-Za-z0-9_-]{43})\.ics)"', text(r))
        self.assertTrue(m, text(r))
        return "/calendar/%s.ics" % m.group(2)

    def test_feed_has_no_citizen_contact_and_dies_when_replaced_or_revoked(self):
        b = self.agent()
        r = b.send("GET", "/console/calendar")
        self.assertEqual(r.status, 200)
        r = b.post("/console/calendar")
        self.assertEqual(r.status, 200, r)
        first = self.feed_url(r)
        feed = server.get(first)  # no cookie: the link is the key
        self.assertEqual(feed.status, 200, feed)
        self.assertTrue(feed.header("Content-Type").startswith("text/calendar"))
        self.assertIn("private", feed.header("Cache-Control"))
        body = text(feed)
        self.assertIn("BEGIN:VEVENT", body)
        self.assertIn("UID:appointment-%d." % self.mine, body)
        for secret in ("Zélie", "Agendaire", "zelie", "example.org", "0611223344",
                       "611223344", "11 22 33 44", "Octave"):
            self.assertNotIn(secret, body)
        # Only the hash is stored.
        token = first[len("/calendar/"):-len(".ics")]
        self.assertEqual(server.sql("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash=?",
                                    (token,)), [(0,)])
        # Replaced: the first link 404s, the new one works; revoked: 404.
        second = self.feed_url(b.post("/console/calendar"))
        self.assertEqual(server.get(first).status, 404)
        self.assertEqual(server.get(second).status, 200)
        r = b.post("/console/calendar/revoke")
        self.assertEqual(r.status, 303)
        self.assertEqual(server.get(second).status, 404)
        self.assertEqual(server.get("/calendar/%s.ics" % ("A" * 43)).status, 404)
        self.assertEqual(server.get("/calendar/nothing").status, 404)

    def test_forged_posts_are_refused_and_write_nothing(self):
        b = self.agent()
        before = server.sql("SELECT COUNT(*) FROM calendar_feeds")
        for path, fields in (("/console/calendar", {}), ("/console/calendar/revoke", {}),
                             ("/console/language", {"language": "de"})):
            with self.subTest(path=path):
                r = b.send("POST", path, dict(fields, csrf="forged" * 8))
                self.assertEqual(r.status, 403)
                evil = Browser(server, origin="https://evil.example")
                evil.jar = dict(b.jar)
                self.assertEqual(evil.post(path, fields).status, 403)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM calendar_feeds"), before)
        self.assertEqual(server.sql("SELECT language FROM accounts WHERE email=?",
                                    (self.email,)), [(None,)])

    def test_console_language(self):
        b = self.agent()
        r = b.post("/console/language", {"language": "nl"})
        self.assertEqual(r.status, 303, r)
        r = b.send("GET", "/console/agenda")
        self.assertIn('<html lang="nl">', text(r))
        self.assertIn("Agenda", text(r))
        # Every part of the console speaks it, not only the agenda.
        for path in ("/console/", "/console/availability", "/console/book"):
            self.assertIn('<html lang="nl">', text(b.send("GET", path)), path)
        # Refusals too (403 of a page the role does not open, 404 of an unknown id).
        for path, status in (("/console/admin/settings", 403), ("/console/appointments/999999", 404)):
            r = b.send("GET", path)
            self.assertEqual(r.status, status, path)
            self.assertIn('<html lang="nl">', text(r), path)
        # ?lang= still wins.
        self.assertIn('<html lang="de">', text(b.send("GET", "/console/agenda?lang=de")))
        self.assertEqual(b.post("/console/language", {"language": "xx"}).status, 400)
        b.post("/console/language", {"language": ""})
        self.assertEqual(server.sql("SELECT language FROM accounts WHERE email=?",
                                    (self.email,)), [(None,)])

    def admin(self):
        if not server.sql("SELECT 1 FROM accounts WHERE email_key=?", (ADMIN,)):
            assert cli(server, "user", "add", "--org", "demo", "--email", ADMIN,
                       "--role", "admin").returncode == 0
            set_password(server, ADMIN, ADMIN_PASSWORD)
            b = Browser(server)
            b.login(ADMIN, ADMIN_PASSWORD)
            page = text(b.send("GET", "/console/totp"))
            secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
            sealed = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
            r = b.post("/console/totp", {"enrolment": sealed, "code": totp(secret)})
            self.assertEqual(r.status, 200, r)
            type(self).admin_secret = secret
            return b
        b = Browser(server)
        b.login(ADMIN, ADMIN_PASSWORD)
        # A code of the next step: the previous one may not be used twice.
        r = b.post("/login/totp", {"code": totp(self.admin_secret, step=1)})
        self.assertEqual(r.status, 303, r)
        return b

    def test_teams_administration_and_supervisor_scope(self):
        b = self.admin()
        r = b.send("GET", "/console/admin/teams")
        self.assertEqual(r.status, 200, r)
        r = b.post("/console/admin/teams", {"name": "Équipe agenda"})
        self.assertEqual(r.status, 303, r)
        team = server.sql("SELECT id FROM teams WHERE name='Équipe agenda'")[0][0]
        self.assertEqual(b.post("/console/admin/teams", {"name": "Équipe agenda"}).status, 422)
        r = b.post("/console/admin/teams/%d/agents" % team, {"agent": self.my_agent, "op": "add"})
        self.assertEqual(r.status, 303, r)
        # Another organisation's agent or team: 404, nothing written.
        self.assertEqual(b.post("/console/admin/teams/%d/agents" % team,
                                {"agent": self.foreign_agent, "op": "add"}).status, 404)
        self.assertEqual(b.post("/console/admin/teams/999999/rename", {"name": "X"}).status, 404)
        self.assertEqual(server.sql("SELECT agent_id FROM team_agents WHERE team_id=?", (team,)),
                         [(self.my_agent,)])
        changes = server.sql("SELECT action FROM config_changes WHERE object_type='team' AND "
                             "object_id=? ORDER BY id", (team,))
        self.assertEqual(changes, [("create",), ("update",)])
        # The administrator sees every agent's appointments and may choose one.
        r = b.send("GET", "/console/agenda?day=%s&view=day&agent=all" % self.day)
        self.assertIn("Octave Voisin", text(r))
        self.assertIn("Zélie Agendaire", text(r))
        r = b.send("GET", "/console/agenda?day=%s&agent=%d" % (self.day, self.their_agent))
        self.assertEqual(r.status, 200)
        self.assertNotIn("Zélie Agendaire", text(r))
        self.assertEqual(b.send("GET", "/console/agenda?agent=%d" % self.foreign_agent).status,
                         404)
        r = b.post("/console/admin/teams/%d/delete" % team)
        self.assertEqual(r.status, 303)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM teams WHERE id=?", (team,)), [(0,)])


if __name__ == "__main__":
    unittest.main()
