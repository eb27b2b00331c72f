// Two coordinators take the demo's operational conflict from open to a joint-action decision:
// each acknowledges, one proposes, the other agrees. The manager sees the demo's stalled plate
// overlap flagged as uncoordinated, and opens it.
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

const OPERATION = 'Operaties op dezelfde plaats en tijd';

async function openOperationOverlap(page, user) {
  await signIn(page, user);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/overlaps`);
  await hydrated(page);
  await page.getByRole('link', { name: OPERATION }).click();
  await page.waitForURL(/\/overlaps\/\d+$/);
  await hydrated(page);
}

const ACKNOWLEDGE = 'Bevestigen dat ik de overlap heb gezien';

async function acknowledge(page) {
  await page.getByRole('button', { name: ACKNOWLEDGE }).click();
  await page.waitForURL(/done=acknowledge/);
  await hydrated(page);
  await page.getByRole('status').filter({ hasText: 'Vastgelegd: u hebt bevestigd dat u de overlap hebt gezien.' }).waitFor();
}

test('two coordinators acknowledge an operational conflict and agree on joint action', async () => {
  const north = await openPage(browser);
  await openOperationOverlap(north.page, 'coordinator-north');
  await north.page.getByText('Operationeel conflict', { exact: true }).first().waitFor();
  await assertAccessible(north.page, 'an open overlap with its workflow');
  await acknowledge(north.page);
  assert.equal(await north.page.getByRole('button', { name: ACKNOWLEDGE }).count(), 0);

  const amsterdam = await openPage(browser);
  await openOperationOverlap(amsterdam.page, 'coordinator-amsterdam');
  await acknowledge(amsterdam.page);
  await amsterdam.page.getByLabel('Besluit', { exact: true }).selectOption('joint_action');
  await amsterdam.page.getByRole('button', { name: 'Voorstellen' }).click();
  await amsterdam.page.waitForURL(/done=propose/);
  await amsterdam.page.getByText(/Voorgesteld door .*: Gezamenlijk optreden/).first().waitFor();
  await assertAccessible(amsterdam.page, 'an overlap with a proposal');

  await north.page.reload();
  await hydrated(north.page);
  await north.page.getByRole('button', { name: /^Instemmen met het voorstel: Gezamenlijk optreden/ }).click();
  await north.page.waitForURL(/done=agree/);
  await north.page.getByRole('status').filter({ hasText: 'de overlap is besloten: Gezamenlijk optreden' }).waitFor();
  await north.page.getByRole('listitem').filter({ hasText: 'Ingestemd' }).first().waitFor();
  assert.equal(await north.page.getByText('Operationeel conflict', { exact: true }).count(), 0, 'a decided conflict is no longer flagged');
  await assertAccessible(north.page, 'a decided overlap');
  await north.context.close();
  await amsterdam.context.close();
});

test('the manager sees the stalled overlap flagged and opens it', async () => {
  const manager = await openPage(browser);
  const page = manager.page;
  await signIn(page, 'manager');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Toezicht' }).click();
  await page.waitForURL(`${BASE}/oversight`);
  await hydrated(page);
  const stalled = page.getByRole('row').filter({ hasText: 'GSZ-2026-009' });
  await stalled.getByText('Ongecoördineerd').waitFor();
  await assertAccessible(page, "the manager's overlap list");
  await page.getByLabel('Signaleringen').selectOption('uncoordinated');
  await page.getByRole('button', { name: 'Filteren' }).click();
  await page.waitForURL(/flag=uncoordinated/);
  await stalled.getByRole('link').click();
  await page.waitForURL(/\/oversight\/overlaps\/\d+$/);
  await hydrated(page);
  await page.getByText('Besluiten over deze overlap').waitFor();
  assert.equal(await page.getByText('VX-512-K').count(), 0, 'no subject for a manager');
  await assertAccessible(page, 'an overlap as its manager sees it');
  await manager.context.close();
});
