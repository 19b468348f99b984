'use strict';
// The partner's own screens in a real browser (issue 15, partner-screens): a partner helper
// signs in and lands on /partner/, logs three visits by keyboard (the Annexe 2 form), opens
// the month's report and submits it; the CAF's administrator reads it. axe-core finds nothing
// on every partner page at 1280 px and 360 px, and none scrolls sideways at 360 px.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, tabUntil, todayInParis, addDays, previousMonth,
} = require('./harness');
const { account, cli, signIn, enrol, audit: auditPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin@demo.visioguichet.test';
const HELPER = 'aide@mairie-roubaix.test';

// One visit by keyboard: Tab into each radio group, Space picks the first answer and each
// ArrowDown the next one; Space ticks the grid's first box; Enter on the button records it.
async function logVisit(page, variant) {
  await tabUntil(page, (el) => el.name === 'sex', 'the first question');
  for (let group = 0; group < 5; group++) {
    if (group > 0) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    for (let i = 0; i < variant; i++) await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.value), 'simulation:information');
  await page.keyboard.press('Space');
  await tabUntil(page, (el) => el.type === 'submit' && !!el.closest('form.partner-visit'), 'the record button', 120);
  const res = await navigate(page, () => page.keyboard.press('Enter'));
  assert.equal(res.status(), 200);
  assert.match(await text(page, '[role=status]'), /Visite enregistrée/);
}

test('a partner helper logs three visits and submits the month\'s report; the CAF reads it; every page passes axe-core', { timeout: 240_000 }, async () => {
  const partner = cli(server, ['partner', 'create', '--org', 'demo', '--name', 'Mairie de Roubaix', '--town', 'Roubaix']).trim();
  account(server, ADMIN, { role: 'admin', name: 'Alix Admin' });
  cli(server, ['user', 'add', '--org', 'demo', '--email', HELPER, '--role', 'partner', '--partner', partner, '--name', 'Camille Aide']);
  cli(server, ['user', 'password', '--email', HELPER], 'tulipe-gravier-Orbite-93\n');
  const { label, day } = previousMonth();

  // The CAF: a site and the label, signed some months ago, monthly reports.
  const adminCtx = await newContext(browser, { bypassCSP: true });
  const admin = await adminCtx.newPage();
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  try {
    await signIn(admin, server, ADMIN);
    await enrol(admin);
    await admin.goto(server.url(`/console/admin/partners/${partner}/sites/new`));
    await admin.locator('#site-name').fill('Accueil mairie');
    await admin.locator('#site-town').fill('Roubaix');
    await navigate(admin, () => admin.getByRole('button', { name: 'Enregistrer' }).click());
    await admin.locator('#grant-signed_on').fill(addDays(todayInParis(), -200));
    await admin.locator('#grant-director_name').fill('Claude Directrice');
    await navigate(admin, () => admin.getByRole('button', { name: 'Accorder le label' }).click());
    assert.match(await text(admin, 'main'), /labellisé/);

    // The helper signs in at the console's sign-in and lands on the partner's home.
    await signIn(page, server, HELPER);
    assert.equal(new URL(page.url()).pathname, '/partner/');
    const home = await text(page, 'main');
    assert.match(home, /Mairie de Roubaix/);
    assert.match(home, /Accueil mairie/);
    assert.match(home, /labellisé/);
    await audit('partner home');
    const pdf = await ctx.request.get(server.url('/partner/certificate.pdf'));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');

    // Three visits of last month's last day, by keyboard.
    await navigate(page, () => page.getByRole('link', { name: 'Enregistrer une visite' }).first().click());
    await audit('visit form');
    // A refused visit: its summary and kept answers pass too.
    await page.locator('#visit-age_band-over_60').check();
    let res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer la visite' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '[role=alert]'), /Cochez au moins une case/);
    assert.equal(await page.locator('#visit-age_band-over_60').isChecked(), true);
    await audit('visit refused');
    await page.goto(server.url('/partner/visits/new'));
    await page.locator('#visit-day').fill(day);
    await logVisit(page, 0);
    assert.equal(await page.locator('#visit-day').inputValue(), day); // the day stays
    await audit('visit recorded');
    await logVisit(page, 1);
    await logVisit(page, 2);

    // The month's report: three visits, submitted with a comment.
    await page.goto(server.url(`/partner/reports/${label}`));
    assert.match(await text(page, '.partner-report-total'), /3/);
    await audit('report to submit');
    await page.getByLabel('Commentaire').fill('Trois personnes accompagnées');
    res = await navigate(page, () => page.getByRole('button', { name: 'Transmettre le bilan à la Caf' }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, 'main'), /Bilan transmis à la Caf/);
    await audit('report submitted');

    // The CAF reads it.
    res = await admin.goto(server.url(`/console/admin/partners/${partner}/reports/${label}`));
    assert.equal(res.status(), 200);
    const main = await text(admin, 'main');
    assert.match(main, /Trois personnes accompagnées/);
    assert.match(await text(admin, '.partner-report-total'), /3/);
    await auditPage(admin, 'report read by the CAF');
  } finally {
    await ctx.close();
    await adminCtx.close();
  }
});
