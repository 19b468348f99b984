'use strict';
// Language: ?lang=, the switcher, the remembered choice, Accept-Language.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const {
  useServerAndBrowser, newContext, navigate, text, catalogue,
} = require('./harness');
const { motifByCode } = require('./flow');

let server;
let browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const FR = catalogue('fr');

// The switcher: four links, each in its own language, the current one marked.
async function checkSwitcher(page, current) {
  const links = await page.locator('nav.lang-switch a').evaluateAll((els) => els.map((a) => ({
    lang: a.getAttribute('lang'),
    href: a.getAttribute('href'),
    current: a.getAttribute('aria-current'),
    text: a.textContent.trim(),
  })));
  assert.deepEqual(links.map((l) => l.lang), ['fr', 'en', 'nl', 'de']);
  assert.deepEqual(links.map((l) => l.text), ['Français', 'English', 'Nederlands', 'Deutsch']);
  for (const l of links) {
    assert.match(l.href, new RegExp(`[?&]lang=${l.lang}$`));
    assert.equal(l.current, l.lang === current ? 'true' : null, `aria-current on ${l.lang}`);
  }
  assert.equal(await page.getAttribute('nav.lang-switch', 'aria-label'), catalogue(current).common.language);
}

test('f: ?lang=en shows English, and the choice is remembered', { timeout: 60_000 }, async () => {
  const en = catalogue('en');
  assert.notEqual(en.org.title, FR.org.title, 'English catalogue is translated');
  const ctx = await newContext(browser); // Accept-Language: fr-FR
  const page = await ctx.newPage();
  try {
    await page.goto(server.url('/demo/'));
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, 'h1'), 'Prendre rendez-vous');
    await checkSwitcher(page, 'fr');

    await page.goto(server.url('/demo/?lang=en'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, 'h1'), en.org.title);
    assert.equal(await text(page, 'h2'), en.org.choose_motif);
    assert.equal(await text(page, '.skip-link'), en.common.skip_to_content);
    await checkSwitcher(page, 'en');
    // Motif names and themes come in English too.
    const motifs = await server.motifs('en');
    const names = await page.locator('.card-title').allInnerTexts();
    assert.ok(names.includes(motifs.find((m) => m.code === 'online_help').name), names.join(' | '));

    // Remembered without ?lang= (cookie), despite Accept-Language: fr.
    await page.goto(server.url('/demo/'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, 'h1'), en.org.title);
  } finally {
    await ctx.close();
  }
});

test('f: Accept-Language de shows German by default, dates included', { timeout: 60_000 }, async () => {
  const de = catalogue('de');
  assert.notEqual(de.org.title, FR.org.title, 'German catalogue is translated');
  const ctx = await newContext(browser, { locale: 'de-DE' });
  const page = await ctx.newPage();
  try {
    await page.goto(server.url('/demo/'));
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await text(page, 'h1'), de.org.title);
    await checkSwitcher(page, 'de');

    const motif = await motifByCode(server, 'online_help');
    await page.goto(server.url(`/demo/book?motif=${motif.id}&mode=video`));
    assert.equal(await text(page, 'h1'), de.slots_step.title);
    // "Freitag, 27. November 2026 um 09:00"
    const label = await page.locator('a.slot').first().getAttribute('aria-label');
    const weekday = label.split(',')[0];
    assert.ok(de.date.weekdays.includes(weekday), `German weekday in ${label}`);
    assert.match(label, new RegExp(`^\\S+, \\d{1,2}\\. (${de.date.months.join('|')}) \\d{4} ${de.date.at} \\d\\d:\\d\\d$`));
  } finally {
    await ctx.close();
  }
});

test('f: the switcher keeps the step and changes the language (Dutch)', { timeout: 60_000 }, async () => {
  const nl = catalogue('nl');
  const motif = await motifByCode(server, 'online_help');
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(server.url(`/demo/book?lang=fr&motif=${motif.id}&mode=video`));
    assert.equal(await text(page, 'h1'), FR.slots_step.title);
    const frSlots = await page.locator('a.slot').evaluateAll((els) => els.map((a) => a.getAttribute('href').match(/slot=(\d+)/)[1]));
    await navigate(page, () => page.getByRole('link', { name: 'Nederlands' }).click());
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('lang'), 'nl');
    assert.equal(url.searchParams.get('motif'), String(motif.id));
    assert.equal(url.searchParams.get('mode'), 'video');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.equal(await text(page, 'h1'), nl.slots_step.title);
    await checkSwitcher(page, 'nl');
    const nlSlots = await page.locator('a.slot').evaluateAll((els) => els.map((a) => a.getAttribute('href').match(/slot=(\d+)/)[1]));
    assert.deepEqual(nlSlots, frSlots, 'same week, same slots');
    // The flow links stay in Dutch.
    assert.match(await page.locator('a.slot').first().getAttribute('href'), /[?&]lang=nl&/);

    // An unknown language falls back (here to the remembered Dutch), never to an error.
    const res = await page.goto(server.url('/demo/?lang=xx'));
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  } finally {
    await ctx.close();
  }
});
