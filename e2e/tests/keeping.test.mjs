// Keeping the home: the risk list as property staff (the tenancy's
// signals, no missed contact, no finances or health) and as the follow-up
// worker (the missed contacts too), opened from the menu; a renewal
// decision recorded on moving on takes the lease off the list. Every page
// is axe-clean.
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

async function reasons(page) {
  return page.locator('ul.reasons li').evaluateAll((els) => els.map((e) => e.dataset.kind));
}

test('property staff see the tenancy signals, the follow-up team more', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-eiendom');
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Bosikring' }).click();
  await page.waitForURL(/\/bosikring$/);
  await page.locator('tr.risk-row').first().waitFor();
  await axeClean(page, 'the risk list as property staff');
  const property = await reasons(page);
  assert.ok(property.includes('kontrakt_utlop'), `property staff see leases ending: ${property}`);
  assert.ok(!property.includes('uteblitt_kontakt'), 'property staff see no missed contact');
  assert.ok(!property.includes('restanse'), 'property staff see no arrears');
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /Uteblitt kontakt|Restanse:/);
  await context.close();

  const team = await browser.newContext();
  const p = await team.newPage();
  await login(p, husly.url, 'demo-oppfolging');
  await p.goto(husly.url + '/bosikring');
  await p.locator('tr.risk-row').first().waitFor();
  await axeClean(p, 'the risk list as the follow-up team');
  const followup = await reasons(p);
  assert.ok(followup.includes('uteblitt_kontakt'), `the follow-up team sees missed contacts: ${followup}`);
  // One resident's view from the list.
  await p.locator('tr.risk-row th a').first().click();
  await p.waitForURL(/\/bosikring\?person=\d+$/);
  await axeClean(p, "one resident's risks");
  await team.close();
});

test('a renewal decision takes the lease off the risk list', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/bosikring/videre');
  await axeClean(page, 'moving on');
  const row = page.locator('tr.awaiting').first();
  await row.waitFor();
  const lease = await row.getAttribute('data-lease');
  await row.locator('th a').click();
  await page.waitForURL(/\/bosikring\/videre\?person=\d+$/);
  const id = new URL(page.url()).searchParams.get('person');
  await axeClean(page, "a resident's moving on");
  const first = page.locator(`div.awaiting[data-lease="${lease}"]`).first();

  // Refusing without reasons: the problem is shown, nothing is stored.
  await first.locator('input[name=outcome][value=fornyes_ikke]').check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), first.getByRole('button', { name: 'Registrer vedtaket' }).click()]);
  await page.getByText(/begrunnelse mangler/i).first().waitFor();
  assert.equal(await page.locator(`div.awaiting[data-lease="${lease}"]`).count(), 1, 'the lease still awaits a decision');
  await axeClean(page, 'moving on with a problem');

  // The resident's risks before, then the renewal.
  await page.goto(husly.url + '/bosikring?person=' + id);
  assert.ok((await reasons(page)).includes('kontrakt_utlop'), 'the lease is on the list before the decision');
  await page.goto(husly.url + '/bosikring/videre?person=' + id);
  const again = page.locator(`div.awaiting[data-lease="${lease}"]`).first();
  await again.locator('input[name=outcome][value=fornyes]').check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), again.getByRole('button', { name: 'Registrer vedtaket' }).click()]);
  await page.getByRole('status').filter({ hasText: 'Vedtaket om fornyelse er registrert.' }).waitFor();
  assert.equal(await page.locator(`div.awaiting[data-lease="${lease}"]`).count(), 0, 'the lease no longer awaits a decision');
  await page.goto(husly.url + '/bosikring?person=' + id);
  assert.ok(!(await reasons(page)).includes('kontrakt_utlop'), 'the renewed lease is off the list');
  await axeClean(page, 'the risk list after the renewal');
  await context.close();
});
