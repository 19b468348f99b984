"""The organisation's administration under /console/admin/: administrators only (an agent or
a supervisor gets 403, signed out goes to /login, a forged form 403), another organisation's
ids 404, every write journalled (who, when, before, after) and seen by citizens at once, bad
input refused with 422 in the page's language and nothing written."""

import html
import json
import sqlite3
import unittest

from admin_login import staff_with_totp
from harness import Demo, Server
from staff import AGENT, GOOD, Browser, cli, set_password
from test_hostile import raw_post_status


ADMIN = "admin@demo.visioguichet.test"
SUPERVISOR = "supervisor@demo.visioguichet.test"

SETTINGS = {"name": "Caf de démonstration", "lang_fr": "1", "lang_en": "1", "lang_nl": "1",
            "lang_de": "1", "time_zone": "Europe/Paris", "sender_email": "",
            "reply_to": "", "mediation_contact": "", "brand_colour": "#1d4f91",
            "no_show_delay": "10", "retention_days": "730", "room_opens_minutes": "15",
            "room_margin_minutes": "30", "document_retention_days": "7"}

MOTIF = {"name_fr": "Aide au logement", "name_en": "Housing benefit", "theme_fr": "Logement",
         "documents_fr": "Avis d'imposition\nBail", "code": "LOG", "duration": "20",
         "buffer": "5", "lead": "60", "horizon": "30", "channel_video": "1",
         "channel_phone": "1", "is_public": "1", "reminders": "2880, 120", "position": "9"}


def post_pairs(b, path, pairs):
    """A form with a repeated name (role=agent&role=supervisor)."""
    return b.send("POST", path, list(pairs) + [("csrf", b.csrf())])


def changes(srv, object_type=None):
    q = "SELECT actor, object_type, object_id, action, before, after FROM config_changes"
    if object_type:
        return srv.sql(q + " WHERE object_type=? ORDER BY id", (object_type,))
    return srv.sql(q + " ORDER BY id")


