"""What staff tests share: the CLI, a demo agent and a password the policy accepts, and a
Browser that keeps cookies and sends the CSRF token like the console's forms do."""

import os
import subprocess
import urllib.parse

from harness import clean_env, source_dir

FORM = "application/x-www-form-urlencoded"
AGENT = "agent1@demo.visioguichet.test"
GOOD = "tulipe-gravier-Orbite-93"


def cli(srv, *args, stdin=None):
    return subprocess.run([srv.binary, *args, "--db", srv.db], env=clean_env(), input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                          text=True)


def set_password(srv, email, password):
    r = cli(srv, "user", "password", "--email", email, stdin=password + "\n")
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)


# A second organisation (examples/organisation.json) beside the demo, each with its own
# administrator; the statistics and public-figures tests check that neither sees the other.
OTHER = "capac-liege"
ADMIN = "admin@demo.visioguichet.test"
OTHER_ADMIN = "admin@capac.example"


def two_organisations(srv):
    """On a prepared (not started) server: import the second organisation, add both
    administrators, and give AGENT, ADMIN and OTHER_ADMIN the password GOOD."""
    r = cli(srv, "import", os.path.join(source_dir(), "examples", "organisation.json"))
    assert r.returncode == 0, r.stderr
    for email, org in ((ADMIN, "demo"), (OTHER_ADMIN, OTHER)):
        r = cli(srv, "user", "add", "--org", org, "--email", email, "--role", "admin")
        assert r.returncode == 0, r.stderr
    for email in (AGENT, ADMIN, OTHER_ADMIN):
        set_password(srv, email, GOOD)


def set_cookies(r):
    return [v for k, v in r.headers if k.lower() == "set-cookie"]


class Browser:
    """Cookies of one client (name -> value), as a browser keeps them."""

    def __init__(self, srv, origin=None):
        self.srv = srv
        self.jar = {}
        self.origin = origin

    def send(self, method, path, fields=None):
        headers = {}
        if self.jar:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.jar.items())
        if self.origin:
            headers["Origin"] = self.origin
        body = urllib.parse.urlencode(fields) if fields is not None else None
        r = self.srv.request(method, path, body=body, headers=headers, content_type=FORM)
        for c in set_cookies(r):
            name, value = c.split(";")[0].split("=", 1)
            if "max-age=0" in c.lower():
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        return r

    def csrf(self):
        for name, value in self.jar.items():
            if name.endswith("vg_csrf"):
                return value
        self.send("GET", "/login")
        return self.csrf()

    def post(self, path, fields=None):
        return self.send("POST", path, dict(fields or {}, csrf=self.csrf()))

    def login(self, email, password):
        self.send("GET", "/login")
        return self.post("/login", {"email": email, "password": password})


def totp(secret_base32, at=None, step=0):
    """RFC 6238 (SHA-1, 30-second steps, 6 digits) from the base32 secret the page shows;
    step moves the time step (the server accepts one step either side)."""
    import base64
    import hashlib
    import hmac
    import struct
    import time
    secret = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30) + step
    h = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = h[-1] & 15
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def sign_in_with_totp(browser, email, password):
    """Signs in an account that must use a second factor and has none yet (a supervisor or an
    administrator): password, then the enrolment page's secret, then a code. Returns the
    secret (base32). Only the first sign-in of an account can enrol; keep the Browser."""
    import html
    import re
    r = browser.login(email, password)
    assert r.status == 303 and r.header("Location") == "/console/totp", r
    page = browser.send("GET", "/console/totp").body.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    sealed = html.unescape(re.search(r'name="enrolment" value="([^"]+)"', page).group(1))
    r = browser.post("/console/totp", {"enrolment": sealed, "code": totp(secret)})
    assert r.status == 200, r
    return secret.replace(" ", "")


def agent_and_admins(srv):
    """Signed-in Browsers for the demo agent, the demo administrator and the other
    organisation's administrator (after two_organisations): (agent, admin, other_admin)."""
    agent = Browser(srv)
    assert agent.login(AGENT, GOOD).status == 303
    admin = Browser(srv)
    sign_in_with_totp(admin, ADMIN, GOOD)
    other_admin = Browser(srv)
    sign_in_with_totp(other_admin, OTHER_ADMIN, GOOD)
    return agent, admin, other_admin
