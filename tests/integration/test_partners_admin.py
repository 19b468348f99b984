"""Partner structures (issue 15, partner-admin; docs/PARTNERS.md): the CLI (`partner create`,
`partner list`, `user add --role partner --partner ID` with its refusals), the administration
pages under /console/admin/partners (administrators write, supervisors read, another
organisation's partner 404, refused forms 422 in the page's language with nothing written,
every write journalled), the label's grant and withdrawal, the convention notice reminder
received through the SMTP sink, once, and the overdue report's e-mail to the partner's staff
and the administrators, once, not sent when the report was submitted meanwhile."""

import datetime
import re
import sqlite3
import unittest

from admin_login import staff_with_totp
from harness import Server, require, wait_until
from staff import cli

ADMIN = "admin@demo.visioguichet.test"
SUPERVISOR = "chef@demo.visioguichet.test"


def changes(srv, object_type, object_id):
    return srv.sql("SELECT action FROM config_changes WHERE object_type=? AND object_id=? "
                   "ORDER BY id", (object_type, object_id))


def count(srv, table):
    return srv.sql("SELECT COUNT(*) FROM %s" % table)[0][0]


class PartnerCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server().prepare()
        r = cli(cls.srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr

    def test_create_list_and_partner_role(self):
        srv = self.srv
        r = cli(srv, "partner", "create", "--org", "demo", "--name", "Mairie de Lille",
                "--town", "Lille")
        self.assertEqual(r.returncode, 0, r.stderr)
        mine = int(r.stdout.strip())
        r = cli(srv, "partner", "create", "--org", "other", "--name", "Mairie de Liège")
        theirs = int(r.stdout.strip())
        # The same name twice in one organisation: refused, in English, nothing written.
        r = cli(srv, "partner", "create", "--org", "demo", "--name", "Mairie de Lille")
        self.assertEqual(r.returncode, 2)
        self.assertIn("A partner already has this name", r.stderr)
        r = cli(srv, "partner", "list", "--org", "demo")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip().split("\n"),
                         ["%d\tMairie de Lille\tLille\tnone\t-" % mine])
        # The partner role names a partner of its organisation; no other role names one.
        base = ["user", "add", "--org", "demo", "--email", "aide@mairie.test"]
        refusals = [
            (base + ["--role", "partner"], "--role partner needs --partner"),
            (base + ["--role", "partner", "--partner", str(theirs)], "no partner %d" % theirs),
            (base + ["--role", "partner", "--partner", "999999"], "no partner 999999"),
            (base + ["--role", "agent", "--partner", str(mine)], "only with --role partner"),
        ]
        for args, message in refusals:
            r = cli(srv, *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(message, r.stderr)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM accounts WHERE email=?",
                                 ("aide@mairie.test",))[0][0], 0)
        r = cli(srv, *base, "--role", "partner", "--partner", str(mine))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(srv.sql("SELECT m.role, m.partner_id FROM memberships m JOIN accounts a "
                                 "ON a.id = m.account_id WHERE a.email=?",
                                 ("aide@mairie.test",)), [("partner", mine)])


class PartnerPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        r = cli(cls.srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr
        r = cli(cls.srv, "partner", "create", "--org", "other", "--name", "Ailleurs")
        cls.theirs = int(r.stdout.strip())
        cls.srv.start()
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")
        cls.supervisor = staff_with_totp(cls.srv, SUPERVISOR, "supervisor")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def create(self, name):
        r = self.admin.post("/console/admin/partners", {"name": name, "town": "Arras"})
        self.assertEqual(r.status, 303, r.body.decode())
        return int(re.search(r"/partners/(\d+)", r.header("Location")).group(1))

    def test_administrator_builds_a_partner_and_supervisor_reads(self):
        srv, admin = self.srv, self.admin
        pid = self.create("Centre social Arras")
        page = "/console/admin/partners/%d" % pid
        # A site.
        r = admin.post(page + "/sites", {"name": "Accueil", "address": "1 rue Haute",
                                         "postcode": "62000", "town": "Arras",
                                         "time_zone": "Europe/Paris", "step_free": "1",
                                         "accessibility": "Rampe", "equipment": "2 PC",
                                         "video_desk": "1"})
        self.assertEqual(r.status, 303, r.body.decode())
        site = srv.sql("SELECT id, step_free, video_desk, equipment FROM partner_sites "
                       "WHERE partner_id=?", (pid,))
        self.assertEqual(site[0][1:], (1, 1, "2 PC"))
        # The label with its convention.
        r = admin.post(page + "/label", {"signed_on": "2026-03-15", "term_months": "12",
                                         "reporting_period": "quarter", "option_visio": "1",
                                         "director_name": "C. Directrice",
                                         "responsible_email": "resp@arras.test"})
        self.assertEqual(r.status, 303, r.body.decode())
        body = admin.send("GET", page).body.decode()
        self.assertIn("labellisé", body)
        self.assertIn("14 mars", body)  # the current term's last day (2027 or later)
        # The action plan.
        r = admin.post(page + "/actions", {"item": "Afficher le certificat", "owner": "Accueil",
                                           "due_on": "2026-12-31"})
        self.assertEqual(r.status, 303)
        action = srv.sql("SELECT a.id FROM convention_actions a JOIN conventions c ON "
                         "c.id = a.convention_id WHERE c.partner_id=?", (pid,))[0][0]
        r = admin.post(page + "/actions/%d/done" % action, {"done": "1"})
        self.assertEqual(r.status, 303)
        self.assertIsNotNone(srv.sql("SELECT done_at FROM convention_actions WHERE id=?",
                                     (action,))[0][0])
        # The list.
        listing = admin.send("GET", "/console/admin/partners").body.decode()
        self.assertIn("Centre social Arras", listing)
        # A supervisor reads, without forms, and cannot write.
        r = self.supervisor.send("GET", page)
        self.assertEqual(r.status, 200)
        self.assertNotIn('action="%s/withdraw"' % page, r.body.decode())
        self.assertEqual(self.supervisor.post(page + "/withdraw", {"ground": "commitment",
                                                                   "reason": "x"}).status, 403)
        # Withdrawal: a reason is required (422, French, nothing written), then it ends the
        # convention.
        before = count(srv, "label_events")
        r = admin.post(page + "/withdraw", {"ground": "commitment", "reason": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("ce champ est obligatoire", r.body.decode())
        self.assertEqual(count(srv, "label_events"), before)
        r = admin.post(page + "/withdraw", {"ground": "indicators", "reason": "Aucun rapport"})
        self.assertEqual(r.status, 303)
        self.assertEqual(srv.sql("SELECT end_reason FROM conventions WHERE partner_id=?",
                                 (pid,)), [("withdrawn",)])
        self.assertIn("label retiré", admin.send("GET", page).body.decode())
        # Every write journalled.
        self.assertEqual(changes(srv, "partner", pid), [("create",)])
        self.assertEqual(changes(srv, "partner_site", site[0][0]), [("create",)])
        self.assertEqual(changes(srv, "label", pid), [("create",), ("update",)])
        self.assertEqual(changes(srv, "convention_action", action), [("create",), ("update",)])

    def test_refused_forms_and_other_organisations_ids(self):
        srv, admin = self.srv, self.admin
        pid = self.create("Médiathèque")
        page = "/console/admin/partners/%d" % pid
        before = srv.sql("SELECT COUNT(*) FROM config_changes")[0][0]
        r = admin.post(page + "/label", {"signed_on": "2026-02-30", "term_months": "500"})
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        self.assertIn('id="grant-signed_on-error"', body)
        self.assertIn('id="grant-term_months-error"', body)
        r = admin.post("/console/admin/partners", {"name": "Médiathèque"})
        self.assertEqual(r.status, 422)
        self.assertIn("Un partenaire porte déjà ce nom", r.body.decode())
        r = admin.post(page + "/sites", {"name": "", "time_zone": "Mars/Olympus"})
        self.assertEqual(r.status, 422)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM config_changes")[0][0], before)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM conventions WHERE partner_id=?", (pid,))[0][0], 0)
        # Another organisation's partner: 404 for every page and form.
        theirs = "/console/admin/partners/%d" % self.theirs
        for path in (theirs, theirs + "/sites/new"):
            self.assertEqual(admin.send("GET", path).status, 404, path)
        for path in ("", "/sites", "/staff", "/label", "/convention", "/withdraw", "/actions"):
            self.assertEqual(admin.post(theirs + path, {"name": "x", "signed_on": "2026-01-01",
                                                        "email": "x@y.test"}).status, 404, path)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM config_changes")[0][0], before)

    def test_staff_invitation_gives_the_partner_role(self):
        srv, admin = self.srv, self.admin
        pid = self.create("France Services Béthune")
        page = "/console/admin/partners/%d" % pid
        r = admin.post(page + "/staff", {"email": "helper@bethune.test", "name": "Camille"})
        self.assertEqual(r.status, 303, r.body.decode())
        self.assertEqual(srv.sql("SELECT m.role, m.partner_id FROM memberships m JOIN accounts a "
                                 "ON a.id = m.account_id WHERE a.email='helper@bethune.test'"),
                         [("partner", pid)])
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='account_invitation'"
                                 )[0][0] >= 1, True)
        self.assertIn("helper@bethune.test", admin.send("GET", page).body.decode())
        # An agent of the organisation cannot become partner staff.
        r = admin.post(page + "/staff", {"email": ADMIN})
        self.assertEqual(r.status, 422)

    def test_motif_open_to_partners(self):
        srv, admin = self.srv, self.admin
        motif = srv.sql("SELECT id FROM motifs WHERE organisation_id = (SELECT id FROM "
                        "organisations WHERE slug='demo') ORDER BY id LIMIT 1")[0][0]
        form = admin.send("GET", "/console/admin/motifs/%d" % motif).body.decode()
        self.assertIn('name="open_to_partners"', form)
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
        fields = {k: v for k, v in fields.items() if k != "csrf"}
        for k in re.findall(r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="1"[^>]*checked', form):
            fields[k] = "1"
        for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form):
            fields[name] = value
        fields["open_to_partners"] = "1"
        r = admin.post("/console/admin/motifs/%d" % motif, fields)
        self.assertEqual(r.status, 303, r.body.decode()[:2000])
        self.assertEqual(srv.sql("SELECT open_to_partners FROM motifs WHERE id=?", (motif,)),
                         [(1,)])


