"""Isolation and access (issue 12): every console address, with every role, with the ids of
a colleague's and of another organisation's objects, and signed out; a refusal each time one
is due, and the same refusal (404) whether another organisation's object exists or not.

The table ROUTES names every console route; a test reads the sources and fails when a route
is registered that the table does not cover, so a new page cannot skip this walk."""

import glob
import os
import re
import sqlite3
import unittest

from harness import Demo, Server, source_dir, spread_slots
from room_documents_helper import admitted_citizen, open_rooms, upload
from staff import AGENT, GOOD, Browser, cli, set_password, sign_in_with_totp

OTHER = "capac-liege"  # examples/organisation.json
OTHER_AGENT = "marie.dubois@capac.example"

# Who asks. "agent" holds the appointment "own"; "colleague" is another agent of the same
# organisation; "other_admin" administers another organisation; "partner" works for a partner
# of the organisation, "other_partner" for a partner of another organisation.
PRINCIPALS = ("signed_out", "agent", "colleague", "supervisor", "admin", "partner", "other_admin",
              "other_partner")
STAFF = ("agent", "colleague", "supervisor", "admin", "partner", "other_admin", "other_partner")
# A reporting period (partner-screens' reports): a month of a monthly convention, past.
PERIOD = "2026-03"


class Route:
    """A console route. `allow` says who may use it on which object: principal -> set of
    object variants allowed ("any": every object, or a route without one; "org": every object
    of the person's organisation). `kind` names the object that "{id}" in the pattern is."""

    def __init__(self, method, pattern, allow, kind=None, form=None):
        self.method, self.pattern, self.allow, self.kind = method, pattern, allow, kind
        self.form = form or {}  # fields sent with a POST; "{id}" is replaced like the path's

    @property
    def path(self):
        return self.pattern.split("?")[0]

    def __repr__(self):
        return "%s %s" % (self.method, self.pattern)


EVERYONE = {p: {"any"} for p in STAFF}
# The console's pages: everyone but partner staff, who work at /partner/.
CONSOLE = {p: {"any"} for p in STAFF if p not in ("partner", "other_partner")}
ADMINS = {"admin": {"any"}, "other_admin": {"any"}}
ADMIN_ORG = {"admin": {"org"}}  # an object of the administrator's organisation
SUPERVISORS = {"supervisor": {"any"}, "admin": {"any"}, "other_admin": {"any"}}
SUPERVISOR_ORG = {"supervisor": {"org"}, "admin": {"org"}}
# An appointment or an agent's agenda: its agent, the supervisors and administrators there.
HOLDER = {"agent": {"own"}, "colleague": {"colleague"}, "supervisor": {"org"}, "admin": {"org"}}
# An agent's availability: the agent, and the administrators (not the supervisors).
AVAILABILITY = {"agent": {"own"}, "colleague": {"colleague"}, "admin": {"org"}}
BOOKERS = {"agent": {"any"}, "colleague": {"any"}, "supervisor": {"any"}}
AGENTS = {"agent": {"any"}, "colleague": {"any"}}
ABSENCE = {"start_day": "2035-03-05", "start_time": "09:00", "end_day": "2035-03-05",
           "end_time": "10:00", "reason": "x"}


def appointment_routes():
    yield Route("GET", "/console/appointments/{id}", HOLDER, "appointment")
    yield Route("GET", "/console/appointments/{id}/reschedule", HOLDER, "appointment")
    for action in ("cancel", "done", "no-show", "note", "phone", "present", "reschedule"):
        yield Route("POST", "/console/appointments/{id}/" + action, HOLDER, "appointment")


# The video room (room_pages.cpp): the agent who holds the appointment only; supervisors and
# administrators join by invitation.
ROOM_HOLDER = {"agent": {"own"}, "colleague": {"colleague"}}


def room_routes():
    yield Route("GET", "/console/appointments/{id}/room", ROOM_HOLDER, "appointment")
    # A document of the room (room_documents.cpp): its appointment's agent only; anyone
    # else gets 404 (even a colleague or a supervisor of the organisation).
    yield Route("GET", "/console/appointments/{id}/documents/{doc}", ROOM_HOLDER, "document")
    for action in ("identity", "invitations", "invitations/revoke"):
        yield Route("POST", "/console/appointments/{id}/room/" + action, ROOM_HOLDER,
                    "appointment")


