"""admin-rest (issue 12): closed days of the organisation and the sites' public-holiday
region in the administration; the citizens' slot search offers nothing on them at once."""

import datetime
import html
import unittest

from admin_login import staff_with_totp
from harness import Demo, Server, require

ADMIN = "admin@demo.visioguichet.test"


def changes(srv, object_type):
    return srv.sql("SELECT actor, action, before, after FROM config_changes "
                   "WHERE object_type=? ORDER BY id", (object_type,))


class ClosedDays(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        cls.srv.start()
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_a_closed_day_takes_every_slot_of_that_day_and_is_journalled(self):
        demo = Demo(self.srv)
        motif = demo.video_motif()
        slots = demo.slots(motif["id"], days=20)
        day = slots[len(slots) // 2]["start"][:10]
        on_day = [s for s in slots if s["start"].startswith(day)]
        self.assertTrue(on_day)
        # Refused forms write nothing (422, messages beside the fields).
        r = self.admin.post("/console/admin/holidays", {"first": "2026-02-30", "label": ""})
        self.assertEqual(r.status, 422)
        self.assertIn('id="first-error"', r.body.decode())
        self.assertIn('id="label-error"', r.body.decode())
        self.assertEqual(changes(self.srv, "holiday"), [])

        r = self.admin.post("/console/admin/holidays",
                            {"first": day, "label": "Journée <b>portes</b> closes", "site": ""})
        self.assertEqual((r.status, r.header("Location")),
                         (303, "/console/admin/holidays?saved=1"), r.body[:2000])
        day_slots = demo.slots(motif["id"], days=0,
                               first_day=datetime.date.fromisoformat(day))
        self.assertEqual(day_slots, [])
        page = self.admin.send("GET", "/console/admin/holidays").body.decode()
        self.assertIn("Journée &lt;b&gt;portes&lt;", page)  # escaped
        self.assertNotIn("<b>portes", page)
        [(actor, action, _, after)] = changes(self.srv, "holiday")
        self.assertEqual(action, "create")
        self.assertIn('"label":"Journée <b>portes</b> closes"', after)
        self.assertTrue(actor.startswith("account:"))

        # Deleted: the slots are back.
        hid = self.srv.sql("SELECT MAX(id) FROM closed_days")[0][0]
        r = self.admin.post("/console/admin/holidays/%d/delete" % hid)
        self.assertEqual(r.status, 303)
        self.assertTrue(demo.slots(motif["id"], days=0,
                                   first_day=datetime.date.fromisoformat(day)))

    def test_a_closed_day_over_a_booked_appointment_lists_it_and_writes_nothing(self):
        demo = Demo(self.srv)
        motif = demo.video_motif()
        slot = demo.slots(motif["id"], days=25)[-1]
        r = demo.book(motif["id"], slot, last_name="Réservé")
        self.assertEqual(r.status, 201, r)
        appointment = self.srv.sql("SELECT MAX(id) FROM appointments")[0][0]
        before = len(changes(self.srv, "holiday"))
        r = self.admin.post("/console/admin/holidays",
                            {"first": slot["start"][:10], "label": "Inventaire",
                             "site": str(slot["site"]["id"])})
        self.assertEqual(r.status, 422)
        page = html.unescape(r.body.decode())
        self.assertIn('href="/console/appointments/%d"' % appointment, page)
        self.assertIn("Réservé", page)
        self.assertEqual(len(changes(self.srv, "holiday")), before)

    def test_a_sites_public_holiday_region_is_chosen_on_its_page(self):
        site = self.srv.sql("SELECT id, name FROM sites WHERE organisation_id = "
                            "(SELECT id FROM organisations WHERE slug='demo') ORDER BY id")[0]
        page = self.admin.send("GET", "/console/admin/sites/%d" % site[0]).body.decode()
        self.assertIn('<select id="holiday_region" name="holiday_region">', page)
        form = {"name": site[1], "time_zone": "Europe/Paris", "holiday_region": "nowhere"}
        r = self.admin.post("/console/admin/sites/%d" % site[0], form)
        self.assertEqual(r.status, 422)
        form["holiday_region"] = "fr_alsace_moselle"
        r = self.admin.post("/console/admin/sites/%d" % site[0], form)
        self.assertEqual(r.status, 303, r.body[:2000])
        self.assertEqual(self.srv.sql("SELECT holiday_region FROM sites WHERE id=?",
                                      (site[0],))[0][0], "fr_alsace_moselle")
        page = self.admin.send("GET", "/console/admin/holidays").body.decode()
        self.assertIn("Alsace-Moselle", page)



class MessageTexts(unittest.TestCase):
    """The administrator's own subject and introduction of a message kind: refused with a
    clear message for an unknown placeholder, previewed in each language without sending,
    then used by the messages the outbox sends."""

    @classmethod
    def setUpClass(cls):
        require("aiosmtpd", "python3-aiosmtpd")
        from smtp_sink import SmtpSink
        cls.sink = SmtpSink().start()
        try:
            cls.srv = Server(extra_args=["--smtp-url", cls.sink.url]).prepare().start()
        except BaseException:
            cls.sink.stop()
            raise
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.sink.stop()
        assert code == 0

    def test_texts_previewed_then_used_by_the_messages_sent(self):
        r = self.admin.send("GET", "/console/admin/messages")
        self.assertEqual(r.status, 200)
        self.assertIn("/console/admin/messages/confirmation/preview", html.unescape(r.body.decode()))
        self.assertEqual(self.admin.send("GET", "/console/admin/messages/links").status, 404)

        r = self.admin.post("/console/admin/messages/confirmation",
                            {"subject_fr": "Rendez-vous {motif} le {jour}"})
        self.assertEqual(r.status, 422)
        page = html.unescape(r.body.decode())
        self.assertIn("{jour}", page)  # the message names the unknown placeholder
        self.assertIn("{motif}, {date}, {time}, {site}, {organisation}", page)
        self.assertEqual(changes(self.srv, "message"), [])

        hostile = "<img src=x onerror=alert(1)> Bienvenue à {organisation} pour {motif}"
        r = self.admin.post("/console/admin/messages/confirmation",
                            {"subject_fr": "RDV {motif} le {date} à {time}",
                             "intro_fr": hostile, "intro_en": "Welcome to {site}"})
        self.assertEqual((r.status, r.header("Location")),
                         (303, "/console/admin/messages/confirmation?saved=1"), r.body[:3000])
        self.assertEqual(len(changes(self.srv, "message")), 1)

        outbox_before = self.srv.sql("SELECT COUNT(*) FROM outbox")[0][0]
        r = self.admin.send("GET", "/console/admin/messages/confirmation/preview")
        self.assertEqual(r.status, 200)
        page = r.body.decode()
        self.assertNotIn("<img src=x", page)
        text = html.unescape(page)
        self.assertIn("RDV ", text)
        self.assertIn("Bienvenue à ", text)
        self.assertIn("Welcome to ", text)
        self.assertIn("segment", text)
        for lang in ("fr", "en", "nl", "de"):
            self.assertIn('lang="%s"' % lang, page)
        # The e-mail alone, as a mail client shows it: the hostile text escaped.
        r = self.admin.send("GET", "/console/admin/messages/confirmation/preview/fr")
        self.assertEqual(r.status, 200)
        self.assertIn(b"&lt;img src=x", r.body)
        self.assertNotIn(b"<img src=x", r.body)
        # Nothing was sent nor queued by the preview.
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM outbox")[0][0], outbox_before)
        self.assertEqual(self.sink.messages, [])

        # A booking made now: its confirmation carries the organisation's texts.
        demo = Demo(self.srv)
        motif = demo.video_motif()
        slot = demo.slots(motif["id"], days=20)[0]
        address = "textes@example.org"
        r = demo.book(motif["id"], slot, email=address)
        self.assertEqual(r.status, 201, r)
        m = self.sink.wait_for(1, timeout=20, predicate=lambda m: m.rcpt_tos == [address])[0]
        self.assertTrue(m.subject.startswith("RDV %s le " % motif["name"]), m.subject)
        body = m.message.get_body(("html",)).get_content()
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; Bienvenue à ", body)
        self.assertNotIn("<img src=x", body)


if __name__ == "__main__":
    unittest.main()
