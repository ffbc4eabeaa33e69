// Keeping the home: property staff register a complaint on the demo
// resident's tenancy, the resident gives their side on Min side at 390 px
// (never seeing who complained), staff issue a warning with a preventive
// action, open its letter, and stop the ladder with a reason. Every page
// on the way is axe-clean.
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

async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

test('a complaint is heard, a warning is given with its letter, and the ladder is stopped', async () => {
  const staff = await browser.newContext();
  const page = await staff.newPage();
  await login(page, husly.url, 'demo-eiendom');
  await page.goto(husly.url + '/bosikring/klager');
  await axeClean(page, 'the complaints list');
  // The demo resident's tenancy has a complaint from a neighbour.
  await submit(page, page.locator('table tbody tr', { hasText: 'Støy' }).filter({ hasText: 'Nabo' }).first().getByRole('link'));
  await page.waitForURL(/\/bosikring\/leieforhold\/\d+$/);
  const lease = page.url();
  await page.getByText('Høy musikk og banking i veggen').waitFor();
  await axeClean(page, 'the tenancy page');

  // Register a complaint.
  await page.getByText('Registrer en klage eller hendelse').click();
  await page.selectOption('#c-kind', 'skade');
  await page.selectOption('#c-source', 'vaktmester');
  await page.fill('#c-complainant', 'Vaktmester Vidar');
  await page.fill('#c-what', 'Ødelagt dørlås i oppgangen etter fest.');
  await submit(page, page.getByRole('button', { name: 'Lagre klagen' }));
  await page.getByRole('status').filter({ hasText: 'Klagen er registrert' }).waitFor();
  await page.getByText('Ødelagt dørlås i oppgangen etter fest.').waitFor();
  await axeClean(page, 'the tenancy page with the new complaint');

  // The resident reads it on Min side, on a phone, and gives their side.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const mine = await phone.newPage();
  await login(mine, husly.url, 'demo-beboer');
  await mine.getByRole('link', { name: 'Klager' }).first().click();
  await mine.waitForURL(/\/min-side\/klager$/);
  await axeClean(mine, 'complaints on Min side');
  const wide = await mine.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `Min side's complaints scroll sideways by ${wide} px`);
  const body = await mine.locator('main').innerText();
  assert.ok(!body.includes('Vaktmester Vidar') && !body.includes('Beboer i 2. etasje'), 'the resident saw who complained');
  const card = mine.locator('section', { hasText: 'Ødelagt dørlås i oppgangen etter fest.' });
  await card.locator('textarea').fill('Låsen var ødelagt før festen; jeg meldte det til vaktmester.');
  await submit(mine, card.getByRole('button', { name: 'Send' }));
  await mine.getByRole('status').filter({ hasText: 'Din side av saken er lagret' }).waitFor();
  await mine.getByText('Låsen var ødelagt før festen').waitFor();
  await axeClean(mine, 'complaints on Min side after answering');
  await phone.close();

  // Staff see the resident's side, and give a warning with a preventive action.
  await page.goto(lease);
  await page.getByText('Låsen var ødelagt før festen').waitFor();
  await page.fill('#st-action', 'Samtale med beboer og bo-oppfølger om husordenen; vaktmester sjekker låsen.');
  await page.fill('#st-grounds', 'Klager på støy om natten og skade i oppgangen.');
  await submit(page, page.getByRole('button', { name: 'Registrer trinnet' }));
  await page.getByRole('status').filter({ hasText: 'Trinnet er registrert' }).waitFor();
  await page.getByText('Står nå på: Advarsel.').waitFor();
  await axeClean(page, 'the tenancy page at the warning');

  // Its letter, as a page and as PDF.
  await page.getByRole('link', { name: 'Åpne brevet (Advarsel)' }).click();
  await page.waitForURL(/\/bosikring\/trinn\/\d+\/brev$/);
  await page.getByRole('heading', { name: 'Advarsel om brudd på leieavtalen' }).waitFor();
  await page.getByText('sosialtjenesteloven § 27').waitFor();
  await axeClean(page, 'the warning letter');
  const pdf = await page.request.get(page.url() + '.pdf');
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /application\/pdf/);

  // Stop the ladder with a reason.
  await page.goto(lease);
  await page.fill('#stop-reason', 'Samtalen holdt; beboeren har fått hjelp og forholdene er rettet.');
  await submit(page, page.getByRole('button', { name: 'Stopp eskaleringen' }));
  await page.getByRole('status').filter({ hasText: 'Eskaleringen er stoppet.' }).waitFor();
  await page.getByText('Ingen åpen eskalering.').waitFor();
  await page.locator('table tbody tr', { hasText: 'Advarsel' }).filter({ hasText: 'Stoppet' }).first().waitFor();
  await axeClean(page, 'the tenancy page after stopping');

  await page.goto(husly.url + '/bosikring/eskalering');
  await axeClean(page, 'the open ladders');
  await staff.close();
});
