"""The public JSON API on the demo organisation: catalogue, slots and a booking's life."""

import datetime
import unittest
import urllib.parse

from harness import Demo, ISO_WITH_OFFSET, TOKEN_SHAPE, module_server


# One server for the module, in the global `server`; stopping it must exit 0.
setUpModule, tearDownModule = module_server(globals())


def slots_path(**q):
    return "/api/v1/orgs/demo/slots?" + urllib.parse.urlencode(q)


class ApiCase(unittest.TestCase):
    def setUp(self):
        self.demo = Demo(server)

    def assertJson(self, r, status):
        self.assertEqual(r.status, status, r)
        self.assertTrue((r.header("Content-Type") or "").startswith("application/json"), r.headers)
        return r.json

    def assertError(self, r, status, *fields):
        body = self.assertJson(r, status)
        err = body["error"]
        self.assertIsInstance(err["code"], str)
        self.assertTrue(err["message"], body)
        self.assertIsInstance(err["fields"], dict)
        for f in fields:
            self.assertIn(f, err["fields"], body)
            self.assertTrue(err["fields"][f], body)
        return body


class Catalogue(ApiCase):
    def test_motifs(self):
        body = self.assertJson(server.get("/api/v1/orgs/demo/motifs"), 200)
        motifs = body["motifs"]
        self.assertGreaterEqual(len(motifs), 5)
        for m in motifs:
            for key in ("id", "name", "theme", "duration_minutes", "channels", "documents",
                        "asks_beneficiary_number"):
                self.assertIn(key, m)
            self.assertIsInstance(m["id"], int)
            self.assertTrue(m["name"])
            self.assertTrue(set(m["channels"]) <= {"video", "on_site", "phone"}, m)
            self.assertTrue(m["channels"])
            self.assertIsInstance(m["documents"], list)
            self.assertIsInstance(m["asks_beneficiary_number"], bool)
        # Public motifs only: the follow-up offered by agents is not listed.
        self.assertNotIn("social_follow_up", [m.get("code") for m in motifs])
        self.assertTrue(any(m["asks_beneficiary_number"] for m in motifs))

    def test_motif_names_follow_the_language(self):
        fr = server.get("/api/v1/orgs/demo/motifs?lang=fr").json["motifs"]
        en = server.get("/api/v1/orgs/demo/motifs", headers={"Accept-Language": "en-GB,en;q=0.8"})
        en = en.json["motifs"]
        self.assertEqual([m["id"] for m in fr], [m["id"] for m in en])
        self.assertNotEqual([m["name"] for m in fr], [m["name"] for m in en])

    def test_sites(self):
        sites = self.assertJson(server.get("/api/v1/orgs/demo/sites"), 200)["sites"]
        self.assertEqual(len(sites), 3)
        for s in sites:
            for key in ("id", "name", "address", "postal_code", "city", "time_zone", "is_partner"):
                self.assertIn(key, s)
        self.assertEqual(sum(1 for s in sites if s["is_partner"]), 1)
        self.assertIn("Point numérique", [s for s in sites if s["is_partner"]][0]["name"])

    def test_terms(self):
        body = self.assertJson(server.get("/api/v1/orgs/demo/terms"), 200)
        self.assertIsInstance(body["version"], int)
        self.assertGreaterEqual(body["version"], 1)
        self.assertTrue(body["text"])
        self.assertTrue(body["conduct_rules"])

    def test_unknown_organisation(self):
        for path in ("/api/v1/orgs/nope/motifs", "/api/v1/orgs/nope/sites",
                     "/api/v1/orgs/nope/terms",
                     "/api/v1/orgs/nope/slots?motif=1&channel=video&from=2030-01-01&to=2030-01-02",
                     "/api/v1/orgs/" + "x" * 300 + "/motifs"):
            self.assertError(server.get(path), 404)
        r = server.post("/api/v1/orgs/nope/appointments", {"motif": 1})
        self.assertError(r, 404)