class NoticeReminder(unittest.TestCase):
    """A convention whose notice deadline is a week away: the administrator and the partner's
    responsible person each receive one e-mail; a restart sends nothing again."""

    def test_both_sides_receive_it_once(self):
        require("aiosmtpd", "python3-aiosmtpd")
        from smtp_sink import SmtpSink
        sink = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", sink.url]).prepare()
        try:
            r = cli(srv, "user", "add", "--org", "demo", "--email", ADMIN, "--role", "admin")
            self.assertEqual(r.returncode, 0, r.stderr)
            r = cli(srv, "partner", "create", "--org", "demo", "--name", "Mairie d'Arras")
            pid = int(r.stdout.strip())
            # Signed nine months less a week ago: the notice deadline (three months before
            # the year's end) is a week away, inside the two weeks' reminder window.
            today = datetime.date.today()
            signed = today - datetime.timedelta(days=365 - 92 - 7)
            epoch_day = (signed - datetime.date(1970, 1, 1)).days
            conn = sqlite3.connect(srv.db, timeout=30)
            try:
                conn.execute(
                    "INSERT INTO conventions (partner_id, organisation_id, signed_on, "
                    "responsible_name, responsible_email, created_by, created_at) VALUES "
                    "(?, (SELECT id FROM organisations WHERE slug='demo'), ?, 'Dominique', "
                    "'direction@arras.test', 'test', 0)", (pid, epoch_day))
                conn.commit()
            finally:
                conn.close()
            srv.start()
            mails = sink.wait_for(2, timeout=60)
            by_rcpt = {m.rcpt_tos[0]: m for m in mails}
            self.assertEqual(set(by_rcpt), {ADMIN, "direction@arras.test"})
            self.assertIn("Mairie d'Arras", by_rcpt["direction@arras.test"].subject)
            text = by_rcpt[ADMIN].message.get_body(("plain",)).get_content()
            self.assertIn("reconduite tacitement", text)
            self.assertIn("/console/admin/partners/%d" % pid, text)
            self.assertEqual(count(srv, "convention_reminders"), 1)
            wait_until(lambda: srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_notice' "
                                       "AND status='sent'")[0][0] == 2, 30, "both sent")
            self.assertEqual(srv.stop(), 0)
            srv.start()
            self.assertEqual(srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_notice'"
                                     )[0][0], 2)
            self.assertEqual(sink.count(), 2)
        finally:
            srv.stop()
            sink.stop()


def paris_today():
    from zoneinfo import ZoneInfo
    return datetime.datetime.now(ZoneInfo("Europe/Paris")).date()


