"""What citizens read, in every language: no French " : " in English, Dutch or German, no IANA
zone names, the mediator named consistently, and a video appointment at a partner site that
says where to go and that the equipment is there (pages and e-mails)."""

import glob
import html
import json
import os
import re
import unittest

from harness import Demo, module_server, source_dir

OTHER_LANGUAGES = ("en", "nl", "de")
# A colon after a space (French typography), in visible text: never in en/nl/de.
SPACE_COLON = re.compile(r"[ \u00a0\u202f\t]:(?=\s|$|<)")
IANA = re.compile(r"\b(Europe|America|Indian|Pacific|Africa|Asia|Atlantic)/[A-Z][A-Za-z_]+")


def catalogue(lang):
    """locales/<lang>.json with the sections of locales/<lang>/*.json, as the server loads it."""
    with open(os.path.join(source_dir(), "locales", lang + ".json"), encoding="utf-8") as f:
        merged = json.load(f)
    for part in sorted(glob.glob(os.path.join(source_dir(), "locales", lang, "*.json"))):
        with open(part, encoding="utf-8") as f:
            merged.update(json.load(f))
    return merged


def strings(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, path + "." + k if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from strings(v, "%s[%d]" % (path, i))
    else:
        yield path, node


def visible_text(page):
    """The text a reader sees in an HTML page (tags, scripts and styles removed)."""
    page = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


# One server for the module, sending its e-mails to an SMTP sink (globals `server`, `sink`).
setUpModule, tearDownModule = module_server(
    globals(), smtp_sink=True, extra_args=["--outbox-first-retry", "1"])


def text_parts(m):
    text = html_part = None
    for part in m.message.walk():
        if part.get_content_type() == "text/plain" and text is None:
            text = part.get_content()
        elif part.get_content_type() == "text/html" and html_part is None:
            html_part = part.get_content()
    return text, html_part


class Catalogues(unittest.TestCase):
    """Static scan: a template is shared by every language, so it must not hold punctuation of
    one; the catalogues of other languages must not hold French spacing."""

    def test_no_space_before_colon_outside_french(self):
        for lang in OTHER_LANGUAGES:
            for key, value in strings(catalogue(lang)):
                if isinstance(value, str):
                    with self.subTest(lang=lang, key=key):
                        self.assertIsNone(SPACE_COLON.search(value), value)

    def test_templates_hold_no_language_punctuation(self):
        for path in glob.glob(os.path.join(source_dir(), "templates", "**", "*.mustache"),
                              recursive=True):
            with open(path, encoding="utf-8") as f:
                body = re.sub(r"\{\{[^}]*\}\}\}?", "", f.read())
            with self.subTest(template=os.path.relpath(path, source_dir())):
                self.assertIsNone(SPACE_COLON.search(body), SPACE_COLON.search(body))


class Rendered(unittest.TestCase):
    """Pages and e-mails as rendered in en/nl/de, for each way to meet."""

    @classmethod
    def setUpClass(cls):
        cls.demo = Demo(server)
        cls.sites = {s["id"]: s for s in cls.demo.sites()}
        cls.cases = {}  # (lang, kind) -> (booking json, e-mail)
        for kind, channel, partner in (("home", "video", False), ("partner", "video", True),
                                       ("on_site", "on_site", False), ("phone", "phone", False)):
            motif, slots = cls.find(channel, partner)
            for lang in OTHER_LANGUAGES:
                address = "texts-%s-%s@example.org" % (kind, lang)
                while True:  # a slot taken by an earlier booking of this test: the next one
                    r = cls.demo.book(motif["id"], slots.pop(0), channel=channel,
                                      email=address, phone="06 12 34 56 78", language=lang)
                    if r.status != 409:
                        break
                assert r.status == 201, r
                cls.cases[(lang, kind)] = (r.json, address)
        for key, (booking, address) in cls.cases.items():
            mail = sink.wait_for(1, timeout=30, predicate=lambda m, a=address: a in m.rcpt_tos)[0]
            cls.cases[key] = (booking, mail)

    @classmethod
    def find(cls, channel, partner):
        """A motif with enough slots of this kind (partner: at a partner site)."""
        for motif in cls.demo.motifs():
            if channel not in motif["channels"]:
                continue
            if partner:  # partner slots are listed when their site is asked for
                slots = [s for site in cls.sites.values() if site["is_partner"]
                         for s in cls.demo.slots(motif["id"], channel=channel, days=27,
                                                 site=site["id"])]
            else:
                slots = [s for s in cls.demo.slots(motif["id"], channel=channel, days=27)
                         if not cls.sites[s["site"]["id"]]["is_partner"]]
            slots = slots[::3]  # apart from one another
            if len(slots) >= 12:
                return motif, slots
        raise AssertionError("no demo motif with %s slots (partner=%s)" % (channel, partner))

    def pages(self, booking, lang):
        token = booking["token"]
        out = {}
        for name, path in (("manage", "/manage/%s?lang=%s"), ("cancel", "/manage/%s/cancel?lang=%s"),
                           ("reschedule", "/manage/%s/reschedule?lang=%s")):
            r = server.get(path % (token, lang))
            self.assertEqual(r.status, 200, (path, r))
            out[name] = visible_text(r.body.decode("utf-8"))
        out["terms"] = visible_text(server.get("/demo/terms?lang=" + lang).body.decode("utf-8"))
        return out

    def test_no_french_colon_and_no_zone_name(self):
        for (lang, kind), (booking, mail) in sorted(self.cases.items()):
            text, body_html = text_parts(mail)
            readings = dict(self.pages(booking, lang), email_text=text,
                            email_html=visible_text(body_html), subject=mail.subject)
            for where, content in readings.items():
                with self.subTest(lang=lang, kind=kind, where=where):
                    m = SPACE_COLON.search(content)
                    self.assertIsNone(m, content[max(0, m.start() - 80):m.end() + 40] if m else "")
                    m = IANA.search(content)
                    self.assertIsNone(m, content[max(0, m.start() - 80):m.end() + 40] if m else "")

    def test_remote_appointments_name_the_zone_in_words(self):
        for lang in OTHER_LANGUAGES:
            label = catalogue(lang)["zone"]["Europe/Paris"]
            for kind in ("home", "phone"):
                booking, mail = self.cases[(lang, kind)]
                with self.subTest(lang=lang, kind=kind):
                    self.assertIn(label, self.pages(booking, lang)["manage"])
                    self.assertIn(label, text_parts(mail)[0])
            booking, mail = self.cases[(lang, "on_site")]
            self.assertNotIn(label, self.pages(booking, lang)["manage"])
            self.assertNotIn(label, text_parts(mail)[0])

    def test_partner_video_says_where_to_go_and_that_the_equipment_is_there(self):
        for lang in OTHER_LANGUAGES:
            c = catalogue(lang)
            booking, mail = self.cases[(lang, "partner")]
            site = self.sites[booking["site"]["id"]]
            before_place = c["manage"]["partner_info"].split("{place}")[0].strip()
            after_place = c["manage"]["partner_info"].split("{place}")[1].strip()
            text, body_html = text_parts(mail)
            for where, content in (("page", self.pages(booking, lang)["manage"]),
                                   ("email_text", text),
                                   ("email_html", visible_text(body_html))):
                flat = re.sub(r"\s+", " ", content)
                with self.subTest(lang=lang, where=where):
                    self.assertIn(before_place, flat)
                    self.assertIn(after_place, flat)
                    self.assertIn(site["address"], flat)
                    # Not the instructions for a video from home.
                    self.assertNotIn(c["manage"]["video_info"], flat)
                    self.assertNotIn(c["messages"]["video_how"], flat)
            self.assertNotIn("/device-test", text)
            # Video from home keeps its instructions.
            home_text = text_parts(self.cases[(lang, "home")][1])[0]
            self.assertIn(c["messages"]["video_how"], re.sub(r"\s+", " ", home_text))
            self.assertIn("/device-test", home_text)

    def test_terms_name_the_mediator_consistently(self):
        for lang in OTHER_LANGUAGES + ("fr",):
            c = catalogue(lang)
            mediator = c["terms"]["mediator"]
            self.assertIn(mediator, c["terms"]["mediation"])
            terms = self.demo.s.get("/api/v1/orgs/demo/terms?lang=" + lang,
                                    headers={"Accept-Language": lang}).json
            clause = [line for line in terms["text"].splitlines() if line.startswith("7.")]
            with self.subTest(lang=lang):
                self.assertEqual(len(clause), 1, terms["text"])
                self.assertIn(mediator, clause[0])
                page = re.sub(r"\s+", " ", visible_text(
                    server.get("/demo/terms?lang=" + lang).body.decode("utf-8")))
                self.assertGreaterEqual(page.count(mediator), 2, page)


if __name__ == "__main__":
    unittest.main()