def admin_routes():
    for page in ("/", "/settings", "/journal", "/sites", "/sites/new", "/motifs",
                 "/motifs/new", "/members", "/logo", "/terms", "/teams", "/holidays"):
        yield Route("GET", "/console/admin" + page, ADMINS)
    for page in ("/settings", "/sites", "/motifs", "/members", "/logo", "/terms", "/teams",
                 "/holidays"):
        yield Route("POST", "/console/admin" + page, ADMINS)
    # A message kind and a language are no organisation's objects: walked with one value.
    for page in ("/messages", "/messages/{kind}", "/messages/{kind}/preview",
                 "/messages/{kind}/preview/{lang}"):
        yield Route("GET", "/console/admin" + page, ADMINS)
    yield Route("POST", "/console/admin/messages/{kind}", ADMINS)
    # The platform administrators' page: none of the principals holds the flag.
    yield Route("GET", "/console/platform", {})
    yield Route("POST", "/console/platform", {})
    # A closed day of a site: the site is looked up in the organisation before the form.
    yield Route("POST", "/console/admin/holidays", ADMIN_ORG, "site",
                {"site": "{id}", "first": "2035-03-05", "label": "x"})
    yield Route("POST", "/console/admin/holidays/{id}/delete", ADMIN_ORG, "holiday")
    for kind in ("site", "motif"):
        yield Route("GET", "/console/admin/%ss/{id}" % kind, ADMIN_ORG, kind)
        yield Route("POST", "/console/admin/%ss/{id}" % kind, ADMIN_ORG, kind)
    for action in ("roles", "disable", "enable"):
        yield Route("POST", "/console/admin/members/{id}/" + action, ADMIN_ORG, "account")
    for action in ("rename", "delete", "agents", "supervisors"):
        yield Route("POST", "/console/admin/teams/{id}/" + action, ADMIN_ORG, "team")


# The partners' administration (console_partners.cpp): administrators write, supervisors
# read; a partner's id (and its site's, its action's) of the organisation only.
PARTNER_READERS = {"supervisor": {"org"}, "admin": {"org"}}


def partner_routes():
    yield Route("GET", "/console/admin/partners", SUPERVISORS)
    yield Route("POST", "/console/admin/partners", ADMINS, form={"name": "x"})
    yield Route("GET", "/console/admin/partners/{id}", PARTNER_READERS, "partner")
    yield Route("GET", "/console/admin/partners/{id}/sites/new", PARTNER_READERS, "partner")
    yield Route("GET", "/console/admin/partners/{id}/sites/{site}", PARTNER_READERS,
                "partner_site")
    yield Route("POST", "/console/admin/partners/{id}/sites/{site}", ADMIN_ORG, "partner_site",
                {"name": "x"})
    for action in ("", "/sites", "/staff", "/label", "/convention", "/withdraw", "/actions"):
        yield Route("POST", "/console/admin/partners/{id}" + action, ADMIN_ORG, "partner",
                    {"name": "x"})
    yield Route("POST", "/console/admin/partners/{id}/actions/{action}/done", ADMIN_ORG,
                "partner_action", {"done": "1"})
    # A site's opening hours and closures (partner-hours).
    yield Route("POST", "/console/admin/partners/{id}/sites/{site}/hours", ADMIN_ORG,
                "partner_site", {"h0_0_opens": "09:00", "h0_0_closes": "12:00"})
    yield Route("POST", "/console/admin/partners/{id}/sites/{site}/closures", ADMIN_ORG,
                "partner_site", {"from": "2035-03-05"})
    yield Route("POST", "/console/admin/partners/{id}/sites/{site}/closures/{closure}/delete",
                ADMIN_ORG, "partner_closure")
    # A partner's submitted report, read by the organisation (partner_pages.cpp).
    yield Route("GET", "/console/admin/partners/{id}/reports/{period}", PARTNER_READERS,
                "partner")


