"""A real local SMTP server for the tests: records every message it accepts.

Needs Debian's aiosmtpd (python3-aiosmtpd); run with /usr/bin/python3. In a test:

    with SmtpSink() as sink:                       # or SmtpSink(port=P).start() ... .stop()
        # serve --smtp-url sink.url  (smtp://127.0.0.1:PORT)
        sink.reject("nobody@example.org")          # RCPT answered "550 5.1.1 no such user"
    sink.data_delay = 0.2                      # answer each DATA 0.2 s late (slow server)
        mails = sink.wait_for(2, timeout=10)
        mails[0].message["Subject"]                # email.message.EmailMessage, decoded
        mails[0].rcpt_tos                          # the envelope recipients, as received

The sink keeps its port across stop()/start(), so a test can take the mail server down and
bring it back where the sender expects it. While stopped, connections are refused.

Each received message is a Received with:
    mail_from, rcpt_tos   envelope (MAIL FROM, every accepted RCPT TO), as the client sent them
    raw                   the DATA bytes, unchanged
    message               parsed with email.policy.default (headers decoded, get_body()...)
    message_id            Message-ID without the angle brackets ("" when absent)
    subject               decoded Subject ("" when absent)
    received_at           time.monotonic() when the DATA was accepted
    parse_error           None, or why Message-ID / Subject could not be read
    seq                   1, 2, 3... in arrival order (across restarts)
The lists returned by messages, wait_for, by_message_id... are copies: safe from any thread.

Self-test: /usr/bin/python3 smtp_sink.py --self-test
Standalone: /usr/bin/python3 smtp_sink.py [--port 8025] prints one line per message.
"""

import argparse
import asyncio
import email
import email.policy
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Received:
    __slots__ = ("mail_from", "rcpt_tos", "raw", "message", "message_id", "subject",
                 "received_at", "seq", "peer", "parse_error")

    def __init__(self, mail_from, rcpt_tos, raw, seq, peer):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.raw = raw
        self.message = email.message_from_bytes(raw, policy=email.policy.default)
        self.parse_error = None
        try:
            mid = self.message.get("Message-ID")
            self.message_id = str(mid).strip().strip("<>") if mid is not None else ""
            subject = self.message.get("Subject")
            self.subject = str(subject) if subject is not None else ""
        except Exception as e:  # a malformed header is still a message: keep it, say why
            self.parse_error = "%s: %s" % (type(e).__name__, e)
            self.message_id = self.subject = ""
        self.received_at = time.monotonic()
        self.seq = seq
        self.peer = peer

    def __repr__(self):
        return "<mail #%d %s -> %s %r>" % (self.seq, self.message_id, self.rcpt_tos,
                                           self.subject[:60])


