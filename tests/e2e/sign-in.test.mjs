// A user signs in, works, changes nothing by mistake, and signs out; every page is checked
// with axe-core. (The second factor arrives with its own issue; demo accounts skip it.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, assertAccessible, hydrated } from './browser.mjs';

const DEMO_PASSWORD = 'liaison-demo-2026';
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a coordinator signs in, sees their account, and signs out', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto(`${BASE}/account`);
  await page.waitForURL(`${BASE}/sign-in?return_to=/account`);
  await hydrated(page);
  await assertAccessible(page, 'the sign-in page');

  await page.getByLabel('Gebruikersnaam').fill('coordinator-north');
  await page.getByLabel('Wachtwoord').fill('not the right password');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('alert').filter({ hasText: 'De gebruikersnaam of het wachtwoord is niet juist.' }).waitFor();
  await assertAccessible(page, 'the sign-in page with an error');

  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${BASE}/account`);
  await page.getByText('Chris Jansen').first().waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Mijn account');
  await hydrated(page);
  await assertAccessible(page, 'the account page');

  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(`${BASE}/sign-in`);
  await page.goto(`${BASE}/account`);
  await page.waitForURL(`${BASE}/sign-in?return_to=/account`);
  assert.deepEqual(errors.filter((e) => !e.includes('400')), []);
  await context.close();
});

test('signing in works without JavaScript', async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(`${BASE}/sign-in?return_to=/account`);
  await page.getByLabel('Gebruikersnaam').fill('manager');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${BASE}/account`);
  await page.getByText('Mehmet Smit').first().waitFor();
  await context.close();
});

test('an auditor reads the verified audit trail', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(`${BASE}/sign-in?return_to=/`);
  await page.getByLabel('Gebruikersnaam').fill('auditor');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Audittrail' }).click();
  await page.waitForURL(`${BASE}/audit`);
  await page.getByRole('status').filter({ hasText: 'De keten is intact' }).waitFor();
  await page.getByRole('cell', { name: 'Inloggen', exact: true }).first().waitFor();
  assert.equal(await page.getByRole('cell', { name: 'sign_in' }).count(), 0, 'actions in words, not codes');
  await hydrated(page);
  await assertAccessible(page, 'the audit trail');
  await context.close();
});
