// Retention: an administrator adds a rule on /admin/retention (a wrong number is named at its
// field first); a coordinator finds a case due for review at /cases?review=due and extends it
// with a reason on the case page.
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

/** `YYYY-MM-DD` of today less `months` months (the first of the month, to stay valid). */
function monthsAgo(months) {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

test('an administrator sets a retention rule', async () => {
  const { page } = await openPage(browser);
  await signIn(page, 'admin');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Bewaartermijnen' }).click();
  await page.waitForURL(`${BASE}/admin/retention`);
  await hydrated(page);
  await page.getByRole('heading', { name: 'Regels' }).waitFor();
  await assertAccessible(page, 'the retention rules');

  await page.getByLabel('Soort').selectOption({ label: 'Politie' });
  await page.getByLabel('Thema').selectOption({ label: 'Mensenhandel' });
  await page.getByLabel(/Open: maanden/).fill('999');
  await page.getByLabel(/Na sluiten: maanden/).fill('18');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.getByText('vul een heel getal in tussen 0–120').waitFor();
  await assertAccessible(page, 'a retention rule with a wrong number');

  await page.getByLabel(/Open: maanden/).fill('30');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/\/admin\/retention\?saved=1/);
  const row = page.getByRole('row').filter({ hasText: 'Politie' }).filter({ hasText: 'Mensenhandel' });
  await row.waitFor();
  assert.match(await row.innerText(), /30\s+18\s+60/);
});

test('a coordinator extends a case due for review', async () => {
  const { page } = await openPage(browser);
  await signIn(page, 'coordinator-north');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/cases/new`);
  await hydrated(page);
  await page.getByLabel('Kenmerk').fill('TMN-2025-BEWAAR');
  await page.getByLabel('Titel').fill('Oude route');
  await page.getByLabel('Begindatum').fill(monthsAgo(23));
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=/);

  await page.goto(`${BASE}/cases?review=due&q=BEWAAR`);
  await hydrated(page);
  const row = page.getByRole('row').filter({ hasText: 'TMN-2025-BEWAAR' });
  await row.getByText('herbeoordelen').waitFor();
  await assertAccessible(page, 'the cases due for review');
  await row.getByRole('link', { name: 'TMN-2025-BEWAAR' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  await hydrated(page);
  await page.getByText(/Deze zaak moet herbeoordeeld worden/).waitFor();

  await page.getByRole('button', { name: 'Bewaartermijn verlengen' }).click();
  await page.getByText('vul dit in').waitFor();
  await page.getByLabel('Reden om langer te bewaren').fill('Het onderzoek loopt nog.');
  await page.getByRole('button', { name: 'Bewaartermijn verlengen' }).click();
  await page.waitForURL(/extended=1/);
  await page.getByRole('status').filter({ hasText: 'De bewaartermijn is verlengd.' }).waitFor();
  assert.equal(await page.getByText(/Deze zaak moet herbeoordeeld worden/).count(), 0);
  await assertAccessible(page, 'a case whose retention was extended');

  await page.goto(`${BASE}/cases?review=due&q=BEWAAR`);
  await hydrated(page);
  await page.getByRole('heading', { name: 'Zaken' }).waitFor();
  assert.equal(await page.getByRole('row').filter({ hasText: 'TMN-2025-BEWAAR' }).count(), 0,
    'no longer due');
});
