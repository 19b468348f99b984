"""Documents in the video room (issue 13; docs/VIDEO.md, "Documents"): the citizen's upload,
the holding agent's download, and what hostile uploads get (nothing stored)."""

import asyncio
import json
import os
import socket
import unittest

from harness import Demo, module_server, require, source_dir
from room_documents_helper import admitted_citizen, csrf_pair, multipart, open_rooms, upload
from staff import GOOD, Browser, cli, set_password, sign_in_with_totp

setUpModule, tearDownModule = module_server(globals())

MARKER = b"MARKER-numero-allocataire-4711"
PDF = b"%PDF-1.7\n" + MARKER + b"\n" + b"x" * 5000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64 + MARKER
OTHER = "capac-liege"  # examples/organisation.json
OTHER_AGENT = "marie.dubois@capac.example"
COLLEAGUE = "agent2@demo.visioguichet.test"


def documents_dir():
    return server.db + ".documents"


def stored_files():
    return sorted(os.listdir(documents_dir())) if os.path.isdir(documents_dir()) else []


def document_rows():
    return server.sql("SELECT COUNT(*) FROM room_documents")[0][0]


_booked = [0]


def book_video():
    """A video appointment whose room is open: (id, room token, its agent's e-mail)."""
    demo = Demo(server)
    motif = demo.video_motif()
    slots = demo.slots(motif["id"])
    for i in range(len(slots)):
        r = demo.book(motif["id"], slots[(_booked[0] * 7 + i) % len(slots)])
        if r.status == 201:
            _booked[0] += 1
            email = server.sql(
                "SELECT a.email FROM accounts a JOIN memberships m ON m.account_id = a.id "
                "JOIN appointments p ON p.agent_id = m.agent_id AND p.organisation_id = "
                "m.organisation_id WHERE m.role = 'agent' AND p.id = ?", (r.json["id"],))[0][0]
            return r.json["id"], r.json["room_url"].rsplit("/", 1)[1], email
    raise AssertionError("no free video slot")


_browsers = {}


def signed_in(email):
    if email not in _browsers:
        set_password(server, email, GOOD)
        b = Browser(server)
        r = b.login(email, GOOD)
        assert r.status == 303, r
        _browsers[email] = b
    return _browsers[email]