# The organisation's overview of its partners (console_partner_caf.cpp): supervisors and
# administrators read, of their own organisation's partners only.
def partner_caf_routes():
    yield Route("GET", "/console/partners", SUPERVISORS)
    yield Route("GET", "/console/partners/export.csv", SUPERVISORS)
    yield Route("GET", "/console/partners/export.xlsx", SUPERVISORS)
    yield Route("GET", "/console/partners/{id}", PARTNER_READERS, "partner")
    yield Route("GET", "/console/partners/{id}/reports.csv", PARTNER_READERS, "partner")
    yield Route("GET", "/console/partners/{id}/reports.xlsx", PARTNER_READERS, "partner")
    # The end of a partnership: administrators of the organisation only. The matrix's
    # partner's convention holds, so its archiving is refused (422), not done.
    yield Route("POST", "/console/partners/{id}/trainings", ADMIN_ORG, "partner",
                {"kind": "update", "title": "x", "attended_on": "2026-01-05"})
    yield Route("POST", "/console/partners/{id}/notice", ADMIN_ORG, "partner")
    yield Route("POST", "/console/partners/{id}/staff/{account}/remove", ADMIN_ORG,
                "partner_staff")
    yield Route("POST", "/console/partners/{id}/sites/{site}/archive", ADMIN_ORG, "partner_site")
    yield Route("POST", "/console/partners/{id}/archive", ADMIN_ORG, "partner")


# The partner's own screens (partner_pages.cpp): partner staff only, each its own partner's
# (no partner id in the address; a visit's id of its own partner only).
PARTNERS = {"partner": {"any"}, "other_partner": {"any"}}
OWN_VISIT = {"partner": {"own"}, "other_partner": {"other"}}


def partner_screen_routes():
    yield Route("GET", "/partner/", PARTNERS)
    yield Route("GET", "/partner/visits/new", PARTNERS)
    yield Route("POST", "/partner/visits", PARTNERS)
    yield Route("POST", "/partner/visits/{id}/delete", OWN_VISIT, "visit")
    yield Route("GET", "/partner/reports/{period}", PARTNERS)
    yield Route("POST", "/partner/reports/{period}", PARTNERS)
    # Bookings on a citizen's behalf (partner_booking.cpp): an appointment booked by the
    # partner's own site only ("colleague": by another partner of the organisation).
    yield Route("GET", "/partner/bookings", PARTNERS)
    yield Route("GET", "/partner/bookings/new", PARTNERS)
    yield Route("POST", "/partner/bookings", PARTNERS)
    yield Route("POST", "/partner/bookings/{id}/cancel", OWN_VISIT, "partner_booking",
                {"reason": "x"})
    # Today at the partner's desks: a room link for its own desk appointments only.
    yield Route("GET", "/partner/today", PARTNERS)
    yield Route("POST", "/partner/today/{id}/room", OWN_VISIT, "partner_booking")
    yield Route("POST", "/partner/today/{id}/done", OWN_VISIT, "partner_booking",
                {"token": "x"})
    # No label for either partner of the matrix: 404 to its staff, 403 to anyone else.
    yield Route("GET", "/partner/certificate.pdf", {})


def availability_routes():
    yield Route("GET", "/console/availability", {**AGENTS, **ADMINS})
    yield Route("GET", "/console/availability?agent={id}", AVAILABILITY, "agent")
    yield Route("GET", "/console/availability/plans/{id}", AVAILABILITY, "plan")
    yield Route("POST", "/console/availability/plans/{id}", AVAILABILITY, "plan")
    yield Route("POST", "/console/availability/plans/{id}/delete", AVAILABILITY, "plan")
    yield Route("POST", "/console/availability/absences/{id}/delete", AVAILABILITY, "absence")
    yield Route("POST", "/console/availability/recurring/{id}/delete", AVAILABILITY,
                "recurring")
    for page in ("plans", "absences", "recurring"):
        yield Route("POST", "/console/availability/" + page, AVAILABILITY, "agent",
                    dict(ABSENCE, agent="{id}"))


def supervision_routes():
    yield Route("GET", "/console/supervision/today", SUPERVISORS)
    yield Route("GET", "/console/supervision/appointments/{id}/reassign", SUPERVISOR_ORG,
                "appointment")
    yield Route("POST", "/console/supervision/appointments/{id}/reassign", SUPERVISOR_ORG,
                "appointment")
    yield Route("GET", "/console/supervision/close-site", SUPERVISORS)
    yield Route("GET", "/console/supervision/close-site?site={id}&day=2035-03-05",
                SUPERVISOR_ORG, "site")
    yield Route("POST", "/console/supervision/close-site", SUPERVISOR_ORG, "site",
                {"site": "{id}", "day": "2035-03-05", "reason": "x", "fingerprint": "x"})


