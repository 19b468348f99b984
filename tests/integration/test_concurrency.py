"""Simultaneous bookings: a slot is never given twice to one agent, and independent slots
never block each other."""

import threading
import unittest

from harness import Demo, Response, module_server, spread_slots

THREADS = 64


# One server for the module, in the global `server`; stopping it must exit 0.
setUpModule, tearDownModule = module_server(globals())


def post_all(bodies):
    """POSTs every body from its own thread, all released at once; returns the responses
    (or the exceptions) in order."""
    results = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = server.post("/api/v1/orgs/demo/appointments", bodies[i], timeout=120)
        except Exception as e:  # noqa: BLE001 - reported by the test
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return results


class Concurrency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.motif = cls.demo.video_motif()
        cls.version = cls.demo.terms_version()

    def body(self, slot, i):
        return {"motif": self.motif["id"], "channel": "video", "start": slot["start"],
                "site": slot["site"]["id"], "accept_terms": True, "terms_version": self.version,
                "citizen": {"first_name": "Client", "last_name": "N%d" % i,
                            "email": "client%d@example.org" % i}}

    def test_same_slot_from_64_clients(self):
        slots = self.demo.slots(self.motif["id"], days=20)
        slot = slots[len(slots) // 3]
        results = post_all([self.body(slot, i) for i in range(THREADS)])
        for r in results:
            self.assertIsInstance(r, Response, r)
            self.assertIn(r.status, (201, 409), r)
        created = [r.json for r in results if r.status == 201]
        self.assertGreaterEqual(len(created), 1)
        self.assertLessEqual(len(created), 6, "more bookings than agents in the demo")
        for r in results:
            if r.status == 409:
                self.assertEqual(r.json["error"]["code"], "slot_unavailable")
                self.assertIsInstance(r.json["alternatives"], list)

        # Every agent able to take the slot got one booking; it is no longer offered.
        self.assertFalse(self.demo.slot_free(self.motif["id"], slot))
        ids = []
        for c in created:
            got = server.get("/api/v1/appointments/" + c["token"])
            self.assertEqual(got.status, 200, got)
            self.assertEqual(got.json["start"], slot["start"])
            self.assertEqual(got.json["status"], "booked")
            ids.append(c["id"])
        agents = server.sql("SELECT agent_id FROM appointments WHERE id IN (%s)"
                            % ",".join("?" * len(ids)), ids)
        self.assertEqual(len({a for (a,) in agents}), len(created), "one agent, two citizens")
        self.assertEqual(server.live_overlaps(), 0)

    def test_distinct_slots_from_64_clients(self):
        slots = spread_slots(self.demo.slots(self.motif["id"], days=41), THREADS)
        self.assertEqual(len(slots), THREADS, "the demo offers enough independent slots")
        results = post_all([self.body(s, 1000 + i) for i, s in enumerate(slots)])
        for slot, r in zip(slots, results):
            self.assertIsInstance(r, Response, r)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json["start"], slot["start"])
            self.assertEqual(r.json["site"]["id"], slot["site"]["id"])
        tokens = {r.json["token"] for r in results}
        self.assertEqual(len(tokens), THREADS)
        self.assertEqual(server.live_overlaps(), 0)


if __name__ == "__main__":
    unittest.main()
