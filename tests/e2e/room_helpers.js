'use strict';
// What the video room's browser tests (room.test.js) and the admit-to-first-frame benchmark
// (bench/admit_first_frame.js) share: Chromium's fake camera and microphone, a video
// appointment of the demo organisation booked over the API, moving it in time, and the
// video frames a page decoded.

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');

const { addDays, todayInParis } = require('./harness');
const { PASSWORD, cli } = require('./staff_helpers');

// Chromium flags: fake devices without a permission prompt, the screen picker answered,
// remote video played without a gesture.
const ROOM_BROWSER_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen', '--autoplay-policy=no-user-gesture-required'];

const sqlOn = (server, query) => execFileSync('sqlite3', [server.db, query], { encoding: 'utf8' }).trim();
const now = () => Math.floor(Date.now() / 1000);

// A video appointment of the demo organisation booked over the API: its id, room_url, the
// e-mail of the agent who holds it (with a password set).
async function bookVideo(server, firstName, email, phone = '+33612345678') {
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
  const agent = sqlOn(server, `SELECT a.email FROM appointments p JOIN agents a ON a.id = p.agent_id WHERE p.id = ${r.json.id}`);
  cli(server, ['user', 'password', '--email', agent], `${PASSWORD}\n`);
  return { id: r.json.id, roomUrl: r.json.room_url, manageUrl: r.json.manage_url, agent };
}

// The appointment starts `inSeconds` from now and lasts 20 minutes.
function startsIn(server, id, inSeconds) {
  const start = now() + inSeconds;
  sqlOn(server, `UPDATE appointments SET starts_at = ${start}, ends_at = ${start + 1200} WHERE id = ${id}`);
  return start;
}

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

module.exports = { ROOM_BROWSER_ARGS, now, sqlOn, bookVideo, startsIn, framesDecoded };
