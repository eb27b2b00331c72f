// Four eyes on disclosure and the provision register: Noord marks a case "share on consent
// approved by a second coordinator"; its consent waits until Noord's second coordinator, told
// by a notification, approves it (a refusal without a reason is refused first); once Amsterdam
// agrees too, both read who approved; Noord then asks Amsterdam to delete what it received and
// Amsterdam confirms; the privacy officer finds the provision by the case's reference, with
// the deletion.
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

const EMAIL = 'regelaar.vier.ogen@example.invalid';

/** A coordinator's new case with one e-mail address; returns nothing, lands on the case. */
async function caseWithEmail(page, reference, title, handling) {
  await page.goto(`${BASE}/cases/new`);
  await hydrated(page);
  await page.getByLabel('Kenmerk').fill(reference);
  await page.getByLabel('Titel').fill(title);
  await page.getByLabel('Begindatum').fill('2026-11-01');
  await page.getByLabel('Behandelcode').selectOption({ label: handling });
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=/);
  await page.getByRole('link', { name: 'E-mailadres', exact: true }).click();
  await page.waitForURL(/kind=email/);
  await hydrated(page);
  await page.getByLabel('E-mailadres').fill(EMAIL);
  await page.getByRole('button', { name: 'Subject toevoegen' }).click();
  await page.waitForURL(/\/cases\/\d+\?saved=subject/);
}

/** Opens the overlap of the caller's case `reference` from the overlap inbox. */
async function openOverlapOf(page, reference) {
  await page.goto(`${BASE}/overlaps`);
  await hydrated(page);
  await page.getByRole('row').filter({ hasText: reference }).getByRole('link').first().click();
  await page.waitForURL(/\/overlaps\/\d+$/);
  await hydrated(page);
}

async function takeStep(page, button, done, confirmation) {
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(new RegExp(`done=${done}`));
  await page.getByRole('status').filter({ hasText: confirmation }).waitFor();
}

