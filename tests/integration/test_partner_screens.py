"""The partner's own screens (issue 15, partner-screens; docs/PARTNERS.md "The partner's
screens"): a partner-role account signs in and lands on /partner/, not the console; its home
(sites, label, reports due), the label certificate (PDF, while the label holds), logging a
visit (Annexe 2; 422 with the answers kept and nothing written; one transaction), deleting a
mistaken one, the period's report submitted once and read by the organisation's
supervisors and administrators; another partner's ids answer 404."""

import datetime
import html
import re
import subprocess
import unittest
from zoneinfo import ZoneInfo

from admin_login import staff_with_totp
from harness import Server
from staff import AGENT, GOOD, Browser, cli, set_password

HELPER = "aide@mairie-lille.test"
NEIGHBOUR = "aide@mediatheque.test"
OTHER_HELPER = "aide@ailleurs.test"


def post(b, path, pairs):
    """A POST of repeated fields (the grid's boxes), with the CSRF token."""
    return b.send("POST", path, list(pairs) + [("csrf", b.csrf())])


def count(srv, table):
    return srv.sql("SELECT COUNT(*) FROM %s" % table)[0][0]


def paris_today():
    return datetime.datetime.now(ZoneInfo("Europe/Paris")).date()


def previous_month(day):
    first = day.replace(day=1)
    last = first - datetime.timedelta(days=1)
    return last.replace(day=1), last


VISIT = [("sex", "woman"), ("age_band", "over_60"), ("allocataire", "yes"),
         ("autonomy", "beginner"), ("resolved", "partly"), ("cell", "simulation:information"),
         ("cell", "payments:online_procedure"), ("theme", "housing_living")]


