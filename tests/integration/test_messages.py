"""E-mails as citizens and agents receive them: a real server sending to a real SMTP server.

Needs Debian's python3-aiosmtpd (smtp_sink.py) and python3-icalendar (the calendar attachment
is checked by it as well as by the small line parser below); without them the run fails.

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        test_messages.py

What is checked:
  Confirmation       headers decoded (accents), text + HTML, .ics (two parsers), links work
  RescheduleCancel   same UID, SEQUENCE 1 then METHOD:CANCEL; reminders become 'cancelled'
  SmtpDown           100 bookings stay fast while the mail server is down, then all 100
                     confirmations arrive once, nothing dead
  CrashWhileSending  SIGKILL in the middle of sending; after restarts every confirmation
                     arrives, duplicates only where a crash makes them unavoidable
  SlowMailServer     no crash, slow mail server: every message sent once (lease vs batch)
  HeaderInjection    CR/LF, Bcc:, oversize input refused; every envelope has exactly the one
                     expected recipient
  EncodedWordName    a name typed as "=?UTF-8?Q?...?=" reaches the reader as typed
  DeadMessage        550 from the mail server: dead at once, `outbox` lists it,
                     `outbox-replay` sends it again
  InvalidPayload     a payload that is not JSON: dead at once, never sent (issue 11.1)
  PromptSending      a booking wakes the sender, whatever --outbox-poll (issue 11.6)
  SurveyBeforeOutcome  the survey page is closed before a held outcome (issue 11.4)
  SecretKey          missing or replaced key file: `serve` refuses to start (issue 11.5)
"""

import datetime
import email
import email.header
import email.policy
import email.utils
import hashlib
import html
import math
import random
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import unittest

from harness import Demo, Server, clean_env, module_server, require, wait_until

require("aiosmtpd", "python3-aiosmtpd")
icalendar = require("icalendar", "python3-icalendar")
from smtp_sink import SmtpSink  # noqa: E402 (after the check that names the package)

CONFIRMATION = "Votre rendez-vous est confirmé"
RESCHEDULE = "Votre rendez-vous a été déplacé"
CANCELLATION = "Votre rendez-vous est annulé"
ORG_NAME = "Caf de démonstration"
SENDER = "rendez-vous@demo.visioguichet.test"
HOST = "127.0.0.1"  # the host of the servers' public URL (http://127.0.0.1:<port>)


def is_confirmation(m):
    return m.subject.startswith(CONFIRMATION)


def installation_id(server):
    """The server database's installation id (random, created by `migrate`)."""
    return server.sql("SELECT value FROM installation WHERE name = 'installation_id'")[0][0]


def message_id_for(server, idempotency_key):
    """As src/notify/composer.cpp: BLAKE2b-128 (libsodium crypto_generichash) of the key, then
    the installation id and the public host."""
    digest = hashlib.blake2b(idempotency_key.encode("utf-8"), digest_size=16).hexdigest()
    return "%s.%s@%s" % (digest, installation_id(server), HOST)


def calendar_uid(server, appointment_id):
    return "appointment-%d.%s@%s" % (appointment_id, installation_id(server), HOST)


def local_ics_time(iso):
    """'2026-11-25T09:00:00+01:00' -> '20261125T090000' (the site's local time)."""
    return datetime.datetime.fromisoformat(iso).strftime("%Y%m%dT%H%M%S")


def kill_hard(server):
    """SIGKILL: no shutdown code runs (a crash, a power cut of the process)."""
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    server.proc = None
    if server.log:
        server.log.close()
        server.log = None


