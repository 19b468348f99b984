'use strict';
// Citizen journeys in a real browser: keyboard booking with JavaScript, the same without
// JavaScript then cancellation, rescheduling, validation errors.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const {
  useServerAndBrowser, newContext, navigate, tabUntil, text, typeInto, checkA11y, parisDay,
  parisIcalTime, slotOf, todayInParis, addDays, icalLines, veventLines,
} = require('./harness');
const {
  tokenOf, motifByCode, weekUrl, clickSlot, fillDetails, submitDetails, acceptAndConfirm,
  completeBooking, singleAgentVideoSlots, bookViaApi,
} = require('./flow');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Collects script errors and CSP refusals: pages must run under their own CSP.
function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

test('a: a newcomer books a video appointment with the keyboard (JavaScript on)', { timeout: 90_000 }, async () => {
  const motif = await motifByCode(server, 'online_help');
  const ctx = await newContext(browser); // CSP enforced, JavaScript on
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  const page = await ctx.newPage();
  const problems = watchProblems(page);
  try {
    // Organisation page: motifs by theme.
    let res = await page.goto(server.url('/demo/'));
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, 'h1'), 'Prendre rendez-vous');
    const themes = await page.locator('section.theme h3').allInnerTexts();
    assert.ok(themes.includes('Démarches en ligne') && themes.includes('Logement'), `themes: ${themes}`);
    assert.equal(await page.locator(`section.theme a.card-link[href*="motif=${motif.id}&"]`).count(), 1);

    // The skip link comes first and leads to the main content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main');
    assert.ok(await page.locator('.skip-link').evaluate((el) => el.getBoundingClientRect().left >= 0),
      'the skip link is visible when focused');

    await tabUntil(page, `(el) => el.classList.contains('card-link') && el.textContent.includes(${JSON.stringify(motif.name)})`, 'the motif link');
    await navigate(page, () => page.keyboard.press('Enter'));
    assert.match(page.url(), new RegExp(`/demo/book\\?lang=fr&motif=${motif.id}&$`));

    // Channel step: radio group, video first and checked; arrows move the choice.
    assert.equal(await text(page, 'h1'), 'Comment souhaitez-vous échanger ?');
    assert.deepEqual(await page.locator('input[name="mode"]').evaluateAll((els) => els.map((e) => e.value)),
      ['video', 'partner', 'on_site', 'phone']);
    await tabUntil(page, '(el) => el.name === "mode"', 'the mode radio group');
    assert.deepEqual(await page.evaluate(() => [document.activeElement.value, document.activeElement.checked]), ['video', true]);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('input[name="mode"]:checked').getAttribute('value'), 'partner');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('input[name="mode"]:checked').getAttribute('value'), 'video');
    await tabUntil(page, '(el) => el.tagName === "BUTTON"', 'the Continuer button');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Continuer');
    await navigate(page, () => page.keyboard.press('Enter'));
    assert.match(page.url(), /[?&]mode=video(&|$)/);

    // Week view.
    assert.equal(await text(page, 'h1'), 'Choisissez un jour et une heure');
    assert.match(await text(page, '.first-slot'), /^Premier créneau disponible : .+ — choisir ce créneau$/);
    assert.equal(await page.locator('.first-slot a').count(), 1);
    assert.equal(await page.getByRole('link', { name: /Semaine suivante/ }).count(), 1);
    assert.ok(await page.locator('a.slot').count() > 0, 'slot links in the week');
    await tabUntil(page, '(el) => el.classList.contains("slot")', 'a slot link');
    const slot = await page.evaluate(() => ({
      label: document.activeElement.getAttribute('aria-label'),
      href: document.activeElement.getAttribute('href'),
      time: document.activeElement.textContent.trim(),
    }));
    // French times: "8 h 30", never broken across lines (non-breaking spaces).
    assert.match(slot.label, /^\S+ \d{1,2} \S+ 20\d\d à \d{1,2}\u00a0h\u00a0\d\d$/, `slot label: ${slot.label}`);
    assert.ok(slot.label.endsWith(slot.time), 'the label ends with the visible time');
    slot.label = slot.label.replace(/\s+/g, ' ');  // as text() reads pages below
    const epoch = slotOf(slot.href);
    res = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(res.status(), 200);

    // Details: fill every field by focusing it and typing.
    assert.equal(await text(page, 'h1'), 'Vos coordonnées');
    assert.equal(await text(page, '.lead strong'), slot.label);
    assert.equal(await page.locator('#beneficiary_number').count(), 0, 'this motif does not ask for the number');
    await typeInto(page, '#first_name', 'Amina');
    await typeInto(page, '#last_name', 'Diallo');
    await typeInto(page, '#email', 'amina.diallo@example.org');
    await typeInto(page, '#phone', '06 12 34 56 78');
    assert.equal(await page.inputValue('#language'), 'fr', 'message language defaults to the page language');
    await typeInto(page, '#needs', 'Sous-titres');
    await tabUntil(page, '(el) => el.type === "submit"', 'the Continuer button');
    res = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(res.status(), 200);

    // Review.
    assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');
    const summary = await text(page, 'main');
    for (const s of [motif.name, slot.label, 'Vidéo', 'Amina', 'Diallo', 'amina.diallo@example.org', 'Sous-titres', 'Français']) {
      assert.ok(summary.includes(s), `review shows ${s}`);
    }
    assert.equal(await page.getByRole('button', { name: 'Modifier mes coordonnées' }).count(), 1);
    assert.ok(await page.locator('.conduct li').count() >= 5, 'conduct rules listed');
    // The terms are in a focusable, labelled region that scrolls with the keyboard.
    await tabUntil(page, '(el) => el.classList.contains("terms-box")', 'the terms region');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'region');
    const box = page.locator('.terms-box');
    assert.ok(await box.evaluate((el) => el.scrollHeight > el.clientHeight), 'the terms box scrolls');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('.terms-box').scrollTop > 0, null, { timeout: 5000 });
    await tabUntil(page, '(el) => el.id === "accept_terms"', 'the accept checkbox');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#accept_terms'), true);
    await tabUntil(page, '(el) => el.tagName === "BUTTON"', 'the confirm button');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Confirmer le rendez-vous');
    res = await navigate(page, () => page.keyboard.press('Enter'));
    assert.equal(res.status(), 200);

    // Confirmation = management page.
    assert.match(page.url(), /\/manage\/[A-Za-z0-9_-]{43}\?created=1&lang=fr$/);
    const token = tokenOf(page.url());
    assert.equal(await text(page, '[role="status"] h1'), 'Votre rendez-vous est confirmé');
    assert.equal(await text(page, '.status strong'), 'confirmé');
    const details = await text(page, 'dl.summary');
    assert.ok(details.includes(slot.label) && details.includes(motif.name) && details.includes('Vidéo'), details);
    const ics = page.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' });
    assert.equal(await ics.getAttribute('href'), `/manage/${token}/ics`);
    assert.equal(await page.getByRole('link', { name: 'Déplacer le rendez-vous' }).getAttribute('href'),
      `/manage/${token}/reschedule?lang=fr`);
    assert.equal(await page.locator('textarea#reason').count(), 0, 'the reason is asked on the confirmation step');
    assert.equal(await page.getByRole('link', { name: 'Annuler le rendez-vous', exact: true }).count(), 1);

    // Progressive enhancement: the copy button appears with JavaScript and copies the link.
    const copy = page.locator('[data-copy-link]');
    assert.equal(await copy.isVisible(), true, 'copy button shown when JavaScript runs');
    await copy.click();
    await page.waitForFunction(() => document.querySelector('[data-copy-status]').textContent !== '', null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), server.url(`/manage/${token}`));
    const copied = await text(page, '[data-copy-status]');
    assert.equal(copied, 'Lien copié.', 'the copy status is announced in words, in the page language');

    // The booking exists for the API too.
    const api = await server.api(`/api/v1/appointments/${token}`);
    assert.equal(api.status, 200);
    assert.equal(Date.parse(api.json.start) / 1000, epoch);
    assert.equal(api.json.channel, 'video');
    assert.deepEqual(problems, [], 'no script error or CSP refusal');

    // .ics by keyboard: a download (last: checks the calendar file's content).
    await ics.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const r = await ctx.request.get(server.url(`/manage/${token}/ics`));
    assert.equal(r.status(), 200);
    assert.match(r.headers()['content-type'], /^text\/calendar/);
    const body = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(body, await r.text(), 'the download is the calendar file');
    const lines = icalLines(body);
    assert.ok(lines.includes('BEGIN:VEVENT'));
    assert.ok(lines.includes('STATUS:CONFIRMED'));
    assert.deepEqual(veventLines(body).filter((l) => l.startsWith('DTSTART')),
      [`DTSTART;TZID=Europe/Paris:${parisIcalTime(epoch)}`], 'DTSTART in Paris local time');
  } finally {
    await ctx.close();
  }
});

