// Two coordinators of different joint ventures each see the demo's shared phone number as an
// overlap, on a pointer basis; one agrees to share, the other agrees too, and both then see
// both cases' titles.
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

async function openPhoneOverlap(page, user) {
  await signIn(page, user);
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: /^Overlappen/ }).click();
  await page.waitForURL(`${BASE}/overlaps`);
  await hydrated(page);
  await assertAccessible(page, `the overlap inbox of ${user}`);
  await page.getByRole('link', { name: 'Telefoonnummer' }).click();
  await page.waitForURL(/\/overlaps\/\d+$/);
  await hydrated(page);
}

test('two coordinators see the shared phone number and disclose it to each other', async () => {
  const north = await openPage(browser);
  await openPhoneOverlap(north.page, 'coordinator-north');
  const northPage = north.page;
  await northPage.getByText('Bestelbussen via Nieuweschans').waitFor();
  assert.equal(await northPage.getByText('Uitbuiting in massagesalons West').count(), 0, 'the other title stays hidden');
  await northPage.getByText('coordinator-amsterdam@demo.liaison.invalid').waitFor();
  await assertAccessible(northPage, 'an overlap on a pointer basis');
  await northPage.getByRole('button', { name: 'Instemmen met delen' }).click();
  await northPage.waitForURL(/done=consent/);
  await northPage.getByText('Stemt in met delen.').first().waitFor();

  const amsterdam = await openPage(browser);
  await openPhoneOverlap(amsterdam.page, 'coordinator-amsterdam');
  const amsterdamPage = amsterdam.page;
  await amsterdamPage.getByText('Uitbuiting in massagesalons West').waitFor();
  assert.equal(await amsterdamPage.getByText('Bestelbussen via Nieuweschans').count(), 0);
  await amsterdamPage.getByRole('button', { name: 'Instemmen met delen' }).click();
  await amsterdamPage.waitForURL(/done=consent/);
  await amsterdamPage.getByText('Bestelbussen via Nieuweschans').waitFor();
  await assertAccessible(amsterdamPage, 'a disclosed overlap');

  await northPage.reload();
  await northPage.getByText('Uitbuiting in massagesalons West').waitFor();
  await north.context.close();
  await amsterdam.context.close();
});