# Statistics (issue 14): everyone but partners; an agent sees their own figures only.
STATS = {"agent": {"any"}, "colleague": {"any"}, "supervisor": {"any"}, "admin": {"any"},
         "other_admin": {"any"}}
STATS_ORG = {"agent": {"org"}, "colleague": {"org"}, "supervisor": {"org"}, "admin": {"org"}}


def stats_routes():
    for path in ("/console/stats", "/console/stats/export.csv", "/console/stats/export.xlsx"):
        yield Route("GET", path, STATS)
        yield Route("GET", path + "?agent={id}", HOLDER, "agent")
        for kind in ("site", "motif", "team"):
            yield Route("GET", path + "?%s={id}" % kind, STATS_ORG, kind)
    yield Route("POST", "/console/stats/keys/{id}/revoke", ADMIN_ORG, "apikey")
    # The public figures page's administration (public_figures.cpp): the person's own
    # organisation only, no id in the address.
    yield Route("GET", "/console/admin/figures", ADMINS)
    yield Route("POST", "/console/admin/figures", ADMINS)
    yield Route("POST", "/console/admin/figures/delays", ADMINS)


def agenda_routes():
    yield Route("GET", "/console/agenda", CONSOLE)
    yield Route("GET", "/console/agenda?view=week&agent={id}", HOLDER, "agent")
    yield Route("GET", "/console/agenda/print", CONSOLE)
    for route in ("GET /console/calendar", "POST /console/calendar",
                  "POST /console/calendar/revoke"):
        method, path = route.split()
        yield Route(method, path, AGENTS)
    yield Route("POST", "/console/language", EVERYONE)


ROUTES = [
    # Own account, own organisation's choice: any role.
    Route("GET", "/console/", EVERYONE),
    Route("POST", "/console/organisation", EVERYONE),
    Route("GET", "/console/totp", EVERYONE),
    Route("POST", "/console/totp", EVERYONE),
    *agenda_routes(),
    # The appointment page and booking on behalf (console_appointment.cpp).
    *appointment_routes(),
    *room_routes(),
    Route("GET", "/console/book", BOOKERS),
    Route("POST", "/console/book", BOOKERS),
    Route("GET", "/console/admin/outcomes", ADMINS),
    Route("POST", "/console/admin/outcomes", ADMINS),
    *availability_routes(),
    *supervision_routes(),
    *admin_routes(),
    *stats_routes(),
    *partner_routes(),
    *partner_screen_routes(),
    *partner_caf_routes(),
]
# Routes of the sign-in machinery, open to everyone by design (tested in test_accounts.py).
PUBLIC = {"/console", "/console/{a}", "/console/{a}/{b}", "/console/{a}/{b}/{c}",
          "/console/{a}/{b}/{c}/{d}",
          "/console/admin",  # a redirect to /console/admin/ for anyone
          "/calendar/{file}",  # the calendar feed: its secret link (test_console_agenda.py)
          "/partner"}  # a redirect to /partner/ for anyone