class Documents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        open_rooms(server)
        r = cli(server, "import", os.path.join(source_dir(), "examples", "organisation.json"))
        assert r.returncode == 0, r.stderr

    def room(self):
        appointment, token, email = book_video()
        return appointment, token, email, admitted_citizen(server, appointment)

    def test_the_agent_downloads_the_same_bytes_and_the_file_at_rest_is_ciphertext(self):
        appointment, token, email, resume = self.room()
        r = upload(server, token, resume, "Avis d'impôt 2026.pdf", PDF)
        self.assertEqual(r.status, 201, r)
        doc = r.json["document"]
        self.assertEqual((doc["name"], doc["size"]), ("Avis d'impôt 2026.pdf", len(PDF)))
        self.assertIn("reçu", r.json["message"])
        url = "/console/appointments/%d/documents/%d" % (appointment, doc["id"])
        got = signed_in(email).send("GET", url)
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body, PDF)
        self.assertEqual(got.header("Content-Type"), "application/pdf")
        self.assertEqual(got.header("Content-Disposition"),
                         "attachment; filename=\"Avis d'imp_t 2026.pdf\"; "
                         "filename*=UTF-8''Avis%20d%27imp%C3%B4t%202026.pdf")
        self.assertEqual(got.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(got.header("Cache-Control"), "no-store")
        csp = [v for k, v in got.headers if k.lower() == "content-security-policy"]
        self.assertEqual(csp, ["sandbox"])
        # At rest: ciphertext only, in the folder beside the database.
        files = server.sql("SELECT file FROM room_documents WHERE id = ?", (doc["id"],))
        path = os.path.join(documents_dir(), files[0][0])
        with open(path, "rb") as f:
            at_rest = f.read()
        self.assertNotIn(MARKER, at_rest)
        self.assertNotIn(b"%PDF", at_rest)
        self.assertEqual(os.stat(documents_dir()).st_mode & 0o777, 0o700)
        # The journal names it, never its content; the pages list it for the agent.
        detail = server.sql("SELECT detail FROM room_events WHERE appointment_id = ? AND "
                            "kind = 'document'", (appointment,))[0][0]
        self.assertEqual(json.loads(detail)["size"], len(PDF))
        self.assertNotIn("MARKER", detail)
        for page in ("/console/appointments/%d" % appointment,
                     "/console/appointments/%d/room" % appointment):
            body = signed_in(email).send("GET", page).body.decode()
            self.assertIn('href="%s"' % url, body.replace("&#x2F;", "/"))

    def test_the_type_is_read_from_the_content(self):
        appointment, token, email, resume = self.room()
        before = (stored_files(), document_rows())
        r = upload(server, token, resume, "facture.pdf", b"<html><script>alert(1)</script>",
                   content_type="application/pdf")
        self.assertEqual(r.status, 415, r)
        self.assertIn("PDF", r.json["message"])
        self.assertEqual((stored_files(), document_rows()), before)
        # A PNG called .pdf is kept as the PNG it is.
        r = upload(server, token, resume, "scan.pdf", PNG)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["document"]["name"], "scan.png")
        got = signed_in(email).send("GET", "/console/appointments/%d/documents/%d"
                                    % (appointment, r.json["document"]["id"]))
        self.assertEqual((got.status, got.header("Content-Type"), got.body),
                         (200, "image/png", PNG))

    def test_too_large_is_refused_in_the_senders_language_and_nothing_is_stored(self):
        appointment, token, email, resume = self.room()
        before = (stored_files(), document_rows())
        # Just over 10 MiB: read, then refused by the room's rule.
        r = upload(server, token, resume, "big.pdf", b"%PDF-" + b"x" * (10 * 1024 * 1024),
                   language="nl")
        self.assertEqual(r.status, 413, r)
        self.assertIn("te groot", r.json["message"])
        # 11 MB announced: refused from its headers, before the body is read.
        cookie, csrf = csrf_pair(server, token)
        body, ctype = multipart({"csrf": csrf, "resume": resume}, "big.pdf",
                                b"%PDF-" + b"x" * (11 * 1000 * 1000))
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
            s.sendall(("POST /room/%s/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\n"
                       "Accept: application/json\r\nAccept-Language: de\r\n\r\n"
                       % (token, ctype, len(body), cookie)).encode())
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        head, _, rest = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 413"), head)
        self.assertIn("zu groß", json.loads(rest.decode())["message"])
        self.assertEqual((stored_files(), document_rows()), before)

    def test_only_the_agent_who_holds_the_appointment_downloads(self):
        appointment, token, email, resume = self.room()
        r = upload(server, token, resume, "a.pdf", PDF)
        self.assertEqual(r.status, 201, r)
        url = "/console/appointments/%d/documents/%d" % (appointment, r.json["document"]["id"])
        colleague = COLLEAGUE if email != COLLEAGUE else "agent3@demo.visioguichet.test"
        other = signed_in(OTHER_AGENT)
        for b in (signed_in(colleague), other):
            self.assertEqual(b.send("GET", url).status, 404)
        # A supervisor neither (docs/VIDEO.md: only that appointment's agent).
        chef = "chef@demo.visioguichet.test"
        cli(server, "user", "add", "--org", "demo", "--email", chef, "--role", "supervisor")
        set_password(server, chef, GOOD)
        b = Browser(server)
        sign_in_with_totp(b, chef, GOOD)
        self.assertEqual(b.send("GET", url).status, 404)
        # An unknown document, or one of another appointment under this one's id: 404.
        agent = signed_in(email)
        self.assertEqual(agent.send("GET", "/console/appointments/%d/documents/999999"
                                    % appointment).status, 404)
        second, token2, email2, resume2 = self.room()
        r2 = upload(server, token2, resume2, "b.pdf", PDF)
        self.assertEqual(agent.send("GET", "/console/appointments/%d/documents/%d"
                                    % (appointment, r2.json["document"]["id"])).status, 404)
        self.assertEqual(Browser(server).send("GET", url).status, 303)  # signed out: sign in

    def test_outside_the_window_unadmitted_or_unknown_is_refused(self):
        appointment, token, email, resume = self.room()
        waiting = admitted_citizen(server, appointment, admitted=False)
        before = (stored_files(), document_rows())
        r = upload(server, token, waiting, "a.pdf", PDF)
        self.assertEqual(r.status, 403, r)
        self.assertIn("fait entrer", r.json["message"])
        r = upload(server, token, "", "a.pdf", PDF, language="en")
        self.assertEqual(r.status, 403, r)
        self.assertIn("let you into", r.json["message"])
        # The room closes: before its opening.
        server.write("UPDATE organisations SET room_opens_minutes = 15 WHERE slug = 'demo'")
        try:
            r = upload(server, token, resume, "a.pdf", PDF)
        finally:
            open_rooms(server)
        self.assertEqual(r.status, 403, r)
        self.assertIn("pendant l'entretien", r.json["message"])
        r = server.request("POST", "/room/%s/documents" % ("A" * 43), body=b"x",
                           content_type="multipart/form-data; boundary=x",
                           headers={"Accept": "application/json"})
        self.assertIn(r.status, (403, 404))  # no CSRF cookie: refused first
        cookie, csrf = csrf_pair(server, token)
        body, ctype = multipart({"csrf": csrf, "resume": resume}, "a.pdf", PDF)
        r = server.request("POST", "/room/%s/documents" % ("A" * 43), body=body,
                           content_type=ctype, headers={"Cookie": cookie,
                                                        "Accept": "application/json"})
        self.assertEqual(r.status, 404, r)
        self.assertIn("introuvable", r.json["message"])
        self.assertEqual((stored_files(), document_rows()), before)

    def test_a_room_sends_twenty_documents_an_hour(self):
        appointment, token, email, resume = self.room()
        for i in range(20):
            r = upload(server, token, resume, "p%d.png" % i, PNG)
            self.assertEqual(r.status, 201, r)
        before = (stored_files(), document_rows())
        r = upload(server, token, resume, "p.png", PNG, language="de")
        self.assertEqual(r.status, 429, r)
        self.assertGreater(int(r.header("Retry-After")), 0)
        self.assertIn("Moment", r.json["message"])
        self.assertEqual((stored_files(), document_rows()), before)
        # Another room is not concerned.
        other, token2, email2, resume2 = self.room()
        self.assertEqual(upload(server, token2, resume2, "p.png", PNG).status, 201)


