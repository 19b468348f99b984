"""The video room's server side (issue 13; docs/VIDEO.md): the room token of a video
booking, and the signalling hub on /ws/room."""

import asyncio
import base64
import datetime
import hashlib
import hmac
import html
import json
import os
import re
import tempfile
import time
import unittest

from harness import Demo, TOKEN_SHAPE, module_server, require, wait_until
from staff import GOOD, Browser, set_password

# The TURN settings of serve: the credentials in welcome are checked against this secret.
TURN_SECRET = "s3cr3t-of-coturn"
_turn_dir = tempfile.mkdtemp(prefix="vg-turn-")
with open(os.path.join(_turn_dir, "turn.secret"), "w") as f:
    f.write(TURN_SECRET + "\n")

setUpModule, tearDownModule = module_server(globals(), extra_args=[
    "--turn-urls", "turn:127.0.0.1:3478?transport=udp,turns:turn.example.org:443?transport=tcp",
    "--turn-secret-file", os.path.join(_turn_dir, "turn.secret"),
    "--room-rules-interval", "1"])  # room rules: the late advisor is seen within a second


def blake2b_hex(text):
    return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()


FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


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


# --- the signalling hub on /ws/room --------------------------------------------------------

websockets = require("websockets", "python3-websockets")

AGENT_PASSWORD = GOOD


class Client:
    """One participant's WebSocket: messages kept in arrival order, read by type."""

    def __init__(self, ws):
        self.ws = ws
        self.seen = []  # every message received, in order

    @classmethod
    async def open(cls, cookie=None, origin="same", user_agent=None):
        headers = {}
        more = {"user_agent_header": user_agent} if user_agent else {}
        if cookie:
            headers["Cookie"] = cookie
        if origin == "same":
            origin = "http://127.0.0.1:%d" % server.port
        ws = await websockets.connect("ws://127.0.0.1:%d/ws/room" % server.port, origin=origin,
                                      extra_headers=headers, max_size=2 ** 20,
                                      ping_interval=None, open_timeout=10, **more)
        return cls(ws)

    async def send(self, message):
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def expect(self, kind, timeout=10, **fields):
        """The next message of this type (and these field values); earlier ones are kept."""
        async def wait():
            while True:
                m = json.loads(await self.ws.recv())
                self.seen.append(m)
                if m.get("type") == kind and all(m.get(k) == v for k, v in fields.items()):
                    return m
        return await asyncio.wait_for(wait(), timeout)

    async def until_closed(self, timeout=10):
        """Reads until the server closes the connection; returns the close code."""
        async def wait():
            try:
                while True:
                    self.seen.append(json.loads(await self.ws.recv()))
            except websockets.ConnectionClosed:
                return self.ws.close_code
        return await asyncio.wait_for(wait(), timeout)

    def received(self, kind):
        return [m for m in self.seen if m.get("type") == kind]

    async def close(self):
        await self.ws.close()


_booked = [0]


def book_video(phone=None):
    """A video appointment whose room is open (the organisation's waiting room opens 60 days
    before: every offered slot is within): (appointment id, room token, agent's e-mail)."""
    demo = Demo(server)
    motif = demo.video_motif()
    slots = demo.slots(motif["id"])
    extra = {"phone": phone} if phone else {}
    for i in range(len(slots)):
        slot = slots[(_booked[0] * 7 + i) % len(slots)]
        r = demo.book(motif["id"], slot, **extra)
        if r.status == 201:
            _booked[0] += 1
            body = r.json
            email = server.sql(
                "SELECT a.email FROM accounts a JOIN memberships m ON m.account_id = a.id "
                "JOIN appointments p ON p.agent_id = m.agent_id AND p.organisation_id = "
                "m.organisation_id WHERE m.role = 'agent' AND p.id = ?", (body["id"],))[0][0]
            return body["id"], body["room_url"].rsplit("/", 1)[1], email
    raise AssertionError("no free video slot")


_browsers = {}


def agent_browser(email):
    """The agent's console (forms with their CSRF token), signed in once: one session per
    agent for the whole file (setting the password again would end the earlier one)."""
    if email not in _browsers:
        set_password(server, email, AGENT_PASSWORD)
        b = Browser(server)
        assert b.login(email, AGENT_PASSWORD).status == 303
        _browsers[email] = b
    return _browsers[email]


