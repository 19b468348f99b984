"""The video room's server side (issue 13; docs/VIDEO.md): the room token of a video
booking, and the signalling hub on /ws/room."""

import hashlib
import html
import unittest

from harness import Demo, TOKEN_SHAPE, module_server


setUpModule, tearDownModule = module_server(globals())


def blake2b_hex(text):
    return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()


class RoomUrl(unittest.TestCase):
    def setUp(self):
        self.demo = Demo(server)

    def book(self, channel):
        motif = self.demo.video_motif() if channel == "video" else [
            m for m in self.demo.motifs() if channel in m["channels"]][0]
        slot = self.demo.slots(motif["id"], channel=channel)[5]
        r = self.demo.book(motif["id"], slot, channel=channel)
        self.assertEqual(r.status, 201, r)
        return r.json

    def test_a_video_booking_carries_its_room_url(self):
        body = self.book("video")
        self.assertIn("id", body)
        url = body["room_url"]
        self.assertTrue(url.startswith("http://127.0.0.1:%d/room/" % server.port), url)
        room_token = url.rsplit("/", 1)[1]
        self.assertRegex(room_token, TOKEN_SHAPE)
        self.assertNotEqual(room_token, body["token"])
        # Only its hash is stored, beside the appointment.
        rows = server.sql("SELECT appointment_id, token_hash FROM room_tokens WHERE "
                          "appointment_id = ?", (body["id"],))
        self.assertEqual(rows, [(body["id"], blake2b_hex(room_token))])
        self.assertFalse(server.sql("SELECT 1 FROM room_tokens WHERE token_hash IN (?, ?)",
                                    (room_token, body["token"])))
        # The appointment read by its management token gives the same room, and the
        # management page links to it.
        again = server.get("/api/v1/appointments/" + body["token"]).json
        self.assertEqual(again["room_url"], url)
        page = html.unescape(server.get("/manage/" + body["token"]).body.decode())
        self.assertIn('href="/room/%s?lang=' % room_token, page)
        # The room token is not a management token.
        self.assertEqual(server.get("/api/v1/appointments/" + room_token).status, 404)

    def test_no_room_url_for_an_appointment_on_site(self):
        body = self.book("on_site")
        self.assertNotIn("room_url", body)


if __name__ == "__main__":
    unittest.main()
