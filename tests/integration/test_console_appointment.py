"""The console's appointment page (issue 12): access (own appointment only, supervisors
aside; another organisation's id, a colleague's, a non-numeric id: the same 404; signed out:
/login; forged POST: 403), the actions and the citizen's messages (cancel, move to phone,
reschedule, through a real SMTP sink), the outcome form, private notes, booking on behalf.

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD python3 -m unittest discover \
        -s tests/integration -p test_console_appointment.py -v
"""

import datetime
import html
import re
import time
import unittest

from harness import Demo, module_server
from staff import AGENT, GOOD, Browser, cli, set_password, sign_in_with_totp

setUpModule, tearDownModule = module_server(globals(), smtp_sink=True)

OTHER_ORG = "autre-caf"
ADMIN = "chef@demo.visioguichet.test"
SUPERVISOR = "superviseure@demo.visioguichet.test"


def text(r):
    return r.body.decode("utf-8")


class AppointmentPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server
        cls.demo = Demo(server)
        set_password(server, AGENT, GOOD)
        cls.agent_id = server.sql(
            "SELECT m.agent_id FROM memberships m JOIN accounts a ON a.id = m.account_id "
            "WHERE a.email_key = ?", (AGENT.lower(),))[0][0]
        cls.colleague_id = server.sql(
            "SELECT id FROM agents WHERE id <> ? ORDER BY id LIMIT 1", (cls.agent_id,))[0][0]
        r = cli(server, "org", "create", "--slug", OTHER_ORG, "--name", "Autre CAF")
        assert r.returncode == 0, r.stderr
        cls.other_org = server.sql("SELECT id FROM organisations WHERE slug = ?", (OTHER_ORG,))[0][0]
        cls.motif = cls.demo.video_motif()
        cls.slots = cls.demo.slots(cls.motif["id"])
        cls.used = 0
        cls.b = Browser(server)
        assert cls.b.login(AGENT, GOOD).status == 303

    def book(self, agent=None, **citizen):
        """An appointment of the demo booked by the API, then given to `agent` (the signed-in
        agent's by default)."""
        for _ in range(40):
            slot = self.slots[(type(self).used * 7) % len(self.slots)]
            type(self).used += 1
            person = {"email": "citoyen%d@example.org" % type(self).used}
            person.update(citizen)
            r = self.demo.book(self.motif["id"], slot, **person)
            if r.status == 201:
                break
        self.assertEqual(r.status, 201, r)
        appointment = r.json["id"]
        # The agent's own: no other live appointment of theirs at that time.
        self.srv.write("UPDATE appointments SET status = 'cancelled' WHERE agent_id = ? AND id <> ? "
           "AND starts_at < (SELECT ends_at FROM appointments WHERE id = ?) "
           "AND ends_at > (SELECT starts_at FROM appointments WHERE id = ?)",
           (agent or self.agent_id, appointment, appointment, appointment))
        self.srv.write("UPDATE appointments SET agent_id = ? WHERE id = ?",
           (agent or self.agent_id, appointment))
        return appointment

    def status_of(self, appointment):
        return self.srv.sql("SELECT status, channel FROM appointments WHERE id = ?",
                            (appointment,))[0]

    def events(self, appointment):
        return self.srv.sql("SELECT COUNT(*) FROM appointment_events WHERE appointment_id = ?",
                            (appointment,))[0][0]

    def page(self, appointment):
        return self.b.send("GET", "/console/appointments/%d" % appointment)

    # --- access ---------------------------------------------------------------------------

    def test_own_appointment_names_the_citizen(self):
        a = self.book(first_name="Aïcha", last_name="Benali", phone="06 12 34 56 78",
                      needs="Fauteuil roulant")
        r = self.page(a)
        self.assertEqual(r.status, 200, r)
        body = html.unescape(text(r))
        for expected in ("Aïcha Benali", "+33 6 12 34 56 78", "Fauteuil roulant",
                         "Historique", "Notes privées"):
            self.assertIn(expected, body)

    def test_refusals_are_the_same_404(self):
        colleague = self.book(agent=self.colleague_id)
        mine = self.book()
        foreign = self.srv.write(
                     "INSERT INTO appointments (organisation_id, motif_id, site_id, agent_id, "
                     "channel, starts_at, ends_at, status, citizen_first_name, citizen_last_name, "
                     "terms_version, token_hash, token_expires_at, created_at, updated_at) "
                     "SELECT ?, motif_id, site_id, agent_id, channel, starts_at, ends_at, "
                     "'cancelled', "
                     "'Autre', 'Personne', terms_version, 'x' || token_hash, token_expires_at, "
                     "created_at, updated_at FROM appointments WHERE id = ?",
                     (self.other_org, mine))
        bodies = set()
        for path in ("/console/appointments/%d" % colleague,
                     "/console/appointments/%d" % foreign,
                     "/console/appointments/abc",
                     "/console/appointments/99999999"):
            r = self.b.send("GET", path)
            self.assertEqual(r.status, 404, path)
            self.assertNotIn("Autre", text(r))
            bodies.add(html.unescape(text(r)).replace(path, "PATH"))  # language links: the path
            # The actions too, and nothing written.
            before = self.srv.sql("SELECT COUNT(*) FROM appointment_events")[0][0]
            r = self.b.post(path + "/cancel", {"reason": "Fermeture"})
            self.assertEqual(r.status, 404, path)
            self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM appointment_events")[0][0],
                             before)
        self.assertEqual(len(bodies), 1, "the same answer whatever the reason")
        self.assertEqual(self.status_of(colleague)[0], "booked")

    def test_signed_out_goes_to_login_and_forged_post_is_refused(self):
        a = self.book()
        r = Browser(self.srv).send("GET", "/console/appointments/%d" % a)
        self.assertEqual((r.status, r.header("Location")), (303, "/login"))
        before = self.events(a)
        forged = self.b.send("POST", "/console/appointments/%d/cancel" % a,
                             {"reason": "Fermeture", "csrf": "forged"})
        self.assertEqual(forged.status, 403)
        r = self.b.send("POST", "/console/appointments/%d/note" % a, {"note": "sans jeton"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.events(a), before)
        self.assertEqual(self.status_of(a)[0], "booked")

    def test_bad_fields_are_refused_with_nothing_written(self):
        a = self.book()
        before = self.events(a)
        for path, fields in (("cancel", {"reason": ""}),
                             ("cancel", {"reason": "x" * 501}),
                             ("note", {"note": "y" * 2001}),
                             ("note", {"note": b"\xff\xfe"}),  # not UTF-8
                             ("reschedule", {"slot": "demain"})):
            r = self.b.post("/console/appointments/%d/%s" % (a, path), fields)
            self.assertIn(r.status, (400, 422), (path, fields, r.status))
        self.assertEqual(self.events(a), before)
        self.assertEqual(self.status_of(a)[0], "booked")
        self.assertEqual(self.srv.sql(
            "SELECT COUNT(*) FROM appointment_notes WHERE appointment_id = ?", (a,))[0][0], 0)

    # --- actions and the citizen's messages ----------------------------------------------

    def wait_mail(self, address, subject):
        return sink.wait_for(1, timeout=20, predicate=lambda m: address in m.rcpt_tos
                             and m.subject.startswith(subject))[0]

    def test_cancel_with_a_reason_tells_the_citizen(self):
        address = "annulation@example.org"
        a = self.book(email=address)
        r = self.b.post("/console/appointments/%d/cancel" % a, {"reason": "Conseiller absent"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.status_of(a)[0], "cancelled")
        m = self.wait_mail(address, "Votre rendez-vous est annulé")
        self.assertIn("Conseiller absent", m.message.get_body(("plain",)).get_content())
        # Refused now, in the page's language, nothing more written.
        before = self.events(a)
        r = self.b.post("/console/appointments/%d/cancel" % a, {"reason": "encore"})
        self.assertEqual(r.status, 409)
        self.assertIn("Seul un rendez-vous à venir peut être annulé", html.unescape(text(r)))
        self.assertEqual(self.events(a), before)

    def test_move_to_phone_tells_the_citizen_in_their_language(self):
        address = "phone@example.org"
        a = self.book(email=address, phone="06 11 22 33 44", language="en")
        r = self.b.post("/console/appointments/%d/phone" % a)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.status_of(a), ("booked", "phone"))
        m = self.wait_mail(address, "Your appointment will be by phone")
        text = m.message.get_body(("plain",)).get_content()
        self.assertIn("the advisor will call you", text)
        self.assertIn("06 11 22 33 44".replace(" ", "")[-8:], text.replace(" ", ""))
        # Without a phone number: refused, nothing written.
        b = self.book(email="nophone@example.org")
        r = self.b.post("/console/appointments/%d/phone" % b)
        self.assertEqual(r.status, 422)
        self.assertEqual(self.status_of(b), ("booked", "video"))

    def test_reschedule_by_the_agent_tells_the_citizen(self):
        address = "deplace@example.org"
        a = self.book(email=address)
        r = self.b.send("GET", "/console/appointments/%d/reschedule" % a)
        self.assertEqual(r.status, 200, r)
        slots = re.findall(r'href="[^"]*reschedule\?[^"]*slot=(\d+)"', text(r))
        self.assertTrue(slots)
        r = self.b.send("GET", "/console/appointments/%d/reschedule?slot=%s" % (a, slots[-1]))
        self.assertEqual(r.status, 200)
        r = self.b.post("/console/appointments/%d/reschedule" % a, {"slot": slots[-1]})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.srv.sql("SELECT starts_at FROM appointments WHERE id = ?",
                                      (a,))[0][0], int(slots[-1]))
        self.wait_mail(address, "Votre rendez-vous a été déplacé")

    def test_done_with_outcome(self):
        a = self.book()
        r = self.b.post("/console/appointments/%d/done" % a, {"resolved": "yes"})
        self.assertEqual(r.status, 409, "not started yet")
        now = int(time.time())
        self.srv.write("UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?",
           (now - 300, now + 600, a))  # started less than the no-show delay ago
        before = self.events(a)
        r = self.b.post("/console/appointments/%d/done" % a,
                        {"resolved": "peut-être", "theme": "theme.housing"})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.events(a), before)
        r = self.b.post("/console/appointments/%d/done" % a,
                        {"resolved": "partially", "request_type": "file_follow_up.payments",
                         "theme": "theme.housing", "autonomy": "autonomy.intermediate"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.status_of(a)[0], "honoured")
        self.assertEqual(self.srv.sql(
            "SELECT resolved, request_type, theme, autonomy FROM appointment_outcomes "
            "WHERE appointment_id = ?", (a,)),
            [("partially", "file_follow_up.payments", "theme.housing", "autonomy.intermediate")])
        body = html.unescape(text(self.page(a)))
        self.assertIn("Partiellement", body)
        self.assertIn("Logement et cadre de vie", body)

    def test_private_note_stays_in_the_console(self):
        a = self.book(email="note@example.org")
        r = self.b.post("/console/appointments/%d/note" % a, {"note": "Dossier RSA incomplet"})
        self.assertEqual(r.status, 303)
        self.assertIn("Dossier RSA incomplet", html.unescape(text(self.page(a))))
        self.assertEqual(self.srv.sql(
            "SELECT COUNT(*) FROM outbox WHERE payload LIKE '%RSA incomplet%'")[0][0], 0)
        self.assertEqual(self.srv.sql(
            "SELECT COUNT(*) FROM appointment_events WHERE detail LIKE '%RSA%'")[0][0], 0)

    # --- booking on behalf ---------------------------------------------------------------

    def test_book_on_behalf(self):
        motif = self.motif["id"]
        r = self.b.send("GET", "/console/book?motif=%d&mode=video&lead=1" % motif)
        self.assertEqual(r.status, 200, r)
        starts = re.findall(r'slot=(\d+)"', text(r))
        self.assertTrue(starts)
        start = starts[len(starts) // 2]
        r = self.b.send("GET", "/console/book?motif=%d&mode=video&lead=1&slot=%s" % (motif, start))
        self.assertEqual(r.status, 200)
        key = re.search(r'name="booking_key" value="([^"]+)"', text(r)).group(1)
        fields = {"motif": motif, "mode": "video", "lead": "1", "slot": start,
                  "booking_key": key, "terms_version": self.demo.terms_version(),
                  "first_name": "Paul", "last_name": "Guichet", "email": "guichet@example.org",
                  "language": "fr"}
        # No mode chosen: a bad request, before any booking.
        r = self.b.post("/console/book", {k: v for k, v in fields.items() if k != "mode"})
        self.assertEqual(r.status, 400)
        r = self.b.post("/console/book", dict(fields, email="pas-une-adresse"))
        self.assertEqual(r.status, 422)
        self.assertIn('value="pas-une-adresse"', text(r))
        self.assertIn('name="booking_key"', text(r))
        r = self.b.post("/console/book", fields)
        self.assertEqual(r.status, 422, "the citizen's acceptance of the terms is asked")
        r = self.b.post("/console/book", dict(fields, accept_terms="yes"))
        self.assertEqual(r.status, 201, r)
        self.assertIn("Paul Guichet", text(r))
        rows = self.srv.sql("SELECT booked_by, booked_by_agent_id, starts_at FROM appointments "
                            "WHERE citizen_email = 'guichet@example.org'")
        self.assertEqual(rows, [("agent", self.agent_id, int(start))])
        # The history and the audit journal name the account that booked, not "agent".
        account = "account:%d" % self.srv.sql("SELECT id FROM accounts WHERE email_key = ?",
                                              (AGENT.lower(),))[0][0]
        aid = self.srv.sql("SELECT id FROM appointments "
                           "WHERE citizen_email = 'guichet@example.org'")[0][0]
        self.assertEqual(self.srv.sql("SELECT actor FROM appointment_events "
                                      "WHERE appointment_id = ? AND kind = 'booked'", (aid,)),
                         [(account,)])
        self.assertEqual(self.srv.sql("SELECT actor FROM audit_log WHERE object_id = ? "
                                      "AND action = 'appointment.book'", (aid,)), [(account,)])
        # The confirmation links to the appointment's page when the agent may see it: theirs
        # (the booking gives it to any free agent; an agent sees only their own).
        agent = self.srv.sql("SELECT agent_id FROM appointments WHERE id = ?", (aid,))[0][0]
        link = 'href="/console/appointments/%d?lang=fr"' % aid
        self.assertEqual(link in html.unescape(text(r)), agent == self.agent_id, agent)
        self.wait_mail("guichet@example.org", "Votre rendez-vous est confirmé")
        self.assertEqual(self.srv.live_overlaps(), 0)


    def test_book_on_behalf_a_slot_taken_meanwhile_shows_the_week_again(self):
        motif = self.motif["id"]
        r = self.b.send("GET", "/console/book?motif=%d&mode=video" % motif)
        self.assertEqual(r.status, 200, r)
        start = int(re.findall(r'slot=(\d+)"', text(r))[-1])
        # Citizens take every agency serving video at that start through the public API.
        taken = [x for x in self.demo.slots(motif, days=60)
                 if datetime.datetime.fromisoformat(x["start"]).timestamp() == start]
        self.assertTrue(taken, start)
        for x in taken:
            self.demo.fill(motif, x)
        before = self.srv.appointment_count()
        r = self.b.post("/console/book", {
            "motif": motif, "mode": "video", "slot": start, "booking_key": "k-taken",
            "terms_version": self.demo.terms_version(), "accept_terms": "yes",
            "first_name": "Lucie", "last_name": "Tard", "email": "tard@example.org",
            "language": "fr"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("slot=", text(r))  # the week's other free slots
        self.assertNotIn("slot=%d\"" % start, text(r))
        self.assertEqual(self.srv.appointment_count(), before)


    def test_book_on_behalf_by_a_supervisor_links_to_the_appointment(self):
        # A supervisor of no team sees every agent: the confirmation links to the appointment
        # whichever agent the booking gave it to.
        r = cli(server, "user", "add", "--org", "demo", "--email", SUPERVISOR, "--role",
                "supervisor")
        self.assertEqual(r.returncode, 0, r.stderr)
        set_password(server, SUPERVISOR, GOOD)
        sup = Browser(server)
        sign_in_with_totp(sup, SUPERVISOR, GOOD)
        motif = self.motif["id"]
        r = sup.send("GET", "/console/book?motif=%d&mode=video" % motif)
        self.assertEqual(r.status, 200, r)
        start = re.findall(r'slot=(\d+)"', text(r))[0]
        r = sup.send("GET", "/console/book?motif=%d&mode=video&slot=%s" % (motif, start))
        key = re.search(r'name="booking_key" value="([^"]+)"', text(r)).group(1)
        r = sup.post("/console/book", {
            "motif": motif, "mode": "video", "slot": start, "booking_key": key,
            "terms_version": self.demo.terms_version(), "accept_terms": "yes",
            "first_name": "Marc", "last_name": "Superviseur", "email": "marc@example.org",
            "language": "fr"})
        self.assertEqual(r.status, 201, r)
        aid = self.srv.sql("SELECT id FROM appointments WHERE citizen_email = 'marc@example.org'")
        link = 'href="/console/appointments/%d?lang=fr"' % aid[0][0]
        self.assertIn(link, html.unescape(text(r)))


class OutcomeQualification(unittest.TestCase):
    """/console/admin/outcomes: administrators only; add, rename, retire, each journalled."""

    @classmethod
    def setUpClass(cls):
        r = cli(server, "user", "add", "--org", "demo", "--email", ADMIN, "--role", "admin")
        assert r.returncode == 0, r.stderr
        set_password(server, ADMIN, GOOD)
        cls.b = Browser(server)
        sign_in_with_totp(cls.b, ADMIN, GOOD)

    def changes(self):
        return server.sql("SELECT action, object_id, before, after FROM config_changes "
                          "WHERE object_type = 'outcome_item' ORDER BY id")

    def test_agents_are_refused(self):
        set_password(server, AGENT, GOOD)
        agent = Browser(server)
        agent.login(AGENT, GOOD)
        self.assertEqual(agent.send("GET", "/console/admin/outcomes").status, 403)
        r = agent.post("/console/admin/outcomes", {"op": "add", "group": "theme",
                                                   "label_fr": "Intrus"})
        self.assertEqual(r.status, 403)
        self.assertNotIn("Intrus", str(server.sql("SELECT label FROM outcome_items")))

    def test_add_rename_retire(self):
        r = self.b.send("GET", "/console/admin/outcomes")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Logement et cadre de vie", html.unescape(text(r)))
        before = len(self.changes())
        r = self.b.post("/console/admin/outcomes", {"op": "add", "group": "theme",
                                                    "label_fr": "", "label_en": "Digital"})
        self.assertEqual(r.status, 422)
        r = self.b.post("/console/admin/outcomes", {"op": "add", "group": "theme",
                                                    "label_fr": "z" * 101})
        self.assertEqual(r.status, 422)
        self.assertEqual(len(self.changes()), before, "nothing written")
        r = self.b.post("/console/admin/outcomes", {"op": "add", "group": "theme",
                                                    "label_fr": "Inclusion numérique",
                                                    "label_en": "Digital inclusion"})
        self.assertEqual(r.status, 303, r)
        item, code = server.sql("SELECT id, code FROM outcome_items "
                                "WHERE label LIKE '%Inclusion num%'")[0]
        self.assertTrue(code.startswith("theme."))
        r = self.b.post("/console/admin/outcomes", {"op": "rename", "item": item,
                                                    "label_fr": "Numérique"})
        self.assertEqual(r.status, 303)
        r = self.b.post("/console/admin/outcomes", {"op": "retire", "item": item})
        self.assertEqual(r.status, 303)
        r = self.b.post("/console/admin/outcomes", {"op": "retire", "item": item})
        self.assertEqual(r.status, 409)
        self.assertEqual([c[0] for c in self.changes()[before:]], ["create", "update", "update"])
        self.assertIn("Inclusion", self.changes()[-2][2])  # before
        self.assertIn('"retired":true', self.changes()[-1][3])  # after
        # Another organisation's item id: not found.
        r = self.b.post("/console/admin/outcomes", {"op": "retire", "item": 99999})
        self.assertEqual(r.status, 404)


if __name__ == "__main__":
    unittest.main()