class ConsoleAdmin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare()
        r = cli(cls.srv, "org", "create", "--slug", "other", "--name", "Autre Caf")
        assert r.returncode == 0, r.stderr
        # Another organisation's site and motif (their ids must answer 404 here).
        db = sqlite3.connect(cls.srv.db)
        other = db.execute("SELECT id FROM organisations WHERE slug='other'").fetchone()[0]
        cls.other_site = db.execute(
            "INSERT INTO sites (organisation_id, name, time_zone) VALUES (?, 'Ailleurs', "
            "'Europe/Paris')", (other,)).lastrowid
        cls.other_motif = db.execute(
            "INSERT INTO motifs (organisation_id, name, duration_minutes) VALUES (?, "
            "'{\"fr\":\"Autre\"}', 30)", (other,)).lastrowid
        db.commit()
        db.close()
        cls.srv.start()
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")
        cls.admin_id = cls.srv.sql("SELECT id FROM accounts WHERE email=?", (ADMIN,))[0][0]

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_only_administrators(self):
        srv = self.srv
        pages = ["/console/admin/", "/console/admin/settings", "/console/admin/journal",
                 "/console/admin/sites", "/console/admin/sites/new", "/console/admin/motifs",
                 "/console/admin/motifs/new", "/console/admin/members", "/console/admin/terms"]
        posts = ["/console/admin/settings", "/console/admin/sites", "/console/admin/motifs",
                 "/console/admin/members", "/console/admin/terms",
                 "/console/admin/members/%d/roles" % self.admin_id]
        # Signed out: to /login.
        anonymous = Browser(srv)
        for path in pages:
            r = anonymous.send("GET", path)
            self.assertEqual((r.status, r.header("Location")), (303, "/login"), path)
        for path in posts:
            self.assertEqual(anonymous.post(path, {}).header("Location"), "/login", path)
        # An agent, a supervisor: 403.
        set_password(srv, AGENT, GOOD)
        agent = Browser(srv)
        self.assertEqual(agent.login(AGENT, GOOD).status, 303)
        supervisor = staff_with_totp(srv, SUPERVISOR, "supervisor")
        before = len(changes(srv))
        for who in (agent, supervisor):
            for path in pages:
                r = who.send("GET", path)
                self.assertEqual(r.status, 403, path)
                self.assertIn("Votre rôle ne donne pas accès", r.body.decode())
            for path in posts:
                self.assertEqual(who.post(path, dict(SETTINGS, **MOTIF)).status, 403, path)
        # Administrators see every page.
        for path in pages:
            self.assertEqual(self.admin.send("GET", path).status, 200, path)
        # A forged form (no token, or another origin): 403, nothing written.
        r = self.admin.send("POST", "/console/admin/settings", dict(SETTINGS, name="Forgé"))
        self.assertEqual(r.status, 403)
        evil = Browser(srv, origin="https://evil.example")
        evil.jar = dict(self.admin.jar)
        self.assertEqual(evil.post("/console/admin/settings", dict(SETTINGS, name="Forgé")).status,
                         403)
        self.assertEqual(len(changes(srv)), before)
        self.assertNotIn("Forgé", srv.sql("SELECT name FROM organisations")[0][0])

    def test_another_organisations_ids_are_not_found(self):
        for path in ("/console/admin/sites/%d" % self.other_site,
                     "/console/admin/motifs/%d" % self.other_motif,
                     "/console/admin/sites/999999", "/console/admin/motifs/abc"):
            self.assertEqual(self.admin.send("GET", path).status, 404, path)
        before = len(changes(self.srv))
        r = self.admin.post("/console/admin/motifs/%d" % self.other_motif, MOTIF)
        self.assertEqual(r.status, 404)
        r = self.admin.post("/console/admin/sites/%d" % self.other_site,
                            {"name": "Pris", "time_zone": "Europe/Paris"})
        self.assertEqual(r.status, 404)
        other_account = self.srv.sql(
            "SELECT id FROM accounts WHERE id NOT IN (SELECT account_id FROM memberships "
            "WHERE organisation_id = (SELECT id FROM organisations WHERE slug='demo'))")
        for (account,) in other_account:
            self.assertEqual(self.admin.post("/console/admin/members/%d/disable" % account).status,
                             404)
        self.assertEqual(len(changes(self.srv)), before)
        self.assertEqual(self.srv.sql("SELECT name FROM sites WHERE id=?", (self.other_site,)),
                         [("Ailleurs",)])

    def test_settings_are_journalled_and_citizens_see_them_at_once(self):
        srv = self.srv
        self.assertIn("Caf de démonstration", srv.get("/demo/").body.decode())
        r = self.admin.post("/console/admin/settings",
                            dict(SETTINGS, name="Caf du Test", no_show_delay="15",
                                 retention_days="365", lang_de=""))
        self.assertEqual((r.status, r.header("Location")), (303, "/console/admin/settings?saved=1"))
        # The citizen side follows at once (no minute of memo).
        page = srv.get("/demo/").body.decode()
        self.assertIn("Caf du Test", page)
        self.assertNotIn('hreflang="de"', page)
        self.assertEqual(srv.sql("SELECT no_show_delay_minutes, retention_days FROM organisations "
                                 "WHERE slug='demo'"), [(15, 365)])
        actor, _, _, action, before, after = changes(srv, "settings")[-1]
        self.assertEqual((actor, action), ("account:%d" % self.admin_id, "update"))
        self.assertEqual(json.loads(before)["name"], "Caf de démonstration")
        self.assertEqual(json.loads(after)["name"], "Caf du Test")
        self.assertEqual(json.loads(after)["no_show_delay_minutes"], 15)
        # Put back.
        self.assertEqual(self.admin.post("/console/admin/settings", SETTINGS).status, 303)

    def test_bad_settings_are_refused_in_the_pages_language_and_nothing_written(self):
        srv = self.srv
        before = len(changes(srv))
        bad = dict(SETTINGS, name="", brand_colour="#ffff00", retention_days="5",
                   time_zone="Mars/Olympus", lang_fr="", lang_en="", lang_nl="", lang_de="",
                   sender_email="pas une adresse", no_show_delay="dix")
        r = self.admin.post("/console/admin/settings", bad)
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        for message in ("ce champ est obligatoire", "contraste insuffisant avec le blanc",
                        "hors des limites", "fuseau horaire inconnu", "cochez au moins une langue",
                        "adresse e-mail non valide", "saisissez un nombre entier"):
            self.assertIn(message, body)
        colour = srv.sql("SELECT brand_colour FROM organisations WHERE slug='demo'")
        english = Browser(srv)  # its language cookie stays its own
        english.jar = dict(self.admin.jar)
        r = english.post("/console/admin/settings?lang=en", dict(SETTINGS, brand_colour="#ffff00"))
        self.assertEqual(r.status, 422)
        self.assertIn("not enough contrast with white", r.body.decode())
        self.assertEqual(len(changes(srv)), before)
        self.assertEqual(srv.sql("SELECT brand_colour FROM organisations WHERE slug='demo'"),
                         colour)

    def test_room_settings_are_checked_journalled_and_shown(self):
        srv = self.srv
        columns = ("SELECT room_opens_minutes, room_margin_minutes, camera_required, "
                   "document_retention_days FROM organisations WHERE slug='demo'")
        stored, before = srv.sql(columns), len(changes(srv))
        page = self.admin.send("GET", "/console/admin/settings").body.decode()
        for label in ("Ouverture de la salle d'attente", "Caméra obligatoire",
                      "Conservation des documents reçus", "ne sont jamais enregistrés"):
            self.assertIn(label, html.unescape(page))
        bad = dict(SETTINGS, room_opens_minutes="121", room_margin_minutes="beaucoup",
                   document_retention_days="0", camera_required="1")
        r = self.admin.post("/console/admin/settings", bad)
        self.assertEqual(r.status, 422)
        body = html.unescape(r.body.decode())
        self.assertIn('id="room_opens_minutes-error"', body)
        self.assertIn('id="document_retention_days-error"', body)
        self.assertIn("saisissez un nombre entier", body)
        self.assertIn("hors des limites", body)
        self.assertIn('value="beaucoup"', body)  # what was typed stays
        self.assertEqual((srv.sql(columns), len(changes(srv))), (stored, before))
        # In the staff's language.
        english = Browser(srv)
        english.jar = dict(self.admin.jar)
        r = english.post("/console/admin/settings?lang=en",
                         dict(SETTINGS, document_retention_days="400"))
        self.assertEqual(r.status, 422)
        self.assertIn("the value is outside the limits shown", r.body.decode())
        # Good values: written, journalled, shown again.
        r = self.admin.post("/console/admin/settings",
                            dict(SETTINGS, room_opens_minutes="20", room_margin_minutes="45",
                                 camera_required="1", document_retention_days="30"))
        self.assertEqual(r.status, 303)
        self.assertEqual(srv.sql(columns), [(20, 45, 1, 30)])
        _, _, _, _, old, new = changes(srv, "settings")[-1]
        self.assertEqual(json.loads(old)["camera_required"], False)
        self.assertEqual((json.loads(new)["camera_required"], json.loads(new)["room_opens_minutes"],
                          json.loads(new)["document_retention_days"]), (True, 20, 30))
        page = self.admin.send("GET", "/console/admin/settings").body.decode()
        self.assertRegex(page, r'id="camera_required" name="camera_required" value="1" checked')
        self.assertIn('value="45"', page)
        # The camera requirement is said to the citizen: the device test, the management
        # page of a video appointment (the messages: tests/unit/test_notify.cpp).
        said = "Votre caméra doit rester allumée pendant l'entretien"
        self.assertIn(said, html.unescape(srv.get("/demo/device-test").body.decode()))
        demo = Demo(srv)
        motif = demo.video_motif()
        booked = demo.book(motif["id"], demo.slots(motif["id"])[3])
        self.assertEqual(booked.status, 201)
        manage = "/manage/" + booked.json["token"]
        self.assertIn(said, html.unescape(srv.get(manage).body.decode()))
        # Put back (the check box unticked: camera no longer required).
        self.assertEqual(self.admin.post("/console/admin/settings", SETTINGS).status, 303)
        self.assertEqual(srv.sql(columns), [(15, 30, 0, 7)])
        self.assertNotIn(said, html.unescape(srv.get("/demo/device-test").body.decode()))
        self.assertNotIn(said, html.unescape(srv.get(manage).body.decode()))

    def test_a_motif_created_and_edited_is_journalled_and_offered_at_once(self):
        srv = self.srv
        demo = Demo(srv)
        r = self.admin.post("/console/admin/motifs", MOTIF)
        self.assertEqual((r.status, r.header("Location")), (303, "/console/admin/motifs?saved=1"))
        motif = [m for m in demo.motifs() if m["name"] == "Aide au logement"]
        self.assertEqual(len(motif), 1, demo.motifs())
        mid = motif[0]["id"]
        self.assertEqual(srv.sql("SELECT duration_minutes, buffer_minutes, min_lead_minutes, "
                                 "horizon_days, channels, reminder_minutes, code FROM motifs "
                                 "WHERE id=?", (mid,)),
                         [(20, 5, 60, 30, 5, "[2880,120]", "LOG")])
        _, _, oid, action, _, after = changes(srv, "motif")[-1]
        self.assertEqual((oid, action), (mid, "create"))
        self.assertEqual(json.loads(after)["name"]["en"], "Housing benefit")
        page = self.admin.send("GET", "/console/admin/motifs/%d" % mid).body.decode()
        self.assertIn('value="Housing benefit"', page)
        # Not public any more: off the citizens' list at once.
        edited = dict(MOTIF, is_public="")
        self.assertEqual(self.admin.post("/console/admin/motifs/%d" % mid, edited).status, 303)
        self.assertNotIn(mid, [m["id"] for m in demo.motifs()])
        _, _, _, action, before, after = changes(srv, "motif")[-1]
        self.assertEqual((action, json.loads(before)["public"], json.loads(after)["public"]),
                         ("update", True, False))
        # Refused: no channel, duration out of range, bad reminders; nothing written.
        count = len(changes(srv))
        r = self.admin.post("/console/admin/motifs", dict(MOTIF, channel_video="", channel_phone="",
                                                          duration="1000", reminders="abc, 5",
                                                          name_fr=""))
        self.assertEqual(r.status, 422)
        body = r.body.decode()
        for message in ("cochez au moins un mode", "hors des limites", "des nombres de minutes",
                        "Nom (Français)"):
            self.assertIn(message, body)
        self.assertEqual(len(changes(srv)), count)

    def test_sites_are_created_and_edited(self):
        srv = self.srv
        r = self.admin.post("/console/admin/sites", {"name": "Antenne Nord", "city": "Lille",
                                                     "time_zone": "Europe/Paris",
                                                     "access_notes_fr": "Entrée B"})
        self.assertEqual(r.status, 303)
        sid = srv.sql("SELECT id FROM sites WHERE name='Antenne Nord'")[0][0]
        r = self.admin.post("/console/admin/sites/%d" % sid,
                            {"name": "Antenne Nord", "city": "Roubaix", "time_zone": "Europe/Paris"})
        self.assertEqual(r.status, 303)
        self.assertEqual(srv.sql("SELECT city FROM sites WHERE id=?", (sid,)), [("Roubaix",)])
        kinds = [(c[2], c[3]) for c in changes(srv, "site")]
        self.assertEqual(kinds[-2:], [(sid, "create"), (sid, "update")])
        r = self.admin.post("/console/admin/sites/%d" % sid, {"name": "x", "time_zone": "Nowhere"})
        self.assertEqual(r.status, 422)

    def test_invite_an_agent_change_roles_disable(self):
        srv = self.srv
        email = "invited.agent@demo.visioguichet.test"
        r = self.admin.post("/console/admin/members", {"email": email, "name": "Invitée",
                                                       "role": "agent"})
        self.assertEqual((r.status, r.header("Location")), (303, "/console/admin/members?invited=1"))
        # The invitation link goes through the outbox.
        self.assertEqual(srv.sql(
            "SELECT COUNT(*) FROM outbox o JOIN accounts a ON a.id = json_extract(o.payload, "
            "'$.account_id') WHERE o.kind='account_invitation' AND a.email=?", (email,)),
            [(1,)])
        account = srv.sql("SELECT id FROM accounts WHERE email=?", (email,))[0][0]
        _, _, oid, action, _, after = changes(srv, "member")[-1]
        self.assertEqual((oid, action, json.loads(after)["roles"]), (account, "create", ["agent"]))
        # Roles: agent -> supervisor + agent -> supervisor; to the audit journal too.
        r = post_pairs(self.admin, "/console/admin/members/%d/roles" % account,
                       [("role", "agent"), ("role", "supervisor")])
        self.assertEqual(r.status, 303)
        r = post_pairs(self.admin, "/console/admin/members/%d/roles" % account,
                       [("role", "supervisor")])
        self.assertEqual(r.status, 303)
        self.assertEqual(srv.sql("SELECT role FROM memberships WHERE account_id=?", (account,)),
                         [("supervisor",)])
        self.assertEqual(srv.sql("SELECT detail FROM audit_log WHERE action='membership.remove' "
                                 "AND object_id=?", (account,)), [('{"role":"agent"}',)])
        # No role at all, an unknown one, one's own admin role: refused.
        for roles in ([], [("role", "king")]):
            self.assertEqual(post_pairs(self.admin, "/console/admin/members/%d/roles" % account,
                                        roles).status, 422)
        self.assertEqual(post_pairs(self.admin, "/console/admin/members/%d/roles" % self.admin_id,
                                    [("role", "agent")]).status, 422)
        self.assertEqual(self.admin.post("/console/admin/members/%d/disable" % self.admin_id).status,
                         422)
        # Disable, enable.
        self.assertEqual(self.admin.post("/console/admin/members/%d/disable" % account).status, 303)
        self.assertIsNotNone(srv.sql("SELECT disabled_at FROM accounts WHERE id=?", (account,))[0][0])
        self.assertEqual(self.admin.post("/console/admin/members/%d/enable" % account).status, 303)
        self.assertIsNone(srv.sql("SELECT disabled_at FROM accounts WHERE id=?", (account,))[0][0])
        # A bad address: 422, nobody created.
        r = self.admin.post("/console/admin/members", {"email": "not an address", "role": "agent"})
        self.assertEqual(r.status, 422)
        self.assertIn("adresse e-mail non valide", r.body.decode())

    def test_terms_versions_and_bookings_keep_theirs(self):
        srv = self.srv
        demo = Demo(srv)
        old = demo.terms_version()
        motif = demo.video_motif()
        slot = demo.slots(motif["id"])[0]
        r = demo.book(motif["id"], slot)
        self.assertEqual(r.status, 201, r.body)
        booked = r.json["appointment"]["id"] if "appointment" in r.json else r.json["id"]
        r = self.admin.post("/console/admin/terms", {"text_fr": "Nouvelles conditions",
                                                     "text_en": "New terms"})
        self.assertEqual(r.status, 303)
        self.assertEqual(demo.terms_version(), old + 1)  # at once
        self.assertEqual(srv.sql("SELECT terms_version FROM appointments WHERE id=?", (booked,)),
                         [(old,)])
        _, _, _, action, before, after = changes(srv, "terms")[-1]
        self.assertEqual((action, json.loads(before)["version"], json.loads(after)["version"]),
                         ("create", old, old + 1))
        self.assertEqual(self.admin.post("/console/admin/terms", {"text_fr": ""}).status, 422)
        self.assertEqual(demo.terms_version(), old + 1)

    def test_journal_filters_by_type_person_and_period(self):
        self.admin.post("/console/admin/sites", {"name": "Site du journal", "time_zone": "Europe/Paris"})
        page = self.admin.send("GET", "/console/admin/journal?type=site").body.decode()
        self.assertIn("Site du journal", page)
        self.assertIn(ADMIN, page)
        self.assertNotIn("Housing benefit", page)
        page = self.admin.send("GET", "/console/admin/journal?type=site&actor=cli").body.decode()
        self.assertNotIn("Site du journal", page)
        page = self.admin.send("GET", "/console/admin/journal?from=2000-01-01&to=2000-01-02").body.decode()
        self.assertNotIn("Site du journal", page)
        self.assertEqual(self.admin.send("GET", "/console/admin/journal?from=hier").status, 422)