def registered_console_routes():
    """(method, pattern) of every router.get/post under /console, /calendar or /partner in
    src/web."""
    found = set()
    for path in glob.glob(os.path.join(source_dir(), "src", "web", "*.cpp")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for method, pattern in re.findall(
                r'\.(get|post)\(\s*"(/(?:console|calendar|partner)[^"]*)"', text):
            found.add((method.upper(), pattern))
    return found


def fill(pattern, oid):
    """The pattern with its object's id; a document is (appointment id, document id)."""
    pattern = pattern.replace("{period}", PERIOD)
    if isinstance(oid, tuple):
        if len(oid) > 2:  # (partner, site, closure)
            pattern = pattern.replace("{closure}", str(oid[2]))
        return (pattern.replace("{id}", str(oid[0])).replace("{doc}", str(oid[1]))
                .replace("{site}", str(oid[1])).replace("{action}", str(oid[1]))
                .replace("{account}", str(oid[1])))
    return pattern.replace("{id}", str(oid))


class Coverage(unittest.TestCase):
    def test_every_console_route_is_in_the_matrix(self):
        covered = {(r.method, r.path) for r in ROUTES}
        missing = sorted(x for x in registered_console_routes()
                         if x not in covered and x[1] not in PUBLIC)
        self.assertEqual(missing, [], "routes the access matrix does not walk")


class Matrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = srv = Server().prepare()
        r = cli(srv, "import", os.path.join(source_dir(), "examples", "organisation.json"))
        assert r.returncode == 0, r.stderr
        accounts = {
            "agent": AGENT,
            "colleague": "agent2@demo.visioguichet.test",
            "supervisor": "chef@demo.visioguichet.test",
            "admin": "admin@demo.visioguichet.test",
            "partner": "partenaire@demo.visioguichet.test",
            "other_admin": "admin@capac.example",
            "other_partner": "partenaire@capac.example",
        }
        # The partner role names its partner structure (partner-admin).
        r = cli(srv, "partner", "create", "--org", "demo", "--name", "Mairie de Matrice")
        assert r.returncode == 0, r.stderr
        cls.demo_partner = int(r.stdout.strip())
        r = cli(srv, "partner", "create", "--org", OTHER, "--name", "Commune de Matrice")
        assert r.returncode == 0, r.stderr
        cls.other_partner = int(r.stdout.strip())
        for role, org in (("supervisor", "demo"), ("admin", "demo"), ("partner", "demo"),
                          ("other_admin", OTHER), ("other_partner", OTHER)):
            extra = {"partner": ["--partner", str(cls.demo_partner)],
                     "other_partner": ["--partner", str(cls.other_partner)]}.get(role, [])
            real = {"other_admin": "admin", "other_partner": "partner"}.get(role, role)
            r = cli(srv, "user", "add", "--org", org, "--email", accounts[role], "--role",
                    real, *extra)
            assert r.returncode == 0, r.stderr
        for email in list(accounts.values()) + [OTHER_AGENT]:
            set_password(srv, email, GOOD)
        srv.start()
        cls.browsers = {"signed_out": Browser(srv)}
        for p in STAFF:
            b = Browser(srv)
            if p in ("supervisor", "admin", "other_admin"):
                sign_in_with_totp(b, accounts[p], GOOD)
            else:
                r = b.login(accounts[p], GOOD)
                assert r.status == 303, r
            cls.browsers[p] = b
        cls.objects = cls.make_objects(srv)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    @classmethod
    def make_objects(cls, srv):
        """Ids by kind and variant: own (the agent's), colleague's, other organisation's,
        missing (exists nowhere)."""
        demo = Demo(srv)
        motif = demo.video_motif()
        agent_id = srv.sql("SELECT agent_id FROM memberships m JOIN accounts a ON "
                           "a.id = m.account_id WHERE a.email = ?", (AGENT,))[0][0]
        colleague_id = srv.sql("SELECT agent_id FROM memberships m JOIN accounts a ON "
                               "a.id = m.account_id WHERE a.email = ?",
                               ("agent2@demo.visioguichet.test",))[0][0]
        # Book until both agents hold one.
        held, room_token = {}, {}
        for slot in spread_slots(demo.slots(motif["id"]), 30):
            r = demo.book(motif["id"], slot)
            assert r.status == 201, r
            a = srv.sql("SELECT id, agent_id FROM appointments ORDER BY id DESC LIMIT 1")[0]
            held.setdefault(a[1], a[0])
            room_token[a[0]] = r.json["room_url"].rsplit("/", 1)[1]
            if agent_id in held and colleague_id in held:
                break
        other = Demo(srv)
        other.ORG = OTHER
        omotif = [m for m in other.motifs() if "video" in m["channels"]][0]
        oslot = other.slots(omotif["id"], days=40)[0]
        r = other.book(omotif["id"], oslot)
        assert r.status == 201, r
        other_appointment = srv.sql("SELECT id FROM appointments ORDER BY id DESC LIMIT 1")[0][0]
        room_token[other_appointment] = r.json["room_url"].rsplit("/", 1)[1]
        # A document in the room of each (the rooms opened for it).
        document = {}
        for slug in ("demo", OTHER):
            open_rooms(srv, slug)
        for variant, appointment in (("own", held[agent_id]), ("colleague", held[colleague_id]),
                                     ("other", other_appointment)):
            r = upload(srv, room_token[appointment], admitted_citizen(srv, appointment), "a.pdf",
                       b"%PDF-1.7 matrix")
            assert r.status == 201, r
            document[variant] = (appointment, r.json["document"]["id"])
        document["missing"] = (held[agent_id], 999999)
        org = {slug: srv.sql("SELECT id FROM organisations WHERE slug = ?", (slug,))[0][0]
               for slug in ("demo", OTHER)}
        site = {slug: srv.sql("SELECT MIN(id) FROM sites WHERE organisation_id = ?",
                              (org[slug],))[0][0] for slug in org}
        motif_ids = {slug: srv.sql("SELECT MIN(id) FROM motifs WHERE organisation_id = ?",
                                   (org[slug],))[0][0] for slug in org}
        other_agent = srv.sql("SELECT MIN(id) FROM agents WHERE organisation_id = ?",
                              (org[OTHER],))[0][0]
        other_agent_id = other_agent
        accounts = {email: srv.sql("SELECT id FROM accounts WHERE email = ?", (email,))[0][0]
                    for email in (AGENT, OTHER_AGENT)}
        plan = {a: srv.sql("SELECT MIN(id) FROM opening_plans WHERE agent_id = ?", (a,))[0][0]
                for a in (agent_id, colleague_id, other_agent_id)}
        # Absences, recurring absences and teams of each, written beside the server (far in
        # the future: no slot of the tests is concerned).
        absence, recurring, team, apikey = {}, {}, {}, {}
        conn = sqlite3.connect(srv.db, timeout=30)
        try:
            for a, slug in ((agent_id, "demo"), (colleague_id, "demo"), (other_agent_id, OTHER)):
                absence[a] = conn.execute(
                    "INSERT INTO absences (organisation_id, agent_id, starts_at, ends_at, reason) "
                    "VALUES (?, ?, 2056000000, 2056003600, 'x') RETURNING id",
                    (org[slug], a)).fetchone()[0]
                recurring[a] = conn.execute(
                    "INSERT INTO recurring_absences (organisation_id, agent_id, weekdays, "
                    "start_minute, end_minute, valid_from, reason) "
                    "VALUES (?, ?, 64, 1200, 1260, 2056000000, 'x') RETURNING id",
                    (org[slug], a)).fetchone()[0]
            holiday = {}
            for slug in org:
                holiday[slug] = conn.execute(
                    "INSERT INTO closed_days (organisation_id, first_day, last_day, label, "
                    "created_by, created_at) VALUES (?, 23800, 23800, 'x', 'test', 0) "
                    "RETURNING id", (org[slug],)).fetchone()[0]
            for slug in org:
                apikey[slug] = conn.execute(
                    "INSERT INTO api_keys (organisation_id, name, key_hash, created_at) "
                    "VALUES (?, 'Matrix', ?, 0) RETURNING id",
                    (org[slug], "matrix-" + slug)).fetchone()[0]
            # A partner of each organisation with a site, a convention and an action item.
            partner, psite, paction, pclosure, pstaff = {}, {}, {}, {}, {}
            for slug in org:
                partner[slug] = conn.execute(
                    "INSERT INTO partners (organisation_id, name, created_at) "
                    "VALUES (?, 'Matrix partner', 0) RETURNING id", (org[slug],)).fetchone()[0]
                psite[slug] = conn.execute(
                    "INSERT INTO partner_sites (partner_id, organisation_id, name, created_at) "
                    "VALUES (?, ?, 'x', 0) RETURNING id", (partner[slug], org[slug])).fetchone()[0]
                convention = conn.execute(
                    "INSERT INTO conventions (partner_id, organisation_id, signed_on, created_by, "
                    "created_at) VALUES (?, ?, 20500, 'test', 0) RETURNING id",
                    (partner[slug], org[slug])).fetchone()[0]
                paction[slug] = conn.execute(
                    "INSERT INTO convention_actions (convention_id, organisation_id, item, "
                    "created_at) VALUES (?, ?, 'x', 0) RETURNING id",
                    (convention, org[slug])).fetchone()[0]
                pclosure[slug] = conn.execute(
                    "INSERT INTO partner_closures (partner_site_id, organisation_id, from_day, "
                    "to_day, created_at) VALUES (?, ?, 23800, 23800, 0) RETURNING id",
                    (psite[slug], org[slug])).fetchone()[0]
                conn.execute("INSERT INTO partner_reports (partner_id, organisation_id, period, "
                             "submitted_at) VALUES (?, ?, ?, 0)", (partner[slug], org[slug], PERIOD))
                # A staff member of that partner (partner-caf removes them).
                pstaff[slug] = conn.execute(
                    "INSERT INTO accounts (email, email_key, created_at) VALUES (?, ?, 0) "
                    "RETURNING id", ("staff-%s@matrix.test" % slug,
                                     "staff-%s@matrix.test" % slug)).fetchone()[0]
                conn.execute("INSERT INTO memberships (account_id, organisation_id, role, "
                             "partner_id, created_at) VALUES (?, ?, 'partner', ?, 0)",
                             (pstaff[slug], org[slug], partner[slug]))
            # A visit of the principal partner's, of another partner of the organisation and of
            # the other organisation's principal partner (partner-screens).
            visit, vsites = {}, {}
            for variant, pid, slug in (("own", cls.demo_partner, "demo"),
                                       ("colleague", partner["demo"], "demo"),
                                       ("other", cls.other_partner, OTHER)):
                vsite = conn.execute(
                    "INSERT INTO partner_sites (partner_id, organisation_id, name, created_at) "
                    "VALUES (?, ?, 'v', 0) RETURNING id", (pid, org[slug])).fetchone()[0]
                visit[variant] = conn.execute(
                    "INSERT INTO partner_visits (partner_site_id, partner_id, organisation_id, "
                    "day, sex, age_band, allocataire, autonomy, resolved, created_at) VALUES "
                    "(?, ?, ?, 20500, 'man', 'over_60', 0, 'beginner', 'yes', 0) RETURNING id",
                    (vsite, pid, org[slug])).fetchone()[0]
                vsites[variant] = vsite
            visit["missing"] = 999999
            # Appointments booked by a partner (partner-booking): by the principal partner's
            # site, another partner's of the organisation, the other organisation's partner's.
            for variant, appointment in (("own", held[agent_id]),
                                         ("colleague", held[colleague_id]),
                                         ("other", other_appointment)):
                conn.execute("UPDATE appointments SET booked_by = 'partner', "
                             "booked_by_partner_site_id = ? WHERE id = ?",
                             (vsites[variant] if variant != "colleague" else psite["demo"],
                              appointment))
            for slug in org:
                team[slug] = conn.execute(
                    "INSERT INTO teams (organisation_id, name, created_at) "
                    "VALUES (?, 'Matrix', 0) RETURNING id", (org[slug],)).fetchone()[0]
            conn.commit()
        finally:
            conn.close()

        def per_agent(ids):
            return {"own": ids[agent_id], "colleague": ids[colleague_id],
                    "other": ids[other_agent_id], "missing": 999999}

        return {
            "document": document,
            "appointment": {"own": held[agent_id], "colleague": held[colleague_id],
                            "other": other_appointment, "missing": 999999},
            "plan": per_agent(plan),
            "absence": per_agent(absence),
            "recurring": per_agent(recurring),
            "team": {"org": team["demo"], "other": team[OTHER], "missing": 999999},
            "holiday": {"org": holiday["demo"], "other": holiday[OTHER], "missing": 999999},
            "apikey": {"org": apikey["demo"], "other": apikey[OTHER], "missing": 999999},
            "account": {"org": accounts[AGENT], "other": accounts[OTHER_AGENT],
                        "missing": 999999},
            "agent": {"own": agent_id, "colleague": colleague_id, "other": other_agent,
                      "missing": 999999},
            "site": {"org": site["demo"], "other": site[OTHER], "missing": 999999},
            "motif": {"org": motif_ids["demo"], "other": motif_ids[OTHER], "missing": 999999},
            "partner": {"org": partner["demo"], "other": partner[OTHER], "missing": 999999},
            "visit": visit,
            "partner_booking": {"own": held[agent_id], "colleague": held[colleague_id],
                                "other": other_appointment, "missing": 999999},
            # (partner, site) and (partner, action): another organisation's pair, or a pair of
            # this organisation's partner with another organisation's site or action.
            "partner_site": {"org": (partner["demo"], psite["demo"]),
                             "other": (partner[OTHER], psite[OTHER]),
                             "missing": (partner["demo"], psite[OTHER])},
            # (partner, site, closure): the same, with another organisation's closure.
            "partner_closure": {"org": (partner["demo"], psite["demo"], pclosure["demo"]),
                                "other": (partner[OTHER], psite[OTHER], pclosure[OTHER]),
                                "missing": (partner["demo"], psite["demo"], pclosure[OTHER])},
            "partner_staff": {"org": (partner["demo"], pstaff["demo"]),
                              "other": (partner[OTHER], pstaff[OTHER]),
                              "missing": (partner["demo"], pstaff[OTHER])},
            "partner_action": {"org": (partner["demo"], paction["demo"]),
                               "other": (partner[OTHER], paction[OTHER]),
                               "missing": (partner["demo"], paction[OTHER])},
        }

    def cases(self, route):
        """(principal, variant, path) of every request to make for this route."""
        if route.kind is None:
            path = (route.pattern.replace("{kind}", "confirmation").replace("{lang}", "fr")
                    .replace("{period}", PERIOD))
            for p in PRINCIPALS:
                yield p, "any", path, route.form
            return
        for variant, oid in self.objects[route.kind].items():
            path = fill(route.pattern, oid)
            form = {k: fill(v, oid) for k, v in route.form.items()}
            for p in PRINCIPALS:
                yield p, variant, path, form

    def allowed(self, route, principal, variant):
        allow = route.allow.get(principal, set())
        if variant == "missing":
            return False
        if principal == "other_admin":  # "other" is their own organisation's object
            return "any" in allow or (variant == "other" and "org" in route.allow.get("admin", ()))
        # "org" covers every object of the person's own organisation.
        if "org" in allow and variant in ("own", "colleague", "org"):
            return principal != "other_admin"
        return variant in allow or "any" in allow

    def test_every_route_refuses_whom_it_should(self):
        problems = []
        for route in ROUTES:
            for principal, variant, path, form in self.cases(route):
                b = self.browsers[principal]
                allowed = principal != "signed_out" and self.allowed(route, principal, variant)
                if route.method == "POST" and allowed:
                    continue  # a permitted write is the business of the page's own tests
                r = b.send("GET", path) if route.method == "GET" else b.post(path, form)
                location = r.header("Location") or ""
                if principal == "signed_out":
                    ok = r.status == 303 and location.startswith("/login")
                elif allowed:
                    ok = r.status in (200, 303) and not location.startswith("/login")
                else:
                    ok = r.status in (403, 404)
                if not ok:
                    problems.append("%s %s as %s (%s): %d %s" % (
                        route.method, path, principal, variant, r.status, location))
        self.maxDiff = None
        self.assertEqual(problems, [], "\n".join(problems))

    def test_another_organisations_object_is_answered_like_a_missing_one(self):
        for route in ROUTES:
            if route.kind is None or route.method != "GET":
                continue
            ids = self.objects[route.kind]
            for principal in ("agent", "supervisor", "admin"):
                b = self.browsers[principal]
                other = b.send("GET", fill(route.pattern, ids["other"]))
                missing = b.send("GET", fill(route.pattern, ids["missing"]))
                if other.status in (403, 404) or missing.status in (403, 404):
                    # The page links to itself in other languages: the id differs there only
                    # (whole numbers after "/", its escape "&#x2F;" or "=", so that a small id
                    # matches neither inside "&#x2F;" nor the viewport's "initial-scale=1").
                    def masked(body, oid):
                        for n in (oid if isinstance(oid, tuple) else (oid,)):
                            body = re.sub(rb"(?<=[/;=])(?<!scale=)%d(?![0-9A-Za-z])" % n, b"ID",
                                          body)
                        return body
                    self.assertEqual(
                        (other.status, masked(other.body, ids["other"])),
                        (missing.status, masked(missing.body, ids["missing"])),
                        "%s as %s" % (route, principal))


if __name__ == "__main__":
    unittest.main()
