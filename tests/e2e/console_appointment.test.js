'use strict';
// The console's appointment page in a real browser (issue 12): an agent books on behalf of
// a citizen (on the phone: the motif's lead time overridden), opens the appointment, marks it
// done with an outcome; axe-core finds nothing on any of these pages at 1280 px and 360 px,
// and none scrolls sideways at 360 px.

const { execFileSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text,
} = require('./harness');
const { account, signIn, enrol, audit: auditPage } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const AGENT = 'agent1@demo.visioguichet.test';

const ADMIN = 'chef@demo.visioguichet.test';


const sql = (query) => execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();

test('an agent books on behalf of a citizen, opens the appointment and records its outcome', { timeout: 180_000 }, async () => {
  account(server, AGENT);
  const agentId = sql(`SELECT m.agent_id FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE a.email_key = '${AGENT}'`);

  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  const click = async (locator, status = 200) => {
    const res = await navigate(page, () => locator.click());
    assert.equal(res.status(), status, page.url());
    return res;
  };
  try {
    assert.equal((await signIn(page, server, AGENT)).status(), 200);

    // Booking on behalf: motif, channel, the lead-time override, a free slot.
    let res = await page.goto(server.url('/console/book'));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Réserver pour un usager');
    await audit('book on behalf: choice');
    await page.getByLabel('Mode', { exact: true }).selectOption('video');
    await page.getByLabel(/Ignorer le délai minimal/).check();
    await click(page.getByRole('button', { name: 'Voir les créneaux libres' }));
    if (await page.locator('a.slot').count() === 0) {
      await click(page.getByRole('link', { name: /Semaine suivante/ }).first());
    }
    await audit('book on behalf: free slots');
    await click(page.locator('a.slot').first());
    await audit('book on behalf: citizen details');

    // The same checks as the citizen's form: a bad address is refused, announced.
    await page.getByLabel(/Prénom/).fill('Paul');
    await page.getByLabel(/^Nom/).fill('Guichet');
    await page.getByLabel(/Adresse e-mail/).fill('pas-une-adresse');
    await page.getByLabel(/conditions d'utilisation/).check();
    await click(page.getByRole('button', { name: 'Réserver' }), 422);
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    await audit('book on behalf: with an error');
    await page.getByLabel(/Adresse e-mail/).fill('paul.guichet@example.org');
    await page.getByLabel(/conditions d'utilisation/).check();
    await click(page.getByRole('button', { name: 'Réserver' }), 201);
    assert.match(await text(page, '[role=status]'), /Paul Guichet/);
    await audit('book on behalf: booked');
    const [id, bookedBy] = sql("SELECT id, booked_by FROM appointments WHERE citizen_email = 'paul.guichet@example.org'").split('|');
    assert.equal(bookedBy, 'agent');

    // The appointment, given to this agent: its page and the reschedule's week.
    sql(`UPDATE appointments SET agent_id = ${agentId} WHERE id = ${id}`);
    res = await page.goto(server.url(`/console/appointments/${id}`));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Paul Guichet');
    await audit('appointment page, upcoming');
    await click(page.getByRole('link', { name: 'Déplacer', exact: true }));
    assert.equal(await text(page, 'h1'), 'Déplacer le rendez-vous');
    await audit('agent reschedule: week');
    if (await page.locator('a.slot').count() > 0) {
      await click(page.locator('a.slot').first());
      await audit('agent reschedule: confirmation');
    }

    // Begun five minutes ago, as on the day (within the no-show delay: a video citizen not
    // yet in the room is not marked absent by the server meanwhile, docs/VIDEO.md).
    const now = Math.floor(Date.now() / 1000);
    sql(`UPDATE appointments SET starts_at = ${now - 300}, ends_at = ${now + 600} WHERE id = ${id}`);
    res = await page.goto(server.url(`/console/appointments/${id}`));
    assert.equal(res.status(), 200);
    await audit('appointment page');

    // Done with an outcome.
    await page.getByLabel('Partiellement').check();
    await page.getByLabel('Type de demande').selectOption('access_rights.benefit_application');
    await page.getByLabel('Thématique').selectOption('theme.solidarity');
    await page.getByLabel(/Autonomie numérique/).selectOption('autonomy.beginner');
    await click(page.getByRole('button', { name: /Rendez-vous tenu/ }));
    assert.match(await text(page, '[role=status]'), /Issue enregistrée/);
    assert.match(await text(page, 'main'), /Solidarité et insertion/);
    assert.equal(sql(`SELECT status FROM appointments WHERE id = ${id}`), 'honoured');
    assert.equal(sql(`SELECT resolved || ',' || request_type FROM appointment_outcomes WHERE appointment_id = ${id}`),
      'partially,access_rights.benefit_application');
    await audit('appointment page, held');

    // A private note.
    await page.getByLabel('Note', { exact: true }).fill('Rappeler pour le justificatif');
    await click(page.getByRole('button', { name: 'Ajouter la note' }));
    assert.match(await text(page, '.notes'), /Rappeler pour le justificatif/);
    await audit('appointment page with a note');
  } finally {
    await ctx.close();
  }
});

test('an administrator edits the outcome qualification; the page passes axe-core', { timeout: 120_000 }, async () => {
  account(server, ADMIN, { role: 'admin' });
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  try {
    await signIn(page, server, ADMIN);
    await enrol(page); // required for administrators

    let res = await page.goto(server.url('/console/admin/outcomes'));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Qualification des rendez-vous');
    await audit('outcome qualification');
    await page.locator('#add-group').selectOption('theme');
    await page.locator('#add-label_fr').fill('Inclusion numérique');
    res = await navigate(page, () => page.getByRole('button', { name: 'Ajouter', exact: true }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, 'main'), /Inclusion numérique/);
    await page.locator('#add-label_fr').evaluate((el) => el.removeAttribute('required'));
    res = await navigate(page, () => page.getByRole('button', { name: 'Ajouter', exact: true }).click());
    assert.equal(res.status(), 422);
    await audit('outcome qualification with an error');
  } finally {
    await ctx.close();
  }
});