class _Handler:
    """aiosmtpd handler; runs on the controller's event-loop thread."""

    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.sink._rcpt_reply(envelope.mail_from, address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        delay = self.sink.data_delay
        if delay:
            await asyncio.sleep(delay)  # a slow mail server: the 250 comes late
        return self.sink._record(envelope, session.peer)


class _CountingSMTP(SMTP):
    """Counts open sessions, so that a test can wait until every client has gone."""

    def __init__(self, sink, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sink = sink

    def connection_made(self, transport):
        self._sink._sessions_changed(+1)
        super().connection_made(transport)

    def connection_lost(self, exc):
        try:
            super().connection_lost(exc)
        finally:
            self._sink._sessions_changed(-1)


class _Controller(Controller):
    def __init__(self, sink, *args, **kwargs):
        self._sink = sink
        super().__init__(*args, **kwargs)

    def factory(self):
        return _CountingSMTP(self._sink, self.handler, **self.SMTP_kwargs)


class SmtpSink:
    """An SMTP server on 127.0.0.1 in a background thread (aiosmtpd)."""

    def __init__(self, port=0, hostname="127.0.0.1"):
        self.hostname = hostname
        self._port = port or _free_port()  # fixed now: restarts listen on the same port
        self._lock = threading.Condition()
        self._messages = []
        self._refused = []      # (mail_from, address, reply) of refused RCPTs
        self._rejects = {}      # lower-case address -> SMTP reply
        self._seq = 0
        self._sessions = 0      # SMTP connections open right now
        self._controller = None
        self.data_delay = 0.0   # seconds before answering each DATA (a slow mail server)

    # --- lifecycle ---------------------------------------------------------------------

    def start(self):
        if self._controller is not None:
            return self
        last = None
        for _ in range(50):  # the port may still be held for a moment after stop()
            controller = _Controller(self, _Handler(self), hostname=self.hostname,
                                     port=self._port, ready_timeout=10)
            try:
                controller.start()
            except OSError as e:
                last = e
                time.sleep(0.1)
                continue
            self._controller = controller
            return self
        raise RuntimeError("SMTP sink: cannot listen on %s:%d: %s" % (
            self.hostname, self._port, last))

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self):
        return self._controller is not None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # --- settings ----------------------------------------------------------------------

    @property
    def port(self):
        return self._port

    @property
    def url(self):
        return "smtp://%s:%d" % (self.hostname, self._port)

    def reject(self, address, reply="550 5.1.1 no such user"):
        """RCPT TO:<address> is answered with reply from now on (case-insensitive)."""
        with self._lock:
            self._rejects[address.lower()] = reply

    def accept(self, address):
        """Undoes reject(address)."""
        with self._lock:
            self._rejects.pop(address.lower(), None)

    # --- what was received ---------------------------------------------------------------

    @property
    def messages(self):
        """Accepted messages, oldest first. A copy."""
        with self._lock:
            return list(self._messages)

    @property
    def refused(self):
        """(mail_from, address, reply) of every refused RCPT, oldest first. A copy."""
        with self._lock:
            return list(self._refused)

    def count(self, predicate=None):
        with self._lock:
            return sum(1 for m in self._messages if predicate is None or predicate(m))

    def wait_for(self, count, timeout=10.0, predicate=None):
        """Waits until at least count accepted messages (those matching predicate, when
        given) were received; returns them. Raises TimeoutError (saying what arrived)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [m for m in self._messages if predicate is None or predicate(m)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        "SMTP sink: %d matching message(s) after %.1fs, expected %d "
                        "(%d received in all; subjects: %s; refused RCPTs: %d)" % (
                            len(found), timeout, count, len(self._messages),
                            sorted({m.subject[:40] for m in self._messages}),
                            len(self._refused)))
                self._lock.wait(min(left, 0.5))

    def wait_idle(self, timeout=10.0):
        """Waits until no client is connected (after a sender was killed, say: its sessions
        end once the sink has read what was on the wire). Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._sessions:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("SMTP sink: %d session(s) still open after %.1fs"
                                       % (self._sessions, timeout))
                self._lock.wait(min(left, 0.5))

    def by_message_id(self, predicate=None):
        """{Message-ID: [Received, ...]} (several entries when one arrived more than once)."""
        out = {}
        with self._lock:
            for m in self._messages:
                if predicate is None or predicate(m):
                    out.setdefault(m.message_id, []).append(m)
        return out

    def duplicates(self, predicate=None):
        """{Message-ID: [Received, ...]} for the Message-IDs received more than once."""
        return {k: v for k, v in self.by_message_id(predicate).items() if len(v) > 1}

    def to(self, address):
        """Messages whose envelope includes address (case-insensitive)."""
        a = address.lower()
        return [m for m in self.messages if a in (r.lower() for r in m.rcpt_tos)]

    def clear(self):
        with self._lock:
            self._messages.clear()
            self._refused.clear()

    # --- event-loop side ---------------------------------------------------------------

    def _rcpt_reply(self, mail_from, address):
        with self._lock:
            reply = self._rejects.get(address.lower())
            if reply is not None:
                self._refused.append((mail_from, address, reply))
                self._lock.notify_all()
            return reply

    def _sessions_changed(self, delta):
        with self._lock:
            self._sessions += delta
            self._lock.notify_all()

    def _record(self, envelope, peer):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        with self._lock:
            self._seq += 1
            record = Received(envelope.mail_from, envelope.rcpt_tos, raw, self._seq, peer)
            self._messages.append(record)
            self._lock.notify_all()
        return "250 Message accepted for delivery"


def _self_test():
    import smtplib
    from email.message import EmailMessage

    def send(sink, to, subject="Objet é", mid="a@b"):
        m = EmailMessage()
        m["From"] = "Expéditeur <from@example.org>"
        m["To"] = to
        m["Subject"] = subject
        m["Message-ID"] = "<%s>" % mid
        m.set_content("Bonjour\n")
        with smtplib.SMTP(sink.hostname, sink.port, timeout=5) as c:
            return c.send_message(m)

    sink = SmtpSink()
    with sink:
        send(sink, "x@example.org", mid="1@t")
        got = sink.wait_for(1, timeout=5)
        assert got[0].rcpt_tos == ["x@example.org"], got[0].rcpt_tos
        assert got[0].subject == "Objet é", got[0].subject
        assert got[0].message_id == "1@t"
        assert got[0].message["From"].addresses[0].display_name == "Expéditeur"
        sink.reject("no@example.org")
        try:
            send(sink, "no@example.org", mid="2@t")
            raise AssertionError("expected a refused recipient")
        except smtplib.SMTPRecipientsRefused as e:
            assert e.recipients["no@example.org"][0] == 550, e.recipients
        assert sink.refused[0][1] == "no@example.org"
        sink.accept("no@example.org")
        send(sink, "no@example.org", mid="1@t")
        assert len(sink.duplicates()) == 1 and sink.count() == 2
        sink.wait_idle(timeout=5)  # every smtplib session above has quit
        with socket.create_connection((sink.hostname, sink.port)) as c:
            c.recv(100)  # the greeting: the session is open
            try:
                sink.wait_idle(timeout=0.2)
                raise AssertionError("expected TimeoutError while a client is connected")
            except TimeoutError as e:
                assert "1 session" in str(e), e
        sink.wait_idle(timeout=5)
    port = sink.port
    try:
        send(sink, "x@example.org")
        raise AssertionError("expected a refused connection while stopped")
    except OSError:
        pass
    with sink:  # same port again
        assert sink.port == port
        send(sink, "y@example.org", mid="3@t")
        assert sink.wait_for(3, timeout=5)[-1].seq == 3
        try:
            sink.wait_for(10, timeout=0.2)
            raise AssertionError("expected TimeoutError")
        except TimeoutError as e:
            assert "expected 10" in str(e)
    print("smtp_sink self-test: OK")


def _main():
    ap = argparse.ArgumentParser(description="Local SMTP server printing what it receives.")
    ap.add_argument("--port", type=int, default=8025)
    ap.add_argument("--self-test", action="store_true", help="run the self-test and exit")
    args = ap.parse_args()
    with SmtpSink(port=args.port) as sink:
        print("SMTP sink listening on %s (Ctrl-C to stop)" % sink.url, file=sys.stderr,
              flush=True)
        seen = 0
        try:
            while True:
                msgs = sink.wait_for(seen + 1, timeout=3600)
                for m in msgs[seen:]:
                    print("%s %s -> %s %s" % (m.message_id, m.mail_from, ",".join(m.rcpt_tos),
                                              m.subject), flush=True)
                seen = len(msgs)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__" and "--self-test" in sys.argv:
    _self_test()
elif __name__ == "__main__":
    _main()
