"""Statistics (issue 14, docs/STATISTICS.md): the console page is live, the CSV export opens in
Python's csv module with every line, formula cells are neutralised, contact data only when an
administrator asks (and then journalled), an agent sees only their own lines, another
organisation's data never."""

import csv
import datetime
import http.client
import io
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from harness import Demo, Response, Server, require, spread_slots, wait_until
from staff import ADMIN, AGENT, OTHER, agent_and_admins, cli, two_organisations

EVIL_FIRST = '=HYPERLINK("http://evil.example/","x")'
EVIL_LAST = "@SUM(1)"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def soffice():
    """LibreOffice's command (Debian libreoffice-calc-nogui); never skipped when missing."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        raise RuntimeError("LibreOffice is missing: install Debian's libreoffice-calc-nogui")
    return path


def convert(data, suffix, target):
    """LibreOffice headless converts the file (bytes, a .csv read as UTF-8 with commas, or an
    .xlsx) to `target` (its --convert-to argument); returns the converted file's bytes."""
    work = tempfile.mkdtemp(prefix="vg-lo-")
    try:
        source = os.path.join(work, "export" + suffix)
        with open(source, "wb") as f:
            f.write(data)
        out = os.path.join(work, "out")
        cmd = [soffice(), "-env:UserInstallation=file://" + os.path.join(work, "profile"),
               "--headless", "--norestore", "--convert-to", target, "--outdir", out]
        if suffix == ".csv":
            # Comma, double quote, UTF-8 (76), from line 1, special numbers detected and
            # formulas evaluated (the 13th token), as when a person opens the file: a cell
            # beginning with "=" would become a formula.
            cmd += ["--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,,true"]
        r = subprocess.run(cmd + [source], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=180)
        names = os.listdir(out) if os.path.isdir(out) else []
        assert r.returncode == 0 and len(names) == 1, (r.returncode, r.stdout, names)
        with open(os.path.join(out, names[0]), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(work, True)


def same_cell(csv_text, value):
    """True when a spreadsheet's cell value (openpyxl: str, int, float, datetime, None) is
    the CSV's text: numbers and times typed, strings as written (a neutralised CSV cell has a
    quote in front that a typed string cell does not need)."""
    if value is None:
        return csv_text == ""
    if isinstance(value, datetime.datetime):
        return datetime.datetime.fromisoformat(csv_text).replace(tzinfo=None) == value
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        # A whole number with two decimals in the CSV ("3.00") is read back as an int.
        return csv_text == str(value) or ("." in csv_text and float(csv_text) == value)
    if isinstance(value, float):
        return abs(float(csv_text) - value) < 1e-9
    return csv_text == value or (value[:1] in FORMULA_STARTS and csv_text == "'" + value)


def rows_of(response):
    body = response.body.decode("utf-8")
    assert body.startswith("\ufeff"), body[:20]
    return list(csv.DictReader(io.StringIO(body[1:], newline="")))


class Stats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server().prepare()
        two_organisations(srv)
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
        cls.agent, cls.admin, cls.other_admin = agent_and_admins(srv)

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

    def test_video_figures_agree_on_page_export_and_api(self):
        """The room's journal (written here as the hub writes it) counts the same on the page,
        in the CSV export and in the API."""
        appointment, org, start = self.srv.sql(
            "SELECT a.id, a.organisation_id, a.starts_at FROM appointments a JOIN organisations "
            "o ON o.id = a.organisation_id WHERE o.slug = 'demo' AND a.status = 'booked' "
            "ORDER BY a.id LIMIT 1")[0]
        events = [(start - 120, "citizen", "c1", "joined", '{"browser":"firefox"}'),
                  (start - 100, "agent", "a1", "joined", '{"browser":"chrome"}'),
                  (start + 60, "agent", "a1", "admitted", '{"participant":"c1"}'),
                  (start + 70, "citizen", "c1", "connected", '{"detail":"relay"}'),
                  (start + 80, "citizen", "c1", "ice_restart", '{"detail":"failed"}'),
                  (start + 1260, "agent", "a1", "ended", "")]
        conn = sqlite3.connect(self.srv.db, timeout=30)
        try:
            conn.executemany("INSERT INTO room_events (appointment_id, organisation_id, at, role, "
                             "participant, kind, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [(appointment, org) + e for e in events])
            conn.commit()
        finally:
            conn.close()
        day = datetime.datetime.fromtimestamp(start, datetime.timezone.utc).date()
        period = "from=%s&to=%s" % (day - datetime.timedelta(days=2),
                                    day + datetime.timedelta(days=2))
        key = self.new_key("demo", "Video")
        r = self.srv.request("GET", "/api/v1/orgs/demo/stats?" + period,
                             headers={"Authorization": "Bearer " + key})
        self.assertEqual(r.status, 200, r)
        video = r.json["video"]
        self.assertEqual(video["calls"], 1)
        self.assertEqual(video["median_wait_seconds"], 180)
        self.assertEqual(video["median_call_seconds"], 1200)
        self.assertEqual(video["ice_restarts"], 1)
        self.assertEqual(video["relayed_share"], 1.0)
        self.assertEqual(video["by_browser"]["firefox"]["calls"], 1)
        self.assertIn("load", r.json)
        self.assertIn("first_slot", r.json)
        lines = rows_of(self.admin.send("GET", "/console/stats/export.csv?" + period))
        line = [x for x in lines if x["id"] == str(appointment)][0]
        self.assertEqual((line["room_wait_minutes"], line["call_minutes"], line["browser"],
                          line["relayed"], line["ice_restarts"]),
                         ("3.00", "20.00", "firefox", "yes", "1"))
        others = [x for x in lines if x["id"] != str(appointment)]
        self.assertTrue(all(x["browser"] == "" and x["room_wait_minutes"] == "" for x in others))
        page = self.admin.send("GET", "/console/stats?lang=en&" + period).body.decode()
        self.assertIn("<th scope=\"row\">Video calls</th><td>1</td>", page)
        self.assertIn("<td>3.0 min</td>", page)
        self.assertIn("<th scope=\"row\">Firefox</th><td>1</td>", page)

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

    # --- XLSX export and LibreOffice (exports helper) -----------------------------------------

    def test_sms_segments_on_the_page_and_in_the_api(self):
        key = self.new_key("demo", "Segments")
        before = self.api(key).json
        self.assertIn("sms_segments", before)
        # An SMS of three segments, recorded as the sender records it (the unit test
        # OutboxTest.AnSmsSentRecordsItsSegments covers the sender).
        conn = sqlite3.connect(self.srv.db, timeout=30)
        try:
            conn.execute(
                "INSERT INTO outbox (organisation_id, idempotency_key, kind, channel, payload, "
                "status, due_at, next_attempt_at, created_at, sent_at, sms_segments) "
                "SELECT id, 'stats-segments', 'reminder', 'sms', '{}', 'sent', "
                "strftime('%s','now'), strftime('%s','now'), strftime('%s','now'), "
                "strftime('%s','now'), 3 FROM organisations WHERE slug = 'demo'")
            conn.commit()
        finally:
            conn.close()
        after = self.api(key).json
        self.assertEqual(after["sms_segments"], before["sms_segments"] + 3)
        self.assertEqual(sum(m["sms_segments"] for m in after["messages"].values()),
                         after["sms_segments"])
        page = self.admin.send("GET", "/console/stats?lang=en").body.decode()
        self.assertIn("SMS segments (cost)", page)

    def xlsx_sheet(self, browser, query=""):
        openpyxl = require("openpyxl", "python3-openpyxl")
        r = browser.send("GET", "/console/stats/export.xlsx" + query)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), XLSX_TYPE)
        self.assertIn(".xlsx", r.header("Content-Disposition"))
        return r.body, openpyxl.load_workbook(io.BytesIO(r.body)).active

    def assert_same_as_csv(self, sheet, csv_rows, header):
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(values[0]), header)
        self.assertEqual(len(values) - 1, len(csv_rows))
        for line, (got, want) in enumerate(zip(values[1:], csv_rows), start=2):
            self.assertEqual(len(got), len(header), line)
            for column, value in zip(header, got):
                self.assertTrue(same_cell(want[column], value),
                                "line %d %s: xlsx %r, csv %r" % (line, column, value,
                                                                  want[column]))

    def test_xlsx_has_the_csv_lines_typed(self):
        for query in ("", "?contacts=1", "?channel=video&origin=citizen"):
            with self.subTest(query=query):
                csv_response = self.admin.send("GET", "/console/stats/export.csv" + query)
                header = csv_response.body.decode("utf-8")[1:].split("\r\n")[0].split(",")
                csv_rows = rows_of(csv_response)
                _, sheet = self.xlsx_sheet(self.admin, query)
                self.assert_same_as_csv(sheet, csv_rows, header)
        _, sheet = self.xlsx_sheet(self.admin, "?contacts=1")
        header = [c.value for c in sheet[1]]
        types = {}
        for row in sheet.iter_rows(min_row=2):
            for name, cell in zip(header, row):
                if cell.value is not None:
                    types.setdefault(name, set()).add(type(cell.value).__name__)
                self.assertNotEqual(cell.data_type, "f", (name, cell.value))
        self.assertEqual(types["id"], {"int"})
        self.assertEqual(types["starts_at"], {"datetime"})
        self.assertEqual(types["booked_at"], {"datetime"})
        self.assertLessEqual(types["booking_delay_days"], {"float", "int"})
        self.assertEqual(types["status"], {"str"})
        # The formulas are strings, as they were typed.
        self.assertIn(EVIL_FIRST, [row[header.index("first_name")]
                                   for row in sheet.iter_rows(values_only=True)])

    def test_xlsx_contacts_like_the_csv(self):
        audits = self.srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                              "'stats.export_contacts'")[0][0]
        _, sheet = self.xlsx_sheet(self.admin)
        self.assertNotIn("email", [c.value for c in sheet[1]])
        _, sheet = self.xlsx_sheet(self.agent, "?contacts=1")
        self.assertNotIn("email", [c.value for c in sheet[1]])
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                                      "'stats.export_contacts'")[0][0], audits)
        _, sheet = self.xlsx_sheet(self.admin, "?contacts=1")
        self.assertIn("email", [c.value for c in sheet[1]])
        journal = self.srv.sql("SELECT detail FROM audit_log WHERE action = "
                               "'stats.export_contacts' ORDER BY id DESC LIMIT 1")
        self.assertIn('"lines":%d' % (sheet.max_row - 1), journal[0][0])
        self.assertEqual(self.srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                                      "'stats.export_contacts'")[0][0], audits + 1)
        r = self.admin.send("GET", "/console/stats?lang=en")
        self.assertIn('formaction="/console/stats/export.xlsx"', r.body.decode())

    def test_libreoffice_opens_the_csv_and_the_xlsx(self):
        openpyxl = require("openpyxl", "python3-openpyxl")
        csv_response = self.admin.send("GET", "/console/stats/export.csv?contacts=1")
        csv_rows = rows_of(csv_response)
        header = list(csv_rows[0].keys())
        # The CSV, opened by LibreOffice Calc and saved as XLSX: every line, every cell, and
        # the neutralised formulas are text.
        converted = openpyxl.load_workbook(io.BytesIO(convert(csv_response.body, ".csv",
                                                              "xlsx"))).active
        values = list(converted.iter_rows(values_only=True))
        self.assertEqual([v or "" for v in values[0]], header)
        self.assertEqual(len(values) - 1, len(csv_rows))
        formulas = 0
        for row in converted.iter_rows(min_row=2):
            want = csv_rows[row[0].row - 2]
            for name, cell in zip(header, row):
                self.assertNotEqual(cell.data_type, "f", (name, cell.value))
                text = want[name]
                if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
                    formulas += 1
                    self.assertIsInstance(cell.value, str)
                    self.assertIn(cell.value, (text, text[1:]))
                elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    self.assertAlmostEqual(float(text), cell.value, places=9, msg=name)
                elif isinstance(cell.value, datetime.datetime):
                    self.assertTrue(same_cell(text, cell.value), (name, text, cell.value))
                else:
                    self.assertEqual(cell.value or "", text, name)
        self.assertGreaterEqual(formulas, 3)  # the reason, the first and last names
        # The XLSX, opened by LibreOffice Calc and saved as CSV (UTF-8, commas): the lines of
        # our CSV, times and decimals as their cells' formats show them.
        body, _ = self.xlsx_sheet(self.admin, "?contacts=1")
        text = convert(body, ".xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1").decode()
        back = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
        self.assertEqual(len(back), len(csv_rows))
        for got, want in zip(back, csv_rows):
            for name in header:
                w = want[name]
                if name.endswith("_at"):
                    w = w[:19].replace("T", " ")
                elif w[:1] == "'" and w[1:2] in FORMULA_STARTS:
                    w = w[1:]
                self.assertEqual(got[name], w, name)


