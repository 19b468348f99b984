'use strict';
// Issue 11, point 21: "send me my link again", reached from the organisation page and from an
// invalid link, used without JavaScript; axe-core finds nothing at 1280 px and 360 px on the
// form, the form with an error and the answer.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  DESKTOP, PHONE, useServerAndBrowser, newContext, navigate, text, checkA11y,
  checkNoHorizontalScroll, todayInParis,
} = require('./harness');
const { motifByCode, bookViaApi } = require('./flow');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('point 21: the resend form, without JavaScript, reachable and accessible', { timeout: 120_000 }, async () => {
  const motif = await motifByCode(server, 'birth');
  await bookViaApi(server, motif.id, todayInParis(),
    { first_name: 'Nora', last_name: 'Petit', email: 'nora.petit@example.org' });
  const sendButton = (page) => page.getByRole('button', { name: 'Envoyer mon lien' });

  // Without JavaScript: found from an invalid link and from the organisation page, refused
  // empty, then sent.
  const plain = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await plain.newPage();
    let res = await page.goto(server.url(`/manage/${'A'.repeat(43)}`));
    assert.equal(res.status(), 404);
    res = await navigate(page, () => page.getByRole('link', { name: 'Recevoir à nouveau mon lien' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/demo/resend');
    assert.equal(await text(page, 'h1'), 'Recevoir à nouveau mon lien');

    await page.goto(server.url('/demo/'));
    res = await navigate(page, () => page.getByRole('link', { name: 'Recevoir à nouveau mon lien' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/demo/resend');

    res = await navigate(page, () => sendButton(page).click());
    assert.equal(res.status(), 400);
    assert.equal(await page.locator('#error-summary').count(), 1);
    assert.equal(await page.locator('#contact').getAttribute('aria-invalid'), 'true');

    await page.fill('#contact', 'Nora.Petit@example.org');
    res = await navigate(page, () => sendButton(page).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).search, '?sent=1&lang=fr');
    assert.match(await text(page, '[role="status"]'), /Demande reçue/);
  } finally {
    await plain.close();
  }

  // axe-core (which needs JavaScript) on the same three pages.
  const ctx = await newContext(browser, { bypassCSP: true });
  try {
    const page = await ctx.newPage();
    const audit = async (name) => {
      for (const size of [DESKTOP, PHONE]) {
        await page.setViewportSize(size);
        await checkA11y(page, `${name} at ${size.width} px`);
      }
      await checkNoHorizontalScroll(page, `${name} at ${PHONE.width} px`);
      await page.setViewportSize(DESKTOP);
    };
    await page.goto(server.url('/demo/resend?lang=fr'));
    await audit('resend form');
    const res = await navigate(page, () => sendButton(page).click());
    assert.equal(res.status(), 400);
    await audit('resend form with an error');
    await page.goto(server.url('/demo/resend?sent=1&lang=fr'));
    await audit('resend answer');
  } finally {
    await ctx.close();
  }
});