def run_cli(server, *args):
    r = subprocess.run([server.binary] + list(args) + ["--db", server.db], env=clean_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


# --- the outbox, read-only ---------------------------------------------------------------------


def outbox_rows(server, where="1", params=()):
    rows = server.sql(
        "SELECT id, appointment_id, idempotency_key, kind, channel, status, attempts, "
        "last_error, payload FROM outbox WHERE " + where + " ORDER BY id", params)
    keys = ("id", "appointment_id", "key", "kind", "channel", "status", "attempts",
            "last_error", "payload")
    return [dict(zip(keys, r)) for r in rows]


def outbox_quiet(server):
    """True when nothing is being sent nor due now (reminders, digests wait for later)."""
    now = int(time.time())
    return server.sql("SELECT COUNT(*) FROM outbox WHERE status = 'sending' "
                      "OR (status = 'pending' AND next_attempt_at <= ?)", (now,))[0][0] == 0


def expected_envelopes(server):
    """{Message-ID: (recipient, idempotency key)} of every e-mail the outbox may send.

    Citizen messages: Message-ID from the row's key, recipient the appointment's e-mail.
    Agent notices: from key + ':group' (the first row of a digest names it), to the agent."""
    out = {}
    agents = dict(server.sql("SELECT id, email FROM agents"))
    for key, kind, payload, email_ in server.sql(
            "SELECT o.idempotency_key, o.kind, o.payload, a.citizen_email FROM outbox o "
            "LEFT JOIN appointments a ON a.id = o.appointment_id WHERE o.channel = 'email'"):
        if kind.startswith("agent_"):
            m = re.search(r'"agent_id"\s*:\s*(\d+)', payload)
            agent = agents.get(int(m.group(1))) if m else None
            out[message_id_for(server, key + ":group")] = (agent, key)
        else:
            out[message_id_for(server, key)] = (email_, key)
    return out


def raw_header(m, name):
    """The header as sent (not decoded), all occurrences joined."""
    return " | ".join(email.message_from_bytes(m.raw, policy=email.policy.compat32)
                      .get_all(name) or [])


def to_header(m):
    """([(display name, address)] of the To headers, decoded as a mail program would), and
    None, or ([], why) when the standard library refuses what it decoded."""
    try:
        return [(a.display_name, a.addr_spec) for t in (m.message.get_all("To") or [])
                for a in t.addresses], None
    except Exception as e:  # e.g. ValueError: a CR or LF inside a decoded display name
        return [], "To header %r decodes to something invalid: %s: %s" % (
            raw_header(m, "To"), type(e).__name__, e)


def to_names_rfc2047(m):
    """[(display name, address)] of the To header decoded by the letter of RFC 2047 (6.2:
    white space between adjacent encoded words is dropped). Python's address parser keeps
    it (a decoder bug of its own: long names, cut into several encoded words, come out with
    spaces in them), so names are compared through email.header.decode_header instead."""
    raw = re.sub(r"\r?\n[ \t]", " ", raw_header(m, "To"))
    return [(str(email.header.make_header(email.header.decode_header(n))), a)
            for n, a in email.utils.getaddresses([raw])]


class MessagesCase(unittest.TestCase):
    maxDiff = 4000

    # --- envelopes: exactly one recipient, the expected one ----------------------------

    def assertEnvelopesSane(self, sink, server):
        """Every message the sink ever received went to exactly one address: the citizen's
        or the agent's the outbox row is about (checked through the Message-ID), and its
        headers name that one address and no other recipient."""
        expected = expected_envelopes(server)
        problems = []
        for m in sink.messages:
            if m.parse_error:
                problems.append("%r: unreadable headers: %s" % (m, m.parse_error))
                continue
            if m.message_id not in expected:
                problems.append("%r: Message-ID matches no outbox row" % m)
                continue
            rcpt, key = expected[m.message_id]
            if m.rcpt_tos != [rcpt]:
                problems.append("%r (%s): envelope recipients %r, expected exactly [%r]"
                                % (m, key, m.rcpt_tos, rcpt))
            if m.mail_from != SENDER:
                problems.append("%r: MAIL FROM %r" % (m, m.mail_from))
            for name in ("Bcc", "Cc", "Resent-To", "Resent-Cc", "Resent-Bcc"):
                if m.message.get_all(name):
                    problems.append("%r: has a %s header %r" % (m, name, m.message.get_all(name)))
            tos, error = to_header(m)
            if error:
                problems.append("%r: %s" % (m, error))
            elif [a for _, a in tos] != [rcpt] or len(m.message.get_all("To")) != 1:
                problems.append("%r: To headers %r, expected one naming only %r"
                                % (m, raw_header(m, "To"), rcpt))
            if len(m.message.get_all("From") or []) != 1 or \
                    len(m.message.get_all("Subject") or []) != 1:
                problems.append("%r: From/Subject repeated" % m)
        self.assertEqual(problems, [], "\n".join(problems))

    # --- one message, looked at closely ------------------------------------------------

    def parts(self, m):
        """(text, html, [(content type, its parameters, decoded bytes, part)] of the
        attachments); checks the MIME structure on the way."""
        msg = m.message
        self.assertEqual(msg.get_content_type(), "multipart/mixed", m.raw[:2000])
        alt = [p for p in msg.iter_parts() if p.get_content_type() == "multipart/alternative"]
        self.assertEqual(len(alt), 1, "one multipart/alternative part")
        kinds = [p.get_content_type() for p in alt[0].iter_parts()]
        self.assertEqual(kinds, ["text/plain", "text/html"],
                         "multipart/alternative: plain text first, HTML last (RFC 2046)")
        text_part, html_part = list(alt[0].iter_parts())
        for p in (text_part, html_part):
            self.assertEqual((p.get_content_charset() or "").lower(), "utf-8")
        attachments = []
        for p in msg.iter_parts():
            if p is alt[0]:
                continue
            attachments.append((p.get_content_type(), dict(p.get_params() or []),
                                p.get_payload(decode=True), p))
        return text_part.get_content(), html_part.get_content(), attachments

    def calendar(self, m):
        """The one text/calendar attachment, decoded (strict UTF-8), and its part."""
        _, _, attachments = self.parts(m)
        cal = [a for a in attachments if a[0] == "text/calendar"]
        self.assertEqual(len(cal), 1, "one text/calendar attachment: %r" % [a[0] for a in
                                                                          attachments])
        ctype, params, data, part = cal[0]
        self.assertEqual(part.get_content_disposition(), "attachment")
        self.assertTrue((part.get_filename() or "").endswith(".ics"), part.get_filename())
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail("the .ics is not valid UTF-8 (%s) - a fold inside a multi-byte "
                      "character? %r" % (e, data[max(0, e.start - 40):e.end + 40]))
        return text, params

    def check_calendar(self, m, uid, sequence, start_iso, end_iso, method, time_zone):
        text, params = self.calendar(m)
        self.assertEqual(params.get("method", "").upper(), method,
                         "Content-Type method= must match the calendar's METHOD")
        cal = IcsLines(self, text)
        cal.check(uid=uid, sequence=sequence, start=local_ics_time(start_iso),
                  end=local_ics_time(end_iso), method=method, time_zone=time_zone)
        with self.subTest(parser="icalendar", sequence=sequence, method=method):
            check_with_icalendar(self, text, uid, sequence, start_iso, end_iso, method,
                                 time_zone)
        return cal

    def check_headers(self, m, to_name, to_address, subject_prefix):
        msg = m.message
        frm = msg["From"].addresses
        self.assertEqual(len(frm), 1)
        self.assertEqual(frm[0].display_name, ORG_NAME)
        self.assertEqual(frm[0].addr_spec, SENDER)
        to, error = to_header(m)
        self.assertIsNone(error, error)
        self.assertEqual(len(to), 1)
        self.assertEqual(to_names_rfc2047(m), [(to_name, to_address)])
        self.assertTrue(m.subject.startswith(subject_prefix + " – "), m.subject)
        self.assertNotIn("=?", m.subject, "the Subject decodes completely")
        self.assertEqual(msg["MIME-Version"], "1.0")
        self.assertEqual(msg["Auto-Submitted"], "auto-generated")
        self.assertIsNotNone(msg["Date"].datetime, "a parsable Date header")
        age = abs((datetime.datetime.now(datetime.timezone.utc) - msg["Date"].datetime)
                  .total_seconds())
        self.assertLess(age, 600, "Date %s is not now" % msg["Date"])
        # Header lines: ASCII only (no SMTPUTF8 was negotiated), at most 998 octets.
        head = m.raw.split(b"\r\n\r\n", 1)[0]
        self.assertTrue(all(b < 0x80 for b in head), "8-bit bytes in the header")
        for line in head.split(b"\r\n"):
            self.assertLessEqual(len(line), 998, line[:100])


def check_with_icalendar(case, text, uid, sequence, start_iso, end_iso, method, time_zone):
    cal = icalendar.Calendar.from_ical(text)
    case.assertEqual(cal.name, "VCALENDAR")
    case.assertEqual(str(cal["VERSION"]), "2.0")
    case.assertEqual(str(cal["METHOD"]).upper(), method)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    case.assertEqual(len(events), 1)
    ev = events[0]
    case.assertEqual(str(ev["UID"]), uid)
    case.assertEqual(int(ev["SEQUENCE"]), sequence)
    start = ev.decoded("DTSTART")
    end = ev.decoded("DTEND")
    case.assertIsInstance(start, datetime.datetime)
    case.assertIsNotNone(start.tzinfo, "DTSTART has a zone")
    case.assertEqual(ev["DTSTART"].params.get("TZID"), time_zone)
    case.assertEqual(start, datetime.datetime.fromisoformat(start_iso),
                     "icalendar: DTSTART is not the booked instant")
    case.assertEqual(end, datetime.datetime.fromisoformat(end_iso),
                     "icalendar: DTEND is not the booked end")
    # Wall-clock time in the site's zone too (not only the instant).
    case.assertEqual(start.strftime("%Y%m%dT%H%M%S"), local_ics_time(start_iso))
    tzs = [c for c in cal.walk() if c.name == "VTIMEZONE"]
    case.assertEqual([str(t["TZID"]) for t in tzs], [time_zone])
    stamp = ev.decoded("DTSTAMP")
    case.assertEqual(stamp.utcoffset(), datetime.timedelta(0), "DTSTAMP is UTC")
    if method == "CANCEL":
        case.assertEqual(str(ev["STATUS"]).upper(), "CANCELLED")
    else:
        case.assertEqual(str(ev["STATUS"]).upper(), "CONFIRMED")


class IcsLines:
    """A small RFC 5545 reader, independent of any library: unfolds, splits name;params:value,
    nests BEGIN/END."""

    PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)')

    def __init__(self, case, text):
        self.case = case
        self.text = text
        case.assertTrue(text.endswith("\r\n"), "content lines end with CRLF")
        physical = text[:-2].split("\r\n")
        case.assertNotIn("\n", "".join(physical), "a bare LF in the calendar")
        for line in physical:
            case.assertLessEqual(len(line.encode("utf-8")), 75,
                                 "RFC 5545 3.1: fold lines longer than 75 octets: %r" % line)
        self.lines = []
        for line in physical:
            if line[:1] in (" ", "\t"):
                case.assertTrue(self.lines, "a continuation line first")
                self.lines[-1] += line[1:]
            else:
                self.lines.append(line)
        self.root = self._tree()

    def _split(self, line):
        m = re.match(r"([A-Za-z0-9-]+)", line)
        self.case.assertIsNotNone(m, "no property name: %r" % line)
        name, rest = m.group(1).upper(), line[m.end():]
        params = {}
        while rest.startswith(";"):
            p = self.PARAM.match(rest)
            self.case.assertIsNotNone(p, "bad parameter in %r" % line)
            params[p.group(1).upper()] = p.group(2).strip('"')
            rest = rest[p.end():]
        self.case.assertTrue(rest.startswith(":"), "no ':' in %r" % line)
        return name, params, rest[1:]

    def _tree(self):
        stack = [{"name": None, "props": [], "children": []}]
        for line in self.lines:
            name, params, value = self._split(line)
            if name == "BEGIN":
                comp = {"name": value.upper(), "props": [], "children": []}
                stack[-1]["children"].append(comp)
                stack.append(comp)
            elif name == "END":
                self.case.assertEqual(stack[-1]["name"], value.upper(), "unbalanced END")
                stack.pop()
            else:
                self.case.assertGreater(len(stack), 1, "property outside any component")
                stack[-1]["props"].append((name, params, value))
        self.case.assertEqual(len(stack), 1, "unclosed BEGIN")
        return stack[0]

    @staticmethod
    def find(comp, name):
        return [c for c in comp["children"] if c["name"] == name]

    @staticmethod
    def props(comp, name):
        return [(p, v) for n, p, v in comp["props"] if n == name]

    def one(self, comp, name):
        found = self.props(comp, name)
        self.case.assertEqual(len(found), 1, "%s: exactly one %s, got %r" % (
            comp["name"], name, found))
        return found[0]

    @staticmethod
    def unescape(value):
        return re.sub(r"\\([\\;,nN])",
                      lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)

    def check(self, uid, sequence, start, end, method, time_zone):
        c = self.case
        c.assertTrue(self.lines[0] == "BEGIN:VCALENDAR" and self.lines[-1] == "END:VCALENDAR",
                     (self.lines[0], self.lines[-1]))
        cals = self.find(self.root, "VCALENDAR")
        c.assertEqual(len(cals), 1)
        cal = cals[0]
        c.assertEqual(self.one(cal, "VERSION")[1], "2.0")
        c.assertTrue(self.one(cal, "PRODID")[1])
        c.assertEqual(self.one(cal, "METHOD")[1], method)
        tzs = self.find(cal, "VTIMEZONE")
        c.assertEqual([self.one(t, "TZID")[1] for t in tzs], [time_zone],
                      "a VTIMEZONE for the TZID used (RFC 5545 3.2.19)")
        events = self.find(cal, "VEVENT")
        c.assertEqual(len(events), 1)
        ev = events[0]
        c.assertEqual(self.one(ev, "UID")[1], uid)
        c.assertEqual(self.one(ev, "SEQUENCE")[1], str(sequence))
        for prop, want in (("DTSTART", start), ("DTEND", end)):
            params, value = self.one(ev, prop)
            c.assertEqual(params, {"TZID": time_zone}, "%s parameters" % prop)
            c.assertRegex(value, r"^\d{8}T\d{6}$", "%s: local time, no trailing Z" % prop)
            c.assertEqual(value, want, "%s is not the booked local time" % prop)
        c.assertRegex(self.one(ev, "DTSTAMP")[1], r"^\d{8}T\d{6}Z$")
        c.assertEqual(self.one(ev, "STATUS")[1],
                      "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        c.assertTrue(self.one(ev, "SUMMARY")[1].startswith(ORG_NAME))
        return ev

    def event_value(self, name):
        ev = self.find(self.find(self.root, "VCALENDAR")[0], "VEVENT")[0]
        found = self.props(ev, name)
        return self.unescape(found[0][1]) if found else None


# --- bookings ----------------------------------------------------------------------------------


def short_video_motifs(demo):
    """Public video motifs of at most 30 minutes: no buffer between appointments."""
    return [m for m in demo.motifs() if "video" in m["channels"] and m["duration_minutes"] <= 30]


def choose_slots(demo, count, motifs, first_day=None, seed=7):
    """count (motif, slot) pairs over several motifs and days such that no two overlap at one
    site: each stays bookable whatever the others took (every agent works at one site at a
    time, and motifs of 30 minutes or less have no buffer)."""
    lists = {}
    rng = random.Random(seed)
    for m in motifs:
        slots = demo.slots(m["id"], days=27, first_day=first_day)
        rng.shuffle(slots)  # spread over the days
        lists[m["id"]] = slots
    busy, chosen = {}, []
    while len(chosen) < count:
        progressed = False
        for m in motifs:
            slots = lists[m["id"]]
            while slots:
                s = slots.pop()
                start = datetime.datetime.fromisoformat(s["start"])
                end = datetime.datetime.fromisoformat(s["end"])
                taken = busy.setdefault(s["site"]["id"], [])
                if any(start < e and b < end for b, e in taken):
                    continue
                taken.append((start, end))
                chosen.append((m["id"], s))
                progressed = True
                break
            if len(chosen) == count:
                break
        if not progressed:
            raise AssertionError("only %d non-overlapping slots found" % len(chosen))
    return chosen


def book_many(case, demo, count, email_pattern, first_day=None):
    """Books count appointments; returns (bookings, POST latencies in seconds)."""
    picks = choose_slots(demo, count, short_video_motifs(demo), first_day)
    case.assertGreaterEqual(len({mid for mid, _ in picks}), 3, "several motifs")
    case.assertGreaterEqual(len({s["start"][:10] for _, s in picks}), 5, "several days")
    bodies = [demo.booking(mid, slot, email=email_pattern % i, first_name="Client%d" % i)
              for i, (mid, slot) in enumerate(picks)]
    bookings, latencies = [], []
    for body in bodies:
        t = time.monotonic()
        r = demo.s.post(demo.path("appointments"), body)
        latencies.append(time.monotonic() - t)
        case.assertEqual(r.status, 201, "booking %s: %r" % (body["start"], r))
        bookings.append(r.json)
    case.assertEqual(len({b["id"] for b in bookings}), count)
    return bookings, latencies


def p99(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


# --- one server and one sink for the message-by-message tests ----------------------------------

# --outbox-poll 1: a message replayed by the CLI (another process) is seen within 1 s.
setUpModule, tearDownModule = module_server(
    globals(), smtp_sink=True, extra_args=["--outbox-first-retry", "1", "--outbox-poll", "1"])


def slot_after(demo, motif_id, days_ahead, exclude=()):
    """A video slot at least days_ahead days from now (so that both reminders are planned)."""
    first = datetime.date.today() + datetime.timedelta(days=days_ahead)
    for s in demo.slots(motif_id, first_day=first, days=20):
        if (s["start"], s["site"]["id"]) not in exclude:
            return s
    raise AssertionError("no video slot for motif %s after %s" % (motif_id, first))


class Confirmation(MessagesCase):
    """a. The confirmation of a video appointment, as the citizen's mail program sees it."""

    def test_confirmation_email(self):
        demo = Demo(server)
        motif = demo.video_motif()
        slot = slot_after(demo, motif["id"], 3)
        address = "zoe.menard-lefevre@example.org"
        r = demo.book(motif["id"], slot, first_name="Zoé", last_name="Ménard-Lefèvre",
                      email=address)
        self.assertEqual(r.status, 201, r)
        booking = r.json
        m = sink.wait_for(1, timeout=20, predicate=lambda m: address in m.rcpt_tos)[0]

        self.assertEqual(m.rcpt_tos, [address])
        self.assertEqual(m.message_id,
                         message_id_for(server, "confirmation:%d:0:email" % booking["id"]),
                         "Message-ID derived from the idempotency key and the installation")
        self.check_headers(m, "Zoé Ménard-Lefèvre", address, CONFIRMATION)
        self.assertEqual(m.message["Reply-To"].addresses[0].addr_spec,
                         "contact@demo.visioguichet.test")

        text, body_html, _ = self.parts(m)
        body_html = html.unescape(body_html)  # attributes may hold &#x2F; etc.
        self.assertIn("Zoé Ménard-Lefèvre", text)
        self.assertIn("Zoé Ménard-Lefèvre", body_html)
        self.assertIn(motif["name"], text)
        title = re.search(r"<title>(.*?)</title>", body_html, re.S).group(1)
        self.assertEqual(m.subject, title, "the decoded Subject is the whole subject")

        # The management link: this server, this appointment's token, and it works.
        base = "http://127.0.0.1:%d" % server.port
        links = re.findall(r"(http://127\.0\.0\.1:\d+/manage/([A-Za-z0-9_-]{43}))(\?[^\s\"<]*)?",
                           text)
        self.assertTrue(links, "no management link in the text part:\n" + text)
        for url, token, query in links:
            self.assertEqual(url, base + "/manage/" + booking["token"], "link of another token")
        link = links[0][0] + html.unescape(links[0][2])
        self.assertIn(links[0][0], body_html)
        page = server.get(link[len(base):], headers={"Accept": "text/html"})
        self.assertEqual(page.status, 200, "GET %s: %r" % (link, page))
        self.assertIn("text/html", page.header("Content-Type") or "")

        # Video: the device-test link is there (both parts) and answers.
        # The organisation's own device-test page (its branding).
        dt = re.search(r"http://127\.0\.0\.1:\d+/demo/device-test[^\s\"<]*", text)
        self.assertIsNotNone(dt, "no device-test link for a video appointment:\n" + text)
        self.assertTrue(dt.group(0).startswith(base + "/demo/device-test"), dt.group(0))
        self.assertIn("/demo/device-test", body_html)
        page = server.get(html.unescape(dt.group(0))[len(base):])
        self.assertEqual(page.status, 200, "GET %s: %r" % (dt.group(0), page))

        # The calendar attachment, read by two parsers.
        uid = calendar_uid(server, booking["id"])
        cal = self.check_calendar(m, uid, 0, booking["start"], booking["end"], "PUBLISH",
                                  booking["site"]["time_zone"])
        self.assertEqual(cal.event_value("URL"), base + "/manage/" + booking["token"])
        # The .ics download names the same event (the same UID, unique to this installation).
        ics = server.get("/manage/%s/ics" % booking["token"])
        self.assertEqual(ics.status, 200, ics)
        self.assertIn("UID:" + uid, ics.body.decode("utf-8").replace("\r\n ", ""))
        self.assertEqual(cal.event_value("ORGANIZER").lower(), "mailto:" + SENDER)
        self.assertEqual(cal.event_value("DESCRIPTION").replace("\r\n", "\n").strip(),
                         text.replace("\r\n", "\n").strip(),
                         "DESCRIPTION (unescaped) is the text part")
        self.assertEnvelopesSane(sink, server)


class RescheduleCancel(MessagesCase):
    """b. Reschedule: same UID, SEQUENCE:1. Cancel: METHOD:CANCEL, reminders cancelled."""

    def test_reschedule_then_cancel(self):
        demo = Demo(server)
        motif = demo.video_motif()
        first = slot_after(demo, motif["id"], 4)
        second = slot_after(demo, motif["id"], 6, exclude={(first["start"], first["site"]["id"])})
        self.assertNotEqual(first["start"], second["start"])
        address = "bastien.reschedule@example.org"
        r = demo.book(motif["id"], first, first_name="Bastien", last_name="Moulin",
                      email=address)
        self.assertEqual(r.status, 201, r)
        booking = r.json
        aid, token = booking["id"], booking["token"]
        uid = calendar_uid(server, aid)
        tz = booking["site"]["time_zone"]
        to_citizen = lambda m: m.rcpt_tos == [address]  # noqa: E731
        conf = sink.wait_for(1, timeout=20, predicate=to_citizen)[0]
        self.check_calendar(conf, uid, 0, booking["start"], booking["end"], "PUBLISH", tz)

        reminders = outbox_rows(server, "appointment_id=? AND kind='reminder'", (aid,))
        self.assertEqual(len(reminders), 2, "two reminders (2 days and 2 hours before): %r"
                         % reminders)
        self.assertEqual({x["status"] for x in reminders}, {"pending"})

        # Reschedule: the same event, one sequence later, at the new time.
        r = server.post("/api/v1/appointments/%s/reschedule" % token,
                        {"start": second["start"], "site": second["site"]["id"]})
        self.assertEqual(r.status, 200, r)
        moved = r.json
        self.assertEqual(moved["start"], second["start"])
        mails = sink.wait_for(2, timeout=20, predicate=to_citizen)
        resched = mails[1]
        self.check_headers(resched, "Bastien Moulin", address, RESCHEDULE)
        self.assertEqual(resched.message_id, message_id_for(server, "reschedule:%d:1:email" % aid))
        self.assertNotEqual(resched.message_id, conf.message_id)
        self.check_calendar(resched, uid, 1, second["start"], second["end"], "PUBLISH", tz)
        text, _, _ = self.parts(resched)
        self.assertIn("Ancien horaire", text, "the previous time is recalled")

        rows = outbox_rows(server, "appointment_id=? AND kind IN ('reminder','thank_you')",
                           (aid,))
        old = [x for x in rows if x["key"].split(":")[2] == "0"]  # kind:id:sequence:...
        new = [x for x in rows if x["key"].split(":")[2] == "1"]
        self.assertEqual({x["status"] for x in old}, {"cancelled"},
                         "reminders of the old time: %r" % old)
        self.assertEqual(len([x for x in new if x["kind"] == "reminder"]), 2)
        self.assertEqual({x["status"] for x in new}, {"pending"})
        for x in old:
            self.assertNotIn('"token"', x["payload"], "a cancelled row keeps no sealed token")

        # Cancel: METHOD:CANCEL for the same UID, later sequence.
        r = server.post("/api/v1/appointments/%s/cancel" % token,
                        {"reason": "Empêchement\r\nBcc: evil@attacker.test"})
        self.assertEqual(r.status, 200, r)
        mails = sink.wait_for(3, timeout=20, predicate=to_citizen)
        cancel = mails[2]
        self.check_headers(cancel, "Bastien Moulin", address, CANCELLATION)
        self.assertEqual(cancel.message_id, message_id_for(server, "cancellation:%d:2:email" % aid))
        self.check_calendar(cancel, uid, 2, second["start"], second["end"], "CANCEL", tz)
        text, _, _ = self.parts(cancel)
        self.assertNotIn("/manage/", text, "no management link once cancelled")

        rows = outbox_rows(server, "appointment_id=? AND kind IN ('reminder','thank_you')",
                           (aid,))
        self.assertTrue(rows)
        self.assertEqual({x["status"] for x in rows}, {"cancelled"},
                         "nothing left to remind of a cancelled appointment: %r"
                         % [(x["key"], x["status"]) for x in rows])
        wait_until(lambda: outbox_quiet(server), 20, "the outbox to settle")
        self.assertEqual(len(sink.wait_for(3, timeout=1, predicate=to_citizen)), 3,
                         "confirmation, reschedule, cancellation: nothing else")
        self.assertEnvelopesSane(sink, server)


class OwnServerCase(MessagesCase):
    """A server and a sink for this class alone: a problem found here does not spill over
    the other tests' checks (they look at every message their sink received)."""

    @classmethod
    def setUpClass(cls):
        cls.sink = SmtpSink().start()
        try:
            cls.server = Server(extra_args=["--smtp-url", cls.sink.url]).prepare().start()
        except BaseException:
            cls.sink.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.sink.stop()
        if code != 0:
            raise AssertionError("server exit status %r\n%s" % (code, cls.server.log_text()))


class HeaderInjection(OwnServerCase):
    """e. User input never adds a header or a recipient."""

    REFUSED = [
        ("first_name", "Zoé\r\nBcc: evil@attacker.test"),
        ("first_name", "Zoé\nBcc: evil@attacker.test"),
        ("last_name", "Martin\rBcc: evil@attacker.test"),
        ("last_name", "Martin\r\n\r\nSpoofed body"),
        ("first_name", "Zoé\x00Bcc"),
        ("first_name", "Zoé\tBcc"),
        ("first_name", "\"Evil\" <evil@attacker.test>"),
        ("last_name", "Martin <evil@attacker.test>"),
        ("first_name", "A" * 101),
        ("last_name", "é" * 101),
        ("first_name", "x" * 5000),
        ("email", "victim@example.org\r\nBcc: evil@attacker.test"),
        ("email", "victim@example.org\nBcc:evil@attacker.test"),
        ("email", "victim@example.org>\r\nRCPT TO:<evil@attacker.test"),
        ("email", "victim@example.org, evil@attacker.test"),
        ("email", "victim@example.org,evil@attacker.test"),
        ("email", "victim@example.org;evil@attacker.test"),
        ("email", "Victim <victim@example.org>"),
        ("email", "victim@example.org\x00evil@attacker.test"),
        ("email", "v" * 250 + "@example.org"),
    ]
    # Odd but harmless: accepted or refused, either is fine; when accepted, the mail must go to
    # the given address only, with the name intact in a single To header.
    TOLERATED = [
        {"first_name": "Bcc: evil@attacker.test", "email": "tolerated1@example.org"},
        {"first_name": "Zoé\u2028Bcc: evil@attacker.test", "email": "tolerated3@example.org"},
        {"first_name": "Zoé\u0085Bcc", "email": "tolerated4@example.org"},
        {"first_name": "é" * 100, "last_name": "ü" * 100, "email": "tolerated5@example.org"},
        {"first_name": "Zoé", "email": "bcc=evil%attacker.test@example.org"},
        {"first_name": "Zoé\r\n", "email": " tolerated6@example.org\r\n"},  # trimmed
    ]

    def book_tolerated(self, people, seed):
        demo = Demo(self.server)
        picks = choose_slots(demo, len(people), short_video_motifs(demo),
                             datetime.date.today() + datetime.timedelta(days=2), seed=seed)
        accepted = []
        for (mid, s), citizen in zip(picks, people):
            person = {"last_name": "Test"}
            person.update(citizen)
            r = demo.book(mid, s, **person)
            self.assertIn(r.status, (201, 422), "%r: %r" % (citizen, r))
            if r.status == 201:
                accepted.append((person, r.json))
        out = []
        for person, booking in accepted:
            key = "confirmation:%d:0:email" % booking["id"]
            wanted = message_id_for(self.server, key)
            m = self.sink.wait_for(1, timeout=20,
                                   predicate=lambda m: m.message_id == wanted)[0]
            out.append((person, booking, m))
        return out

    def test_refused_input(self):
        demo = Demo(self.server)
        motif = demo.video_motif()
        slot = slot_after(demo, motif["id"], 2)
        before = self.server.appointment_count()
        for field, value in self.REFUSED:
            citizen = {field: value}
            if field != "email":
                citizen["email"] = "victim@example.org"
            r = demo.book(motif["id"], slot, **citizen)
            self.assertEqual(r.status, 422, "%s=%r: %r" % (field, value, r))
            self.assertIn("citizen." + field, r.json["error"]["fields"], r)
        self.assertEqual(self.server.appointment_count(), before,
                         "a refused booking wrote something")

    def test_tolerated_input_reaches_only_its_address(self):
        for person, booking, m in self.book_tolerated(self.TOLERATED, seed=11):
            address = person["email"].strip()
            self.assertEqual(m.rcpt_tos, [address])
            tos, error = to_header(m)
            self.assertIsNone(error, error)
            self.assertEqual(len(tos), 1, tos)
            self.assertEqual(tos[0][1], address)
            name = person["first_name"].strip() + " " + person["last_name"].strip()
            self.assertEqual(to_names_rfc2047(m), [(name, address)], "the name arrives intact")
        wait_until(lambda: outbox_quiet(self.server), 30, "the outbox to settle")
        for m in self.sink.messages:
            self.assertFalse([r for r in m.rcpt_tos if r.lower().endswith("@attacker.test")], m)
        self.assertEnvelopesSane(self.sink, self.server)



class EncodedWordName(OwnServerCase):
    """e. (continued) A name typed by the citizen must never be decoded into something else."""

    book_tolerated = HeaderInjection.book_tolerated

    def test_encoded_word_typed_as_a_name(self):
        """A name that looks like an RFC 2047 encoded word must arrive as typed. Sent as a
        plain quoted string, it is decoded by lenient readers (Python's email package, many
        mail programs decode encoded words inside quotes) into whatever it encodes: here a
        line break and a Bcc line inside the display name."""
        people = [{"first_name": "=?UTF-8?Q?x=0D=0ABcc:_evil@attacker.test?=",
                   "email": "encoded-word@example.org"},
                  {"first_name": "=?UTF-8?B?QWRtaW5pc3RyYXRldXI=?=",  # "Administrateur"
                   "email": "encoded-word2@example.org"}]
        for person, booking, m in self.book_tolerated(people, seed=13):
            with self.subTest(first_name=person["first_name"]):
                self.assertEqual(m.rcpt_tos, [person["email"]], "the envelope is safe anyway")
                tos, error = to_header(m)
                name = person["first_name"] + " " + person["last_name"]
                self.assertIsNone(error, error)
                self.assertEqual(len(tos), 1, tos)
                self.assertEqual(to_names_rfc2047(m), [(name, person["email"])],
                                 "the name typed must be what the reader sees (raw To: %r)"
                                 % raw_header(m, "To"))


class DeadMessage(MessagesCase):
    """f. A permanent refusal: dead at once; `outbox` lists it; `outbox-replay` resends it."""

    def test_550_then_replay(self):
        demo = Demo(server)
        motif = demo.video_motif()
        slot = slot_after(demo, motif["id"], 2)
        address = "no-such-user@example.org"
        sink.reject(address, "550 5.1.1 no such user")
        try:
            r = demo.book(motif["id"], slot, first_name="Dédé", last_name="Inconnu",
                          email=address)
            self.assertEqual(r.status, 201, r)
            aid = r.json["id"]
            key = "confirmation:%d:0:email" % aid
            row = wait_until(
                lambda: [x for x in outbox_rows(server, "idempotency_key=?", (key,))
                         if x["status"] not in ("pending", "sending")], 20,
                "the refused confirmation to be given up")[0]
            self.assertEqual(row["status"], "dead", "a 550 is permanent: %r" % row)
            self.assertEqual(row["attempts"], 1, "no retry after a permanent refusal: %r" % row)
            self.assertIn("550", row["last_error"])
            self.assertTrue([x for x in sink.refused if x[1] == address])
            self.assertEqual(sink.to(address), [])
        finally:
            sink.accept(address)

        code, out, err = run_cli(server, "outbox", "--org", "demo", "--status", "dead")
        self.assertEqual(code, 0, out + err)
        listed = [line.split("\t") for line in out.splitlines()]
        mine = [f for f in listed if f[0] == str(row["id"])]
        self.assertEqual(len(mine), 1, "`outbox --status dead` does not list %d:\n%s"
                         % (row["id"], out))
        self.assertEqual(mine[0][1:4], ["confirmation", "email", "attempts 1"], mine)
        self.assertIn("550", mine[0][4])
        self.assertNotIn(address, out + err, "no personal data on the console")
        self.assertNotIn("Dédé", out + err, "no personal data on the console")

        code, out, err = run_cli(server, "outbox-replay", "--org", "nope", str(row["id"]))
        self.assertNotEqual(code, 0, "replay through another organisation: " + out + err)
        self.assertEqual(outbox_rows(server, "id=?", (row["id"],))[0]["status"], "dead")

        code, out, err = run_cli(server, "outbox-replay", "--org", "demo", str(row["id"]))
        self.assertEqual(code, 0, out + err)
        self.assertIn("queued again", out)
        after = outbox_rows(server, "id=?", (row["id"],))[0]
        # The running server may already have taken it: pending, or beyond.
        self.assertIn(after["status"], ("pending", "sending", "sent"), after)
        self.assertEqual(after["attempts"], 0 if after["status"] != "sent" else 1, after)

        m = sink.wait_for(1, timeout=20, predicate=lambda m: m.rcpt_tos == [address])[0]
        self.assertEqual(m.message_id, message_id_for(server, key))
        self.assertTrue(m.subject.startswith(CONFIRMATION), m.subject)
        wait_until(lambda: outbox_rows(server, "id=?", (row["id"],))[0]["status"] == "sent",
                   10, "the replayed message to be recorded as sent")
        code, out, err = run_cli(server, "outbox-replay", "--org", "demo", str(row["id"]))
        self.assertEqual(code, 1, "replaying a message that is not dead: " + out + err)
        code, out, err = run_cli(server, "outbox", "--org", "demo", "--status", "dead")
        self.assertNotIn(str(row["id"]) + "\t", out)
        self.assertEnvelopesSane(sink, server)


class SmtpDown(MessagesCase):
    """c. The mail server is down: bookings do not wait for it; mails follow when it is back."""

    def test_bookings_fast_then_all_confirmations_once(self):
        down = SmtpSink()  # picks a free port, not listening yet
        srv = Server(extra_args=["--smtp-url", down.url, "--outbox-first-retry", "1"])
        srv.prepare().start()
        try:
            bookings, latencies = book_many(self, Demo(srv), 100, "down%03d@example.org",
                                            datetime.date.today() + datetime.timedelta(days=1))
            self.assertLess(p99(latencies), 1.0, "booking p99 with the mail server down: "
                            "%.3fs (max %.3fs)" % (p99(latencies), max(latencies)))
            keys = {"confirmation:%d:0:email" % b["id"] for b in bookings}

            # Every confirmation was tried, failed for now, and waits for a retry.
            def all_retried():
                rows = outbox_rows(srv, "kind='confirmation'")
                return len(rows) == 100 and all(x["attempts"] >= 2 for x in rows) and rows
            rows = wait_until(all_retried, 30, "each confirmation to be tried twice")
            self.assertEqual({x["key"] for x in rows}, keys)
            self.assertTrue({x["status"] for x in rows} <= {"pending", "sending"}, rows[:3])
            self.assertFalse(outbox_rows(srv, "status='dead'"),
                             "a refused connection is temporary")

            down.start()  # the mail server is back, same port
            try:
                down.wait_for(100, timeout=90, predicate=is_confirmation)
                wait_until(lambda: outbox_quiet(srv), 60, "the outbox to settle")
                got = down.by_message_id(is_confirmation)
                self.assertEqual(set(got), {message_id_for(srv, k) for k in keys},
                                 "one confirmation per booking")
                dups = {k: len(v) for k, v in down.duplicates().items()}
                self.assertEqual(dups, {}, "no crash here: no message may arrive twice")
                self.assertEqual(down.count(is_confirmation), 100)
                self.assertEqual(outbox_rows(srv, "status='dead'"), [])
                self.assertEqual({x["status"] for x in outbox_rows(srv, "kind='confirmation'")},
                                 {"sent"})
                self.assertEnvelopesSane(down, srv)
            finally:
                down.stop()
        finally:
            code = srv.stop()
        self.assertEqual(code, 0, srv.log_text()[-3000:])


class CrashWhileSending(MessagesCase):
    """d. SIGKILL while the outbox is being sent, then restarts."""

    def test_kill_during_sending(self):
        box = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", box.url, "--outbox-threads", "0"])
        srv.prepare().start()
        try:
            bookings, _ = book_many(self, Demo(srv), 100, "crash%03d@example.org",
                                    datetime.date.today() + datetime.timedelta(days=1))
            expected = {message_id_for(srv, "confirmation:%d:0:email" % b["id"]) for b in bookings}
            self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])
            # No sending thread ran: nothing arrived, nothing was even tried.
            self.assertEqual(box.count(), 0, "--outbox-threads 0 sends nothing")
            self.assertEqual({(x["status"], x["attempts"]) for x in outbox_rows(srv)},
                             {("pending", 0)})

            srv.extra_args = ["--smtp-url", box.url, "--outbox-threads", "2",
                              "--outbox-lease", "3"]
            srv.start()
            box.wait_for(34, timeout=60, predicate=is_confirmation)
            kill_hard(srv)
            # The kernel closed the killed server's connections: once the sink has seen every
            # session end, it has recorded whatever was completely on the wire.
            box.wait_idle(timeout=20)
            at_kill = box.by_message_id()
            seen = len(box.by_message_id(is_confirmation))
            sent = {message_id_for(srv, x["key"] + (":group" if x["kind"].startswith("agent_")
                                               else ""))
                    for x in outbox_rows(srv, "status='sent'")}
            # Delivered to the mail server, but the process died before recording it: these,
            # and only these, will be sent again.
            unrecorded = set(at_kill) - sent
            self.assertLess(seen, 100, "the kill came too late to test anything")
            self.assertLessEqual(len(unrecorded), 2,
                                 "at most one message in flight per sending thread: %r"
                                 % unrecorded)
            self.assertTrue(outbox_rows(srv, "kind='confirmation' AND status<>'sent'"))

            srv.start()  # same lease: messages left 'sending' are taken again after 3 s
            box.wait_for(100 + len(unrecorded & expected), timeout=60,
                         predicate=is_confirmation)
            wait_until(lambda: outbox_quiet(srv), 60, "the outbox to settle")

            got = box.by_message_id(is_confirmation)
            self.assertEqual(set(got), expected, "every confirmation arrives")
            self.assertEqual(outbox_rows(srv, "status='dead'"), [])
            self.assertEqual({x["status"] for x in outbox_rows(srv, "kind='confirmation'")},
                             {"sent"})

            # Duplicates. Sending is "SMTP says 250, then record 'sent' in SQLite": two
            # systems, no shared transaction. A SIGKILL between the two leaves a message
            # that the mail server has but the outbox does not know was sent; after the lease
            # it is sent again, with the same Message-ID (stable per message, so receivers
            # can de-duplicate). So "no Message-ID ever arrives twice" cannot be promised
            # after a crash: asserting it would be unsound (flaky, depending on where the
            # kill lands). What is promised, and asserted here:
            #   - a Message-ID arrives twice only if it was accepted before the kill and not
            #     yet recorded as sent (`unrecorded`, at most one per sending thread);
            #   - never a third time, and nothing recorded as sent is sent again;
            #   - every copy carries the same Message-ID (that is how dups are counted).
            # Any duplicate is reported below, on stderr, with its cause.
            dups = box.duplicates()
            unexplained = {k: [m.seq for m in v] for k, v in dups.items()
                           if k not in unrecorded or len(v) != 2}
            self.assertEqual(unexplained, {},
                             "Message-IDs received twice without the crash to explain it "
                             "(recorded as sent before the kill, or 3+ copies): a lease that "
                             "expired while its batch was still being sent? See SlowMailServer")
            for k in unrecorded:
                self.assertEqual(len(box.by_message_id().get(k, [])), 2,
                                 "%s was unrecorded at the kill: it must be sent again once"
                                 % k)
            if dups:
                sys.stderr.write(
                    "\n  NOTE: %d message(s) arrived twice (Message-IDs %s): accepted by the "
                    "mail server just before SIGKILL, not yet recorded as sent, resent after "
                    "the lease with the same Message-ID (at-least-once delivery).\n"
                    % (len(dups), ", ".join(sorted(dups))))
            self.assertEnvelopesSane(box, srv)
        finally:
            if srv.proc is not None:
                code = srv.stop()
                self.assertEqual(code, 0, srv.log_text()[-3000:])
            box.stop()