class PartnerScreens(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        r = cli(srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr
        ids = {}
        for org, name in (("demo", "Mairie de Lille"), ("demo", "Médiathèque"),
                          ("other", "Ailleurs")):
            r = cli(srv, "partner", "create", "--org", org, "--name", name, "--town", "Lille")
            assert r.returncode == 0, r.stderr
            ids[name] = int(r.stdout.strip())
        cls.mine, cls.neighbour, cls.theirs = ids["Mairie de Lille"], ids["Médiathèque"], ids["Ailleurs"]
        for email, org, pid in ((HELPER, "demo", cls.mine), (NEIGHBOUR, "demo", cls.neighbour),
                                (OTHER_HELPER, "other", cls.theirs)):
            r = cli(srv, "user", "add", "--org", org, "--email", email, "--role", "partner",
                    "--partner", str(pid))
            assert r.returncode == 0, r.stderr
            set_password(srv, email, GOOD)
        set_password(srv, AGENT, GOOD)
        srv.start()
        cls.admin = staff_with_totp(srv, "admin@demo.visioguichet.test", "admin")
        cls.supervisor = staff_with_totp(srv, "chef@demo.visioguichet.test", "supervisor")
        # Two sites and the label (monthly reports), signed a year ago.
        page = "/console/admin/partners/%d" % cls.mine
        for name in ("Accueil mairie", "Annexe Wazemmes"):
            r = cls.admin.post(page + "/sites", {"name": name, "town": "Lille",
                                                 "time_zone": "Europe/Paris"})
            assert r.status == 303, r.body.decode()
        cls.sites = [x[0] for x in srv.sql("SELECT id FROM partner_sites WHERE partner_id=? "
                                             "ORDER BY name", (cls.mine,))]
        signed = paris_today().replace(day=1) - datetime.timedelta(days=300)
        cls.signed_on = signed.replace(day=15)
        r = cls.admin.post(page + "/label", {"signed_on": cls.signed_on.isoformat(),
                                             "reporting_period": "month",
                                             "director_name": "Claire Dupont"})
        assert r.status == 303, r.body.decode()
        # The neighbour: one site, no label.
        r = cls.admin.post("/console/admin/partners/%d/sites" % cls.neighbour,
                           {"name": "Médiathèque centre", "time_zone": "Europe/Paris"})
        assert r.status == 303
        cls.helper = cls.partner_browser(HELPER)
        cls.neighbour_b = cls.partner_browser(NEIGHBOUR)
        cls.other_b = cls.partner_browser(OTHER_HELPER)

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    @classmethod
    def partner_browser(cls, email):
        b = Browser(cls.srv)
        r = b.login(email, GOOD)
        assert r.status == 303, r
        return b

    def test_a_partner_signs_in_to_its_own_screens_only(self):
        b = Browser(self.srv)
        r = b.login(HELPER, GOOD)
        # No second factor required for partner staff (docs/SECURITY.md).
        self.assertEqual((r.status, r.header("Location")), (303, "/console/"))
        r = b.send("GET", "/console/")
        self.assertEqual((r.status, r.header("Location")), (303, "/partner/"))
        r = b.send("GET", "/partner/")
        self.assertEqual(r.status, 200)
        body = r.body.decode()
        for text in ("Mairie de Lille", "Accueil mairie", "Annexe Wazemmes", "labellisé",
                     'href="/partner/certificate.pdf"', "Bilans à transmettre"):
            self.assertIn(text, body)
        # Overdue months (nothing submitted since the signature) are flagged.
        self.assertIn("Non transmis, en retard", body)
        # The console's pages are not theirs.
        for path in ("/console/agenda", "/console/agenda/print", "/console/stats",
                     "/console/admin/partners", "/console/book", "/console/availability"):
            self.assertEqual(b.send("GET", path).status, 403, path)
        # Nor are the partner's pages the console staff's.
        agent = Browser(self.srv)
        agent.login(AGENT, GOOD)
        for who in (agent, self.admin, self.supervisor):
            for path in ("/partner/", "/partner/visits/new", "/partner/certificate.pdf"):
                self.assertEqual(who.send("GET", path).status, 403, path)
            self.assertEqual(who.post("/partner/visits", dict(VISIT)).status, 403)
        # Signed out: to the sign-in.
        r = Browser(self.srv).send("GET", "/partner/")
        self.assertEqual((r.status, r.header("Location")), (303, "/login"))

    def test_the_certificate_while_the_label_holds(self):
        r = self.helper.send("GET", "/partner/certificate.pdf")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertTrue(r.body.startswith(b"%PDF"))
        text = subprocess.run(["pdftotext", "-", "-"], input=r.body, stdout=subprocess.PIPE,
                              check=True).stdout.decode()
        months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                  "septembre", "octobre", "novembre", "décembre"]
        flat = " ".join(text.split())
        for part in ("Mairie de Lille", "Lille", "Claire Dupont",
                     "%d %s %d" % (self.signed_on.day, months[self.signed_on.month - 1],
                                   self.signed_on.year)):
            self.assertIn(part, flat)
        # No label: 404 (the neighbour), like the page of another partner.
        self.assertEqual(self.neighbour_b.send("GET", "/partner/certificate.pdf").status, 404)
        self.assertNotIn("certificate.pdf", self.neighbour_b.send("GET", "/partner/").body.decode())

    def test_logging_a_visit(self):
        srv, b = self.srv, self.helper
        page = b.send("GET", "/partner/visits/new").body.decode()
        self.assertIn('id="visit-site"', page)  # two sites: a chooser
        self.assertIn('value="%s"' % paris_today().isoformat(), page)
        self.assertIn('<th scope="col" id="action-information">', page)
        self.assertIn('aria-labelledby="request-simulation action-information"', page)
        before = [count(srv, t) for t in ("partner_visits", "partner_visit_cells",
                                          "partner_visit_themes")]
        # Refused: answers kept, messages in French, nothing written.
        r = b.post("/partner/visits", {"site": str(self.sites[0]), "age_band": "over_60",
                                       "theme": "solidarity", "sex": "robot"})
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        self.assertIn("Choisissez une réponse.", body)
        self.assertIn("Cochez au moins une case du tableau", body)
        self.assertRegex(body, r"Cette réponse n(&#39;|&#x27;|')est pas dans la liste")
        self.assertRegex(body, r'id="visit-age_band-over_60" name="age_band" value="over_60" checked')
        self.assertRegex(body, r'value="solidarity" checked')
        # In the page's language.
        r = b.post("/partner/visits?lang=en", {"site": str(self.sites[0])})
        self.assertEqual(r.status, 422)
        self.assertIn("Tick at least one box of the table", r.body.decode())
        b.send("GET", "/partner/?lang=fr")  # back to French (the choice is remembered)
        self.assertEqual([count(srv, t) for t in ("partner_visits", "partner_visit_cells",
                                                  "partner_visit_themes")], before)
        # Recorded: back to the form with the notice and the site kept.
        r = post(b, "/partner/visits", [("site", str(self.sites[1]))] + VISIT)
        self.assertEqual(r.status, 303, r.body.decode())
        self.assertEqual(r.header("Location"),
                         "/partner/visits/new?saved=1&site=%d" % self.sites[1])
        page = b.send("GET", r.header("Location")).body.decode()
        self.assertIn("Visite enregistrée", page)
        self.assertRegex(page, r'<option value="%d" selected>' % self.sites[1])
        visit = srv.sql("SELECT id, partner_site_id, partner_id, day, sex, age_band, allocataire,"
                        " autonomy, resolved FROM partner_visits ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual(visit[1:3], (self.sites[1], self.mine))
        self.assertEqual(visit[4:], ("woman", "over_60", 1, "beginner", "partly"))
        self.assertEqual(sorted(srv.sql("SELECT request, action FROM partner_visit_cells WHERE "
                                        "visit_id=?", (visit[0],))),
                         [("payments", "online_procedure"), ("simulation", "information")])
        self.assertEqual(srv.sql("SELECT theme FROM partner_visit_themes WHERE visit_id=?",
                                 (visit[0],)), [("housing_living",)])
        # A partner with one site needs no chooser.
        r = post(self.neighbour_b, "/partner/visits", VISIT)
        self.assertEqual(r.status, 303)
        self.assertNotIn('id="visit-site"',
                         self.neighbour_b.send("GET", "/partner/visits/new").body.decode())
        # The period's list; another partner cannot delete it (404), its own can, that day.
        self.assertIn('action="/partner/visits/%d/delete"' % visit[0], html.unescape(page))
        for who in (self.neighbour_b, self.other_b):
            self.assertEqual(who.post("/partner/visits/%d/delete" % visit[0]).status, 404)
        # Another partner's site is no choice.
        r = post(self.neighbour_b, "/partner/visits", [("site", str(self.sites[0]))] + VISIT)
        self.assertEqual(r.status, 422)
        r = b.post("/partner/visits/%d/delete" % visit[0])
        self.assertEqual((r.status, r.header("Location")), (303, "/partner/visits/new?deleted=1"))
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM partner_visit_cells WHERE visit_id=?",
                                 (visit[0],))[0][0], 0)
        # A visit of an earlier day cannot be deleted.
        srv.write("UPDATE partner_visits SET day = day - 1 WHERE partner_id=?", (self.neighbour,))
        old = srv.sql("SELECT id FROM partner_visits WHERE partner_id=?", (self.neighbour,))[0][0]
        self.assertEqual(self.neighbour_b.post("/partner/visits/%d/delete" % old).status, 404)

    def test_the_months_report(self):
        srv, b = self.srv, self.helper
        first, last = previous_month(paris_today())
        label = "%04d-%02d" % (first.year, first.month)
        r = post(b, "/partner/visits", [("site", str(self.sites[0])),
                                       ("day", last.isoformat())] + VISIT)
        self.assertEqual(r.status, 303)
        page = b.send("GET", "/partner/reports/" + label)
        self.assertEqual(page.status, 200)
        body = page.body.decode()
        self.assertIn("<caption>Demande et action du partenaire</caption>", body)
        self.assertIn('action="/partner/reports/%s"' % label, html.unescape(body))
        # Each partner's report counts its own visits only.
        epoch = datetime.date(1970, 1, 1)
        span = ((first - epoch).days, (last - epoch).days)
        for who, pid in ((b, self.mine), (self.neighbour_b, self.neighbour)):
            n = srv.sql("SELECT COUNT(*) FROM partner_visits WHERE partner_id=? AND day "
                        "BETWEEN ? AND ?", (pid,) + span)[0][0]
            text = who.send("GET", "/partner/reports/" + label).body.decode()
            self.assertRegex(text, r'partner-report-total">[^<]*<strong>%d</strong>' % n)
        # A quarter's label for a monthly convention, a future month, junk: 404.
        nxt = paris_today().replace(day=28) + datetime.timedelta(days=10)
        for bad in ("%d-Q1" % first.year, "%04d-%02d" % (nxt.year, nxt.month), "2026-13", "x"):
            self.assertEqual(b.send("GET", "/partner/reports/" + bad).status, 404, bad)
        # Supervisors do not see it before it is submitted.
        admin_page = "/console/admin/partners/%d/reports/%s" % (self.mine, label)
        self.assertEqual(self.supervisor.send("GET", admin_page).status, 404)
        r = b.post("/partner/reports/" + label, {"comment": "Mois calme"})
        self.assertEqual((r.status, r.header("Location")),
                         (303, "/partner/reports/%s?submitted=1" % label))
        late = 1 if paris_today().day > 10 else 0
        self.assertEqual(srv.sql("SELECT period, late, comment FROM partner_reports WHERE "
                                 "partner_id=?", (self.mine,)), [(label, late, "Mois calme")])
        body = b.send("GET", "/partner/reports/%s?submitted=1" % label).body.decode()
        self.assertIn("Bilan transmis à la Caf.", body)
        self.assertNotIn('name="comment"', body)
        # Once only; and the month takes no more visits.
        r = b.post("/partner/reports/" + label, {"comment": "encore"})
        self.assertEqual(r.status, 422)
        self.assertEqual(count(srv, "partner_reports"), 1)
        r = post(b, "/partner/visits", [("site", str(self.sites[0])),
                                       ("day", last.isoformat())] + VISIT)
        self.assertEqual(r.status, 422)
        self.assertIn("Le bilan de cette période est déjà transmis.", r.body.decode())
        # The organisation reads it; another organisation or partner: 404.
        for who in (self.admin, self.supervisor):
            r = who.send("GET", admin_page)
            self.assertEqual(r.status, 200)
            self.assertIn("Mois calme", r.body.decode())
            self.assertIn("<caption>Demande et action du partenaire</caption>", r.body.decode())
        self.assertEqual(self.admin.send(
            "GET", "/console/admin/partners/%d/reports/%s" % (self.theirs, label)).status, 404)
        self.assertEqual(self.admin.send(
            "GET", "/console/admin/partners/%d/reports/%s" % (self.neighbour, label)).status, 404)
        self.assertEqual(b.send("GET", admin_page).status, 403)
        # The home shows it submitted.
        home = html.unescape(b.send("GET", "/partner/").body.decode())
        self.assertIn("/partner/reports/%s" % label, home)
        self.assertIn("Transmis en retard" if late else "Transmis à temps", home)


if __name__ == "__main__":
    unittest.main()
