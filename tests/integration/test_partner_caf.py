"""The organisation's overview of its partners (issue 15, partner-caf; docs/PARTNERS.md "The
CAF's overview"): /console/partners with every partner's label, convention end, hours
compliance, last report and reports overdue, visits per month, share resolved and bookings on
behalf, figured against a hand-made set of visits and reports; each partner's reports over
time; the CSV (read back by Python's csv module, formula cells neutralised) and the XLSX
(read back by openpyxl) of both; supervisors read, agents do not; another organisation's
partner answers 404."""

import csv
import datetime
import html
import io
import unittest
from zoneinfo import ZoneInfo

from admin_login import staff_with_totp
from harness import Demo, Server, require
from staff import AGENT, GOOD, Browser, cli, set_password

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EPOCH = datetime.date(1970, 1, 1)
HELPER = "aide@espace-ouest.test"
TRAINEE = "accueil@mairie-lille.test"


def paris_today():
    return datetime.datetime.now(ZoneInfo("Europe/Paris")).date()


def month_start(day, back):
    """The first day of the month `back` months before day's."""
    y, m = day.year, day.month - back
    while m < 1:
        y, m = y - 1, m + 12
    return datetime.date(y, m, 1)


def month_last(first):
    return month_start(first, -1) - datetime.timedelta(days=1)


def label(first):
    return "%04d-%02d" % (first.year, first.month)