class SlowMailServer(MessagesCase):
    """d. (continued) No crash at all, but a mail server slow to answer (0.3 s per message, as
    a loaded or tarpitting server can be): every message must still be sent once. The worker
    leases up to 20 due rows at once for --outbox-lease seconds and sends them one after the
    other; when the batch takes longer than the lease, the rows not yet sent look abandoned
    and another sending thread takes them too."""

    def test_slow_mail_server_sends_each_message_once(self):
        box = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", box.url, "--outbox-threads", "0"])
        srv.prepare().start()
        try:
            bookings, _ = book_many(self, Demo(srv), 16, "slow%03d@example.org",
                                    datetime.date.today() + datetime.timedelta(days=1))
            expected = {message_id_for(srv, "confirmation:%d:0:email" % b["id"]) for b in bookings}
            self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])
            box.data_delay = 0.3
            srv.extra_args = ["--smtp-url", box.url, "--outbox-threads", "2",
                              "--outbox-lease", "3"]
            srv.start()
            box.wait_for(16, timeout=60, predicate=is_confirmation)
            wait_until(lambda: outbox_quiet(srv), 60, "the outbox to settle")
            self.assertEqual(set(box.by_message_id(is_confirmation)), expected)
            dups = {k: [(m.seq, m.subject[:30]) for m in v]
                    for k, v in box.duplicates().items()}
            self.assertEqual(dups, {},
                             "%d of %d messages sent twice without any crash: the 3 s lease "
                             "ran out while the batch holding them was still being sent "
                             "(claim_due leases a whole batch; nothing renews the lease "
                             "before each send)" % (len(dups), len(box.by_message_id())))
            self.assertEnvelopesSane(box, srv)
        finally:
            box.data_delay = 0
            if srv.proc is not None:
                code = srv.stop()
                self.assertEqual(code, 0, srv.log_text()[-3000:])
            box.stop()