class Slots(ApiCase):
    def test_slots_have_iso_offsets_and_sites(self):
        motif = self.demo.video_motif()
        slots = self.demo.slots(motif["id"])
        self.assertGreater(len(slots), 10)
        site_ids = {s["id"] for s in self.demo.sites()}
        previous = None
        for s in slots:
            self.assertRegex(s["start"], ISO_WITH_OFFSET)
            self.assertRegex(s["end"], ISO_WITH_OFFSET)
            start = datetime.datetime.fromisoformat(s["start"])
            end = datetime.datetime.fromisoformat(s["end"])
            self.assertEqual(end - start, datetime.timedelta(minutes=motif["duration_minutes"]))
            self.assertGreater(start, datetime.datetime.now(datetime.timezone.utc))
            # Paris: +01:00 in winter, +02:00 in summer.
            self.assertIn(s["start"][-6:], ("+01:00", "+02:00"))
            self.assertIn(s["site"]["id"], site_ids)
            self.assertTrue(s["site"]["name"])
            if previous:
                self.assertLessEqual(previous, start)
            previous = start

    def test_site_filter(self):
        motif = self.demo.video_motif()
        sites = {s["site"]["id"] for s in self.demo.slots(motif["id"])}
        self.assertTrue(sites)
        one = sorted(sites)[0]
        filtered = self.demo.slots(motif["id"], site=one)
        self.assertTrue(filtered)
        self.assertEqual({s["site"]["id"] for s in filtered}, {one})

    def test_range_too_long(self):
        motif = self.demo.video_motif()
        today = datetime.date.today()
        r = server.get(slots_path(**{"motif": motif["id"], "channel": "video",
                                     "from": today.isoformat(),
                                     "to": (today + datetime.timedelta(days=400)).isoformat()}))
        # docs/API.md: 422 validation_failed, field_codes.range = range_too_long, the maximum.
        body = self.assertError(r, 422, "range")
        self.assertEqual(body["error"]["code"], "validation_failed")
        self.assertEqual(body["error"]["field_codes"], {"range": "range_too_long"})
        self.assertEqual(body["error"]["max_range_days"], 62)

    def test_inverted_range(self):
        motif = self.demo.video_motif()
        r = server.get(slots_path(**{"motif": motif["id"], "channel": "video",
                                     "from": "2030-01-10", "to": "2030-01-01"}))
        self.assertError(r, 422, "to")

    def test_malformed_dates(self):
        motif = self.demo.video_motif()
        for bad in ("2030-02-30", "2030-1-1", "tomorrow", "2030-01-01T00:00", "",
                    "２０３０-01-01", "2030-01-01\r\nX: y"):
            r = server.get(slots_path(**{"motif": motif["id"], "channel": "video", "from": bad,
                                         "to": "2030-03-01"}))
            self.assertError(r, 400, "from")

    def test_missing_or_malformed_parameters(self):
        motif = self.demo.video_motif()
        base = {"motif": motif["id"], "channel": "video", "from": "2030-01-01", "to": "2030-01-05"}
        for drop in ("motif", "channel", "from", "to"):
            q = dict(base)
            del q[drop]
            self.assertError(server.get(slots_path(**q)), 400, drop)
        for field, value in (("motif", "abc"), ("motif", "-1"), ("motif", "1e3"),
                             ("motif", "99999999999999999999999"), ("channel", "fax"),
                             ("site", "x")):
            q = dict(base)
            q[field] = value
            self.assertError(server.get(slots_path(**q)), 400, field)

    def test_unknown_motif_site_or_channel(self):
        motifs = self.demo.motifs()
        base = {"channel": "video", "from": "2030-01-01", "to": "2030-01-05"}
        self.assertError(server.get(slots_path(motif=987654, **base)), 422, "motif")
        video = self.demo.video_motif()
        self.assertError(server.get(slots_path(motif=video["id"], site=987654, **base)), 422,
                         "site")
        no_site = [m for m in motifs if "on_site" not in m["channels"]]
        self.assertTrue(no_site, "the demo has video/phone-only motifs")
        q = {"motif": no_site[0]["id"], "channel": "on_site", "from": "2030-01-01",
             "to": "2030-01-05"}
        self.assertError(server.get(slots_path(**q)), 422, "channel")

    def test_past_and_far_future_ranges_are_empty(self):
        video = self.demo.video_motif()
        for first, last in (("2001-01-01", "2001-01-31"), ("9998-01-01", "9998-01-31")):
            r = server.get(slots_path(motif=video["id"], channel="video", **{"from": first,
                                                                             "to": last}))
            self.assertEqual(self.assertJson(r, 200)["slots"], [])


