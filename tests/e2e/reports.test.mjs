// The manager opens the overlap report, reads the matrix and drills into a cell to the list of
// overlaps behind it; the print layout leaves the portal's frame out. A ministry user opens
// the summary (figures in brief first, the key in view, no chart without data), and cannot
// reach a case, an overlap or a signal by typing its address.
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

test('a manager opens the overlap matrix and drills into a cell', async () => {
  const { page } = await openPage(browser);
  await signIn(page, 'manager');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Overlaprapport' }).click();
  await page.waitForURL(`${BASE}/reports/overlaps`);
  await hydrated(page);
  await page.getByRole('heading', { name: 'Overlappen per paar samenwerkingsverbanden' }).waitFor();
  await assertAccessible(page, 'the overlap report');
  // The demo's stalled plate overlap: Smokkel Zuid and Mensensmokkel Noord.
  const cell = page.getByRole('link', { name: /Grensoverschrijdende Smokkel Zuid – Taskforce Mensensmokkel Noord: \d+ gevonden/ }).first();
  await cell.waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no portal frame on paper');
  assert.equal(await page.locator('form.filters').isVisible(), false, 'no period form on paper');
  await page.emulateMedia({ media: 'screen' });
  await cell.click();
  await page.waitForURL(/\/oversight\?pair=\d+-\d+&since=.*&state=all/);
  await hydrated(page);
  const rows = page.getByRole('row').filter({ hasText: 'GSZ-2026-009' });
  await rows.first().waitFor();
  for (const row of await page.locator('tbody tr').allInnerTexts()) {
    assert.ok(row.includes('Grensoverschrijdende Smokkel Zuid') && row.includes('Taskforce Mensensmokkel Noord'), `only that pair: ${row}`);
  }
  await assertAccessible(page, 'the overlaps behind a matrix cell');
});

test('a ministry user reads the summary and cannot open a case, overlap or signal', async () => {
  const { page } = await openPage(browser);
  await signIn(page, 'ministry');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Samenvatting' }).click();
  await page.waitForURL(`${BASE}/summary`);
  await hydrated(page);
  await page.getByRole('heading', { name: 'Landelijk verloop per kwartaal' }).waitFor();
  // The national figures in words come first, and the key to <5, x and – shows without a click.
  const brief = page.getByRole('heading', { name: 'Landelijk, in het kort' });
  await brief.waitFor();
  const key = page.getByRole('heading', { name: 'Wat de tekens in de tabellen betekenen' });
  assert.ok(await key.isVisible(), 'the key is not folded away');
  assert.ok(await page.getByText('1, 2, 3 of 4: het precieze aantal wordt niet getoond').isVisible());
  const top = async (locator) => (await locator.boundingBox()).y;
  assert.ok(await top(brief) < await top(page.locator('table').first()), 'the figures in brief before the tables');
  // Without data there is no empty chart: either a chart with bars or a sentence saying why not.
  const charts = await page.locator('svg.chart').count();
  const why = await page.locator('.summary-no-chart').count();
  assert.equal(charts + why, 1, 'a chart, or why there is none');
  if (charts === 1) assert.ok(await page.locator('svg.chart g rect.chart__bar:not([height="0"])').count() > 0);
  await assertAccessible(page, 'the summary');
  await page.getByLabel('Thema').selectOption('smuggling');
  await page.getByRole('button', { name: 'Filteren' }).click();
  await page.waitForURL(/theme=smuggling/);
  await hydrated(page);
  await page.getByRole('heading', { name: 'Zaken' }).waitFor();
  for (const path of ['/cases', '/cases/1', '/overlaps', '/overlaps/1', '/oversight/overlaps/1', '/signals/1', '/reports/overlaps', '/map']) {
    await page.goto(`${BASE}${path}`);
    await hydrated(page);
    await page.getByText('U mag deze pagina niet zien', { exact: false }).first().waitFor();
    const text = await page.locator('main').innerText();
    assert.ok(!/TMN-2026|KMA-2026|GSZ-2026/.test(text), `${path} shows no case reference`);
  }
});
