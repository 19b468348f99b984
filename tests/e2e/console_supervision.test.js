'use strict';
// The console's availability and supervision pages in a real browser (issue 12): an agent
// adds an opening plan (its slots are offered at once); a supervisor, signed in with the
// second factor they must enrol, previews the closure of a site for a day and confirms it;
// axe-core finds nothing on these pages at 1280 px and 360 px, none scrolls sideways.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, addDays, todayInParis,
} = require('./harness');
const { account, signIn: signInAs, enrol, audit: auditPage } = require('./staff_helpers');

const signIn = (page, email) => signInAs(page, server, email);

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const AGENT = 'agent1@demo.visioguichet.test';
const SUPERVISOR = 'chef@demo.visioguichet.test';
// The next weekday at least two days ahead (lead times), as YYYY-MM-DD.
function workday() {
  let day = addDays(todayInParis(), 2);
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1);
  return day;
}

test('an agent adds an opening plan; a supervisor previews then closes a site for a day', { timeout: 180_000 }, async () => {
  account(server, AGENT);
  account(server, SUPERVISOR, { role: 'supervisor' });

  const ctx = await newContext(browser, { bypassCSP: true });
  const page = await ctx.newPage();
  const audit = (name) => auditPage(page, name);
  try {
    // The agent: a Saturday morning plan, by video, at Évry.
    await signIn(page, AGENT);
    let res = await page.goto(server.url('/console/availability'));
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Mes disponibilités');
    await audit('availability');
    const motifs = await server.motifs();
    const motif = motifs.find((m) => m.code === 'online_help').id;
    let saturday = addDays(todayInParis(), 2);
    while (new Date(`${saturday}T12:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, 1);
    assert.equal((await server.slots(motif, 'video', saturday, saturday)).length, 0);

    const form = page.locator('form[action^="/console/availability/plans?"]');
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']) await form.getByLabel(day, { exact: true }).uncheck();
    await form.getByLabel('samedi', { exact: true }).check();
    await form.getByLabel('Début').fill('09:00');
    await form.getByLabel('Fin', { exact: true }).fill('08:00');
    res = await navigate(page, () => form.getByRole('button', { name: 'Ajouter la plage' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '[role=alert]'), /La fin doit être après le début/);
    await audit('availability, refused plan');
    const again = page.locator('form[action^="/console/availability/plans?"]');
    await again.getByLabel('Fin', { exact: true }).fill('12:00');
    for (const ch of ['Sur place', 'Téléphone']) {
      const box = again.getByLabel(ch, { exact: true });
      if (await box.count()) await box.uncheck();
    }
    res = await navigate(page, () => again.getByRole('button', { name: 'Ajouter la plage' }).click());
    assert.equal(res.status(), 200);
    assert.match(await text(page, '[role=status]'), /Modification enregistrée/);
    assert.ok((await server.slots(motif, 'video', saturday, saturday)).length > 0,
      'the new plan is offered at once');
    await ctx.clearCookies();

    // An on-site appointment to move.
    const day = workday();
    const site = (await server.api('/api/v1/orgs/demo/sites')).json.sites.find((s) => /vry/.test(s.name));
    const onSite = (await server.slots(motif, 'on_site', day, day)).filter((s) => s.site.id === site.id);
    assert.ok(onSite.length > 0);
    const terms = (await server.api('/api/v1/orgs/demo/terms')).json.version;
    const booked = await server.api('/api/v1/orgs/demo/appointments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        motif, channel: 'on_site', start: onSite[0].start, site: site.id, accept_terms: true,
        terms_version: terms,
        citizen: { first_name: 'Inès', last_name: 'Durand', email: 'ines@example.org', language: 'fr' },
      }),
    });
    assert.equal(booked.status, 201, booked.text);

    // The supervisor enrols the second factor at sign-in (required of supervisors).
    await signIn(page, SUPERVISOR);
    res = await enrol(page);

    res = await page.goto(server.url('/console/supervision/today'));
    assert.equal(res.status(), 200);
    await audit('supervision today');
    res = await page.goto(server.url('/console/supervision/close-site'));
    assert.equal(res.status(), 200);
    await audit('close a site');
    await page.getByLabel('Site').selectOption(String(site.id));
    await page.getByLabel('Jour').fill(day);
    res = await navigate(page, () => page.getByRole('button', { name: 'Voir ce qui sera fait' }).click());
    assert.equal(res.status(), 200);
    const preview = await page.locator('tr.closure-item').allInnerTexts();
    assert.equal(preview.length, 1);
    assert.match(preview[0], /Inès Durand/);
    assert.match(preview[0], /Devient un rendez-vous vidéo/);
    await audit('closure preview');
    await page.getByLabel('Motif de la fermeture').fill('Dégât des eaux');
    res = await navigate(page, () => page.getByRole('button', { name: 'Fermer le site et prévenir les usagers' }).click());
    assert.equal(res.status(), 200);
    assert.deepEqual(await page.locator('tr.closure-item').allInnerTexts(), preview);
    assert.equal(await page.locator('h1').innerText(), 'Site fermé pour la journée');
    await audit('site closed');
    const after = (await server.slots(motif, 'on_site', day, day)).filter((s) => s.site.id === site.id);
    assert.equal(after.length, 0, 'no on-site slot at the closed site that day');
  } finally {
    await ctx.close();
  }
});
