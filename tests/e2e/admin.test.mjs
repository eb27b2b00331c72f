// An administrator creates a user and hands out a one-time link; the user sets a password,
// enrols a second factor by scanning (here: reading) the key, signs in with a code, works and
// signs out. axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { BASE, DEMO_PASSWORD, launch, openPage, assertAccessible, hydrated, signIn } from './browser.mjs';

const NEW_PASSWORD = 'reigers in de uiterwaarden';
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function codeAt(secret, at) {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: at });
}

test('an admin creates a user who sets a password, enrols a second factor, signs in and out', async () => {
  const admin = await openPage(browser);
  await signIn(admin.page, 'admin', DEMO_PASSWORD);
  await admin.page.waitForURL(`${BASE}/`);
  await admin.page.getByRole('link', { name: 'Gebruikers' }).click();
  await admin.page.waitForURL(`${BASE}/admin/users`);
  await admin.page.getByRole('cell', { name: 'coordinator-north', exact: true }).waitFor();
  await hydrated(admin.page);
  await assertAccessible(admin.page, 'the user list');

  await admin.page.getByRole('link', { name: 'Nieuwe gebruiker' }).click();
  await admin.page.waitForURL(`${BASE}/admin/users/new`);
  await hydrated(admin.page);
  await admin.page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  await admin.page.getByText('moet 3 tot 64 tekens lang zijn').waitFor();
  await assertAccessible(admin.page, 'the new-user form with an error');

  await admin.page.getByLabel('Gebruikersnaam').fill('e2e.devries');
  await admin.page.getByLabel('Naam', { exact: true }).fill('Eva de Vries');
  await admin.page.getByLabel('E-mailadres').fill('eva.devries@politie.nl');
  await admin.page.getByLabel('Organisatie').selectOption({ label: 'Politie' });
  await admin.page.getByLabel('Coördinator').check();
  await admin.page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  await admin.page.getByText('De gebruiker is aangemaakt').waitFor();
  // Even a new account's first link waits for a second administrator, who is shown it.
  await admin.page.getByRole('button', { name: 'Link voor wachtwoord aanvragen' }).click();
  await admin.page.getByText('Uw verzoek is vastgelegd').waitFor();
  await assertAccessible(admin.page, 'a user page with a request waiting');
  const userPage = new URL(admin.page.url()).pathname;

  const second = await openPage(browser);
  await signIn(second.page, 'admin2', DEMO_PASSWORD);
  await second.page.waitForURL(`${BASE}/`);
  await second.page.goto(`${BASE}${userPage}`);
  await hydrated(second.page);
  await second.page.getByRole('button', { name: 'Goedkeuren' }).click();
  const link = await second.page.locator('code.link').innerText();
  assert.match(link, /\/set-password\?token=[0-9a-f]{64}$/);
  await assertAccessible(second.page, 'a user page with an issued link');
  await second.context.close();

  const user = await openPage(browser);
  await user.page.goto(link);
  await user.page.getByLabel('Nieuw wachtwoord').fill(NEW_PASSWORD);
  await user.page.getByLabel('Herhaal het nieuwe wachtwoord').fill(NEW_PASSWORD);
  await hydrated(user.page);
  await assertAccessible(user.page, 'the set-password page');
  await user.page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await user.page.waitForURL(`${BASE}/sign-in?password_set=1`);

  await signIn(user.page, 'e2e.devries', NEW_PASSWORD);
  await user.page.waitForURL(`${BASE}/sign-in/enrol`);
  await user.page.locator('.qr-code svg').waitFor();
  const secret = (await user.page.locator('code.secret').innerText()).replaceAll(' ', '');
  await hydrated(user.page);
  await assertAccessible(user.page, 'the enrolment page');
  await user.page.getByLabel('Code', { exact: true }).fill('000000');
  await user.page.getByRole('button', { name: 'Bevestigen en inloggen' }).click();
  await user.page.getByText('deze code is niet juist').waitFor();
  await user.page.getByLabel('Code', { exact: true }).fill(codeAt(secret, Date.now()));
  await user.page.getByRole('button', { name: 'Bevestigen en inloggen' }).click();
  await user.page.waitForURL(`${BASE}/`);
  await user.page.getByRole('link', { name: /Eva de Vries/ }).waitFor();
  await user.page.getByRole('button', { name: 'Uitloggen' }).click();
  await user.page.waitForURL(`${BASE}/sign-in`);

  // Next time: password, then a code (the next one: the first was used once and for all).
  await signIn(user.page, 'e2e.devries', NEW_PASSWORD);
  await user.page.waitForURL(`${BASE}/sign-in/second-factor`);
  await hydrated(user.page);
  await assertAccessible(user.page, 'the second-factor page');
  await user.page.getByLabel('Code', { exact: true }).fill(codeAt(secret, Date.now() + 30_000));
  await user.page.getByRole('button', { name: 'Controleren en inloggen' }).click();
  await user.page.waitForURL(`${BASE}/`);
  await user.page.goto(`${BASE}/account`);
  await user.page.getByText('Eva de Vries').first().waitFor();

  // The administrator deactivates the account: the user's session ends at once.
  await admin.page.getByRole('button', { name: 'Deactiveren' }).click();
  await admin.page.getByText('De gebruiker is gedeactiveerd').waitFor();
  await user.page.goto(`${BASE}/account`);
  await user.page.waitForURL(/\/sign-in/);
  await admin.context.close();
  await user.context.close();
});

test('a failed form post without JavaScript gets a page that names the problem', async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  await signIn(page, 'admin', DEMO_PASSWORD);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/admin/users/new`);
  await page.getByLabel('Gebruikersnaam').fill('manager');
  await page.getByLabel('Naam', { exact: true }).fill('Dubbele Naam');
  await page.getByLabel('E-mailadres').fill('d@politie.nl');
  await page.getByLabel('Organisatie').selectOption({ label: 'Politie' });
  await page.getByLabel('Manager').check();
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
  await page.getByRole('heading', { name: 'Het formulier kon niet worden verzonden' }).waitFor();
  await page.getByRole('alert').filter({ hasText: 'username: is al in gebruik' }).waitFor();
  await context.close();
});

test('a user without the admin role is refused the user pages', async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, 'coordinator-north', DEMO_PASSWORD);
  await page.waitForURL(`${BASE}/`);
  assert.equal(await page.getByRole('link', { name: 'Gebruikers' }).count(), 0);
  await page.goto(`${BASE}/admin/users`);
  await page.getByRole('alert').filter({ hasText: 'U mag deze pagina niet zien' }).waitFor();
  await context.close();
});