class PartnerCaf(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        r = cli(srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr
        ids = {}
        for org, name, town in (("demo", "Mairie de Lille", "Lille"),
                                ("demo", "=Médiathèque", "+33 Roubaix"),
                                ("other", "Ailleurs", "Namur")):
            r = cli(srv, "partner", "create", "--org", org, "--name", name, "--town", town)
            assert r.returncode == 0, r.stderr
            ids[name] = int(r.stdout.strip())
        cls.mine, cls.formula, cls.theirs = (ids["Mairie de Lille"], ids["=Médiathèque"],
                                             ids["Ailleurs"])
        set_password(srv, AGENT, GOOD)
        srv.start()
        cls.admin = staff_with_totp(srv, "admin@demo.visioguichet.test", "admin")
        cls.supervisor = staff_with_totp(srv, "chef@demo.visioguichet.test", "supervisor")
        cls.agent = Browser(srv)
        assert cls.agent.login(AGENT, GOOD).status == 303
        page = "/console/admin/partners/%d" % cls.mine
        r = cls.admin.post(page + "/sites", {"name": "Accueil mairie", "town": "Lille",
                                             "time_zone": "Europe/Paris"})
        assert r.status == 303, r.body.decode()
        cls.site = srv.sql("SELECT id FROM partner_sites WHERE partner_id=?", (cls.mine,))[0][0]
        # Monthly reports, signed on the 15th four months ago.
        today = cls.today = paris_today()
        cls.m = [month_start(today, k) for k in range(0, 14)]  # m[k]: k months back
        signed = cls.m[4].replace(day=15)
        r = cls.admin.post(page + "/label", {"signed_on": signed.isoformat(),
                                             "reporting_period": "month",
                                             "director_name": "Claire Dupont"})
        assert r.status == 303, r.body.decode()
        # The hand-made visits: (first day of month, resolved answers).
        visits = [(cls.m[12], ["yes"]),  # outside the 12 months counted
                  (cls.m[4], ["yes", "no"]),
                  (cls.m[3], ["partly"]),
                  (cls.m[0], ["yes", "yes", "partly"])]
        for first, answers in visits:
            for answer in answers:
                srv.write("INSERT INTO partner_visits (partner_site_id, partner_id, "
                          "organisation_id, day, sex, age_band, allocataire, autonomy, "
                          "resolved, created_at) SELECT ?, ?, organisation_id, ?, 'woman', "
                          "'over_60', 1, 'beginner', ?, 0 FROM partners WHERE id=?",
                          (cls.site, cls.mine, (first - EPOCH).days + 15 if first != cls.m[0]
                           else (first - EPOCH).days, answer, cls.mine))
        # The reports: four months back on time, three months back late; the rest missing.
        for first, late in ((cls.m[4], 0), (cls.m[3], 1)):
            srv.write("INSERT INTO partner_reports (partner_id, organisation_id, period, "
                      "submitted_at, late, comment) SELECT id, organisation_id, ?, ?, ?, '' "
                      "FROM partners WHERE id=?",
                      (label(first), int(datetime.datetime(first.year, first.month, 28, 12,
                                                           tzinfo=ZoneInfo("UTC")).timestamp()),
                       late, cls.mine))
        # One appointment booked on behalf from the partner's site.
        demo = Demo(srv)
        motif = demo.video_motif()
        r = demo.book(motif["id"], demo.slots(motif["id"])[0])
        assert r.status == 201, r
        srv.write("UPDATE appointments SET booked_by='partner', booked_by_partner_site_id=? "
                  "WHERE id=(SELECT MAX(id) FROM appointments)", (cls.site,))
        # The end of a partnership: another partner, labelled two months ago, with one site
        # and one staff member signed in.
        r = cli(srv, "partner", "create", "--org", "demo", "--name", "Espace Ouest")
        assert r.returncode == 0, r.stderr
        cls.ending = int(r.stdout.strip())
        r = cls.admin.post("/console/admin/partners/%d/sites" % cls.ending,
                           {"name": "Accueil Ouest", "time_zone": "Europe/Paris"})
        assert r.status == 303, r.body.decode()
        cls.ending_site = srv.sql("SELECT id FROM partner_sites WHERE partner_id=?",
                                  (cls.ending,))[0][0]
        cls.ending_signed = cls.m[2].replace(day=15)
        r = cls.admin.post("/console/admin/partners/%d/label" % cls.ending,
                           {"signed_on": cls.ending_signed.isoformat()})
        assert r.status == 303, r.body.decode()
        r = cli(srv, "user", "add", "--org", "demo", "--email", HELPER, "--role", "partner",
                "--partner", str(cls.ending))
        assert r.returncode == 0, r.stderr
        set_password(srv, HELPER, GOOD)
        cls.helper = Browser(srv)
        assert cls.helper.login(HELPER, GOOD).status == 303
        # A staff member of the first partner, who needs a training.
        r = cli(srv, "user", "add", "--org", "demo", "--email", TRAINEE, "--role", "partner",
                "--partner", str(cls.mine))
        assert r.returncode == 0, r.stderr
        set_password(srv, TRAINEE, GOOD)
        cls.trainee = Browser(srv)
        assert cls.trainee.login(TRAINEE, GOOD).status == 303
        # The periods due: since the signature's month, deadline (10th after) passed.
        cls.due = [first for first in (cls.m[4], cls.m[3], cls.m[2], cls.m[1])
                   if today > month_last(first) + datetime.timedelta(days=10)]

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_the_overview_shows_each_partners_figures(self):
        r = self.supervisor.send("GET", "/console/partners")
        self.assertEqual(r.status, 200, r)
        body = r.body.decode()
        self.assertIn("Mairie de Lille", body)
        self.assertIn("=Médiathèque", body)
        self.assertNotIn("Ailleurs", body)
        self.assertIn("<caption", body)
        rows = self.overview_csv(self.supervisor)
        mine = next(x for x in rows if x["Partenaire"] == "Mairie de Lille")
        overdue = len(self.due) - 2
        self.assertEqual(mine["Label"], "labellisé")
        self.assertEqual(mine["Horaires d’ouverture"], "minimum non respecté")
        self.assertEqual(mine["Dernier rapport"], label(self.m[3]))
        self.assertEqual(mine["Dernier rapport : délai"], "remis en retard")
        self.assertEqual(mine["Rapports en retard"], str(overdue))
        self.assertEqual(mine["Visites (12 mois)"], "6")
        self.assertEqual(mine["Demandes résolues (%)"], "50")
        self.assertEqual(mine["Rendez-vous pris pour le compte d’usagers"], "1")
        self.assertEqual(mine["Personnes à former"], "1")
        self.assertEqual(mine["Dernière journée d’actualisation"], "")
        self.assertEqual(mine[label(self.m[4])], "2")
        self.assertEqual(mine[label(self.m[3])], "1")
        self.assertEqual(mine[label(self.m[0])], "3")
        self.assertNotIn(label(self.m[12]), mine)
        self.assertEqual(sum(int(mine[label(self.m[k])]) for k in range(12)), 6)
        # The convention's end: the day before the signature's first anniversary.
        end = self.m[4].replace(day=15)
        end = datetime.date(end.year + 1, end.month, 14)
        self.assertEqual(mine["Fin de la convention"], end.isoformat())

    def overview_csv(self, browser):
        r = browser.send("GET", "/console/partners/export.csv")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))
        text = r.body.decode("utf-8-sig")
        self.assertTrue(text.endswith("\r\n"))
        return list(csv.DictReader(io.StringIO(text, newline="")))

    def test_the_csv_has_every_partner_and_neutralises_formulas(self):
        rows = self.overview_csv(self.admin)
        self.assertEqual([x["Partenaire"] for x in rows],
                         ["'=Médiathèque", "Espace Ouest", "Mairie de Lille"])
        formula = rows[0]
        self.assertEqual(formula["Commune"], "'+33 Roubaix")
        self.assertEqual(formula["Label"], "non labellisé")
        self.assertEqual(formula["Horaires d’ouverture"], "aucun lieu")
        self.assertEqual(formula["Visites (12 mois)"], "0")
        self.assertEqual(formula["Demandes résolues (%)"], "")
        self.assertEqual(len(rows[0]), 13 + 12)

    def test_the_xlsx_holds_the_same_lines(self):
        openpyxl = require("openpyxl", "python3-openpyxl")
        rows = self.overview_csv(self.admin)
        r = self.admin.send("GET", "/console/partners/export.xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), XLSX_TYPE)
        sheet = openpyxl.load_workbook(io.BytesIO(r.body)).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(values[0]), list(rows[0].keys()))
        self.assertEqual(len(values), 1 + len(rows))
        mine = dict(zip(values[0], next(v for v in values if v[0] == "Mairie de Lille")))
        self.assertEqual(mine["Partenaire"], "Mairie de Lille")
        self.assertEqual(mine["Visites (12 mois)"], 6)
        self.assertEqual(mine["Demandes résolues (%)"], 50)
        self.assertEqual(mine[label(self.m[0])], 3)
        # A string cell is never a formula, so it needs no quote.
        self.assertEqual(values[1][0], "=Médiathèque")
        self.assertEqual(sheet.cell(row=2, column=1).data_type, "s")

    def test_a_partners_reports_over_time(self):
        r = self.supervisor.send("GET", "/console/partners/%d" % self.mine)
        self.assertEqual(r.status, 200, r)
        body = html.unescape(r.body.decode())
        for text in ("remis à temps", "remis en retard", "<caption",
                     'href="/console/admin/partners/%d/reports/%s"' % (self.mine,
                                                                       label(self.m[4]))):
            self.assertIn(text, body)
        if len(self.due) > 2:
            self.assertIn("en retard, non remis", body)
        r = self.supervisor.send("GET", "/console/partners/%d/reports.csv" % self.mine)
        self.assertEqual(r.status, 200, r)
        rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8-sig"), newline="")))
        self.assertEqual([x["Période"] for x in rows], [label(d) for d in self.due])
        first, second = rows[0], rows[1]
        self.assertEqual((first["Visites"], first["Demandes résolues"],
                          first["Demandes résolues (%)"], first["État"]),
                         ("2", "1", "50", "remis à temps"))
        self.assertEqual(first["Remis le"], self.m[4].replace(day=28).isoformat())
        self.assertEqual((second["Visites"], second["Demandes résolues (%)"],
                          second["État"]), ("1", "0", "remis en retard"))
        for x in rows[2:]:
            self.assertEqual((x["Remis le"], x["État"]), ("", "en retard, non remis"))
        openpyxl = require("openpyxl", "python3-openpyxl")
        r = self.supervisor.send("GET", "/console/partners/%d/reports.xlsx" % self.mine)
        self.assertEqual(r.status, 200, r)
        values = list(openpyxl.load_workbook(io.BytesIO(r.body)).active.iter_rows(
            values_only=True))
        self.assertEqual(len(values), 1 + len(rows))
        self.assertEqual(values[1][:5], ("Mairie de Lille", label(self.m[4]), 2, 1, 50))

    def test_agents_and_another_organisation_see_nothing(self):
        for path in ("/console/partners", "/console/partners/export.csv",
                     "/console/partners/%d" % self.mine):
            self.assertEqual(self.agent.send("GET", path).status, 403, path)
        for tail in ("", "/reports.csv", "/reports.xlsx"):
            for pid in (self.theirs, 999999):
                r = self.admin.send("GET", "/console/partners/%d%s" % (pid, tail))
                self.assertEqual(r.status, 404, (pid, tail))
        r = self.supervisor.send("GET", "/console/")
        self.assertIn('href="/console/partners"', r.body.decode())

    # --- the end of a partnership -------------------------------------------------------

    def journal(self, type_):
        return self.srv.sql("SELECT action, before, after FROM config_changes WHERE "
                            "object_type=? ORDER BY id", (type_,))

    def test_notice_is_recorded_once_and_names_the_convention_end(self):
        path = "/console/partners/%d" % self.ending
        self.assertEqual(self.supervisor.post(path + "/notice", {"by": "caf"}).status, 403)
        r = self.admin.post(path + "/notice", {"given_on": "2030-01-01"})
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        self.assertIn("ce champ est obligatoire", body)
        self.assertIn("la date ne peut pas être dans le futur", body)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM convention_notices")[0][0], 0)
        r = self.admin.post(path + "/notice", {"by": "partner"})
        self.assertEqual(r.status, 303, r.body.decode())
        # Notice well before the deadline: the first term is the last.
        end = datetime.date(self.ending_signed.year + 1, self.ending_signed.month, 14)
        row = self.srv.sql("SELECT given_on, given_by, ends_on FROM convention_notices")
        self.assertEqual(row, [((self.today - EPOCH).days, "partner", (end - EPOCH).days)])
        self.assertEqual(len(self.journal("convention_notice")), 1)
        body = self.admin.send("GET", path).body.decode()
        self.assertIn("La convention prend fin le", body)
        self.assertIn("le partenaire", body)
        self.assertEqual(self.admin.post(path + "/notice", {"by": "caf"}).status, 422)
        # The convention holds until then: the partner cannot be archived yet.
        r = self.admin.post(path + "/archive", {})
        self.assertEqual(r.status, 422)
        self.assertIn("la convention est toujours en cours", r.body.decode())

    def test_removing_a_staff_member_ends_their_sessions(self):
        self.assertEqual(self.helper.send("GET", "/partner/").status, 200)
        account = self.srv.sql("SELECT id FROM accounts WHERE email=?", (HELPER,))[0][0]
        path = "/console/partners/%d/staff/%d/remove" % (self.ending, account)
        self.assertEqual(self.supervisor.post(path).status, 403)
        # Another partner's person is not this partner's.
        r = self.admin.post("/console/partners/%d/staff/%d/remove" % (self.mine, account))
        self.assertEqual(r.status, 404)
        r = self.admin.post(path)
        self.assertEqual(r.status, 303, r.body.decode())
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM memberships WHERE account_id=?",
                                      (account,))[0][0], 0)
        self.assertNotEqual(self.helper.send("GET", "/partner/").status, 200)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM staff_sessions WHERE account_id=? "
                                      "AND revoked_at IS NULL", (account,))[0][0], 0)
        self.assertIn("delete", [x[0] for x in self.journal("member")])
        self.assertEqual(self.admin.post(path).status, 404)

    def test_an_archived_site_leaves_the_public_list_and_keeps_its_history(self):
        self.assertIn("Accueil Ouest", self.srv.get("/demo/points-numeriques").body.decode())
        path = "/console/partners/%d/sites/%d/archive" % (self.ending, self.ending_site)
        self.assertEqual(self.agent.post(path).status, 403)
        self.assertEqual(self.admin.post("/console/partners/%d/sites/%d/archive" % (
            self.mine, self.ending_site)).status, 404)
        r = self.admin.post(path)
        self.assertEqual(r.status, 303, r.body.decode())
        self.assertNotIn("Accueil Ouest", self.srv.get("/demo/points-numeriques").body.decode())
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM partner_sites WHERE id=? AND "
                                      "archived_at IS NOT NULL", (self.ending_site,))[0][0], 1)
        body = self.admin.send("GET", "/console/partners/%d" % self.ending).body.decode()
        self.assertIn("archivé", body)

    def test_trainings_show_who_needs_one_to_both_sides(self):
        path = "/console/partners/%d" % self.mine
        # Named by their display name (the CLI's default: the address' local part).
        self.assertIn("<li>accueil</li>", self.supervisor.send("GET", path).body.decode())
        self.assertEqual(self.supervisor.post(path + "/trainings", {"title": "x"}).status, 403)
        r = self.admin.post(path + "/trainings", {"form": "training"})
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        self.assertIn('href="#training-title"', body)
        self.assertIn('href="#training-account"', body)
        # Someone who does not work for this partner.
        helper = self.srv.sql("SELECT id FROM accounts WHERE email=?", (HELPER,))[0][0]
        r = self.admin.post(path + "/trainings", {"account": str(helper), "title": "Caf.fr",
                                                  "attended_on": self.today.isoformat()})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM partner_trainings")[0][0], 0)
        trainee = self.srv.sql("SELECT id FROM accounts WHERE email=?", (TRAINEE,))[0][0]
        r = self.admin.post(path + "/trainings", {
            "kind": "training", "account": str(trainee), "title": "Parcours caf.fr",
            "attended_on": (self.today - datetime.timedelta(days=3)).isoformat()})
        self.assertEqual(r.status, 303, r.body.decode())
        r = self.admin.post(path + "/trainings", {"kind": "update", "title": "Journée annuelle",
                                                  "attended_on": self.today.isoformat()})
        self.assertEqual(r.status, 303, r.body.decode())
        self.assertEqual(len(self.srv.sql("SELECT id FROM config_changes WHERE "
                                          "object_type='partner_training'")), 2)
        body = self.supervisor.send("GET", path).body.decode()
        self.assertIn("Tout le personnel a suivi une formation", body)
        mine = next(x for x in self.overview_csv(self.supervisor)
                    if x["Partenaire"] == "Mairie de Lille")
        self.assertEqual(mine["Personnes à former"], "0")
        self.assertEqual(mine["Dernière journée d’actualisation"], self.today.isoformat())
        # The partner sees its own.
        home = self.trainee.send("GET", "/partner/").body.decode()
        self.assertIn("Parcours caf.fr", home)
        self.assertIn("Journée annuelle", home)


if __name__ == "__main__":
    unittest.main()
