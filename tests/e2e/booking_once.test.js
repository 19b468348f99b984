'use strict';
// One booking per intention (issue 11, point 10): a citizen who goes back after confirming and
// confirms again lands on the appointment booked the first time, with JavaScript off and on.
// (Run against the binary of main, the second confirmation booked another agent: new token.)

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { useServerAndBrowser, newContext, navigate, text } = require('./harness');
const { tokenOf, motifByCode, weekUrl, fillDetails, submitDetails, acceptAndConfirm } = require('./flow');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// The confirm form of the review page as the browser would send it again: Chromium keeps no
// copy of a page answered to a POST with no-store (going back shows "Confirm form
// resubmission", ERR_CACHE_MISS, which Playwright cannot click through), so the test keeps
// the form's fields and sends them again from the same browser context (same cookies).
async function confirmForm(page) {
  const fields = {};
  for (const input of await page.locator('form[action$="/book/confirm"] input').all()) {
    const name = await input.getAttribute('name');
    const type = await input.getAttribute('type');
    if (type === 'checkbox') fields[name] = 'yes';
    else fields[name] = await input.getAttribute('value') || '';
  }
  assert.match(fields.booking_key, /^[A-Za-z0-9_-]{43}$/, 'the form carries a single-use key');
  return { action: server.url(await page.locator('form[action$="/book/confirm"]').getAttribute('action')), fields };
}

async function sendAgain(page, form) {
  const res = await page.request.post(form.action, { form: form.fields, maxRedirects: 0 });
  assert.equal(res.status(), 303, await res.text());
  const location = res.headers().location;
  await page.goto(server.url(location));
  return tokenOf(page.url());
}

for (const js of [false, true]) {
  test(`confirming again after going back shows the first booking (JavaScript ${js ? 'on' : 'off'})`, { timeout: 90_000 }, async () => {
    const motif = await motifByCode(server, 'online_help');
    const ctx = await newContext(browser, { javaScriptEnabled: js });
    const page = await ctx.newPage();
    try {
      await page.goto(weekUrl(server, motif.id, null, 'video'));
      await navigate(page, () => page.locator('a.slot').nth(js ? 1 : 0).click());
      assert.equal(await text(page, 'h1'), 'Vos coordonnées');
      await fillDetails(page, { first_name: 'Inès', last_name: js ? 'Deux-Fois' : 'Retour', email: 'ines@example.org' });
      assert.equal((await submitDetails(page)).status(), 200);
      const form = await confirmForm(page);
      const first = await acceptAndConfirm(page);

      // Back, confirm again: the same appointment, not a second one.
      assert.equal(await sendAgain(page, form), first, 'the resubmission leads to the first booking');
      assert.equal(await text(page, '.success h1'), 'Votre rendez-vous est confirmé');
      assert.equal(await sendAgain(page, form), first);
      // The key once used for another request (other details): "already booked", nothing more.
      const other = { action: form.action, fields: { ...form.fields, last_name: 'Autre' } };
      const res = await page.request.post(other.action, { form: other.fields, maxRedirects: 0 });
      assert.equal(res.status(), 409);
      assert.match(await res.text(), /déjà réservé/);

      // The management page answers for it.
      const manage = await page.goto(server.url(`/manage/${first}?lang=fr`));
      assert.equal(manage.status(), 200);
    } finally {
      await ctx.close();
    }
  });
}
