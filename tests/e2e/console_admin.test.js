'use strict';
// The organisation's administration in a real browser: an administrator (TOTP required)
// signs in, enrols the second factor, creates a motif and invites an agent; the motif is
// offered to citizens at once; axe-core finds nothing on any admin page at 1280 px and
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

test('an administrator signs in with TOTP, creates a motif and invites an agent; every admin page passes axe-core', { timeout: 180_000 }, async () => {
  // An administrator must set up the second factor first (done by withStaffPage).
  await withStaffPage(browser, server, ADMIN, { role: 'admin', name: 'Alix Admin' }, async ({ page, audit }) => {
    let res = await page.goto(server.url('/console/admin/'));
    assert.equal(res.status(), 200);
    await audit('admin home');
    for (const [path, name] of [['/console/admin/settings', 'settings'], ['/console/admin/sites', 'sites'],
      ['/console/admin/sites/new', 'new site'], ['/console/admin/motifs', 'motifs'],
      ['/console/admin/members', 'members'], ['/console/admin/terms', 'terms'], ['/console/admin/logo', 'logo'],
      ['/console/admin/journal', 'journal'], ['/console/admin/holidays', 'holidays'],
      ['/console/admin/messages', 'messages'], ['/console/admin/messages/reminder', 'message texts'],
      ['/console/admin/messages/reminder/preview', 'message preview']]) {
      res = await page.goto(server.url(path));
      assert.equal(res.status(), 200, path);
      await audit(name);
    }

    // A refused form announces its errors and still passes.
    await page.goto(server.url('/console/admin/settings'));
    await page.getByLabel('Couleur de la marque').fill('#ffff00');
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, '[role=alert]'), /contraste insuffisant/);
    await audit('settings refused');

    // A motif.
    await page.goto(server.url('/console/admin/motifs/new'));
    await audit('new motif');
    await page.locator('#name_fr').fill('Prime de rentrée scolaire');
    await page.locator('#name_en').fill('Housing benefit');
    await page.getByLabel('Durée (minutes)').fill('20');
    await page.getByLabel('Réservable jusqu\'à (jours)').fill('30');
    await page.getByLabel('Vidéo', { exact: true }).check();
    await page.getByLabel('Proposé aux usagers en ligne').check();
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(new URL(page.url()).pathname, '/console/admin/motifs');
    assert.match(await text(page, 'main'), /Prime de rentrée scolaire/);
    await audit('motifs after creation');
    await navigate(page, () => page.getByRole('link', { name: 'Prime de rentrée scolaire', exact: true }).click());
    assert.equal(await page.locator('#name_en').inputValue(), 'Housing benefit');
    await audit('motif edit');
    // Offered to citizens at once.
    const motifs = await (await page.request.get(server.url('/api/v1/orgs/demo/motifs'))).json();
    assert.ok(motifs.motifs.some((m) => m.name === 'Prime de rentrée scolaire'), JSON.stringify(motifs));

    // An agent invited by e-mail.
    await page.goto(server.url('/console/admin/members'));
    await page.getByLabel('Adresse e-mail').fill('nouvel.agent@demo.visioguichet.test');
    await page.getByLabel('Nom affiché').fill('Nouvel Agent');
    await page.getByLabel('Rôle', { exact: true }).selectOption('agent');
    res = await navigate(page, () => page.getByRole('button', { name: 'Inviter' }).click());
    assert.match(await text(page, '[role=status]'), /invitation est envoyée/);
    assert.match(await text(page, 'main'), /nouvel\.agent@demo\.visioguichet\.test/);
    await audit('members after invitation');

    // Everything is in the journal.
    await page.goto(server.url('/console/admin/journal'));
    const journal = await text(page, 'main');
    assert.match(journal, /Motif #\d+ – création/);
    assert.match(journal, /Agent #\d+ – création/);
    await audit('journal with entries');
    await page.goto(server.url('/console/admin/sites/new'));
    await page.getByLabel('Nom').first().fill('x');
    await page.getByLabel('Fuseau horaire').fill('Nulle/Part');
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(res.status(), 422);
    await audit('site refused');
    // A closed day and a message text refused: their error summaries pass too.
    await page.goto(server.url('/console/admin/holidays'));
    res = await navigate(page, () => page.getByRole('button', { name: 'Fermer', exact: true }).click());
    assert.equal(res.status(), 422);
    await audit('closed day refused');
    await page.goto(server.url('/console/admin/messages/reminder'));
    await page.locator('#subject_fr').fill('Rappel {nom}');
    res = await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(res.status(), 422);
    assert.match(await text(page, 'main'), /\{nom\}/);
    await audit('message text refused');
  });
});
