// Each role's start page, the quick search and the case list in Chromium:
// axe-core clean at 1366 px and 390 px, no sideways scrolling on staff
// pages at 1024 px, the quick search reached by keyboard, the leader's
// charts drawn under the strict CSP. With HUSLY_SCREENSHOTS=1 the start
// pages are saved to docs/screenshots/start-<role>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startHusly, launch, login, axeViolations } from './helpers.mjs';

let husly, browser;
before(async () => { husly = await startHusly(); browser = await launch(); });
after(async () => { await browser?.close(); await husly?.stop(); });

const roles = {
  'demo-saksbehandler': { shot: 'saksbehandler', heading: 'Frister passert eller innen en uke' },
  'demo-eiendom': { shot: 'eiendom', heading: 'Ledige boliger' },
  'demo-oppfolging': { shot: 'oppfolging', heading: 'Personer dere følger opp' },
  'demo-enhetsleder': { shot: 'enhetsleder', heading: 'Venteliste og ventetid ved utgangen av hver måned, siste 12 måneder' },
  'demo-planlegger': { shot: 'planlegger', heading: 'Boligmassen' },
  'demo-admin': { shot: 'admin', heading: 'Administrasjon' },
  'demo-tilsyn': { shot: 'tilsyn', heading: 'Formål for tilsynet' },
  'demo-nav': { shot: 'nav', heading: 'Varsler til enheten' },
};

// Staff pages checked for sideways scrolling at 1024 px, besides "/".
const staffPages = ['/saker', '/saker?vis=oppgaver', '/saker?frist=over&sorter=mottatt', '/sok', '/personer', '/boliger'];

const shots = process.env.HUSLY_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs/screenshots') : '';

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const [user, role] of Object.entries(roles)) {
  test(`the start page of ${user}`, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const csp = [];
    page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) csp.push(m.text()); });
    await login(page, husly.url, user);
    await page.goto(husly.url + '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    await page.getByText(role.heading, { exact: true }).first().waitFor();
    assert.deepEqual(await axeViolations(page), [], `${user} / at 1366 px`);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: `${shots}/start-${role.shot}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1024, height: 800 });
    assert.ok(await overflow(page) <= 0, `${user} / scrolls sideways at 1024 px`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(husly.url + '/');
    assert.deepEqual(await axeViolations(page), [], `${user} / at 390 px`);
    assert.deepEqual(csp, [], `${user}: the page broke the Content-Security-Policy`);
    await context.close();
  });
}

test('the unit leader\'s charts are drawn by uPlot beside their tables', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, husly.url, 'demo-enhetsleder');
  await page.goto(husly.url + '/');
  for (const id of ['chart-waiting', 'chart-waitdays', 'chart-housed', 'chart-received', 'chart-phases']) {
    await page.locator(`#${id} canvas`).waitFor();
    assert.equal(await page.getAttribute(`#${id}`, 'aria-hidden'), 'true', `${id} is hidden from screen readers`);
    assert.ok(await page.locator(`table[data-chart~="${id}"] tbody tr`).count() > 0, `${id} has its table`);
  }
  await context.close();
});

test('staff pages do not scroll sideways at 1024 px', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  for (const p of staffPages) {
    await page.goto(husly.url + p);
    assert.ok(await overflow(page) <= 0, `${p} scrolls sideways at 1024 px`);
    assert.deepEqual(await axeViolations(page), [], p);
  }
  await context.close();
});

test('the quick search is reached by keyboard and finds a person, a case and a unit', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/saker');
  let reached = false;
  for (let i = 0; i < 25 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'quick-q');
  }
  assert.ok(reached, 'Tab reaches the quick search from the top of the page');
  assert.equal(await page.evaluate(() => document.activeElement.labels[0]?.textContent), 'Søk etter person, sak eller bolig');
  await page.keyboard.type('Moe');
  await Promise.all([page.waitForURL(/\/sok$/), page.keyboard.press('Enter')]);
  await page.locator('#r-persons').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'search results');
  // The results are links in tab order: the first person opens on Enter.
  const first = page.locator('#r-persons ~ ul a').first();
  await first.focus();
  await Promise.all([page.waitForURL(/\/personer\/\d+$/), page.keyboard.press('Enter')]);

  for (const [q, group] of [['sak 1', '#r-cases'], ['OMS-00', '#r-units']]) {
    await page.fill('#quick-q', q);
    await Promise.all([page.waitForURL(/\/sok$/), page.press('#quick-q', 'Enter')]);
    await page.locator(group).waitFor();
  }
  assert.ok(!page.url().includes('Moe') && !page.url().includes('OMS'), 'the search words stay out of the URL');
  await context.close();
});

test('the case worker switches between her own and her unit\'s cases in one click', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/');
  await Promise.all([page.waitForURL(/\?vis=enhet$/), page.getByRole('link', { name: 'Vis hele enheten' }).click()]);
  await page.getByText('Viser alle sakene i enheten din.').waitFor();
  await page.getByRole('link', { name: 'Vis bare mine' }).waitFor();
  // A panel's "all" link opens the case list with the panel's filter.
  await Promise.all([page.waitForURL(/\/saker\?/), page.getByRole('link', { name: 'Alle nye søknader uten saksbehandler' }).click()]);
  assert.equal(await page.locator('#f-hvem').inputValue(), 'ufordelt');
  assert.equal(await page.locator('#f-fase').inputValue(), 'mottatt');
  await context.close();
});
