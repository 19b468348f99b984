'use strict';
// Citizen pages around the booking: the device test (branding, speaker check, no-camera
// advice), the favicon, and the week navigation on phones.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  DESKTOP, PHONE, useServerAndBrowser, newContext, navigate, text, addDays, todayInParis,
} = require('./harness');
const { motifByCode, bookViaApi, weekUrl } = require('./flow');

let server;
let browser;
// A fake camera and microphone, allowed without asking.
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
}, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);

const ORG_NAME = 'Caf de démonstration';

test('device test: branded, linked from the management page, "it works" only once the sound was heard', { timeout: 90_000 }, async () => {
  const motif = await motifByCode(server, 'online_help');
  const { token } = await bookViaApi(server, motif.id, addDays(todayInParis(), 5));
  const ctx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  const page = await ctx.newPage();
  try {
    await page.goto(server.url(`/manage/${token}?lang=fr`));
    const link = page.getByRole('link', { name: 'Tester ma caméra, mon micro et le son' });
    assert.equal(await link.getAttribute('href'), '/demo/device-test?lang=fr');
    const res = await navigate(page, () => link.click());
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Tester ma caméra, mon micro et le son');
    // The organisation's branding: its name in the header and its colours.
    assert.equal(await text(page, '.site-header .brand'), ORG_NAME);
    assert.equal(await page.locator('link[href="/demo/brand.css"]').count(), 1);

    const result = page.locator('[data-result]');
    await page.getByRole('button', { name: 'Lancer le test' }).click();
    await page.waitForFunction(() => document.querySelector('[data-media-status]').textContent !== '');
    assert.match(await text(page, '[data-media-status]'), /La caméra et le micro répondent/);
    assert.equal(await result.isVisible(), false, 'camera alone is not "everything works"');

    await page.getByRole('button', { name: 'Jouer un son de test' }).click();
    assert.equal(await page.locator('[data-device-test]').getAttribute('data-tone-played'), '1');
    await page.getByRole('button', { name: 'Non, je n\'ai rien entendu' }).click();
    assert.match(await text(page, '[data-sound-status]'), /montez le volume/);
    assert.equal(await result.isVisible(), false, 'not heard: no "everything works"');
    await page.getByRole('button', { name: 'Oui, je l\'ai entendu' }).click();
    assert.equal(await result.isVisible(), true);
    assert.equal(await text(page, '[data-result]'), 'Tout fonctionne : vous êtes prêt pour votre rendez-vous vidéo.');
  } finally {
    await ctx.close();
  }
});

test('device test without a camera: says so and gives advice, never "it works"', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  // A device without a camera: video requests fail as browsers make them fail.
  await ctx.addInitScript(() => {
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (c) => (c && c.video
      ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError'))
      : original(c));
  });
  const page = await ctx.newPage();
  try {
    await page.goto(server.url('/demo/device-test?lang=en'));
    await page.getByRole('button', { name: 'Start the test' }).click();
    await page.waitForFunction(() => document.querySelector('[data-media-status]').textContent !== '');
    assert.equal(await text(page, '[data-media-status]'), 'No camera was found on this device.');
    const advice = page.getByRole('region', { name: 'No camera?' });
    assert.equal(await advice.isVisible(), true);
    assert.match(await text(page, '[data-no-camera-advice]'), /smartphone or tablet/);
    assert.match(await text(page, '[data-no-camera-advice]'), /phone appointment/);
    await page.getByRole('button', { name: 'Play a test sound' }).click();
    await page.getByRole('button', { name: 'Yes, I heard it' }).click();
    assert.equal(await page.locator('[data-result]').isVisible(), false, 'no camera: not ready');
  } finally {
    await ctx.close();
  }
});

test('favicon: every page names an icon that exists, and /favicon.ico is that icon', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    const failed = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(server.url('/demo/?lang=fr'));
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    const icon = await server.api(href);
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get('content-type'), /^image\//);
    const ico = await fetch(server.url('/favicon.ico'), { redirect: 'manual' });
    assert.equal(ico.status, 200, 'no redirect');
    assert.match(ico.headers.get('content-type'), /^image\//);
    assert.equal(await ico.text(), icon.text);
    assert.deepEqual(failed, []);
  } finally {
    await ctx.close();
  }
});

test('week view on a phone: navigation also below the list; never a previous week before the first free slot', { timeout: 60_000 }, async () => {
  const motif = await motifByCode(server, 'online_help');
  const ctx = await newContext(browser, { viewport: PHONE });
  const page = await ctx.newPage();
  try {
    await page.goto(weekUrl(server, motif.id));
    const bottom = page.locator('nav.week-nav-bottom');
    assert.equal(await bottom.isVisible(), true, 'bottom navigation on a phone');
    const list = await page.locator('.week').boundingBox();
    const nav = await bottom.boundingBox();
    assert.ok(nav.y >= list.y + list.height, 'below the list of days');
    // The first week shown holds the first free slot: nothing to go back to.
    assert.equal(await page.getByRole('link', { name: /Semaine précédente/ }).count(), 0);
    const next = bottom.getByRole('link', { name: /Semaine suivante/ });
    const firstWeek = page.url();
    await navigate(page, () => next.click());
    assert.equal(await page.getByRole('link', { name: /Semaine précédente/ }).count(), 2, 'top and bottom');
    await navigate(page, () => bottom.getByRole('link', { name: /Semaine précédente/ }).click());
    assert.equal(await text(page, '.week-nav .week-label'), await (async () => {
      const p2 = await ctx.newPage();
      await p2.goto(firstWeek);
      const label = await text(p2, '.week-nav .week-label');
      await p2.close();
      return label;
    })());
    // On a wide screen the list is short enough: one navigation.
    await page.setViewportSize(DESKTOP);
    assert.equal(await bottom.isVisible(), false);
  } finally {
    await ctx.close();
  }
});
