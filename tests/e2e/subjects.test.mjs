// A coordinator adds a person known only by birth year and a foreign phone number, plans an
// operation, and imports a CSV with one bad line: the problem is named by line and column and
// nothing is saved; the corrected file is imported whole.
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

test('a coordinator records subjects and an operation, and imports a CSV after fixing a bad line', async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, 'coordinator-north');
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/cases/new`);
  await hydrated(page);
  await page.getByLabel('Kenmerk').fill('TMN-2026-E2E');
  await page.getByLabel('Titel').fill('Smokkel via Bad Nieuweschans');
  await page.getByLabel('Begindatum').fill('2026-11-01');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=/);
  const caseUrl = page.url().split('?')[0];

  await page.getByRole('link', { name: 'Persoon', exact: true }).click();
  await page.waitForURL(/\/subjects\/new\?kind=person/);
  await hydrated(page);
  await page.getByLabel('Voornamen').fill('Ayşe');
  await page.getByLabel('Achternaam').fill('Çelik');
  await page.getByLabel('Geboortedatum').fill('1990-02-30');
  await page.getByLabel('Nationaliteit').fill('TUR');
  await page.getByRole('button', { name: 'Subject toevoegen' }).click();
  await page.getByText('deze dag bestaat niet in die maand').waitFor();
  await assertAccessible(page, 'the subject form with an error');
  await page.getByLabel('Geboortedatum').fill('1990');
  await page.getByRole('button', { name: 'Subject toevoegen' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=subject/);
  await page.getByRole('cell', { name: 'Ayşe Çelik, 1990, TR', exact: true }).waitFor();

  await page.getByRole('link', { name: 'Telefoonnummer', exact: true }).click();
  await page.waitForURL(/kind=phone/);
  await hydrated(page);
  await page.getByLabel('Telefoonnummer').fill('+44 20 7946 0958');
  await page.getByRole('button', { name: 'Subject toevoegen' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=subject/);
  await page.getByRole('cell', { name: '+442079460958', exact: true }).waitFor();

  await hydrated(page);
  await page.getByText('Operatie plannen', { exact: true }).first().click();
  await page.getByLabel('Begint (Nederlandse tijd)').fill('2027-01-12T06:00');
  await page.getByLabel('Eindigt (Nederlandse tijd)').fill('2027-01-12T09:00');
  await page.getByLabel('Gemeente').selectOption({ label: 'Groningen' });
  await page.getByRole('button', { name: 'Operatie plannen' }).click();
  await page.waitForURL(/saved=operation/);
  await page.getByRole('cell', { name: /Groningen \(53\.2/ }).waitFor();
  await assertAccessible(page, 'a case page with subjects and an operation');

  await page.getByRole('link', { name: 'Subjecten importeren uit CSV' }).click();
  await page.waitForURL(/\/import$/);
  await hydrated(page);
  const bad = 'kind,given_names,family_name,birth_date,value\nperson,Olha,Kovalenko,1987-06,\nphone,,,,06 1234\n';
  await page.getByLabel('CSV-bestand').setInputFiles({ name: 'subjecten.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Controleren en importeren' }).click();
  await page.getByText('Het bestand is niet geïmporteerd').waitFor();
  const row = page.getByRole('row').filter({ hasText: 'telefoonnummer' });
  assert.equal(await row.getByRole('cell').nth(0).innerText(), '3');
  assert.equal(await row.getByRole('cell').nth(1).innerText(), 'value');
  await assertAccessible(page, 'the import page listing a problem');

  const good = bad.replace('06 1234', '06 12345678');
  await page.getByLabel('CSV-bestand').setInputFiles({ name: 'subjecten.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Controleren en importeren' }).click();
  await page.waitForURL(/imported=2/);
  await page.getByText('Subjecten geïmporteerd: 2').waitFor();
  await page.getByRole('cell', { name: 'Olha Kovalenko, 1987-06', exact: true }).waitFor();
  assert.equal(page.url().split('?')[0], caseUrl);

  await page.goto(`${BASE}/operations?from=2027-01-10`);
  await page.getByRole('heading', { name: '12 januari 2027' }).waitFor();
  await hydrated(page);
  await assertAccessible(page, 'the operations calendar');
  await context.close();
});
