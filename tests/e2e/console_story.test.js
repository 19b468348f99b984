'use strict';
// The whole staff story of issue 12 in one browser run, each step through the pages the
// people use: an administrator (second factor) creates a motif and invites an agent; the
// agent signs in, turns on the second factor and opens a Saturday morning on site; two
// citizens book it; the agent finds them in the week agenda, marks the first one held with
// an outcome; a supervisor closes the site that Saturday, and the second citizen's appointment becomes
// a video one with the same agent and time, the change queued for them in the outbox.
// Each page's accessibility is checked by its own file (console_*.test.js).

const { execFileSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, addDays, todayInParis,
} = require('./harness');
const { PASSWORD, cli: run, signIn: signInAs, enrol } = require('./staff_helpers');

const cli = (args, input) => run(server, args, input);
const signIn = (page, email) => signInAs(page, server, email);

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const ADMIN = 'admin.story@demo.visioguichet.test';
const SUPERVISOR = 'chef.story@demo.visioguichet.test';
const AGENT = 'agent.story@demo.visioguichet.test';
const MOTIF = 'Attestation de paiement (récit)';

const sql = (query) => execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();

async function book(motif, slot, name, email) {
  const terms = (await server.api('/api/v1/orgs/demo/terms')).json.version;
  const r = await server.api('/api/v1/orgs/demo/appointments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      motif, channel: 'on_site', start: slot.start, site: slot.site.id, accept_terms: true,
      terms_version: terms,
      citizen: { first_name: name, last_name: 'Récit', email, language: 'nl' },
    }),
  });
  assert.equal(r.status, 201, r.text);
  return Number(sql(`SELECT id FROM appointments WHERE citizen_email = '${email}'`));
}

