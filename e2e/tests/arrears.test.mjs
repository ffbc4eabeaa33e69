// A missed due date to a payment plan that stops the ladder: the housing
// office registers an unpaid rent on a lease that was paid up and gives a
// warning for it, the conversation task appears on the primary contact's
// start page, the follow-up worker records a payment plan, and the ladder
// stands stopped with the plan as its reason. Every page is axe-clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHusly, launch, login, axeViolations } from './helpers.mjs';

let husly, browser;
before(async () => { husly = await startHusly(); browser = await launch(); });
after(async () => { await browser?.close(); await husly?.stop(); });

async function axeClean(page, what) {
  assert.equal(await page.getAttribute('html', 'lang'), 'nb', what);
  assert.deepEqual(await axeViolations(page), [], what);
}

function isoDaysAgo(n) {
  const d = new Date(Date.now() - n * 86400000);
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
}

test('a missed due date becomes a conversation and a payment plan that stops the ladder', async () => {
  const office = await browser.newContext();
  const page = await office.newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/bosikring/restanser?status=alle');
  await axeClean(page, 'the arrears overview');
  // The lease that was paid up again.
  const row = page.locator('table tbody tr', { hasText: 'Betalt' }).first();
  const link = row.getByRole('link');
  const name = (await link.innerText()).trim();
  await link.click();
  await page.waitForURL(/\/bosikring\/restanser\/leieforhold\/\d+$/);
  const leaseURL = page.url();
  await axeClean(page, 'a lease with arrears');
  await page.getByLabel('Type').selectOption('husleie');
  await page.getByLabel('Forfallsdato').fill(isoDaysAgo(5));
  await page.getByLabel('Beløp i kroner').fill('7250');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Registrer forfallet' }).click()]);
  await page.getByRole('status').filter({ hasText: 'Forfallet er registrert.' }).waitFor();
  await axeClean(page, 'the lease after registering a due');

  // The housing office has also begun the escalation ladder for the rent:
  // a warning, with a preventive action by a named person.
  const ladderURL = husly.url + '/bosikring/leieforhold/' + leaseURL.split('/').pop();
  await page.goto(ladderURL);
  await page.getByText('Ingen åpen eskalering.').waitFor();
  await page.fill('#st-action', 'Samtale om restansen med leietakeren og bo-oppfølgeren før noe annet skjer.');
  await page.fill('#st-grounds', 'Husleien for denne måneden er ikke betalt.');
  await page.selectOption('#st-ground', 'husleie');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Registrer trinnet' }).click()]);
  await page.getByText('Står nå på: Advarsel.').waitFor();
  await axeClean(page, 'the lease at the warning for the rent');

  // The primary contact sees the task on the start page.
  const worker = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const w = await worker.newPage();
  await login(w, husly.url, 'demo-oppfolging');
  await w.goto(husly.url + '/');
  const panel = w.locator('section#p-arrears, section[aria-labelledby=p-arrears]');
  await panel.getByRole('link', { name }).first().waitFor();
  await axeClean(w, "the follow-up worker's start page");
  await panel.getByRole('link', { name }).first().click();
  await w.waitForURL(leaseURL);
  await axeClean(w, 'the lease for the primary contact');
  // No amounts for the follow-up worker, whose role does not see finances.
  assert.equal(await w.getByRole('heading', { name: 'Forfall', exact: true }).count(), 0);
  const open = w.locator('section', { has: w.getByRole('button', { name: 'Registrer samtalen' }) }).first();
  await open.getByLabel('Betalingsplan').check();
  await open.getByLabel('Notat').fill('Avtalt 500 kr i måneden i tillegg til husleien.');
  await Promise.all([w.waitForNavigation({ waitUntil: 'load' }), open.getByRole('button', { name: 'Registrer samtalen' }).click()]);
  await w.getByRole('status').filter({ hasText: 'Samtalen er registrert.' }).waitFor();
  // The worker sees that the conversation is held; what was agreed is the
  // tenant's finances, which the housing office sees with the consent.
  await w.getByText('Samtalen ble holdt').first().waitFor();
  await axeClean(w, 'the lease after the conversation');
  await w.goto(husly.url + '/bosikring/restanser?mine=ja&status=gjennomfort');
  await w.locator('table tbody tr', { hasText: name }).filter({ hasText: 'Samtale holdt' }).first().waitFor();
  await axeClean(w, "the worker's held conversations");
  await worker.close();

  // The payment plan stopped the ladder, with the plan as its reason.
  await page.goto(ladderURL);
  await page.getByText('Ingen åpen eskalering.').waitFor();
  await page.locator('table tbody tr', { hasText: 'Advarsel' }).filter({ hasText: 'Stoppet' }).first().waitFor();
  await page.getByText('Betalingsplan avtalt i samtalen om restansen').first().waitFor();
  await axeClean(page, 'the ladder stopped by the payment plan');

  await page.goto(leaseURL);
  await page.getByText('Avtalt 500 kr i måneden').first().waitFor();
  await page.getByText('Betalingsplan').first().waitFor();
  await axeClean(page, 'the lease with the payment plan, for the housing office');
  await office.close();
});
