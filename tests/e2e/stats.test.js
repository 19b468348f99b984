'use strict';
// Statistics in a real browser (issue 14): the console's statistics page, the administration
// of the public figures page (choose figures, type the week's processing delays, a refused
// date announced) and the public page /demo/chiffres, signed out and without script; axe-core
// finds nothing on any of them at 1280 px and 360 px and none scrolls sideways.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { useServerAndBrowser, newContext, navigate, text, addDays, todayInParis } = require('./harness');
const { account, signIn, enrol, audit } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin@demo.visioguichet.test';

function mondayInParis() {
  const today = todayInParis();
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(today, -weekday);
}

test('statistics, the public figures administration and the public page pass axe-core', { timeout: 180_000 }, async () => {
  account(server, ADMIN, { role: 'admin' });
  const ctx = await newContext(browser, { bypassCSP: true, javaScriptEnabled: true });
  const page = await ctx.newPage();
  try {
    await signIn(page, server, ADMIN);
    await enrol(page);

    let res = await page.goto(server.url('/console/stats'));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Statistiques');
    await audit(page, 'statistics');

    res = await page.goto(server.url('/console/admin/figures'));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Chiffres publics');
    await audit(page, 'public figures administration');

    await page.getByLabel('Rendez-vous tenus').check();
    await page.getByLabel('Satisfaction').check();
    await page.getByLabel('Délais de traitement de la semaine').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer le choix' }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, '[role=status]'), /enregistr/i);

    // A refused line: its first date after the second.
    const monday = mondayInParis();
    const line = page.getByRole('group', { name: 'Ligne 1' });
    await line.getByLabel(/Type de demande – Français/).fill('les courriels');
    await line.getByLabel('Arrivées à partir du').fill(addDays(monday, -10));
    await line.getByLabel('Jusqu\'au').fill(addDays(monday, -15));
    res = await navigate(page, () => page.getByRole('button', { name: 'Publier les délais' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '.error-summary'), /La première date doit précéder la seconde/);
    assert.equal(await page.locator('#from_1').getAttribute('aria-invalid'), 'true');
    await audit(page, 'public figures administration, refused');

    await page.locator('#from_1').fill(addDays(monday, -20));
    res = await navigate(page, () => page.getByRole('button', { name: 'Publier les délais' }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, 'main'), /Semaines précédentes/);
    assert.equal(await page.locator('table.figures-table caption').count(), 1);
    await audit(page, 'public figures administration, with history');
  } finally {
    await ctx.close();
  }

  // The public page, signed out.
  const pub = await newContext(browser, { bypassCSP: true }); // axe-core is injected; the page has no script of its own
  const citizen = await pub.newPage();
  try {
    let res = await citizen.goto(server.url('/demo/'));
    assert.equal(res.status(), 200);
    res = await navigate(citizen, () => citizen.getByRole('link', { name: 'Nos chiffres et délais de traitement' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(citizen.url()).pathname, '/demo/chiffres');
    assert.equal(await text(citizen, 'h1'), 'Nos chiffres');
    const captions = await citizen.locator('caption').allInnerTexts();
    assert.equal(captions.length, 2, captions.join(' | '));
    assert.match(await text(citizen, 'main'), /les courriels/);
    assert.equal(await citizen.locator('th[scope=row]', { hasText: 'Rendez-vous tenus' }).count(), 1);
    assert.equal(await citizen.locator('th[scope=row]', { hasText: 'Part des rendez-vous en visio' }).count(), 0);
    await audit(citizen, 'public figures');
    res = await citizen.goto(server.url('/demo/figures'));
    assert.equal(res.status(), 200);
    assert.equal(await text(citizen, 'h1'), 'Our figures');
    await audit(citizen, 'public figures in English');
  } finally {
    await pub.close();
  }
});
