'use strict';
// The video room in real browsers (issue 13; docs/VIDEO_BROWSER.md). The pages: before, during
// and after the room's window, the agent's room (only the agent who holds the appointment),
// the identity check, the device test's network checks; axe-core finds nothing at 1280 and
// 360 px. The call: two browser contexts with a fake camera and microphone, the citizen joins
// early and waits, the agent admits, both decode the other's video, chat goes across, a
// shared screen arrives, the call survives a closed WebSocket without a new admission, and
// "move to phone" shows the citizen the number they will be called on. Once more through TURN
// only: a local coturn, a server with --ice-transport-policy relay, relayed candidates only.

const { spawn } = require('node:child_process');
const net = require('node:net');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
  useServerAndBrowser, startServer, newContext, navigate, text, parisHourMinute,
} = require('./harness');
const { PASSWORD, cli: run, signIn: signInAs, audit } = require('./staff_helpers');
const room = require('./room_helpers');

const { ROOM_BROWSER_ARGS, now, framesDecoded } = room;

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
}, ROOM_BROWSER_ARGS, ['--room-rules-interval', '1']); // room rules (late advisor, automatic no-show) every second

const sql = (query) => room.sqlOn(server, query);

const cli = (args, input) => run(server, args, input);
const signIn = (page, email) => signInAs(page, server, email);
const bookVideo = (...args) => room.bookVideo(server, ...args);
const startsIn = (id, inSeconds) => room.startsIn(server, id, inSeconds);

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
    // The guest joins and waits; revoking the link disconnects them at once, and says so.
    const guestCtx = await newContext(browser, { permissions: ['camera', 'microphone'] });
    try {
      const guest = await guestCtx.newPage();
      await guest.goto(server.url(guestPath));
      await guest.getByRole('button', { name: 'Rejoindre' }).click();
      await guest.getByRole('heading', { name: 'Salle d\'attente' }).waitFor();
      await page.goto(server.url(`/console/appointments/${id}/room`));
      await page.getByRole('button', { name: 'Révoquer' }).click();
      await page.getByText('Invitation révoquée.').waitFor();
      await guest.locator('[data-done-text]', { hasText: 'Le conseiller a révoqué votre invitation' }).waitFor();
      assert.equal(await guest.locator('[data-stage="waiting"]').isVisible(), false);
    } finally {
      await guestCtx.close();
    }
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

