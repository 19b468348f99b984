#!/usr/bin/env python3
"""Signalling latency of the video room's hub with many rooms active (issue 13;
docs/PERFORMANCE.md; step 5 of scripts/bench).

Starts the real server on a fresh demo database (the open-files limit raised to its hard
limit, which the server inherits), books ROOMS + 1 video appointments through the API (the
organisation's waiting room opened a year ahead, so every offered slot's room is open), signs
in the agents who hold them (password set with the CLI, sign-in form), and in every room
connects the citizen (hello with its room token) and the agent (hello with the appointment,
session cookie), the agent admits the citizen: each room then has two admitted participants
who see each other in `peers`. Then each participant sends `signal` messages to the other at
RATE a second (steady, each on its own phase), carrying the sender's monotonic clock; the
receiver's clock minus that is the one-way relay latency through the hub (client to server,
parse, checks, relay, server to client).

Three measures in one run, so that the figure can be read on a shared machine:
  baseline   one room signalling (BASELINE_RATE a second each: enough samples), the others
             connected but silent (the hub with one room);
  load       ROOMS rooms signalling at once (the baseline room silent);
  baseline   again after the load.
The clients run in WORKERS processes (asyncio), each with its share of the rooms: python3-
websockets opens and admits, then each socket's frames are read and written directly (class
Wire: the library's per-message cost made the client, not the hub, the limit). The sending
lag (how late a client sent against its schedule), the server's CPU time per relayed signal
and the clients' CPU time are printed too: when the lag grows, the client is the limit.

  ws_signal.py BINARY [--rooms 1000] [--rate 0.2] [--seconds 15] [--baseline-rate 10]
                      [--baseline-seconds 15] [--workers 2]

The default rate (a signal every 5 s from each of the 2 000 participants: 400 relayed a
second, about what 20 calls starting each second exchange) is what the Python clients keep up
with on the shared 2-core development machine; higher rates there measured the clients'
backlog, not the hub (docs/PERFORMANCE.md).

Prints the figures and one line `RESULT key=value ...` (read by bench/report.py).
"""
import argparse, asyncio, datetime, json, multiprocessing, os, random, resource, sqlite3, sys
import tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import Demo, Server, require  # noqa: E402
from staff import Browser, set_password  # noqa: E402

websockets = require("websockets", "python3-websockets")

PASSWORD = "tulipe-gravier-Orbite-93"  # a password the policy accepts


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


# --- setting up: appointments, agents' sessions ------------------------------------------------

def book_rooms(server, count):
    """count video appointments of the demo organisation: [(id, room token, agent e-mail)]."""
    demo = Demo(server)
    motifs = [m for m in demo.motifs() if "video" in m["channels"]]
    rooms, day = [], datetime.date.today()
    for _ in range(12):  # 12 windows of 28 days at most
        for motif in motifs:
            for slot in demo.slots(motif["id"], days=27, first_day=day):
                while len(rooms) < count:  # the same slot until its agents are all taken
                    r = demo.book(motif["id"], slot)
                    if r.status != 201:
                        break
                    rooms.append((r.json["id"], r.json["room_url"].rsplit("/", 1)[1]))
                if len(rooms) >= count:
                    break
            if len(rooms) >= count:
                break
        if len(rooms) >= count:
            break
        day += datetime.timedelta(days=28)
    assert len(rooms) >= count, "only %d video appointments free" % len(rooms)
    agents = dict(server.sql(
        "SELECT p.id, a.email FROM appointments p JOIN memberships m ON m.agent_id = p.agent_id "
        "AND m.organisation_id = p.organisation_id AND m.role = 'agent' "
        "JOIN accounts a ON a.id = m.account_id WHERE p.channel = 'video'"))
    return [(i, token, agents[i]) for i, token in rooms]


def sign_in(server, emails):
    cookies = {}
    for email in sorted(set(emails)):
        set_password(server, email, PASSWORD)
        b = Browser(server)
        r = b.login(email, PASSWORD)
        assert r.status == 303, r
        cookies[email] = "; ".join("%s=%s" % kv for kv in b.jar.items())
    return cookies


