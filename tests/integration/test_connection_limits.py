"""Connection floods against a server with few file descriptors (issue 11, point 16).

Before the fix, a server whose open-files limit was exhausted by idle and slow connections
spun in its accept loop: `/healthz` went unanswered, both cores burned and "accept failed"
was logged millions of times. These tests start the server with a low limit (64, as
`prlimit --nofile=64:64` would), open many idle connections (nothing sent) and slow ones
(slowloris: a request trickled byte by byte), and check that `/healthz` answers within a
bounded time, that the server uses little CPU, that its log stays small, that slow and idle
connections are closed early, and that it recovers once the flood stops.
"""

import os
import resource
import socket
import threading
import time
import unittest

from harness import Server

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of stat(5), counted from the state (field 3) here.
    return (int(fields[11]) + int(fields[12])) / TICKS


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def sockets(pid):
    """Sockets the server holds: its listening socket and its connections (no SMTP here)."""
    count = 0
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            count += os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:")
        except OSError:
            pass  # closed meanwhile
    return count


def unread_bytes(port):
    """Bytes received on the server's side of its established connections and not yet read
    by it (rx_queue in /proc/net/tcp, local port `port`)."""
    total = 0
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
                total += int(fields[4].split(":")[1], 16)
    return total


def watch(server, seconds):
    """/healthz every quarter of a second for `seconds` (a measuring window, not a wait for
    anything): each answer must come within 5 s."""
    pause = threading.Event()
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        assert healthz_seconds(server) < 5.0
        pause.wait(0.25)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("not within %ss: %s" % (timeout, what() if callable(what) else what))


class Flood:
    """Idle connections (connected, nothing sent) and slow ones (one request header byte at a
    time, never finished), kept open until close()."""

    def __init__(self, port, idle, slow):
        self.port = port
        self.idle = [self._connect() for _ in range(idle)]
        self.slow = [self._connect() for _ in range(slow)]
        self.stop = threading.Event()
        self.closed_by_server = 0
        self.rounds = 0  # bytes sent so far to each slow connection
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.setblocking(False)
        return s

    def _trickle(self):
        line = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10000
        position = 0
        while not self.stop.wait(0.1):
            for s in list(self.slow):
                try:
                    s.send(line[position:position + 1])
                except BlockingIOError:
                    pass
                except OSError:
                    # Reset or closed by the server: that is what we want.
                    self.slow.remove(s)
                    self.closed_by_server += 1
                    s.close()
            position = (position + 1) % len(line)
            self.rounds += 1

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.idle + self.slow:
            s.close()


def healthz_seconds(server, timeout=30):
    """Seconds /healthz took to answer 200 on a new connection."""
    started = time.monotonic()
    r = server.get("/healthz", timeout=timeout)
    assert r.status == 200, r
    return time.monotonic() - started


