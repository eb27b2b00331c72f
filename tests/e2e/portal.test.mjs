// End-to-end tests of the page shell, languages, hydration and accessibility, against a
// running server (see run.sh, which starts it on SQLite or a fresh PostgreSQL database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, assertAccessible, hydrated } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the title is never empty while a page hydrates (its code loads after the frame)', async () => {
  for (const path of ['/', '/sign-in', '/help']) {
    const { context, page } = await openPage(browser);
    await page.addInitScript(() => {
      window.liaisonTitles = [];
      const note = () => {
        if (window.liaisonTitles.at(-1) !== document.title) window.liaisonTitles.push(document.title);
      };
      const timer = setInterval(note, 2);
      document.addEventListener('DOMContentLoaded', note);
      setTimeout(() => clearInterval(timer), 15000);
    });
    await page.goto(`${BASE}${path}`);
    await hydrated(page);
    const titles = await page.evaluate(() => window.liaisonTitles);
    assert.ok(titles.length > 0, `${path}: titles were recorded`);
    assert.deepEqual(titles.filter((t) => !/Liaison/.test(t)), [], `${path}: ${JSON.stringify(titles)}`);
    await context.close();
  }
});

test('the start page is Dutch by default, shows the demo organisations and is accessible', async () => {
  const { context, page, errors } = await openPage(browser);
  const response = await page.goto(`${BASE}/`);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal(await page.locator('h1').innerText(), 'Wie werkt waaraan, waar en met wie?');
  await page.getByRole('cell', { name: /Koninklijke Marechaussee/ }).waitFor();
  assert.match(await page.title(), /Liaison/);
  for (const landmark of ['banner', 'navigation', 'main', 'contentinfo']) {
    assert.equal(await page.getByRole(landmark).count(), 1, `one ${landmark} landmark`);
  }
  await hydrated(page);
  await assertAccessible(page, 'the start page');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a 320 px screen the hydrated page folds the menu behind a working button', async () => {
  const { context, page, errors } = await openPage(browser, { viewport: { width: 320, height: 640 } });
  await page.goto(`${BASE}/`);
  await hydrated(page);
  const button = page.getByRole('button', { name: 'Menu' });
  const nav = page.locator('#main-nav');
  assert.equal(await nav.isVisible(), false, 'the folded menu is hidden');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await nav.getByRole('link', { name: 'Help' }).waitFor({ state: 'visible' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (overflow ${overflow}px)`);
  await assertAccessible(page, 'the start page at 320 px with the menu open');
  await nav.getByRole('link', { name: 'Help' }).click();
  await page.waitForURL(`${BASE}/help`);
  assert.equal(await page.locator('h1').innerText(), 'Help');
  assert.deepEqual(errors, []);
  await context.close();
});

test('switching to English is remembered and keeps the user on their page', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto(`${BASE}/help`);
  await hydrated(page);
  await Promise.all([page.waitForURL(`${BASE}/help`), page.getByRole('button', { name: 'English' }).click()]);
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.locator('h2#keyboard').innerText(), 'Keyboard');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  await assertAccessible(page, 'the help page in English');
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('h1').innerText(), 'Who works on what, where, with whom?');
  await hydrated(page);
  await assertAccessible(page, 'the start page in English');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a browser that prefers English gets English without choosing', async () => {
  const { context, page } = await openPage(browser, { locale: 'en-GB' });
  await page.goto(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await hydrated(page);
  await assertAccessible(page, 'the start page for an English browser');
  await context.close();
});

test('without JavaScript every page and the language switch still work', async () => {
  const { context, page } = await openPage(browser, {
    javaScriptEnabled: false,
    viewport: { width: 320, height: 640 },
  });
  await page.goto(`${BASE}/`);
  assert.equal(await page.locator('#main-nav').isVisible(), true, 'the menu is open without JavaScript');
  assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false);
  await page.getByRole('cell', { name: 'Openbaar Ministerie (OM)' }).waitFor();
  await Promise.all([page.waitForURL(`${BASE}/`), page.getByRole('button', { name: 'English' }).click()]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('link', { name: 'Help' }).click();
  await page.waitForURL(`${BASE}/help`);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Help');
  await context.close();
});

// axe-core needs scripts to run, so the page as served without JavaScript is checked with
// the application's own scripts blocked: the same markup, never hydrated.
test('the pages as served, before any WebAssembly runs, are accessible', async () => {
  const { context, page } = await openPage(browser, { viewport: { width: 320, height: 640 } });
  await context.route(/\/pkg\/liaison\.(js|wasm)$/, (route) => route.abort());
  for (const path of ['/', '/help', '/no-such-page']) {
    await page.goto(`${BASE}${path}`);
    assert.equal(await page.locator('header.site-header.enhanced').count(), 0, 'not hydrated');
    assert.equal(await page.locator('#main-nav').isVisible(), true);
    await assertAccessible(page, `${path} before hydration`);
  }
  await context.close();
});

test('an unknown address shows a 404 page inside the shell', async () => {
  const { context, page } = await openPage(browser);
  const response = await page.goto(`${BASE}/no-such-page`);
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').innerText(), 'Pagina niet gevonden');
  await hydrated(page);
  await assertAccessible(page, 'the 404 page');
  await context.close();
});

test('the health endpoint reports the database', async () => {
  const { context, page } = await openPage(browser);
  const response = await page.request.get(`${BASE}/healthz`);
  assert.equal(response.status(), 200);
  assert.deepEqual(await response.json(), { status: 'ok', database: 'ok' });
  await context.close();
});