class InvalidPayload(MessagesCase):
    """Issue 11.1: a message whose payload is not JSON was sent without its link, then failed
    to be marked sent and went again at every lease (14 times in 30 s). It is never sent:
    dead at once, with the reason, and the mail server receives nothing."""

    def test_invalid_payload_is_dead_not_sent(self):
        box = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", box.url, "--outbox-threads", "0"])
        srv.prepare().start()
        try:
            demo = Demo(srv)
            motif = demo.video_motif()
            address = "payload.broken@example.org"
            r = demo.book(motif["id"], slot_after(demo, motif["id"], 2), email=address)
            self.assertEqual(r.status, 201, r)
            key = "confirmation:%d:0:email" % r.json["id"]
            self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])
            conn = sqlite3.connect(srv.db)
            with conn:
                conn.execute("UPDATE outbox SET payload = '{\"appointment_id\": ' "
                             "WHERE idempotency_key = ?", (key,))
            conn.close()
            srv.extra_args = ["--smtp-url", box.url, "--outbox-lease", "2"]
            srv.start()
            row = wait_until(
                lambda: [x for x in outbox_rows(srv, "idempotency_key=?", (key,))
                         if x["status"] == "dead"], 20, "the broken message to be dead")[0]
            self.assertEqual(row["attempts"], 1, row)
            self.assertIn("invalid payload", row["last_error"])
            # Other messages of the same server went out; this one never.
            wait_until(lambda: outbox_quiet(srv), 20, "the outbox to settle")
            self.assertEqual(box.to(address), [])
        finally:
            srv.stop()
            box.stop()


