"""Runs a real visioguichet server on a fresh demo database for the integration tests.

Standard library only. Environment:
  VG_BINARY      path of the built server binary (required)
  VG_SOURCE_DIR  repository root (templates/, locales/, static/); defaults to ../.. of this file
  VG_KEEP_TMP=1  keep the temporary folders (databases, server logs) after the run

Nothing here skips: a missing binary or Python package fails the run with a message saying
what to install (a suite that skips would let ctest report success without testing anything).
"""

import atexit
import datetime
import importlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def require(module, debian_package):
    """Imports module or stops the run with a message naming the Debian package (never skips)."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(
            "%s is missing for %s (%s): install Debian's %s and run the suite with /usr/bin/python3"
            " (scripts/test and ctest do)" % (module, sys.executable, e, debian_package)) from e


def stop_child(proc, sig=signal.SIGTERM, timeout=20):
    """Stops a helper process (nginx, turnserver): `sig`, then SIGKILL after `timeout` s."""
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate until it returns something true, which is returned; fails after timeout
    seconds saying what was awaited. The tests wait for conditions, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def binary():
    path = os.environ.get("VG_BINARY")
    if not path:
        raise RuntimeError("VG_BINARY is not set (path of the built visioguichet binary)")
    if not os.access(path, os.X_OK):
        raise RuntimeError("VG_BINARY=%s is not an executable file" % path)
    return path


def source_dir():
    return os.environ.get("VG_SOURCE_DIR") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env():
    """The environment without VISIOGUICHET_* settings, so that only our options count."""
    return {k: v for k, v in os.environ.items() if not k.startswith("VISIOGUICHET_")}


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


def send_request(conn, method, path, body=None, headers=None, content_type="application/json"):
    """One request on a new http.client connection (closed after): body is a dict/list (sent
    as JSON), bytes or str (sent as is) or None; French unless headers say otherwise."""
    h = {"Accept-Language": "fr"}
    if body is not None:
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        if content_type:
            h["Content-Type"] = content_type
    h.update(headers or {})
    try:
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


class Server:
    """One server process on its own temporary database."""

    def __init__(self, rate_limit=0, db_dir=None, extra_args=(), wrapper=(), env=None, nofile=None):
        """wrapper: a command line the server runs under (strace ...); env: variables added
        to the server's environment only (not to migrate/demo); nofile: open-files limit
        (soft = hard) of the server process, e.g. 64; None: inherited."""
        self.binary = binary()
        self.source = source_dir()
        self.own_dir = db_dir is None
        self.dir = db_dir or tempfile.mkdtemp(prefix="vg-it-")
        if self.own_dir and os.environ.get("VG_KEEP_TMP") != "1":
            atexit.register(shutil.rmtree, self.dir, True)
        self.db = os.path.join(self.dir, "visioguichet.db")
        self.rate_limit = rate_limit
        self.extra_args = list(extra_args)
        self.nofile = nofile
        self.wrapper = list(wrapper)
        self.env = dict(env or {})
        self.proc = None
        self.signalled = False
        self.port = None
        self.log_path = None
        self.log = None

    # --- lifecycle ---------------------------------------------------------------------

    def prepare(self):
        """migrate + demo on the database (idempotent)."""
        for cmd in ("migrate", "demo"):
            r = subprocess.run([self.binary, cmd, "--db", self.db], env=clean_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            if r.returncode != 0:
                raise RuntimeError("%s %s failed (%d): %s" % (
                    self.binary, cmd, r.returncode, r.stdout.decode("utf-8", "replace")))
        return self

    def start(self, timeout=30):
        for attempt in range(3):
            self.port = free_port()
            self.log_path = os.path.join(self.dir, "serve-%d.log" % self.port)
            self.log = open(self.log_path, "wb")
            self.signalled = False
            env = clean_env()
            env.update(self.env)
            self.proc = subprocess.Popen(
                self.wrapper + [self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
                 "--booking-rate-limit", str(self.rate_limit), "--assets", self.source]
                + self.extra_args,
                env=env, stdout=self.log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, preexec_fn=self._limits)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    if self.get("/readyz", timeout=2).status == 200:
                        return self
                except OSError:
                    pass
                time.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("server not ready after %ds:\n%s" % (timeout, self.log_text()))
            # Exited: maybe the port was taken between our probe and its bind; try another.
            if "listen" not in self.log_text() or attempt == 2:
                raise RuntimeError("server exited with %d:\n%s" % (
                    self.proc.returncode, self.log_text()))
        return self

    def _limits(self):
        if self.nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.nofile, self.nofile))

    def server_pid(self):
        """The server's own process id (the wrapper's child when it runs under one)."""
        if not self.wrapper:
            return self.proc.pid
        with open("/proc/%d/task/%d/children" % (self.proc.pid, self.proc.pid)) as f:
            return int(f.read().split()[0])

    def terminate(self):
        """Sends SIGTERM once (a second signal could kill a server that is shutting down)."""
        if self.proc is not None and not self.signalled and self.proc.poll() is None:
            if self.wrapper:
                os.kill(self.server_pid(), signal.SIGTERM)
            else:
                self.proc.send_signal(signal.SIGTERM)
            self.signalled = True

    def stop(self, timeout=20):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.proc is None:
            return 0
        self.terminate()
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        self.proc = None
        if self.log:
            self.log.close()
            self.log = None
        return code

    def log_text(self):
        if self.log:
            self.log.flush()
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    # --- HTTP --------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, content_type="application/json",
                timeout=60):
        """body: dict/list (sent as JSON), bytes or str (sent as is) or None."""
        return send_request(http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout),
                            method, path, body, headers, content_type)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    # --- database (read only, for checks the API does not expose) ----------------------

    def sql(self, query, params=()):
        conn = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=30)
        try:
            return conn.execute(query, params).fetchall()
        finally:
            conn.close()

    def write(self, query, params=()):
        """A write behind the server's back (times and settings the API cannot set), committed;
        the new row's id."""
        conn = sqlite3.connect(self.db, timeout=30)
        try:
            cur = conn.execute(query, params)
            conn.commit()
            return cur.lastrowid
        finally:
            conn.close()

    def appointment_count(self):
        return self.sql("SELECT COUNT(*) FROM appointments")[0][0]

    def live_overlaps(self):
        return self.sql(
            "SELECT COUNT(*) FROM appointments a JOIN appointments b ON a.agent_id = b.agent_id "
            "AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
            "WHERE a.status IN ('booked','confirmed') AND b.status IN ('booked','confirmed')")[0][0]