// A local coturn (Debian package coturn) on a free UDP/TCP port of 127.0.0.1 with this
// shared secret (coturn's REST convention, like `serve --turn-secret-file`), listening before
// it returns; relays between loopback addresses (both browsers are on this machine).
async function startCoturn(secret) {
  const port = await freePort();
  const turn = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`,
    '--relay-ip=127.0.0.1', '--allow-loopback-peers', '--use-auth-secret',
    `--static-auth-secret=${secret}`, '--realm=visioguichet.test', '--no-tls', '--no-dtls',
    '--no-cli', '--log-file=stdout', '--simple-log'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  turn.stdout.on('data', (d) => { log += d; });
  turn.stderr.on('data', (d) => { log += d; });
  const stop = () => turn.kill('SIGTERM');
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`coturn did not start:\n${log}`)), 15_000);
      const check = () => { if (/listener opened on|Total (UDP|General) servers/i.test(log)) { clearTimeout(timer); resolve(); } };
      turn.stdout.on('data', check);
      turn.stderr.on('data', check);
      turn.once('exit', (code) => reject(new Error(`coturn exited (${code}):\n${log}`)));
      check();
    });
  } catch (e) {
    stop();
    throw e;
  }
  return { port, stop, log: () => log };
}

test('device test: a running TURN relay is reachable, a silent one is not', { timeout: 90_000 }, async () => {
  const turn = await startCoturn('device-test-secret');
  const ctx = await newContext(browser);
  try {
    let page = await ctx.newPage();
    assert.equal(await deviceTestWithTurn(page, `turn:127.0.0.1:${turn.port}?transport=udp`), 'Le relais vidéo est joignable.');
    await page.close();
    // Nobody answers on this port: blocked, with the advice to try another network.
    const silent = await freePort();
    page = await ctx.newPage();
    assert.equal(await deviceTestWithTurn(page, `turn:127.0.0.1:${silent}?transport=tcp`), 'Le relais vidéo n\'est pas joignable depuis ce réseau.');
    assert.equal(await page.locator('[data-network-advice]').isVisible(), true);
  } finally {
    await ctx.close();
    turn.stop();
  }
});

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

// The selected candidate pair of each of the page's connected peers: [local type, remote type].
async function selectedPairs(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const pc of window.vgRoom.connections()) {
      const stats = await pc.getStats();
      stats.forEach((t) => {
        if (t.type !== 'transport' || !t.selectedCandidatePairId) return;
        const pair = stats.get(t.selectedCandidatePairId);
        out.push([stats.get(pair.localCandidateId).candidateType,
          stats.get(pair.remoteCandidateId).candidateType]);
      });
    }
    return out;
  });
}

test('the call once more through TURN only: a local coturn, --ice-transport-policy relay, video both ways over relayed candidates', { timeout: 180_000 }, async () => {
  const secret = `turn-${process.pid}-${now()}`;
  const turn = await startCoturn(secret);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-turn-'));
  fs.writeFileSync(path.join(dir, 'turn.secret'), `${secret}\n`, { mode: 0o600 });
  // A server of its own with the TURN settings of `serve`; this test's helpers use it.
  const main = server;
  server = await startServer(['--turn-urls', `turn:127.0.0.1:${turn.port}?transport=udp`,
    '--turn-secret-file', path.join(dir, 'turn.secret'), '--ice-transport-policy', 'relay']);
  const citizenCtx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  const agentCtx = await newContext(browser, { permissions: ['camera', 'microphone'] });
  try {
    const { id, roomUrl, agent } = await bookVideo('Rémi', 'remi.relais@example.org');
    startsIn(id, 300);
    const citizen = await citizenCtx.newPage();
    const desk = await agentCtx.newPage();
    await citizen.goto(server.url(new URL(roomUrl).pathname));
    await citizen.getByRole('button', { name: 'Rejoindre' }).click();
    await citizen.getByRole('heading', { name: 'Salle d\'attente' }).waitFor();
    await signIn(desk, agent);
    await desk.goto(server.url(`/console/appointments/${id}/room`));
    await desk.getByRole('button', { name: 'Admettre' }).click();
    await citizen.getByRole('heading', { name: 'Entretien', exact: true }).waitFor();
    // Both pages run with iceTransportPolicy "relay" (from welcome) ... (the heading shows on
    // admission; the peer connection is made just after, on the hub's next message)
    for (const p of [citizen, desk]) {
      await p.waitForFunction(() => window.vgRoom.connections().length > 0);
      assert.deepEqual(await p.evaluate(() => window.vgRoom.connections().map((pc) => pc.getConfiguration().iceTransportPolicy)), ['relay']);
    }
    // ... and still decode the other's video.
    await framesGrow(citizen, 'citizen through TURN');
    await framesGrow(desk, 'agent through TURN');
    // Over relayed candidates on both ends, through this coturn.
    for (const p of [citizen, desk]) assert.deepEqual(await selectedPairs(p), [['relay', 'relay']]);
    // The journal's "connected" says so too (sent by each page over its socket).
    const connected = (like) => Number(sql(`SELECT count(*) FROM room_events WHERE appointment_id = ${id} AND kind = 'connected' AND detail ${like} '%"relay"%'`));
    for (const until = Date.now() + 10_000; connected('LIKE') < 2 && Date.now() < until;) await new Promise((r) => setTimeout(r, 100));
    assert.equal(connected('LIKE') >= 2, true);
    assert.equal(connected('NOT LIKE'), 0);
  } finally {
    await citizenCtx.close();
    await agentCtx.close();
    const code = await server.stop();
    server = main;
    turn.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, 'the TURN server exits cleanly');
  }
});

// --- room rules (docs/VIDEO.md): the late advisor, the automatic no-show ------------------

test('room rules: the late advisor\'s apology and its three choices; an absent citizen is marked no-show automatically', { timeout: 180_000 }, async () => {
  const late = await bookVideo('Lucie', 'lucie.salle@example.org');
  const absent = await bookVideo('Noé', 'noe.salle@example.org');
  // A minute long (its room stays open 30 more), out of the way of the agent's other
  // appointments of this file.
  const startedAgo = (id, seconds) => {
    const start = now() - seconds;
    sql(`UPDATE appointments SET starts_at = ${start}, ends_at = ${start + 60} WHERE id = ${id}`);
  };
  // Late in 20 s (the organisation's delay: 10 minutes): the citizen joins and waits.
  startedAgo(late.id, 600 - 20);
  const ctx = await newContext(browser, { bypassCSP: true }); // axe-core is injected
  const page = await ctx.newPage();
  try {
    await page.goto(late.roomUrl.replace(/^https?:\/\/[^/]+/, server.base));
    await page.getByRole('button', { name: 'Rejoindre' }).click();
    await page.locator('[data-waiting-heading]').waitFor();
    const apology = page.getByRole('heading', { name: 'Votre conseiller a du retard' });
    await apology.waitFor({ timeout: 40_000 });
    assert.match(await text(page, '[data-agent-late]'), /Nous vous prions de nous excuser/);
    for (const name of ['Continuer à attendre', 'Être rappelé par téléphone', 'Prendre un autre rendez-vous']) {
      assert.equal(await page.getByRole('button', { name }).isVisible(), true, name);
    }
    await audit(page, 'late advisor\'s apology');
    await page.getByRole('button', { name: 'Être rappelé par téléphone' }).click();
    await page.getByText('Votre demande de rappel est enregistrée').waitFor();
    assert.equal(sql(`SELECT actor FROM appointment_events WHERE appointment_id = ${late.id} AND kind = 'callback_requested'`), 'citizen');
    await page.getByRole('button', { name: 'Prendre un autre rendez-vous' }).click();
    const rebook = page.getByRole('link', { name: 'Choisir un nouveau rendez-vous' });
    await rebook.waitFor();
    assert.match(await rebook.getAttribute('href'), /^\/demo\/\?lang=fr$/);
    assert.equal(sql(`SELECT status FROM appointments WHERE id = ${late.id}`), 'booked'); // came

    // Absent: started 11 minutes ago, never joined: marked no-show by the server, told.
    startedAgo(absent.id, 660);
    const deadline = Date.now() + 30_000;
    while (sql(`SELECT status FROM appointments WHERE id = ${absent.id}`) !== 'no_show') {
      assert.ok(Date.now() < deadline, 'the absent citizen is marked no-show');
      await page.waitForTimeout(200); // polls the database: the server marks it on its own
    }
    assert.equal(sql(`SELECT actor FROM appointment_events WHERE appointment_id = ${absent.id} AND kind = 'no_show'`), 'system');
    assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE appointment_id = ${absent.id} AND kind = 'no_show' AND channel = 'email'`), '1');
    const res = await page.goto(absent.roomUrl.replace(/^https?:\/\/[^/]+/, server.base));
    assert.equal(res.status(), 410);
    await audit(page, 'room of a citizen marked absent');
  } finally {
    await ctx.close();
  }
});
