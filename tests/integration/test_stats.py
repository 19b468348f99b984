"""Statistics (issue 14, docs/STATISTICS.md): the console page is live, the CSV export opens in
Python's csv module with every line, formula cells are neutralised, contact data only when an
administrator asks (and then journalled), an agent sees only their own lines, another
organisation's data never."""

import csv
import io
import os
import re
import sqlite3
import unittest

from harness import Demo, Server, source_dir, spread_slots
from staff import AGENT, GOOD, Browser, cli, set_password, sign_in_with_totp

OTHER = "capac-liege"
ADMIN = "admin@demo.visioguichet.test"
OTHER_ADMIN = "admin@capac.example"
EVIL_FIRST = '=HYPERLINK("http://evil.example/","x")'
EVIL_LAST = "@SUM(1)"


def rows_of(response):
    body = response.body.decode("utf-8")
    assert body.startswith("\ufeff"), body[:20]
    return list(csv.DictReader(io.StringIO(body[1:], newline="")))


class Stats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server().prepare()
        r = cli(srv, "import", os.path.join(source_dir(), "examples", "organisation.json"))
        assert r.returncode == 0, r.stderr
        for email, org in ((ADMIN, "demo"), (OTHER_ADMIN, OTHER)):
            r = cli(srv, "user", "add", "--org", org, "--email", email, "--role", "admin")
            assert r.returncode == 0, r.stderr
        for email in (AGENT, ADMIN, OTHER_ADMIN):
            set_password(srv, email, GOOD)
        srv.start()
        cls.demo = Demo(srv)
        cls.motif = cls.demo.video_motif()
        cls.slots = spread_slots(cls.demo.slots(cls.motif["id"]), 12)
        cls.used = 0
        # The booking forms refuse such names (invalid characters): a cancellation reason
        # that is a formula goes through them, and names written by an import (here, SQL
        # beside the server) stand for the rest.
        first = cls.book()
        r = cls.demo.cancel(first.json["token"], EVIL_FIRST)
        assert r.status == 200, r
        cls.book()
        cls.book()
        conn = sqlite3.connect(srv.db, timeout=30)
        try:
            conn.execute("UPDATE appointments SET citizen_first_name = ?, citizen_last_name = ? "
                         "WHERE id = (SELECT MAX(id) FROM appointments)", (EVIL_FIRST, EVIL_LAST))
            conn.commit()
        finally:
            conn.close()
        other = Demo(srv)
        other.ORG = OTHER
        omotif = [m for m in other.motifs() if "video" in m["channels"]][0]
        r = other.book(omotif["id"], other.slots(omotif["id"], days=40)[0],
                       first_name="Autre", last_name="Organisation",
                       email="autre@example.org")
        assert r.status == 201, r
        cls.other_id = srv.sql("SELECT MAX(id) FROM appointments")[0][0]
        cls.agent = Browser(srv)
        assert cls.agent.login(AGENT, GOOD).status == 303
        cls.admin = Browser(srv)
        sign_in_with_totp(cls.admin, ADMIN, GOOD)
        cls.other_admin = Browser(srv)
        sign_in_with_totp(cls.other_admin, OTHER_ADMIN, GOOD)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    @classmethod
    def book(cls, **citizen):
        slot = cls.slots[cls.used]
        cls.used += 1
        r = cls.demo.book(cls.motif["id"], slot, **citizen)
        assert r.status == 201, r
        return r

    def demo_ids(self):
        return {str(x[0]) for x in self.srv.sql(
            "SELECT a.id FROM appointments a JOIN organisations o ON o.id = a.organisation_id "
            "WHERE o.slug = 'demo'")}

    def bookings_shown(self, browser):
        r = browser.send("GET", "/console/stats?lang=en")
        self.assertEqual(r.status, 200, r)
        m = re.search(r'<dt>Bookings</dt><dd><span class="stats-number">(\d+)</span>',
                      r.body.decode())
        self.assertIsNotNone(m, r.body.decode()[:3000])
        return int(m.group(1))

    def test_figures_are_live(self):
        before = self.bookings_shown(self.admin)
        self.book()
        self.assertEqual(self.bookings_shown(self.admin), before + 1)

    def test_page_has_charts_with_tables_and_no_script(self):
        r = self.admin.send("GET", "/console/stats?lang=fr")
        self.assertEqual(r.status, 200, r)
        page = r.body.decode()
        self.assertIn("<svg", page)
        self.assertIn('<div class="visually-hidden"><table>', page)
        # No script of its own: the layout's progressive enhancement (app.js) only.
        self.assertEqual(page.count("<script"), 1)
        self.assertIn('<script type="module" src="/static/app.js">', page)
        for lang in ("en", "nl", "de"):
            self.assertEqual(self.admin.send("GET", "/console/stats?lang=" + lang).status, 200)

    def test_export_without_contacts(self):
        audits = self.srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                              "'stats.export_contacts'")[0][0]
        r = self.admin.send("GET", "/console/stats/export.csv")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", r.header("Content-Disposition"))
        rows = rows_of(r)
        self.assertEqual({x["id"] for x in rows}, self.demo_ids())
        self.assertNotIn("email", rows[0])
        self.assertNotIn("first_name", rows[0])
        body = r.body.decode()
        self.assertEqual([x["cancel_reason"] for x in rows if x["cancel_reason"]],
                         ["'" + EVIL_FIRST])
        self.assertNotIn(EVIL_LAST, body)
        self.assertNotIn("camille.test@example.org", body)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                                      "'stats.export_contacts'")[0][0], audits)

    def test_export_with_contacts_is_neutralised_and_journalled(self):
        r = self.admin.send("GET", "/console/stats/export.csv?contacts=1")
        self.assertEqual(r.status, 200, r)
        rows = rows_of(r)
        self.assertEqual({x["id"] for x in rows}, self.demo_ids())
        evil = [x for x in rows if "HYPERLINK" in x["first_name"]]
        self.assertEqual(len(evil), 1)
        self.assertEqual(evil[0]["first_name"], "'" + EVIL_FIRST)
        self.assertEqual(evil[0]["last_name"], "'" + EVIL_LAST)
        for row in rows:
            self.assertEqual(len(row), len(rows[0]))
            for cell in row.values():
                self.assertFalse(cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell)
        self.assertIn("camille.test@example.org", {x["email"] for x in rows})
        admin_id = self.srv.sql("SELECT id FROM accounts WHERE email = ?", (ADMIN,))[0][0]
        journal = self.srv.sql("SELECT actor, detail FROM audit_log WHERE action = "
                               "'stats.export_contacts' ORDER BY id DESC LIMIT 1")
        self.assertEqual(journal[0][0], "account:%d" % admin_id)
        self.assertIn('"lines":%d' % len(rows), journal[0][1])

    def test_agent_sees_own_lines_only_and_no_contacts(self):
        agent_id = self.srv.sql("SELECT agent_id FROM memberships m JOIN accounts a ON "
                                "a.id = m.account_id WHERE a.email = ?", (AGENT,))[0][0]
        own = {str(x[0]) for x in self.srv.sql(
            "SELECT id FROM appointments WHERE agent_id = ?", (agent_id,))}
        r = self.agent.send("GET", "/console/stats/export.csv?contacts=1")
        self.assertEqual(r.status, 200, r)
        rows = rows_of(r)
        self.assertEqual({x["id"] for x in rows}, own)
        self.assertNotIn("email", r.body.decode().splitlines()[0])
        colleague = self.srv.sql("SELECT MIN(id) FROM agents WHERE id <> ? AND organisation_id "
                                 "= (SELECT organisation_id FROM agents WHERE id = ?)",
                                 (agent_id, agent_id))[0][0]
        self.assertEqual(self.agent.send("GET", "/console/stats?agent=%d" % colleague).status,
                         404)
        self.assertEqual(
            self.agent.send("GET", "/console/stats/export.csv?agent=%d" % colleague).status, 404)

    def test_another_organisation_never(self):
        rows = rows_of(self.admin.send("GET", "/console/stats/export.csv?contacts=1"))
        self.assertNotIn(str(self.other_id), {x["id"] for x in rows})
        self.assertNotIn("autre@example.org", {x["email"] for x in rows})
        other = rows_of(self.other_admin.send("GET", "/console/stats/export.csv?contacts=1"))
        self.assertEqual({x["id"] for x in other}, {str(self.other_id)})
        other_site = self.srv.sql("SELECT MIN(s.id) FROM sites s JOIN organisations o ON "
                                  "o.id = s.organisation_id WHERE o.slug = ?", (OTHER,))[0][0]
        self.assertEqual(self.admin.send("GET", "/console/stats?site=%d" % other_site).status,
                         404)

    def test_bad_period_is_said(self):
        r = self.admin.send("GET", "/console/stats?from=2026-02-30&to=x&lang=en")
        self.assertEqual(r.status, 400)
        self.assertIn("Invalid period", r.body.decode())
        r = self.admin.send("GET", "/console/stats/export.csv?from=2026-05-01&to=2026-04-01")
        self.assertEqual(r.status, 400)


    def page_period(self):
        """The default period of the page (the organisation's last 30 days)."""
        page = self.admin.send("GET", "/console/stats").body.decode()
        return (re.search(r'name="from" type="date" value="([0-9-]+)"', page).group(1),
                re.search(r'name="to" type="date" value="([0-9-]+)"', page).group(1))

    def api(self, key, query="", org="demo"):
        q = "from=%s&to=%s" % self.page_period()
        headers = {"Authorization": "Bearer " + key} if key is not None else {}
        return self.srv.request("GET", "/api/v1/orgs/%s/stats?%s%s" % (org, q, query),
                                headers=headers)

    def new_key(self, org, name):
        r = cli(self.srv, "apikey", "create", "--org", org, "--name", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        key = r.stdout.strip()
        self.assertTrue(key.startswith("vgs_"), key)
        # Hashed at rest: the key itself is nowhere in the database.
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM api_keys WHERE key_hash = ? "
                                      "OR name = ?", (key, key))[0][0], 0)
        return key

    def test_api_gives_the_pages_figures(self):
        key = self.new_key("demo", "Tableau de bord")
        r = self.api(key)
        self.assertEqual(r.status, 200, r)
        j = r.json
        for field in ("bookings", "held", "no_shows", "cancelled", "by_channel", "by_origin",
                      "median_booking_delay_days", "satisfaction"):
            self.assertIn(field, j)
        self.assertEqual(j["bookings"], self.bookings_shown(self.admin))
        self.assertEqual(j["by_channel"].get("video"), j["bookings"])
        self.assertEqual(self.api(key, "&channel=phone").json["bookings"], 0)
        self.assertEqual(self.api(key, "&channel=fax").status, 400)
        self.assertEqual(self.api(key, "&site=999999").status, 400)

    def test_api_refuses_missing_revoked_and_other_organisations_keys(self):
        self.assertEqual(self.api(None).status, 401)
        self.assertEqual(self.api("vgs_" + "A" * 43).status, 401)
        other = self.new_key(OTHER, "Autre")
        r = self.api(other)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), "Bearer")
        self.assertEqual(self.api(other, org=OTHER).status, 200)
        key = self.new_key("demo", "A revoquer")
        self.assertEqual(self.api(key).status, 200)
        key_id = self.srv.sql("SELECT MAX(id) FROM api_keys")[0][0]
        page = self.admin.send("GET", "/console/stats?lang=en").body.decode()
        self.assertIn("A revoquer", page)
        # Another organisation's administrator cannot revoke it.
        self.assertEqual(self.other_admin.post("/console/stats/keys/%d/revoke" % key_id).status,
                         404)
        self.assertEqual(self.api(key).status, 200)
        r = self.admin.post("/console/stats/keys/%d/revoke" % key_id)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.api(key).status, 401)
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM config_changes WHERE object_type = "
                                      "'api_key' AND object_id = ? AND action = 'delete'",
                                      (key_id,))[0][0], 1)

if __name__ == "__main__":
    unittest.main()