test('b: the same booking without JavaScript, then cancellation from the management link', { timeout: 90_000 }, async () => {
  const motif = await motifByCode(server, 'birth');
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  try {
    await page.goto(server.url('/demo/'));
    await navigate(page, () => page.getByRole('link', { name: new RegExp(motif.name) }).click());
    assert.equal(await text(page, 'h1'), 'Comment souhaitez-vous échanger ?');
    await page.check('#mode-video');
    await navigate(page, () => page.getByRole('button', { name: 'Continuer' }).click());
    assert.equal(await text(page, 'h1'), 'Choisissez un jour et une heure');

    // "First available slot" link.
    const first = await text(page, '.first-slot strong');
    const firstHref = await page.locator('.first-slot a').getAttribute('href');
    const epoch = slotOf(firstHref);
    await navigate(page, () => page.locator('.first-slot a').click());
    assert.equal(await text(page, 'h1'), 'Vos coordonnées');
    assert.equal(await text(page, '.lead strong'), first);

    await fillDetails(page, { first_name: 'Lucas', last_name: 'Bernard', phone: '+33 6 98 76 54 32' });
    let res = await submitDetails(page);
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');

    // "Modifier mes coordonnées" goes back to the form with the values kept.
    res = await navigate(page, () => page.getByRole('button', { name: 'Modifier mes coordonnées' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Vos coordonnées');
    assert.equal(await page.inputValue('#first_name'), 'Lucas');
    assert.equal(await page.inputValue('#phone'), '+33 6 98 76 54 32');
    await page.fill('#last_name', 'Bernard-Petit');
    res = await submitDetails(page);
    assert.equal(res.status(), 200);
    assert.ok((await text(page, 'main')).includes('Bernard-Petit'));

    // Without JavaScript the browser still refuses to confirm before the terms are accepted.
    await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');
    assert.equal(await page.evaluate(() => document.querySelector('#accept_terms').validity.valueMissing), true);
    const token = await acceptAndConfirm(page);
    assert.equal(await text(page, '.status strong'), 'confirmé');
    assert.ok((await text(page, 'dl.summary')).includes(first));
    assert.equal(await page.locator('[data-copy-link]').isVisible(), false, 'no copy button without JavaScript');

    assert.ok((await text(page, 'main')).includes('À préparer'), 'a live appointment lists what to prepare');

    // Cancelling asks first: the link leads to a question, nothing is cancelled yet.
    res = await navigate(page, () => page.getByRole('link', { name: 'Annuler le rendez-vous', exact: true }).click());
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Annuler ce rendez-vous ?');
    assert.equal((await server.api(`/api/v1/appointments/${token}`)).json.status, 'booked', 'not cancelled by the link');
    // "No" goes back, still booked.
    res = await navigate(page, () => page.getByRole('link', { name: 'Non, garder mon rendez-vous' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await text(page, '.status strong'), 'confirmé');
    assert.equal((await server.api(`/api/v1/appointments/${token}`)).json.status, 'booked');
    await navigate(page, () => page.getByRole('link', { name: 'Annuler le rendez-vous', exact: true }).click());

    // Cancel with a reason.
    await page.fill('#reason', 'Je ne suis plus disponible ce jour-là.');
    res = await navigate(page, () => page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click());
    assert.equal(res.status(), 200);
    assert.match(page.url(), new RegExp(`/manage/${token}\\?cancelled=1&lang=fr$`));
    assert.equal(await text(page, '[role="status"] h1'), 'Votre rendez-vous est annulé');
    assert.equal(await text(page, '.status strong'), 'annulé');
    assert.ok((await text(page, 'main')).includes('Je ne suis plus disponible ce jour-là.'), 'reason shown');
    const again = page.getByRole('link', { name: 'Prendre un nouveau rendez-vous' });
    assert.equal(await again.getAttribute('href'), '/demo/?lang=fr');
    assert.equal(await page.locator('textarea#reason').count(), 0, 'no cancel form any more');
    assert.ok(!(await text(page, 'main')).includes('À préparer'), 'nothing to prepare for a cancelled appointment');
    assert.equal(await page.getByRole('link', { name: 'Déplacer le rendez-vous' }).count(), 0);

    const api = await server.api(`/api/v1/appointments/${token}`);
    assert.equal(api.json.status, 'cancelled');
    assert.equal(api.json.cancel_reason, 'Je ne suis plus disponible ce jour-là.');
    assert.equal(Date.parse(api.json.start) / 1000, epoch);
    // A cancelled appointment can no longer be moved; its calendar file says so.
    res = await page.goto(server.url(`/manage/${token}/reschedule?lang=fr`));
    assert.equal(res.status(), 410);
    const ics = icalLines((await server.api(`/manage/${token}/ics`)).text);
    assert.ok(ics.includes('STATUS:CANCELLED') && ics.includes('METHOD:CANCEL'), 'the calendar file cancels the event');

    await page.goto(server.url(`/manage/${token}?lang=fr`));
    await navigate(page, () => page.getByRole('link', { name: 'Prendre un nouveau rendez-vous' }).click());
    assert.equal(await text(page, 'h1'), 'Prendre rendez-vous');
  } finally {
    await ctx.close();
  }
});

// The field lets the citizen type 500 characters (maxlength); French text has accents, which
// take two bytes each in UTF-8: the server must count characters, as it does for the other fields.
test('b2: a cancellation reason with accents, within the 500 characters the field allows, is accepted', { timeout: 60_000 }, async () => {
  const motif = await motifByCode(server, 'birth');
  const { token } = await bookViaApi(server, motif.id, addDays(todayInParis(), 7));
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(server.url(`/manage/${token}/cancel?lang=fr`));
    const reason = ('Empêché à cause d’un déménagement prévu. ').repeat(12).slice(0, 480).trim();
    await page.fill('#reason', reason);
    assert.equal(await page.inputValue('#reason'), reason, 'the browser accepted the whole reason');
    const res = await navigate(page, () => page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click());
    assert.equal(res.status(), 200, `cancellation with a ${reason.length}-character reason (${Buffer.byteLength(reason)} bytes): ${await text(page, 'main')}`);
    assert.equal(await text(page, '.status strong'), 'annulé');
    assert.equal((await server.api(`/api/v1/appointments/${token}`)).json.cancel_reason, reason);
  } finally {
    await ctx.close();
  }
});

test('b3: a refused cancellation marks the field and keeps the typed reason', { timeout: 60_000 }, async () => {
  const motif = await motifByCode(server, 'birth');
  const { token } = await bookViaApi(server, motif.id, addDays(todayInParis(), 8));
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(server.url(`/manage/${token}/cancel?lang=fr`));
    // Older browsers do not enforce maxlength: more than the server accepts.
    await page.locator('#reason').evaluate((el) => el.removeAttribute('maxlength'));
    const reason = 'Trop long. '.repeat(60);
    await page.fill('#reason', reason);
    const res = await navigate(page, () => page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click());
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('#error-summary a[href="#reason"]').count(), 1);
    assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#reason').getAttribute('aria-describedby'), 'reason-error');
    assert.equal((await server.api(`/api/v1/appointments/${token}`)).json.status, 'booked', 'not cancelled');
    assert.equal((await page.inputValue('#reason')).trim(), reason.trim(), 'the typed reason is kept for correction');
  } finally {
    await ctx.close();
  }
});

test('c: an appointment is moved; the new time is shown and the old slot is free again', { timeout: 90_000 }, async () => {
  const motif = await motifByCode(server, 'online_help');
  const today = todayInParis();
  const candidates = await singleAgentVideoSlots(server, motif.id, today);
  assert.ok(candidates.length > 0, 'a single-agent 08:30 video slot in the next two weeks');
  const old = candidates[0].epoch;
  const oldDay = parisDay(old);
  const freeOnOldDay = async () => (await server.slots(motif.id, 'video', oldDay, oldDay)).some((s) => s.epoch === old);

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(weekUrl(server, motif.id, oldDay));
    const oldLabel = await clickSlot(page, old);
    const token = await completeBooking(page, { first_name: 'Marc', last_name: 'Lemoine', email: 'marc@example.org' });
    assert.equal(await freeOnOldDay(), false, 'the booked slot is no longer offered');

    // Someone else trying that slot now is told it is taken.
    const other = await newContext(browser);
    try {
      const p2 = await other.newPage();
      const res = await p2.goto(server.url(`/demo/book?lang=fr&motif=${motif.id}&mode=video&slot=${old}`));
      assert.equal(res.status(), 409);
      assert.match(await text(p2, '.notice[role="alert"]'), /vient d'être réservé/);
    } finally {
      await other.close();
    }

    // Move it.
    let res = await navigate(page, () => page.getByRole('link', { name: 'Déplacer le rendez-vous' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Déplacer votre rendez-vous');
    assert.ok((await text(page, 'main')).includes(oldLabel), 'current appointment shown');
    assert.equal(await page.locator(`a.slot[href*="slot=${old}"]`).count(), 0, 'the current time is not offered as a move');
    if (await page.locator('a.slot').count() === 0) {
      await navigate(page, () => page.getByRole('link', { name: /Semaine suivante/ }).click());
    }
    const target = page.locator('a.slot').last();
    const newLabel = (await target.getAttribute('aria-label')).replace(/\s+/g, ' ');
    const moved = slotOf(await target.getAttribute('href'));
    assert.notEqual(moved, old);
    res = await navigate(page, () => target.click());
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Confirmer le déplacement');
    const confirmText = await text(page, 'main');
    assert.ok(confirmText.includes(`Rendez-vous actuel : ${oldLabel}`), confirmText);
    assert.ok(confirmText.includes(`Nouveau créneau : ${newLabel}`), confirmText);
    res = await navigate(page, () => page.getByRole('button', { name: 'Confirmer le nouveau créneau' }).click());
    assert.equal(res.status(), 200);
    assert.match(page.url(), new RegExp(`/manage/${token}\\?rescheduled=1&lang=fr$`));
    assert.equal(await text(page, '[role="status"] h1'), 'Votre rendez-vous a été déplacé');
    const details = await text(page, 'dl.summary');
    assert.ok(details.includes(newLabel), `new time shown: ${details}`);
    assert.ok(!details.includes(oldLabel), 'old time gone');
    assert.equal(await text(page, '.status strong'), 'confirmé');

    const api = await server.api(`/api/v1/appointments/${token}`);
    assert.equal(Date.parse(api.json.start) / 1000, moved);
    assert.equal(await freeOnOldDay(), true, 'the old slot is free again');
    const ics = veventLines((await server.api(`/manage/${token}/ics`)).text);
    assert.deepEqual(ics.filter((l) => l.startsWith('DTSTART')),
      [`DTSTART;TZID=Europe/Paris:${parisIcalTime(moved)}`], 'the calendar file has the new time');
  } finally {
    await ctx.close();
  }
});

test('d: the details form reports every error, keeps what was typed, and stays accessible', { timeout: 90_000 }, async () => {
  const motif = await motifByCode(server, 'rsa'); // asks for the beneficiary number
  const ctx = await newContext(browser, { bypassCSP: true }); // axe is injected
  const page = await ctx.newPage();
  try {
    await page.goto(weekUrl(server, motif.id));
    await navigate(page, () => page.locator('a.slot').first().click());
    assert.equal(await text(page, 'h1'), 'Vos coordonnées');
    assert.equal(await page.locator('#beneficiary_number').count(), 1);
    assert.equal(await page.locator('[aria-invalid]').count(), 0);

    // Empty form.
    let res = await submitDetails(page);
    assert.equal(res.status(), 422);
    assert.equal(await text(page, 'h1'), 'Vos coordonnées');
    const summary = page.locator('div#error-summary');
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.equal(await text(page, '#error-summary h2'), 'Veuillez corriger les erreurs suivantes');
    // JavaScript moves focus to the summary.
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'error-summary', null, { timeout: 5000 });
    const links = await summary.locator('a').evaluateAll((els) => els.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
    assert.deepEqual(links.map(([h]) => h).sort(), ['#email', '#first_name', '#last_name', '#phone']);
    assert.ok(links.some(([, t]) => t === 'Prénom : Ce champ est obligatoire.'), JSON.stringify(links));
    for (const [href] of links) {
      const field = page.locator(href);
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${href} marked invalid`);
      const described = await field.evaluate((el) =>
        (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
          .map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent.trim()).join(' | '));
      assert.match(described, /obligatoire|e-mail ou un numéro/, `${href} describes its error: ${described}`);
    }
    assert.equal(await page.locator('#needs').getAttribute('aria-invalid'), null);
    // A summary link takes the user to the field.
    await page.locator('#error-summary a[href="#last_name"]').click();
    assert.equal(new URL(page.url()).hash, '#last_name');
    assert.ok(await page.locator('#last_name').evaluate((el) => {
      const b = el.getBoundingClientRect();
      return b.top >= 0 && b.bottom <= window.innerHeight;
    }), 'the field is scrolled into view');
    await checkA11y(page, 'details page with errors (all empty)');

    // Partly right: what was typed is kept, only the remaining errors are listed.
    await page.fill('#first_name', 'Nadia');
    await page.fill('#email', 'pas-une-adresse');
    await page.fill('#beneficiary_number', '12-34 !');
    // A tampered choice (not offered by the list) is refused too.
    await page.locator('#language option[value="de"]').evaluate((o) => { o.value = 'xx'; o.selected = true; });
    res = await submitDetails(page);
    assert.equal(res.status(), 422);
    assert.equal(await page.inputValue('#first_name'), 'Nadia');
    assert.equal(await page.inputValue('#email'), 'pas-une-adresse');
    assert.equal(await page.locator('#first_name').getAttribute('aria-invalid'), null);
    const hrefs = await page.locator('#error-summary a').evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs.sort(), ['#beneficiary_number', '#email', '#language', '#last_name']);
    assert.equal(await page.locator('#language').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#language').getAttribute('aria-describedby'), 'language-error');
    assert.equal(await page.inputValue('#language'), 'fr', 'back to an offered language');
    assert.match(await text(page, '#email-error'), /n'est pas valide/);
    assert.match(await text(page, '#beneficiary_number-error'), /chiffres et des lettres/);
    assert.equal(await page.locator('#beneficiary_number').getAttribute('aria-invalid'), 'true');
    await checkA11y(page, 'details page with errors (partly filled)');

    // Corrected: on to the review.
    await page.fill('#last_name', 'Haddad');
    await page.fill('#email', 'nadia.haddad@example.org');
    await page.fill('#beneficiary_number', '1234567A');
    res = await submitDetails(page);
    assert.equal(res.status(), 200);
    assert.equal(await text(page, 'h1'), 'Vérifiez et confirmez');
    assert.ok((await text(page, 'main')).includes('1234567A'));
  } finally {
    await ctx.close();
  }
});
