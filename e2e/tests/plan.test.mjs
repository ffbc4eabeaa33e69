// Plans in follow-up: the follow-up worker writes an action plan with a
// goal in the resident's own words; the resident reads it on Min side at
// 390 px, comments and proposes; the worker records a review; and a
// responsibility group refuses an outside agency the person has not
// consented to. Every page is axe-clean.
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

async function submit(page, form, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.getByRole('button', { name: button }).click()]);
}

const words = 'Jeg vil lære å lage middag til vennene mine – helst lasagne, og så spiser vi sammen på lørdager!';

test('an action plan in the resident\'s own words, commented on Min side and reviewed', async () => {
  // The resident's follow-up, as the resident's own API tells it.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const me = await phone.newPage();
  await login(me, husly.url, 'demo-beboer');
  const res = await me.request.get(husly.url + '/api/v1/me/plans');
  assert.equal(res.status(), 200);
  const mine = await res.json();
  assert.ok(mine.items.length > 0, 'the demo resident has plans');
  const followup = mine.items[0].followup_id;

  // The worker writes the plan; a plan without a goal is refused first.
  const desk = await browser.newContext();
  const staff = await desk.newPage();
  await login(staff, husly.url, 'demo-oppfolging');
  await staff.goto(`${husly.url}/oppfolging/${followup}/planer/oversikt`);
  await axeClean(staff, 'the plans page');
  const before = await staff.locator('section[id^=plan-]').count();
  const form = staff.locator('form[action$="/planer"]');
  await form.locator('select[name=kind]').selectOption('handlingsplan');
  await submit(staff, form, 'Lag planen');
  await staff.locator('#error-summary', { hasText: 'minst ett mål' }).waitFor();
  assert.equal(await staff.locator('section[id^=plan-]').count(), before, 'nothing stored after the refusal');

  await form.locator('select[name=kind]').selectOption('handlingsplan');
  await form.locator('textarea[name=words]').fill(words);
  await form.locator('select[name=area]').selectOption('aktivitet');
  await form.getByLabel('Mening').check();
  await form.getByLabel('Tilhørighet').check();
  await submit(staff, form, 'Lag planen');
  await staff.getByRole('status').filter({ hasText: 'Planen er laget.' }).waitFor();
  const plan = staff.locator('section[id^=plan-]', { has: staff.locator('q', { hasText: words }) });
  await plan.waitFor();
  assert.equal((await plan.locator('q').first().innerText()).trim(), words, 'the goal is stored verbatim');
  await axeClean(staff, 'the plans page with the new plan');

  // The resident reads it at 390 px, proposes and comments.
  await me.goto(husly.url + '/min-side/planer');
  await axeClean(me, 'Min side: my plans');
  await noSidewaysScroll(me, 'Min side: my plans');
  const card = me.locator('article', { has: me.locator('q', { hasText: words }) });
  await card.waitFor();
  await card.getByLabel('Forslag').check();
  await card.getByLabel('Skriv her').fill('Kan vi øve hjemme hos meg først, før jeg inviterer noen?');
  await Promise.all([me.waitForNavigation({ waitUntil: 'load' }), card.getByRole('button', { name: 'Send' }).tap()]);
  await me.getByRole('status').filter({ hasText: 'Forslaget ditt er sendt' }).waitFor();
  await noSidewaysScroll(me, 'Min side after a proposal');
  const again = me.locator('article', { has: me.locator('q', { hasText: words }) });
  await again.getByLabel('Skriv her').fill('Fint at målet står slik jeg sa det.');
  await Promise.all([me.waitForNavigation({ waitUntil: 'load' }), again.getByRole('button', { name: 'Send' }).tap()]);
  await me.getByRole('status').filter({ hasText: 'Kommentaren din er sendt' }).waitFor();
  await axeClean(me, 'Min side after a comment');

  // The worker sees the proposal and records a review.
  await staff.goto(`${husly.url}/oppfolging/${followup}/planer/oversikt`);
  const reviewed = staff.locator('section[id^=plan-]', { has: staff.locator('q', { hasText: words }) });
  await reviewed.locator('li', { hasText: 'Kan vi øve hjemme hos meg først' }).waitFor();
  await reviewed.locator('summary', { hasText: 'Registrer gjennomgang' }).click();
  const review = reviewed.locator('form[action$="/planer/gjennomgang"]');
  await review.locator('textarea[name=summary]').fill('Vi øver hjemme først, som foreslått. Første middag om en måned.');
  await submit(staff, review, 'Lagre gjennomgangen');
  await staff.getByRole('status').filter({ hasText: 'Gjennomgangen er registrert.' }).waitFor();
  await staff.locator('section[id^=plan-] li', { hasText: 'Vi øver hjemme først, som foreslått.' }).waitFor();
  await axeClean(staff, 'the plans page after the review');

  // A responsibility group refuses the police without the person's consent.
  const create = staff.locator('form[action$="/planer"]');
  await create.locator('select[name=kind]').selectOption('ansvarsgruppe');
  await create.locator('input[name=title]').fill('Ansvarsgruppe for øving');
  await submit(staff, create, 'Lag planen');
  await staff.getByRole('status').filter({ hasText: 'Planen er laget.' }).waitFor();
  const group = staff.locator('section[id^=plan-]', { hasText: 'Ansvarsgruppe for øving' });
  await group.locator('summary', { hasText: 'Legg til medlem' }).click();
  const member = group.locator('form[action$="/planer/medlem"]');
  await member.locator('input[name=name]').fill('Politikontakt Hansen');
  await member.locator('select[name=agency]').selectOption('politi');
  await submit(staff, member, 'Legg til medlemmet');
  await staff.locator('#error-summary', { hasText: 'samtykket' }).waitFor();
  assert.equal(await staff.locator('section[id^=plan-] li', { hasText: 'Politikontakt Hansen' }).count(), 0, 'the member is not stored');
  await axeClean(staff, 'the plans page after the refusal');

  await desk.close();
  await phone.close();
});
