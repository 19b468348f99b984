'use strict';
// The agent's agenda in a real browser: a citizen books (API), the agent who holds the
// appointment signs in, sees it as the next one on /console/ and in the day and week views
// (each linking to its page), the printable list and the calendar page; axe-core finds
// nothing on any of them at 1280 px and 360 px, and none scrolls sideways at 360 px.

const { spawnSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, parisDay, todayInParis, addDays,
} = require('./harness');
const { account, signIn, enrol, audit } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

function sql(db, query) {
  const r = spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('an agent sees a booked appointment on the console, in the day and week views; every page passes axe-core', { timeout: 180_000 }, async () => {
  // A citizen books a video appointment.
  const motif = (await server.motifs()).find((m) => m.channels.includes('video'));
  const today = todayInParis();
  const slot = (await server.slots(motif.id, 'video', today, addDays(today, 13)))[0];
  const terms = (await server.api('/api/v1/orgs/demo/terms')).json.version;
  const booked = await server.api('/api/v1/orgs/demo/appointments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      motif: motif.id, channel: 'video', start: slot.start, site: slot.site.id,
      citizen: { first_name: 'Aurore', last_name: 'Calendrier', email: 'aurore@example.org' },
      accept_terms: true, terms_version: terms,
    }),
  });
  assert.equal(booked.status, 201, booked.text);
  const id = booked.json.id;
  const email = sql(server.db, `SELECT a.email FROM appointments p JOIN agents a ON a.id = p.agent_id WHERE p.id = ${id}`);
  account(server, email);
  const day = parisDay(slot.epoch);

  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  const check = (name) => audit(page, name);
  const link = `a[href="/console/appointments/${id}"]`;
  try {
    await page.clock.install(); // the countdown's timer, moved on below
    let res = await signIn(page, server, email);
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/console/');
    // The next appointment, with its countdown, links to its page.
    assert.match(await text(page, '.agenda-next'), /Prochain rendez-vous/);
    assert.match(await text(page, '.agenda-countdown'), /dans \d+|en cours/);
    assert.equal(await page.locator(`.agenda-next ${link}`).count(), 1);
    await check('console');
    // static/console_agenda.js keeps the countdown true while the page stays open.
    const before = await text(page, '.agenda-countdown');
    await page.clock.fastForward('25:00');
    await page.waitForFunction((b) => document.querySelector('.agenda-countdown').textContent !== b, before);

    // The week view from the console's link, then the appointment's day.
    res = await navigate(page, () => page.getByRole('link', { name: 'Vue de la semaine' }).first().click());
    assert.equal(res.status(), 200);
    await page.goto(server.url(`/console/agenda?day=${day}&view=week`));
    assert.equal(await page.locator(link).count(), 1);
    assert.match(await text(page, link), /Aurore Calendrier/);
    await check('week view');
    res = await navigate(page, () => page.getByRole('link', { name: 'Vue du jour' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('view'), 'day');
    assert.equal(await page.locator(link).count(), 1);
    await check('day view');
    // The chooser works without script: another day through the form.
    await page.getByLabel('Jour', { exact: true }).fill(addDays(day, 1));
    res = await navigate(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('day'), addDays(day, 1));
    assert.equal(await page.locator(link).count(), 0);

    await page.goto(server.url(`/console/agenda/print?day=${day}`));
    assert.match(await text(page, 'table'), /Aurore Calendrier/);
    await check('print list');

    await page.goto(server.url('/console/calendar'));
    res = await navigate(page, () => page.getByRole('button', { name: 'Créer le lien' }).click());
    assert.equal(res.status(), 200);
    const url = await page.getByLabel("Adresse d'abonnement").inputValue();
    assert.match(url, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await check('calendar feed');
  } finally {
    await ctx.close();
  }
});

test('an administrator manages teams; the teams page passes axe-core', { timeout: 180_000 }, async () => {
  const admin = 'cheffe.equipes@example.org';
  const password = 'Orbite-tulipe-Gravier-93-xk';
  account(server, admin, { role: 'admin', password });
  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  try {
    await signIn(page, server, admin, password);
    // Administrators set up the second factor first.
    await enrol(page);
    await navigate(page, () => page.getByRole('link', { name: 'Continuer vers la console' }).click());
    await navigate(page, () => page.getByRole('link', { name: 'Équipes' }).click());
    assert.equal(new URL(page.url()).pathname, '/console/admin/teams');
    await page.getByLabel("Nom de la nouvelle équipe").fill('Accueil téléphonique');
    let res = await navigate(page, () => page.getByRole('button', { name: "Créer l'équipe" }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, '[role=status]'), /Modification enregistrée/);
    await page.getByLabel('Ajouter un agent').selectOption({ label: 'Karim Benali' });
    res = await navigate(page, () => page.getByRole('button', { name: 'Ajouter' }).first().click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, '.team-members >> nth=0'), /Karim Benali/);
    await audit(page, 'teams');
    // A name already taken: the reason, announced.
    await page.getByLabel("Nom de la nouvelle équipe").fill('Accueil téléphonique');
    res = await navigate(page, () => page.getByRole('button', { name: "Créer l'équipe" }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '[role=alert]'), /Une autre équipe porte déjà ce nom/);
    await audit(page, 'teams, name taken');
    // The administrator's agenda: every agent, with a chooser.
    await page.goto(server.url('/console/agenda?view=week&agent=all'));
    assert.equal(await page.getByLabel('Agent', { exact: true }).count(), 1);
    await audit(page, 'week view of all agents');
  } finally {
    await ctx.close();
  }
});
