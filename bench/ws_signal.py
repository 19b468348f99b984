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
  baseline   one room signalling, the others connected but silent (the hub with one room);
  load       ROOMS rooms signalling at once (the baseline room silent);
  baseline   again after the load.
The clients run in WORKERS processes (asyncio, python3-websockets), each with its share of the
rooms; the sending lag (how late a client sent against its schedule) is printed too: when it
grows, the client, not the hub, is the limit.

  ws_signal.py BINARY [--rooms 1000] [--rate 2] [--seconds 15] [--baseline-seconds 8]
                      [--workers 2]

Prints the figures and one line `RESULT key=value ...` (read by bench/report.py).
"""
import argparse, asyncio, json, multiprocessing, os, random, resource, sqlite3, sys, tempfile
import time

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
    import datetime
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


async def reader(member, phase):
    try:
        async for raw in member.ws:
            now = time.perf_counter_ns()
            m = json.loads(raw)
            if m.get("type") == "signal":
                c = m["data"]["candidate"]
                if c["p"] == phase.id:
                    phase.latencies.append((now - c["t"]) / 1e6)
                    phase.received += 1
            elif m.get("type") == "error":
                phase.errors += 1
    except websockets.ConnectionClosed:
        pass


async def sender(member, phase, rate, until):
    period = 1.0 / rate
    start = time.perf_counter() + random.random() * period
    k = 0
    while True:
        due = start + k * period
        if due >= until:
            return
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        now_ns = time.perf_counter_ns()
        phase.lags.append(now_ns / 1e6 - due * 1e3)
        await member.ws.send(json.dumps({"type": "signal", "to": member.peer, "data": {
            "candidate": {"t": now_ns, "p": phase.id, "candidate": "candidate:bench"}}}))
        phase.sent += 1
        k += 1


def worker(pipe, port, rooms, cookies):
    """Connects its rooms, then measures on command: ("measure", id, rate, seconds)."""
    async def main():
        loop = asyncio.get_running_loop()
        members = []
        for i in range(0, len(rooms), 50):
            for pair in await asyncio.gather(*(open_room(port, a, t, cookies[e])
                                               for a, t, e in rooms[i:i + 50])):
                members += pair
        phase = Phase()
        readers = [asyncio.ensure_future(reader(m, phase)) for m in members]
        pipe.send(("ready", len(members)))
        while True:
            cmd = await loop.run_in_executor(None, pipe.recv)
            if cmd[0] == "stop":
                break
            _, phase.id, rate, seconds = cmd
            phase.latencies, phase.lags = [], []
            phase.sent = phase.received = phase.errors = 0
            until = time.perf_counter() + seconds
            await asyncio.gather(*(sender(m, phase, rate, until) for m in members))
            await asyncio.sleep(1.0)  # messages still in flight
            open_ = sum(1 for m in members if m.ws.open)
            pipe.send(("done", phase.latencies, phase.lags, phase.sent, phase.received,
                       phase.errors, open_))
        for m in members:
            await m.ws.close()
        for r in readers:
            r.cancel()
    asyncio.run(main())


# --- the run ------------------------------------------------------------------------------------

def measure(workers, phase_id, rate, seconds):
    for pipe, _ in workers:
        pipe.send(("measure", phase_id, rate, seconds))
    out = {"lat": [], "lag": [], "sent": 0, "received": 0, "errors": 0, "open": 0}
    for pipe, _ in workers:
        kind, lat, lag, sent, received, errors, open_ = pipe.recv()
        out["lat"] += lat
        out["lag"] += lag
        out["sent"] += sent
        out["received"] += received
        out["errors"] += errors
        out["open"] += open_
    return out


def summary(name, rooms, m, seconds):
    lat = m["lat"]
    print("%-22s rooms %4d: %6d signals sent, %6d relayed (%.0f/s), one-way latency p50 %.2f ms, "
          "p90 %.2f ms, p99 %.2f ms, max %.2f ms; client send lag p99 %.2f ms; errors %d"
          % (name, rooms, m["sent"], m["received"], m["received"] / seconds,
             percentile(lat, 50), percentile(lat, 90), percentile(lat, 99),
             max(lat) if lat else float("nan"), percentile(m["lag"], 99), m["errors"]))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rooms", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=2.0, help="signals a second per participant")
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--baseline-seconds", type=float, default=8.0)
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
        b1 = measure(base, 1, a.rate, a.baseline_seconds)
        summary("baseline (1 room)", 1, b1, a.baseline_seconds)
        ld = measure(load, 2, a.rate, a.seconds)
        summary("load", a.rooms, ld, a.seconds)
        b2 = measure(base, 3, a.rate, a.baseline_seconds)
        summary("baseline again", 1, b2, a.baseline_seconds)
        for pipe, _ in base + load:
            pipe.send(("stop",))
        lost = ld["sent"] - ld["received"]
        bl = b1["lat"] + b2["lat"]
        result = {
            "rooms": a.rooms, "rate": "%g" % a.rate, "seconds": "%g" % a.seconds,
            "relayed_per_s": "%.0f" % (ld["received"] / a.seconds),
            "p50_ms": "%.2f" % percentile(ld["lat"], 50),
            "p99_ms": "%.2f" % percentile(ld["lat"], 99),
            "max_ms": "%.2f" % max(ld["lat"]),
            "lag_p99_ms": "%.2f" % percentile(ld["lag"], 99),
            "lost": lost, "errors": ld["errors"], "open": ld["open"],
            "base_p50_ms": "%.2f" % percentile(bl, 50),
            "base_p99_ms": "%.2f" % percentile(bl, 99),
        }
        print("RESULT " + " ".join("%s=%s" % kv for kv in result.items()))
        if lost or ld["errors"] or ld["open"] != 2 * a.rooms:
            sys.exit("signals lost (%d), errors (%d) or connections closed (%d open of %d)"
                     % (lost, ld["errors"], ld["open"], 2 * a.rooms))
    finally:
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
        server.stop()


if __name__ == "__main__":
    main()
