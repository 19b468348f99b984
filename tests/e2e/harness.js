'use strict';
// Browser test harness: a real visioguichet server on a fresh demo database, Debian Chromium
// driven by playwright-core, axe-core for accessibility checks.
//
// Environment:
//   VG_BINARY      path of the built server binary (required)
//   VG_SOURCE_DIR  repository root (node_modules/, templates/...); defaults to ../.. of this file
//   VG_CHROMIUM    Chromium executable (default /usr/bin/chromium)
//   VG_E2E_KEEP    set to 1 to keep the temporary folder (database, server log) for debugging
//
// Run:  ctest -R e2e --output-on-failure            (from the build folder), or
//       VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD node --test tests/e2e/
// One file = one server on its own database + one Chromium; the server runs with its default
// assets (the repository it was built from) and --booking-rate-limit 0.

const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SOURCE_DIR = path.resolve(process.env.VG_SOURCE_DIR || path.join(__dirname, '..', '..'));
const CHROMIUM = process.env.VG_CHROMIUM || '/usr/bin/chromium';
const AXE_PATH = path.join(SOURCE_DIR, 'node_modules', 'axe-core', 'axe.min.js');

// Dependencies from the repository's node_modules first (pinned), then NODE_PATH.
function requireDep(name) {
  try {
    return require(path.join(SOURCE_DIR, 'node_modules', name));
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    return require(name);
  }
}
const { chromium } = requireDep('playwright-core');

const TIMEOUT = 15_000; // one action or navigation
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const ZOOM_200 = { width: 640, height: 400 }; // 1280 x 800 at 200 %

function binary() {
  const bin = process.env.VG_BINARY;
  if (!bin) throw new Error('VG_BINARY is not set (path of the built visioguichet binary)');
  fs.accessSync(bin, fs.constants.X_OK);
  return bin;
}

// The environment without VISIOGUICHET_* settings: only our options count.
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VISIOGUICHET_')) env[k] = v;
  return env;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Servers still running if the test process dies early.
const running = new Set();
process.on('exit', () => {
  for (const p of running) {
    try { p.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

class Server {
  // serveArgs: more options of `serve` (e.g. the TURN settings of the room).
  constructor(serveArgs = []) {
    this.serveArgs = serveArgs;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-e2e-'));
    this.db = path.join(this.dir, 'visioguichet.db');
    this.proc = null;
    this.port = 0;
    this.logPath = null;
  }

  get base() { return `http://127.0.0.1:${this.port}`; }

  url(p) { return this.base + p; }

  prepare() {
    for (const cmd of ['migrate', 'demo']) {
      const r = spawnSync(binary(), [cmd, '--db', this.db], {
        env: cleanEnv(), encoding: 'utf8', timeout: 120_000,
      });
      if (r.status !== 0) {
        throw new Error(`${binary()} ${cmd} failed (${r.status ?? r.signal}): ${r.stdout}${r.stderr}`);
      }
    }
    return this;
  }

  async start(timeoutMs = 30_000) {
    for (let attempt = 0; attempt < 3; attempt++) {
      this.port = await freePort();
      this.logPath = path.join(this.dir, `serve-${this.port}.log`);
      const log = fs.openSync(this.logPath, 'w');
      // Default assets (the repository the binary was built from): no --assets.
      const proc = spawn(binary(), [
        'serve', '--db', this.db, '--listen', `127.0.0.1:${this.port}`,
        '--booking-rate-limit', '0', '--log-level', 'warn', ...this.serveArgs,
      ], { env: cleanEnv(), stdio: ['ignore', log, log] });
      fs.closeSync(log);
      this.proc = proc;
      running.add(proc);
      let exited = false;
      proc.once('exit', () => { exited = true; running.delete(proc); });
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !exited) {
        try {
          const r = await fetch(this.url('/readyz'), { signal: AbortSignal.timeout(2000) });
          if (r.status === 200) return this;
        } catch { /* not listening yet */ }
        await sleep(50);
      }
      if (!exited) {
        proc.kill('SIGKILL');
        throw new Error(`server not ready after ${timeoutMs} ms:\n${this.logText()}`);
      }
      // Exited: maybe the port was taken between our probe and its bind; try another one.
      if (attempt === 2 || !/listen|bind|address/i.test(this.logText())) {
        throw new Error(`server exited with ${proc.exitCode ?? proc.signalCode}:\n${this.logText()}`);
      }
    }
    return this;
  }

  logText() {
    try { return fs.readFileSync(this.logPath, 'utf8'); } catch { return ''; }
  }

  // SIGTERM, then the exit code (SIGKILL after 10 s).
  async stop() {
    const proc = this.proc;
    this.proc = null;
    let code = null;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const done = new Promise((r) => proc.once('exit', (c, s) => r(c ?? s)));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      code = await done;
      clearTimeout(timer);
    } else if (proc) {
      code = proc.exitCode ?? proc.signalCode;
    }
    if (process.env.VG_E2E_KEEP === '1') {
      process.stderr.write(`e2e: kept ${this.dir}\n`);
    } else {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
    return code;
  }

  async api(p, init) {
    const r = await fetch(this.url(p), { ...init, signal: AbortSignal.timeout(TIMEOUT) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, json };
  }

  // Free slots from the public API: [{start, end, site, epoch}], epoch in seconds.
  async slots(motif, channel, from, to) {
    const q = new URLSearchParams({ motif: String(motif), channel, from, to });
    const r = await this.api(`/api/v1/orgs/demo/slots?${q}`);
    assert.equal(r.status, 200, `slots API: ${r.status} ${r.text}`);
    return r.json.slots.map((s) => ({ ...s, epoch: Date.parse(s.start) / 1000 }));
  }

  async motifs(lang = 'fr') {
    const r = await this.api('/api/v1/orgs/demo/motifs', { headers: { 'Accept-Language': lang } });
    assert.equal(r.status, 200, r.text);
    return r.json.motifs;
  }
}

async function startServer(serveArgs = []) {
  const s = new Server(serveArgs);
  try {
    s.prepare();
    return await s.start();
  } catch (e) {
    await s.stop();
    throw e;
  }
}

// extraArgs: more Chromium switches (e.g. fake camera and microphone).
async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs],
  });
}

