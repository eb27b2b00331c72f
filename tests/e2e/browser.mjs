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

/**
 * Runs every axe-core rule on the page as it is now and fails on any violation; then checks
 * that the page reflows to 320 CSS px (see assertReflows).
 */
export async function assertAccessible(page, what) {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(violations, [], `axe-core violations on ${what}`);
  await assertReflows(page, what);
}

export const REFLOW_WIDTH = 320;

/**
 * WCAG 1.4.10 (reflow): at 320 CSS px wide the page must not scroll sideways. Narrows the
 * viewport, measures, and puts the viewport back as it was, so the test goes on where it was.
 * Content inside its own scrolling frame (a wide table's .table-scroll) does not count; on
 * failure the message names the elements that stick out, widest first.
 */
export async function assertReflows(page, what) {
  const previous = page.viewportSize();
  // A context without a fixed viewport follows its window, which cannot be put back.
  if (previous === null) return;
  const resize = previous.width !== REFLOW_WIDTH;
  if (resize) await page.setViewportSize({ width: REFLOW_WIDTH, height: previous.height });
  try {
    // Read synchronously (a read forces layout), without timers or animation frames, which a
    // page without JavaScript would never run.
    for (let tries = 0; tries < 40; tries += 1) {
      if ((await page.evaluate(() => window.innerWidth)) === REFLOW_WIDTH) break;
      await page.waitForTimeout(25);
    }
    const overflow = await page.evaluate((limit) => {
      // A phone-like context may zoom out to show a page too wide for it: never measure wider.
      const width = Math.min(window.innerWidth, limit);
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth <= width) return null;
      const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
      const insideFrame = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (scrolls(up)) return true;
        }
        return false;
      };
      const shown = [...document.body.querySelectorAll('*')].filter((el) => {
        const style = getComputedStyle(el);
        return style.display !== 'none' && style.position !== 'fixed' && !insideFrame(el);
      });
      const right = (el) => el.getBoundingClientRect().right;
      // Boxes that reach past the edge.
      const out = shown.filter((el) => right(el) > width + 0.5);
      const set = new Set(out);
      // Boxes that fit but whose own text runs past the edge (a long word), deepest only.
      const spill = (el) => el.getBoundingClientRect().left + el.scrollWidth;
      const spilling = shown.filter(
        (el) =>
          !set.has(el) &&
          getComputedStyle(el).overflowX === 'visible' &&
          spill(el) > width + 0.5 &&
          !out.some((o) => el.contains(o)),
      );
      const texts = spilling.filter((el) => !spilling.some((other) => other !== el && el.contains(other)));
      const describe = (el) => {
        let name = el.tagName.toLowerCase();
        if (el.id) name += `#${el.id}`;
        for (const c of [...el.classList].slice(0, 3)) name += `.${c}`;
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        const reach = Math.round(Math.max(right(el), spill(el)));
        return `${name}${text ? ` "${text}"` : ''} (${Math.round(el.getBoundingClientRect().width)} px wide, reaches ${reach} px)`;
      };
      const widest = (list) =>
        list.sort((a, b) => Math.max(right(b), spill(b)) - Math.max(right(a), spill(a))).slice(0, 5).map(describe);
      return {
        width,
        scrollWidth,
        // Where the overflow starts (the parent still fits) and what causes it (nothing inside
        // sticks out further, or text that does not wrap).
        outermost: widest(out.filter((el) => !set.has(el.parentElement))),
        innermost: widest([...out.filter((el) => ![...el.children].some((child) => set.has(child))), ...texts]),
        // What reaches past the edge although it sits in a scrolling frame (an absolutely
        // positioned box whose containing block is outside the frame escapes it).
        escaping: widest(
          [...document.body.querySelectorAll('*')].filter((el) => {
            let frame = el.parentElement;
            while (frame && frame !== document.body && !scrolls(frame)) frame = frame.parentElement;
            return frame && frame !== document.body && right(el) > Math.max(width, right(frame)) + 0.5
              && getComputedStyle(el).position === 'absolute';
          }),
        ),
      };
    }, REFLOW_WIDTH);
    assert.equal(
      overflow,
      null,
      overflow &&
        `${what} scrolls sideways at ${overflow.width} px (${overflow.scrollWidth} px wide); ` +
          `sticking out: ${overflow.outermost.join('; ') || 'nothing measurable'}; ` +
          `innermost: ${overflow.innermost.join('; ') || 'nothing measurable'}; ` +
          `escaping a scrolling frame: ${overflow.escaping.join('; ') || 'nothing'}`,
    );
  } finally {
    if (resize) await page.setViewportSize(previous);
  }
}

/** Resolves when the WebAssembly has hydrated the page (the header marks itself then). */
export async function hydrated(page) {
  // Generous: CI machines are busy. On failure, say what the
  // page reported, so that a hydration error is told apart from slowness.
  try {
    // The frame (header) and the page (its own WebAssembly chunk) hydrate one after the other.
    await page.waitForSelector('header.site-header.enhanced', { timeout: 45000 });
    await page.waitForSelector('main[data-hydrated="true"]', { timeout: 45000 });
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