class Lifecycle(ApiCase):
    def pick(self, count, day_index):
        """`count` slots on distinct days from the day_index-th day with free slots on (at
        one site): each test uses its own days so that tests never meet."""
        motif = self.demo.video_motif()
        slots = self.demo.slots(motif["id"], days=40)
        self.assertTrue(slots)
        by_day = {}
        for s in slots:
            day = datetime.date.fromisoformat(s["start"][:10])
            if s["site"]["id"] == slots[0]["site"]["id"]:
                by_day.setdefault(day, s)
        days = sorted(by_day)[day_index:day_index + count]
        self.assertEqual(len(days), count, "not enough days with free slots")
        return motif, [by_day[d] for d in days]

    def test_book_get_reschedule_cancel(self):
        motif, (a, b) = self.pick(2, 0)
        mid = motif["id"]
        tokens_a = self.demo.fill(mid, a)
        self.assertTrue(tokens_a)
        self.assertFalse(self.demo.slot_free(mid, a), "a full slot is not offered")
        tokens_b = self.demo.fill(mid, b)
        self.assertFalse(self.demo.slot_free(mid, b))

        # Cancelling frees the slot again.
        r = self.demo.cancel(tokens_b[0], "empêchement")
        body = self.assertJson(r, 200)
        self.assertEqual(body["status"], "cancelled")
        self.assertEqual(body["cancel_reason"], "empêchement")
        self.assertTrue(self.demo.slot_free(mid, b))

        # Reschedule one of a's bookings to b: a frees up, b fills up.
        moved = tokens_a[0]
        r = server.post("/api/v1/appointments/%s/reschedule" % moved,
                        {"start": b["start"], "site": b["site"]["id"]})
        body = self.assertJson(r, 200)
        self.assertEqual(body["start"], b["start"])
        self.assertEqual(body["end"], b["end"])
        self.assertEqual(body["status"], "booked")
        self.assertTrue(self.demo.slot_free(mid, a), "the old slot is free again")
        self.assertFalse(self.demo.slot_free(mid, b), "the new slot is taken")

        body = self.assertJson(server.get("/api/v1/appointments/%s" % moved), 200)
        self.assertEqual(body["start"], b["start"])

        # Cancel: b is free again; a second cancel is refused with 410.
        r = self.demo.cancel(moved)
        self.assertEqual(self.assertJson(r, 200)["status"], "cancelled")
        self.assertTrue(self.demo.slot_free(mid, b))
        self.assertError(self.demo.cancel(moved), 410)
        self.assertError(server.post("/api/v1/appointments/%s/reschedule" % moved,
                                     {"start": a["start"]}), 410)
        body = self.assertJson(server.get("/api/v1/appointments/%s" % moved), 200)
        self.assertEqual(body["status"], "cancelled")
        self.assertFalse(body["changeable"])

        for t in tokens_a[1:] + tokens_b[1:]:
            self.assertEqual(self.demo.cancel(t).status, 200)
        self.assertEqual(server.live_overlaps(), 0)

    def test_idempotency_key(self):
        """Same key and body: the same 201 body and one booking; same key, other body: 422."""
        motif = self.demo.video_motif()
        slots = self.demo.slots(motif["id"], days=20)
        path = "/api/v1/orgs/demo/appointments"
        key = {"Idempotency-Key": "retry-4f1c2b7e-9a55-4c1e-8f0d-5a1b2c3d4e5f"}
        body = self.demo.booking(motif["id"], slots[3], last_name="Idempotent")
        before = server.appointment_count()
        first = self.assertJson(server.post(path, body, headers=key), 201)
        again = self.assertJson(server.post(path, body, headers=key), 201)
        self.assertEqual(again, first)
        self.assertEqual(server.appointment_count(), before + 1)
        other = dict(body, start=slots[6]["start"], site=slots[6]["site"]["id"])
        err = self.assertError(server.post(path, other, headers=key), 422)["error"]
        self.assertEqual(err["code"], "idempotency_key_reused")
        self.assertEqual(server.appointment_count(), before + 1)
        for bad in ("", "x" * 256, "two words", "caf\u00e9"):
            r = server.post(path, body, headers={"Idempotency-Key": bad.encode("utf-8")})
            self.assertIn("Idempotency-Key", self.assertError(r, 422)["error"]["fields"])
        self.assertEqual(self.demo.cancel(first["token"]).status, 200)

    def test_created_and_fetched_shapes(self):
        motif, (slot,) = self.pick(1, 2)
        r = self.demo.book(motif["id"], slot, email="shape.test@example.org",
                           phone="+33 6 12 34 56 78", last_name="Shapetest")
        body = self.assertJson(r, 201)
        for key in ("id", "status", "start", "end", "manage_url", "site"):
            self.assertIn(key, body)
        self.assertEqual(body["status"], "booked")
        self.assertEqual(body["start"], slot["start"])
        self.assertRegex(body["start"], ISO_WITH_OFFSET)
        for key in ("id", "name", "address", "postal_code", "city", "time_zone", "is_partner"):
            self.assertIn(key, body["site"])
        token = body["token"]
        self.assertRegex(token, TOKEN_SHAPE)
        self.assertEqual(body["manage_url"],
                         "http://127.0.0.1:%d/manage/%s" % (server.port, token))
        self.assertEqual(r.header("Cache-Control"), "no-store")

        r = server.get("/api/v1/appointments/" + token)
        got = self.assertJson(r, 200)
        for key in ("id", "status", "start", "end", "channel", "motif", "site", "citizen"):
            self.assertIn(key, got)
        self.assertEqual(got["id"], body["id"])
        self.assertEqual(got["channel"], "video")
        self.assertEqual(got["motif"]["id"], motif["id"])
        self.assertTrue(got["motif"]["name"])
        self.assertEqual(got["citizen"], {"first_name": "Camille", "last_name": "Shapetest"})
        self.assertNotIn("cancel_reason", got)
        for secret in (b"shape.test@example.org", b"12 34 56", b"token_hash"):
            self.assertNotIn(secret, r.body)

        # Tokens and personal data never reach the logs.
        log = server.log_text()
        for secret in (token, "shape.test@example.org", "Shapetest"):
            self.assertNotIn(secret, log)
        self.assertEqual(self.demo.cancel(token).status, 200)

    def test_lost_race_offers_alternatives(self):
        motif, (slot,) = self.pick(1, 3)
        tokens = self.demo.fill(motif["id"], slot)
        r = self.demo.book(motif["id"], slot)
        body = self.assertError(r, 409)
        self.assertIsInstance(body["alternatives"], list)
        self.assertTrue(body["alternatives"])
        for alt in body["alternatives"]:
            self.assertRegex(alt["start"], ISO_WITH_OFFSET)
            self.assertGreater(datetime.datetime.fromisoformat(alt["start"]),
                               datetime.datetime.fromisoformat(slot["start"]))
            self.assertIn("id", alt["site"])
            self.assertNotEqual((alt["start"], alt["site"]["id"]),
                                (slot["start"], slot["site"]["id"]))

        # A reschedule onto the full slot: 409 with alternatives too.
        other_motif, (other,) = self.pick(1, 4)
        r = self.demo.book(other_motif["id"], other)
        moving = self.assertJson(r, 201)["token"]
        r = server.post("/api/v1/appointments/%s/reschedule" % moving,
                        {"start": slot["start"], "site": slot["site"]["id"]})
        body = self.assertError(r, 409)
        self.assertIsInstance(body["alternatives"], list)
        for alt in body["alternatives"]:
            self.assertRegex(alt["start"], ISO_WITH_OFFSET)
            self.assertTrue(alt["site"]["name"])
        # A start that is no slot at all.
        r = server.post("/api/v1/appointments/%s/reschedule" % moving,
                        {"start": slot["start"][:11] + "03:17:00" + slot["start"][19:]})
        self.assertError(r, 409)
        for t in tokens + [moving]:
            self.assertEqual(self.demo.cancel(t).status, 200)

    def test_cancel_reason_is_checked(self):
        motif, (slot,) = self.pick(1, 5)
        token = self.assertJson(self.demo.book(motif["id"], slot), 201)["token"]
        self.assertError(self.demo.cancel(token, "x" * 600), 422, "reason")
        self.assertError(self.demo.cancel(token, "a\u0000b"), 422, "reason")
        self.assertError(server.post("/api/v1/appointments/%s/cancel" % token, {"reason": 5}),
                         422, "reason")
        self.assertEqual(server.get("/api/v1/appointments/" + token).json["status"], "booked")
        # No body at all is a plain cancellation.
        r = server.post("/api/v1/appointments/%s/cancel" % token, None)
        self.assertEqual(self.assertJson(r, 200)["status"], "cancelled")

    def test_reschedule_validation(self):
        motif, (slot,) = self.pick(1, 6)
        token = self.assertJson(self.demo.book(motif["id"], slot), 201)["token"]
        path = "/api/v1/appointments/%s/reschedule" % token
        self.assertError(server.post(path, {}), 422, "start")
        self.assertError(server.post(path, {"start": "soon"}), 422, "start")
        self.assertError(server.post(path, {"start": 1}), 422, "start")
        self.assertError(server.post(path, {"start": slot["start"], "site": "1"}), 422, "site")
        self.assertError(server.post(path, {"start": slot["start"], "site": 987654}), 422,
                         "site")
        self.assertError(server.post(path, "{", content_type="application/json"), 400)
        self.assertError(server.post(path, {"start": slot["start"]}, content_type="text/plain"),
                         415)
        self.assertEqual(server.get("/api/v1/appointments/" + token).json["start"], slot["start"])
        self.assertEqual(self.demo.cancel(token).status, 200)


class Messages(ApiCase):
    """Error messages are localised texts, not catalogue keys."""

    def test_messages_are_translated(self):
        video = self.demo.video_motif()
        texts = {}
        for lang in ("fr", "en", "nl", "de"):
            r = server.get(slots_path(motif=video["id"], channel="video", lang=lang,
                                      **{"from": "2030-02-30", "to": "2030-03-01"}))
            err = self.assertError(r, 400, "from")["error"]
            for text in [err["message"]] + list(err["fields"].values()):
                self.assertFalse(text.startswith("error."), "untranslated %r in %s" % (text, lang))
            texts[lang] = err["message"]
            r = server.post("/api/v1/orgs/demo/appointments?lang=" + lang,
                            {"motif": video["id"], "channel": "video"})
            err = self.assertError(r, 422)["error"]
            for field, text in err["fields"].items():
                self.assertFalse(text.startswith("error."),
                                 "untranslated %r for %s in %s" % (text, field, lang))
        self.assertEqual(len(set(texts.values())), 4, texts)


if __name__ == "__main__":
    unittest.main()