test('a consent under four eyes waits for a second coordinator, and the provision is registered', async () => {
  const north = await openPage(browser);
  await signIn(north.page, 'coordinator-north');
  await north.page.waitForURL(`${BASE}/`);
  await caseWithEmail(north.page, 'TMN-2026-VIER', 'Regelaar per e-mail',
    'Delen na toestemming met goedkeuring van een tweede coördinator');

  const amsterdam = await openPage(browser);
  await signIn(amsterdam.page, 'coordinator-amsterdam');
  await amsterdam.page.waitForURL(`${BASE}/`);
  await caseWithEmail(amsterdam.page, 'KMA-2026-VIER', 'Werving per e-mail', 'Delen na toestemming');

  // Noord acknowledges and agrees: the consent waits, and Noord cannot approve it.
  await openOverlapOf(north.page, 'TMN-2026-VIER');
  await north.page.getByText(/Instemmen met delen vraagt hier goedkeuring door een tweede coördinator/).waitFor();
  await takeStep(north.page, 'Bevestigen dat ik de overlap heb gezien', 'acknowledge', 'Vastgelegd');
  await hydrated(north.page);
  await north.page.getByLabel('Doel van het delen').selectOption({ label: 'Onderzoeken op elkaar afstemmen' });
  await north.page.getByLabel('Wettelijke grondslag').selectOption({ label: 'Wpg, artikel 20 (samenwerkingsverband)' });
  await takeStep(north.page, 'Instemmen met delen', 'approval_requested', 'wacht op goedkeuring door een tweede coördinator');
  await north.page.getByText('Instemming wacht op goedkeuring.').waitFor();
  assert.equal(await north.page.getByRole('button', { name: 'Goedkeuren en instemmen' }).count(), 0,
    'the requester never approves');
  assert.equal(await north.page.getByRole('button', { name: 'Instemmen met delen' }).count(), 0,
    'no second request while one waits');
  await north.page.getByRole('button', { name: 'Verzoek intrekken' }).waitFor();
  await assertAccessible(north.page, 'a consent waiting for approval, as its requester');

  // The second coordinator is told, opens the overlap, refuses without a reason (refused),
  // then approves.
  const second = await openPage(browser);
  await signIn(second.page, 'coordinator-north2');
  await second.page.waitForURL(`${BASE}/`);
  await second.page.getByRole('heading', { name: 'Wacht op uw goedkeuring om te delen' }).waitFor();
  await second.page.getByRole('list', { name: 'Wacht op uw goedkeuring om te delen' })
    .getByRole('link', { name: /TMN-2026-VIER/ }).waitFor();
  await assertAccessible(second.page, 'a start page with a request waiting for approval');
  await second.page.goto(`${BASE}/notifications`);
  await hydrated(second.page);
  await second.page.getByRole('link', { name: /Goedkeuring gevraagd om te delen/ }).first().click();
  await second.page.waitForURL(/\/overlaps\/\d+/);
  await hydrated(second.page);
  await second.page.getByText(/Gevraagd door Chris Jansen/).waitFor();
  await second.page.getByRole('button', { name: 'Weigeren' }).click();
  await second.page.getByText('Geef een reden voor de weigering.').waitFor();
  await assertAccessible(second.page, 'a request for approval with a refusal missing its reason');
  await takeStep(second.page, 'Goedkeuren en instemmen', 'approved', 'U heeft het verzoek goedgekeurd');
  await second.page.getByText(/goedgekeurd door Noor Hendriks/).waitFor();

  // Amsterdam agrees: shared; Amsterdam reads who approved Noord's consent.
  await openOverlapOf(amsterdam.page, 'KMA-2026-VIER');
  await takeStep(amsterdam.page, 'Bevestigen dat ik de overlap heb gezien', 'acknowledge', 'Vastgelegd');
  await hydrated(amsterdam.page);
  await amsterdam.page.getByLabel('Doel van het delen').selectOption({ label: 'Slachtoffers beschermen' });
  await amsterdam.page.getByLabel('Wettelijke grondslag')
    .selectOption({ label: 'AVG, artikel 6 lid 1 onder e (taak van algemeen belang)' });
  await takeStep(amsterdam.page, 'Instemmen met delen', 'consent', 'Gedeeld: beide kanten stemden in.');
  await amsterdam.page.getByText('Regelaar per e-mail').first().waitFor();
  await amsterdam.page.getByText(/goedgekeurd door een tweede coördinator/).waitFor();

  // Noord asks Amsterdam to delete what it received: Liaison shows Amsterdam the pointer only,
  // and Amsterdam confirms its own copies went too.
  await openOverlapOf(north.page, 'TMN-2026-VIER');
  await north.page.getByRole('button', { name: 'Vragen om te verwijderen' }).click();
  await north.page.getByText('vul dit in').waitFor();
  await north.page.getByLabel('Reden voor het verzoek').fill('De bron mag niet verder worden gedeeld.');
  await takeStep(north.page, 'Vragen om te verwijderen', 'request_deletion', 'Gevraagd om te verwijderen');
  await north.page.getByText('Wacht op bevestiging.').waitFor();
  await assertAccessible(north.page, 'an overlap whose giver asked for the shared data to be deleted');
  await openOverlapOf(amsterdam.page, 'KMA-2026-VIER');
  await amsterdam.page.getByText(/De andere kant vroeg u te verwijderen/).waitFor();
  assert.equal(await amsterdam.page.getByText('Regelaar per e-mail').count(), 0, 'Liaison no longer shows it');
  await takeStep(amsterdam.page, 'Bevestigen dat het verwijderd is', 'confirm_deletion',
    'Bevestigd dat het verwijderd is.');
  await amsterdam.page.getByText(/Verwijdering bevestigd op/).waitFor();
  await assertAccessible(amsterdam.page, 'an overlap whose shared data was deleted on request');

  // The privacy officer answers "who received data about TMN-2026-VIER?".
  const privacy = await openPage(browser);
  await signIn(privacy.page, 'privacy');
  await privacy.page.waitForURL(`${BASE}/`);
  await privacy.page.getByRole('link', { name: 'Verstrekkingen' }).click();
  await privacy.page.waitForURL(`${BASE}/audit/provisions`);
  await hydrated(privacy.page);
  await privacy.page.getByLabel('Zaakkenmerk (deel)').fill('TMN-2026-VIER');
  await privacy.page.getByRole('button', { name: 'Filteren' }).click();
  await privacy.page.waitForURL(/case=TMN-2026-VIER/);
  const row = privacy.page.getByRole('row').filter({ hasText: 'TMN-2026-VIER' });
  await row.getByText('Ketenaanpak Mensenhandel Amsterdam').waitFor();
  await row.getByText('Noor Hendriks').waitFor();
  await row.getByText(/Verwijdering bevestigd op/).waitFor();
  assert.equal(await privacy.page.getByRole('row').filter({ hasText: 'KMA-2026-VIER' }).count(), 0);
  assert.equal(await privacy.page.getByText(EMAIL).count(), 0, 'never a value');
  await privacy.page.getByRole('link', { name: 'Download als CSV' }).waitFor();
  await assertAccessible(privacy.page, 'the provision register filtered by case');

  for (const session of [north, amsterdam, second, privacy]) {
    await session.context.close();
  }
});

test('an administrator adds a purpose to the disclosure lists', async () => {
  const { page, context } = await openPage(browser);
  await signIn(page, 'admin');
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Doelen en grondslagen' }).click();
  await page.waitForURL(`${BASE}/admin/disclosure-grounds`);
  await hydrated(page);
  await page.getByRole('heading', { name: 'Wettelijke grondslagen' }).waitFor();
  await assertAccessible(page, 'the disclosure lists');

  await page.getByLabel('Lijst').selectOption({ label: 'Doelen' });
  await page.getByLabel('Code').fill('Informatie beeld');
  await page.getByLabel('Omschrijving (Nederlands)').fill('Een informatiebeeld opbouwen');
  await page.getByLabel('Omschrijving (Engels)').fill('Build an intelligence picture');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.getByText('gebruik 2 tot 40 kleine letters, cijfers of _').waitFor();
  await assertAccessible(page, 'a disclosure option with a wrong code');

  await page.getByLabel('Code').fill('informatiebeeld');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/\/admin\/disclosure-grounds\?saved=1/);
  await page.getByRole('row').filter({ hasText: 'Een informatiebeeld opbouwen' }).waitFor();
  await context.close();
});
