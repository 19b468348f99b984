'use strict';
// What the staff browser tests share: accounts set up with the command line, sign-in, the
// second factor's codes (computed here from the secret the enrolment page shows as text),
// and the accessibility checks each console page gets at both widths.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const { DESKTOP, PHONE, navigate, checkA11y, checkNoHorizontalScroll } = require('./harness');

// A password the policy accepts (long, not guessable).
const PASSWORD = 'tulipe-gravier-Orbite-93';

// RFC 6238 with SHA-1, 30 s steps, 6 digits, from the base32 secret the page shows.
function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = crypto.createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// `visioguichet ARGS --db <the test server's database>`, which must succeed.
function cli(server, args, input = '') {
  const r = spawnSync(process.env.VG_BINARY, [...args, '--db', server.db], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

// An account with a password, optionally added to the demo organisation with a role first.
function account(server, email, { role, name, password = PASSWORD } = {}) {
  if (role) cli(server, ['user', 'add', '--org', 'demo', '--email', email, '--role', role, ...(name ? ['--name', name] : [])]);
  cli(server, ['user', 'password', '--email', email], `${password}\n`);
}

async function signIn(page, server, email, password = PASSWORD) {
  await page.goto(server.url('/login'));
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  return navigate(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
}

// Sets up the second factor on its page (required at sign-in, or chosen by an agent).
async function enrol(page) {
  assert.equal(new URL(page.url()).pathname, '/console/totp');
  const secret = (await page.locator('code.secret').innerText()).trim();
  await page.getByLabel(/Code à 6 chiffres/).fill(totp(secret));
  const res = await navigate(page, () => page.getByRole('button', { name: 'Activer' }).click());
  assert.equal(res.status(), 200);
  return res;
}

// axe-core at 1280 px and 360 px, and no sideways scrolling at 360 px (the context must
// bypass CSP: axe-core is injected).
async function audit(page, name) {
  try {
    await page.setViewportSize(DESKTOP);
    await checkA11y(page, `${name} at ${DESKTOP.width} px`);
    await page.setViewportSize(PHONE);
    await checkA11y(page, `${name} at ${PHONE.width} px`);
    await checkNoHorizontalScroll(page, `${name} at ${PHONE.width} px`);
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

// Runs fn({ page, audit }) in a new browser context (CSP bypassed for axe-core) signed in as a
// new member with this role, the second factor enrolled first when the role requires it;
// closes the context afterwards, whatever happens.
async function withStaffPage(browser, server, email, { role, name }, fn) {
  const { newContext } = require('./harness');
  account(server, email, { role, name });
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  try {
    await signIn(page, server, email);
    if (new URL(page.url()).pathname === '/console/totp') await enrol(page);
    return await fn({ page, audit: (title) => audit(page, title) });
  } finally {
    await ctx.close();
  }
}

module.exports = { PASSWORD, totp, cli, account, signIn, enrol, audit, withStaffPage };
