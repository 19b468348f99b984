"""Backups and restore (docs/OPERATIONS.md): `visioguichet backup` while the server books at
full speed, `visioguichet restore` and a server started on what it restored.

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        test_backup.py

What is checked:
  WhileBooking    8 threads book as fast as the server answers while a backup is taken; the
                  backup restores, passes PRAGMA integrity_check, holds every booking answered
                  201 before the backup started; a server started on it (with the key file,
                  backed up separately) serves them and sends their pending confirmations
  InUse           restore refuses a database a running server holds, and changes nothing
  BadBackups      truncated file, damaged database, newer schema, not a backup: refused,
                  nothing written under --db
  Retention       --keep-daily/--keep-weekly remove only older backups of the command's own
                  names in the folder
"""

import os
import queue
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from harness import Demo, Server, clean_env, require, wait_until

require("aiosmtpd", "python3-aiosmtpd")
from smtp_sink import SmtpSink  # noqa: E402 (after the check that names the package)

CONFIRMATION = "Votre rendez-vous est confirmé"


def cli(*args, timeout=300):
    r = subprocess.run([os.environ["VG_BINARY"]] + list(args), env=clean_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def tmpdir():
    d = tempfile.mkdtemp(prefix="vg-backup-")
    if os.environ.get("VG_KEEP_TMP") != "1":
        import atexit
        atexit.register(shutil.rmtree, d, True)
    return d


def integrity(db):
    conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def pad(db, megabytes):
    """Makes the database larger (incompressible rows) so that a backup takes a while."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("CREATE TABLE test_padding (b BLOB)")
        for _ in range(megabytes):
            conn.execute("INSERT INTO test_padding VALUES (?)", (os.urandom(1 << 20),))
        conn.commit()
    finally:
        conn.close()


class Booker:
    """Threads booking the demo's short video slots as fast as the server answers."""

    def __init__(self, server, threads=8):
        self.demo = Demo(server)
        self.work = queue.Queue()
        motifs = [m for m in self.demo.motifs()
                  if "video" in m["channels"] and m["duration_minutes"] <= 30]
        terms = self.demo.terms_version()
        for m in motifs:
            for s in self.demo.slots(m["id"], days=27):
                self.work.put((m["id"], s))
        self.terms = terms
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.booked = []  # (answered at, id, token, email)
        self.errors = []
        self.count = 0
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def run(self):
        while not self.stop.is_set():
            try:
                motif, slot = self.work.get_nowait()
            except queue.Empty:
                return
            with self.lock:
                self.count += 1
                n = self.count
            email = "backup%05d@example.org" % n
            body = {"motif": motif, "channel": "video", "start": slot["start"],
                    "site": slot["site"]["id"], "accept_terms": True,
                    "terms_version": self.terms,
                    "citizen": {"first_name": "Client", "last_name": "N%d" % n, "email": email}}
            try:
                r = self.demo.s.post(self.demo.path("appointments"), body)
            except OSError as e:
                self.errors.append(repr(e))
                continue
            answered = time.monotonic()
            if r.status == 201:
                with self.lock:
                    self.booked.append((answered, r.json["id"], r.json["token"], email))
                self.work.put((motif, slot))  # another agent may still be free then
            elif r.status != 409:
                self.errors.append(repr(r))

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)