class LowFileLimit(unittest.TestCase):
    """64 open files for the server: many more connections than it can hold."""

    def start(self, *extra_args, nofile=64):
        self.server = Server(nofile=nofile, extra_args=["--outbox-threads", "0", "--threads", "4"]
                             + list(extra_args)).prepare().start()
        self.addCleanup(self.server.stop)
        self.pid = self.server.proc.pid
        return self.server

    def held(self):
        """What the server holds, and its connection cap if the file limit lowered it."""
        cap = [l for l in self.server.log_text().splitlines() if "connections at once" in l]
        return "the server holds %d sockets, %d files; %s" % (
            sockets(self.pid), open_fds(self.pid), cap[0] if cap else "no cap from the limit")

    def log_size(self):
        return os.path.getsize(self.server.log_path)

    def test_idle_and_slow_flood_keeps_healthz_answering(self):
        server = self.start()
        wait_for(lambda: sockets(self.pid) == 1, 10, "only the listening socket open")
        log_before = self.log_size()
        cpu_before = cpu_seconds(self.pid)
        started = time.monotonic()

        flood = Flood(server.port, idle=600, slow=60)
        try:
            # Once every slow connection has begun its request (whether the server has accepted
            # it yet or not), several new clients in turn, each answered within a bounded time
            # although far more connections wait than the server may open.
            wait_for(lambda: flood.rounds >= 3, 10, "slow requests begun")
            for _ in range(5):
                self.assertLess(healthz_seconds(server), 5.0)
            watch(server, 3.0)
            elapsed = time.monotonic() - started
            cpu = cpu_seconds(self.pid) - cpu_before
            # Spinning on accept burns a core or more; accepting and closing a few hundred
            # connections costs a few hundredths of a second.
            self.assertLess(cpu, 0.2 * elapsed, "server CPU %.2f s in %.1f s" % (cpu, elapsed))
            grown = self.log_size() - log_before
            self.assertLess(grown, 16 * 1024, "log grew by %d bytes" % grown)
        finally:
            flood.close()

        # Recovery: the flood's connections are let go, the server answers at once.
        self.assertLess(healthz_seconds(server), 2.0)
        wait_for(lambda: sockets(self.pid) == 1, 15,
                 "server back to its listening socket (has %d sockets)" % sockets(self.pid))
        self.assertEqual(server.stop(), 0)

    def test_out_of_files_pauses_accepting_instead_of_spinning(self):
        # A limit lowered under the server's feet (another part of the process or the
        # operator took the files): accept() fails with EMFILE. The server must back off,
        # log that a few times, and still answer by letting an idle connection go.
        # Started with room for more than the 5 idle connections below (at 64 files the cap is
        # about 8, fewer when the machine's process opens a few more files at start); the
        # limit is lowered afterwards.
        server = self.start(nofile=128)
        wait_for(lambda: sockets(self.pid) == 1, 10, "only the listening socket open")
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(5)]
        wait_for(lambda: sockets(self.pid) == 6, 10,
                 lambda: "idle connections accepted (the server holds %d sockets, %d files)" % (
                     sockets(self.pid), open_fds(self.pid)))
        tight = open_fds(self.pid)
        resource.prlimit(self.pid, resource.RLIMIT_NOFILE, (tight, 128))
        log_before = self.log_size()
        cpu_before = cpu_seconds(self.pid)
        started = time.monotonic()
        more = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(50)]
        try:
            watch(server, 3.0)
            elapsed = time.monotonic() - started
            cpu = cpu_seconds(self.pid) - cpu_before
            self.assertLess(cpu, 0.2 * elapsed, "server CPU %.2f s in %.1f s" % (cpu, elapsed))
            grown = self.log_size() - log_before
            self.assertLess(grown, 16 * 1024, "log grew by %d bytes" % grown)
            failures = server.log_text().count("accept failed")
            self.assertGreater(failures, 0, "the limit was not reached: test the test")
            self.assertLessEqual(failures, 3 * (elapsed + 1))
        finally:
            for s in idle + more:
                s.close()
        resource.prlimit(self.pid, resource.RLIMIT_NOFILE, (128, 128))
        self.assertLess(healthz_seconds(server), 2.0)

    def test_slow_requests_are_closed_early(self):
        server = self.start("--request-timeout", "1", "--max-connections", "8")
        flood = Flood(server.port, idle=0, slow=8)
        try:
            wait_for(lambda: flood.closed_by_server == 8, 10,
                     "slow connections closed (%d of 8)" % flood.closed_by_server)
        finally:
            flood.close()
        self.assertLess(healthz_seconds(server), 2.0)

    def test_idle_connection_gives_way_at_the_cap(self):
        # The cap is full of idle keep-alive connections (30 s before they time out by
        # themselves): a new client gets in at once, the longest idle one is let go.
        # 256 files: the cap of 3 is the setting's. At 64 the limit's own cap depends on how
        # many database files the server's threads have opened when it listens (CI: below 3).
        server = self.start("--max-connections", "3", "--idle-timeout", "30", nofile=256)
        wait_for(lambda: sockets(self.pid) == 1, 10, "only the listening socket open")
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(3)]
        try:
            wait_for(lambda: sockets(self.pid) == 4, 10,
                     lambda: "idle connections accepted (%s)" % self.held())
            self.assertLess(healthz_seconds(server), 2.0)
            idle[0].settimeout(5)
            self.assertEqual(idle[0].recv(1), b"", "the oldest idle connection is closed")
        finally:
            for s in idle:
                s.close()

    def test_trickling_connection_gives_way_at_the_cap(self):
        # The cap is full of requests begun and never finished (30 s before they time out):
        # a new client gets in at once, the longest-waiting one is let go.
        server = self.start("--max-connections", "3", "--request-timeout", "30", nofile=256)  # as above
        wait_for(lambda: sockets(self.pid) == 1, 10, "only the listening socket open")
        slow = []
        try:
            for n in range(2, 5):  # one after the other: slow[0] has waited longest
                slow.append(socket.create_connection(("127.0.0.1", server.port)))
                slow[-1].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                wait_for(lambda: sockets(self.pid) == n and unread_bytes(server.port) == 0, 10,
                         lambda: "slow connection accepted and its first bytes read (%s, %d "
                         "bytes unread)" % (self.held(), unread_bytes(server.port)))
            self.assertLess(healthz_seconds(server, timeout=10), 2.0)
            slow[0].settimeout(5)
            try:
                closed = slow[0].recv(1) == b""
            except ConnectionResetError:
                closed = True
            self.assertTrue(closed, "the oldest slow connection is closed")
        finally:
            for s in slow:
                s.close()

    def test_settings_are_checked(self):
        for args in (["--max-connections", "0"], ["--request-timeout", "0"],
                     ["--idle-timeout", "0"]):
            s = Server(extra_args=args)
            s.prepare()
            with self.assertRaises(RuntimeError, msg=str(args)) as caught:
                s.start(timeout=10)
            s.stop()
            self.assertIn("invalid setting", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
