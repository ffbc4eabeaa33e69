// Follow-up in the home on a phone: the follow-up worker opens the day's
// visits at 390 px, records a contact with the defaults in one tap, and
// the page never scrolls sideways. Every follow-up page is axe-clean.
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

test("a contact is recorded from today's visits on a phone", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await login(page, husly.url, 'demo-oppfolging');
  await page.goto(husly.url + '/oppfolging/i-dag');
  await axeClean(page, "today's visits");
  await noSidewaysScroll(page, "today's visits");

  const visit = page.locator('section.visit').first();
  await visit.waitFor();
  const name = (await visit.locator('h3').innerText()).trim();
  // Defaults: a home visit today, 30 minutes, met. One tap saves.
  assert.equal(await visit.locator('input[name=kind][value=hjemmebesok]').isChecked(), true);
  const started = Date.now();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), visit.getByRole('button', { name: 'Lagre kontakt' }).tap()]);
  const took = Date.now() - started;
  assert.ok(took < 30000, `recording took ${took} ms`);
  assert.match(page.url(), /\/oppfolging\/i-dag$/);
  await page.getByRole('status').filter({ hasText: 'Kontakten er lagret.' }).waitFor();
  await axeClean(page, "today's visits after recording");
  await noSidewaysScroll(page, "today's visits after recording");

  // The contact shows on the resident's follow-up, as a home visit today.
  await page.goto(husly.url + '/oppfolging');
  await axeClean(page, 'the follow-up overview');
  const today = new Date().toLocaleDateString('nb-NO', { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric' });
  await page.goto(husly.url + '/oppfolging/i-dag');
  await page.getByRole('link', { name }).first().click();
  await page.waitForURL(/\/oppfolging\/\d+$/);
  await page.locator('table tbody tr', { hasText: today }).filter({ hasText: 'Hjemmebesøk' }).first().waitFor();
  await axeClean(page, "a resident's follow-up");
  await noSidewaysScroll(page, "a resident's follow-up");
  await context.close();
});

test('the board, the pipeline and the observations are axe-clean', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-enhetsleder');
  await page.goto(husly.url + '/oppfolging');
  await page.getByRole('link', { name: 'Housing First-teamet' }).click();
  await page.waitForURL(/\/oppfolging\/team\/\d+$/);
  await axeClean(page, 'the caseload board');
  await page.getByRole('link', { name: 'Housing First-løpet' }).first().click();
  await page.waitForURL(/housing-first$/);
  await axeClean(page, 'the Housing First pipeline');
  await page.goto(husly.url + '/oppfolging/observasjoner');
  await axeClean(page, 'observations for the team');
  await context.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await phone.newPage();
  await login(p, husly.url, 'demo-eiendom');
  await p.goto(husly.url + '/oppfolging/observasjoner');
  await axeClean(p, 'observations for property staff');
  await noSidewaysScroll(p, 'observations for property staff');
  await p.fill('#ob-body', 'Lekkasje fra taket i gangen.');
  await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.getByRole('button', { name: 'Send til oppfølgingsteamet' }).click()]);
  await p.getByRole('status').filter({ hasText: 'Observasjonen er sendt' }).waitFor();
  await phone.close();
});
