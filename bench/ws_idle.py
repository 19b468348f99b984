#!/usr/bin/env python3
"""Idle WebSocket connections of the video room one server process holds, and memory per
connection (docs/PERFORMANCE.md).

Starts the real server on a fresh demo database (--max-connections above the count, the
open-files limit raised to its hard limit), books video appointments, opens their waiting
rooms from the start, then opens CONNECTIONS WebSockets on /ws/room, 16 per room (a room
holds 16 at most), that each say hello with their room token (each a waiting participant)
and stay idle. Prints the server's resident
memory before and after, per connection, and checks every connection is still open.

  ws_idle.py BINARY [--connections 10000]
"""
import argparse, asyncio, json, os, resource, sqlite3, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import Demo, Server, require  # noqa: E402

websockets = require("websockets", "python3-websockets")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def hold(server, tokens, count, batch=200):
    url = "ws://127.0.0.1:%d/ws/room" % server.port
    sockets = []

    async def one(i):
        ws = await websockets.connect(url, ping_interval=None, open_timeout=60, max_size=2 ** 16)
        await ws.send(json.dumps({"type": "hello", "room": tokens[i // 16]}))
        welcome = json.loads(await ws.recv())
        assert welcome["type"] == "welcome", welcome
        return ws

    for start in range(0, count, batch):
        sockets += await asyncio.gather(*(one(i) for i in range(start, min(count, start + batch))))
    return sockets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--connections", type=int, default=10000)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < a.connections + 200:
        sys.exit("open-files hard limit %d is below %d connections: raise it (ulimit -Hn)"
                 % (hard, a.connections))
    os.environ["VG_BINARY"] = os.path.abspath(a.binary)
    server = Server(db_dir=tempfile.mkdtemp(prefix="vg-ws-idle-"), extra_args=[
        "--max-connections", str(a.connections + 100), "--no-durable", "--outbox-threads", "0",
        "--log-level", "warn"]).prepare().start()
    try:
        conn = sqlite3.connect(server.db, timeout=30)
        conn.execute("UPDATE organisations SET room_opens_minutes = 86400")
        conn.commit()
        conn.close()
        # Rooms hold 16 connections at most.
        demo = Demo(server)
        motif = demo.video_motif()
        tokens, need = [], -(-a.connections // 16)
        for slot in demo.slots(motif["id"]):
            while len(tokens) < need:
                r = demo.book(motif["id"], slot)
                if r.status != 201:
                    break
                tokens.append(r.json["room_url"].rsplit("/", 1)[1])
            if len(tokens) >= need:
                break
        assert len(tokens) >= need, "only %d video appointments free" % len(tokens)
        pid = server.server_pid()
        before = rss_kib(pid)

        async def run():
            sockets = await hold(server, tokens, a.connections)
            after = rss_kib(pid)
            open_ = sum(1 for ws in sockets if ws.open)
            for ws in sockets:
                await ws.close()
            return after, open_

        after, open_ = asyncio.run(run())
        per = (after - before) * 1024 / max(1, a.connections)
        print("idle WebSocket connections held: %d of %d (each a waiting participant)"
              % (open_, a.connections))
        print("server RSS: %.1f MB before, %.1f MB after: %.1f KiB per connection"
              % (before / 1024, after / 1024, per / 1024))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
