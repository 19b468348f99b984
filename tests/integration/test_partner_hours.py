"""A partner site's opening hours and closures (issue 15, partner-hours; docs/PARTNERS.md
"Opening hours and closures" and "The public list"): the administrator's forms on the site's
page (refused input 422 in the page's language with nothing written, every write journalled,
another organisation's site 404), the minimum's result shown, the alert to the partner
managers received through the SMTP sink exactly once for a change that breaks the minimum,
and the public list /{org}/points-numeriques (labelled partners only, this organisation's
only, hostile names escaped, the language variants)."""

import datetime
import re
import unittest

from admin_login import staff_with_totp
from harness import Server, require, wait_until
from staff import cli

ADMIN = "admin@demo.visioguichet.test"


def weekday_after(today, weekday, weeks=1):
    """The day of `weekday` (0 = Monday) in the week `weeks` after today's."""
    monday = today - datetime.timedelta(days=today.weekday())
    return monday + datetime.timedelta(days=7 * weeks + weekday)


def four_mornings(closes="12:00"):
    f = {}
    for d in range(4):
        f["h%d_0_opens" % d] = "09:00"
        f["h%d_0_closes" % d] = closes
    return f


class HoursAndAlert(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require("aiosmtpd", "python3-aiosmtpd")
        from smtp_sink import SmtpSink
        cls.sink = SmtpSink().start()
        cls.srv = Server(extra_args=["--smtp-url", cls.sink.url]).prepare()
        r = cli(cls.srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr
        cls.srv.start()
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")
        cls.other_admin = staff_with_totp(cls.srv, "admin@other.test", "admin", org="other")

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.sink.stop()

    def partner_with_site(self, browser, name, grant=True):
        r = browser.post("/console/admin/partners", {"name": name, "town": "Arras"})
        self.assertEqual(r.status, 303, r.body.decode())
        pid = int(re.search(r"/partners/(\d+)", r.header("Location")).group(1))
        page = "/console/admin/partners/%d" % pid
        r = browser.post(page + "/sites", {"name": "Accueil " + name, "town": "Arras",
                                           "time_zone": "Europe/Paris"})
        self.assertEqual(r.status, 303, r.body.decode())
        site = self.srv.sql("SELECT id FROM partner_sites WHERE partner_id=?", (pid,))[0][0]
        if grant:
            signed = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
            r = browser.post(page + "/label", {"signed_on": signed})
            self.assertEqual(r.status, 303, r.body.decode())
        return pid, site, "%s/sites/%d" % (page, site)

    def journal(self, object_type):
        return self.srv.sql("SELECT COUNT(*) FROM config_changes WHERE object_type=?",
                            (object_type,))[0][0]

    def test_hours_closures_and_one_alert(self):
        srv, admin, sink = self.srv, self.admin, self.sink
        pid, site, url = self.partner_with_site(admin, "Mairie de Lens")
        # The page: the form (labelled inputs), the result "not met" with no hours yet.
        body = admin.send("GET", url).body.decode()
        self.assertIn('name="h0_0_opens"', body)
        self.assertIn('<label for="ph-h6_1-closes" class="visually-hidden">Dimanche, plage 2, '
                      'Fermeture</label>', body)
        self.assertIn("Non respecté", body)
        # Four mornings of three hours: the minimum exactly, no alert.
        r = admin.post(url + "/hours", four_mornings())
        self.assertEqual((r.status, r.header("Location")), (303, url + "?saved=1#hours"))
        self.assertEqual(srv.sql("SELECT weekday, opens, closes FROM partner_hours WHERE "
                                 "partner_site_id=? ORDER BY weekday", (site,)),
                         [(d, 540, 720) for d in range(4)])
        body = admin.send("GET", url).body.decode()
        self.assertIn("Respecté", body)
        self.assertIn("Semaine habituelle : 12 h, 4 demi-journées.", body)
        self.assertEqual(self.journal("partner_hours"), 1)
        # Refused: a time that is no time, and overlapping intervals; 422, the messages per
        # line in French, nothing written.
        changes = srv.sql("SELECT COUNT(*) FROM config_changes")[0][0]
        bad = dict(four_mornings(), h4_0_opens="25:00", h4_0_closes="26:00",
                   h0_1_opens="11:00", h0_1_closes="13:00")
        r = admin.post(url + "/hours", bad)
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        self.assertIn('id="ph-h4_0-error"', body)
        self.assertIn("Heure attendue au format HH:MM", body)
        self.assertIn("Cet horaire chevauche un autre horaire du même jour.", body)
        self.assertIn('value="25:00"', body)  # the refused form comes back with its values
        r = admin.post(url + "/closures", {"from": "2026-12-03", "to": "2026-12-01"})
        self.assertEqual(r.status, 422)
        self.assertIn("La fin de la fermeture précède son début.", r.body.decode())
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM config_changes")[0][0], changes)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM partner_hours WHERE partner_site_id=?",
                                 (site,))[0][0], 4)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM partner_closures WHERE partner_site_id=?",
                                 (site,))[0][0], 0)
        self.assertEqual(sink.count(), 0)
        # Closing the Tuesday of next week breaks that week: exactly one e-mail, to the
        # administrator, naming the partner, the site and the week.
        tuesday = weekday_after(datetime.date.today(), 1)
        r = admin.post(url + "/closures", {"from": tuesday.isoformat(), "reason": "Inventaire"})
        self.assertEqual(r.status, 303, r.body.decode())
        mails = sink.wait_for(1, timeout=60)
        wait_until(lambda: srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_hours' "
                                   "AND status='sent'")[0][0] == 1, 30, "the alert sent")
        self.assertEqual(sink.count(), 1)
        self.assertEqual(mails[0].rcpt_tos, [ADMIN])
        self.assertIn("Mairie de Lens", mails[0].subject)
        self.assertIn("Accueil Mairie de Lens", mails[0].subject)
        text = mails[0].message.get_body(("plain",)).get_content()
        self.assertIn("ne respecte pas le minimum", text)
        self.assertIn(url, text)
        body = admin.send("GET", url).body.decode()
        self.assertIn("Inventaire", body)
        self.assertIn("9 h, 3 demi-journées, 1 jour(s) fermé(s)", body)
        self.assertEqual(self.journal("partner_closure"), 1)
        # The same hours saved again: nothing worse, no e-mail (the only outbox row stays).
        r = admin.post(url + "/hours", four_mornings())
        self.assertEqual(r.status, 303)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_hours'")[0][0],
                         1)
        # Deleting the closure.
        closure = srv.sql("SELECT id FROM partner_closures WHERE partner_site_id=?", (site,))[0][0]
        r = admin.post("%s/closures/%d/delete" % (url, closure))
        self.assertEqual(r.status, 303)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM partner_closures WHERE partner_site_id=?",
                                 (site,))[0][0], 0)
        self.assertEqual(self.journal("partner_closure"), 2)
        self.assertEqual(sink.count(), 1)

    def test_another_organisations_site_is_not_found(self):
        srv = self.srv
        _, their_site, theirs = self.partner_with_site(self.other_admin, "Ailleurs",
                                                       grant=False)
        other_closure = srv.write(
            "INSERT INTO partner_closures (partner_site_id, organisation_id, from_day, to_day, "
            "created_at) SELECT id, organisation_id, 23800, 23800, 0 FROM partner_sites "
            "WHERE name='Accueil Ailleurs'")
        before = srv.sql("SELECT COUNT(*) FROM config_changes")[0][0]
        self.assertEqual(self.admin.send("GET", theirs).status, 404)
        for path, form in ((theirs + "/hours", four_mornings()),
                           (theirs + "/closures", {"from": "2030-01-07"}),
                           ("%s/closures/%d/delete" % (theirs, other_closure), {})):
            self.assertEqual(self.admin.post(path, form).status, 404, path)
        # This organisation's partner with the other's site: 404 too.
        pid, _, _ = self.partner_with_site(self.admin, "Ici", grant=False)
        site = theirs.rsplit("/", 1)[1]
        self.assertEqual(self.admin.post("/console/admin/partners/%d/sites/%s/hours" % (pid, site),
                                         four_mornings()).status, 404)
        # Nothing written but this organisation's partner and site.
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM config_changes")[0][0], before + 2)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM partner_hours WHERE partner_site_id=?",
                                 (their_site,))[0][0], 0)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM partner_closures WHERE id=?",
                                 (other_closure,))[0][0], 1)


