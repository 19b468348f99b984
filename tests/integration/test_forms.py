"""The HTML forms: every state-changing form refuses a request that is not provably ours
(CSRF token, cookie, origin) without writing anything; integers in forms are range-checked
before conversion; links never come from the request's Host header."""

import datetime
import glob
import os
import re
import secrets
import sqlite3
import subprocess
import unittest
import urllib.parse

from harness import Demo, Server, clean_env, free_port, module_server, source_dir


# One server for the module, in the global `server`; stopping it must exit 0. No sender
# threads: the database then changes only through the requests of the test.
setUpModule, tearDownModule = module_server(globals(), extra_args=["--outbox-threads", "0"])

FORM = "application/x-www-form-urlencoded"
EVIL = "http://evil.example"


def epoch(iso):
    return int(datetime.datetime.fromisoformat(iso).timestamp())


def dump(srv):
    """Every row of every table: 'nothing changed' means this is identical."""
    conn = sqlite3.connect("file:%s?mode=ro" % srv.db, uri=True, timeout=30)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def csrf_cookie(srv, name="vg_csrf"):
    """A fresh CSRF cookie from a page: (name=value, value)."""
    r = srv.get("/demo/")
    for k, v in r.headers:
        if k.lower() == "set-cookie" and v.startswith(name + "="):
            pair = v.split(";")[0]
            return pair, pair.split("=", 1)[1]
    raise AssertionError("no %s cookie in %r" % (name, r.headers))


def post_form(srv, path, fields, cookie=None, headers=None):
    h = {"Cookie": cookie} if cookie else {}
    h.update(headers or {})
    return srv.request("POST", path, body=urllib.parse.urlencode(fields), headers=h,
                       content_type=FORM)


def web_post_routes():
    """Every POST route the pages register (src/web/*.cpp)."""
    routes = set()
    for path in glob.glob(os.path.join(source_dir(), "src", "web", "*.cpp")):
        with open(path, encoding="utf-8") as f:
            routes.update(re.findall(r'router\.post\(\s*"([^"]+)"', f.read()))
    return routes


