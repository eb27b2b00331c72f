// A coordinator records a case of their joint venture; a bad field is named; the list finds it.
import { test, before, after } from 'node:test';
import { BASE, launch, openPage, assertAccessible, hydrated, signIn } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a coordinator creates a case, fixes a bad field, and finds it in the list', async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, 'coordinator-north');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Zaken' }).click();
  await page.waitForURL(`${BASE}/cases`);
  await page.getByRole('link', { name: 'Nieuwe zaak' }).click();
  await page.waitForURL(`${BASE}/cases/new`);
  await hydrated(page);
  await page.getByLabel('Kenmerk').fill('TMN 2026?');
  await page.getByLabel('Titel').fill('Busroute Ter Apel');
  await page.getByLabel('Begindatum').fill('2026-03-01');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.getByText('vul een kenmerk in van letters').waitFor();
  await assertAccessible(page, 'the case form with an error');
  await page.getByLabel('Kenmerk').fill('TMN-2026-001');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=/);
  await page.getByRole('heading', { name: 'TMN-2026-001: Busroute Ter Apel' }).waitFor();
  await assertAccessible(page, 'a case page');
  await page.goto(`${BASE}/cases?q=apel`);
  await page.getByRole('link', { name: 'TMN-2026-001' }).waitFor();
  await hydrated(page);
  await assertAccessible(page, 'the case list');
  await context.close();
});