class StreamedExport(unittest.TestCase):
    """A large export is streamed (chunked, docs/STATISTICS.md "Exports"): every line comes,
    and with contact data it is journalled before its first byte, or not given at all."""

    LINES = 4000

    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server().prepare()
        two_organisations(srv)
        srv.start()
        org, motif, site, agent = srv.sql(
            "SELECT o.id, (SELECT MIN(id) FROM motifs WHERE organisation_id = o.id), "
            "(SELECT MIN(id) FROM sites WHERE organisation_id = o.id), "
            "(SELECT MIN(id) FROM agents WHERE organisation_id = o.id) "
            "FROM organisations o WHERE o.slug = 'demo'")[0]
        # Lines written behind the server's back (a year's worth would take too long to book),
        # held between 2 and 5 days ago; names with commas, quotes and line breaks.
        now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
        first = now - 2 * 86400 - 60 * cls.LINES
        srv.write(
            "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?) "
            "INSERT INTO appointments (organisation_id, motif_id, site_id, agent_id, channel, "
            "starts_at, ends_at, status, citizen_first_name, citizen_last_name, citizen_email, "
            "terms_version, token_hash, token_expires_at, created_at, updated_at) "
            "SELECT ?, ?, ?, ?, 'video', ? + 60 * k, ? + 60 * k + 1800, 'honoured', "
            "'Prénom ' || k, 'Nom, \"dit\"' || char(10) || 'suite', 'p' || k || '@example.org', "
            "1, 'seed-' || k, 0, ? - 86400 * 7, ? FROM n",
            (cls.LINES, org, motif, site, agent, first, first, first, first))
        cls.ids = {str(x[0]) for x in srv.sql(
            "SELECT id FROM appointments WHERE token_hash LIKE 'seed-%'")}
        assert len(cls.ids) == cls.LINES
        today = datetime.date.today()
        cls.period = "from=%s&to=%s" % (today - datetime.timedelta(days=10),
                                        today - datetime.timedelta(days=1))
        cls.agent, cls.admin, cls.other_admin = agent_and_admins(srv)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def journalled(self):
        return self.srv.sql("SELECT detail FROM audit_log WHERE action = "
                            "'stats.export_contacts' ORDER BY id")

    def open(self, path):
        """The response of GET path as the administrator, its headers read, its body not."""
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=60)
        conn.request("GET", path, headers={
            "Cookie": "; ".join("%s=%s" % kv for kv in self.admin.jar.items())})
        return conn, conn.getresponse()

    def test_large_export_is_chunked_and_complete(self):
        r = self.admin.send("GET", "/console/stats/export.csv?" + self.period)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")
        self.assertIsNone(r.header("Content-Length"))
        self.assertTrue(r.header("Content-Security-Policy"))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertGreater(len(r.body), 512 * 1024)  # more than the stream's buffers
        rows = rows_of(r)
        self.assertEqual(len(rows), self.LINES)
        self.assertEqual({x["id"] for x in rows}, self.ids)
        self.assertTrue(all(None not in x and len(x) == len(rows[0]) for x in rows))
        self.assertNotIn("email", rows[0])
        # The same lines in the XLSX, streamed from its temporary file.
        openpyxl = require("openpyxl", "python3-openpyxl")
        x = self.admin.send("GET", "/console/stats/export.xlsx?" + self.period)
        self.assertEqual(x.status, 200, x)
        self.assertEqual(x.header("Transfer-Encoding"), "chunked")
        sheet = openpyxl.load_workbook(io.BytesIO(x.body), read_only=True).active
        ids = [str(v[0]) for v in sheet.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(len(ids), self.LINES)
        self.assertEqual(set(ids), self.ids)

    def test_with_contacts_the_journal_is_written_before_the_first_byte(self):
        for kind in ("csv", "xlsx"):
            with self.subTest(kind=kind):
                before = len(self.journalled())
                conn, resp = self.open("/console/stats/export.%s?contacts=1&%s"
                                       % (kind, self.period))
                try:
                    self.assertEqual(resp.status, 200)
                    self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
                    first = resp.read(64)
                    # The download has started: its journal line is there, with the count.
                    journal = self.journalled()
                    self.assertEqual(len(journal), before + 1)
                    self.assertIn('"lines":%d' % self.LINES, journal[-1][0])
                    self.assertIn(self.period, journal[-1][0])
                    body = first + resp.read()
                finally:
                    conn.close()
                if kind == "csv":
                    rows = rows_of(Response(200, [], body))
                    self.assertEqual(len(rows), self.LINES)
                    self.assertEqual({x["email"] for x in rows if x["id"] in self.ids},
                                     {"p%d@example.org" % k for k in range(1, self.LINES + 1)})
                    self.assertEqual(rows[0]["last_name"], 'Nom, "dit"\nsuite')
                else:
                    self.assertEqual(body[:2], b"PK")
                self.assertEqual(len(self.journalled()), before + 1)

    def test_an_export_that_cannot_be_journalled_is_not_given(self):
        before = len(self.journalled())
        self.srv.write("CREATE TRIGGER no_journal BEFORE INSERT ON audit_log "
                       "WHEN NEW.action = 'stats.export_contacts' "
                       "BEGIN SELECT RAISE(ABORT, 'journal unavailable'); END")
        try:
            for kind in ("csv", "xlsx"):
                with self.subTest(kind=kind):
                    r = self.admin.send("GET", "/console/stats/export.%s?contacts=1&%s&lang=en"
                                        % (kind, self.period))
                    self.assertEqual(r.status, 500, r)
                    self.assertTrue(r.header("Content-Type").startswith("text/plain"))
                    self.assertIsNone(r.header("Content-Disposition"))
                    text = r.body.decode()
                    self.assertIn("could not be recorded in the journal", text)
                    self.assertNotIn("@example.org", text)
            # Without contacts nothing is journalled: the export is given.
            r = self.admin.send("GET", "/console/stats/export.csv?" + self.period)
            self.assertEqual(r.status, 200)
            self.assertEqual(len(rows_of(r)), self.LINES)
        finally:
            self.srv.write("DROP TRIGGER no_journal")
        self.assertEqual(len(self.journalled()), before)


class MonthlyDigest(unittest.TestCase):
    """The monthly digest (exports helper): queued when the server starts in a month whose
    previous month the organisation lived through, received through the SMTP sink by each
    administrator in their console language, once (a restart sends nothing again)."""

    def test_each_administrator_receives_it_once(self):
        require("aiosmtpd", "python3-aiosmtpd")
        from smtp_sink import SmtpSink
        sink = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", sink.url]).prepare()
        try:
            for email in (ADMIN, "admin2@demo.visioguichet.test"):
                r = cli(srv, "user", "add", "--org", "demo", "--email", email, "--role", "admin")
                self.assertEqual(r.returncode, 0, r.stderr)
            conn = sqlite3.connect(srv.db, timeout=30)
            try:
                # The demo organisation has lived through last month; one administrator reads
                # the console in English, the other has chosen nothing (the demo's French).
                conn.execute("UPDATE organisations SET created_at = created_at - 86400 * 62 "
                             "WHERE slug = 'demo'")
                conn.execute("UPDATE accounts SET language = 'en' WHERE email = ?", (ADMIN,))
                conn.commit()
            finally:
                conn.close()
            srv.start()
            mails = sink.wait_for(2, timeout=60)
            by_rcpt = {m.rcpt_tos[0]: m for m in mails}
            self.assertEqual(set(by_rcpt), {ADMIN, "admin2@demo.visioguichet.test"})
            english = by_rcpt[ADMIN]
            self.assertRegex(english.subject, r"^Your figures for [A-Z][a-z]+ \d{4}$")
            self.assertRegex(by_rcpt["admin2@demo.visioguichet.test"].subject,
                             r"^Vos chiffres de [a-zéû]+ \d{4}$")
            text = english.message.get_body(("plain",)).get_content()
            self.assertIn("Bookings — 0", text)
            self.assertRegex(text, r"/console/stats\?from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}"
                                   r"&lang=en")
            self.assertEqual(srv.sql("SELECT COUNT(*) FROM stats_digests")[0][0], 1)
            wait_until(lambda: srv.sql("SELECT COUNT(*) FROM outbox WHERE kind = 'stats_digest' "
                                       "AND status = 'sent'")[0][0] == 2, 30,
                       "both digests recorded as sent")
            # A restart: the digest is checked before the server answers; nothing is queued.
            self.assertEqual(srv.stop(), 0)
            srv.start()
            self.assertEqual(srv.sql("SELECT COUNT(*) FROM outbox WHERE kind = "
                                     "'stats_digest'")[0][0], 2)
            self.assertEqual(sink.count(), 2)
        finally:
            srv.stop()
            sink.stop()

if __name__ == "__main__":
    unittest.main()
