// Activities and the staff register: a resident signs up for a course on
// Min side at 390 px, a follow-up worker records who came to an activity
// that has been, and a team leader sees a training that is overdue. Every
// page is axe-clean; the resident's page never scrolls sideways.
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

test('a resident signs up for a course on Min side on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await login(page, husly.url, 'demo-beboer');
  await page.goto(husly.url + '/min-side/aktiviteter');
  await axeClean(page, "the resident's activities");
  await noSidewaysScroll(page, "the resident's activities");

  const offer = page.locator('section.visit', { has: page.getByRole('button', { name: 'Meld meg på' }) }).first();
  await offer.waitFor();
  const title = (await offer.locator('h3').innerText()).trim();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), offer.getByRole('button', { name: 'Meld meg på' }).tap()]);
  assert.match(page.url(), /\/min-side\/aktiviteter$/);
  await page.getByRole('status').filter({ hasText: 'Du er meldt på.' }).waitFor();
  const signed = page.locator('section.visit', { has: page.getByRole('heading', { name: title, exact: true }) }).first();
  await signed.getByText('Du er påmeldt.').waitFor();
  await signed.getByRole('button', { name: 'Meld meg av' }).waitFor();
  await axeClean(page, "the resident's activities after signing up");
  await noSidewaysScroll(page, "the resident's activities after signing up");
  await context.close();
});

test('a follow-up worker records who came to an activity', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-oppfolging');
  await page.goto(husly.url + '/oppfolging');
  await page.getByRole('link', { name: 'Aktiviteter og kurs' }).click();
  await page.waitForURL(/\/aktiviteter$/);
  await axeClean(page, 'the calendar');
  // The calendar starts two weeks back: the first of the team's own rows has been.
  await page.locator('tbody tr', { hasText: 'Housing First-teamet' }).first().getByRole('link').click();
  await page.waitForURL(/\/aktiviteter\/\d+$/);
  await axeClean(page, 'an activity that has been');
  const form = page.locator('#attendance');
  const first = form.getByRole('checkbox').first();
  await first.check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.getByRole('button', { name: 'Lagre oppmøte' }).click()]);
  await page.getByRole('status').filter({ hasText: 'Oppmøtet er lagret.' }).waitFor();
  assert.equal(await page.locator('#attendance').getByRole('checkbox').first().isChecked(), true);
  await axeClean(page, 'the activity after attendance');
  await context.close();
});

test('a team leader sees an overdue training in the staff register', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-enhetsleder');
  await page.goto(husly.url + '/oppfolging');
  await page.getByRole('link', { name: 'Housing First-teamet' }).click();
  await page.waitForURL(/\/oppfolging\/team\/\d+$/);
  await page.getByRole('link', { name: 'Personal og arbeidsmiljø' }).click();
  await page.waitForURL(/\/personal$/);
  await page.locator('#overdue').filter({ hasText: 'forfalt' }).waitFor();
  await page.getByRole('cell', { name: 'Forfalt', exact: true }).first().waitFor();
  await axeClean(page, 'the staff register');
  await context.close();
});
