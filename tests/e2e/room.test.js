'use strict';
// The video room in real browsers (issue 13; docs/VIDEO_BROWSER.md). The pages: before, during
// and after the room's window, the agent's room (only the agent who holds the appointment),
// the identity check, the device test's network checks; axe-core finds nothing at 1280 and
// 360 px. The call: two browser contexts with a fake camera and microphone, the citizen joins
// early and waits, the agent admits, both decode the other's video, chat goes across, a
// shared screen arrives, the call survives a closed WebSocket without a new admission, and
// "move to phone" shows the citizen the number they will be called on.

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, addDays, todayInParis, parisHourMinute,
} = require('./harness');
const { PASSWORD, cli: run, signIn: signInAs, audit } = require('./staff_helpers');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
}, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen', '--autoplay-policy=no-user-gesture-required']);

const sql = (query) => execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();
const now = () => Math.floor(Date.now() / 1000);

const cli = (args, input) => run(server, args, input);
const signIn = (page, email) => signInAs(page, server, email);

// A video appointment of the demo organisation booked over the API: its id, room_url, the
// e-mail of the agent who holds it (with a password set).
async function bookVideo(firstName, email, phone = '+33612345678') {
  const motif = (await server.motifs()).find((m) => m.channels.includes('video'));
  const today = todayInParis();
  const slots = await server.slots(motif.id, 'video', addDays(today, 1), addDays(today, 14));
  assert.ok(slots.length > 0, 'free video slots');
  const slot = slots[slots.length - 1];
  const terms = (await server.api('/api/v1/orgs/demo/terms')).json.version;
  const r = await server.api('/api/v1/orgs/demo/appointments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      motif: motif.id, channel: 'video', start: slot.start, accept_terms: true, terms_version: terms,
      citizen: { first_name: firstName, last_name: 'Salle', email, phone },
    }),
  });
  assert.equal(r.status, 201, r.text);
  const agent = sql(`SELECT a.email FROM appointments p JOIN agents a ON a.id = p.agent_id WHERE p.id = ${r.json.id}`);
  cli(['user', 'password', '--email', agent], `${PASSWORD}\n`);
  return { id: r.json.id, roomUrl: r.json.room_url, manageUrl: r.json.manage_url, agent };
}

// The appointment starts `inSeconds` from now and lasts 20 minutes.
function startsIn(id, inSeconds) {
  const start = now() + inSeconds;
  sql(`UPDATE appointments SET starts_at = ${start}, ends_at = ${start + 1200} WHERE id = ${id}`);
  return start;
}

