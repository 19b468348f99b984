"""An agent's own availability in the console (issue 12): a new opening plan's slots are
offered to citizens at once; bad input is refused in the page's language with nothing
written; another agent's availability is refused (403) and unknown ids are 404; an absence
that hits a booked appointment lists it first, then cancels it with a reason and the
citizen is told in their language."""

import datetime
import unittest

from harness import Demo, module_server
from staff import AGENT, GOOD, Browser, set_password

setUpModule, tearDownModule = module_server(globals(), smtp_sink=True,
                                            extra_args=["--outbox-poll", "1"])


def agent_id(email):
    return server.sql("SELECT id FROM agents WHERE email = ?", (email,))[0][0]


def plan_count():
    return server.sql("SELECT COUNT(*) FROM opening_plans")[0][0]


def next_weekday(weekday, after_days=2):
    day = datetime.date.today() + datetime.timedelta(days=after_days)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


class Availability(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        set_password(server, AGENT, GOOD)
        cls.b = Browser(server)
        r = cls.b.login(AGENT, GOOD)
        assert r.status == 303, r
        cls.me = agent_id(AGENT)
        cls.evry = [s for s in cls.demo.sites() if "vry" in s["name"]][0]["id"]
        cls.motif = cls.demo.video_motif()["id"]

    def plan(self, **changes):
        fields = {"agent": self.me, "weekdays": "5", "start": "09:00", "end": "12:00",
                  "site": self.evry, "channels": "video",
                  "valid_from": datetime.date.today().isoformat(), "every_n_weeks": "1"}
        fields.update(changes)
        return fields

    def test_a_new_plan_is_offered_at_once(self):
        saturday = next_weekday(5)
        self.assertEqual(self.demo.slots(self.motif, "video", days=0, first_day=saturday), [])
        page = self.b.send("GET", "/console/availability?lang=fr")
        self.assertEqual(page.status, 200)
        self.assertIn("Mes disponibilités", page.body.decode())
        self.assertIn('name="absence_start_time" type="text" inputmode="numeric" value="00:00"',
                      page.body.decode())
        r = self.b.post("/console/availability/plans", self.plan())
        self.assertEqual(r.status, 303, r.body.decode()[:2000])
        slots = self.demo.slots(self.motif, "video", days=0, first_day=saturday)
        self.assertTrue(slots, "the new plan's slots are offered at once")
        self.assertEqual(server.sql("SELECT COUNT(*) FROM config_changes WHERE object_type='plan' "
                                    "AND action='create'")[0][0], 1)
        plan = server.sql("SELECT id FROM opening_plans WHERE agent_id=? AND weekdays=32",
                          (self.me,))[0][0]
        r = self.b.post("/console/availability/plans/%d/delete" % plan, {"agent": self.me})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.demo.slots(self.motif, "video", days=0, first_day=saturday), [])

    def test_bad_input_is_refused_in_the_pages_language_and_nothing_written(self):
        before = plan_count()
        r = self.b.post("/console/availability/plans", self.plan(start="12:00", end="09:00"))
        self.assertEqual(r.status, 422)
        self.assertIn("La fin doit être après le début.", r.body.decode())
        r = self.b.post("/console/availability/plans?lang=en", self.plan(end="25:00"))
        self.assertEqual(r.status, 422)
        self.assertIn("Give a time between 00:00 and 24:00", r.body.decode())
        r = self.b.post("/console/availability/plans?lang=de", self.plan(site="999999"))
        self.assertEqual(r.status, 422)
        self.assertIn("Wählen Sie einen Standort der Einrichtung.", r.body.decode())
        r = self.b.post("/console/availability/plans?lang=nl",
                        self.plan(valid_until="2000-01-01"))
        self.assertEqual(r.status, 422)
        self.assertIn("De einddatum moet na de begindatum komen.", r.body.decode())
        self.assertEqual(plan_count(), before)

    def test_recurring_absence_added_refused_and_deleted(self):
        count = lambda: server.sql("SELECT COUNT(*) FROM recurring_absences WHERE agent_id=?",
                                   (self.me,))[0][0]
        before = count()
        far = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
        fields = {"agent": self.me, "r_weekdays": "6", "r_start": "12:00", "r_end": "13:30",
                  "r_valid_from": far, "r_every_n_weeks": "2", "r_reason": "sport"}
        r = self.b.post("/console/availability/recurring?lang=en", dict(fields, r_end="11:00"))
        self.assertEqual(r.status, 422)
        self.assertIn("The end must come after the start.", r.body.decode())
        self.assertEqual(count(), before)
        r = self.b.post("/console/availability/recurring", fields)
        self.assertEqual(r.status, 303, r.body.decode()[:2000])
        self.assertEqual(count(), before + 1)
        self.assertIn("Absences régulières", self.b.send("GET", "/console/availability?lang=fr").body
                      .decode())
        rid = server.sql("SELECT id FROM recurring_absences WHERE agent_id=? AND reason='sport'",
                         (self.me,))[0][0]
        other = Browser(server)
        set_password(server, "agent2@demo.visioguichet.test", GOOD)
        other.login("agent2@demo.visioguichet.test", GOOD)
        r = other.post("/console/availability/recurring/%d/delete" % rid, {})
        self.assertEqual(r.status, 404)
        r = self.b.post("/console/availability/recurring/%d/delete" % rid, {"agent": self.me})
        self.assertEqual(r.status, 303)
        self.assertEqual(count(), before)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM config_changes WHERE object_type="
                                    "'recurring_absence'")[0][0], 2)

    def test_access(self):
        other = agent_id("agent2@demo.visioguichet.test")
        self.assertEqual(self.b.send("GET", "/console/availability?agent=%d" % other).status, 403)
        self.assertEqual(self.b.send("GET", "/console/availability?agent=999999").status, 404)
        theirs = server.sql("SELECT id FROM opening_plans WHERE agent_id=?", (other,))[0][0]
        self.assertEqual(self.b.send("GET", "/console/availability/plans/%d" % theirs).status,
                         404)
        before = plan_count()
        r = self.b.post("/console/availability/plans/%d/delete" % theirs, {"agent": self.me})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.b.post("/console/availability/plans",
                                     self.plan(agent=other)).status, 403)
        self.assertEqual(plan_count(), before)
        r = Browser(server).send("GET", "/console/availability")
        self.assertEqual((r.status, r.header("Location")), (303, "/login"))
        r = self.b.send("POST", "/console/availability/plans", self.plan())  # no CSRF token
        self.assertEqual(r.status, 403)
        self.assertEqual(plan_count(), before)

    def test_an_absence_lists_the_appointments_it_hits_then_cancels_with_a_reason(self):
        day = next_weekday(3)  # a Thursday: agent1 works at Évry 9:00-12:00
        slots = [s for s in self.demo.slots(self.motif, "video", days=0, first_day=day)]
        self.assertTrue(slots)
        mine = None
        for slot in slots:  # each slot until it is full or agent1 has it
            while mine is None:
                r = self.demo.book(self.motif, slot, email="lena@example.org", language="en")
                if r.status == 409:
                    break
                self.assertEqual(r.status, 201, r)
                a = server.sql("SELECT id, agent_id FROM appointments ORDER BY id DESC LIMIT 1")[0]
                if a[1] == self.me:
                    mine = a[0]
            if mine:
                break
        self.assertIsNotNone(mine, "no booking fell to agent1")
        fields = {"agent": self.me, "absence_start_date": day.isoformat(),
                  "absence_start_time": "00:00", "absence_end_date": day.isoformat(),
                  "absence_end_time": "24:00", "absence_reason": "formation"}
        r = self.b.post("/console/availability/absences", fields)
        self.assertEqual(r.status, 409)
        page = r.body.decode()
        self.assertIn('name="action_%d"' % mine, page)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM absences WHERE agent_id=? AND reason="
                                    "'formation'", (self.me,))[0][0], 0)
        # A cancellation without its reason: 422, nothing written.
        r = self.b.post("/console/availability/absences",
                        dict(fields, **{"action_%d" % mine: "cancel"}))
        self.assertEqual(r.status, 422)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM absences WHERE agent_id=? AND reason="
                                    "'formation'", (self.me,))[0][0], 0)
        r = self.b.post("/console/availability/absences",
                        dict(fields, **{"action_%d" % mine: "cancel",
                                        "reason_%d" % mine: "Conseiller en formation"}))
        self.assertEqual(r.status, 303, r.body.decode()[:3000])
        self.assertEqual(server.sql("SELECT status FROM appointments WHERE id=?", (mine,))[0][0],
                         "cancelled")
        mail = sink.wait_for(1, timeout=20, predicate=lambda m: "lena@example.org" in m.rcpt_tos
                             and "is cancelled" in m.message["Subject"])[0]
        self.assertIn("Conseiller en formation", mail.message.get_body(("plain",)).get_content())
        self.assertEqual(server.live_overlaps(), 0)


if __name__ == "__main__":
    unittest.main()
