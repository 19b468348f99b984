"""The public figures page (issue 14, seed 004's "chiffres du mois"; docs/STATISTICS.md):
an administrator chooses the figures and types the week's processing delays on
/console/admin/figures; /{org}/chiffres shows exactly what was chosen, with the values of a
data set built by hand in the last complete month (Europe/Paris); bad delays are refused with
422 and nothing written; another organisation's administrator edits only their own."""

import datetime
import html
import re
import sqlite3
import unittest
from zoneinfo import ZoneInfo

from harness import Demo, Server, spread_slots
from staff import OTHER, agent_and_admins, two_organisations

PARIS = ZoneInfo("Europe/Paris")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def today():
    return datetime.datetime.now(PARIS).date()


def last_month():
    first = today().replace(day=1) - datetime.timedelta(days=1)
    return first.replace(day=1)


def paris(day, hour=10):
    return int(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).timestamp())


def text_of(response):
    page = response.body.decode("utf-8")
    main = re.search(r"(?s)<main.*?</main>", page).group(0)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", main)))


def rows_of(response):
    """(header cell, value cell) of each row of the month's table."""
    page = response.body.decode("utf-8")
    m = re.search(r'(?s)<section aria-labelledby="month-title">.*?</section>', page)
    if not m:
        return {}
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(
        r'<tr><th scope="row">([^<]*)</th><td class="figure-value">([^<]*)</td>', m.group(0))}