class WhileBooking(unittest.TestCase):
    def test_backup_under_load_restores_and_serves(self):
        first = Server(extra_args=["--outbox-threads", "0"]).prepare()
        pad(first.db, 24)
        first.start()
        out = tmpdir()
        try:
            booker = Booker(first).start()
            wait_until(lambda: len(booker.booked) >= 20, 60, "the first bookings")
            started = time.monotonic()
            code, stdout, stderr = cli("backup", "--db", first.db, "--to", out)
            ended = time.monotonic()
            booker.finish()
        finally:
            self.assertEqual(first.stop(), 0, first.log_text()[-3000:])
        self.assertEqual(code, 0, stderr)
        self.assertEqual(booker.errors, [])
        m = re.search(r"written to (\S+): ([\d.]+) MB \(database ([\d.]+) MB", stdout)
        self.assertTrue(m, stdout)
        backup = m.group(1)
        self.assertEqual(os.path.dirname(backup), out)
        self.assertGreater(float(m.group(2)), 20, "the padding does not compress")
        before = [b for b in booker.booked if b[0] < started]
        during = [b for b in booker.booked if started <= b[0] <= ended]
        self.assertGreaterEqual(len(before), 20)
        self.assertTrue(during, "bookings went on while the backup ran (%.2f s)"
                        % (ended - started))

        # Restore on another machine: the database from the backup, the key from its own copy.
        second_dir = tmpdir()
        second_db = os.path.join(second_dir, "visioguichet.db")
        code, stdout, stderr = cli("restore", "--from", backup, "--db", second_db)
        self.assertEqual(code, 0, stderr)
        self.assertIn("integrity check ok", stdout)
        self.assertIn("now put the secret key", stdout, "the key is not in the backup")
        self.assertEqual(integrity(second_db), ["ok"])
        conn = sqlite3.connect("file:%s?mode=ro" % second_db, uri=True)
        ids = {r[0] for r in conn.execute("SELECT id FROM appointments")}
        conn.close()
        missing = [b[1] for b in before if b[1] not in ids]
        self.assertEqual(missing, [], "bookings answered 201 before the backup started")
        shutil.copy(os.path.join(first.dir, "secret.key"), os.path.join(second_dir, "secret.key"))

        sink = SmtpSink().start()
        second = Server(db_dir=second_dir, extra_args=["--smtp-url", sink.url])
        try:
            second.start()
            demo = Demo(second)
            for _, aid, token, _ in before:
                r = second.get("/api/v1/appointments/%s" % token)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["id"], aid)
            wanted = {email for *_, email in before}

            def confirmed():
                got = {rcpt for m in sink.messages if m.subject.startswith(CONFIRMATION)
                       for rcpt in m.rcpt_tos}
                return wanted <= got
            wait_until(confirmed, 120, "the confirmations queued before the backup")
            # A booking on the restored server works too.
            slot = demo.slots(demo.video_motif()["id"], days=27)[-1]
            self.assertIn(demo.book(demo.video_motif()["id"], slot).status, (201, 409))

            # InUse: the database this server holds is not replaced.
            count = second.appointment_count()
            code, stdout, stderr = cli("restore", "--from", backup, "--db", second_db)
            self.assertEqual(code, 2, stdout + stderr)
            self.assertIn("in use", stderr)
            self.assertEqual(second.appointment_count(), count)
            self.assertEqual(second.get("/readyz").status, 200)
            self.assertEqual(sorted(f for f in os.listdir(second_dir) if "replaced" in f), [])
        finally:
            code = second.stop()
            sink.stop()
        self.assertEqual(code, 0, second.log_text()[-3000:])