test('from a new motif to a closed site: administrator, agent, citizens, supervisor', { timeout: 240_000 }, async () => {
  cli(['user', 'add', '--org', 'demo', '--email', ADMIN, '--role', 'admin']);
  cli(['user', 'add', '--org', 'demo', '--email', SUPERVISOR, '--role', 'supervisor']);
  for (const email of [ADMIN, SUPERVISOR]) cli(['user', 'password', '--email', email], `${PASSWORD}\n`);
  let saturday = addDays(todayInParis(), 2);
  while (new Date(`${saturday}T12:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, 1);

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    // 1. The administrator creates the motif (on site) and invites the agent.
    await signIn(page, ADMIN);
    await enrol(page);
    await page.goto(server.url('/console/admin/motifs/new'));
    await page.locator('#name_fr').fill(MOTIF);
    await page.getByLabel('Durée (minutes)').fill('30');
    await page.getByLabel('Réservable jusqu\'à (jours)').fill('30');
    await page.getByLabel('Sur place', { exact: true }).check();
    await page.getByLabel('Vidéo', { exact: true }).check();
    await page.getByLabel('Proposé aux usagers en ligne').check();
    await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(new URL(page.url()).pathname, '/console/admin/motifs');
    const motif = Number(sql(`SELECT id FROM motifs WHERE name LIKE '%récit%'`));
    await page.goto(server.url('/console/admin/members'));
    await page.getByLabel('Adresse e-mail').fill(AGENT);
    await page.getByLabel('Nom affiché').fill('Agent Récit');
    await page.getByLabel('Rôle', { exact: true }).selectOption('agent');
    await navigate(page, () => page.getByRole('button', { name: 'Inviter' }).click());
    assert.match(await text(page, '[role=status]'), /invitation est envoyée/);
    assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE kind = 'account_invitation'`), '1');
    await ctx.clearCookies();

    // 2. The agent (password set as the invitation's link would) signs in, turns on the
    //    second factor and opens Saturday morning on site at the first site.
    cli(['user', 'password', '--email', AGENT], `${PASSWORD}\n`);
    await signIn(page, AGENT);
    assert.equal(new URL(page.url()).pathname, '/console/');
    await page.goto(server.url('/console/totp'));
    await enrol(page);
    assert.equal(await page.locator('h1').innerText(), 'Vos codes de secours');
    assert.equal((await server.slots(motif, 'on_site', saturday, saturday)).length, 0,
      'nobody offers the new motif on Saturday yet');
    await page.goto(server.url('/console/availability'));
    const form = page.locator('form[action^="/console/availability/plans?"]');
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']) await form.getByLabel(day, { exact: true }).uncheck();
    await form.getByLabel('samedi', { exact: true }).check();
    await form.getByLabel('Début').fill('09:00');
    await form.getByLabel('Fin', { exact: true }).fill('11:00');
    let res = await navigate(page, () => form.getByRole('button', { name: 'Ajouter la plage' }).click());
    assert.equal(res.status(), 200);
    const slots = await server.slots(motif, 'on_site', saturday, saturday);
    assert.ok(slots.length >= 2, 'the plan is offered to citizens at once');

    // 3. Two citizens book that Saturday on site.
    const first = await book(motif, slots[0], 'Anna', 'anna.recit@example.org');
    const second = await book(motif, slots[slots.length - 1], 'Bram', 'bram.recit@example.org');
    const agentId = sql(`SELECT agent_id FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE a.email = '${AGENT}'`);
    assert.equal(sql(`SELECT COUNT(*) FROM appointments WHERE id IN (${first}, ${second}) AND agent_id = ${agentId}`), '2');

    // 4. The agent finds them in the week agenda and opens the first one.
    res = await page.goto(server.url(`/console/agenda?view=week&day=${saturday}`));
    assert.equal(res.status(), 200);
    const week = await text(page, 'main');
    assert.match(week, /Anna Récit/);
    assert.match(week, /Bram Récit/);
    await navigate(page, () => page.locator(`a[href="/console/appointments/${first}"]`).first().click());
    assert.equal(await text(page, 'h1'), 'Anna Récit');
    // On the day, twenty minutes after it began: held, with its outcome.
    const now = Math.floor(Date.now() / 1000);
    sql(`UPDATE appointments SET starts_at = ${now - 1200}, ends_at = ${now + 600} WHERE id = ${first}`);
    await page.goto(server.url(`/console/appointments/${first}`));
    await page.getByLabel('Oui', { exact: true }).check();
    await page.getByLabel('Type de demande').selectOption('access_rights.benefit_application');
    await page.getByLabel('Thématique').selectOption('theme.solidarity');
    await page.getByLabel(/Autonomie numérique/).selectOption('autonomy.beginner');
    await navigate(page, () => page.getByRole('button', { name: /Rendez-vous tenu/ }).click());
    assert.match(await text(page, '[role=status]'), /Issue enregistrée/);
    assert.equal(sql(`SELECT status FROM appointments WHERE id = ${first}`), 'honoured');
    assert.equal(sql(`SELECT resolved FROM appointment_outcomes WHERE appointment_id = ${first}`), 'yes');
    await ctx.clearCookies();

    // 5. The supervisor closes the site that Saturday: Bram's appointment becomes a video
    //    one with the same agent and time, and a message tells him.
    await signIn(page, SUPERVISOR);
    await enrol(page);
    await page.goto(server.url('/console/supervision/close-site'));
    await page.getByLabel('Site').selectOption(String(slots[0].site.id));
    await page.getByLabel('Jour').fill(saturday);
    res = await navigate(page, () => page.getByRole('button', { name: 'Voir ce qui sera fait' }).click());
    assert.equal(res.status(), 200);
    const preview = await page.locator('tr.closure-item').allInnerTexts();
    assert.equal(preview.length, 1, preview.join('\n'));
    assert.match(preview[0], /Bram Récit/);
    await page.getByLabel('Motif de la fermeture').fill('Panne de chauffage');
    res = await navigate(page, () => page.getByRole('button', { name: 'Fermer le site et prévenir les usagers' }).click());
    assert.equal(res.status(), 200);
    assert.equal(sql(`SELECT channel || ',' || agent_id || ',' || status FROM appointments WHERE id = ${second}`),
      `video,${agentId},booked`);
    assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE appointment_id = ${second} AND kind = 'channel_changed'`),
      '1', sql(`SELECT kind FROM outbox WHERE appointment_id = ${second}`));
  } finally {
    await ctx.close();
  }
});