test('room pages: before, during and after the window, the agent\'s room, the identity check; axe-core finds nothing', { timeout: 180_000 }, async () => {
  const { id, roomUrl, manageUrl, agent } = await bookVideo('Aurore', 'aurore.salle@example.org');
  // The room token is its own, not the management link's.
  const roomPath = new URL(roomUrl).pathname;
  assert.match(roomPath, /^\/room\/[A-Za-z0-9_-]{20,}$/);
  assert.notEqual(roomPath.split('/').pop(), new URL(manageUrl).pathname.split('/').pop());

  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  try {
    // Days ahead: not open yet, the time, the rules, the device test.
    let res = await page.goto(server.url(roomPath));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Entretien vidéo');
    assert.equal(await page.getByRole('heading', { name: 'La salle n\'est pas encore ouverte' }).count(), 1);
    assert.match(await text(page, '.room-rules'), /endroit calme/);
    assert.match(await text(page, '.room-rules'), /pièces utiles/);
    assert.match(await text(page, '.room-rules'), /à l'heure indiquée/);
    assert.equal(await page.getByRole('link', { name: 'Tester ma caméra, mon micro et ma connexion' }).getAttribute('href'),
      '/demo/device-test?lang=fr');
    assert.equal(await page.getByRole('button', { name: 'Rejoindre' }).count(), 0);
    await audit(page, 'room before its window');

    // Five minutes before: the device check, "Rejoindre", the waiting room's text.
    const start = startsIn(id, 300);
    res = await page.goto(server.url(roomPath));
    assert.equal(res.status(), 200);
    assert.equal(await page.getByRole('button', { name: 'Rejoindre' }).isVisible(), true);
    assert.equal(await page.getByRole('heading', { name: 'Votre caméra et votre micro' }).isVisible(), true);
    const waiting = await page.locator('[data-stage="waiting"]').textContent();
    assert.match(waiting, /Votre conseiller va vous faire entrer\./);
    const [hh, mm] = parisHourMinute(start).split(':');
    assert.match(waiting, new RegExp(`Rendez-vous prévu à ${Number(hh)}\\sh\\s${mm}\\.`));
    await audit(page, 'room during its window');

    // Long over: says so (410).
    startsIn(id, -7200);
    res = await page.goto(server.url(roomPath));
    assert.equal(res.status(), 410);
    assert.equal(await page.getByRole('heading', { name: 'Ce rendez-vous est terminé' }).count(), 1);
    await audit(page, 'room after its window');
    res = await page.goto(server.url('/room/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    assert.equal(res.status(), 404);

    // The agent's room, from the appointment page, with the identity check.
    startsIn(id, 300);
    await signIn(page, agent);
    res = await page.goto(server.url(`/console/appointments/${id}`));
    assert.equal(res.status(), 200);
    res = await navigate(page, () => page.getByRole('link', { name: 'Ouvrir la salle vidéo' }).click());
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/console/appointments/${id}/room`);
    assert.equal(await text(page, 'h1'), 'Entretien avec Aurore Salle');
    assert.equal(await page.getByRole('heading', { name: 'Salle d\'attente' }).isVisible(), true);
    await audit(page, 'agent\'s room');
    await page.getByLabel('Pièce d\'identité montrée à la caméra').check();
    await page.getByLabel('Identité confirmée').check();
    await page.getByRole('button', { name: 'Enregistrer la vérification' }).click();
    await page.waitForFunction(() => document.querySelector('[data-identity-status]').textContent !== '');
    assert.equal(await text(page, '[data-identity-status]'),
      'Vérification enregistrée : Pièce d\'identité montrée à la caméra – Identité confirmée');
    assert.equal(sql(`SELECT detail FROM room_events WHERE appointment_id = ${id} AND kind = 'identity_checked'`).includes('"result":"confirmed"'), true);
    // A third participant's single-use link: created without reloading the call, opens the
    // guest's page, revoked.
    await page.getByRole('button', { name: 'Créer un lien d\'invitation' }).click();
    const inviteUrl = await page.locator('[data-room-action-status] code').innerText();
    assert.match(inviteUrl, /\/room\/invite\/[A-Za-z0-9_-]{20,}$/);
    const guestPath = new URL(inviteUrl).pathname;
    res = await page.goto(server.url(guestPath));
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Entretien vidéo (invité)');
    assert.equal(await page.getByRole('button', { name: 'Rejoindre' }).isVisible(), true);
    assert.equal(await page.locator('input[type=file]').count(), 0);
    await audit(page, 'guest\'s room');
    await page.goto(server.url(`/console/appointments/${id}/room`));
    await page.getByRole('button', { name: 'Révoquer' }).click();
    await page.getByText('Invitation révoquée.').waitFor();
    res = await page.goto(server.url(guestPath));
    assert.equal(res.status(), 410);

    // Another agent of the organisation may not open it.
    const other = sql(`SELECT email FROM agents WHERE organisation_id = (SELECT organisation_id FROM appointments WHERE id = ${id}) AND email <> '${agent}' LIMIT 1`);
    cli(['user', 'password', '--email', other], `${PASSWORD}\n`);
    const ctx2 = await newContext(browser);
    const page2 = await ctx2.newPage();
    try {
      await signIn(page2, other);
      res = await page2.goto(server.url(`/console/appointments/${id}/room`));
      assert.equal(res.status(), 403);
    } finally {
      await ctx2.close();
    }
  } finally {
    await ctx.close();
    startsIn(id, -7200); // out of the way of the call's appointment (same agent perhaps)
  }
});

test('device test: the room\'s WebSocket is reachable, advice for this browser first', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser, { bypassCSP: true, permissions: ['camera', 'microphone'] });
  const page = await ctx.newPage();
  try {
    await page.goto(server.url('/demo/device-test?lang=fr'));
    await page.waitForFunction(() => document.querySelector('[data-ws-status]').dataset.outcome);
    assert.equal(await text(page, '[data-ws-status]'), 'Le service de visioconférence est joignable.');
    await page.waitForFunction(() => document.querySelector('[data-turn-status]').dataset.outcome);
    assert.match(await text(page, '.device-advice li:first-child'), /^Votre navigateur : Dans Chrome ou Edge/);
    await audit(page, 'device test with the network checks');
  } finally {
    await ctx.close();
  }
});

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The device test page with these TURN addresses (what `serve --turn-urls` gives it).
async function deviceTestWithTurn(page, urls) {
  await page.route('**/demo/device-test*', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('data-turn-urls=""', `data-turn-urls="${urls}"`);
    await route.fulfill({ response, body });
  });
  await page.goto(server.url('/demo/device-test?lang=fr'));
  await page.waitForFunction(() => document.querySelector('[data-turn-status]').dataset.outcome, null, { timeout: 30_000 });
  return text(page, '[data-turn-status]');
}

test('device test: a running TURN relay is reachable, a silent one is not', { timeout: 90_000 }, async () => {
  const port = await freePort();
  const turn = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`,
    '--use-auth-secret', '--static-auth-secret=device-test-secret', '--realm=visioguichet.test',
    '--no-tls', '--no-dtls', '--no-cli', '--log-file=stdout', '--simple-log'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  turn.stdout.on('data', (d) => { log += d; });
  turn.stderr.on('data', (d) => { log += d; });
  const ctx = await newContext(browser);
  try {
    // Listening (its log says so) before the browser asks.
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`coturn did not start:\n${log}`)), 15_000);
      const check = () => { if (/listener opened on|Total (UDP|General) servers/i.test(log)) { clearTimeout(timer); resolve(); } };
      turn.stdout.on('data', check);
      turn.stderr.on('data', check);
      check();
    });
    let page = await ctx.newPage();
    assert.equal(await deviceTestWithTurn(page, `turn:127.0.0.1:${port}?transport=udp`), 'Le relais vidéo est joignable.');
    await page.close();
    // Nobody answers on this port: blocked, with the advice to try another network.
    const silent = await freePort();
    page = await ctx.newPage();
    assert.equal(await deviceTestWithTurn(page, `turn:127.0.0.1:${silent}?transport=tcp`), 'Le relais vidéo n\'est pas joignable depuis ce réseau.');
    assert.equal(await page.locator('[data-network-advice]').isVisible(), true);
  } finally {
    await ctx.close();
    turn.kill('SIGTERM');
  }
});