class PromptSending(MessagesCase):
    """Issue 11.6: the sender sleeps when idle (no poll every second) and a booking wakes it:
    with an hour between polls, the confirmation still arrives at once."""

    def test_booking_wakes_the_sleeping_sender(self):
        box = SmtpSink().start()
        srv = Server(extra_args=["--smtp-url", box.url, "--outbox-poll", "3600"])
        srv.prepare().start()
        try:
            demo = Demo(srv)
            motif = demo.video_motif()
            address = "prompt@example.org"
            r = demo.book(motif["id"], slot_after(demo, motif["id"], 2), email=address)
            self.assertEqual(r.status, 201, r)
            box.wait_for(1, timeout=15, predicate=lambda m: m.rcpt_tos == [address])
        finally:
            self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])
            box.stop()


class SurveyBeforeOutcome(MessagesCase):
    """Issue 11.4: the survey is offered after a held appointment only, not before."""

    def test_survey_page_is_closed_before_the_outcome(self):
        demo = Demo(server)
        motif = demo.video_motif()
        r = demo.book(motif["id"], slot_after(demo, motif["id"], 2), email="survey@example.org")
        self.assertEqual(r.status, 201, r)
        page = server.get("/manage/%s/survey" % r.json["token"],
                          headers={"Accept": "text/html"})
        self.assertEqual(page.status, 410, page)