// A context with our defaults (French citizen, desktop); `opts` overrides.
async function newContext(browser, opts = {}) {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: DESKTOP, ...opts });
  ctx.setDefaultTimeout(TIMEOUT);
  ctx.setDefaultNavigationTimeout(TIMEOUT * 2);
  return ctx;
}

// --- dates in the organisation's zone -----------------------------------------------------

const ZONE = 'Europe/Paris';

function zoneParts(epochSeconds, zone = ZONE) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(epochSeconds * 1000));
  const o = {};
  for (const p of parts) o[p.type] = p.value;
  return o;
}

// YYYY-MM-DD of the instant in Paris.
function parisDay(epochSeconds) {
  const p = zoneParts(epochSeconds);
  return `${p.year}-${p.month}-${p.day}`;
}

// YYYYMMDDTHHMMSS (iCalendar local time) of the instant in Paris.
function parisIcalTime(epochSeconds) {
  const p = zoneParts(epochSeconds);
  return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}

function parisHourMinute(epochSeconds) {
  const p = zoneParts(epochSeconds);
  return `${p.hour}:${p.minute}`;
}

function addDays(ymd, n) {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function todayInParis() {
  return parisDay(Math.floor(Date.now() / 1000));
}

// The month before today's (Paris): its label (YYYY-MM) and its last day.
function previousMonth() {
  const today = todayInParis();
  const lastDay = addDays(`${today.slice(0, 7)}-01`, -1);
  return { label: lastDay.slice(0, 7), day: lastDay };
}

// iCalendar content lines, unfolded (RFC 5545 3.1).
function icalLines(body) {
  return body.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean);
}

// The content lines of the (first) VEVENT.
function veventLines(body) {
  const lines = icalLines(body);
  const begin = lines.indexOf('BEGIN:VEVENT');
  const end = lines.indexOf('END:VEVENT');
  assert.ok(begin >= 0 && end > begin, `no VEVENT in:\n${body}`);
  return lines.slice(begin + 1, end);
}

