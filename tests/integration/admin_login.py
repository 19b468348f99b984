"""Signing in as an organisation administrator (or a supervisor), who must use TOTP: the
account is added by the CLI, its password set, and the second factor enrolled through the
console's enrolment page with codes computed here (RFC 6238) from the secret it shows."""

import base64
import hashlib
import hmac
import re
import struct
import time

from staff import GOOD, Browser, cli, set_password


def totp(secret_base32, at=None):
    key = base64.b32decode(secret_base32.replace(" ", "").upper() + "=" * (-len(secret_base32.replace(" ", "")) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    h = hmac.new(key, counter, hashlib.sha1).digest()
    o = h[-1] & 15
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def staff_with_totp(srv, email, role, org="demo"):
    """A Browser signed in (second factor enrolled) as a new member with this role."""
    r = cli(srv, "user", "add", "--org", org, "--email", email, "--role", role)
    assert r.returncode == 0, r.stderr
    set_password(srv, email, GOOD)
    b = Browser(srv)
    r = b.login(email, GOOD)
    assert (r.status, r.header("Location")) == (303, "/console/totp"), (r.status, r.headers)
    page = b.send("GET", "/console/totp").body.decode()
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1).strip()
    sealed = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
    r = b.post("/console/totp", {"code": totp(secret), "enrolment": sealed})
    assert r.status == 200, r.body.decode()
    b.totp_secret = secret
    return b
