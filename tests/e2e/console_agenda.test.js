'use strict';
// The agent's agenda in a real browser: a citizen books (API), the agent who holds the
// appointment signs in, sees it as the next one on /console/ and in the day and week views
// (each linking to its page), the printable list and the calendar page; axe-core finds
// nothing on any of them at 1280 px and 360 px, and none scrolls sideways at 360 px.

const { spawnSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  DESKTOP, PHONE, useServerAndBrowser, newContext, navigate, text, checkA11y,
  checkNoHorizontalScroll, parisDay, todayInParis, addDays,
} = require('./harness');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const PASSWORD = 'tulipe-gravier-Orbite-93';

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
  const r = spawnSync(process.env.VG_BINARY, ['user', 'password', '--db', server.db, '--email', email],
    { input: `${PASSWORD}\n`, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const day = parisDay(slot.epoch);

  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  const audit = async (name) => {
    try {
      await page.setViewportSize(DESKTOP);
      await checkA11y(page, `${name} at ${DESKTOP.width} px`);
      await page.setViewportSize(PHONE);
      await checkA11y(page, `${name} at ${PHONE.width} px`);
      await checkNoHorizontalScroll(page, `${name} at ${PHONE.width} px`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  };
  const link = `a[href="/console/appointments/${id}"]`;
  try {
    await page.goto(server.url('/login'));
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    let res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/console/');
    // The next appointment, with its countdown, links to its page.
    assert.match(await text(page, '.agenda-next'), /Prochain rendez-vous/);
    assert.match(await text(page, '.agenda-countdown'), /dans \d+|en cours/);
    assert.equal(await page.locator(`.agenda-next ${link}`).count(), 1);
    await audit('console');

    // The week view from the console's link, then the appointment's day.
    res = await navigate(page, () => page.getByRole('link', { name: 'Vue de la semaine' }).first().click());
    assert.equal(res.status(), 200);
    await page.goto(server.url(`/console/agenda?day=${day}&view=week`));
    assert.equal(await page.locator(link).count(), 1);
    assert.match(await text(page, link), /Aurore Calendrier/);
    await audit('week view');
    res = await navigate(page, () => page.getByRole('link', { name: 'Vue du jour' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('view'), 'day');
    assert.equal(await page.locator(link).count(), 1);
    await audit('day view');
    // The chooser works without script: another day through the form.
    await page.getByLabel('Jour', { exact: true }).fill(addDays(day, 1));
    res = await navigate(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('day'), addDays(day, 1));
    assert.equal(await page.locator(link).count(), 0);

    await page.goto(server.url(`/console/agenda/print?day=${day}`));
    assert.match(await text(page, 'table'), /Aurore Calendrier/);
    await audit('print list');

    await page.goto(server.url('/console/calendar'));
    res = await navigate(page, () => page.getByRole('button', { name: 'Créer le lien' }).click());
    assert.equal(res.status(), 200);
    const url = await page.getByLabel("Adresse d'abonnement").inputValue();
    assert.match(url, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await audit('calendar feed');
  } finally {
    await ctx.close();
  }
});
