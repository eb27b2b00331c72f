// A reception-centre reporter files a soft signal on a phone-sized screen; the coordinator of
// the joint venture the routing rule chose assesses it, routes it and links it to a case, and
// writes feedback; the reporter reads the feedback.
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

const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };

test('a soft signal goes from a reporter on a phone to followed up and back as feedback', async () => {
  const reporter = await openPage(browser, PHONE);
  const page = reporter.page;
  await signIn(page, 'reporter');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/signals`);
  await hydrated(page);
  await page.getByRole('link', { name: 'Signaal melden' }).click();
  await page.waitForURL(`${BASE}/signals/new`);
  await hydrated(page);
  await assertAccessible(page, 'the reporting form on a phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the form fits a phone screen (${overflow}px too wide)`);
  await page.getByLabel('Zacht: een indruk').check();
  await page.getByLabel('Thema').selectOption('trafficking');
  await page.getByLabel('Categorie').selectOption({ label: 'Signalen van uitbuiting' });
  await page.getByLabel('Wat viel u op?').fill('Een bewoonster geeft haar loon af aan een man die buiten wacht.');
  await page.getByLabel('Waar').fill('Opvanglocatie, aanmeldcentrum');
  await page.getByRole('button', { name: 'Signaal melden' }).click();
  await page.waitForURL(/\/signals\/\d+\?saved=reported/);
  await hydrated(page);
  await page.getByText('Uw signaal is gemeld').waitFor();
  const signalUrl = page.url().replace(/\?.*$/, '');
  await page.getByText('Nieuw', { exact: true }).first().waitFor();
  await assertAccessible(page, "the reporter's view of a new signal");

  const coordinator = await openPage(browser);
  const desk = coordinator.page;
  await signIn(desk, 'coordinator-amsterdam');
  await desk.waitForURL(`${BASE}/`);
  await desk.goto(signalUrl);
  await hydrated(desk);
  await desk.getByText('Rosa Bakker', { exact: false }).first().waitFor();
  await assertAccessible(desk, "the owner's view of a new signal");
  await desk.getByRole('button', { name: 'Beoordeeld' }).click();
  await desk.waitForURL(/saved=step/);
  await hydrated(desk);
  await desk.getByRole('button', { name: 'Routeren' }).click();
  await desk.waitForURL(/saved=step/);
  await hydrated(desk);
  await desk.getByLabel('Uitkomst').selectOption('linked_case');
  await desk.getByLabel('Zaak', { exact: true }).selectOption({ label: 'KMA-2026-007 — Uitbuiting in massagesalons West' });
  await desk.getByRole('button', { name: 'Opgevolgd' }).click();
  await desk.waitForURL(/saved=step/);
  await hydrated(desk);
  await desk.getByText('Gekoppeld aan een zaak').first().waitFor();
  await desk.getByLabel('Terugkoppeling aan de melder').fill('Dank u. We hebben dit opgepakt met onze partners.');
  await desk.getByRole('button', { name: 'Terugkoppeling opslaan' }).click();
  await desk.waitForURL(/saved=feedback/);
  await hydrated(desk);
  await assertAccessible(desk, 'a followed-up signal');

  // The joint analysis counts it, drawn as SVG with the numbers as tables.
  await desk.goto(`${BASE}/signals/analysis`);
  await hydrated(desk);
  await desk.getByRole('img', { name: 'Signalen per maand, hard en zacht' }).waitFor();
  await desk.getByRole('row').filter({ hasText: 'Signalen van uitbuiting' }).first().waitFor();
  await assertAccessible(desk, 'the joint analysis');

  await page.goto(signalUrl);
  await hydrated(page);
  await page.getByText('We hebben dit opgepakt met onze partners.').waitFor();
  await page.getByText('Opgevolgd', { exact: true }).first().waitFor();
  assert.equal(await page.getByText('KMA-2026-007').count(), 0, 'no case detail for the reporter');
  await assertAccessible(page, 'the feedback as the reporter reads it');
  assert.deepEqual(reporter.errors, []);
  assert.deepEqual(coordinator.errors, []);
  await reporter.context.close();
  await coordinator.context.close();
});
