// Prints what a first visit costs in Debian's Chromium (nothing is asserted): for a few pages,
// with an empty cache each time, the WebAssembly and JavaScript transferred (compressed, as the
// server sends them) and the time from navigation to a hydrated page.
//   node tests/bench/first-visit.mjs            (server at LIAISON_E2E_URL, demo data loaded)
import { launch, openPage, signIn, BASE } from '../e2e/browser.mjs';

const pages = [
  { label: 'public start page', path: '/' },
  { label: 'sign-in page', path: '/sign-in' },
  { label: 'overlap inbox (coordinator)', path: '/overlaps', user: 'coordinator-north' },
  { label: 'case page (coordinator)', path: '/cases/1', user: 'coordinator-north' },
  { label: 'summary (ministry)', path: '/summary', user: 'ministry' },
];

const browser = await launch();
try {
  for (const { label, path, user } of pages) {
    // A new context for each page: nothing of the bundle is cached.
    const fresh = await openPage(browser, user ? { storageState: await stateOf(user) } : {});
    const bytes = { wasm: 0, js: 0, chunks: 0 };
    fresh.page.on('requestfinished', async (request) => {
      const url = request.url();
      const kind = url.endsWith('.wasm') ? 'wasm' : url.endsWith('.js') ? 'js' : null;
      if (!kind) return;
      const sizes = await request.sizes().catch(() => null);
      if (!sizes) return;
      bytes[kind] += sizes.responseBodySize;
      if (kind === 'wasm') bytes.chunks += 1;
    });
    const start = Date.now();
    await fresh.page.goto(`${BASE}${path}`);
    await fresh.page.waitForSelector('header.site-header.enhanced', { timeout: 60000 });
    await fresh.page.waitForSelector('main[data-hydrated="true"]', { timeout: 60000 });
    const ms = Date.now() - start;
    await fresh.page.waitForTimeout(300);
    console.log(
      `${label.padEnd(30)} hydrated after ${String(ms).padStart(5)} ms; ` +
        `wasm ${kb(bytes.wasm)} in ${bytes.chunks} file(s), js ${kb(bytes.js)} (as sent)`,
    );
    await fresh.context.close();
  }
} finally {
  await browser.close();
}

async function stateOf(user) {
  const { context, page } = await openPage(browser);
  await signIn(page, user);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  const state = await context.storageState();
  await context.close();
  return state;
}

function kb(n) {
  return `${(n / 1024).toFixed(0)} KB`;
}
