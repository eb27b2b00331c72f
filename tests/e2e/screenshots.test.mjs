// The README's screenshots: the five main pages on a desk (1366×900) and on a phone (375×812),
// each as a whole page, saved as <page>-desktop.png and <page>-phone.png. Only when
// LIAISON_SCREENSHOTS names a directory (`make screenshots` sets docs/screenshots, on a fresh
// database, so the pictures show the demo data as `make run` first shows it); otherwise skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BASE, launch, openPage, hydrated, signIn } from './browser.mjs';

const DIR = process.env.LIAISON_SCREENSHOTS;
const skip = DIR ? false : 'LIAISON_SCREENSHOTS is not set (make screenshots sets it)';

const SIZES = {
  desktop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
};

let browser;
before(async () => {
  if (!DIR) return;
  await mkdir(DIR, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Signs `user` in at each size and saves what `visit` shows as `<name>-<size>.png`. */
async function photograph(user, shots) {
  for (const [size, options] of Object.entries(SIZES)) {
    const { context, page } = await openPage(browser, options);
    await signIn(page, user);
    await page.waitForURL(`${BASE}/`);
    for (const [name, visit] of shots) {
      await visit(page);
      await hydrated(page);
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(DIR, `${name}-${size}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    }
    await context.close();
  }
}

const goto = (address) => (page) => page.goto(`${BASE}${address}`);

test('screenshots of what a coordinator works with', { skip }, async () => {
  await photograph('coordinator-north', [
    ['home', goto('/')],
    ['overlaps', goto('/overlaps')],
    [
      'overlap',
      async (page) => {
        await page.goto(`${BASE}/overlaps`);
        const first = await page.locator('main a[href^="/overlaps/"]').first().getAttribute('href');
        assert.ok(first, 'the demo coordinator has an overlap to show');
        await page.goto(`${BASE}${first}`);
      },
    ],
    ['cases', goto('/cases')],
  ]);
});

test('a screenshot of the summary as ministry staff read it', { skip }, async () => {
  await photograph('ministry', [['summary', goto('/summary')]]);
});
