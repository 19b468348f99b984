"""The partner books on a citizen's behalf (issue 15, partner-booking; docs/PARTNERS.md
"Bookings on a citizen's behalf"): the motifs opened to partners only, the booking engine's
slots, at the partner's video desk; the appointment records the partner's site and the
helper's account; the citizen (with the management link) and the helper (without it) both
get a confirmation; the partner's helpers list and cancel its bookings (the citizen is told);
another partner's appointment answers 404; a motif not open to partners is refused with 422
and nothing written; a slot taken meanwhile shows other free slots."""

import datetime
import html
import re
import unittest
from zoneinfo import ZoneInfo

from harness import Demo, Server, require, wait_until
from staff import GOOD, Browser, cli, set_password

HELPER = "aide@mairie-lille.test"
COLLEAGUE = "accueil@mairie-lille.test"
HURRIED = "stagiaire@mairie-lille.test"  # the rate limit's test only
NEIGHBOUR = "aide@mediatheque.test"
OTHER_HELPER = "aide@ailleurs.test"
CITIZEN = "jeanne.martin@example.org"


def epoch(iso):
    return int(datetime.datetime.fromisoformat(iso).timestamp())


class PartnerBooking(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require("aiosmtpd", "python3-aiosmtpd")
        from smtp_sink import SmtpSink
        cls.sink = SmtpSink().start()
        cls.srv = srv = Server(extra_args=["--smtp-url", cls.sink.url]).prepare()
        r = cli(srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr
        ids = {}
        for org, name in (("demo", "Mairie de Lille"), ("demo", "Médiathèque"),
                          ("other", "Ailleurs")):
            r = cli(srv, "partner", "create", "--org", org, "--name", name, "--town", "Lille")
            assert r.returncode == 0, r.stderr
            ids[name] = int(r.stdout.strip())
        cls.mine, cls.neighbour = ids["Mairie de Lille"], ids["Médiathèque"]
        for email, org, pid in ((HELPER, "demo", cls.mine), (COLLEAGUE, "demo", cls.mine),
                                (HURRIED, "demo", cls.mine),
                                (NEIGHBOUR, "demo", cls.neighbour),
                                (OTHER_HELPER, "other", ids["Ailleurs"])):
            r = cli(srv, "user", "add", "--org", org, "--email", email, "--role", "partner",
                    "--partner", str(pid))
            assert r.returncode == 0, r.stderr
            set_password(srv, email, GOOD)
        # Behind the server's back, before it starts: the partners' sites (the first with a
        # video desk) and every public video motif but one opened to partners.
        demo_org = srv.sql("SELECT id FROM organisations WHERE slug='demo'")[0][0]
        cls.desk = srv.write(
            "INSERT INTO partner_sites (partner_id, organisation_id, name, town, video_desk, "
            "created_at) VALUES (?, ?, 'Accueil mairie', 'Lille', 1, 0)", (cls.mine, demo_org))
        srv.write("INSERT INTO partner_sites (partner_id, organisation_id, name, created_at) "
                  "VALUES (?, ?, 'Médiathèque centre', 0)", (cls.neighbour, demo_org))
        motifs = srv.sql("SELECT id FROM motifs WHERE organisation_id=? AND is_public=1 AND "
                         "channels & 1 ORDER BY position, id", (demo_org,))
        assert len(motifs) >= 2, motifs
        cls.closed = motifs[-1][0]
        srv.write("UPDATE motifs SET open_to_partners=1 WHERE organisation_id=? AND id<>?",
                  (demo_org, cls.closed))
        srv.start()
        cls.demo = Demo(srv)
        public = {m["id"]: m for m in cls.demo.motifs()}
        cls.motif = [m for m in public.values()
                     if "video" in m["channels"] and m["id"] != cls.closed][0]
        cls.closed_name = public[cls.closed]["name"]
        cls.helper = cls.browser(HELPER)

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0
        cls.sink.stop()

    @classmethod
    def browser(cls, email):
        b = Browser(cls.srv)
        r = b.login(email, GOOD)
        assert r.status == 303, r
        return b

    def place(self):
        return "desk-%d" % self.desk

    def free_slot(self, skip=0):
        """A start offered by the partner's week view (links '...slot=<epoch>')."""
        r = self.helper.send("GET", "/partner/bookings/new?motif=%d&place=%s"
                             % (self.motif["id"], self.place()))
        self.assertEqual(r.status, 200)
        slots = re.findall(r"slot=(\d+)", html.unescape(r.body.decode()))
        self.assertGreater(len(slots), skip, "no free slot in the first week shown")
        return int(slots[skip])

    def citizen(self, **extra):
        fields = {"first_name": "Jeanne", "last_name": "Martin", "email": CITIZEN,
                  "phone": "", "language": "fr", "accept_terms": "yes",
                  "terms_version": str(self.demo.terms_version())}
        fields.update(extra)
        return fields

    def book(self, slot, motif=None, browser=None):
        b = browser or self.helper
        fields = dict(self.citizen(), motif=str(motif or self.motif["id"]),
                      place=self.place(), slot=str(slot))
        return b.post("/partner/bookings", fields)

    def test_a_form_offers_only_what_partners_may_book(self):
        body = html.unescape(self.helper.send("GET", "/partner/bookings/new").body.decode())
        self.assertIn(self.motif["name"], body)
        self.assertNotIn(self.closed_name, body)
        self.assertIn('value="%s"' % self.place(), body)
        self.assertIn("En visio à notre poste : Accueil mairie", body)
        # The details step: the citizen's fields, the terms box, a single-use booking key.
        slot = self.free_slot()
        r = self.helper.send("GET", "/partner/bookings/new?motif=%d&place=%s&slot=%d"
                             % (self.motif["id"], self.place(), slot))
        body = r.body.decode()
        self.assertEqual(r.status, 200)
        for text in ('name="first_name"', 'name="email"', 'name="accept_terms"',
                     'name="booking_key"', 'action="/partner/bookings"'):
            self.assertIn(text, body)
        # Signed out: to the sign-in page.
        self.assertEqual(Browser(self.srv).send("GET", "/partner/bookings/new").status, 303)

    def test_booking_at_the_desk_confirms_to_both_and_lists_it(self):
        srv, sink = self.srv, self.sink
        slot = self.free_slot()
        r = self.book(slot)
        self.assertEqual(r.status, 201, r.body.decode()[:2000])
        self.assertIn("Rendez-vous pris", r.body.decode())
        row = srv.sql("SELECT id, channel, booked_by, booked_by_partner_site_id, "
                      "booked_by_account_id, citizen_email FROM appointments "
                      "ORDER BY id DESC LIMIT 1")[0]
        helper_id = srv.sql("SELECT id FROM accounts WHERE email=?", (HELPER,))[0][0]
        self.assertEqual(row[1:], ("video", "partner", self.desk, helper_id, CITIZEN))
        appointment = row[0]
        # Both confirmations through the SMTP sink: the citizen's with the management link,
        # the helper's without it but with the partner's bookings page.
        citizen = sink.wait_for(1, timeout=60, predicate=lambda m: CITIZEN in m.rcpt_tos)[0]
        helper = sink.wait_for(1, timeout=60, predicate=lambda m: HELPER in m.rcpt_tos)[0]
        ctext = citizen.message.get_body(("plain",)).get_content()
        htext = helper.message.get_body(("plain",)).get_content()
        self.assertIn("/manage/", ctext)
        self.assertNotIn("/manage/", htext)
        self.assertIn("/partner/bookings", htext)
        self.assertIn("Jeanne Martin", helper.subject)
        self.assertIn("en visio à votre poste Accueil mairie", htext)
        self.assertIn(self.motif["name"], htext)
        # The origin in the appointment's history names the helper's account.
        self.assertEqual(srv.sql("SELECT actor FROM appointment_events WHERE appointment_id=? "
                                 "AND kind='booked'", (appointment,)),
                         [("account:%d" % helper_id,)])
        # Every helper of the partner sees it; another partner does not.
        for email in (HELPER, COLLEAGUE):
            body = self.browser(email).send("GET", "/partner/bookings").body.decode()
            self.assertIn('id="booking-%d"' % appointment, body)
            self.assertIn("Jeanne Martin", body)
        body = self.browser(NEIGHBOUR).send("GET", "/partner/bookings").body.decode()
        self.assertNotIn("Jeanne Martin", body)

    def test_cancel_tells_the_citizen_and_another_partner_gets_404(self):
        srv, sink = self.srv, self.sink
        r = self.book(self.free_slot(1))
        self.assertEqual(r.status, 201, r.body.decode()[:2000])
        appointment = srv.sql("SELECT MAX(id) FROM appointments")[0][0]
        url = "/partner/bookings/%d/cancel" % appointment
        # Another partner of the organisation, another organisation's partner: 404, nothing
        # changed.
        for email in (NEIGHBOUR, OTHER_HELPER):
            r = self.browser(email).post(url, {"reason": "Intrus"})
            self.assertEqual(r.status, 404, email)
        # No reason: 422, the message at the field, still booked.
        r = self.helper.post(url, {"reason": " "})
        self.assertEqual(r.status, 422)
        self.assertIn('id="reason-%d-error"' % appointment, r.body.decode())
        status = lambda: srv.sql("SELECT status FROM appointments WHERE id=?",
                                 (appointment,))[0][0]
        self.assertEqual(status(), "booked")
        before = sink.count(lambda m: CITIZEN in m.rcpt_tos)
        r = self.helper.post(url, {"reason": "La personne est hospitalisée"})
        self.assertEqual((r.status, r.header("Location")), (303, "/partner/bookings?cancelled=1"))
        self.assertEqual(status(), "cancelled")
        mails = sink.wait_for(before + 1, timeout=60, predicate=lambda m: CITIZEN in m.rcpt_tos)
        texts = [m.message.get_body(("plain",)).get_content() for m in mails]
        self.assertTrue(any("La personne est hospitalisée" in t for t in texts), texts)
        # Cancelled: no second cancel.
        body = html.unescape(self.helper.send("GET", "/partner/bookings").body.decode())
        self.assertIn('id="booking-%d"' % appointment, body)
        self.assertNotIn('action="%s"' % url, body)

    def test_a_motif_not_open_to_partners_is_refused_with_nothing_written(self):
        srv = self.srv
        slots = self.demo.slots(self.closed, "video")
        self.assertTrue(slots)
        counts = lambda: (srv.appointment_count(),
                          srv.sql("SELECT COUNT(*) FROM outbox")[0][0])
        before = counts()
        r = self.book(epoch(slots[0]["start"]), motif=self.closed)
        self.assertEqual(r.status, 422)
        self.assertIn("Ce motif n'est pas ouvert aux partenaires.",
                      html.unescape(r.body.decode()))
        self.assertEqual(counts(), before)

    def test_refusals_show_the_step_to_correct(self):
        srv = self.srv
        slot = self.free_slot()
        before = srv.appointment_count()
        # No slot: a bad request.
        fields = dict(self.citizen(), motif=str(self.motif["id"]), place=self.place())
        self.assertEqual(self.helper.post("/partner/bookings", fields).status, 400)
        # A place that is not one of the partner's desks nor an agency: the first step again,
        # the message labelled by the partner's own field name, the motif kept.
        r = self.helper.post("/partner/bookings", dict(fields, place="desk-999999",
                                                         slot=str(slot)))
        body = html.unescape(r.body.decode())
        self.assertEqual(r.status, 422)
        self.assertIn('name="place"', body)
        self.assertNotIn('name="first_name"', body)
        self.assertIn('<a href="#place">Lieu', body)
        self.assertIn("Choisissez un de vos postes visio.", body)
        # A citizen's field refused: the details step again, with what was typed.
        r = self.helper.post("/partner/bookings", dict(fields, slot=str(slot),
                                                         email="pas-une-adresse"))
        body = html.unescape(r.body.decode())
        self.assertEqual(r.status, 422)
        self.assertIn('value="pas-une-adresse"', body)
        self.assertIn('value="Jeanne"', body)
        self.assertIn('name="booking_key"', body)
        self.assertIn('href="/partner/bookings/new?lang=fr&motif=%d&place=%s&"'
                      % (self.motif["id"], self.place()), body)
        self.assertEqual(srv.appointment_count(), before)

    def test_a_helper_over_the_rate_limit_is_refused_with_429(self):
        srv = self.srv
        hurried = self.browser(HURRIED)
        fields = dict(self.citizen(email="pas-une-adresse"), motif=str(self.motif["id"]),
                      place=self.place(), slot=str(self.free_slot()))
        before = srv.appointment_count()
        # Thirty tries an hour (each refused here by the booking service), then 429 on the
        # first step with the refusal, nothing written.
        for i in range(30):
            self.assertEqual(hurried.post("/partner/bookings", fields).status, 422, i)
        r = hurried.post("/partner/bookings", fields)
        body = html.unescape(r.body.decode())
        self.assertEqual(r.status, 429)
        self.assertIn("Trop de rendez-vous pris en une heure", body)
        self.assertIn('name="place"', body)
        self.assertNotIn('name="first_name"', body)
        self.assertEqual(srv.appointment_count(), before)

    def test_a_slot_taken_meanwhile_offers_others(self):
        slot = self.free_slot(2)
        # Citizens take every agent free at that start through the public API.
        start = datetime.datetime.fromtimestamp(slot, datetime.timezone.utc)
        taken = [s for s in self.demo.slots(self.motif["id"], "video", days=40)
                 if epoch(s["start"]) == slot]
        self.assertTrue(taken)
        for s in taken:  # every agency serving video at that start
            self.demo.fill(self.motif["id"], s)
        before = self.srv.appointment_count()
        r = self.book(slot)
        self.assertEqual(r.status, 409, start)
        body = html.unescape(r.body.decode())
        self.assertIn("slot=", body)  # the week's other free slots
        self.assertNotIn("slot=%d" % slot, body)
        self.assertEqual(self.srv.appointment_count(), before)

    def test_today_at_the_desk_opens_the_room_there_and_leaves_nothing(self):
        srv = self.srv
        r = self.book(self.free_slot(3))
        self.assertEqual(r.status, 201, r.body.decode()[:2000])
        appointment = srv.sql("SELECT MAX(id) FROM appointments")[0][0]
        # Moved behind the server's back to ten minutes from now, today at the desk (Paris):
        # one of today's, its room not over.
        paris = ZoneInfo("Europe/Paris")
        now = datetime.datetime.now(paris)
        soon = now + datetime.timedelta(minutes=10)
        start = int((soon if soon.date() == now.date() else now).timestamp())
        srv.write("UPDATE appointments SET starts_at=?, ends_at=? WHERE id=?",
                  (start, start + 1800, appointment))
        body = html.unescape(self.helper.send("GET", "/partner/today").body.decode())
        action = "/partner/today/%d/room" % appointment
        self.assertIn('action="%s"' % action, body)
        self.assertIn("Jeanne Martin", body)
        # Another partner, another organisation's: 404, no link minted.
        tokens = lambda: srv.sql("SELECT COUNT(*) FROM room_tokens WHERE appointment_id=?",
                                 (appointment,))[0][0]
        before = tokens()
        for email in (NEIGHBOUR, OTHER_HELPER):
            self.assertEqual(self.browser(email).post(action).status, 404, email)
        self.assertEqual(tokens(), before)
        r = self.helper.post(action)
        self.assertEqual(r.status, 303)
        location = r.header("Location")
        m = re.fullmatch(r"/room/([^?]+)\?desk=%d" % appointment, location)
        self.assertTrue(m, location)
        self.assertEqual(tokens(), before + 1)
        room = self.helper.send("GET", location)
        self.assertEqual(room.status, 200)
        self.assertEqual(room.header("Cache-Control"), "no-store")
        done = "/partner/today/%d/done" % appointment
        self.assertIn('action="%s"' % done, html.unescape(room.body.decode()))
        # The call is over: the link opens nothing any more, the browser is told to clear.
        r = self.helper.post(done, {"token": m.group(1)})
        self.assertEqual((r.status, r.header("Location")), (303, "/partner/today?ended=1"))
        self.assertEqual(r.header("Clear-Site-Data"), '"cache", "storage"')
        self.assertEqual(tokens(), before)
        self.assertEqual(self.helper.send("GET", location).status, 404)
        self.assertEqual(self.helper.post(done, {"token": m.group(1)}).status, 404)


if __name__ == "__main__":
    unittest.main()
