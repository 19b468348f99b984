#!/usr/bin/env python3
"""The statistics' export through HTTP (issue 14: "a full one-year export streamed with memory
that stays flat, RSS growth < 20 MB"), run by bench/stats.sh after bench_stats:

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=. bench/stats_http_export.py DATASET ORG

Starts the server on the data set, signs in a new administrator of ORG (password, then the
second factor's enrolment, as tests/integration/staff.py does), downloads the one-year CSV
export (GET /console/stats/export.csv) to nowhere, reading it as fast as it comes, then once
more with contact data at a slow client's pace (--slow-kbps, 2 MB/s: the producer must wait,
not buffer), and prints the server's memory from /proc before, at the peak (sampled every
50 ms) and after: VmRSS, RssAnon (the heap: what streaming must keep flat; the database's
memory-mapped pages count in VmRSS but are the file's) and VmHWM. Writes an administrator
account and its session into the data set (nothing the statistics count)."""

import argparse
import datetime
import http.client
import os
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from harness import Server  # noqa: E402
from staff import Browser, cli, set_password, sign_in_with_totp  # noqa: E402


def memory(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024.0  # MiB
    return out


class Peak(threading.Thread):
    """The highest VmRSS and RssAnon of the process while it runs."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.stop, self.peak = pid, threading.Event(), {"VmRSS": 0, "RssAnon": 0}

    def run(self):
        while not self.stop.wait(0.05):
            m = memory(self.pid)
            for k in self.peak:
                self.peak[k] = max(self.peak[k], m[k])


def download(srv, browser, path, slow_kbps=0):
    """Reads the answer to nowhere; (status, chunked, bytes, lines, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=600)
    started = time.monotonic()
    conn.request("GET", path, headers={
        "Cookie": "; ".join("%s=%s" % kv for kv in browser.jar.items())})
    r = conn.getresponse()
    size = lines = 0
    block = 64 * 1024
    last = b""  # the previous block's last byte: a line end split between two blocks counts
    while True:
        data = r.read(block)
        if not data:
            break
        size += len(data)
        lines += (last + data).count(b"\r\n")
        last = data[-1:]
        if slow_kbps:
            # Paced on the bytes read so far (a client on a slow line).
            ahead = size / (slow_kbps * 1024.0) - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    conn.close()
    return (r.status, r.getheader("Transfer-Encoding") == "chunked", size, lines,
            time.monotonic() - started)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dataset")
    p.add_argument("org")
    p.add_argument("--slow-kbps", type=int, default=2048)
    a = p.parse_args()
    srv = Server()
    srv.db = os.path.abspath(a.dataset)
    email = "bench-export-%d@bench.test" % os.getpid()
    r = cli(srv, "user", "add", "--org", a.org, "--email", email, "--role", "admin")
    assert r.returncode == 0, r.stderr
    set_password(srv, email, "bench-Export-gravier-71")
    srv.start(timeout=120)
    try:
        browser = Browser(srv)
        sign_in_with_totp(browser, email, "bench-Export-gravier-71")
        today = datetime.date.today()
        period = "from=%s&to=%s" % (today - datetime.timedelta(days=365), today)
        for label, path, slow in (
                ("full speed", "/console/stats/export.csv?" + period, 0),
                ("with contacts, slow client %d KiB/s" % a.slow_kbps,
                 "/console/stats/export.csv?contacts=1&" + period, a.slow_kbps)):
            before = memory(srv.proc.pid)
            peak = Peak(srv.proc.pid)
            peak.start()
            status, chunked, size, lines, seconds = download(srv, browser, path, slow)
            peak.stop.set()
            peak.join()
            after = memory(srv.proc.pid)
            print("==> HTTP export, %s: status %d, chunked %s, %d lines, %.1f MB in %.1f s "
                  "(%.0f rows/s)" % (label, status, chunked, lines - 1, size / 1e6, seconds,
                                     (lines - 1) / seconds))
            print("    server VmRSS %.1f -> peak %.1f -> %.1f MiB; RssAnon %.1f -> peak %.1f -> "
                  "%.1f MiB (growth %.1f MiB); VmHWM %.1f -> %.1f MiB" % (
                      before["VmRSS"], peak.peak["VmRSS"], after["VmRSS"], before["RssAnon"],
                      peak.peak["RssAnon"], after["RssAnon"],
                      peak.peak["RssAnon"] - before["RssAnon"], before["VmHWM"], after["VmHWM"]))
            print("RESULT http_export_%s_rss_anon_growth_mib=%.1f" % (
                "slow" if slow else "fast", peak.peak["RssAnon"] - before["RssAnon"]))
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
