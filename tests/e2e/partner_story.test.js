'use strict';
// The partner's whole story in a real browser (issue 15): the CAF opens a motif to partners
// and gives the partner a site with a video desk and the label; a partner helper signs in,
// books a video appointment for a citizen at the partner's desk (motif, place, a slot link,
// the person's details, without JavaScript of our own), finds it among the partner's
// bookings, logs three visits and submits last month's report; the CAF's administrator reads
// the report. axe-core finds nothing on every partner page at 1280 px and 360 px.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, todayInParis, addDays, slotOf, parisDay, previousMonth,
} = require('./harness');
const { account, cli, signIn, enrol, audit: auditPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin@demo.visioguichet.test';
const HELPER = 'aide@centre-social.test';

// One visit with the mouse: the first answer of each question, one box of the grid.
async function logVisit(page, day) {
  await page.goto(server.url('/partner/visits/new'));
  await page.locator('#visit-day').fill(day);
  for (const name of ['sex', 'age_band', 'allocataire', 'autonomy', 'resolved']) {
    await page.locator(`input[name=${name}]`).first().check();
  }
  await page.locator('input[name=cell]').first().check();
  const res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer la visite' }).click());
  assert.equal(res.status(), 200);
  assert.match(await text(page, '[role=status]'), /Visite enregistrée/);
}

test('a partner helper books at its video desk, logs three visits and submits the report; the CAF reads it; every page passes axe-core', { timeout: 300_000 }, async () => {
  const partner = cli(server, ['partner', 'create', '--org', 'demo', '--name', 'Centre social Nord', '--town', 'Lille']).trim();
  account(server, ADMIN, { role: 'admin', name: 'Alix Admin' });
  cli(server, ['user', 'add', '--org', 'demo', '--email', HELPER, '--role', 'partner', '--partner', partner, '--name', 'Dominique Aide']);
  cli(server, ['user', 'password', '--email', HELPER], 'tulipe-gravier-Orbite-93\n');
  const { label, day } = previousMonth();

  const adminCtx = await newContext(browser, { bypassCSP: true });
  const admin = await adminCtx.newPage();
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  try {
    // The CAF: a video motif opened to partners, a site with a video desk, the label.
    await signIn(admin, server, ADMIN);
    await enrol(admin);
    const motifs = await (await adminCtx.request.get(server.url('/api/v1/orgs/demo/motifs'))).json();
    const motif = motifs.motifs.find((m) => m.channels.includes('video'));
    assert.ok(motif, 'a video motif');
    await admin.goto(server.url(`/console/admin/motifs/${motif.id}`));
    await admin.locator('#open_to_partners').check();
    let res = await navigate(admin, () => admin.locator('main form button[type=submit]').last().click());
    assert.equal(res.status(), 200);
    await admin.goto(server.url(`/console/admin/partners/${partner}/sites/new`));
    await admin.locator('#site-name').fill('Poste visio du centre');
    await admin.locator('#site-town').fill('Lille');
    await admin.locator('#site-video_desk').check();
    await navigate(admin, () => admin.getByRole('button', { name: 'Enregistrer' }).click());
    await admin.locator('#grant-signed_on').fill(addDays(todayInParis(), -200));
    await admin.locator('#grant-director_name').fill('Claude Directrice');
    await navigate(admin, () => admin.getByRole('button', { name: 'Accorder le label' }).click());
    assert.match(await text(admin, 'main'), /labellisé/);

    // The helper signs in and books for a citizen at the partner's video desk.
    await signIn(page, server, HELPER);
    assert.equal(new URL(page.url()).pathname, '/partner/');
    await audit('partner home');
    await navigate(page, () => page.getByRole('link', { name: 'Rendez-vous pris' }).first().click());
    assert.match(await text(page, 'main'), /Vous n'avez pris aucun rendez-vous/);
    await audit('bookings, none yet');
    await navigate(page, () => page.getByRole('link', { name: 'Prendre un rendez-vous pour une personne' }).click());
    await audit('booking: motif and place');
    await page.locator('#motif').selectOption(String(motif.id));
    await page.locator('#place').selectOption({ label: 'En visio à notre poste : Poste visio du centre' });
    await navigate(page, () => page.getByRole('button', { name: 'Voir les créneaux' }).click());
    await audit('booking: the week');
    const link = page.locator('a.slot').first();
    const slot = slotOf(await link.getAttribute('href'));
    await navigate(page, () => link.click());
    await audit('booking: the details');
    // Refused first (no contact, terms not ticked): the summary and the values kept pass too.
    await page.locator('#first_name').fill('Jeanne');
    await page.locator('#last_name').fill('Martin');
    res = await navigate(page, () => page.getByRole('button', { name: 'Réserver' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('#first_name').inputValue(), 'Jeanne');
    await audit('booking refused');
    await page.locator('#email').fill('jeanne.martin@example.org');
    await page.locator('#accept_terms').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Réserver' }).click());
    assert.equal(res.status(), 201);
    const done = await text(page, 'main');
    assert.match(done, /Jeanne Martin/);
    assert.match(done, /Poste visio du centre/);
    await audit('booking done');
    await navigate(page, () => page.locator('main a.button', { hasText: 'Rendez-vous pris' }).click());
    const list = await text(page, 'main');
    assert.match(list, /Jeanne Martin/);
    assert.match(list, /En visio à notre poste : Poste visio du centre/);
    await audit('bookings listed');
    // Today at the desk: the appointment shows there on its day only.
    await navigate(page, () => page.getByRole('link', { name: "Aujourd'hui au poste" }).click());
    assert.match(await text(page, 'main'),
      parisDay(slot) === todayInParis() ? /Jeanne Martin/ : /Aucun rendez-vous visio aujourd'hui/);
    await audit('today at the desk');

    // Three visits of last month's last day, then the month's report.
    await logVisit(page, day);
    await audit('visit recorded');
    await logVisit(page, day);
    await logVisit(page, day);
    await page.goto(server.url(`/partner/reports/${label}`));
    assert.match(await text(page, '.partner-report-total'), /3/);
    await audit('report to submit');
    await page.getByLabel('Commentaire').fill('Trois personnes et un rendez-vous visio');
    res = await navigate(page, () => page.getByRole('button', { name: 'Transmettre le bilan à la Caf' }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, 'main'), /Bilan transmis à la Caf/);
    await audit('report submitted');

    // The CAF reads it.
    res = await admin.goto(server.url(`/console/admin/partners/${partner}/reports/${label}`));
    assert.equal(res.status(), 200);
    assert.match(await text(admin, 'main'), /Trois personnes et un rendez-vous visio/);
    assert.match(await text(admin, '.partner-report-total'), /3/);
    await auditPage(admin, 'report read by the CAF');
  } finally {
    await ctx.close();
    await adminCtx.close();
  }
});