# --- one client process ----------------------------------------------------------------------------

class Member:
    def __init__(self, ws):
        self.ws = ws
        self.me = None
        self.peer = None
        self.seen = []  # messages read while waiting for another one


async def expect(member, kind, pred=lambda m: True, timeout=60):
    """The first message of this type (and predicate), earlier or next; others are kept."""
    def match(m):
        return m.get("type") == kind and pred(m)
    for m in member.seen:
        if match(m):
            member.seen.remove(m)
            return m

    async def wait():
        while True:
            m = json.loads(await member.ws.recv())
            if match(m):
                return m
            member.seen.append(m)
    return await asyncio.wait_for(wait(), timeout)


async def open_room(port, appointment, token, cookie):
    """The citizen waiting, the agent admitting them, both seeing the other in peers."""
    origin = "http://127.0.0.1:%d" % port
    url = "ws://127.0.0.1:%d/ws/room" % port
    kw = dict(origin=origin, ping_interval=None, open_timeout=60, max_size=2 ** 16)
    citizen = Member(await websockets.connect(url, **kw))
    await citizen.ws.send(json.dumps({"type": "hello", "room": token}))
    citizen.me = (await expect(citizen, "welcome"))["participant"]
    agent = Member(await websockets.connect(url, extra_headers={"Cookie": cookie}, **kw))
    await agent.ws.send(json.dumps({"type": "hello", "appointment": appointment}))
    agent.me = (await expect(agent, "welcome"))["participant"]
    await expect(agent, "lobby", lambda m: any(
        w["participant"] == citizen.me for w in m["waiting"]))
    await agent.ws.send(json.dumps({"type": "admit", "participant": citizen.me}))
    await expect(citizen, "admitted")
    for a, b in ((citizen, agent), (agent, citizen)):
        await expect(a, "peers", lambda m, b=b: any(
            p["participant"] == b.me for p in m["peers"]))
        a.peer = b.me
    return [citizen, agent]


class Phase:
    def __init__(self):
        self.id = 0
        self.latencies = []
        self.lags = []
        self.sent = 0
        self.received = 0
        self.errors = 0


class Wire(asyncio.Protocol):
    """The measuring side of one participant's socket, once admitted: the library's protocol
    object is replaced by this one on the same transport (websockets' per-message machinery
    costs the client more CPU than the hub spends relaying; with it the client, not the hub,
    was the limit). Frames are read and written directly (RFC 6455): the server's unmasked
    text frames in, our text frames out masked with a zero key (the XOR is then a no-op; the
    server must accept any key)."""

    def __init__(self, member, phase, pending):
        self.member, self.phase = member, phase
        self.buf = bytearray(pending)
        self.transport = None
        self.open = True

    def connection_made(self, transport):  # not called by set_protocol
        self.transport = transport

    def frame(self, opcode, payload):
        n = len(payload)
        head = bytes([0x80 | opcode]) + (bytes([0x80 | n]) if n < 126 else
                                         bytes([0x80 | 126]) + n.to_bytes(2, "big"))
        self.transport.write(head + b"\0\0\0\0" + payload)

    def data_received(self, data):
        now = time.perf_counter_ns()
        buf = self.buf
        buf += data
        while len(buf) >= 2:
            n, off = buf[1] & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    return
                n, off = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n, off = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < off + n:
                return
            opcode, payload = buf[0] & 0x0F, bytes(buf[off:off + n])
            del buf[:off + n]
            if opcode == 1:
                self.message(payload, now)
            elif opcode == 9:  # ping: pong
                self.frame(0xA, payload)
            elif opcode == 8:
                self.open = False

    def message(self, payload, now):
        if b'"signal"' in payload:
            c = json.loads(payload)["data"]["candidate"]
            if c["p"] == self.phase.id:
                self.phase.latencies.append((now - c["t"]) / 1e6)
                self.phase.received += 1
        elif b'"error"' in payload:
            self.phase.errors += 1

    def connection_lost(self, exc):
        self.open = False

    def send_signal(self):
        self.frame(1, json.dumps({"type": "signal", "to": self.member.peer, "data": {
            "candidate": {"t": time.perf_counter_ns(), "p": self.phase.id,
                          "candidate": "candidate:bench"}}}).encode())
        self.phase.sent += 1