// Video frames decoded from the other participants (getStats of the page's connections).
async function framesDecoded(page) {
  return page.evaluate(async () => {
    let n = 0;
    for (const pc of window.vgRoom.connections()) {
      const stats = await pc.getStats();
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded || 0; });
    }
    return n;
  });
}

// Waits until more than `min` + 10 frames were decoded.
async function framesGrow(page, label, min = null) {
  const from = min ?? await framesDecoded(page);
  await page.waitForFunction(async (f) => {
    let n = 0;
    for (const pc of window.vgRoom.connections()) {
      const stats = await pc.getStats();
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded || 0; });
    }
    return n > f + 10;
  }, from, { polling: 250, timeout: 30_000 }).catch((e) => { throw new Error(`${label}: no video decoded (${e.message})`); });
}

// Closes the page's WebSocket as a network drop would, and waits for the new one's welcome.
async function dropSocket(page) {
  await page.evaluate(() => { window.vgOldSocket = window.vgRoom.socket(); window.vgOldSocket.close(); });
  await page.waitForFunction(() => {
    const s = window.vgRoom.socket();
    return s && s !== window.vgOldSocket && s.readyState === WebSocket.OPEN;
  }, null, { polling: 100, timeout: 20_000 });
}

test('the call: the citizen waits, the agent admits, video both ways, chat, a document, a shared screen, a dropped socket, move to phone', { timeout: 240_000 }, async () => {
  const { id, roomUrl, agent } = await bookVideo('Basile', 'basile.salle@example.org', '+33612345612');
  startsIn(id, 300);
  // The agent's side runs under the real Content-Security-Policy; the citizen's lets axe-core in.
  const citizenCtx = await newContext(browser, { bypassCSP: true, permissions: ['camera', 'microphone'] });
  const agentCtx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  const citizen = await citizenCtx.newPage();
  const desk = await agentCtx.newPage();
  const violations = [];
  for (const p of [citizen, desk]) {
    p.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  }
  try {
    // The citizen joins five minutes early and waits.
    await citizen.goto(server.url(new URL(roomUrl).pathname));
    await citizen.getByRole('button', { name: 'Rejoindre' }).click();
    await citizen.getByRole('heading', { name: 'Salle d\'attente' }).waitFor();
    assert.match(await text(citizen, '[data-stage="waiting"]'), /Votre conseiller va vous faire entrer\./);
    await audit(citizen, 'waiting room');

    // The agent sees someone waiting and admits them.
    await signIn(desk, agent);
    await desk.goto(server.url(`/console/appointments/${id}/room`));
    await desk.getByRole('button', { name: 'Admettre' }).click();
    await citizen.getByRole('heading', { name: 'Entretien', exact: true }).waitFor();
    assert.equal(await citizen.locator('[data-stage="waiting"]').isVisible(), false);

    // Both decode the other's video.
    await framesGrow(citizen, 'citizen');
    await framesGrow(desk, 'agent');

    // Chat, both ways.
    await citizen.getByLabel('Message', { exact: true }).fill('Bonjour, je suis prêt.');
    await citizen.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await desk.locator('[data-chat-log]').getByText('Bonjour, je suis prêt.').waitFor();
    await desk.getByLabel('Message', { exact: true }).fill('Bonjour Basile.');
    await desk.keyboard.press('Enter');
    await citizen.locator('[data-chat-log]').getByText('Bonjour Basile.').waitFor();
    assert.match(await text(citizen, '[data-chat-log]'), /Vous, \d\d:\d\d Bonjour, je suis prêt\./);
    assert.match(await text(citizen, '[data-chat-log]'), /Conseiller, \d\d:\d\d Bonjour Basile\./);
    await audit(citizen, 'in the call');

    // A document goes across: the citizen picks a file in the file input, the agent's room
    // lists it at once, and its download gives the same bytes.
    const pdf = Buffer.from('%PDF-1.7\n% avis de situation e2e\n%%EOF\n');
    await citizen.getByLabel('Envoyer un document').setInputFiles({ name: 'avis.pdf', mimeType: 'application/pdf', buffer: pdf });
    await citizen.getByRole('button', { name: 'Envoyer le document' }).click();
    await citizen.locator('[data-document-status]').getByText(/Document envoyé : avis\.pdf/).waitFor();
    const link = desk.locator('[data-documents]').getByRole('link', { name: 'avis.pdf' });
    await link.waitFor();
    await desk.locator('[data-chat-log]').getByText(/Document reçu : avis\.pdf/).waitFor();
    const [download] = await Promise.all([desk.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'avis.pdf');
    assert.deepEqual(fs.readFileSync(await download.path()), pdf);

    // The agent shares the screen (seed 000: guiding through an online procedure).
    await desk.getByRole('button', { name: 'Partager mon écran' }).click();
    await citizen.locator('video[data-screen]').waitFor();
    await citizen.waitForFunction(() => {
      const v = document.querySelector('video[data-screen]');
      return v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
    }, null, { polling: 250, timeout: 30_000 });
    assert.equal(await desk.getByRole('button', { name: 'Arrêter le partage' }).isVisible(), true);

    // The citizen's socket drops: it comes back admitted, media kept flowing.
    await dropSocket(citizen);
    assert.equal(await citizen.evaluate(() => window.vgRoom.stage()), 'call');
    await framesGrow(citizen, 'citizen after the dropped socket');
    await desk.getByLabel('Message', { exact: true }).fill('Toujours là ?');
    await desk.keyboard.press('Enter');
    await citizen.locator('[data-chat-log]').getByText('Toujours là ?').waitFor();
    // The agent's too.
    await dropSocket(desk);
    await citizen.getByLabel('Message', { exact: true }).fill('Oui.');
    await citizen.keyboard.press('Enter');
    await desk.locator('[data-chat-log]').getByText('Oui.', { exact: true }).waitFor();
    await framesGrow(desk, 'agent after the dropped socket');

    // Move to phone: the citizen is told the number they will be called on.
    await desk.getByRole('button', { name: 'Passer par téléphone' }).click();
    await citizen.getByRole('heading', { name: /Votre conseiller va vous appeler au/ }).waitFor();
    assert.match(await text(citizen, '[data-done-text]'), /Votre conseiller va vous appeler au .*12\.$/);
    await audit(citizen, 'moved to the phone');
    // Coming back to the room link says it again.
    const again = await citizen.goto(server.url(new URL(roomUrl).pathname));
    assert.equal(again.status(), 410);
    assert.equal(await citizen.getByRole('heading', { name: 'Votre conseiller va vous appeler au téléphone.' }).count(), 1);
    assert.deepEqual(violations, []);
  } finally {
    await citizenCtx.close();
    await agentCtx.close();
  }
});
