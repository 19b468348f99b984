#!/usr/bin/env python3
"""Turns the outputs of one scripts/bench run into a Markdown section.

    report.py RUN_DIR [--doc docs/PERFORMANCE.md]

RUN_DIR holds facts.env (key=value lines written by scripts/bench) and the raw outputs
(gen.txt, insert.txt, slots.txt, wrk-hello.txt, wrk-slots.txt, wrk-book.txt, bodies.txt,
commit.txt, stats.txt).
Prints the section; with --doc, replaces the section of the same day (or inserts it first)
between the results markers of the document.
"""
import argparse
import json
import os
import re
import sys

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def kv(text, prefix):
    """key=value pairs of the first line starting with prefix."""
    for line in text.splitlines():
        if line.startswith(prefix):
            return dict(p.split("=", 1) for p in line[len(prefix):].split() if "=" in p)
    return {}


def ms(value, unit):
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def wrk(text):
    """Requests/sec and latency percentiles (ms) of a wrk --latency output."""
    out = {}
    m = re.search(r"Requests/sec:\s*([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    for p in ("50", "90", "99"):
        m = re.search(rf"^\s+{p}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        if m:
            out["p" + p] = ms(m.group(1), m.group(2))
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if m:
        out["requests"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else "none"
    return out


def f(x, digits=1):
    return "–" if x is None else f"{x:,.{digits}f}".replace(",", " ")


def verdict(ok):
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def build(run):
    facts = dict(line.split("=", 1) for line in read(os.path.join(run, "facts.env")).splitlines()
                 if "=" in line)
    slots = kv(read(os.path.join(run, "slots.txt")), "RESULT ")
    ins = kv(read(os.path.join(run, "insert.txt")), "RESULT ")
    hello = wrk(read(os.path.join(run, "wrk-hello.txt")))
    http_slots = wrk(read(os.path.join(run, "wrk-slots.txt")))
    book_text = read(os.path.join(run, "wrk-book.txt"))
    book = kv(book_text, "BOOKINGS ")
    book_wrk = wrk(book_text)
    gen = read(os.path.join(run, "gen.txt")).strip()
    bodies = read(os.path.join(run, "bodies.txt")).strip()

    num = lambda d, k: float(d[k]) if k in d else None  # noqa: E731
    rows = []

    def add(measure, result, target="", ok=None):
        rows.append(f"| {measure} | {result} | {target} | {verdict(ok)} |")

    for ch in ("video", "on_site"):
        p50, p99 = num(slots, f"service_{ch}_p50"), num(slots, f"service_{ch}_p99")
        if p99 is None:
            continue
        add(f"Slot search in-process, {ch} (`BookingService::slots`), p50 / p99 / max",
            f"{f(p50, 2)} / {f(p99, 2)} / {f(num(slots, f'service_{ch}_max'), 2)} ms "
            f"({slots.get(f'service_{ch}_items')} slots)", "p99 ≤ 10 ms", p99 <= 10)
        add(f"… of which SQL load (`availability_data`), {ch}, p50 / p99",
            f"{f(num(slots, f'load_{ch}_p50'), 2)} / {f(num(slots, f'load_{ch}_p99'), 2)} ms "
            f"({slots.get(f'load_{ch}_items')} busy rows)")
        add(f"… of which engine (`core::compute_slots`), {ch}, p50 / p99",
            f"{f(num(slots, f'engine_{ch}_p50'), 2)} / {f(num(slots, f'engine_{ch}_p99'), 2)} ms")
        if f"json_{ch}_p50" in slots:
            add(f"… then the JSON body as the API builds it (outside the measure above), {ch}, "
                "p50 / p99", f"{f(num(slots, f'json_{ch}_p50'), 2)} / "
                f"{f(num(slots, f'json_{ch}_p99'), 2)} ms ({slots.get(f'json_{ch}_items')} KiB)")
    for name, label in (("mmap", "`PRAGMA mmap_size` 256 MB on every connection"),
                        ("index", "live-appointment indexes covering `ends_at`"),
                        ("both", "both of the above")):
        w = kv(read(os.path.join(run, f"whatif-{name}.txt")), "RESULT ")
        if "service_video_p99" in w:
            add(f"What-if, {label}: slot search video p50 / p99 (SQL load p50 / p99)",
                f"{f(num(w, 'service_video_p50'), 2)} / {f(num(w, 'service_video_p99'), 2)} ms "
                f"({f(num(w, 'load_video_p50'), 2)} / {f(num(w, 'load_video_p99'), 2)} ms)",
                "p99 ≤ 10 ms", num(w, "service_video_p99") <= 10)
    if "raw_select_p50" in slots:
        add("Baseline: raw SQLite SELECT of the same live appointments, p50 / p99",
            f"{f(num(slots, 'raw_select_p50'), 2)} / {f(num(slots, 'raw_select_p99'), 2)} ms "
            f"({slots.get('raw_select_items')} rows)")

    h, s = hello.get("rps"), http_slots.get("rps")
    wrk_args = f"wrk -t2 -c64 -d{facts.get('duration', '10s')}"
    add(f"HTTP hello world `GET /healthz` ({wrk_args})",
        f"{f(h, 0)} req/s, p50 {f(hello.get('p50'), 2)} ms, p99 {f(hello.get('p99'), 2)} ms")
    add(f"HTTP slot search `GET …/slots` video, 31 days, all sites ({wrk_args})",
        f"{f(s, 0)} req/s, p50 {f(http_slots.get('p50'), 2)} ms, "
        f"p99 {f(http_slots.get('p99'), 2)} ms, non-2xx {http_slots.get('non2xx', '–')}",
        "≥ 2 000 req/s", None if s is None else s >= 2000)
    if h and s:
        add("Ratio slot search / hello world (same server, same run)",
            f"{100 * s / h:.2g} % (hello world is {h / s:,.0f} × faster)".replace(",", " "))

    # The week agenda of a signed-in agent (bench/agenda_week.sh), server time from the
    # access log, beside /healthz's of the same run.
    agenda = kv(read(os.path.join(run, "agenda.txt")), "RESULT ")
    if "server1_p99" in agenda:
        one = wrk(read(os.path.join(run, "wrk-agenda-1.txt")))
        many = wrk(read(os.path.join(run, "wrk-agenda.txt")))
        p99 = num(agenda, "server1_p99")
        add(f"Week agenda `GET /console/agenda?view=week` of a signed-in agent with "
            f"{agenda.get('appointments')} appointments that week, 1 client: server time "
            f"p50 / p99 / max (healthz p50 / p99, same run)",
            f"{f(num(agenda, 'server1_p50'), 2)} / {f(p99, 2)} / "
            f"{f(num(agenda, 'server1_max'), 2)} ms ({f(num(agenda, 'healthz_server_p50'), 2)} / "
            f"{f(num(agenda, 'healthz_server_p99'), 2)} ms); {f(one.get('rps'), 0)} req/s",
            "p99 ≤ 20 ms", None if p99 != p99 else p99 <= 20)  # nan: no access log
        add(f"… the same page, {wrk_args}: req/s, wrk p50 / p99, server time p50 / p99",
            f"{f(many.get('rps'), 0)} req/s, {f(many.get('p50'), 1)} / {f(many.get('p99'), 1)} ms, "
            f"{f(num(agenda, 'server64_p50'), 1)} / {f(num(agenda, 'server64_p99'), 1)} ms; "
            f"{agenda.get('status200')} × 200 of {agenda.get('requests')}")

    # Staff sign-ins beside slot searches (bench/sign_ins.sh).
    si = kv(read(os.path.join(run, "signins.txt")), "RESULT ")
    if "signins_rps" in si:
        alone, during = num(si, "slots_alone_rps"), num(si, "slots_during_rps")
        add("Staff sign-ins `POST /login` (Argon2id 64 MiB, t=2), 8 clients: sign-ins/s, "
            "p50 / p99",
            f"{f(num(si, 'signins_rps'), 1)} /s, {si.get('signins_p50')} / "
            f"{f(num(si, 'signins_p99'), 0)} ms; {si.get('signed')} signed in, "
            f"{si.get('locked')} locked, {si.get('other')} other")
        ratio = 100 * during / alone if alone else float("nan")
        add("Slot search (16 clients) during those sign-ins / alone, same run: req/s and p99",
            f"{f(during, 0)} / {f(alone, 0)} req/s ({ratio:.0f} %), p99 "
            f"{f(num(si, 'slots_during_p99'), 1)} / {f(num(si, 'slots_alone_p99'), 1)} ms",
            "not starved (≥ 50 %)", ratio >= 50)

    # Backups while citizens book (bench/backup.sh).
    bk = kv(read(os.path.join(run, "backup.txt")), "RESULT ")
    if "alone_rps" in bk:
        for method, what in (("online", "online backup API"), ("vacuum", "VACUUM INTO")):
            ratio = 100 * (num(bk, method + "_ratio") or float("nan"))
            add(f"Backup ({what}) of the served database ({bk.get('database_mb')} MB) while "
                "citizens book: time, file size; bookings/s during / alone",
                f"{bk.get(method + '_seconds')} s, {bk.get(method + '_file_mb')} MB; "
                f"{bk.get(method + '_rps')} / {bk.get('alone_rps')} /s ({ratio:.0f} %)",
                "≥ 70 %", ratio >= 70)

    single, threads = num(ins, "single_rate"), num(ins, "threads_rate")
    base = num(ins, "baseline_rate")
    add("Baseline: raw SQLite durable insert, 1 connection (WAL, synchronous=FULL)",
        f"{f(single, 0)} rows/s, p50 {f(num(ins, 'single_p50'), 2)} ms, "
        f"p99 {f(num(ins, 'single_p99'), 2)} ms")
    add(f"Baseline: raw SQLite durable insert, {ins.get('threads', '64')} threads × own "
        "connection, BEGIN IMMEDIATE",
        f"{f(threads, 0)} rows/s, p50 {f(num(ins, 'threads_p50'), 2)} ms, "
        f"p99 {f(num(ins, 'threads_p99'), 2)} ms")
    if book:
        ok201 = int(book["status201"])
        dur = float(book["duration_s"])
        rate = ok201 / dur if dur else 0
        ratio = rate / base if base else None
        add(f"Bookings `POST …/appointments`, 64 clients ({wrk_args}), durable commits",
            f"{f(rate, 0)} bookings/s ({ok201} × 201 in {dur:.1f} s)")
        add(f"Ratio bookings / raw insert baseline ({ins.get('baseline_variant', '?')})",
            "–" if ratio is None else f"{100 * ratio:.1f} %", "≥ 50 %",
            None if ratio is None else ratio >= 0.5)
        add("Booking latency p50 / p90 / p99 / max",
            f"{f(float(book['p50_ms']), 1)} / {f(float(book['p90_ms']), 1)} / "
            f"{f(float(book['p99_ms']), 1)} / {f(float(book['max_ms']), 1)} ms")
        add("Booking statuses 201 / 409 / other 4xx / 5xx",
            f"{book['status201']} / {book['status409']} / {book['status4xx']} / "
            f"{book['status5xx']} (socket errors: {book_wrk.get('socket_errors', 'none')})",
            "409 ≈ 0, no 5xx", int(book["status409"]) == 0 and int(book["status5xx"]) == 0
            and int(book["status4xx"]) == 0)
        if "db_new_bookings" in facts:
            add("Bookings found in the database afterwards", facts["db_new_bookings"])
    if "overlaps" in facts:
        add("Overlapping live appointments of one agent afterwards (sqlite3)",
            facts["overlaps"], "0", facts["overlaps"] == "0")

    def mb(k):
        return int(facts[k]) / 1024 if k in facts and facts[k].isdigit() else None
    rss_peak = max(x for x in (mb("rss_loaded"), mb("rss_after"), mb("hwm"), 0) if x is not None)
    add("Server RSS: started / data loaded (first slot query) / after all runs / peak (VmHWM)",
        f"{f(mb('rss_start'))} / {f(mb('rss_loaded'))} / {f(mb('rss_after'))} / "
        f"{f(mb('hwm'))} MB", "< 200 MB", rss_peak < 200 if rss_peak else None)

    outbox = read(os.path.join(run, "outbox.txt")) if os.path.exists(os.path.join(run, "outbox.txt")) else ""
    if outbox:
        o = dict(line.split(" ", 1) for line in outbox.strip().splitlines() if " " in line)
        rate = float(o.get("outbox_rate", "0"))
        base = float(o.get("baseline_rate", "0"))
        add("Outbox to a local SMTP sink (4 sending threads, durable marks), messages/s",
            f"{rate:.0f} msg/s ({o.get('sent', '?').split()[0]} sent)", "≥ 200 msg/s", rate >= 200)
        add("Baseline: the same SMTP client alone, one connection, messages/s",
            f"{base:.0f} msg/s (outbox = {100 * rate / base:.0f} % of it)" if base else "?")
    lat_path = os.path.join(run, "mail-latency.txt")
    if os.path.exists(lat_path):
        rows_l = [json.loads(x) for x in read(lat_path).splitlines() if x.startswith("{")]
        by = {r.get("label"): r for r in rows_l}
        if "mail_down" in by and "mail_up" in by:
            d, u = by["mail_down"], by["mail_up"]
            add("Booking latency (16 clients, API) with the mail server down, p50 / p99",
                f"{d['p50_ms']} / {d['p99_ms']} ms ({d['created']} booked)")
            add("Booking latency with the mail server up, p50 / p99",
                f"{u['p50_ms']} / {u['p99_ms']} ms ({u['created']} booked, "
                f"{u.get('mails_received', '?')} mails received)", "down ≈ up",
                d["p99_ms"] <= 2 * u["p99_ms"])

    # The video room (issue 13): idle sockets, signalling latency, admit to first frame.
    idle = read(os.path.join(run, "ws-idle.txt"))
    m = re.search(r"held: (\d+) of (\d+)", idle)
    k = re.search(r"([\d.]+) KiB per connection", idle)
    if m:
        add("Idle room WebSockets one server holds (each a waiting participant), memory each",
            f"{m.group(1)} of {m.group(2)}" + (f", {k.group(1)} KiB per connection" if k else ""),
            "≥ 10 000", int(m.group(1)) >= 10000)
    sig = kv(read(os.path.join(run, "ws-signal.txt")), "RESULT ")
    if "p99_ms" in sig:
        add(f"Signalling: `signal` relayed one way through the hub, {sig.get('rooms')} rooms "
            f"active ({sig.get('rate')}/s per participant, {sig.get('relayed_per_s')} relayed/s), "
            "p50 / p99 / max",
            f"{sig.get('p50_ms')} / {sig.get('p99_ms')} / {sig.get('max_ms')} ms (lost "
            f"{sig.get('lost')}, client send lag p99 {sig.get('lag_p99_ms')} ms)")
        add(f"Baseline: one room active ({sig.get('base_rate')}/s per participant, before and "
            "after), p50 / p99",
            f"{sig.get('base_p50_ms')} / {sig.get('base_p99_ms')} ms")
    ff = kv(read(os.path.join(run, "admit-first-frame.txt")), "RESULT ")
    if "both_max_ms" in ff:
        add(f"Admit to first remote video frame in Chromium, loopback, {ff.get('runs')} runs: "
            "citizen / agent p50, slower side max",
            f"{ff.get('citizen_p50_ms')} / {ff.get('agent_p50_ms')} ms, max "
            f"{ff.get('both_max_ms')} ms", "< 1 s", float(ff["both_max_ms"]) < 1000)

    commit = kv(read(os.path.join(run, "commit.txt")), "RESULT ")
    if "thread_rate" in commit:
        t, q = num(commit, "thread_rate"), num(commit, "sqlite_rate")
        add(f"Group commit, who flushes: in-process bookings, {commit.get('threads')} threads, "
            f"{commit.get('rounds')} × {commit.get('seconds')} s per mode interleaved, medians "
            "(load average at the start " + facts.get("load_commit", "?") + ")",
            f"flush thread {f(t, 0)} bookings/s (p99 {f(num(commit, 'thread_p99'), 1)} ms; "
            f"runs {commit.get('thread_runs')}), SQLite's own flush {f(q, 0)} bookings/s "
            f"(p99 {f(num(commit, 'sqlite_p99'), 1)} ms; runs {commit.get('sqlite_runs')}): "
            f"{100 * q / t:.1f} %" if t else "–")

    stats_text = read(os.path.join(run, "stats.txt"))
    page = kv(stats_text, "page ")
    if "p99_ms" in page:
        base = kv(stats_text, "baseline_count ")
        exp = kv(stats_text, "export ")
        add("Statistics (issue 14), baseline: raw `COUNT(*)` of one département's year, "
            "p50 / p99 (load average at the start " + facts.get("load_stats", "?") + ")",
            f"{f(num(base, 'p50_ms'))} / {f(num(base, 'p99_ms'))} ms ({base.get('rows')} rows)")
        add("Statistics page's computation (`stats::report`), a year, every site, p50 / p99",
            f"{f(num(page, 'p50_ms'))} / {f(num(page, 'p99_ms'))} ms "
            f"({page.get('bookings')} bookings, {page.get('runs')} runs)", "p99 ≤ 200 ms",
            num(page, "p99_ms") <= 200)
        if "rows_per_s" in exp:
            growth = (num(exp, "rss_after_kb") - num(exp, "rss_before_kb")) / 1024
            add("Full one-year export streamed (`stats::export_rows` → CSV)",
                f"{f(num(exp, 'rows_per_s'), 0)} rows/s ({exp.get('lines')} lines in "
                f"{exp.get('seconds')} s)", "≥ 100 000 rows/s", num(exp, "rows_per_s") >= 100000)
            add("… VmRSS before → after the export (VmHWM)",
                f"{f(num(exp, 'rss_before_kb') / 1024)} → {f(num(exp, 'rss_after_kb') / 1024)} MB "
                f"({f(num(exp, 'hwm_after_kb') / 1024)})", "growth < 20 MB", growth < 20)

    title = (f"### {facts.get('date', '?')} — {facts.get('cpu', '?')}, "
             f"{facts.get('nproc', '?')} CPUs, {facts.get('ram', '?')} RAM")
    lines = [
        title, "",
        f"Commit `{facts.get('commit', '?')}`; SQLite {facts.get('sqlite', '?')}; "
        f"{facts.get('kernel', '?')}; database on {facts.get('fs', '?')}; server "
        f"`--threads {facts.get('server_threads', '?')}` `--booking-rate-limit 0`, "
        f"log level {facts.get('log_level', 'info')}, `--outbox-threads "
        f"{facts.get('outbox_threads', '?')}`"
        f"{' (messages are queued in each booking transaction, not sent)' if facts.get('outbox_threads') == '0' else ' with a local SMTP sink'}"
        "; wrk and the server share the machine. Load average (1, 5, 15 min) before the "
        f"measures {facts.get('load_start', '?')}, after {facts.get('load_end', '?')}: "
        "anything above ~2 on 2 CPUs means other work competed with this run.",
        "",
        f"Data set (`gen_departement --seed {facts.get('seed', '?')}`"
        f"{'' if facts.get('dataset_reused') != '1' else ', reused from an earlier run today'}): "
        + " ".join(gen.splitlines()[:2]),
        "",
        "| Measure | Result | Target | |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    if bodies:
        lines += [f"Booking bodies: {bodies.splitlines()[-1]}", ""]
    return "\n".join(lines), facts.get("date", "")[:10]


def update_doc(doc, section, day):
    text = read(doc)
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n## Results\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    body, tail = rest.split(END, 1)
    # Sections start with "### YYYY-MM-DD"; drop the one of the same day.
    parts = re.split(r"(?m)^(?=### )", body)
    kept = [p for p in parts if p.strip() and not p.startswith(f"### {day}")]
    new_body = "\n" + section.rstrip("\n") + "\n\n" + "".join(p.rstrip("\n") + "\n\n" for p in kept)
    with open(doc, "w", encoding="utf-8") as f:
        f.write(head + START + new_body + END + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--doc")
    a = ap.parse_args()
    section, day = build(a.run)
    print(section)
    if a.doc:
        update_doc(a.doc, section, day)
        print(f"==> {a.doc} updated", file=sys.stderr)


if __name__ == "__main__":
    main()