class Csrf(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.motif = cls.demo.video_motif()
        slots = cls.demo.slots(cls.motif["id"], days=20)
        cls.slot, cls.other = slots[3], slots[-1]
        r = cls.demo.book(cls.motif["id"], slots[len(slots) // 2], phone="06 12 34 56 78")
        assert r.status == 201, r
        cls.token = r.json["token"]
        # A live API key, so that the forged revocation aims at something that exists (and
        # "nothing changed" means it is still live).
        r = subprocess.run([server.binary, "apikey", "create", "--db", server.db, "--org", "demo",
                            "--name", "forms"], env=clean_env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120, text=True)
        assert r.returncode == 0, r.stderr
        cls.api_key = server.sql("SELECT id FROM api_keys WHERE name = 'forms' "
                                 "AND revoked_at IS NULL")[0][0]

    def forms(self):
        """Every state-changing form with fields that would be accepted: route -> (path,
        fields). The route list is checked against the router, so a new form must come here."""
        booking = {"lang": "fr", "motif": self.motif["id"], "mode": "video",
                   "slot": epoch(self.slot["start"]), "first_name": "Eve",
                   "last_name": "Forged", "email": "eve@example.org", "phone": "",
                   "language": "fr", "beneficiary_number": "", "needs": "",
                   "accept_terms": "yes", "terms_version": self.demo.terms_version()}
        m = "/manage/" + self.token
        return {
            "/{org}/book/review": ("/demo/book/review", booking),
            "/{org}/book/edit": ("/demo/book/edit", booking),
            "/{org}/book/confirm": ("/demo/book/confirm", booking),
            "/manage/{token}/cancel": (m + "/cancel", {"reason": "forged"}),
            "/manage/{token}/reschedule": (m + "/reschedule",
                                           {"slot": epoch(self.other["start"])}),
            "/manage/{token}/presence": (m + "/presence", {}),
            "/manage/{token}/survey": (m + "/survey", {"rating": "1", "comment": "forged"}),
            "/manage/{token}/sms-opt-out": (m + "/sms-opt-out", {}),
            "/manage/{token}/contact": (m + "/contact", {"email": "eve@example.org",
                                                         "phone": "06 99 99 99 99"}),
            "/{org}/resend": ("/demo/resend", {"contact": "06 12 34 56 78"}),
            # Staff pages (a refused sign-in must not even count as a failure).
            "/login": ("/login", {"email": "agent1@demo.visioguichet.test",
                                  "password": "wrong-password-x"}),
            "/logout": ("/logout", {}),
            "/logout/everywhere": ("/logout/everywhere", {}),
            "/console/organisation": ("/console/organisation", {"organisation": "1"}),
            "/login/totp": ("/login/totp", {"code": "123456"}),
            "/console/totp": ("/console/totp", {"code": "123456", "enrolment": "x"}),
            "/login/reset": ("/login/reset", {"email": "agent1@demo.visioguichet.test"}),
            "/account/password/{token}": ("/account/password/" + "A" * 43,
                                          {"password": "tulipe-gravier-Orbite-93"}),
            # The appointment page (console_appointment): its actions, booking on behalf, the
            # outcome qualification.
            "/console/appointments/{id}/present": ("/console/appointments/1/present", {}),
            "/console/appointments/{id}/no-show": ("/console/appointments/1/no-show", {}),
            "/console/appointments/{id}/done": ("/console/appointments/1/done",
                                                {"resolved": "yes"}),
            "/console/appointments/{id}/phone": ("/console/appointments/1/phone", {}),
            "/console/appointments/{id}/cancel": ("/console/appointments/1/cancel",
                                                  {"reason": "forged"}),
            "/console/appointments/{id}/note": ("/console/appointments/1/note",
                                                {"note": "forged"}),
            "/console/appointments/{id}/reschedule": ("/console/appointments/1/reschedule",
                                                      {"slot": epoch(self.other["start"])}),
            # The agent's video room (room_pages.cpp).
            "/console/appointments/{id}/room/identity": (
                "/console/appointments/1/room/identity",
                {"method": "id_document", "result": "confirmed"}),
            "/console/appointments/{id}/room/invitations": (
                "/console/appointments/1/room/invitations", {}),
            "/console/appointments/{id}/room/invitations/revoke": (
                "/console/appointments/1/room/invitations/revoke", {"invitation": "1"}),
            # The room's documents (room_documents.cpp): multipart in the page; a forged
            # urlencoded body is refused by the same CSRF check.
            "/room/{token}/documents": ("/room/%s/documents" % ("A" * 43), {}),
            "/console/book": ("/console/book", booking),
            "/console/admin/outcomes": ("/console/admin/outcomes",
                                        {"op": "add", "group": "theme", "label_fr": "x"}),
            # The agenda (console_agenda.cpp).
            "/console/calendar": ("/console/calendar", {}),
            "/console/calendar/revoke": ("/console/calendar/revoke", {}),
            "/console/language": ("/console/language", {"language": "nl"}),
            "/console/admin/teams": ("/console/admin/teams", {"name": "Forged"}),
            "/console/admin/teams/{id}/rename": ("/console/admin/teams/1/rename",
                                                 {"name": "Forged"}),
            "/console/admin/teams/{id}/delete": ("/console/admin/teams/1/delete", {}),
            "/console/admin/teams/{id}/agents": ("/console/admin/teams/1/agents",
                                                 {"agent": "1", "op": "add"}),
            "/console/admin/teams/{id}/supervisors": ("/console/admin/teams/1/supervisors",
                                                      {"account": "1", "op": "add"}),
            # Console: availability and supervision.
            "/console/availability/plans": ("/console/availability/plans",
                                            {"weekdays": "5", "start": "09:00", "end": "12:00",
                                             "site": "1", "channels": "video",
                                             "valid_from": "2030-01-07"}),
            "/console/availability/plans/{id}": ("/console/availability/plans/1",
                                                 {"start": "09:00", "end": "10:00"}),
            "/console/availability/plans/{id}/delete": ("/console/availability/plans/1/delete",
                                                        {}),
            "/console/availability/absences": ("/console/availability/absences",
                                               {"absence_start_date": "2030-01-07",
                                                "absence_end_date": "2030-01-08"}),
            "/console/availability/absences/{id}/delete": (
                "/console/availability/absences/1/delete", {}),
            "/console/availability/recurring": ("/console/availability/recurring",
                                                {"r_weekdays": "1", "r_start": "12:00",
                                                 "r_end": "13:00", "r_valid_from": "2030-01-07"}),
            "/console/availability/recurring/{id}/delete": (
                "/console/availability/recurring/1/delete", {}),
            "/console/supervision/appointments/{id}/reassign": (
                "/console/supervision/appointments/1/reassign", {"agent": "2"}),
            "/console/supervision/close-site": ("/console/supervision/close-site",
                                                {"site": "1", "day": "2030-01-07",
                                                 "reason": "forged", "fingerprint": "x"}),
            # The organisation's administration (a signed-out forger: refused all the same).
            "/console/admin/settings": ("/console/admin/settings", {"name": "Forged"}),
            "/console/admin/logo": ("/console/admin/logo", {"remove": "1"}),
            "/console/admin/sites": ("/console/admin/sites", {"name": "Forged"}),
            "/console/admin/sites/{id}": ("/console/admin/sites/1", {"name": "Forged"}),
            "/console/admin/motifs": ("/console/admin/motifs", {"name_fr": "Forged"}),
            "/console/admin/motifs/{id}": ("/console/admin/motifs/1", {"name_fr": "Forged"}),
            "/console/admin/members": ("/console/admin/members", {"email": "eve@example.org",
                                                                  "role": "admin"}),
            "/console/admin/members/{id}/roles": ("/console/admin/members/1/roles",
                                                  {"role": "admin"}),
            "/console/admin/members/{id}/disable": ("/console/admin/members/1/disable", {}),
            "/console/admin/members/{id}/enable": ("/console/admin/members/1/enable", {}),
            "/console/admin/terms": ("/console/admin/terms", {"text_fr": "Forged"}),
            "/console/admin/holidays": ("/console/admin/holidays",
                                        {"first": "2035-03-05", "label": "Forged"}),
            "/console/admin/holidays/{id}/delete": ("/console/admin/holidays/1/delete", {}),
            "/console/admin/messages/{kind}": ("/console/admin/messages/confirmation",
                                               {"subject_fr": "Forged"}),
            "/console/platform": ("/console/platform", {"slug": "forged", "name": "Forged",
                                                        "admin_email": "eve@example.org"}),
            "/console/stats/keys/{id}/revoke": (
                "/console/stats/keys/%d/revoke" % self.api_key, {}),
            "/console/admin/figures": ("/console/admin/figures", {"held": "1", "delays": "1"}),
            "/console/admin/figures/delays": ("/console/admin/figures/delays",
                                              {"week": "2030-01-07", "label_fr_1": "Forged",
                                               "from_1": "2030-01-01", "to_1": "2030-01-02"}),
            # The partners' administration (partner-admin).
            "/console/admin/partners": ("/console/admin/partners", {"name": "Forged"}),
            "/console/admin/partners/{id}": ("/console/admin/partners/1", {"name": "Forged"}),
            "/console/admin/partners/{id}/sites": ("/console/admin/partners/1/sites",
                                                   {"name": "Forged"}),
            "/console/admin/partners/{id}/sites/{site}": ("/console/admin/partners/1/sites/1",
                                                          {"name": "Forged"}),
            "/console/admin/partners/{id}/staff": ("/console/admin/partners/1/staff",
                                                   {"email": "eve@example.org"}),
            "/console/admin/partners/{id}/label": ("/console/admin/partners/1/label",
                                                   {"signed_on": "2030-01-07"}),
            "/console/admin/partners/{id}/convention": ("/console/admin/partners/1/convention",
                                                        {"director_name": "Forged"}),
            "/console/admin/partners/{id}/withdraw": ("/console/admin/partners/1/withdraw",
                                                      {"ground": "commitment",
                                                       "reason": "Forged"}),
            "/console/admin/partners/{id}/actions": ("/console/admin/partners/1/actions",
                                                     {"item": "Forged"}),
            "/console/admin/partners/{id}/actions/{action}/done": (
                "/console/admin/partners/1/actions/1/done", {"done": "1"}),
            # The partner's own screens (partner-screens).
            "/partner/visits": ("/partner/visits", {"sex": "woman", "age_band": "over_60",
                                                    "allocataire": "yes", "autonomy": "beginner",
                                                    "resolved": "yes",
                                                    "cell": "simulation:information"}),
            "/partner/visits/{id}/delete": ("/partner/visits/1/delete", {}),
            "/partner/reports/{period}": ("/partner/reports/2026-03", {"comment": "Forged"}),
            # The partner books on a citizen's behalf (partner-booking).
            "/partner/bookings": ("/partner/bookings", {"motif": "1", "place": "phone",
                                                        "slot": "2000000000",
                                                        "first_name": "Forged"}),
            "/partner/bookings/{id}/cancel": ("/partner/bookings/1/cancel",
                                              {"reason": "Forged"}),
            "/partner/today/{id}/room": ("/partner/today/1/room", {}),
            "/partner/today/{id}/done": ("/partner/today/1/done", {"token": "Forged"}),
            # A partner site's hours and closures (partner-hours).
            "/console/admin/partners/{id}/sites/{site}/hours": (
                "/console/admin/partners/1/sites/1/hours",
                {"h0_0_opens": "09:00", "h0_0_closes": "12:00"}),
            "/console/admin/partners/{id}/sites/{site}/closures": (
                "/console/admin/partners/1/sites/1/closures", {"from": "2030-01-07"}),
            "/console/admin/partners/{id}/sites/{site}/closures/{closure}/delete": (
                "/console/admin/partners/1/sites/1/closures/1/delete", {}),
            # The end of a partnership (partner-caf).
            "/console/partners/{id}/trainings": (
                "/console/partners/1/trainings", {"kind": "update", "title": "x",
                                                  "attended_on": "2026-01-05"}),
            "/console/partners/{id}/notice": ("/console/partners/1/notice", {"by": "caf"}),
            "/console/partners/{id}/staff/{account}/remove": (
                "/console/partners/1/staff/1/remove", {}),
            "/console/partners/{id}/sites/{site}/archive": (
                "/console/partners/1/sites/1/archive", {}),
            "/console/partners/{id}/archive": ("/console/partners/1/archive", {}),
        }

    def test_every_form_refuses_a_forged_request_and_writes_nothing(self):
        forms = self.forms()
        self.assertEqual(set(forms), web_post_routes(),
                         "a POST route of the pages is missing from this test")
        cookie, value = csrf_cookie(server)
        other_cookie, other_value = csrf_cookie(server)
        self.assertNotEqual(value, other_value)
        ours = "http://127.0.0.1:%d" % server.port
        before = dump(server)
        for route, (path, fields) in sorted(forms.items()):
            cases = {
                "no field": (fields, cookie, {}),
                "empty field": (dict(fields, csrf=""), cookie, {}),
                "wrong field": (dict(fields, csrf=other_value), cookie, {}),
                "field one character off": (dict(fields, csrf=value[:-1] + (
                    "A" if value[-1] != "A" else "B")), cookie, {}),
                "no cookie": (dict(fields, csrf=value), None, {}),
                "empty cookie": (dict(fields, csrf=""), "vg_csrf=", {}),
                "foreign origin": (dict(fields, csrf=value), cookie, {"Origin": EVIL}),
                "foreign origin, same host name": (
                    dict(fields, csrf=value), cookie, {"Origin": "https://127.0.0.1:%d"
                                                       % server.port}),
                "opaque origin, cross-site": (dict(fields, csrf=value), cookie,
                                              {"Origin": "null",
                                               "Sec-Fetch-Site": "cross-site"}),
                "cross-site fetch": (dict(fields, csrf=value), cookie,
                                     {"Sec-Fetch-Site": "cross-site"}),
                "same-site fetch": (dict(fields, csrf=value), cookie,
                                    {"Sec-Fetch-Site": "same-site"}),
                "our origin but cross-site fetch": (
                    dict(fields, csrf=value), cookie,
                    {"Origin": ours, "Sec-Fetch-Site": "cross-site"}),
            }
            for case, (body, c, headers) in cases.items():
                with self.subTest(route=route, case=case):
                    r = post_form(server, path, body, cookie=c, headers=headers)
                    self.assertEqual(r.status, 403, r)
                    self.assertIn(b'lang="fr"', r.body)
                    self.assertEqual(dump(server), before, "a refused form wrote")
        # The same requests, provably ours, get through the check (whatever they answer).
        # (A browser posting our own form sends Origin: null: our pages are served with
        # Referrer-Policy: no-referrer.)
        for headers in ({}, {"Origin": ours, "Sec-Fetch-Site": "same-origin"},
                        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
                        {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}):
            for route in ("/{org}/book/review", "/{org}/book/edit"):
                path, fields = forms[route]
                with self.subTest(route=route, headers=headers):
                    r = post_form(server, path, dict(fields, csrf=value), cookie=cookie,
                                  headers=headers)
                    self.assertEqual(r.status, 200, r)
        for route in ("/{org}/book/confirm", "/manage/{token}/contact", "/manage/{token}/presence",
                      "/manage/{token}/sms-opt-out", "/manage/{token}/survey",
                      "/manage/{token}/reschedule", "/manage/{token}/cancel", "/{org}/resend"):
            path, fields = forms[route]
            with self.subTest(route=route, positive=True):
                r = post_form(server, path, dict(fields, csrf=value), cookie=cookie,
                              headers={"Origin": ours, "Sec-Fetch-Site": "same-origin"})
                self.assertNotEqual(r.status, 403, r)
                self.assertLess(r.status, 500, r)
        self.assertNotEqual(dump(server), before)

    def test_https_public_url_uses_a_host_cookie(self):
        srv = Server(extra_args=["--outbox-threads", "0", "--public-url",
                                 "https://rdv.example.org/"]).prepare().start()
        try:
            r = srv.get("/demo/")
            set_cookie = [v for k, v in r.headers if k.lower() == "set-cookie"]
            host = [v for v in set_cookie if v.startswith("__Host-vg_csrf=")]
            self.assertEqual(len(host), 1, set_cookie)
            attrs = [a.strip().lower() for a in host[0].split(";")[1:]]
            self.assertIn("secure", attrs)
            self.assertIn("path=/", attrs)
            self.assertFalse(any(a.startswith("domain") for a in attrs), attrs)
            self.assertFalse(any(v.startswith("vg_csrf=") for v in set_cookie), set_cookie)
            cookie, value = csrf_cookie(srv, "__Host-vg_csrf")
            path = "/demo/book/edit"
            motif = Demo(srv).video_motif()
            slot = Demo(srv).slots(motif["id"])[0]
            fields = {"lang": "fr", "motif": motif["id"], "mode": "video",
                      "slot": epoch(slot["start"]), "csrf": value}
            ok = post_form(srv, path, fields, cookie=cookie,
                           headers={"Origin": "https://rdv.example.org"})
            self.assertEqual(ok.status, 200, ok)
            # The public URL is the only origin: not the address the server listens on.
            for origin in ("http://127.0.0.1:%d" % srv.port, "http://rdv.example.org",
                           "https://rdv.example.org.evil.example"):
                with self.subTest(origin=origin):
                    r = post_form(srv, path, fields, cookie=cookie, headers={"Origin": origin})
                    self.assertEqual(r.status, 403, r)
            # A cookie without the prefix (settable by a sibling host) is not the token.
            r = post_form(srv, path, fields, cookie="vg_csrf=" + value)
            self.assertEqual(r.status, 403, r)
        finally:
            self.assertEqual(srv.stop(), 0)


def booking_key():
    """The single-use key every booking form carries (43 base64url characters)."""
    return secrets.token_urlsafe(32)


class Integers(unittest.TestCase):
    """A number too large for its field is refused, never truncated into a valid one."""

    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.motif = cls.demo.video_motif()

    def test_terms_version_beyond_32_bits_is_not_read_as_the_current_one(self):
        slot = self.demo.slots(self.motif["id"], days=20)[5]
        cookie, value = csrf_cookie(server)
        version = self.demo.terms_version()
        fields = {"csrf": value, "lang": "fr", "motif": self.motif["id"], "mode": "video",
                  "slot": epoch(slot["start"]), "first_name": "Ivan", "last_name": "Overflow",
                  "email": "ivan@example.org", "language": "fr", "accept_terms": "yes"}
        before = server.appointment_count()
        for sent in (2 ** 32 + version, 2 ** 33 + version, 2 ** 31 + version, 999999999999,
                     "9" * 40, "-1", "1e0", " %d" % version):
            with self.subTest(terms_version=sent):
                r = post_form(server, "/demo/book/confirm",
                              dict(fields, terms_version=sent, booking_key=booking_key()),
                              cookie=cookie)
                self.assertEqual(r.status, 422, r)
                self.assertIn('id="terms_version-error"'.encode(), r.body)
                self.assertEqual(server.appointment_count(), before)
        r = post_form(server, "/demo/book/confirm",
                      dict(fields, terms_version=version, booking_key=booking_key()), cookie=cookie)
        self.assertEqual(r.status, 303, r)

    def test_survey_rating_beyond_32_bits_is_refused(self):
        slot = self.demo.slots(self.motif["id"], days=20)[7]
        r = self.demo.book(self.motif["id"], slot)
        self.assertEqual(r.status, 201, r)
        token = r.json["token"]
        # The appointment took place three days ago, at a time nobody else had.
        start = int((datetime.datetime.now(datetime.timezone.utc)
                     - datetime.timedelta(days=3)).replace(hour=3, minute=17, second=0,
                                                           microsecond=0).timestamp())
        conn = sqlite3.connect(server.db, timeout=30)
        with conn:
            conn.execute("UPDATE appointments SET starts_at=?, ends_at=?, status='honoured' "
                         "WHERE id=(SELECT MAX(id) FROM appointments)", (start, start + 1800))
        conn.close()
        cookie, value = csrf_cookie(server)
        path = "/manage/%s/survey" % token
        for rating in (2 ** 32 + 5, 2 ** 32 + 1, 2 ** 40 + 3, "5" * 30, "-5", "0"):
            with self.subTest(rating=rating):
                r = post_form(server, path, {"csrf": value, "rating": rating}, cookie=cookie)
                self.assertEqual(r.status, 422, r)
                self.assertIn(b'id="rating-error"', r.body)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM satisfaction_surveys")[0][0], 0)
        r = post_form(server, path, {"csrf": value, "rating": "4"}, cookie=cookie)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(server.sql("SELECT rating FROM satisfaction_surveys")[0][0], 4)


class Contact(unittest.TestCase):
    """The management page shows the number that will be called and the needs given, and lets
    the citizen correct the e-mail address and phone number, with the booking rules."""

    def test_correct_contact_details_from_the_management_page(self):
        demo = Demo(server)
        motif = next(m for m in demo.motifs() if "phone" in m["channels"])
        slot = demo.slots(motif["id"], channel="phone", days=20)[4]
        r = demo.book(motif["id"], slot, channel="phone", phone="06 12 34 56 78",
                      email="old@example.org", needs="Interprète en langue des signes")
        self.assertEqual(r.status, 201, r)
        token, appt_id = r.json["token"], r.json["id"]
        page = server.get("/manage/%s?lang=fr" % token).body.decode("utf-8")
        # Stored and shown in international form, readable from anywhere.
        self.assertIn('class="called-number">+33 6 12 34 56 78<', page)
        self.assertIn("Interprète en langue des signes", page)
        self.assertIn('value="old@example.org"', page)
        cookie, value = csrf_cookie(server)
        path = "/manage/%s/contact" % token
        row = lambda: server.sql("SELECT citizen_email, citizen_phone FROM appointments "
                                 "WHERE id=?", (appt_id,))[0]
        for fields, field in (({"email": "not-an-email", "phone": "06 12 34 56 78"}, "email"),
                              ({"email": "new@example.org", "phone": ""}, "phone"),
                              ({"email": "", "phone": "call me"}, "phone")):
            with self.subTest(fields=fields):
                r = post_form(server, path, dict(fields, csrf=value, lang="fr"), cookie=cookie)
                self.assertEqual(r.status, 422, r)
                self.assertIn(('id="%s-error"' % field).encode(), r.body)
                self.assertEqual(row(), ("old@example.org", "+33 6 12 34 56 78"))
        r = post_form(server, path, {"csrf": value, "lang": "fr", "email": "new@example.org",
                                     "phone": "07 81 22 33 44"}, cookie=cookie)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(row(), ("new@example.org", "+33 7 81 22 33 44"))
        page = server.get(r.header("Location").split("#")[0]).body.decode("utf-8")
        self.assertIn('class="called-number">+33 7 81 22 33 44<', page)
        self.assertIn("Vos coordonnées ont été mises à jour.", page)


class PublicLinks(unittest.TestCase):
    """Absolute links come from --public-url (or the loopback listen address), never from
    the Host header a client sends."""

    def test_ics_ignores_the_host_header(self):
        demo = Demo(server)
        motif = demo.video_motif()
        r = demo.book(motif["id"], demo.slots(motif["id"], days=20)[9])
        self.assertEqual(r.status, 201, r)
        token = r.json["token"]
        ics = server.get("/manage/%s/ics" % token, headers={"Host": "evil.example"})
        self.assertEqual(ics.status, 200, ics)
        text = ics.body.decode("utf-8").replace("\r\n ", "")
        self.assertNotIn("evil.example", text)
        self.assertIn("http://127.0.0.1:%d/manage/%s" % (server.port, token), text)

    def test_api_manage_url_ignores_the_host_header(self):
        demo = Demo(server)
        motif = demo.video_motif()
        slot = demo.slots(motif["id"], days=20)[11]
        r = server.post("/api/v1/orgs/demo/appointments", demo.booking(motif["id"], slot),
                        headers={"Host": "evil.example"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["manage_url"],
                         "http://127.0.0.1:%d/manage/%s" % (server.port, r.json["token"]))

    def test_ics_uses_the_public_url(self):
        srv = Server(extra_args=["--outbox-threads", "0", "--public-url",
                                 "https://rdv.example.org"]).prepare().start()
        try:
            demo = Demo(srv)
            motif = demo.video_motif()
            r = demo.book(motif["id"], demo.slots(motif["id"], days=20)[0])
            self.assertEqual(r.status, 201, r)
            token = r.json["token"]
            ics = srv.get("/manage/%s/ics" % token, headers={"Host": "evil.example"})
            text = ics.body.decode("utf-8").replace("\r\n ", "")
            self.assertNotIn("evil.example", text)
            self.assertIn("https://rdv.example.org/manage/" + token, text)
        finally:
            self.assertEqual(srv.stop(), 0)

    def run_serve(self, *args):
        return subprocess.run(
            [server.binary, "serve", "--db", server.db, "--assets", source_dir(),
             "--outbox-threads", "0"] + list(args),
            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)

    def test_serve_refuses_a_public_address_without_public_url(self):
        for listen in ("0.0.0.0:%d" % free_port(), "[::]:%d" % free_port(),
                       "192.0.2.1:%d" % free_port(), "example.org:%d" % free_port()):
            with self.subTest(listen=listen):
                r = self.run_serve("--listen", listen)
                self.assertEqual(r.returncode, 2, r)
                err = r.stderr.decode("utf-8").strip()
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertIn("--public-url", err)
                self.assertEqual(r.stdout, b"")


if __name__ == "__main__":
    unittest.main()
