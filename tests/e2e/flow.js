'use strict';
// Steps of the citizen journey shared by the test files (mouse/plain clicks; the keyboard
// journey is written out in booking.test.js). Every step checks where it lands.

const assert = require('node:assert/strict');
const { navigate, text } = require('./harness');

const TOKEN = /\/manage\/([A-Za-z0-9_-]{43})(?:[?/]|$)/;

function tokenOf(url) {
  const m = TOKEN.exec(url);
  assert.ok(m, `no management token in ${url}`);
  return m[1];
}

// Motif id by its demo code (online_help, rsa...).
async function motifByCode(server, code) {
  const m = (await server.motifs()).find((x) => x.code === code);
  assert.ok(m, `demo motif ${code} not found`);
  return m;
}

// The week view of `motif` by video, optionally at the week of `day` (YYYY-MM-DD).
function weekUrl(server, motifId, day, mode = 'video') {
  return server.url(`/demo/book?lang=fr&motif=${motifId}&mode=${mode}${day ? `&week=${day}` : ''}`);
}

// Clicks the slot link whose href carries slot=<epoch>; returns its accessible label.
async function clickSlot(page, epoch) {
  const link = page.locator(`a.slot[href*="slot=${epoch}"]`);
  assert.equal(await link.count(), 1, `one slot link for ${epoch} on ${page.url()}`);
  // Spaces as text() gives them (times use non-breaking spaces: "8 h 30").
  const label = (await link.getAttribute('aria-label')).replace(/\s+/g, ' ');
  const res = await navigate(page, () => link.click());
  assert.equal(res.status(), 200, `details page for slot ${epoch}`);
  assert.equal(await text(page, 'h1'), 'Vos coordonnées');
  return label;
}

async function fillDetails(page, person) {
  await page.fill('#first_name', person.first_name);
  await page.fill('#last_name', person.last_name);
  if (person.email) await page.fill('#email', person.email);
  if (person.phone) await page.fill('#phone', person.phone);
  if (person.needs) await page.fill('#needs', person.needs);
}

async function submitDetails(page) {
  const res = await navigate(page, () =>
    page.getByRole('button', { name: 'Continuer', exact: true }).click());
  return res;
}

// From the review page: accept the terms, confirm; returns the management token.
async function acceptAndConfirm(page) {
  assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');
  await page.check('#accept_terms');
  const res = await navigate(page, () =>
    page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click());
  assert.equal(res.status(), 200);
  assert.match(page.url(), /\/manage\/[A-Za-z0-9_-]{43}\?created=1&lang=fr$/);
  assert.equal(await text(page, '.success h1'), 'Votre rendez-vous est confirmé');
  return tokenOf(page.url());
}

// Details → review → confirmation for the slot page currently shown.
async function completeBooking(page, person) {
  await fillDetails(page, person);
  const res = await submitDetails(page);
  assert.equal(res.status(), 200, 'review page');
  return acceptAndConfirm(page);
}

// The free slots of the API that only one agent offers at 08:30 in Massy (Mon–Thu, before
// any other plan opens): booking one makes its start disappear from the API.
async function singleAgentVideoSlots(server, motifId, from, days = 14) {
  const { addDays, parisHourMinute } = require('./harness');
  const slots = await server.slots(motifId, 'video', from, addDays(from, days - 1));
  const count = new Map();
  for (const s of slots) count.set(s.epoch, (count.get(s.epoch) || 0) + 1);
  return slots.filter((s) => count.get(s.epoch) === 1 && parisHourMinute(s.epoch) === '08:30');
}

// A booking made through the public API (when the booking itself is not what is tested);
// returns {token, start (epoch seconds)}.
async function bookViaApi(server, motifId, fromDay, person = { first_name: 'Test', last_name: 'Personne', email: 'test@example.org' }) {
  const { addDays } = require('./harness');
  const slots = await server.slots(motifId, 'video', fromDay, addDays(fromDay, 13));
  assert.ok(slots.length > 0, `free video slots from ${fromDay}`);
  const slot = slots[Math.floor(slots.length / 2)];
  const terms = (await server.api('/api/v1/orgs/demo/terms')).json;
  const r = await server.api('/api/v1/orgs/demo/appointments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': 'fr' },
    body: JSON.stringify({
      motif: motifId, channel: 'video', start: slot.start, citizen: person,
      accept_terms: true, terms_version: terms.version,
    }),
  });
  assert.equal(r.status, 201, r.text);
  return { token: r.json.token, start: slot.epoch };
}

module.exports = {
  bookViaApi,
  tokenOf, motifByCode, weekUrl, clickSlot, fillDetails, submitDetails, acceptAndConfirm,
  completeBooking, singleAgentVideoSlots,
};
