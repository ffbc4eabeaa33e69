// Safe transitions and keeping the home: the follow-up worker registers a
// discharge and sees its alert on the register and the start page,
// registers a family's stay in temporary housing and sees it flagged as
// long, records a visit after moving in with a damp bathroom, and the
// property manager finds the finding as a task and marks it done. A first
// contact saying the person leaves prison puts them in the register. Every
// page is axe-clean.
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

function isoIn(days) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
}

test('a transition, a temporary stay and a home visit with a finding that becomes a task', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-oppfolging');

  // Register a discharge three weeks ahead; the register shows its alert.
  await page.goto(husly.url + '/bosikring/overganger');
  await axeClean(page, 'the transitions register');
  const form = page.locator('#new-transition');
  if (!(await form.isVisible())) await page.getByText('Registrer en overgang', { exact: true }).click();
  // A transition without a date is refused, naming the field, and nothing is stored.
  const person = await form.locator('select[name=person] option').nth(1).getAttribute('value');
  const name = (await form.locator('select[name=person] option').nth(1).textContent()).trim();
  await form.locator('select[name=person]').selectOption(person);
  await form.locator('input[name=kind][value=institusjon]').check();
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Registrer overgangen' }).click()]);
  await page.getByText('Dato:', { exact: false }).first().waitFor();
  await axeClean(page, 'the register with a problem');

  if (!(await form.isVisible())) await page.getByText('Registrer en overgang', { exact: true }).click();
  await form.locator('select[name=person]').selectOption(person);
  await form.locator('input[name=kind][value=institusjon]').check();
  await form.locator('input[name=leaving_on]').fill(isoIn(20));
  await form.locator('input[name=meeting_with]').fill('DPS, NAV og Housing First-teamet');
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Registrer overgangen' }).click()]);
  await page.getByText('Overgangen er registrert.').first().waitFor();
  const [last, first] = name.split(', ');
  const alert = page.locator('#tr-mine ~ ul li', { hasText: `${first} ${last}` }).filter({ hasText: '4 uker' });
  await alert.first().waitFor();
  await axeClean(page, 'the register after registering');

  // The alert is on the start page too.
  await page.goto(husly.url + '/');
  await page.locator('#p-transitions ~ ul li', { hasText: `${first} ${last}` }).first().waitFor();
  await axeClean(page, 'the start page with transition alerts');

  // A family's stay in temporary housing, twelve days in: a long stay.
  await page.goto(husly.url + '/bosikring/midlertidig');
  await axeClean(page, 'temporary housing');
  const stay = page.locator('#new-stay');
  if (!(await stay.isVisible())) await page.getByText('Registrer et opphold', { exact: true }).click();
  await stay.locator('select[name=person]').selectOption(person);
  await stay.locator('input[name=place]').fill('Testhospitset');
  await stay.locator('input[name=owner]').fill('Privat utleier');
  await stay.locator('input[name=start_on]').fill(isoIn(-12));
  await stay.locator('input[name=price_per_night]').fill('-5');
  await stay.locator('input[name=children]').fill('2');
  await Promise.all([page.waitForNavigation(), stay.getByRole('button', { name: 'Registrer oppholdet' }).click()]);
  await page.getByText('Pris per døgn:', { exact: false }).first().waitFor();
  if (!(await stay.isVisible())) await page.getByText('Registrer et opphold', { exact: true }).click();
  await stay.locator('select[name=person]').selectOption(person);
  await stay.locator('input[name=place]').fill('Testhospitset');
  await stay.locator('input[name=owner]').fill('Privat utleier');
  await stay.locator('input[name=start_on]').fill(isoIn(-12));
  await stay.locator('input[name=price_per_night]').fill('700');
  await stay.locator('input[name=children]').fill('2');
  await Promise.all([page.waitForNavigation(), stay.getByRole('button', { name: 'Registrer oppholdet' }).click()]);
  await page.getByText('Oppholdet er registrert.').first().waitFor();
  await page.locator('table tbody tr', { hasText: 'Testhospitset' }).filter({ hasText: 'Langt opphold' }).first().waitFor();
  await axeClean(page, 'temporary housing after registering');

  // The stay ends without a home: the transition it opened gets that
  // outcome in the register, and the stay says so.
  const row = page.locator('table tbody tr', { hasText: 'Testhospitset' }).first();
  await row.locator('input[name=route_out]').fill('Hos en venn');
  await row.locator('select[name=route_kind]').selectOption('uten_bolig');
  await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Avslutt oppholdet' }).click()]);
  await page.getByText('Utfall i overgangsregisteret: Uten bolig', { exact: false }).first().waitFor();
  await axeClean(page, 'temporary housing after the stay ended');

  // A visit after moving in with a damp bathroom.
  await page.goto(husly.url + '/bosikring/besok');
  await axeClean(page, 'visits and home checks');
  const due = page.locator('section.visit').first();
  await due.waitFor();
  const address = (await due.locator('h3').innerText()).split(':')[0].trim();
  await due.getByText('Registrer besøket', { exact: true }).click();
  await due.locator('input[name=item_fukt][value=funn]').check();
  await due.locator('input[name=note_fukt]').fill('Mugg i hjørnet på soverommet');
  await Promise.all([page.waitForNavigation(), due.getByRole('button', { name: 'Lagre besøket' }).click()]);
  await page.getByText('Besøket er lagret.').first().waitFor();
  await axeClean(page, 'visits after recording');
  await context.close();

  // The property manager sees the finding as a task, on the start page
  // and the visits page, and marks it done.
  const prop = await browser.newContext();
  const p = await prop.newPage();
  await login(p, husly.url, 'demo-eiendom');
  await p.goto(husly.url + '/');
  await p.locator('#p-checktasks ~ ul li', { hasText: 'Mugg i hjørnet' }).first().waitFor();
  await axeClean(p, 'the property start page with tasks');
  await p.goto(husly.url + '/bosikring/besok');
  const task = p.locator('form', { hasText: 'Mugg i hjørnet' }).filter({ hasText: address });
  await Promise.all([p.waitForNavigation(), task.getByRole('button', { name: 'Marker som utført' }).click()]);
  await p.getByText('Oppgaven er utført.').first().waitFor();
  assert.equal(await p.locator('form', { hasText: 'Mugg i hjørnet' }).count(), 0);
  await axeClean(p, 'visits after the task is done');
  await prop.close();
});