if __name__ == "__main__":
    unittest.main()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def upload(b, data, filename="logo.png", fields=None, csrf=True):
    """POST /console/admin/logo as a browser's multipart form."""
    boundary = "----vgBoundary7MA4YWxk"
    parts = []
    for name, value in dict(fields or {}, **({"csrf": b.csrf()} if csrf else {})).items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                      % (boundary, name, value)).encode())
    if data is not None:
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"%s\"\r\n"
                      "Content-Type: image/png\r\n\r\n" % (boundary, filename)).encode()
                     + data + b"\r\n")
    body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
    headers = {"Cookie": "; ".join("%s=%s" % kv for kv in b.jar.items())}
    return b.srv.request("POST", "/console/admin/logo", body=body, headers=headers,
                         content_type="multipart/form-data; boundary=" + boundary)


class Logo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_args=["--outbox-threads", "0"]).prepare().start()
        cls.admin = staff_with_totp(cls.srv, ADMIN, "admin")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_logo_checked_by_content_served_with_etag_and_shown_to_citizens(self):
        srv = self.srv
        self.assertEqual(srv.get("/demo/logo").status, 404)
        # Refused: not an image whatever its name, too large, forged; nothing written.
        r = upload(self.admin, b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png")
        self.assertEqual(r.status, 422)
        self.assertIn("seules les images PNG ou JPEG", r.body.decode())
        r = upload(self.admin, PNG + b"\0" * (512 * 1024), "big.png")
        self.assertEqual(r.status, 422)
        self.assertIn("512 Ko", r.body.decode())
        self.assertEqual(upload(self.admin, PNG, csrf=False).status, 403)
        # Far over the limit: refused before any handler.
        self.assertEqual(raw_post_status(srv.port, "/console/admin/logo", b"x" * (600 * 1024)),
                         413)
        self.assertEqual(srv.sql("SELECT COUNT(*) FROM config_changes WHERE object_type='logo'"),
                         [(0,)])
        # Any other form keeps the 64 KiB limit.
        self.assertEqual(raw_post_status(srv.port, "/login", b"x" * (70 * 1024)), 413)
        # A PNG named .jpg is a PNG.
        r = upload(self.admin, PNG, "photo.jpg")
        self.assertEqual((r.status, r.header("Location")), (303, "/console/admin/logo?saved=1"))
        etag = srv.sql("SELECT logo_etag FROM organisations WHERE slug='demo'")[0][0]
        page = srv.get("/demo/").body.decode()
        self.assertIn('src="&#x2F;demo&#x2F;logo?v=%s"' % etag, page)  # escaped
        r = srv.get("/demo/logo?v=" + etag)
        self.assertEqual((r.status, r.header("Content-Type"), r.body), (200, "image/png", PNG))
        self.assertEqual(r.header("ETag"), '"%s"' % etag)
        self.assertIn("max-age=31536000", r.header("Cache-Control"))
        r = srv.get("/demo/logo", headers={"If-None-Match": '"%s"' % etag})
        self.assertEqual(r.status, 304)
        self.assertEqual(srv.sql("SELECT action FROM config_changes WHERE object_type='logo'"),
                         [("update",)])
        # Removed.
        self.assertEqual(upload(self.admin, None, fields={"remove": "1"}).status, 303)
        self.assertEqual(srv.get("/demo/logo").status, 404)
        self.assertNotIn("logo?v=", srv.get("/demo/").body.decode())


class RetentionCommand(unittest.TestCase):
    def test_retention_run_erases_old_personal_data_and_journals_the_count(self):
        srv = Server().prepare()
        db = sqlite3.connect(srv.db)
        org, motif, site, agent = db.execute(
            "SELECT o.id, m.id, s.id, a.id FROM organisations o JOIN motifs m ON "
            "m.organisation_id=o.id JOIN sites s ON s.organisation_id=o.id JOIN agents a ON "
            "a.organisation_id=o.id WHERE o.slug='demo' LIMIT 1").fetchone()
        old = db.execute(
            "INSERT INTO appointments (organisation_id, motif_id, site_id, agent_id, channel, "
            "starts_at, ends_at, status, citizen_first_name, citizen_last_name, citizen_email, "
            "citizen_phone, beneficiary_number, needs, terms_version, token_hash, "
            "token_expires_at, created_at, updated_at) VALUES (?,?,?,?, 'phone', "
            "strftime('%s','now') - 800*86400, strftime('%s','now') - 800*86400 + 1800, "
            "'honoured', 'Camille', 'Durand', 'c@example.org', '+33612345678', '123', "
            "'besoin', 1, 'old-token', 0, 0, 0)", (org, motif, site, agent)).lastrowid
        db.commit()
        db.close()
        r = cli(srv, "retention", "run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("personal data of 1 appointments erased", r.stdout)
        self.assertEqual(srv.sql(
            "SELECT citizen_first_name, citizen_last_name, citizen_email, citizen_phone, "
            "beneficiary_number, needs, channel, status, motif_id FROM appointments WHERE id=?",
            (old,)), [("", "", "", "", "", "", "phone", "honoured", motif)])
        details = [json.loads(d) for (d,) in srv.sql(
            "SELECT detail FROM audit_log WHERE action='retention.erase' AND organisation_id=?",
            (org,))]
        self.assertEqual([d["appointments"] for d in details], [1])
        self.assertEqual(cli(srv, "retention", "run").stdout.strip(),
                         "personal data of 0 appointments erased")