class PublicFigures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server().prepare()
        two_organisations(srv)
        srv.start()
        demo = Demo(srv)
        motif = demo.video_motif()
        slots = spread_slots(demo.slots(motif["id"]), 5)
        ids = []
        for slot in slots:
            r = demo.book(motif["id"], slot)
            assert r.status == 201, r
            ids.append(srv.sql("SELECT MAX(id) FROM appointments")[0][0])
        # The data set, in the last complete month (10:00 in Paris; no daylight-saving change
        # between the 10th and the 22nd): (start day, booked day, channel, status, rating).
        m = last_month()
        d = lambda n: m.replace(day=n)
        cls.data = [(d(12), d(10), "video", "honoured", 5),    # delay 2 days
                    (d(14), d(10), "on_site", "honoured", 4),  # 4 days
                    (d(20), d(10), "video", "honoured", 2),    # 10 days
                    (d(16), d(15), "phone", "no_show", None),  # 1 day
                    (d(22), d(16), "video", "cancelled", None)]  # 6 days
        conn = sqlite3.connect(srv.db, timeout=30)
        try:
            for id_, (start, booked, channel, status, rating) in zip(ids, cls.data):
                conn.execute("UPDATE appointments SET starts_at = ?, ends_at = ?, created_at = ?, "
                             "channel = ?, status = ? WHERE id = ?",
                             (paris(start), paris(start) + 1800, paris(booked), channel, status,
                              id_))
                if rating:
                    conn.execute("INSERT INTO satisfaction_surveys (appointment_id, "
                                 "organisation_id, rating, comment, created_at) SELECT id, "
                                 "organisation_id, ?, '', ? FROM appointments WHERE id = ?",
                                 (rating, paris(start) + 3600, id_))
            conn.commit()
        finally:
            conn.close()
        # Nothing else of the demo organisation in that month.
        assert srv.sql("SELECT COUNT(*) FROM appointments a JOIN organisations o ON "
                       "o.id = a.organisation_id WHERE o.slug = 'demo' AND a.starts_at >= ?",
                       (paris(m, 0) - 86400,))[0][0] == 5
        cls.agent, cls.admin, cls.other_admin = agent_and_admins(srv)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def monday(self):
        t = today()
        return t - datetime.timedelta(days=t.weekday())

    def delays(self, **changes):
        monday = self.monday()
        f = {"week": monday.isoformat(),
             "label_fr_1": "les courriels", "label_en_1": "e-mails",
             "from_1": (monday - datetime.timedelta(days=20)).isoformat(),
             "to_1": (monday - datetime.timedelta(days=15)).isoformat(),
             "label_fr_2": "les demandes RSA et AAH",
             "from_2": (monday - datetime.timedelta(days=13)).isoformat(),
             "to_2": (monday - datetime.timedelta(days=7)).isoformat()}
        f.update(changes)
        return f

    def table(self, table, slug="demo"):
        return self.srv.sql("SELECT t.* FROM %s t JOIN organisations o ON o.id = "
                            "t.organisation_id WHERE o.slug = ? ORDER BY 1" % table, (slug,))

    def journal(self):
        return self.srv.sql("SELECT COUNT(*) FROM config_changes WHERE object_type IN "
                            "('published_figures', 'processing_delays')")[0][0]

    # Named so that they run in this order: nothing published, then publishing.
    def test_1_nothing_published_yet(self):
        r = self.srv.get("/demo/chiffres")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Cet organisme ne publie pas encore de chiffres.", text_of(r))
        self.assertEqual(rows_of(r), {})
        self.assertNotIn("<script", r.body.decode().split("<main")[1])
        # Linked from the organisation's page, in its language.
        self.assertIn('href="/demo/chiffres?lang=fr"', self.srv.get("/demo/").body.decode())
        self.assertIn('href="/demo/chiffres?lang=en"',
                      self.srv.get("/demo/?lang=en").body.decode())

    def test_2_unknown_organisation_and_language_variants(self):
        self.assertEqual(self.srv.get("/nowhere/chiffres").status, 404)
        self.assertEqual(self.srv.get("/nowhere/figures").status, 404)
        for word, lang in (("figures", "en"), ("cijfers", "nl"), ("zahlen", "de")):
            r = self.srv.get("/demo/" + word)
            self.assertEqual(r.status, 301, r)
            self.assertEqual(r.header("Location"), "/demo/chiffres?lang=" + lang)
        r = self.srv.get("/demo/chiffres?lang=en")
        self.assertEqual(r.status, 200)
        self.assertIn("<h1>Our figures</h1>", r.body.decode())

    def test_3_admin_publishes_exactly_the_chosen_figures(self):
        r = self.admin.post("/console/admin/figures", {"held": "1", "median_delay": "1",
                                                       "satisfaction": "1"})
        self.assertEqual(r.status, 303, r)
        m = last_month()
        r = self.srv.get("/demo/chiffres")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Chiffres du mois : %s %d" % (MONTHS[m.month - 1], m.year), text_of(r))
        # Held: 3. Median of 1, 2, 4, 6, 10 days: the 3rd. Ratings 5, 4, 2: 11 / 3 = 3.7,
        # 2 of 3 rated 4 or 5.
        self.assertEqual(rows_of(r), {
            "Rendez-vous tenus": "3",
            "Délai médian pour obtenir un rendez-vous": "4,0 jours",
            "Satisfaction": "3,7 / 5 – 67 % de satisfaits (3 réponses)",
        })
        self.assertIn("<caption>", r.body.decode())
        r = self.admin.post("/console/admin/figures", {"video_share": "1"})
        self.assertEqual(r.status, 303, r)
        r = self.srv.get("/demo/chiffres?lang=en")
        # Held by video: 2 of 3.
        self.assertEqual(rows_of(r), {"Share held by video": "67 %"})
        self.assertNotIn("Processing times", text_of(r))
        # The choice is journalled.
        self.assertEqual(self.srv.sql("SELECT action FROM config_changes WHERE object_type = "
                                      "'published_figures' ORDER BY id"),
                         [("create",), ("update",)])

    def test_4_admin_types_the_week_delays(self):
        r = self.admin.post("/console/admin/figures", {"delays": "1"})
        self.assertEqual(r.status, 303, r)
        r = self.admin.post("/console/admin/figures/delays", self.delays())
        self.assertEqual(r.status, 303, r)
        self.assertEqual(len(self.table("processing_delays")), 2)
        r = self.srv.get("/demo/chiffres")
        body = text_of(r)
        self.assertIn("Délais de traitement", body)
        self.assertIn("les courriels", body)
        self.assertIn("les demandes RSA et AAH", body)
        self.assertEqual(rows_of(r), {})  # no figure chosen any more
        self.assertIn("e-mails", text_of(self.srv.get("/demo/chiffres?lang=en")))
        self.assertIn("les demandes RSA et AAH",  # no translation: the French label
                      text_of(self.srv.get("/demo/chiffres?lang=de")))
        # The administrators see the week in the history; the form keeps the labels.
        page = self.admin.send("GET", "/console/admin/figures")
        self.assertEqual(page.status, 200)
        self.assertIn('value="les courriels"', page.body.decode())
        self.assertIn("Semaines précédentes", text_of(page))

    def test_5_bad_delays_are_refused_and_nothing_written(self):
        before = (self.table("processing_delays"), self.journal())
        monday = self.monday()
        for case, fields, field in (
                ("from after to", self.delays(from_1=(monday - datetime.timedelta(days=1))
                                              .isoformat()), "from_1"),
                ("after the week", self.delays(to_2=(monday + datetime.timedelta(days=7))
                                               .isoformat()), "to_2"),
                ("not a date", self.delays(to_2="31/02/2026"), "to_2"),
                ("a past week", self.delays(week=(monday - datetime.timedelta(days=7))
                                            .isoformat()), "week"),
                ("label too long", self.delays(label_nl_1="x" * 121), "label_nl_1"),
                ("dates without a label", self.delays(label_fr_2=""), "label_fr_2")):
            with self.subTest(case):
                r = self.admin.post("/console/admin/figures/delays", fields)
                self.assertEqual(r.status, 422, r)
                page = r.body.decode()
                self.assertIn('href="#%s"' % field, page)
                self.assertIn('id="%s" ' % field, page)
                self.assertIn('aria-invalid="true"', page)
                self.assertEqual((self.table("processing_delays"), self.journal()), before)
        r = self.admin.post("/console/admin/figures/delays",
                            self.delays(from_1=(monday - datetime.timedelta(days=1)).isoformat()))
        self.assertIn("La première date doit précéder la seconde", text_of(r))

    def test_6_only_administrators_of_the_organisation_edit_it(self):
        demo_before = (self.table("published_figures"), self.table("processing_delays"))
        # An agent: refused.
        for path, fields in (("/console/admin/figures", {"held": "1"}),
                             ("/console/admin/figures/delays", self.delays())):
            self.assertEqual(self.agent.post(path, fields).status, 403)
        self.assertEqual(self.agent.send("GET", "/console/admin/figures").status, 403)
        # Another organisation's administrator writes their own organisation's only.
        r = self.other_admin.post("/console/admin/figures", {"held": "1", "delays": "1"})
        self.assertEqual(r.status, 303, r)
        r = self.other_admin.post("/console/admin/figures/delays",
                                  self.delays(label_fr_1="Forged"))
        self.assertEqual(r.status, 303, r)
        self.assertEqual((self.table("published_figures"), self.table("processing_delays")),
                         demo_before)
        self.assertEqual(len(self.table("processing_delays", OTHER)), 2)
        self.assertNotIn("Forged", text_of(self.srv.get("/demo/chiffres")))
        self.assertIn("Forged", text_of(self.srv.get("/%s/chiffres" % OTHER)))


if __name__ == "__main__":
    unittest.main()
