'use strict';
// One booking per intention (issue 11, point 10): a citizen who goes back after confirming and
// confirms again lands on the appointment booked the first time, with JavaScript off and on.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { useServerAndBrowser, newContext, navigate, text } = require('./harness');
const { motifByCode, weekUrl, fillDetails, submitDetails, acceptAndConfirm } = require('./flow');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

async function goBackToReview(page) {
  await page.goBack();
  // Chromium keeps no copy of a page answered to a POST with no-store: it offers to send the
  // form again, which a reload does. Either way the review page comes back.
  if (await text(page, 'h1').catch(() => '') !== 'Vérifiez et confirmez') {
    const res = await page.reload();
    assert.equal(res.status(), 200);
  }
  assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');
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
      const first = await acceptAndConfirm(page);

      // Back, confirm again: the same appointment, not a second one.
      await goBackToReview(page);
      const again = await acceptAndConfirm(page);
      assert.equal(again, first, 'the resubmission leads to the first booking');

      // Twice back (the review sent again from the details form): still the same one.
      await goBackToReview(page);
      await page.goBack();
      await goBackToReview(page).catch(async () => {
        await page.goForward();
        assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');
      });
      assert.equal(await acceptAndConfirm(page), first);

      // The management page answers for it.
      const res = await page.goto(server.url(`/manage/${first}?lang=fr`));
      assert.equal(res.status(), 200);
    } finally {
      await ctx.close();
    }
  });
}
