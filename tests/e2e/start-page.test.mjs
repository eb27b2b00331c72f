// The start page after signing in: what needs the user's attention, a section per role, each
// item a link to its page with its deadline in words. axe-core checks each start page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, assertAccessible, hydrated, signIn } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a coordinator lands on a start page listing an overlap and follows its link', async () => {
  const { context, page, errors } = await openPage(browser);
  await signIn(page, 'coordinator-north');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('heading', { level: 1, name: 'Wat op u wacht' }).waitFor();
  const overlaps = page.getByRole('list', { name: 'Overlappen die op een reactie wachten' });
  const first = overlaps.getByRole('link').first();
  await first.waitFor();
  // The demo's plate overlap was never acknowledged: its deadline is in words, and past.
  await overlaps.getByText(/Bevestigen uiterlijk .* te laat/).first().waitFor();
  await hydrated(page);
  await assertAccessible(page, "a coordinator's start page");
  assert.deepEqual(errors, [], 'the start page hydrates without errors');
  const href = await first.getAttribute('href');
  assert.match(href, /^\/overlaps\/\d+$/);
  await first.click();
  await page.waitForURL(`${BASE}${href}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await context.close();
});

test("a manager's start page lists the stalled overlap they oversee", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, 'manager');
  await page.waitForURL(`${BASE}/`);
  const stalled = page.getByRole('list', { name: /^Vastgelopen overlappen/ });
  const plate = stalled.getByRole('listitem').filter({ hasText: 'GSZ-2026-009' });
  await plate.getByText('Ongecoördineerd').waitFor();
  await hydrated(page);
  await assertAccessible(page, "a manager's start page");
  await plate.getByRole('link').click();
  await page.waitForURL(/\/oversight\/overlaps\/\d+$/);
  await context.close();
});

test('without JavaScript the start page is complete and its links work', async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  await signIn(page, 'reporter');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('heading', { level: 2, name: 'Uw signalen' }).waitFor();
  await page.getByRole('link', { name: 'Een nieuw signaal melden' }).click();
  await page.waitForURL(`${BASE}/signals/new`);
  await context.close();
});
