// An administrator creates a joint venture with members and a coordinator; that coordinator
// finds it on the map, opens its page and sees the mandate-overlap flag with a demo joint
// venture. The map also works without JavaScript. axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, assertAccessible, hydrated, signIn } from './browser.mjs';

const NAME = 'Mensenhandel Noord-Holland Test';
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function signInHome(page, username) {
  await signIn(page, username);
  await page.waitForURL(`${BASE}/`);
}

test('an admin creates a joint venture that a coordinator finds on the map, flagged', async () => {
  const admin = await openPage(browser);
  await signInHome(admin.page, 'admin');
  await admin.page.goto(`${BASE}/joint-ventures`);
  await admin.page.getByRole('link', { name: 'Nieuw samenwerkingsverband' }).click();
  await admin.page.waitForURL(`${BASE}/admin/joint-ventures/new`);
  await hydrated(admin.page);
  const form = admin.page;
  await form.getByLabel('Naam', { exact: true }).fill(NAME);
  await form.getByLabel('Mensenhandel', { exact: true }).check();
  await form.getByLabel('Noord-Holland', { exact: true }).check();
  await form.getByLabel('Mandaat').fill('Uitbuiting in Noord-Holland gezamenlijk aanpakken.');
  await form.getByLabel('Juridische grondslag').fill('Convenant 2026');
  await form.getByLabel('Begindatum').fill('2026-01-01');
  await form.getByLabel('Einddatum (optioneel)').fill('2025-01-01');
  await form.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await form.getByText('mag niet voor de begindatum liggen').waitFor();
  await assertAccessible(form, 'the joint venture form with an error');
  await form.getByLabel('Einddatum (optioneel)').fill('');
  await form.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await form.waitForURL(/\/admin\/joint-ventures\/\d+\?done=saved/);
  await form.getByRole('status').filter({ hasText: 'De wijzigingen zijn opgeslagen.' }).waitFor();

  for (const organisation of ['Politie', 'Openbaar Ministerie']) {
    await form.locator('#member-organisation').selectOption({ label: organisation });
    await form.getByLabel('Sinds').fill('2026-01-01');
    await form.getByRole('button', { name: 'Lid toevoegen' }).click();
    await form.getByRole('cell', { name: organisation, exact: true }).waitFor();
  }
  await form.locator('#assign-coordinator').selectOption({ label: 'Carmen Visser (coordinator-amsterdam)' });
  await form.getByRole('button', { name: 'Toewijzen' }).first().click();
  await form.getByRole('button', { name: 'Verwijderen Carmen Visser (coordinator-amsterdam)' }).waitFor();
  await hydrated(form);
  await assertAccessible(form, 'the joint venture management page');
  await admin.context.close();

  const coordinator = await openPage(browser);
  const page = coordinator.page;
  await signInHome(page, 'coordinator-amsterdam');
  await page.getByRole('link', { name: 'Kaart' }).click();
  await page.waitForURL(`${BASE}/map`);
  await page.locator('svg a', { hasText: NAME }).waitFor();
  await hydrated(page);
  await assertAccessible(page, 'the partnership map');
  // Hydrated, the map answers the pointer: a node lights up its own lines.
  await page.locator('svg a', { hasText: NAME }).hover();
  // (A horizontal line has no height, so wait for it to exist rather than to be visible.)
  await page.locator('line.edge--lit').first().waitFor({ state: 'attached' });
  assert.equal(await page.locator('line.edge--lit').count(), 2, 'its two members');
  await page.getByRole('table', { name: 'Actieve samenwerkingsverbanden en hun leden' }).getByRole('link', { name: NAME }).click();
  await page.waitForURL(/\/joint-ventures\/\d+$/);
  await page.getByText('U coördineert dit samenwerkingsverband.').waitFor();
  const flags = page.locator('section', { has: page.getByRole('heading', { name: 'Overlappende mandaten' }) });
  await flags.getByRole('link', { name: 'Ketenaanpak Mensenhandel Amsterdam' }).waitFor();
  assert.match(await flags.innerText(), /Gemeenschappelijke leden: .*Openbaar Ministerie/);
  await assertAccessible(page, 'a joint venture page with a flag');
  await coordinator.context.close();
});

test('the map and its filters work without JavaScript', async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  await signInHome(page, 'manager');
  await page.goto(`${BASE}/map`);
  await page.getByLabel('Thema', { exact: true }).selectOption({ label: 'Terrorisme' });
  await page.getByRole('button', { name: 'Filteren' }).click();
  await page.waitForURL(/\/map\?theme=terrorism/);
  const rows = page.getByRole('table', { name: 'Actieve samenwerkingsverbanden en hun leden' }).locator('tbody tr');
  assert.ok((await rows.count()) > 0);
  for (const text of await rows.allInnerTexts()) {
    assert.match(text, /Terrorisme/);
  }
  await page.getByRole('heading', { name: 'Wie doet wat waar' }).waitFor();
  await context.close();
});