def agent_cookie(email):
    return "; ".join("%s=%s" % kv for kv in agent_browser(email).jar.items())


def journal(appointment_id):
    return [r[0] for r in server.sql(
        "SELECT kind FROM room_events WHERE appointment_id = ? ORDER BY id", (appointment_id,))]


class Hub(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        server.write("UPDATE organisations SET room_opens_minutes = ? WHERE slug = 'demo'",
               (60 * 24 * 60,))

    async def asyncSetUp(self):
        asyncio.get_running_loop().set_debug(False)  # no "took 0.1 seconds" lines

    async def room(self, phone=None):
        """A room with its citizen waiting and its agent admitted: (id, citizen, agent,
        citizen's welcome, agent's welcome)."""
        appointment, token, email = book_video(phone)
        citizen = await Client.open(user_agent=FIREFOX)
        await citizen.send({"type": "hello", "room": token})
        cw = await citizen.expect("welcome")
        agent = await Client.open(cookie=agent_cookie(email))
        await agent.send({"type": "hello", "appointment": appointment})
        aw = await agent.expect("welcome")
        return appointment, token, citizen, agent, cw, aw

    async def admitted_room(self, phone=None):
        appointment, token, citizen, agent, cw, aw = await self.room(phone)
        await agent.send({"type": "admit", "participant": cw["participant"]})
        await citizen.expect("admitted")
        await citizen.expect("peers")
        return appointment, token, citizen, agent, cw, aw

    async def test_citizen_waits_agent_admits_signal_chat_and_journal(self):
        appointment, token, citizen, agent, cw, aw = await self.room()
        self.assertEqual(cw["role"], "citizen")
        self.assertEqual(cw["state"], "waiting")
        self.assertRegex(cw["resume"], TOKEN_SHAPE)
        self.assertEqual(aw["role"], "agent")
        self.assertEqual(aw["state"], "admitted")
        self.assertLess(cw["starts_at"], cw["ends_at"])
        self.assertIs(cw["camera_required"], False)
        # The agent sees the citizen waiting; the citizen sees nobody yet.
        lobby = await agent.expect("lobby")
        while not lobby["waiting"]:
            lobby = await agent.expect("lobby")
        self.assertEqual([(w["participant"], w["role"]) for w in lobby["waiting"]],
                         [(cw["participant"], "citizen")])
        # Before admission the citizen may not signal nor chat.
        await citizen.send({"type": "chat", "text": "bonjour"})
        self.assertEqual((await citizen.expect("error"))["code"], "not_admitted")
        await agent.send({"type": "admit", "participant": cw["participant"]})
        await citizen.expect("admitted")
        peers = await citizen.expect("peers")
        self.assertEqual(peers["peers"], [{"participant": aw["participant"], "role": "agent"}])
        await agent.expect("lobby", waiting=[])
        await agent.expect("peers", peers=[{"participant": cw["participant"], "role": "citizen"}])
        # Signals are relayed as they are, with the sender.
        offer = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
        await citizen.send({"type": "signal", "to": aw["participant"], "data": offer})
        got = await agent.expect("signal")
        self.assertEqual(got, {"type": "signal", "from": cw["participant"], "data": offer})
        # Chat goes to both, the sender included, with the server's time.
        await agent.send({"type": "chat", "text": "  Bonjour Madame  "})
        for c in (citizen, agent):
            m = await c.expect("chat")
            self.assertEqual((m["from"], m["role"], m["text"]), (aw["participant"], "agent",
                                                                 "Bonjour Madame"))
            self.assertIsInstance(m["at"], int)
        await citizen.send({"type": "event", "name": "connected", "detail": "relay"})
        await citizen.send({"type": "chat", "text": "sync"})
        await citizen.expect("chat", text="sync")
        kinds = journal(appointment)
        for kind in ("joined", "admitted", "chat", "connected"):
            self.assertIn(kind, kinds)
        self.assertEqual(kinds.count("joined"), 2)
        # The browser family of each upgrade's User-Agent (the statistics per browser).
        browsers = server.sql("SELECT detail FROM room_events WHERE appointment_id = ? AND "
                              "kind = 'joined' ORDER BY id", (appointment,))
        self.assertEqual(sorted(b[0] for b in browsers),
                         ['{"browser":"firefox"}', '{"browser":"other"}'])
        rows = server.sql("SELECT role, detail FROM room_events WHERE appointment_id = ? AND "
                          "kind = 'chat' ORDER BY id", (appointment,))
        self.assertEqual(rows[0], ("agent", '{"length":14}'))
        self.assertFalse(server.sql("SELECT 1 FROM room_events WHERE detail LIKE '%Bonjour%'"))
        await citizen.close()
        await agent.expect("peers", peers=[])
        await agent.close()

    async def test_hostile_messages_are_refused_without_disturbing_another_room(self):
        _, _, c1, a1, w1, aw1 = await self.admitted_room()
        _, token2, c2, a2, w2, aw2 = await self.admitted_room()
        # Malformed JSON, an unknown type, a bad shape: an error, the connection stays.
        await c1.send("{not json")
        self.assertEqual((await c1.expect("error"))["code"], "malformed")
        await c1.send({"type": "teleport"})
        self.assertEqual((await c1.expect("error"))["code"], "unknown_type")
        await c1.send({"type": "signal", "to": aw1["participant"], "data": "<script>"})
        self.assertEqual((await c1.expect("error"))["code"], "malformed")
        await c1.send({"type": "chat", "text": "x" * 2001})
        self.assertEqual((await c1.expect("error"))["code"], "malformed")
        await c1.send("[" * 5000 + "]" * 5000)
        self.assertEqual((await c1.expect("error"))["code"], "malformed")
        # A citizen may not admit, move or end.
        await c1.send({"type": "end"})
        self.assertEqual((await c1.expect("error"))["code"], "unauthorised")
        # A signal to another room's participant reaches nobody.
        await c1.send({"type": "signal", "to": w2["participant"], "data": {"restart": True}})
        self.assertEqual((await c1.expect("error"))["code"], "not_admitted")
        # Another room's token on an open connection: hello is said once.
        await c1.send({"type": "hello", "room": token2})
        self.assertEqual((await c1.expect("error"))["code"], "malformed")
        # The other room is undisturbed: its chat round trip shows no stray message.
        await c2.send({"type": "chat", "text": "toujours là"})
        await c2.expect("chat", text="toujours là")
        self.assertEqual([m["type"] for m in c2.seen if m["type"] in ("signal", "error", "lobby")],
                         [])
        # A flood: refused (rate_limited), then the connection is closed (1008).
        burst = json.dumps({"type": "event", "name": "ice_restart"})
        flood = asyncio.ensure_future(c1.until_closed(timeout=30))
        try:
            for _ in range(2000):
                await c1.ws.send(burst)
        except websockets.ConnectionClosed:
            pass
        self.assertEqual(await flood, 1008)
        self.assertIn("rate_limited", [m.get("code") for m in c1.received("error")])
        # Meanwhile room 2 went on, and its agent still sees its citizen.
        await a2.send({"type": "chat", "text": "après"})
        await c2.expect("chat", text="après")
        await a1.expect("peers", peers=[])
        # Oversized (> 64 KiB): closed with 1009.
        await c2.send({"type": "chat", "text": "y" * (65 * 1024)})
        self.assertEqual(await c2.until_closed(), 1009)
        await a2.expect("peers", peers=[])
        await a1.close()
        await a2.close()

    async def test_unknown_token_expired_room_and_bad_origin_are_refused(self):
        c = await Client.open()
        await c.send({"type": "hello", "room": "A" * 43})
        self.assertEqual((await c.expect("error"))["code"], "unauthorised")
        self.assertEqual(await c.until_closed(), 1008)
        # Anything but hello first: refused.
        c = await Client.open()
        await c.send({"type": "chat", "text": "hi"})
        self.assertEqual((await c.expect("error"))["code"], "unauthorised")
        self.assertEqual(await c.until_closed(), 1008)
        # Not yet open: a video appointment far ahead.
        appointment, token, _ = book_video()
        server.write("UPDATE appointments SET starts_at = starts_at + 200 * 86400, ends_at = ends_at "
               "+ 200 * 86400 WHERE id = ?", (appointment,))
        c = await Client.open()
        await c.send({"type": "hello", "room": token})
        self.assertEqual((await c.expect("error"))["code"], "not_open")
        self.assertEqual(await c.until_closed(), 1008)
        # Over: cancelled.
        appointment, token, _ = book_video()
        server.write("UPDATE appointments SET status = 'cancelled' WHERE id = ?", (appointment,))
        c = await Client.open()
        await c.send({"type": "hello", "room": token})
        self.assertEqual((await c.expect("error"))["code"], "not_open")
        # Another origin: refused at the handshake.
        with self.assertRaises(websockets.InvalidStatusCode) as refused:
            await Client.open(origin="http://evil.example")
        self.assertEqual(refused.exception.status_code, 403)

    async def test_a_room_holds_sixteen_connections_at_most(self):
        appointment, token, _ = book_video()
        clients = []
        for _ in range(16):
            c = await Client.open()
            await c.send({"type": "hello", "room": token})
            await c.expect("welcome")
            clients.append(c)
        extra = await Client.open()
        await extra.send({"type": "hello", "room": token})
        self.assertEqual((await extra.expect("error"))["code"], "unauthorised")
        self.assertEqual(await extra.until_closed(), 1008)
        # A participant coming back with its resume secret still gets in.
        first = clients[0]
        back = await Client.open()
        await back.send({"type": "hello", "room": token, "resume": first.received("welcome")[0]
                         ["resume"]})
        await back.expect("welcome")
        self.assertEqual(await first.until_closed(), 4000)
        for c in clients[1:] + [back]:
            await c.close()
        self.assertEqual(server.sql("SELECT COUNT(*) FROM room_participants WHERE "
                                    "appointment_id = ?", (appointment,)), [(16,)])

    async def test_only_the_holding_agent_joins_as_agent(self):
        appointment, token, email = book_video()
        other = server.sql(
            "SELECT a.email FROM accounts a JOIN memberships m ON m.account_id = a.id WHERE "
            "m.role = 'agent' AND a.email <> ? ORDER BY a.email LIMIT 1", (email,))[0][0]
        for cookie in (agent_cookie(other), None):
            c = await Client.open(cookie=cookie)
            await c.send({"type": "hello", "appointment": appointment})
            self.assertEqual((await c.expect("error"))["code"], "unauthorised")
            self.assertEqual(await c.until_closed(), 1008)

    async def test_resume_after_a_network_drop_keeps_the_admission(self):
        appointment, token, citizen, agent, cw, aw = await self.admitted_room()
        await citizen.ws.close()
        await agent.expect("peers", peers=[])
        again = await Client.open()
        await again.send({"type": "hello", "room": token, "resume": cw["resume"]})
        w = await again.expect("welcome")
        self.assertEqual((w["participant"], w["state"]), (cw["participant"], "admitted"))
        await again.expect("peers", peers=[{"participant": aw["participant"], "role": "agent"}])
        await agent.expect("peers", peers=[{"participant": cw["participant"], "role": "citizen"}])
        self.assertFalse([l for l in agent.received("lobby") if l["waiting"]][1:])
        # A wrong resume secret is a new participant, who waits.
        other = await Client.open()
        await other.send({"type": "hello", "room": token, "resume": "B" * 43})
        w2 = await other.expect("welcome")
        self.assertEqual(w2["state"], "waiting")
        self.assertNotEqual(w2["participant"], cw["participant"])
        for c in (again, other, agent):
            await c.close()

    async def test_a_guest_joins_once_by_invitation(self):
        appointment, token, citizen, agent, cw, aw = await self.room()
        invite = "G" * 42 + "x"
        server.write("INSERT INTO room_invitations (appointment_id, organisation_id, token_hash, "
               "created_by, created_at) SELECT id, organisation_id, ?, 'account:1', 0 FROM "
               "appointments WHERE id = ?", (blake2b_hex(invite), appointment))
        guest = await Client.open()
        await guest.send({"type": "hello", "invite": invite})
        gw = await guest.expect("welcome")
        self.assertEqual((gw["role"], gw["state"]), ("guest", "waiting"))
        second = await Client.open()
        await second.send({"type": "hello", "invite": invite})
        self.assertEqual((await second.expect("error"))["code"], "unauthorised")
        await guest.close()
        back = await Client.open()
        await back.send({"type": "hello", "invite": invite, "resume": gw["resume"]})
        self.assertEqual((await back.expect("welcome"))["participant"], gw["participant"])
        for c in (back, citizen, agent):
            await c.close()

    async def test_a_revoked_invitation_disconnects_its_guest_at_once(self):
        appointment, token, citizen, agent, cw, aw = await self.room()
        email = server.sql("SELECT a.email FROM accounts a JOIN memberships m ON m.account_id "
                           "= a.id JOIN appointments p ON p.agent_id = m.agent_id WHERE "
                           "m.role = 'agent' AND p.id = ?", (appointment,))[0][0]
        console = agent_browser(email)
        loop = asyncio.get_running_loop()
        base = "/console/appointments/%d/room/invitations" % appointment
        r = await loop.run_in_executor(None, console.post, base, {})
        self.assertEqual(r.status, 200, r)
        invite = re.search(r"/room/invite/([A-Za-z0-9_-]{20,})",
                           html.unescape(r.body.decode())).group(1)
        guest = await Client.open()
        await guest.send({"type": "hello", "invite": invite})
        gw = await guest.expect("welcome")
        await agent.send({"type": "admit", "participant": gw["participant"]})
        await guest.expect("admitted")
        await agent.expect("peers", peers=[{"participant": gw["participant"], "role": "guest"}])
        [(invitation,)] = server.sql("SELECT id FROM room_invitations WHERE appointment_id = ?",
                                     (appointment,))
        r = await loop.run_in_executor(None, console.post, base + "/revoke",
                                       {"invitation": str(invitation)})
        self.assertEqual(r.status, 200, r)
        # At once: the guest is told why and its socket closed; the others see it gone.
        error = await guest.expect("error", timeout=5)
        self.assertEqual(error["code"], "revoked")
        self.assertIn("révoqué", error["message"])
        self.assertEqual(await guest.until_closed(timeout=5), 1008)
        await agent.expect("peers", peers=[])
        # It cannot come back, with its resume secret or without.
        back = await Client.open()
        await back.send({"type": "hello", "invite": invite, "resume": gw["resume"]})
        self.assertEqual((await back.expect("error"))["code"], "unauthorised")
        self.assertEqual(server.get("/room/invite/" + invite).status, 410)
        self.assertIn("invitation_revoked", journal(appointment))
        for c in (citizen, agent):
            await c.close()

    async def test_the_journal_is_on_the_appointment_page(self):
        appointment, token, citizen, agent, cw, aw = await self.admitted_room()
        await agent.send({"type": "chat", "text": "Dossier 4521 urgent"})  # 19 characters
        await citizen.expect("chat")
        await citizen.send({"type": "event", "name": "screen_share_started"})
        await citizen.send({"type": "chat", "text": "sync"})
        await citizen.expect("chat", text="sync")
        # A document, as the documents' upload journals it.
        server.write("INSERT INTO room_events (appointment_id, organisation_id, at, role, participant, "
               "kind, detail) SELECT id, organisation_id, ?, 'citizen', ?, 'document', ? FROM "
               "appointments WHERE id = ?", (int(time.time()), cw["participant"],
                                             '{"name":"avis.pdf","size":12345}', appointment))
        for c in (citizen, agent):
            await c.close()
        # Their departures are journalled when the server sees the sockets closed.
        deadline = time.monotonic() + 10
        while journal(appointment).count("left") < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        email = server.sql("SELECT a.email FROM accounts a JOIN memberships m ON m.account_id "
                           "= a.id JOIN appointments p ON p.agent_id = m.agent_id WHERE "
                           "m.role = 'agent' AND p.id = ?", (appointment,))[0][0]
        console = agent_browser(email)
        loop = asyncio.get_running_loop()
        path = "/console/appointments/%d" % appointment
        r = await loop.run_in_executor(None, console.send, "GET", path + "?lang=fr")
        self.assertEqual(r.status, 200)
        page = html.unescape(r.body.decode())
        table = page[page.index('<table class="room-journal">'):page.index("</table>",
                     page.index('<table class="room-journal">'))]
        self.assertRegex(table, r"<caption>Journal de la salle vidéo[^<]*\(heure de Paris\)"
                                r"</caption>")
        self.assertEqual(table.count('<th scope="col">'), 4)
        for cell in ("<td>Usager <span class=\"muted\">%s</span></td><td>a rejoint la salle</td>"
                     % cw["participant"],
                     "<td>a admis</td><td>Usager %s</td>" % cw["participant"],
                     "<td>a écrit dans la discussion</td><td>message de 19 caractères</td>",
                     "<td>a commencé à partager son écran</td>",
                     "<td>a envoyé un document</td><td>avis.pdf, 13 Ko</td>",
                     "<td>a quitté la salle</td>"):
            self.assertIn(cell, table)
        self.assertNotIn("Dossier 4521", page)  # the length only, never the text
        # The time to the second, in the site's time zone.
        first = server.sql("SELECT at FROM room_events WHERE appointment_id = ? ORDER BY id "
                           "LIMIT 1", (appointment,))[0][0]
        from zoneinfo import ZoneInfo
        local = datetime.datetime.fromtimestamp(first, ZoneInfo("Europe/Paris"))
        self.assertIn(local.strftime("%H:%M:%S") + "</td>", table)
        # In the staff member's language.
        r = await loop.run_in_executor(None, console.send, "GET", path + "?lang=en")
        page = html.unescape(r.body.decode())
        self.assertIn("<caption>Video room journal", page)
        self.assertIn("<td>wrote in the chat</td><td>message of 19 characters</td>", page)
        # Same access as the page: another agent of the organisation gets 404.
        other = server.sql("SELECT a.email FROM accounts a JOIN memberships m ON m.account_id "
                           "= a.id WHERE m.role = 'agent' AND a.email <> ? AND m.agent_id IS "
                           "NOT NULL AND NOT EXISTS (SELECT 1 FROM memberships s WHERE "
                           "s.account_id = a.id AND s.role <> 'agent') LIMIT 1", (email,))[0][0]
        r = await loop.run_in_executor(None, agent_browser(other).send, "GET", path)
        self.assertEqual(r.status, 404)
        self.assertNotIn("room-journal", r.body.decode())

    async def test_turn_credentials_in_the_coturn_rest_convention(self):
        appointment, token, citizen, agent, cw, aw = await self.room()
        self.assertEqual(cw["ice_transport_policy"], "all")
        [ice] = cw["ice_servers"]
        self.assertEqual(ice["urls"], ["turn:127.0.0.1:3478?transport=udp",
                                       "turns:turn.example.org:443?transport=tcp"])
        expiry, who = ice["username"].split(":")
        self.assertEqual(who, cw["participant"])
        self.assertGreater(int(expiry), time.time())
        mac = hmac.new(TURN_SECRET.encode(), ice["username"].encode(), hashlib.sha1).digest()
        self.assertEqual(ice["credential"], base64.b64encode(mac).decode())
        for c in (citizen, agent):
            await c.close()

    async def test_move_to_phone_tells_the_citizen_and_records_it(self):
        appointment, token, citizen, agent, cw, aw = await self.admitted_room(phone="0612345678")
        await agent.send({"type": "move_to_phone"})
        m = await citizen.expect("moved_to_phone")
        self.assertEqual(m["phone"], "+33 6 •• •• •• 78")
        self.assertEqual(server.sql("SELECT channel FROM appointments WHERE id = ?",
                                    (appointment,)), [("phone",)])
        self.assertTrue(server.sql("SELECT 1 FROM appointment_events WHERE appointment_id = ? "
                                   "AND kind = 'moved_to_phone'", (appointment,)))
        self.assertTrue(server.sql("SELECT 1 FROM outbox WHERE appointment_id = ? AND kind = "
                                   "'moved_to_phone'", (appointment,)))
        self.assertIn("moved_to_phone", journal(appointment))
        # Once by phone, the room is over.
        c = await Client.open()
        await c.send({"type": "hello", "room": token})
        self.assertEqual((await c.expect("error"))["code"], "not_open")
        for c in (citizen, agent):
            await c.close()

    async def test_end_closes_everyone(self):
        appointment, token, citizen, agent, cw, aw = await self.admitted_room()
        await agent.send({"type": "end"})
        for c in (citizen, agent):
            await c.expect("ended")
            self.assertEqual(await c.until_closed(), 1000)
        self.assertIn("ended", journal(appointment))

    # --- room rules: the late advisor (docs/VIDEO.md) -------------------------------------

    async def test_a_late_agent_is_announced_after_the_delay_and_the_choice_recorded(self):
        appointment, token, email = book_video()
        other, other_token, _ = book_video()
        # The delay (10 minutes) ends 4 s from now: the citizen joins before, and waits.
        late_at = int(time.time()) + 4
        server.write("UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?",
               (late_at - 600, late_at + 1200, appointment))
        citizen = await Client.open()
        await citizen.send({"type": "hello", "room": token})
        await citizen.expect("welcome")
        bystander = await Client.open()
        await bystander.send({"type": "hello", "room": other_token})
        await bystander.expect("welcome")
        # Choosing before being told is refused.
        await citizen.send({"type": "late_choice", "choice": "wait"})
        self.assertEqual((await citizen.expect("error"))["code"], "refused")
        m = await citizen.expect("agent_late", timeout=15)
        self.assertEqual(m["since"], late_at)
        self.assertGreaterEqual(time.time(), late_at)
        # The hub tells the citizen first, then journals it (outside its lock): wait for it.
        wait_until(lambda: "agent_late" in journal(appointment), 10, "agent_late journalled")
        self.assertEqual(journal(appointment).count("agent_late"), 1)
        # The citizen asks to be called back: recorded on the appointment and journalled.
        await citizen.send({"type": "late_choice", "choice": "callback"})
        self.assertEqual((await citizen.expect("late_choice"))["choice"], "callback")
        self.assertTrue(server.sql("SELECT 1 FROM appointment_events WHERE appointment_id = ? "
                                   "AND kind = 'callback_requested' AND actor = 'citizen'",
                                   (appointment,)))
        self.assertEqual(server.sql("SELECT detail FROM room_events WHERE appointment_id = ? AND "
                                    "kind = 'late_choice'", (appointment,)),
                         [('{"choice":"callback"}',)])
        # Coming back, the citizen is told again at once; the journal says it once.
        again = await Client.open()
        await again.send({"type": "hello", "room": token,
                          "resume": citizen.received("welcome")[0]["resume"]})
        await again.expect("welcome")
        await again.expect("agent_late")
        self.assertEqual(journal(appointment).count("agent_late"), 1)
        # Only the citizen chooses.
        agent = await Client.open(cookie=agent_cookie(email))
        await agent.send({"type": "hello", "appointment": appointment})
        await agent.expect("welcome")
        await agent.send({"type": "late_choice", "choice": "wait"})
        self.assertEqual((await agent.expect("error"))["code"], "unauthorised")
        # The other room saw nothing of it (its round trip shows no stray message).
        await bystander.send({"type": "late_choice", "choice": "rebook"})
        self.assertEqual((await bystander.expect("error"))["code"], "refused")
        self.assertEqual([m["type"] for m in bystander.seen], ["welcome", "error"])
        self.assertNotIn("agent_late", journal(other))
        for c in (again, agent, bystander):
            await c.close()

    async def test_z_resume_after_a_server_restart(self):
        appointment, token, citizen, agent, cw, aw = await self.admitted_room()
        await asyncio.get_running_loop().run_in_executor(None, server.stop)
        await asyncio.get_running_loop().run_in_executor(None, server.start)
        _browsers.clear()
        back = await Client.open()
        await back.send({"type": "hello", "room": token, "resume": cw["resume"]})
        w = await back.expect("welcome")
        self.assertEqual((w["participant"], w["state"]), (cw["participant"], "admitted"))
        await back.close()


if __name__ == "__main__":
    unittest.main()
