// Shared set-up for the browser suite: Debian's Chromium (never a downloaded browser), the
// address of the server under test, and an axe-core scan that fails on any violation.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';

export const BASE = process.env.LIAISON_E2E_URL ?? 'http://127.0.0.1:3100';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens a page that records every console error and uncaught exception. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'nl-NL', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.liaisonErrors = errors;
  return { context, page, errors };
}

/** Runs every axe-core rule on the page as it is now and fails on any violation. */
export async function assertAccessible(page, what) {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(violations, [], `axe-core violations on ${what}`);
}

/** Resolves when the WebAssembly has hydrated the page (the header marks itself then). */
export async function hydrated(page) {
  // Generous: the debug WebAssembly is large and CI machines are busy. On failure, say what the
  // page reported, so that a hydration error is told apart from slowness.
  try {
    await page.waitForSelector('header.site-header.enhanced', { timeout: 45000 });
  } catch (err) {
    throw new Error(`${page.url()} did not hydrate; console errors: ${JSON.stringify(page.liaisonErrors ?? [])}`, { cause: err });
  }
}

export const DEMO_PASSWORD = 'liaison-demo-2026';

/** Fills in and sends the sign-in form (the demo password unless another is given). */
export async function signIn(page, username, password = DEMO_PASSWORD) {
  await page.goto(`${BASE}/sign-in`);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}