class SecretKey(unittest.TestCase):
    """Issue 11.5: a missing or replaced secret-key file would send every queued reminder
    without its link: `serve` refuses to start (exit 2, one clear line) instead."""

    def serve_once(self, srv):
        """Runs `serve` and returns (exit code, output) when it refuses to start."""
        r = subprocess.run(
            [srv.binary, "serve", "--db", srv.db, "--listen", "127.0.0.1:0",
             "--assets", srv.source], env=clean_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=60)
        return r.returncode, r.stdout.decode("utf-8", "replace")

    def test_missing_or_replaced_key_refuses_to_start(self):
        srv = Server().prepare()
        key_path = os.path.join(srv.dir, "secret.key")
        srv.start()
        self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])
        self.assertEqual(stat.S_IMODE(os.stat(key_path).st_mode), 0o600)
        with open(key_path, "rb") as f:
            original = f.read()
        self.assertEqual(len(original), 32)

        os.rename(key_path, key_path + ".away")
        code, out = self.serve_once(srv)
        self.assertEqual(code, 2, out)
        errors = [line for line in out.splitlines() if line.startswith("visioguichet:")]
        self.assertEqual(len(errors), 1, out)
        self.assertIn("secret key file", errors[0])
        self.assertIn("missing", errors[0])
        self.assertFalse(os.path.exists(key_path), "a new key was created in its place")

        with open(key_path, "wb") as f:
            f.write(bytes(range(32)))
        code, out = self.serve_once(srv)
        self.assertEqual(code, 2, out)
        errors = [line for line in out.splitlines() if line.startswith("visioguichet:")]
        self.assertEqual(len(errors), 1, out)
        self.assertIn("is not the one", errors[0])

        os.replace(key_path + ".away", key_path)
        srv.start()
        self.assertEqual(srv.stop(), 0, srv.log_text()[-3000:])


if __name__ == "__main__":
    unittest.main()
