// A move decision during the lease: the case worker records that the demo
// resident moves to a setting with more support (without reasons first:
// the problem is shown and nothing is stored), records the letter as
// sent, and the resident sees the decision on Min side on a phone at
// 390 px, without sideways scrolling, and appeals it. Every page is
// axe-clean.
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

async function noSidewaysScroll(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `${what}: the page scrolls sideways by ${wide} px`);
}

test('staff record a move decision, the resident sees it on Min side and appeals', async () => {
  // Who the demo resident is, as the resident's own API tells it.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const me = await phone.newPage();
  await login(me, husly.url, 'demo-beboer');
  const res = await me.request.get(husly.url + '/api/v1/me/record');
  assert.equal(res.status(), 200);
  const record = await res.json();
  const person = record.id ?? record.person?.id ?? record.person?.value?.id;
  assert.ok(person > 0, 'the demo resident is a person: ' + JSON.stringify(record).slice(0, 300));

  const desk = await browser.newContext();
  const staff = await desk.newPage();
  await login(staff, husly.url, 'demo-saksbehandler');
  await staff.goto(`${husly.url}/bosikring/videre?person=${person}`);
  await axeClean(staff, "the resident's moving on");
  const form = staff.locator('form[action="/bosikring/videre/flytting"]');
  await form.waitFor();
  const moveOn = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  await form.getByLabel('Hva beboeren får tilbud om').fill('Bofellesskap med personale hele døgnet, Furulia 4');
  await form.getByLabel('Planlagt flyttedato').fill(moveOn);
  // Without reasons: the problem is shown, nothing is stored.
  await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), form.getByRole('button', { name: 'Registrer vedtaket om flytting' }).click()]);
  await staff.getByText(/begrunnelse mangler/i).first().waitFor();
  assert.equal(await staff.locator('article.decision[data-kind="i_leieperioden"]').count(), 0, 'nothing was stored');
  await axeClean(staff, 'moving on with a problem');

  const again = staff.locator('form[action="/bosikring/videre/flytting"]');
  await again.getByLabel('Hva beboeren får tilbud om').fill('Bofellesskap med personale hele døgnet, Furulia 4');
  await again.getByLabel('Planlagt flyttedato').fill(moveOn);
  await again.getByLabel('Begrunnelse').fill('Du har vært innlagt tre ganger i høst, og hjelpen hjemme er ikke nok til at du er trygg.');
  await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), again.getByRole('button', { name: 'Registrer vedtaket om flytting' }).click()]);
  await staff.getByRole('status').filter({ hasText: 'Vedtaket om flytting er registrert.' }).waitFor();
  const decision = staff.locator('article.decision[data-kind="i_leieperioden"]').first();
  await decision.waitFor();
  // The letter went out by digital post today.
  await decision.getByText('Registrer at brevet er sendt').click();
  await decision.getByLabel('Sendt som').selectOption('digital_post');
  await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), decision.getByRole('button', { name: 'Lagre sendingen' }).click()]);
  await staff.locator('article.decision[data-kind="i_leieperioden"] [data-notified="true"]').first().waitFor();
  await axeClean(staff, 'moving on with the move decision');
  await desk.close();

  // The resident, on a phone.
  await me.goto(husly.url + '/');
  await me.getByRole('link', { name: 'Boligen din' }).first().click();
  await me.waitForURL(/\/min-side\/bolig$/);
  const card = me.locator('article.home-decision').first();
  await card.getByText('Furulia 4').waitFor();
  await card.getByText('Du kan klage til og med').waitFor();
  await card.getByRole('link', { name: 'Les brevet (PDF)' }).waitFor();
  await axeClean(me, "the resident's decisions");
  await noSidewaysScroll(me, "the resident's decisions");
  await card.getByLabel('Hva er du uenig i, og hvorfor?').fill('Jeg vil prøve med hjelp hver dag hjemme først.');
  await Promise.all([me.waitForNavigation({ waitUntil: 'load' }), card.getByRole('button', { name: 'Send klagen' }).tap()]);
  await me.getByRole('status').filter({ hasText: 'Klagen din er sendt.' }).waitFor();
  await me.locator('article.home-decision .my-appeal[data-status="mottatt"]').first().waitFor();
  assert.equal(await me.locator('article.home-decision').first().locator('textarea[name=grounds]').count(), 0, 'one open appeal at a time');
  await axeClean(me, "the resident's decisions after the appeal");
  await noSidewaysScroll(me, "the resident's decisions after the appeal");
  await phone.close();
});
