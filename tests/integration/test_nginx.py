"""The documented deployment behind nginx (docs/OPERATIONS.md): Debian's nginx runs the site of
deploy/nginx/visioguichet.conf (ports, certificate and log paths rewritten to temporary ones,
a self-signed certificate from openssl) in front of `serve --trusted-proxies 127.0.0.1/32`;
bookings go through it over HTTPS from 127.0.0.2 and 127.0.0.3.

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        test_nginx.py

What is checked:
  the client address the server logs and rate-limits is the client's (127.0.0.2), not
  nginx's (127.0.0.1), even when the client sends its own X-Forwarded-For; another client
  (127.0.0.3) has its own allowance; plain HTTP is redirected to HTTPS; /metrics is not
  served there; nginx's request id reaches the server's log; the video room's WebSocket
  opens through nginx (wss, the public origin) and the hub answers a citizen's hello, and the
  site's /ws/ location forwards Upgrade and Connection and allows a long silence
"""

import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import unittest

from harness import (Demo, Server, free_port, require, send_request, source_dir, stop_child,
                     wait_until)

NGINX = "/usr/sbin/nginx"


def need(path, package):
    if not os.access(path, os.X_OK):
        raise RuntimeError("%s is missing: install Debian's %s" % (path, package))
    return path


class ViaNginx:
    """The harness's request interface, over HTTPS through nginx from a chosen address."""

    def __init__(self, port, cafile, source):
        self.port = port
        self.source = source
        self.context = ssl.create_default_context(cafile=cafile)

    def request(self, method, path, body=None, headers=None, content_type="application/json",
                timeout=60):
        return send_request(http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=timeout, context=self.context,
            source_address=(self.source, 0)), method, path, body, headers, content_type)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)


def location_block(site, prefix):
    """The directives of `location PREFIX { ... }` in the site (no nested blocks there)."""
    m = re.search(r"location\s+%s\s*\{([^}]*)\}" % re.escape(prefix), site)
    assert m, "the site has no location %s" % prefix
    return [" ".join(d.split()) for d in m.group(1).split(";")
            if d.strip() and not d.strip().startswith("#")]


def seconds(value):
    """An nginx time (30s, 5m, 1h, 1d) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    m = re.fullmatch(r"(\d+)([smhd]?)", value)
    assert m, value
    return int(m.group(1)) * units[m.group(2) or "s"]


def site_for_test(upstream_port, http_port, https_port, cert, key, logs):
    """The documented site with this run's ports and paths; nothing else changes."""
    with open(os.path.join(source_dir(), "deploy", "nginx", "visioguichet.conf")) as f:
        site = f.read()
    replacements = [
        ("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % upstream_port),
        ("listen 80;", "listen 127.0.0.1:%d;" % http_port),
        ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % https_port),
        ("/etc/letsencrypt/live/rdv.example.org/fullchain.pem", cert),
        ("/etc/letsencrypt/live/rdv.example.org/privkey.pem", key),
        ("/var/log/nginx/visioguichet.access.log", os.path.join(logs, "access.log")),
    ]
    for old, new in replacements:
        assert old in site, "the documented site no longer has %r" % old
        site = site.replace(old, new)
    # IPv6 listeners of the real site: not needed on the test's loopback.
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    return site


class BehindNginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        need(NGINX, "nginx-light")
        openssl = shutil.which("openssl") or need("/usr/bin/openssl", "openssl")
        cls.prefix = tempfile.mkdtemp(prefix="vg-nginx-")
        cert = os.path.join(cls.prefix, "cert.pem")
        key = os.path.join(cls.prefix, "key.pem")
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.cert = cert
        cls.https_port, cls.http_port = free_port(), free_port()
        # Two bookings an hour per client: the third of one client is refused.
        cls.server = Server(rate_limit=2, extra_args=[
            "--trusted-proxies", "127.0.0.1/32",
            "--public-url", "https://127.0.0.1:%d" % cls.https_port]).prepare().start()
        site = site_for_test(cls.server.port, cls.http_port, cls.https_port, cert, key,
                             cls.prefix)
        with open(os.path.join(cls.prefix, "site.conf"), "w") as f:
            f.write(site)
        for d in ("client_body", "proxy"):
            os.mkdir(os.path.join(cls.prefix, d))
        with open(os.path.join(cls.prefix, "nginx.conf"), "w") as f:
            f.write("""daemon off;
worker_processes 1;
pid {p}/nginx.pid;
error_log {p}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {p}/default-access.log;
    client_body_temp_path {p}/client_body;
    proxy_temp_path {p}/proxy;
    include {p}/site.conf;
}}
""".format(p=cls.prefix))
        with open(os.path.join(cls.prefix, "nginx.out"), "wb") as out:
            cls.nginx = subprocess.Popen(
                [NGINX, "-p", cls.prefix, "-c", os.path.join(cls.prefix, "nginx.conf")],
                stdout=subprocess.DEVNULL, stderr=out)

        def listening():
            if cls.nginx.poll() is not None:
                raise AssertionError("nginx exited: %s" % cls.nginx_log())
            try:
                socket.create_connection(("127.0.0.1", cls.https_port), timeout=1).close()
                return True
            except OSError:
                return False
        wait_until(listening, 30, "nginx to listen")

    @classmethod
    def nginx_log(cls):
        out = ""
        for name in ("nginx.out", "error.log"):
            try:
                with open(os.path.join(cls.prefix, name)) as f:
                    out += f.read()
            except OSError:
                pass
        return out

    @classmethod
    def tearDownClass(cls):
        stop_child(cls.nginx, signal.SIGQUIT)  # graceful stop
        code = cls.server.stop()
        if os.environ.get("VG_KEEP_TMP") != "1":
            shutil.rmtree(cls.prefix, True)
        assert code == 0, cls.server.log_text()[-3000:]

    def client(self, address):
        return ViaNginx(self.https_port, self.cert, address)

    def test_client_address_logged_and_rate_limited_is_the_clients(self):
        first = Demo(self.client("127.0.0.2"))
        motif = first.video_motif()["id"]
        slots = first.slots(motif)
        # The client's own X-Forwarded-For is kept by nginx on the left of the list: the
        # server walks from the right and stops at the address nginx saw.
        forged = {"X-Forwarded-For": "10.9.9.9"}
        for i in range(2):
            r = first.s.post(first.path("appointments"), first.booking(motif, slots[i]),
                             headers=forged)
            self.assertEqual(r.status, 201, r)
            self.assertRegex(r.header("X-Request-Id"), r"^[0-9a-f]{32}$", "nginx's $request_id")
        r = first.s.post(first.path("appointments"), first.booking(motif, slots[2]))
        self.assertEqual(r.status, 429, "the third booking of 127.0.0.2 in the hour: %r" % r)
        # Another client behind the same nginx has its own allowance.
        other = Demo(self.client("127.0.0.3"))
        self.assertEqual(other.book(motif, slots[3]).status, 201)

        log = self.server.log_text()
        bookings = [l for l in log.splitlines() if "POST /api/v1/orgs/{org}/appointments" in l]
        clients = [l.rsplit("client ", 1)[1] for l in bookings]
        self.assertEqual(clients, ["127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3"], log)
        self.assertNotIn("client 10.9.9.9", log)
        # nginx's request id is the one the server logged (one id for both logs).
        self.assertIn("[req %s]" % r.header("X-Request-Id"), log)

    def test_http_redirects_and_no_metrics(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        conn.request("GET", "/demo/", headers={"Host": "rdv.example.org"})
        r = conn.getresponse()
        self.assertEqual((r.status, r.getheader("Location")),
                         (301, "https://rdv.example.org/demo/"))
        conn.close()
        self.assertEqual(self.client("127.0.0.4").get("/metrics").status, 404)
        self.assertEqual(self.client("127.0.0.4").get("/healthz").status, 200)

    def test_the_rooms_websocket_goes_through(self):
        """wss through nginx with the public origin: the hub answers a citizen's hello."""
        websockets = require("websockets", "python3-websockets")
        # Every offered slot's waiting room open now.
        self.server.write("UPDATE organisations SET room_opens_minutes = 86400")
        demo = Demo(self.client("127.0.0.5"))
        motif = demo.video_motif()["id"]
        r = demo.book(motif, demo.slots(motif)[5])
        self.assertEqual(r.status, 201, r)
        room_url = r.json["room_url"]
        public = "https://127.0.0.1:%d" % self.https_port
        self.assertTrue(room_url.startswith(public + "/room/"), room_url)
        token = room_url.rsplit("/", 1)[1]

        async def hello():
            ws = await websockets.connect(
                "wss://127.0.0.1:%d/ws/room" % self.https_port, origin=public,
                ssl=ssl.create_default_context(cafile=self.cert), ping_interval=None,
                open_timeout=30)
            try:
                await ws.send(json.dumps({"type": "hello", "room": token}))
                return json.loads(await asyncio.wait_for(ws.recv(), 30))
            finally:
                await ws.close()
        welcome = asyncio.run(hello())
        self.assertEqual((welcome["type"], welcome["role"], welcome["state"]),
                         ("welcome", "citizen", "waiting"), welcome)
        # Through nginx, the server saw the connection as a WebSocket of this appointment.
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM room_participants WHERE appointment_id = ?",
            (r.json["id"],))[0][0], 1)

    def test_the_site_forwards_websocket_upgrades_and_allows_long_silences(self):
        with open(os.path.join(source_dir(), "deploy", "nginx", "visioguichet.conf")) as f:
            site = f.read()
        ws = location_block(site, "/ws/")
        self.assertIn("proxy_http_version 1.1", site.replace("  ", " "))
        self.assertIn("proxy_set_header Upgrade $http_upgrade", ws)
        self.assertIn("proxy_set_header Connection $connection_upgrade", ws)
        self.assertRegex(site, r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;")
        timeouts = {d.split()[0]: seconds(d.split()[1]) for d in ws
                    if d.startswith(("proxy_read_timeout", "proxy_send_timeout"))}
        # Longer than the server's own ping interval of a silent socket (150 s; docs/VIDEO.md):
        # nginx must not cut a quiet call first.
        self.assertGreaterEqual(timeouts.get("proxy_read_timeout", 60), 3600, ws)
        self.assertGreaterEqual(timeouts.get("proxy_send_timeout", 60), 3600, ws)


if __name__ == "__main__":
    unittest.main()
