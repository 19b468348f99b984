'use strict';
// A partner site's opening hours and the public list in a real browser (issue 15,
// partner-hours): an administrator types a site's weekly hours (labelled inputs, no script),
// sees a refused line announced, adds a closure; the public page /demo/points-numeriques lists
// the labelled site. axe-core finds nothing on these pages at 1280 px and 360 px, and none
// scrolls sideways at 360 px.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { useServerAndBrowser, newContext, navigate, text, addDays, todayInParis } = require('./harness');
const { account, cli, signIn, enrol, audit: auditPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin@demo.visioguichet.test';

test('an administrator sets a partner site\'s hours; the public list passes axe-core', { timeout: 180_000 }, async () => {
  account(server, ADMIN, { role: 'admin', name: 'Alix Admin' });
  const partner = cli(server, ['partner', 'create', '--org', 'demo', '--name', 'Médiathèque de Lens']).trim();
  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  try {
    await signIn(page, server, ADMIN);
    await enrol(page);
    await page.goto(server.url(`/console/admin/partners/${partner}/sites/new`));
    await page.locator('#site-name').fill('Espace numérique');
    await page.locator('#site-address').fill('3 place Jean Jaurès');
    await page.locator('#site-postcode').fill('62300');
    await page.locator('#site-town').fill('Lens');
    await page.locator('#site-accessibility').fill('Ascenseur, boucle magnétique');
    await page.getByLabel('Accès de plain-pied (sans marche)').check();
    await page.locator('#site-equipment').fill('Quatre ordinateurs, une imprimante');
    await page.getByLabel('Poste de visio-accueil').check();
    await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    await navigate(page, () => page.getByRole('link', { name: 'Espace numérique' }).click());
    assert.match(new URL(page.url()).pathname, /\/sites\/\d+$/);
    await audit('partner site with no hours');

    // A refused line, announced in the summary and at the line.
    await page.getByLabel('Lundi, plage 1, Ouverture').fill('9h');
    await page.getByLabel('Lundi, plage 1, Fermeture').fill('12:00');
    let res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer les horaires' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '.error-summary'), /Heure attendue au format HH:MM/);
    assert.equal(await page.getByLabel('Lundi, plage 1, Ouverture').getAttribute('aria-invalid'), 'true');
    await audit('partner site hours refused');

    // Four mornings and a Monday afternoon.
    for (const day of ['Lundi', 'Mardi', 'Mercredi', 'Jeudi']) {
      await page.getByLabel(`${day}, plage 1, Ouverture`).fill('09:00');
      await page.getByLabel(`${day}, plage 1, Fermeture`).fill('12:00');
    }
    await page.getByLabel('Lundi, plage 2, Ouverture').fill('14:00');
    await page.getByLabel('Lundi, plage 2, Fermeture').fill('17:00');
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer les horaires' }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, '#hours-compliance'), /Respecté/);
    const closed = addDays(todayInParis(), 3);
    await page.locator('#phc-from').fill(closed);
    await page.locator('#phc-reason').fill('Inventaire');
    await navigate(page, () => page.getByRole('button', { name: 'Ajouter la fermeture' }).click());
    assert.match(await text(page, 'main'), /Inventaire/);
    await audit('partner site with hours and a closure');

    // The label, then the public list, signed out.
    await page.goto(server.url(`/console/admin/partners/${partner}`));
    await page.locator('#grant-signed_on').fill('2026-01-15');
    await navigate(page, () => page.getByRole('button', { name: 'Accorder le label' }).click());
  } finally {
    await ctx.close();
  }
  const pub = await newContext(browser, { bypassCSP: true });
  const citizen = await pub.newPage();
  try {
    const res = await citizen.goto(server.url('/demo/points-numeriques'));
    assert.equal(res.status(), 200);
    assert.equal(await text(citizen, 'h1'), 'Points numériques Caf');
    const main = await text(citizen, 'main');
    assert.match(main, /Espace numérique/);
    assert.match(main, /09:00–12:00, 14:00–17:00/);
    assert.match(main, /Inventaire/);
    await auditPage(citizen, 'public list of partner sites');
    await citizen.goto(server.url('/demo/digitale-punten'));
    assert.equal(await text(citizen, 'h1'), 'Digitale punten van de Caf');
    await auditPage(citizen, 'public list in Dutch');
  } finally {
    await pub.close();
  }
});