class BadBackups(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tmpdir()
        cls.db = os.path.join(cls.dir, "source.db")
        for cmd in ("migrate", "demo"):
            code, _, err = cli(cmd, "--db", cls.db)
            assert code == 0, err

    def backup_of(self, db, method="vacuum"):
        target = os.path.join(tempfile.mkdtemp(dir=self.dir), os.path.basename(db) + ".gz")
        code, out, err = cli("backup", "--db", db, "--to", target, "--method", method)
        self.assertEqual(code, 0, err)
        return target

    def assertRefused(self, backup, message):
        target = os.path.join(tmpdir(), "visioguichet.db")
        code, out, err = cli("restore", "--from", backup, "--db", target)
        self.assertEqual(code, 2, out + err)
        self.assertIn(message, err)
        self.assertEqual(os.listdir(os.path.dirname(target)), [], "nothing written")

    def test_good_backup_restores(self):
        for method in ("vacuum", "online"):
            target = os.path.join(tmpdir(), "visioguichet.db")
            code, out, err = cli("restore", "--from", self.backup_of(self.db, method), "--db",
                                 target)
            self.assertEqual(code, 0, err)
            self.assertEqual(integrity(target), ["ok"])
            conn = sqlite3.connect(target)
            self.assertEqual(conn.execute("SELECT slug FROM organisations").fetchall(),
                             [("demo",)])
            conn.close()

    def test_truncated(self):
        with open(self.backup_of(self.db), "rb") as f:
            data = f.read()
        cut = os.path.join(self.dir, "cut.gz")
        with open(cut, "wb") as f:
            f.write(data[:len(data) // 2])
        self.assertRefused(cut, "truncated")

    def test_not_a_backup(self):
        other = os.path.join(self.dir, "other.gz")
        subprocess.run(["sh", "-c", "echo hello | gzip > '%s'" % other], check=True)
        self.assertRefused(other, "not a Visioguichet backup")

    def test_newer_schema(self):
        newer = os.path.join(self.dir, "newer.db")
        shutil.copy(self.db, newer)
        conn = sqlite3.connect(newer)
        conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)")
        conn.commit()
        conn.close()
        self.assertRefused(self.backup_of(newer), "made by a newer Visioguichet")

    def test_damaged_database(self):
        # The backup API copies pages as they are: a database damaged on disk gives a backup
        # whose gzip is sound and whose database is not (VACUUM INTO would rebuild the index).
        damaged = os.path.join(self.dir, "damaged.db")
        src = sqlite3.connect(self.db)
        dst = sqlite3.connect(damaged)
        src.backup(dst)
        src.close()
        dst.execute("PRAGMA journal_mode=DELETE")
        page = dst.execute("PRAGMA page_size").fetchone()[0]
        root = dst.execute("SELECT rootpage FROM sqlite_schema WHERE name = "
                           "'sqlite_autoindex_organisations_1'").fetchone()[0]
        dst.close()
        with open(damaged, "r+b") as f:
            f.seek((root - 1) * page + 8)
            f.write(b"\x7f" * 64)
        self.assertRefused(self.backup_of(damaged, "online"), "integrity_check")


class Retention(unittest.TestCase):
    def test_keep_daily_and_weekly(self):
        d = tmpdir()
        db = os.path.join(d, "visioguichet.db")
        code, _, err = cli("migrate", "--db", db)
        self.assertEqual(code, 0, err)
        folder = os.path.join(d, "backups")
        os.mkdir(folder)
        old = ["visioguichet-20200106T020000Z.db.gz", "visioguichet-20200107T020000Z.db.gz",
               "visioguichet-20200107T140000Z.db.gz", "visioguichet-20200108T020000Z.db.gz"]
        others = ["notes.txt", "visioguichet-2020.db.gz"]
        for name in old + others:
            open(os.path.join(folder, name), "w").close()
        code, out, err = cli("backup", "--db", db, "--to", folder, "--keep-daily", "3",
                             "--keep-weekly", "2")
        self.assertEqual(code, 0, err)
        new = re.search(r"written to \S+/(visioguichet-\d{8}T\d{6}Z\.db\.gz)", out).group(1)
        # Today's backup, then the newest of the next two days that have one (8 and 7 January);
        # the week of 6 January adds nothing new (8 January is its newest).
        self.assertEqual(sorted(os.listdir(folder)), sorted(
            [new, "visioguichet-20200107T140000Z.db.gz", "visioguichet-20200108T020000Z.db.gz"]
            + others))
        self.assertIn("2 removed", out)
        # A single file with --keep-*: refused (retention works on a folder).
        code, out, err = cli("backup", "--db", db, "--to", os.path.join(d, "one.gz"),
                             "--keep-daily", "1")
        self.assertEqual(code, 2)
        self.assertIn("need --to to be a folder", err)


if __name__ == "__main__":
    unittest.main()