def module_server(namespace, smtp_sink=False, **server_args):
    """setUpModule and tearDownModule for a test module sharing one server, stored in the
    module's global `server`; the stop must exit 0 (SIGTERM drained cleanly). smtp_sink: the
    server sends its e-mails to an SMTP sink (smtp_sink.SmtpSink), started first and stopped
    last, stored in the module's global `sink`."""

    def set_up():
        namespace["server"] = namespace["sink"] = None
        args = dict(server_args)
        if smtp_sink:
            require("aiosmtpd", "python3-aiosmtpd")  # only modules that send mail need it
            from smtp_sink import SmtpSink
            namespace["sink"] = SmtpSink().start()
            args["extra_args"] = ["--smtp-url", namespace["sink"].url] + list(
                args.get("extra_args", ()))
        try:
            namespace["server"] = Server(**args).prepare().start()
        except BaseException:
            if namespace["sink"]:
                namespace["sink"].stop()
            raise

    def tear_down():
        server = namespace["server"]
        code = server.stop() if server else 0
        if namespace.get("sink"):
            namespace["sink"].stop()
        if code != 0:
            raise AssertionError("server exit status %r after SIGTERM\n%s"
                                 % (code, server.log_text()))

    return set_up, tear_down


class Demo:
    """Helpers over the demo organisation's public API."""

    ORG = "demo"

    def __init__(self, server):
        self.s = server

    def path(self, tail):
        return "/api/v1/orgs/%s/%s" % (self.ORG, tail)

    def motifs(self):
        r = self.s.get(self.path("motifs"))
        assert r.status == 200, r
        return r.json["motifs"]

    def sites(self):
        r = self.s.get(self.path("sites"))
        assert r.status == 200, r
        return r.json["sites"]

    def terms_version(self):
        r = self.s.get(self.path("terms"))
        assert r.status == 200, r
        return r.json["version"]

    def video_motif(self):
        """The first public motif offering video, 30 minutes or less when possible."""
        motifs = [m for m in self.motifs() if "video" in m["channels"]]
        short = [m for m in motifs if m["duration_minutes"] <= 30]
        return (short or motifs)[0]

    def slots(self, motif_id, channel="video", days=27, site=None, first_day=None):
        first = first_day or datetime.date.today()
        q = {"motif": motif_id, "channel": channel, "from": first.isoformat(),
             "to": (first + datetime.timedelta(days=days)).isoformat()}
        if site is not None:
            q["site"] = site
        r = self.s.get(self.path("slots?" + urllib.parse.urlencode(q)))
        assert r.status == 200, r
        return r.json["slots"]

    def slot_free(self, motif_id, slot, channel="video"):
        """True while (start, site) of slot is offered."""
        day = datetime.date.fromisoformat(slot["start"][:10])
        found = self.slots(motif_id, channel, days=2, site=slot["site"]["id"],
                           first_day=day - datetime.timedelta(days=1))
        return any(s["start"] == slot["start"] and s["site"]["id"] == slot["site"]["id"]
                   for s in found)

    def booking(self, motif_id, slot, channel="video", **citizen):
        person = {"first_name": "Camille", "last_name": "Test",
                  "email": "camille.test@example.org"}
        person.update(citizen)
        return {"motif": motif_id, "channel": channel, "start": slot["start"],
                "site": slot["site"]["id"], "citizen": person, "accept_terms": True,
                "terms_version": self.terms_version()}

    def book(self, motif_id, slot, channel="video", **citizen):
        return self.s.post(self.path("appointments"),
                           self.booking(motif_id, slot, channel, **citizen))

    def fill(self, motif_id, slot, limit=12):
        """Books slot until it is refused; returns the tokens of the bookings made."""
        tokens = []
        for _ in range(limit):
            r = self.book(motif_id, slot)
            if r.status == 409:
                return tokens
            assert r.status == 201, r
            tokens.append(r.json["token"])
        raise AssertionError("slot %s still bookable after %d bookings" % (slot, limit))

    def cancel(self, token, reason=None):
        body = {} if reason is None else {"reason": reason}
        return self.s.post("/api/v1/appointments/%s/cancel" % token, body)


def spread_slots(slots, count):
    """Up to `count` slots with distinct (start, site) whose intervals never overlap at one site."""
    chosen, last_end = [], {}
    for s in slots:
        site = s["site"]["id"]
        start = datetime.datetime.fromisoformat(s["start"])
        if site in last_end and start < last_end[site]:
            continue
        chosen.append(s)
        last_end[site] = datetime.datetime.fromisoformat(s["end"])
        if len(chosen) == count:
            break
    return chosen
