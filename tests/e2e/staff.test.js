'use strict';
// Staff sign-in in a real browser: /login, the console's entrance, the optional second
// factor's enrolment (QR code drawn by the server, code computed here from the secret shown
// as text) and the recovery codes; axe-core finds nothing on any of these pages at 1280 px
// and 360 px, and none scrolls sideways at 360 px.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text,
} = require('./harness');
const { PASSWORD, totp, account, audit: auditPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const AGENT = 'agent1@demo.visioguichet.test';


test('an agent signs in, reaches the console, turns on two-step verification; every page passes axe-core', { timeout: 120_000 }, async () => {
  account(server, AGENT);

  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  try {
    // Signed out, the console sends to /login.
    let res = await page.goto(server.url('/console/'));
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.locator('h1').innerText(), 'Connexion des agents');
    await audit('login');

    // A wrong password: the error is announced, the page still passes.
    await page.getByLabel('Adresse e-mail').fill(AGENT);
    await page.getByLabel('Mot de passe').fill('not-the-password');
    res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
    assert.equal(res.status(), 401);
    assert.match(await text(page, '[role=alert]'), /Adresse e-mail ou mot de passe incorrect/);
    await audit('login refused');

    await page.getByLabel('Mot de passe').fill(PASSWORD);
    res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/console/');
    const body = await text(page, 'main');
    assert.match(body, /Camille Martin/);
    assert.match(body, /Caf de démonstration/);
    const cookies = await ctx.cookies();
    const staff = cookies.find((c) => c.name === 'vg_staff');
    assert.ok(staff && staff.httpOnly && staff.sameSite === 'Lax', JSON.stringify(cookies));
    await audit('console');

    // The optional second factor: QR code and secret as text, then ten recovery codes.
    res = await navigate(page, () => page.getByRole('link', { name: 'Vérification en deux étapes' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('svg.qr[role=img]').count(), 1);
    await audit('two-step enrolment');
    const secret = (await page.locator('code.secret').innerText()).trim();
    await page.getByLabel(/Code à 6 chiffres/).fill('000000' === totp(secret) ? '111111' : '000000');
    res = await navigate(page, () => page.getByRole('button', { name: 'Activer' }).click());
    assert.equal(res.status(), 422);
    assert.equal((await page.locator('code.secret').innerText()).trim(), secret, 'the same secret again');
    await audit('two-step enrolment, wrong code');
    await page.getByLabel(/Code à 6 chiffres/).fill(totp(secret));
    res = await navigate(page, () => page.getByRole('button', { name: 'Activer' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('.recovery-codes li').count(), 10);
    await audit('recovery codes');

    // Signing out everywhere; signing in again now asks for the code.
    await navigate(page, () => page.getByRole('link', { name: 'Continuer vers la console' }).click());
    res = await navigate(page, () => page.getByRole('button', { name: 'Se déconnecter de tous les appareils' }).click());
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByLabel('Adresse e-mail').fill(AGENT);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
    assert.equal(new URL(page.url()).pathname, '/login/totp');
    await audit('second factor');
  } finally {
    await ctx.close();
  }
});