def take_over(member, phase):
    ws = member.ws  # its reading task now waits forever (nothing feeds it): left alone
    pending = bytes(ws.reader._buffer)  # bytes read past the last frame, if any
    wire = Wire(member, phase, pending)
    wire.transport = ws.transport
    ws.transport.set_protocol(wire)
    if not ws.transport.is_reading():
        ws.transport.resume_reading()
    return wire


def worker(pipe, port, rooms, cookies):
    """Connects its rooms, then measures on command: ("measure", id, rate, seconds)."""
    async def main():
        loop = asyncio.get_running_loop()
        members = []
        for i in range(0, len(rooms), 50):
            for pair in await asyncio.gather(*(open_room(port, a, t, cookies[e])
                                               for a, t, e in rooms[i:i + 50])):
                members += pair
        await asyncio.sleep(0.5)  # the last lobby and peers updates
        phase = Phase()
        wires = [take_over(m, phase) for m in members]
        pipe.send(("ready", len(members)))
        while True:
            cmd = await loop.run_in_executor(None, pipe.recv)
            if cmd[0] == "stop":
                break
            _, phase.id, rate, seconds = cmd
            phase.latencies, phase.lags = [], []
            phase.sent = phase.received = phase.errors = 0
            period = 1.0 / rate
            cpu = time.process_time()
            until = loop.time() + seconds

            def fire(wire, due):
                phase.lags.append((loop.time() - due) * 1e3)
                wire.send_signal()
                if due + period < until:
                    loop.call_at(due + period, fire, wire, due + period)
            for w in wires:  # each on its own phase
                due = loop.time() + random.random() * period
                loop.call_at(due, fire, w, due)
            await asyncio.sleep(seconds + 1.0)  # and the messages still in flight
            open_ = sum(1 for w in wires if w.open)
            pipe.send(("done", phase.latencies, phase.lags, phase.sent, phase.received,
                       phase.errors, open_, time.process_time() - cpu))
        for w in wires:
            w.transport.close()
    asyncio.run(main())


# --- the run ------------------------------------------------------------------------------------

def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(workers, phase_id, rate, seconds, pid):
    cpu = cpu_seconds(pid)
    for pipe, _ in workers:
        pipe.send(("measure", phase_id, rate, seconds))
    out = {"lat": [], "lag": [], "sent": 0, "received": 0, "errors": 0, "open": 0,
           "client_cpu": 0.0}
    for pipe, _ in workers:
        kind, lat, lag, sent, received, errors, open_, client_cpu = pipe.recv()
        out["client_cpu"] += client_cpu
        out["lat"] += lat
        out["lag"] += lag
        out["sent"] += sent
        out["received"] += received
        out["errors"] += errors
        out["open"] += open_
    out["cpu"] = cpu_seconds(pid) - cpu
    return out