class PublicList(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        for slug in ("other", "empty"):
            r = cli(cls.srv, "org", "create", "--slug", slug, "--name", "Caf " + slug)
            assert r.returncode == 0, r.stderr
        cls.srv.start()
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")
        cls.other_admin = staff_with_totp(cls.srv, "admin@other.test", "admin", org="other")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def partner(self, browser, name, site_name, label=True):
        r = browser.post("/console/admin/partners", {"name": name})
        pid = int(re.search(r"/partners/(\d+)", r.header("Location")).group(1))
        page = "/console/admin/partners/%d" % pid
        r = browser.post(page + "/sites", {
            "name": site_name, "address": "1 rue <b>Haute</b>", "postcode": "62000",
            "town": "Arras", "time_zone": "Europe/Paris", "step_free": "1",
            "accessibility": "Rampe & ascenseur", "equipment": "2 ordinateurs",
            "video_desk": "1"})
        self.assertEqual(r.status, 303, r.body.decode())
        site = self.srv.sql("SELECT id FROM partner_sites WHERE partner_id=?", (pid,))[0][0]
        url = "%s/sites/%d" % (page, site)
        r = browser.post(url + "/hours", dict(four_mornings(), h0_1_opens="14:00",
                                               h0_1_closes="17:30"))
        self.assertEqual(r.status, 303, r.body.decode())
        if label:
            r = browser.post(page + "/label", {"signed_on": "2026-01-15"})
            self.assertEqual(r.status, 303, r.body.decode())
        return pid, url

    def test_labelled_sites_of_this_organisation_only(self):
        srv = self.srv
        hostile = '<script>alert("x")</script> Médiathèque'
        self.partner(self.admin, "Mairie d'Arras", hostile)
        withdrawn, _ = self.partner(self.admin, "Centre retiré", "Site retiré")
        r = self.admin.post("/console/admin/partners/%d/withdraw" % withdrawn,
                            {"ground": "commitment", "reason": "Horaires non tenus"})
        self.assertEqual(r.status, 303, r.body.decode())
        self.partner(self.admin, "Jamais labellisé", "Site sans label", label=False)
        self.partner(self.other_admin, "Partenaire ailleurs", "Site ailleurs")
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        site = srv.sql("SELECT id, partner_id FROM partner_sites WHERE name=?", (hostile,))[0]
        r = self.admin.post("/console/admin/partners/%d/sites/%d/closures" % (site[1], site[0]),
                            {"from": tomorrow.isoformat(), "reason": "Pont"})
        self.assertEqual(r.status, 303)
        r = srv.get("/demo/points-numeriques")
        self.assertEqual(r.status, 200)
        body = r.body.decode()
        self.assertNotIn("<script>alert", body)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt; Médiathèque", body)
        self.assertIn("1 rue &lt;b&gt;Haute&lt;&#x2F;b&gt;", body)
        self.assertIn("09:00–12:00, 14:00–17:30", body)
        self.assertIn("Fermé", body)  # Friday to Sunday
        self.assertIn("Pont", body)
        self.assertIn("Accès de plain-pied", body)
        self.assertIn("Rampe &amp; ascenseur", body)
        self.assertIn("2 ordinateurs", body)
        self.assertIn("Poste de rendez-vous en visio", body)
        for absent in ("Site retiré", "Site sans label", "Site ailleurs"):
            self.assertNotIn(absent, body)
        # The other organisation lists its own; an organisation without any says so.
        self.assertIn("Site ailleurs", srv.get("/other/points-numeriques").body.decode())
        body = srv.get("/empty/points-numeriques").body.decode()
        self.assertIn("Aucun point numérique labellisé pour le moment.", body)
        self.assertEqual(srv.get("/nowhere/points-numeriques").status, 404)
        # The other languages.
        for word, lang, title in (("digital-points", "en", "Caf digital points"),
                                  ("digitale-punten", "nl", "Digitale punten van de Caf"),
                                  ("digitale-anlaufstellen", "de",
                                   "Digitale Anlaufstellen der Caf")):
            r = srv.get("/demo/" + word)
            self.assertEqual((r.status, r.header("Location")),
                             (301, "/demo/points-numeriques?lang=" + lang))
            self.assertIn(title, srv.get("/demo/points-numeriques?lang=" + lang).body.decode())


if __name__ == "__main__":
    unittest.main()
