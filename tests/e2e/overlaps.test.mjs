// Two coordinators of different joint ventures walk the demo's shared phone number through the
// overlap page's steps: each sees it on a pointer basis, the current step marked and moving on,
// and after each step a confirmation of what just happened; both agree to share, see what was
// shared and when, and decide together.
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

/** Waits until step `number` is the one marked current, and it is the only one. */
async function currentStepIs(page, number) {
  const current = page.locator('ol.overlap-guide > li[aria-current="step"]');
  await current.getByRole('heading', { name: new RegExp(`^Stap ${number}:.*\\(nu aan de beurt\\)`) }).waitFor();
  assert.equal(await page.locator('[aria-current="step"]').count(), 1, 'one current step');
}

/** The heading of step `number`, which says how far it went in words. */
function stepHeading(page, number) {
  return page.locator('ol.overlap-guide > li').nth(number - 1).getByRole('heading').first();
}

/** Sends a step's form and waits for the landing that confirms it. */
async function takeStep(page, button, done, confirmation) {
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(new RegExp(`done=${done}`));
  await page.getByRole('status').filter({ hasText: confirmation }).waitFor();
}

test('two coordinators walk the shared phone number through the steps, each confirmed', async () => {
  const north = await openPage(browser);
  await openPhoneOverlap(north.page, 'coordinator-north');
  const northPage = north.page;
  await northPage.getByRole('heading', { level: 1, name: 'Overlap: Zelfde telefoonnummer' }).waitFor();
  await northPage.getByText('Sterke overeenkomst').first().waitFor();
  await northPage.getByText('Bestelbussen via Nieuweschans').first().waitFor();
  assert.equal(await northPage.getByText('Uitbuiting in massagesalons West').count(), 0, 'the other title stays hidden');
  await northPage.getByText('coordinator-amsterdam@demo.liaison.invalid').waitFor();
  // Acknowledging comes first: sharing is not offered yet, and deciding says why it waits.
  await currentStepIs(northPage, 2);
  assert.match(await stepHeading(northPage, 1).innerText(), /\(gedaan\)/);
  assert.equal(await northPage.getByRole('button', { name: 'Instemmen met delen' }).count(), 0);
  await northPage.getByText('Besluiten kan zodra beide kanten de overlap hebben bevestigd').waitFor();
  await assertAccessible(northPage, 'an open overlap on a pointer basis');

  await takeStep(northPage, 'Bevestigen dat ik de overlap heb gezien', 'acknowledge',
    'Vastgelegd: u hebt bevestigd dat u de overlap hebt gezien.');
  await currentStepIs(northPage, 3);
  assert.match(await stepHeading(northPage, 2).innerText(), /\(gedaan\)/, 'a done step says so in words');
  await assertAccessible(northPage, 'an acknowledged overlap with its confirmation');

  // Sharing asks why and on what legal ground: without them nothing is recorded, and the form
  // says which field is missing.
  await hydrated(northPage);
  await northPage.getByRole('button', { name: 'Instemmen met delen' }).click();
  await northPage.getByText('Kies het doel waarvoor u deelt.').waitFor();
  await assertAccessible(northPage, 'the consent form naming a missing purpose');
  await northPage.getByLabel('Doel van het delen').selectOption({ label: 'Onderzoeken op elkaar afstemmen' });
  // The KMar provides police data: the Police Data Act is among its grounds.
  await northPage.getByLabel('Wettelijke grondslag').selectOption({ label: 'Wpg, artikel 20 (samenwerkingsverband)' });
  await takeStep(northPage, 'Instemmen met delen', 'consent',
    'Er wordt pas iets gedeeld als het andere samenwerkingsverband ook instemt.');
  await currentStepIs(northPage, 4);
  await northPage.getByText('Besluiten kan zodra het andere samenwerkingsverband de overlap ook heeft bevestigd.').first().waitFor();
  assert.equal(await northPage.getByLabel('Besluit', { exact: true }).count(), 0, 'no decision form while open');
  assert.equal(await northPage.getByText('Uitbuiting in massagesalons West').count(), 0, 'one side is not enough');

  const amsterdam = await openPage(browser);
  await openPhoneOverlap(amsterdam.page, 'coordinator-amsterdam');
  const amsterdamPage = amsterdam.page;
  await amsterdamPage.getByText('Uitbuiting in massagesalons West').first().waitFor();
  assert.equal(await amsterdamPage.getByText('Bestelbussen via Nieuweschans').count(), 0);
  await currentStepIs(amsterdamPage, 2);
  await takeStep(amsterdamPage, 'Bevestigen dat ik de overlap heb gezien', 'acknowledge',
    'Volgende stap: samen besluiten (stap 4).');
  await currentStepIs(amsterdamPage, 4);
  await amsterdamPage.getByLabel('Besluit', { exact: true }).waitFor();
  assert.match(await stepHeading(amsterdamPage, 3).innerText(), /\(overgeslagen\)/);

  await amsterdamPage.getByLabel('Doel van het delen').selectOption({ label: 'Slachtoffers beschermen' });
  assert.equal(
    await amsterdamPage.getByLabel('Wettelijke grondslag').locator('option', { hasText: 'Wpg' }).count(), 0,
    "a municipality is not offered the Police Data Act");
  await amsterdamPage.getByLabel('Wettelijke grondslag')
    .selectOption({ label: 'AVG, artikel 6 lid 1 onder e (taak van algemeen belang)' });
  await takeStep(amsterdamPage, 'Instemmen met delen', 'consent', 'Gedeeld: beide kanten stemden in.');
  // Both sides' grounds are shown once shared.
  await amsterdamPage.getByRole('heading', { name: 'Waarom en op welke grondslag gedeeld' }).waitFor();
  await amsterdamPage.getByText(/Onderzoeken op elkaar afstemmen; grondslag: Wpg, artikel 20/).waitFor();
  await amsterdamPage.getByText('Bestelbussen via Nieuweschans').first().waitFor();
  await amsterdamPage.getByText(/^Gedeeld op \d/).first().waitFor();
  await amsterdamPage.getByText(/^Ontvangen van Taskforce Mensensmokkel Noord/).waitFor();
  assert.match(await stepHeading(amsterdamPage, 3).innerText(), /\(gedaan\)/);
  await assertAccessible(amsterdamPage, 'a disclosed overlap');

  await amsterdamPage.getByLabel('Besluit', { exact: true }).selectOption('joint_action');
  await takeStep(amsterdamPage, 'Voorstellen', 'propose', 'Vastgelegd: uw voorstel staat klaar');
  await amsterdamPage.getByText(/Voorgesteld door .*: Gezamenlijk optreden/).first().waitFor();
  await currentStepIs(amsterdamPage, 4);

  await northPage.reload();
  await hydrated(northPage);
  await northPage.getByText('Uitbuiting in massagesalons West').first().waitFor();
  await takeStep(northPage, /^Instemmen met het voorstel: Gezamenlijk optreden/, 'agree',
    'Vastgelegd: de overlap is besloten: Gezamenlijk optreden.');
  assert.equal(await northPage.locator('[aria-current="step"]').count(), 0, 'no step left to take');
  assert.match(await stepHeading(northPage, 4).innerText(), /\(gedaan\)/);
  await assertAccessible(northPage, 'a decided overlap');
  await north.context.close();
  await amsterdam.context.close();
});
