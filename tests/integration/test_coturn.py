"""The documented coturn beside the server (docs/OPERATIONS.md, docs/VIDEO.md): Debian's
turnserver runs deploy/coturn/turnserver.conf (addresses, ports and paths rewritten, a
self-signed certificate), its secret appended by deploy/coturn/coturn-config from the very file
the server reads with --turn-secret-file, as the systemd drop-in does.

What is checked, with a small TURN client (RFC 5766 Allocate and CreatePermission, long-term
credentials) over UDP and over TLS:
  the credential a participant gets in the hub's `welcome` allocates a relay; a wrong
  credential, an expired one and one made with another secret are refused (401); the relay
  refuses peers in the private ranges (403) and accepts a public one; coturn-config refuses an
  empty secret and a template that holds one.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import unittest

from harness import Demo, Server, free_port, require, source_dir, stop_child, wait_until

TURNSERVER = "/usr/bin/turnserver"
COOKIE = 0x2112A442
ALLOCATE, CREATE_PERMISSION = 0x0003, 0x0008
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, REALM, NONCE = 0x0006, 0x0008, 0x0009, 0x0014, 0x0015
XOR_PEER_ADDRESS, XOR_RELAYED_ADDRESS, REQUESTED_TRANSPORT = 0x0012, 0x0016, 0x0019


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- a small TURN client ----------------------------------------------------------------------

def attribute(kind, value):
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * (-len(value) % 4)


def message(method, attributes, key=None):
    """A STUN request; with key, MESSAGE-INTEGRITY (HMAC-SHA1 over the message whose length
    already counts the integrity attribute)."""
    body = b"".join(attribute(k, v) for k, v in attributes)
    tid = os.urandom(12)
    if key is None:
        return struct.pack("!HHI", method, len(body), COOKIE) + tid + body
    head = struct.pack("!HHI", method, len(body) + 24, COOKIE) + tid
    mac = hmac.new(key, head + body, hashlib.sha1).digest()
    return head + body + attribute(MESSAGE_INTEGRITY, mac)


def parse(data):
    kind, length, cookie = struct.unpack("!HHI", data[:8])
    assert cookie == COOKIE, data[:20]
    attrs, i = {}, 20
    while i < 20 + length:
        k, n = struct.unpack("!HH", data[i:i + 4])
        attrs[k] = data[i + 4:i + 4 + n]
        i += 4 + n + (-n % 4)
    error = None
    if ERROR_CODE in attrs:
        v = attrs[ERROR_CODE]
        error = (v[2] & 7) * 100 + v[3]
    return kind, error, attrs


def xor_address(ip, port):
    a = struct.unpack("!I", socket.inet_aton(ip))[0] ^ COOKIE
    return struct.pack("!BBHI", 0, 1, port ^ (COOKIE >> 16), a)


class Udp:
    def __init__(self, port):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(2)
        self.s.connect(("127.0.0.1", port))

    def ask(self, data):
        self.s.send(data)
        return parse(self.s.recv(4096))

    def close(self):
        self.s.close()


class Tls:
    def __init__(self, port, cafile):
        raw = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.s = ssl.create_default_context(cafile=cafile).wrap_socket(
            raw, server_hostname="127.0.0.1")

    def read(self, n):
        out = b""
        while len(out) < n:
            chunk = self.s.recv(n - len(out))
            assert chunk, "coturn closed the TLS connection"
            out += chunk
        return out

    def ask(self, data):
        self.s.sendall(data)
        head = self.read(20)
        return parse(head + self.read(struct.unpack("!H", head[2:4])[0]))

    def close(self):
        self.s.close()


class Relay:
    """One client of the relay: Allocate with long-term credentials, then CreatePermission."""

    def __init__(self, transport, username, password):
        self.t = transport
        self.username = username.encode()
        self.password = password

    def allocate(self):
        """(status, error): 200 and the relayed address, or the error code."""
        kind, error, attrs = self.t.ask(message(ALLOCATE, [(REQUESTED_TRANSPORT, b"\x11\0\0\0")]))
        assert (kind, error) == (0x0113, 401), (kind, error)  # asks for credentials
        self.realm, self.nonce = attrs[REALM], attrs[NONCE]
        self.key = hashlib.md5(self.username + b":" + self.realm + b":" +
                               self.password.encode()).digest()
        kind, error, attrs = self.t.ask(message(ALLOCATE, [
            (REQUESTED_TRANSPORT, b"\x11\0\0\0"), (USERNAME, self.username),
            (REALM, self.realm), (NONCE, self.nonce)], self.key))
        if kind == 0x0103:
            assert XOR_RELAYED_ADDRESS in attrs
            return 200
        assert kind == 0x0113, hex(kind)
        return error

    def permit(self, ip):
        kind, error, _ = self.t.ask(message(CREATE_PERMISSION, [
            (XOR_PEER_ADDRESS, xor_address(ip, 9)), (USERNAME, self.username),
            (REALM, self.realm), (NONCE, self.nonce)], self.key))
        return 200 if kind == 0x0108 else error


def rest_credential(secret, username):
    """The coturn REST convention: base64(HMAC-SHA1(secret, username))."""
    return base64.b64encode(hmac.new(secret.encode(), username.encode(),
                                     hashlib.sha1).digest()).decode()


# --- the documented configuration, run ------------------------------------------------------------

def config_for_test(prefix, udp_port, tls_port, cert, key):
    with open(os.path.join(source_dir(), "deploy", "coturn", "turnserver.conf")) as f:
        conf = f.read()
    replacements = [
        ("listening-ip=203.0.113.10", "listening-ip=127.0.0.1\nrelay-ip=127.0.0.1"),
        ("listening-port=3478", "listening-port=%d" % udp_port),
        ("tls-listening-port=443", "tls-listening-port=%d" % tls_port),
        ("/run/credentials/coturn.service/turn.crt", cert),
        ("/run/credentials/coturn.service/turn.key", key),
        ("\nsyslog\n", "\nlog-file=%s\n" % os.path.join(prefix, "turn.log")),
    ]
    for old, new in replacements:
        assert old in conf, "the documented configuration no longer has %r" % old
        conf = conf.replace(old, new)
    # Its own user database and no pid file in the system's folders.
    return conf + "\nuserdb=%s\npidfile=%s\nno-dtls\n" % (
        os.path.join(prefix, "turndb"), os.path.join(prefix, "turn.pid"))


class Coturn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(TURNSERVER, os.X_OK):
            raise RuntimeError("%s is missing: install Debian's coturn" % TURNSERVER)
        cls.prefix = tempfile.mkdtemp(prefix="vg-coturn-")
        cls.cert = os.path.join(cls.prefix, "cert.pem")
        key = os.path.join(cls.prefix, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cls.cert], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # One secret file for both, as in production (/etc/visioguichet/turn.secret).
        cls.secret = base64.b16encode(os.urandom(32)).decode().lower()
        cls.secret_file = os.path.join(cls.prefix, "turn.secret")
        with open(cls.secret_file, "w") as f:
            f.write(cls.secret + "\n")
        cls.udp_port, cls.tls_port = free_udp_port(), free_port()
        template = os.path.join(cls.prefix, "turnserver.conf")
        with open(template, "w") as f:
            f.write(config_for_test(cls.prefix, cls.udp_port, cls.tls_port, cls.cert, key))
        cls.conf = os.path.join(cls.prefix, "run.conf")
        subprocess.run([cls.coturn_config(), template, cls.secret_file, cls.conf], check=True)
        cls.turn = subprocess.Popen([TURNSERVER, "-c", cls.conf], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        cls.server = Server(extra_args=[
            "--turn-urls", "turn:127.0.0.1:%d?transport=udp,turns:127.0.0.1:%d?transport=tcp"
            % (cls.udp_port, cls.tls_port), "--turn-secret-file", cls.secret_file])
        cls.server.prepare().start()

        def answers():
            if cls.turn.poll() is not None:
                raise AssertionError("turnserver exited: %s" % cls.turn_log())
            u = Udp(cls.udp_port)
            try:
                u.s.settimeout(0.3)
                u.ask(message(ALLOCATE, [(REQUESTED_TRANSPORT, b"\x11\0\0\0")]))
                return True
            except OSError:
                return False
            finally:
                u.close()
        wait_until(answers, 30, "coturn to answer")

    @classmethod
    def coturn_config(cls):
        return os.path.join(source_dir(), "deploy", "coturn", "coturn-config")

    @classmethod
    def turn_log(cls):
        try:
            with open(os.path.join(cls.prefix, "turn.log")) as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    @classmethod
    def tearDownClass(cls):
        stop_child(cls.turn)
        code = cls.server.stop()
        if os.environ.get("VG_KEEP_TMP") != "1":
            shutil.rmtree(cls.prefix, True)
        assert code == 0, cls.server.log_text()[-3000:]

    def welcome_credential(self):
        """The ICE server a citizen gets in the hub's welcome."""
        websockets = require("websockets", "python3-websockets")
        # Every offered slot's waiting room open now.
        self.server.write("UPDATE organisations SET room_opens_minutes = 86400")
        demo = Demo(self.server)
        motif = demo.video_motif()["id"]
        r = demo.book(motif, demo.slots(motif)[3])
        self.assertEqual(r.status, 201, r)
        token = r.json["room_url"].rsplit("/", 1)[1]

        async def hello():
            ws = await websockets.connect("ws://127.0.0.1:%d/ws/room" % self.server.port,
                                          ping_interval=None, open_timeout=30)
            try:
                await ws.send(json.dumps({"type": "hello", "room": token}))
                return json.loads(await asyncio.wait_for(ws.recv(), 30))
            finally:
                await ws.close()
        welcome = asyncio.run(hello())
        self.assertEqual(welcome["type"], "welcome", welcome)
        [ice] = welcome["ice_servers"]
        return ice

    def allocate(self, transport, username, password):
        t = Udp(self.udp_port) if transport == "udp" else Tls(self.tls_port, self.cert)
        relay = Relay(t, username, password)
        try:
            status = relay.allocate()
        except BaseException:
            t.close()
            raise
        if status != 200:
            t.close()
        return status, relay

    def test_the_servers_credential_allocates_a_wrong_one_is_refused(self):
        ice = self.welcome_credential()
        self.assertEqual(ice["urls"], ["turn:127.0.0.1:%d?transport=udp" % self.udp_port,
                                       "turns:127.0.0.1:%d?transport=tcp" % self.tls_port])
        user, good = ice["username"], ice["credential"]
        self.assertRegex(user, r"^\d+:p[0-9a-f]{16}$")
        for transport in ("udp", "tls"):
            with self.subTest(transport=transport):
                status, relay = self.allocate(transport, user, good)
                self.assertEqual(status, 200, self.turn_log())
                # The relay goes to the Internet, never into private networks.
                for private in ("10.1.2.3", "172.16.0.9", "192.168.1.1", "127.0.0.1",
                                "169.254.1.1", "100.64.0.1"):
                    self.assertEqual(relay.permit(private), 403, private)
                self.assertEqual(relay.permit("198.51.100.7"), 200)
                relay.t.close()
                wrong = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
                self.assertEqual(self.allocate(transport, user, wrong)[0], 401)
                self.assertEqual(self.allocate(transport, user, rest_credential(
                    "another-secret", user))[0], 401)
                # Signed with the right secret, but expired: refused (time-limited).
                expired = "1000000000:" + user.split(":", 1)[1]
                self.assertEqual(self.allocate(transport, expired, rest_credential(
                    self.secret, expired))[0], 401)
                # The same, unexpired: the convention is the one coturn checks.
                fresh = str(int(user.split(":")[0])) + ":someone"
                status, relay = self.allocate(transport, fresh, rest_credential(
                    self.secret, fresh))
                self.assertEqual(status, 200)
                relay.t.close()

    def test_the_configuration_never_holds_the_secret(self):
        with open(self.conf) as f:
            run_conf = f.read()
        self.assertEqual(re.findall(r"^static-auth-secret=(.*)$", run_conf, re.M), [self.secret])
        self.assertEqual(os.stat(self.conf).st_mode & 0o777, 0o600)
        with open(os.path.join(source_dir(), "deploy", "coturn", "turnserver.conf")) as f:
            documented = f.read()
        self.assertNotIn("static-auth-secret", re.sub(r"#.*", "", documented))
        for option in ("use-auth-secret", "no-cli", "no-multicast-peers", "realm=",
                       "tls-listening-port=443", "denied-peer-ip=10.0.0.0-10.255.255.255",
                       "denied-peer-ip=172.16.0.0-172.31.255.255",
                       "denied-peer-ip=192.168.0.0-192.168.255.255"):
            self.assertRegex(documented, r"(?m)^%s" % re.escape(option))
        out = os.path.join(self.prefix, "refused.conf")
        empty = os.path.join(self.prefix, "empty.secret")
        open(empty, "w").close()
        r = subprocess.run([self.coturn_config(), self.conf, self.secret_file, out],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("must not hold the secret", r.stderr)
        r = subprocess.run([self.coturn_config(), os.path.join(
            source_dir(), "deploy", "coturn", "turnserver.conf"), empty, out],
            capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
