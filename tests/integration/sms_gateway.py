"""A tiny local SMS gateway for the tests: an HTTP server that records what it receives.

Standard library only. In a test:

    with SmsGateway() as gw:
        # configure the organisation's SMS gateway with gw.url (http://127.0.0.1:PORT/sms)
        ...
        gw.fail_next(2, status=503)      # the next two requests are answered 503
        msgs = gw.wait_for(1, timeout=10)
        assert msgs[0]["body"]["text"] == "..."

Each entry of gw.messages (and gw.requests) is a dict:
    method, path    "POST", "/sms"
    headers         {lower-case name: value}
    raw             the body as text
    body            parsed body: a dict for JSON or form posts (form values are strings),
                    None when it could not be parsed
    status          the status the gateway answered
gw.messages holds the accepted requests (answered 2xx); gw.requests holds every request,
including the ones refused by fail_next. Both return copies (safe to use from any thread).

Standalone: python3 sms_gateway.py [--port 8025] prints each received request as one JSON line.
Self-test:  python3 sms_gateway.py --self-test
"""

import argparse
import http.client
import http.server
import json
import signal
import sys
import threading
import time
import urllib.parse


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, every answer carries Content-Length

    def log_message(self, fmt, *args):  # quiet: the tests print what matters
        pass

    def do_POST(self):
        self.server.gateway._handle(self)

    do_PUT = do_POST

    def do_GET(self):
        self._answer(405, {"error": "use POST"})

    def _answer(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class SmsGateway:
    """A local HTTP SMS gateway on 127.0.0.1, running in a background thread."""

    def __init__(self, port=0, path="/sms", on_message=None):
        self._port = port
        self._path = path
        self._on_message = on_message  # called with each recorded request (standalone mode)
        self._lock = threading.Condition()
        self._messages = []
        self._requests = []
        self._failures = []  # statuses for the next requests; None closes without answering
        self._next_id = 1
        self._server = None
        self._thread = None

    # --- lifecycle ---------------------------------------------------------------------

    def start(self):
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), _Handler)
        self._server.daemon_threads = True
        self._server.gateway = self
        # A short poll interval keeps stop() (and so each test) fast.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="sms-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # --- test API ----------------------------------------------------------------------

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return "http://127.0.0.1:%d%s" % (self.port, self._path)

    @property
    def messages(self):
        """Accepted requests (answered 2xx), oldest first. A copy."""
        with self._lock:
            return list(self._messages)

    @property
    def requests(self):
        """Every request received, refused ones included, oldest first. A copy."""
        with self._lock:
            return list(self._requests)

    def fail_next(self, n, status=503):
        """Answers the next n requests with status (None: drop the connection unanswered)."""
        with self._lock:
            self._failures.extend([status] * n)

    def wait_for(self, count, timeout=10.0):
        """Waits until at least count messages were accepted; returns them. Raises
        TimeoutError (with what was received) when they do not arrive in time."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        "SMS gateway: %d message(s) after %.1fs, expected %d (requests: %s)"
                        % (len(self._messages), timeout, count,
                           [r["status"] for r in self._requests]))
                self._lock.wait(left)
            return list(self._messages)

    def clear(self):
        with self._lock:
            self._messages.clear()
            self._requests.clear()
            self._failures.clear()

    # --- request handling (server threads) ---------------------------------------------

    def _handle(self, h):
        if h.headers.get("Transfer-Encoding"):
            h.close_connection = True
            return h._answer(411, {"error": "Content-Length required"})
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        text = raw.decode("utf-8", errors="replace")
        ctype = (h.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = None
        try:
            if ctype == "application/json":
                body = json.loads(raw.decode("utf-8"))
            elif ctype == "application/x-www-form-urlencoded":
                body = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
        except ValueError:
            body = None
        record = {
            "method": h.command,
            "path": urllib.parse.urlsplit(h.path).path,
            "headers": {k.lower(): v for k, v in h.headers.items()},
            "raw": text,
            "body": body,
        }
        with self._lock:
            if self._failures:
                status = self._failures.pop(0)
            elif record["path"] != self._path:
                status = 404
            elif body is None:
                status = 400
            else:
                status = 200
            record["status"] = status
            self._requests.append(record)
            if status is not None and 200 <= status < 300:
                record["id"] = "sms-%d" % self._next_id
                self._next_id += 1
                self._messages.append(record)
            self._lock.notify_all()
        if self._on_message:
            self._on_message(record)
        if status is None:
            h.close_connection = True  # the client sees the connection closed, no answer
            return
        if 200 <= status < 300:
            h._answer(status, {"id": record["id"], "status": "queued"})
        else:
            h._answer(status, {"error": "simulated failure" if status != 400 else "bad body"})


def _self_test():
    import urllib.error
    import urllib.request

    def post(url, data, ctype="application/json", headers=None):
        req = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": ctype, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    with SmsGateway() as gw:
        assert gw.url.startswith("http://127.0.0.1:") and gw.url.endswith("/sms"), gw.url
        body = {"to": "+33612345678", "text": "Bonjour \"à\"\n€", "from": "CAF"}
        status, answer = post(gw.url, json.dumps(body).encode(), headers={"Authorization": "B X"})
        assert status == 200 and answer["status"] == "queued", (status, answer)
        msg = gw.wait_for(1, timeout=2)[0]
        assert msg["body"] == body, msg
        assert msg["headers"]["authorization"] == "B X", msg["headers"]

        # Form bodies are decoded too.
        post(gw.url, b"to=%2B33612345678&text=a%26b%3Dc%2Bd%20e",
             "application/x-www-form-urlencoded")
        assert gw.wait_for(2)[1]["body"] == {"to": "+33612345678", "text": "a&b=c+d e"}

        # fail_next: refused requests are in requests, not in messages.
        gw.fail_next(2, status=503)
        assert post(gw.url, b"{}")[0] == 503
        assert post(gw.url, b"{}")[0] == 503
        assert post(gw.url, b"{}")[0] == 200
        assert len(gw.messages) == 3 and len(gw.requests) == 5
        assert [r["status"] for r in gw.requests] == [200, 200, 503, 503, 200]

        # Dropped connection, bad body, wrong path.
        gw.fail_next(1, status=None)
        try:
            post(gw.url, b"{}")
            raise AssertionError("expected a dropped connection")
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
            pass
        assert post(gw.url, b"not json")[0] == 400
        assert post(gw.url.replace("/sms", "/other"), b"{}")[0] == 404

        # Concurrent senders: nothing lost.
        threads = [threading.Thread(target=post, args=(gw.url, json.dumps({"n": i}).encode()))
                   for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        msgs = gw.wait_for(23, timeout=5)
        assert sorted(m["body"]["n"] for m in msgs[3:]) == list(range(20))
        assert len({m["id"] for m in msgs}) == 23

        # wait_for times out with a clear error.
        try:
            gw.wait_for(100, timeout=0.2)
            raise AssertionError("expected TimeoutError")
        except TimeoutError as e:
            assert "expected 100" in str(e)
    print("sms_gateway self-test: OK")


def _main():
    ap = argparse.ArgumentParser(description="Local SMS gateway printing what it receives.")
    ap.add_argument("--port", type=int, default=8025)
    ap.add_argument("--path", default="/sms")
    ap.add_argument("--self-test", action="store_true", help="run the self-test and exit")
    args = ap.parse_args()
    printer = lambda r: print(json.dumps(r, ensure_ascii=False), flush=True)  # noqa: E731
    # SIGTERM (kill PID) stops as cleanly as Ctrl-C; background jobs may ignore SIGINT.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with SmsGateway(port=args.port, path=args.path, on_message=printer) as gw:
        print("SMS gateway listening on %s (Ctrl-C to stop)" % gw.url, file=sys.stderr, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__" and "--self-test" in sys.argv:
    _self_test()
elif __name__ == "__main__":
    _main()
