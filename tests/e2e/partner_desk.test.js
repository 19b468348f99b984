'use strict';
// The partner's video desk in a real browser (issue 15, art. 5: nothing kept at the
// partner's). The helper opens the room for the person on the partner's computer from
// "Aujourd'hui au poste"; the person joins the waiting room (the page keeps its resume key in
// sessionStorage); "Fin de l'appel : effacer ce poste" ends it: the browser's storage is
// empty afterwards (Clear-Site-Data), and going back shows no room any more.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { useServerAndBrowser, newContext, navigate, text } = require('./harness');
const { PASSWORD, cli, signIn } = require('./staff_helpers');
const room = require('./room_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
}, room.ROOM_BROWSER_ARGS);

const HELPER = 'aide@poste-visio.test';

test('the room opened at the partner\'s desk leaves nothing in the browser when the call ends', { timeout: 180_000 }, async () => {
  const sql = (query) => room.sqlOn(server, query);
  const partner = cli(server, ['partner', 'create', '--org', 'demo', '--name', 'Mairie du Poste', '--town', 'Lille']).trim();
  cli(server, ['user', 'add', '--org', 'demo', '--email', HELPER, '--role', 'partner', '--partner', partner]);
  cli(server, ['user', 'password', '--email', HELPER], `${PASSWORD}\n`);
  // Behind the server's back: the partner's site with a video desk, and a video appointment
  // booked there by the helper, starting in a minute (today, its room open).
  const org = sql("SELECT id FROM organisations WHERE slug = 'demo'");
  sql(`INSERT INTO partner_sites (partner_id, organisation_id, name, town, video_desk, created_at) VALUES (${partner}, ${org}, 'Poste visio', 'Lille', 1, 0)`);
  const site = sql(`SELECT id FROM partner_sites WHERE partner_id = ${partner}`);
  const helper = sql(`SELECT id FROM accounts WHERE email = '${HELPER}'`);
  const { id } = await room.bookVideo(server, 'Jeanne', 'jeanne.poste@example.org');
  sql(`UPDATE appointments SET booked_by = 'partner', booked_by_partner_site_id = ${site}, booked_by_account_id = ${helper} WHERE id = ${id}`);
  room.startsIn(server, id, 60);

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    await signIn(page, server, HELPER);
    await page.goto(server.url('/partner/today'));
    assert.match(await text(page, 'main'), /Jeanne/);
    await navigate(page, () => page.getByRole('button', { name: 'Ouvrir la salle pour la personne' }).click());
    const roomPath = new URL(page.url()).pathname;
    assert.match(roomPath, /^\/room\/[^/]+$/);

    // The person joins; the page keeps its resume key for this tab.
    await page.getByRole('button', { name: 'Rejoindre' }).click();
    await page.getByRole('heading', { name: 'Salle d\'attente' }).waitFor();
    await page.waitForFunction(() => sessionStorage.length > 0);

    // The call is over: the desk is cleared.
    const res = await navigate(page, () => page.getByRole('button', { name: 'Fin de l\'appel : effacer ce poste' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/partner/today');
    assert.deepEqual(await page.evaluate(() => [sessionStorage.length, localStorage.length]), [0, 0],
      'nothing stored in the browser');
    // Back: the room is gone, not shown again from a cache.
    const back = await page.goBack();
    assert.ok(back, 'the previous page is loaded again, not restored from memory');
    assert.equal(back.status(), 404);
    assert.equal(new URL(page.url()).pathname, roomPath);
  } finally {
    await ctx.close();
  }
});
