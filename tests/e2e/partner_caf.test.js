'use strict';
// The organisation's overview of its partners in a real browser (issue 15, partner-caf): an
// administrator grants a label (reports overdue since), opens /console/partners from the
// console and follows the partner to its reports over time; axe-core finds nothing at 1280 px and 360 px, and neither page
// scrolls sideways at 360 px.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, navigate, text, todayInParis, addDays,
} = require('./harness');
const { cli, withStaffPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('the CAF reads every partner and one partner\'s reports; both pages pass axe-core', { timeout: 180_000 }, async () => {
  const id = cli(server, ['partner', 'create', '--org', 'demo', '--name', 'Centre social des Près', '--town', 'Roubaix']).trim();
  cli(server, ['partner', 'create', '--org', 'demo', '--name', 'Médiathèque Jean Macé', '--town', 'Lille']);
  await withStaffPage(browser, server, 'admin@demo.visioguichet.test', { role: 'admin', name: 'Alix Admin' }, async ({ page, audit }) => {
    // The label, signed some months ago: monthly reports are overdue since.
    await page.goto(server.url(`/console/admin/partners/${id}`));
    await page.locator('#grant-signed_on').fill(addDays(todayInParis(), -200));
    await navigate(page, () => page.getByRole('button', { name: 'Accorder le label' }).click());
    assert.match(await text(page, 'main'), /labellisé/);
    await page.goto(server.url('/console/'));
    let res = await navigate(page, () => page.getByRole('link', { name: 'Partenaires (vue d’ensemble)' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/console/partners');
    const main = await text(page, 'main');
    assert.match(main, /Centre social des Près/);
    assert.match(main, /Médiathèque Jean Macé/);
    assert.match(main, /aucun lieu/);
    await audit('partners overview');
    res = await navigate(page, () => page.getByRole('link', { name: 'Centre social des Près' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/console/partners/${id}`);
    assert.match(await text(page, 'main'), /en retard, non remis/);
    await audit('partner reports over time');
  });
});
