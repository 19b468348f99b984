"""Issue 11, point 21: "send me my link again". A citizen who lost the management link types
the e-mail address or phone number given at booking and receives, in one message, a new link
to each upcoming appointment; the answer is the same whether or not anything exists, and the
form is rate-limited per client address and per contact."""

import html
import itertools
import re
import unittest
import urllib.parse

from harness import Demo, module_server, wait_until

# One server and one SMTP sink for the module (globals `server`, `sink`). Requests name their
# client in X-Forwarded-For (the test is the trusted proxy), so that each test counts against
# the per-client limit on its own.
setUpModule, tearDownModule = module_server(
    globals(), smtp_sink=True,
    extra_args=["--outbox-first-retry", "1", "--trusted-proxies", "127.0.0.1/32"])

FORM = "application/x-www-form-urlencoded"
SUBJECT = "Vos liens de rendez-vous"
LINK = re.compile(r"https?://[^\s\"<>]+/manage/([A-Za-z0-9_-]{43})")
clients = ("192.0.2.%d" % i for i in itertools.count(1))


def csrf_cookie(path="/demo/resend"):
    r = server.get(path)
    for k, v in r.headers:
        if k.lower() == "set-cookie" and v.startswith("vg_csrf="):
            pair = v.split(";")[0]
            return pair, pair.split("=", 1)[1]
    raise AssertionError("no CSRF cookie in %r" % (r.headers,))


def ask(contact, client, lang="fr", raw_body=None):
    """POSTs the form as a browser would (cookie, hidden token) from the client address."""
    cookie, token = csrf_cookie()
    body = raw_body if raw_body is not None else urllib.parse.urlencode(
        {"csrf": token, "lang": lang, "contact": contact})
    if raw_body is not None:
        body = "csrf=%s&lang=%s&%s" % (token, lang, raw_body)
    return server.request("POST", "/demo/resend?lang=" + lang, body=body, content_type=FORM,
                          headers={"Cookie": cookie, "X-Forwarded-For": client,
                                   "Accept-Language": lang})


def page_text(r):
    """The page as text, entities decoded (the templates escape "/" as &#x2F;)."""
    return html.unescape(r.body.decode("utf-8"))


def to(address):
    return lambda m: address.lower() in (a.lower() for a in m.rcpt_tos)


def links_rows():
    return server.sql("SELECT COUNT(*) FROM outbox WHERE kind='links'")[0][0]


def text_of(message):
    for part in message.message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_content()
    raise AssertionError("no text part in %r" % message)