// slot=<epoch> of a link's href.
function slotOf(href) {
  const m = /[?&]slot=(\d+)/.exec(href || '');
  assert.ok(m, `no slot= parameter in ${href}`);
  return Number(m[1]);
}

// --- pages ----------------------------------------------------------------------------------

// Runs `action` (a click, a key press...) and returns the response of the navigation it causes.
async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

// Presses Tab until `predicate(document.activeElement)` is true; returns the focused element's
// description. Fails after `max` presses.
async function tabUntil(page, predicate, what, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const ok = await page.evaluate(`(${predicate})(document.activeElement)`);
    if (ok) return page.evaluate(() => document.activeElement.outerHTML.slice(0, 300));
  }
  assert.fail(`Tab never reached ${what} after ${max} presses`);
}

async function text(page, selector) {
  return (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();
}

// Focus a field, type like a person would.
async function typeInto(page, selector, value) {
  await page.focus(selector);
  await page.keyboard.type(value);
}

// --- accessibility --------------------------------------------------------------------------

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 6).map((n) =>
      `      - ${n.target.join(' ')}\n        ${n.html}\n        ${n.summary.replace(/\n/g, '\n        ')}`);
    const more = v.nodes.length > 6 ? `\n      ... and ${v.nodes.length - 6} more` : '';
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}${more}`;
  }).join('\n');
}

// axe-core on the whole document; asserts zero violations. The page's context must be created
// with bypassCSP: true (the CSP forbids injected and inline scripts, rightly).
async function checkA11y(page, label = page.url()) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) {
    try {
      await page.addScriptTag({ path: AXE_PATH });
    } catch (e) {
      throw new Error(`could not inject axe-core into ${label} (context needs bypassCSP: true): ${e.message}`);
    }
    assert.ok(await page.evaluate(() => typeof window.axe === 'object'),
      `axe-core did not load in ${label}: is the context created with bypassCSP: true?`);
  }
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html.slice(0, 240), summary: n.failureSummary || '' })),
    }));
  }, AXE_TAGS);
  if (violations.length) {
    assert.fail(`axe-core: ${violations.length} violation(s) on ${label}:\n${formatViolations(violations)}`);
  }
}

// The page fits its viewport: no horizontal scrolling (WCAG 1.4.10 Reflow).
async function checkNoHorizontalScroll(page, label = page.url()) {
  const r = await page.evaluate(() => {
    const vw = window.innerWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const b = el.getBoundingClientRect();
      if (b.width > 0 && b.right > vw + 0.5) {
        wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''} (right edge ${Math.round(b.right)} px)`);
      }
    }
    return { vw, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8) };
  });
  assert.ok(r.scrollWidth <= r.vw,
    `${label}: horizontal scroll at ${r.vw} px wide (scrollWidth ${r.scrollWidth}); too wide: ${r.wide.join(', ')}`);
}

// One server and one browser for a test file: registers the file's before/after hooks and
// hands both to bind() once started; the server must then stop cleanly (exit 0 on SIGTERM).
function useServerAndBrowser(bind, browserArgs = [], serverArgs = []) {
  const { before, after } = require('node:test');
  let server;
  let browser;
  before(async () => {
    server = await startServer(serverArgs);
    browser = await launchBrowser(browserArgs);
    bind(server, browser);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) {
      const code = await server.stop();
      assert.equal(code, 0, 'server exits cleanly on SIGTERM');
    }
  });
}

// A locale catalogue as the server loads it.
// locales/<lang>.json with the sections of locales/<lang>/*.json.
const catalogue = (lang) => {
  const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
  const merged = read(path.join(SOURCE_DIR, 'locales', `${lang}.json`));
  const dir = path.join(SOURCE_DIR, 'locales', lang);
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort())
      Object.assign(merged, read(path.join(dir, f)));
  }
  return merged;
};

module.exports = {
  SOURCE_DIR, TIMEOUT, DESKTOP, PHONE, ZOOM_200,
  requireDep, startServer, launchBrowser, newContext, useServerAndBrowser, catalogue,
  parisDay, parisIcalTime, parisHourMinute, addDays, todayInParis, previousMonth, slotOf, icalLines, veventLines,
  navigate, tabUntil, text, typeInto,
  checkA11y, checkNoHorizontalScroll, formatViolations,
};