websockets = require("websockets", "python3-websockets")


class Live(unittest.IsolatedAsyncioTestCase):
    async def test_the_agent_in_the_room_is_told_with_a_download_link(self):
        open_rooms(server)
        appointment, token, email = book_video()
        signed_in(email)
        origin = "http://127.0.0.1:%d" % server.port
        cookie = "; ".join("%s=%s" % kv for kv in _browsers[email].jar.items())
        connect = "ws://127.0.0.1:%d/ws/room" % server.port
        async with websockets.connect(connect, origin=origin) as citizen, \
                websockets.connect(connect, origin=origin,
                                   extra_headers={"Cookie": cookie}) as agent:
            async def expect(ws, kind):
                while True:
                    m = json.loads(await asyncio.wait_for(ws.recv(), 10))
                    if m.get("type") == kind:
                        return m
            await citizen.send(json.dumps({"type": "hello", "room": token}))
            cw = await expect(citizen, "welcome")
            await agent.send(json.dumps({"type": "hello", "appointment": appointment}))
            await expect(agent, "welcome")
            await agent.send(json.dumps({"type": "admit", "participant": cw["participant"]}))
            await expect(citizen, "admitted")
            r = await asyncio.to_thread(upload, server, token, cw["resume"], "photo.jpg",
                                        b"\xff\xd8\xff\xe0" + MARKER)
            self.assertEqual(r.status, 201, r)
            m = await expect(agent, "document")
            self.assertEqual((m["name"], m["from"]), ("photo.jpg", cw["participant"]))
            self.assertEqual(m["url"], "/console/appointments/%d/documents/%d"
                             % (appointment, r.json["document"]["id"]))
            self.assertEqual((await expect(citizen, "document"))["id"], r.json["document"]["id"])


if __name__ == "__main__":
    unittest.main()