class Resend(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.motif = cls.demo.video_motif()
        cls.slots = cls.demo.slots(cls.motif["id"], days=20)

    def book(self, index, **citizen):
        r = self.demo.book(self.motif["id"], self.slots[index], **citizen)
        self.assertEqual(r.status, 201, r)
        return r.json

    def test_the_message_arrives_with_working_links_and_the_old_ones_still_work(self):
        address = "lea.resend@example.org"
        first = self.book(2, email=address, first_name="Léa")
        second = self.book(9, email=address.upper(), first_name="Léa")
        sink.wait_for(2, timeout=30, predicate=lambda m: to(address)(m)
                      and m.subject.startswith("Votre rendez-vous est confirmé"))
        r = ask("  Lea.Resend@Example.org ", next(clients))
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/demo/resend?sent=1&lang=fr")
        page = server.get(r.header("Location"))
        self.assertEqual(page.status, 200)
        self.assertIn("Demande reçue", page_text(page))
        mail = sink.wait_for(1, timeout=30,
                             predicate=lambda m: m.subject == SUBJECT and to(address)(m))
        self.assertEqual(len(mail), 1, "one message for both appointments")
        text = text_of(mail[0])
        tokens = LINK.findall(text)
        self.assertEqual(len(tokens), 2, text)
        self.assertNotIn(first["token"], tokens)
        self.assertNotIn(second["token"], tokens)
        for token, booked in zip(tokens, (first, second)):  # soonest first
            self.assertEqual(server.get("/manage/%s?lang=fr" % token).status, 200)
            r = server.get("/api/v1/appointments/" + token)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["id"], booked["id"])
        for booked in (first, second):
            self.assertEqual(server.get("/manage/%s" % booked["token"]).status, 200)
        # The sealed links left the database with the message.
        self.assertEqual(server.sql("SELECT COUNT(*) FROM outbox WHERE kind='links' AND "
                                    "status='sent' AND payload LIKE '%\"token\"%'")[0][0], 0)

    def test_an_unknown_contact_gets_the_same_answer_and_no_message(self):
        address = "known.resend@example.org"
        self.book(4, email=address)
        before = links_rows()
        known = ask(address, next(clients))
        after_known = links_rows()
        unknown = ask("nobody.resend@example.org", next(clients))
        unknown_phone = ask("06 11 22 33 45", next(clients))
        self.assertEqual(after_known, before + 1)
        self.assertEqual(links_rows(), after_known, "a message was queued for nobody")
        for r in (unknown, unknown_phone):
            self.assertEqual((r.status, r.header("Location"), r.body),
                             (known.status, known.header("Location"), known.body))
        sink.wait_for(1, timeout=30, predicate=lambda m: m.subject == SUBJECT and to(address)(m))
        wait_until(lambda: server.sql(
            "SELECT COUNT(*) FROM outbox WHERE kind='links' AND status IN ('pending','sending')"
        )[0][0] == 0, 30, "every links message to be sent")
        self.assertEqual(sink.to("nobody.resend@example.org"), [])

    def test_limited_per_client_and_per_contact_with_the_429_page(self):
        client = next(clients)
        for i in range(10):
            r = ask("client%d.resend@example.org" % i, client)
            self.assertEqual(r.status, 303, (i, r))
        r = ask("client10.resend@example.org", client)
        self.assertEqual(r.status, 429, r)
        self.assertGreater(int(r.header("Retry-After")), 0)
        self.assertIn("Trop de demandes", page_text(r))
        # Per contact: three a day, whichever client asks.
        for i in range(3):
            self.assertEqual(ask("06 99 88 77 66", next(clients)).status, 303, i)
        before = server.sql("SELECT COUNT(*) FROM audit_log")[0][0]
        r = ask("+33 6 99 88 77 66", next(clients), lang="en")
        self.assertEqual(r.status, 429, r)
        self.assertIn("Too many requests", page_text(r))
        self.assertEqual(server.sql("SELECT COUNT(*) FROM audit_log")[0][0], before)

    def test_malformed_or_oversized_input_is_a_clear_400(self):
        before = server.sql("SELECT COUNT(*) FROM audit_log")[0][0]
        cases = [
            ("fr", "contact=", "Ce champ est obligatoire."),
            ("fr", "contact=12", "Indiquez l'adresse e-mail ou le numéro de téléphone"),
            ("en", "contact=zoe%40", "Enter the email address or phone number"),
            ("fr", "contact=z%C3%28%40example.org", "Indiquez l'adresse e-mail"),
            ("de", "contact=" + "a" * 5000, "Dieser Text ist zu lang."),
            ("fr", "", "Ce champ est obligatoire."),
        ]
        for lang, body, message in cases:
            with self.subTest(body=body[:40]):
                r = ask(None, next(clients), lang=lang, raw_body=body)
                self.assertEqual(r.status, 400, r)
                page = page_text(r)  # valid UTF-8: invalid input is never shown back
                self.assertIn(message, page)
                self.assertIn('aria-invalid="true"', page)
                self.assertIn('<form method="post" action="/demo/resend"', page)
        self.assertEqual(server.sql("SELECT COUNT(*) FROM audit_log")[0][0], before)

    def test_the_form_is_linked_where_a_citizen_looks_for_it(self):
        self.assertIn('href="/demo/resend?lang=fr"', page_text(server.get("/demo/")))
        r = server.get("/manage/" + "A" * 43)
        self.assertEqual(r.status, 404)
        self.assertIn('href="/resend?lang=fr"', page_text(r))
        r = server.get("/resend?lang=fr")
        self.assertEqual((r.status, r.header("Location")), (302, "/demo/resend?lang=fr"))
        r = server.get("/demo/resend?lang=nl")
        self.assertEqual(r.status, 200)
        self.assertIn("Stuur mijn link opnieuw", page_text(r))


if __name__ == "__main__":
    unittest.main()
