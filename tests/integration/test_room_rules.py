"""The video room's rules about time (issue 13; docs/VIDEO.md, "Room rules"), on a server
that runs them every second (--room-rules-interval 1) and sends its e-mails to an SMTP sink:
the automatic no-show of a citizen who never joined (recorded by the system, the message
offering a new booking received), never an on-site appointment nor one whose citizen came;
the late advisor's alert to the organisation's supervisors, once, and the supervision page's
list of citizens waiting for their advisor."""

import asyncio
import json
import sqlite3
import time
import unittest

from harness import Demo, module_server, require, wait_until
from test_console_supervision import SUPERVISOR, supervisor_browser

setUpModule, tearDownModule = module_server(globals(), smtp_sink=True, extra_args=[
    "--room-rules-interval", "1", "--outbox-poll", "1"])

websockets = require("websockets", "python3-websockets")


_booked = [0]


def book(channel="video", email="camille.test@example.org"):
    """(appointment id, room token or None) of a new appointment of the demo."""
    demo = Demo(server)
    motif = demo.video_motif() if channel == "video" else [
        m for m in demo.motifs() if channel in m["channels"]][0]
    slots = demo.slots(motif["id"], channel=channel)
    for i in range(len(slots)):
        slot = slots[(_booked[0] * 5 + i) % len(slots)]
        r = demo.book(motif["id"], slot, channel=channel, email=email)
        if r.status == 201:
            _booked[0] += 1
            url = r.json.get("room_url")
            return r.json["id"], url.rsplit("/", 1)[1] if url else None
    raise AssertionError("no free %s slot" % channel)


def started(appointment, seconds_ago):
    """Moves the appointment so that it started about `seconds_ago` (a minute long: its
    room stays open another 30). Its agent may hold another moved appointment: then a little
    further from the delay (earlier when past it, later when not), never across it."""
    away = 1 if seconds_ago >= 600 else -1
    for k in range(10):
        start = int(time.time()) - seconds_ago - away * 70 * k
        try:
            server.write("UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?",
                   (start, start + 60, appointment))
            return start
        except sqlite3.IntegrityError:  # "appointment overlap" for the same agent
            continue
    raise AssertionError("no free minute for appointment %d" % appointment)


def status(appointment):
    return server.sql("SELECT status FROM appointments WHERE id = ?", (appointment,))[0][0]


class NoShow(unittest.TestCase):
    def test_an_absent_video_citizen_is_marked_no_show_and_offered_a_new_booking(self):
        absent, _ = book(email="absente@example.org")
        on_site, _ = book("on_site", email="sur.place@example.org")
        not_yet, _ = book(email="pas.encore@example.org")
        started(absent, 11 * 60)
        started(on_site, 11 * 60)
        started(not_yet, 8 * 60)  # the delay (10 minutes) has not passed
        mail = sink.wait_for(1, timeout=20, predicate=lambda m: "absente@example.org" in m.rcpt_tos
                             and m.subject.startswith("Rendez-vous manqué"))
        self.assertEqual(status(absent), "no_show")
        self.assertEqual(server.sql(
            "SELECT actor FROM appointment_events WHERE appointment_id = ? AND kind = 'no_show'",
            (absent,)), [("system",)])
        body = mail[0].message.get_body(("plain",)).get_content()
        self.assertIn("/demo/", body)  # the link to book again
        # Once: later runs find nothing more to do.
        wait_until(lambda: server.sql("SELECT COUNT(*) FROM outbox WHERE appointment_id = ? AND "
                                      "status = 'sent'", (absent,))[0][0] >= 1, 10, "sent")
        self.assertEqual(server.sql("SELECT COUNT(*) FROM appointment_events WHERE "
                                    "appointment_id = ? AND kind = 'no_show'", (absent,)),
                         [(1,)])
        # On site: the agent records it; not yet late: still booked.
        self.assertEqual(status(on_site), "booked")
        self.assertEqual(status(not_yet), "booked")

    def test_a_citizen_who_joined_is_never_marked(self):
        came, token = book(email="venue@example.org")
        # Joins while the appointment is ahead, then the delay passes.
        async def join():
            async with websockets.connect(
                    "ws://127.0.0.1:%d/ws/room" % server.port,
                    origin="http://127.0.0.1:%d" % server.port) as ws:
                await ws.send(json.dumps({"type": "hello", "room": token}))
                welcome = json.loads(await ws.recv())
                self.assertEqual(welcome["type"], "welcome")
        server.write("UPDATE organisations SET room_opens_minutes = ? WHERE slug = 'demo'",
               (60 * 24 * 60,))
        asyncio.run(join())
        started(came, 11 * 60)
        # A later absent citizen's no-show shows that a run went by.
        absent, _ = book(email="absent2@example.org")
        started(absent, 11 * 60)
        wait_until(lambda: status(absent) == "no_show", 20, "the other appointment's no-show")
        self.assertEqual(status(came), "booked")


class LateAdvisor(unittest.TestCase):
    def test_supervisors_are_alerted_once_and_see_the_waiting_citizen(self):
        sup = supervisor_browser(server)
        server.write("UPDATE organisations SET room_opens_minutes = ? WHERE slug = 'demo'",
               (60 * 24 * 60,))
        appointment, token = book(email="attend@example.org")
        started(appointment, 9 * 60 + 57)  # late in 3 s

        async def wait_in_room():
            async with websockets.connect(
                    "ws://127.0.0.1:%d/ws/room" % server.port,
                    origin="http://127.0.0.1:%d" % server.port) as ws:
                await ws.send(json.dumps({"type": "hello", "room": token}))
                while True:
                    m = json.loads(await asyncio.wait_for(ws.recv(), 20))
                    if m["type"] == "agent_late":
                        break
                await ws.send(json.dumps({"type": "late_choice", "choice": "callback"}))
                while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "late_choice":
                    pass
                # While the citizen waits, the supervision page lists them with their choice.
                page = sup.send("GET", "/console/supervision/today").body.decode()
                return page

        page = asyncio.run(wait_in_room())
        section = page.split('id="waiting-agent"')[1].split("<h2")[0]
        self.assertIn('href="/console/appointments/%d?' % appointment, section)
        self.assertIn("Être rappelé par téléphone", section)
        mail = sink.wait_for(1, timeout=20, predicate=lambda m: SUPERVISOR in m.rcpt_tos)
        self.assertIn("/console/appointments/%d" % appointment,
                      mail[0].message.get_body(("plain",)).get_content())
        self.assertEqual(server.sql("SELECT COUNT(*) FROM outbox WHERE appointment_id = ? AND "
                                    "kind = 'staff_agent_late'", (appointment,)), [(1,)])
        # Once the citizen left, the page no longer lists them.
        page = sup.send("GET", "/console/supervision/today").body.decode()
        self.assertNotIn('href="/console/appointments/%d?' % appointment,
                         page.split('id="waiting-agent"')[1].split("<h2")[0])
        # The room journal on the appointment page names the delay and the choice.
        page = sup.send("GET", "/console/appointments/%d" % appointment).body.decode()
        self.assertIn("le conseiller est en retard (excuses affichées)", page)
        self.assertIn("être rappelé", page)


if __name__ == "__main__":
    unittest.main()