test('a first contact saying the person leaves prison puts them in the register', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-oppfolging');
  await page.goto(husly.url + '/bosikring/overganger');
  // The person of the discharge above, whose health data the team may see.
  const option = page.locator('#new-transition select[name=person] option').nth(1);
  const person = await option.getAttribute('value');
  const [last, first] = (await option.textContent()).trim().split(', ');
  await page.goto(husly.url + '/personer/' + person);
  const open = async () => {
    const details = page.locator('details', { has: page.locator('#h-transition') });
    if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  };
  // A release without its date is refused, naming the field.
  await open();
  await page.selectOption('#h-channel', 'kriminalomsorgen');
  await page.selectOption('#h-residence', 'fengsel');
  await page.selectOption('#h-transition', 'fengsel');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Registrer henvendelsen', exact: true }).click()]);
  await page.getByText('Dato for overgangen:', { exact: false }).first().waitFor();
  await axeClean(page, 'the person page with the contact refused');
  await open();
  await page.selectOption('#h-transition', 'fengsel');
  await page.fill('#h-leaving', isoIn(40));
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Registrer henvendelsen', exact: true }).click()]);
  await page.getByRole('status').first().waitFor();
  await page.getByText('Forventet overgang: fengsel', { exact: false }).first().waitFor();
  await axeClean(page, 'the person page with a release ahead');
  const mapping = page.locator('details', { has: page.locator('#m-transition') });
  if (!(await mapping.evaluate((d) => d.open))) await mapping.locator('summary').click();
  await page.locator('#m-transition').waitFor();
  await axeClean(page, 'the mapping form with its transition ahead');
  await page.goto(husly.url + '/bosikring/overganger');
  await page.locator('table tbody tr', { hasText: `${first} ${last}` }).filter({ hasText: 'fengsel' }).first().waitFor();
  await context.close();
});

test('the visits page fits a phone, and the register reads in nynorsk and English', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  await login(p, husly.url, 'demo-eiendom');
  await p.goto(husly.url + '/bosikring/besok');
  const wide = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `the visits page scrolls sideways by ${wide} px`);
  assert.deepEqual(await axeViolations(p), [], 'visits on a phone');
  await phone.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-oppfolging');
  for (const [lang, heading] of [['nn', 'Overgangar'], ['en', 'Transitions']]) {
    await page.goto(husly.url + '/bosikring/overganger');
    await page.selectOption('#lang', lang);
    await Promise.all([page.waitForURL(husly.url + '/bosikring/overganger'), page.click('.lang-switch button')]);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.deepEqual(await axeViolations(page), [], `the register in ${lang}`);
  }
  await context.close();
});