def summary(name, rooms, m, seconds):
    lat = m["lat"]
    print("%-26s rooms %4d: %6d signals sent, %6d relayed (%.0f/s), one-way latency p50 %.2f ms, "
          "p90 %.2f ms, p99 %.2f ms, max %.2f ms; client send lag p99 %.2f ms; errors %d; "
          "server CPU %.2f s (%.0f µs per relayed signal), clients' CPU %.2f s"
          % (name, rooms, m["sent"], m["received"], m["received"] / seconds,
             percentile(lat, 50), percentile(lat, 90), percentile(lat, 99),
             max(lat) if lat else float("nan"), percentile(m["lag"], 99), m["errors"],
             m["cpu"], 1e6 * m["cpu"] / max(1, m["received"]), m["client_cpu"]))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rooms", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=0.2, help="signals a second per participant")
    ap.add_argument("--baseline-rate", type=float, default=10.0,
                    help="signals a second per participant of the baseline room")
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--baseline-seconds", type=float, default=15.0)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < 4 * a.rooms + 400:
        sys.exit("open-files hard limit %d is too low for %d rooms: raise it (ulimit -Hn)"
                 % (hard, a.rooms))
    os.environ["VG_BINARY"] = os.path.abspath(a.binary)
    server = Server(db_dir=tempfile.mkdtemp(prefix="vg-ws-signal-"), extra_args=[
        "--max-connections", str(2 * a.rooms + 200), "--no-durable", "--outbox-threads", "0",
        "--log-level", "warn"]).prepare().start()
    procs = []
    try:
        conn = sqlite3.connect(server.db, timeout=30)
        conn.execute("UPDATE organisations SET room_opens_minutes = 525600")
        conn.commit()
        conn.close()
        t0 = time.monotonic()
        rooms = book_rooms(server, a.rooms + 1)
        cookies = sign_in(server, [e for _, _, e in rooms])
        print("%d video appointments booked, %d agents signed in (%.1f s)"
              % (len(rooms), len(cookies), time.monotonic() - t0))
        ctx = multiprocessing.get_context("fork")

        def spawn(share):
            parent, child = ctx.Pipe()
            p = ctx.Process(target=worker, args=(child, server.port, share, cookies), daemon=True)
            p.start()
            procs.append(p)
            return parent, p

        t0 = time.monotonic()
        base = [spawn(rooms[:1])]
        load = [spawn(rooms[1 + i::a.workers]) for i in range(a.workers)]
        members = 0
        for pipe, _ in base + load:
            kind, n = pipe.recv()
            members += n
        print("%d rooms open, %d participants admitted (%.1f s)"
              % (len(rooms), members, time.monotonic() - t0))
        pid = server.server_pid()
        b1 = measure(base, 1, a.baseline_rate, a.baseline_seconds, pid)
        summary("baseline (1 room, %g/s)" % a.baseline_rate, 1, b1, a.baseline_seconds)
        ld = measure(load, 2, a.rate, a.seconds, pid)
        summary("load", a.rooms, ld, a.seconds)
        b2 = measure(base, 3, a.baseline_rate, a.baseline_seconds, pid)
        summary("baseline again", 1, b2, a.baseline_seconds)
        for pipe, _ in base + load:
            pipe.send(("stop",))
        lost = ld["sent"] - ld["received"]
        bl = b1["lat"] + b2["lat"]
        result = {
            "rooms": a.rooms, "rate": "%g" % a.rate, "seconds": "%g" % a.seconds,
            "base_rate": "%g" % a.baseline_rate,
            "relayed_per_s": "%.0f" % (ld["received"] / a.seconds),
            "p50_ms": "%.2f" % percentile(ld["lat"], 50),
            "p99_ms": "%.2f" % percentile(ld["lat"], 99),
            "max_ms": "%.2f" % max(ld["lat"]),
            "lag_p99_ms": "%.2f" % percentile(ld["lag"], 99),
            "lost": lost, "errors": ld["errors"], "open": ld["open"],
            "server_cpu_s": "%.2f" % ld["cpu"],
            "server_us_per_signal": "%.0f" % (1e6 * ld["cpu"] / max(1, ld["received"])),
            "client_cpu_s": "%.2f" % ld["client_cpu"],
            "base_p50_ms": "%.2f" % percentile(bl, 50),
            "base_p99_ms": "%.2f" % percentile(bl, 99),
        }
        print("RESULT " + " ".join("%s=%s" % kv for kv in result.items()))
        if lost:
            print("warning: %d signals not received within a second of the end: the clients "
                  "fell behind (send lag above); lower --rate or add --workers" % lost)
        if ld["errors"] or ld["open"] != 2 * a.rooms:
            sys.exit("the hub refused signals (%d errors) or closed connections (%d open of %d)"
                     % (ld["errors"], ld["open"], 2 * a.rooms))
    finally:
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
        server.stop()


if __name__ == "__main__":
    main()
