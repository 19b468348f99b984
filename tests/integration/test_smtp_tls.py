"""E-mail over STARTTLS with authentication, against aiosmtpd with a throw-away certificate:
the credentials come from the SMTP URL; with --smtp-starttls required, a server without TLS
gets nothing."""
import os
import ssl
import subprocess
import tempfile
import unittest

from harness import Demo, Server, free_port, require, wait_until

require("aiosmtpd", "python3-aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402 (after the check naming the package)
from aiosmtpd.smtp import AuthResult  # noqa: E402


class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"tls": session.ssl is not None,
                              "auth": session.authenticated,
                              "rcpt": list(envelope.rcpt_tos)})
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"rdv" and auth_data.password == b"s3cret"
    return AuthResult(success=ok)


class StartTls(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vg-tls-")
        key, cert = os.path.join(self.dir, "key.pem"), os.path.join(self.dir, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        self.recorder = Recorder()
        self.port = free_port()
        self.smtp = Controller(self.recorder, hostname="127.0.0.1", port=self.port,
                               tls_context=ctx, require_starttls=True, auth_require_tls=True,
                               authenticator=authenticator, auth_required=True)
        self.smtp.start()
        self.addCleanup(self.smtp.stop)

    def book(self, srv):
        demo = Demo(srv)
        motif = demo.video_motif()
        res = demo.book(motif["id"], demo.slots(motif["id"])[0],
                        email="tls.test@example.org")
        self.assertEqual(res.status, 201, res.body)

    def test_starttls_and_login(self):
        srv = Server(extra_args=["--smtp-url", "smtp://rdv:s3cret@127.0.0.1:%d" % self.port,
                                 "--smtp-starttls", "required", "--smtp-insecure"]).prepare()
        srv.start()
        self.addCleanup(srv.stop)
        self.book(srv)
        wait_until(lambda: any("tls.test@example.org" in m["rcpt"]
                               for m in self.recorder.messages), 30, "the e-mail over TLS")
        mine = [m for m in self.recorder.messages if "tls.test@example.org" in m["rcpt"]]
        self.assertEqual(len(mine), 1)
        self.assertTrue(mine[0]["tls"])
        self.assertTrue(mine[0]["auth"])

    def test_wrong_password_is_retried_not_lost(self):
        srv = Server(extra_args=["--smtp-url", "smtp://rdv:wrong@127.0.0.1:%d" % self.port,
                                 "--smtp-starttls", "required", "--smtp-insecure"]).prepare()
        srv.start()
        self.addCleanup(srv.stop)
        self.book(srv)

        def tried():
            rows = srv.sql("SELECT status, attempts, last_error FROM outbox "
                           "WHERE kind='confirmation' AND channel='email'")
            return rows if rows and rows[0][1] >= 1 else None
        rows = wait_until(tried, 20, "a first attempt with the wrong password")
        self.assertEqual(self.recorder.messages, [])
        self.assertTrue(rows and rows[0][0] in ("pending", "dead"), rows)
        self.assertGreaterEqual(rows[0][1], 1)


if __name__ == "__main__":
    unittest.main()
