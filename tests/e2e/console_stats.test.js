'use strict';
// The statistics page in a real browser (issue 14): an administrator, signed in with the
// second factor, opens /console/stats, sees a booking made a moment before, filters by
// channel with the plain form (no script needed); axe-core finds nothing at 1280 px and
// 360 px and the page does not scroll sideways.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { useServerAndBrowser, newContext, navigate, addDays, todayInParis } = require('./harness');
const { account, signIn, enrol, audit } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin@demo.visioguichet.test';

test('an administrator reads the statistics, live, filtered without script', { timeout: 180_000 }, async () => {
  account(server, ADMIN, { role: 'admin' });
  const motif = (await server.motifs()).find((m) => m.channels.includes('video'));
  const slot = (await server.slots(motif.id, 'video', addDays(todayInParis(), 1), addDays(todayInParis(), 20)))[0];
  const terms = (await server.api('/api/v1/orgs/demo/terms')).json.version;
  const r = await server.api('/api/v1/orgs/demo/appointments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      motif: motif.id, channel: 'video', start: slot.start, site: slot.site.id,
      citizen: { first_name: 'Camille', last_name: 'Test', email: 'camille@example.org' },
      accept_terms: true, terms_version: terms,
    }),
  });
  assert.equal(r.status, 201, r.text);

  const ctx = await newContext(browser, { bypassCSP: true, javaScriptEnabled: true });
  const page = await ctx.newPage();
  try {
    await signIn(page, server, ADMIN);
    await enrol(page);
    let res = await page.goto(server.url('/console/stats'));
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Statistiques');
    const bookings = page.locator('.stats-headline', { hasText: 'Rendez-vous pris' }).locator('.stats-number');
    assert.equal(await bookings.innerText(), '1');
    await audit(page, 'statistics');
    await page.getByLabel('Mode').selectOption('phone');
    res = await navigate(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    assert.equal(res.status(), 200);
    assert.match(page.url(), /channel=phone/);
    assert.equal(await bookings.innerText(), '0');
  } finally {
    await ctx.close();
  }
});