def newest_month_due(today):
    """The newest month whose report is overdue on `today`: due by the 10th of the next
    month, included (docs/PARTNERS.md)."""
    first = today.replace(day=1)
    back = 1 if today.day > 10 else 2
    for _ in range(back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


class OverdueReport(unittest.TestCase):
    """A monthly convention signed 100 days ago whose newest report due is not submitted: the
    partner's staff and the administrator each receive one e-mail (period, deadline, link); a
    restart sends nothing again. A report submitted before the sender took the messages: the
    sender drops them."""

    def setUp(self):
        require("aiosmtpd", "python3-aiosmtpd")
        from smtp_sink import SmtpSink
        self.sink = SmtpSink().start()
        self.addCleanup(self.sink.stop)

    def prepare(self, extra_args):
        srv = Server(extra_args=extra_args).prepare()
        self.addCleanup(srv.stop)
        r = cli(srv, "user", "add", "--org", "demo", "--email", ADMIN, "--role", "admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = cli(srv, "partner", "create", "--org", "demo", "--name", "Mairie d'Arras")
        pid = int(r.stdout.strip())
        r = cli(srv, "user", "add", "--org", "demo", "--email", "aide@arras.test", "--role",
                "partner", "--partner", str(pid))
        self.assertEqual(r.returncode, 0, r.stderr)
        today = paris_today()
        epoch_day = (today - datetime.timedelta(days=100) - datetime.date(1970, 1, 1)).days
        conn = sqlite3.connect(srv.db, timeout=30)
        try:
            org = "(SELECT id FROM organisations WHERE slug='demo')"
            cur = conn.execute(
                "INSERT INTO conventions (partner_id, organisation_id, signed_on, "
                "reporting_period, created_by, created_at) VALUES (?, %s, ?, 'month', 'test', 0)"
                % org, (pid, epoch_day))
            conn.execute(
                "INSERT INTO label_events (partner_id, organisation_id, convention_id, kind, "
                "actor, at) VALUES (?, %s, ?, 'granted', 'test', 0)" % org, (pid, cur.lastrowid))
            conn.commit()
        finally:
            conn.close()
        return srv, pid, newest_month_due(today)

    def test_both_sides_receive_it_once(self):
        srv, pid, month = self.prepare(["--smtp-url", self.sink.url])
        period = month.strftime("%Y-%m")
        deadline_year = month.year + (month.month == 12)
        srv.start()
        mails = self.sink.wait_for(2, timeout=60)
        by_rcpt = {m.rcpt_tos[0]: m for m in mails}
        self.assertEqual(set(by_rcpt), {ADMIN, "aide@arras.test"})
        for m in mails:
            self.assertIn(period, m.subject)
            self.assertIn("Mairie d'Arras", m.subject)
            text = m.message.get_body(("plain",)).get_content()
            self.assertRegex(text, r"au plus tard le \w+ 10 \w+ %d\." % deadline_year)
        staff = by_rcpt["aide@arras.test"].message.get_body(("plain",)).get_content()
        self.assertIn("/partner/reports/%s" % period, staff)
        manager = by_rcpt[ADMIN].message.get_body(("plain",)).get_content()
        self.assertIn("/console/partners/%d" % pid, manager)
        self.assertEqual(srv.sql("SELECT partner_id, period FROM partner_report_reminders"),
                         [(pid, period)])
        wait_until(lambda: srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_overdue' "
                                   "AND status='sent'")[0][0] == 2, 30, "both sent")
        self.assertEqual(srv.stop(), 0)
        srv.start()
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_overdue'"
                                 )[0][0], 2)
        self.assertEqual(self.sink.count(), 2)

    def test_not_sent_when_the_report_came_meanwhile(self):
        # Queued by a server that does not send, then the report arrives before a sender runs.
        srv, pid, month = self.prepare(["--outbox-threads", "0"])
        period = month.strftime("%Y-%m")
        srv.start()
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_overdue' "
                                 "AND status='pending'")[0][0], 2)
        self.assertEqual(srv.stop(), 0)
        srv.write("INSERT INTO partner_reports (partner_id, organisation_id, period, "
                  "submitted_at, late) VALUES (?, (SELECT id FROM organisations WHERE "
                  "slug='demo'), ?, 0, 1)", (pid, period))
        srv.extra_args = ["--smtp-url", self.sink.url]
        srv.start()
        wait_until(lambda: srv.sql("SELECT COUNT(*) FROM outbox WHERE kind='partner_overdue' "
                                   "AND status='cancelled' AND last_error='report submitted'"
                                   )[0][0] == 2, 30, "both dropped")
        self.assertEqual(self.sink.count(), 0)


if __name__ == "__main__":
    unittest.main()
