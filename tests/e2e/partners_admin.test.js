'use strict';
// The partners' administration in a real browser (issue 15, partner-admin): an administrator
// creates a partner, a site, grants the label with its convention, adds an action item; a
// refused form announces its errors; axe-core finds nothing on every page at 1280 px and
// 360 px, and none scrolls sideways at 360 px.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, navigate, text,
} = require('./harness');
const { withStaffPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin@demo.visioguichet.test';

test('an administrator creates a partner, a site and a convention, and grants the label; every page passes axe-core', { timeout: 180_000 }, async () => {
  await withStaffPage(browser, server, ADMIN, { role: 'admin', name: 'Alix Admin' }, async ({ page, audit }) => {
    let res = await page.goto(server.url('/console/admin/partners'));
    assert.equal(res.status(), 200);
    await audit('partners, none yet');
    // A partner.
    await page.locator('#new-name').fill('Centre social des Près');
    await page.locator('#new-town').fill('Roubaix');
    res = await navigate(page, () => page.getByRole('button', { name: 'Créer le partenaire' }).click());
    assert.match(new URL(page.url()).pathname, /^\/console\/admin\/partners\/\d+$/);
    const partnerPath = new URL(page.url()).pathname;
    await audit('partner page, new');

    // A site.
    await navigate(page, () => page.getByRole('link', { name: 'Ajouter un site' }).click());
    await audit('new partner site');
    await page.locator('#site-name').fill('Accueil principal');
    await page.locator('#site-address').fill('12 rue des Près');
    await page.locator('#site-postcode').fill('59100');
    await page.locator('#site-town').fill('Roubaix');
    await page.locator('#site-accessibility').fill('Entrée avec rampe, boucle magnétique');
    await page.getByLabel('Accès de plain-pied (sans marche)').check();
    await page.locator('#site-equipment').fill('Deux ordinateurs, un scanner');
    await page.getByLabel('Poste de visio-accueil').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(new URL(page.url()).pathname, partnerPath);
    assert.match(await text(page, 'main'), /Accueil principal/);

    // A refused grant: its summary passes too.
    await page.locator('#grant-signed_on').fill('2026-02-30');
    res = await navigate(page, () => page.getByRole('button', { name: 'Accorder le label' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '[role=alert]'), /Date de signature/);
    await audit('grant refused');

    // The label with its convention.
    await page.locator('#grant-signed_on').fill('2026-03-15');
    await page.locator('#grant-reporting_period').selectOption('quarter');
    await page.getByLabel('Rendez-vous en visio').check();
    await page.locator('#grant-responsible_name').fill('Dominique Martin');
    await page.locator('#grant-responsible_email').fill('direction@pres.test');
    await page.locator('#grant-director_name').fill('Claude Directrice');
    res = await navigate(page, () => page.getByRole('button', { name: 'Accorder le label' }).click());
    assert.equal(new URL(page.url()).pathname, partnerPath);
    const main = await text(page, 'main');
    assert.match(main, /labellisé/);
    assert.match(main, /14 mars 20\d\d/);
    await audit('partner labelled');

    // An action item.
    await page.locator('#action-item').fill('Afficher le certificat dans le hall');
    await page.locator('#action-owner').fill('Accueil');
    await navigate(page, () => page.getByRole('button', { name: 'Ajouter', exact: true }).click());
    assert.match(await text(page, 'main'), /Afficher le certificat dans le hall/);
    await audit('partner with action plan');

    await page.goto(server.url('/console/admin/partners'));
    assert.match(await text(page, 'main'), /Centre social des Près/);
    await audit('partners list');
  });
});
