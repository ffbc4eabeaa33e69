// Layout on real screens: every page each demo role can reach by following
// links from its start page (same origin, GET only) fits the screen without
// sideways scrolling — 390 px for the resident and the public page, 1024 px
// for staff — and passes axe. Then the allocation meeting's flow: nothing is
// decided before attendance, several items are decided at once, and
// closing with items undecided asks for the reason they are deferred.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHusly, launch, PASSWORD, axeViolations } from './helpers.mjs';

let husly, browser, context, page;
before(async () => {
  husly = await startHusly();
  browser = await launch();
  context = await browser.newContext();
  page = await context.newPage();
});
after(async () => { await browser?.close(); await husly?.stop(); });

const PHONE = 390;
const STAFF = 1024;
const roles = ['demo-beboer', 'demo-saksbehandler', 'demo-eiendom', 'demo-oppfolging', 'demo-enhetsleder', 'demo-planlegger', 'demo-admin', 'demo-tilsyn'];

async function signInAs(username) {
  await context.clearCookies();
  await page.goto(husly.url + '/logg-inn');
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/logg-inn')), page.click('button[type=submit]')]);
}

// kind names a page by its route: ids become {id} and only the query's
// names count (the page token of a long list not even that), so a list of
// 470 persons is one page to check, not 470.
function kind(href) {
  const u = new URL(href);
  return u.pathname.replace(/\/\d+(?=\/|$)/g, '/{id}') + '?' + [...u.searchParams.keys()].filter((k) => k !== 'side').sort().join('&');
}

// overflow says how far the page scrolls sideways, and which elements
// stick out, so a failure names what to fix; or which elements cut off
// their content (overflow hidden with more inside than shows), text for
// screen readers only apart.
async function overflow() {
  return page.evaluate(() => {
    const root = document.documentElement;
    const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : '');
    if (root.scrollWidth > root.clientWidth) {
      const wide = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1).slice(0, 3).map(name);
      return `${root.scrollWidth} px wide in ${root.clientWidth} px (${wide.join(', ')})`;
    }
    const clipped = [...document.querySelectorAll('main *')].filter((e) => {
      // A field scrolls its own long text; text for screen readers only is hidden on purpose.
      if (e.closest('.ds-sr-only') || e.clientWidth <= 1 || e.matches('input, textarea, select')) return false;
      const x = getComputedStyle(e).overflowX;
      return (x === 'hidden' || x === 'clip') && e.scrollWidth > e.clientWidth + 1;
    }).slice(0, 3).map(name);
    return clipped.length ? `clipped: ${clipped.join(', ')}` : null;
  });
}

// axeDone holds the kinds of page axe has checked. The width is checked
// for every role (what a role sees changes what is on the page), axe once
// per kind of page, so the run stays short; pages.test.mjs runs axe on
// each role's main pages as well.
const axeDone = new Set();

// crawl visits every kind of page reachable from start by links, checks
// each, and returns what failed. A link the role is shown but may not
// follow (403) is a dead end (issue 11, point 8): it fails too, naming the
// page that showed it.
async function crawl(start, width, who) {
  await page.setViewportSize({ width, height: 900 });
  const problems = [];
  const seen = new Set();
  const queue = [start];
  const shownOn = new Map([[start, '']]);
  let visited = 0;
  while (queue.length) {
    const href = queue.shift();
    const k = kind(href);
    if (seen.has(k)) continue;
    seen.add(k);
    let resp;
    try {
      resp = await page.goto(href);
    } catch (e) {
      if (/Download is starting/.test(e.message)) continue; // a PDF or JSON copy, not a page
      throw e;
    }
    const path = href.slice(husly.url.length);
    if (resp.status() === 403) problems.push(`${who} ${path}: 403 behind a link on ${shownOn.get(href)}`);
    if (!(resp.headers()['content-type'] || '').startsWith('text/html')) continue;
    visited++;
    if (resp.status() >= 500) problems.push(`${who} ${path}: status ${resp.status()}`);
    const wide = await overflow();
    if (wide) problems.push(`${who} ${path} at ${width} px: ${wide}`);
    // The start page is each role's own; other pages share their template.
    const axeKey = k === '/?' ? `${who} ${k}` : `${width} ${k}`;
    if (!axeDone.has(axeKey)) {
      axeDone.add(axeKey);
      for (const v of await axeViolations(page)) problems.push(`${who} ${path}: ${v}`);
    }
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.href));
    for (const l of links) {
      const u = new URL(l);
      u.hash = '';
      if (u.origin !== husly.url || u.pathname.startsWith('/logg-inn') || u.pathname.startsWith('/static/')) continue;
      if (!seen.has(kind(u.href))) {
        queue.push(u.href);
        if (!shownOn.has(u.href)) shownOn.set(u.href, path);
      }
    }
  }
  return { problems, visited };
}

test('the public page and the login fit a phone and pass axe', async () => {
  await context.clearCookies();
  const { problems, visited } = await crawl(husly.url + '/bolig', PHONE, 'anonym');
  assert.ok(visited >= 2, `visited ${visited}`);
  assert.deepEqual(problems, []);
});

test('the resident, with an application sent, reaches no page that scrolls sideways at 390 px', async () => {
  await signInAs('demo-beboer');
  await page.setViewportSize({ width: PHONE, height: 900 });
  await page.goto(husly.url + '/min-side/soknad');
  await page.selectOption('#a-residence', 'midlertidig_botilbud');
  await page.fill('#a-situation', 'Bor på hospits og trenger et fast sted å bo.');
  await Promise.all([page.waitForURL(husly.url + '/min-side/soknad'), page.getByRole('button', { name: 'Send søknaden' }).click()]);
  assert.match(await page.getByRole('status').innerText(), /Søknaden er sendt/);
  const start = await page.locator('main').innerText();
  assert.doesNotMatch(start, /vilkårene|Ikke oppfylt|0 år/, 'no verdict before a case worker has looked');
  assert.match(start, /Tildelingskontoret/, 'whom to contact');
  assert.equal(await page.locator('ol.steps [aria-current="step"]').first().innerText(), 'Saksbehandler ser på den');
  const { problems, visited } = await crawl(husly.url + '/', PHONE, 'demo-beboer');
  assert.ok(visited >= 3, `visited ${visited}`);
  assert.deepEqual(problems, []);
  // The access log puts other people's reads first; the resident's own are folded.
  await page.goto(husly.url + '/');
  assert.match(await page.locator('details.log-own summary').innerText(), /Du har selv sett opplysningene dine \d+ gang/);
});

for (const role of roles.slice(1)) {
  test(`${role}: every page reachable from the start page fits 1024 px and passes axe`, async () => {
    await signInAs(role);
    const start = role === 'demo-tilsyn' ? '/personer' : '/';
    const { problems, visited } = await crawl(husly.url + start, STAFF, role);
    assert.ok(visited >= 3, `visited ${visited}`);
    assert.deepEqual(problems, []);
  });
}

test('the allocation meeting: attendance before decisions, several at once, close with the rest deferred', async () => {
  await signInAs('demo-saksbehandler');
  await page.setViewportSize({ width: STAFF, height: 900 });
  await page.goto(husly.url + '/tildeling/moter');
  await Promise.all([page.waitForURL(/\/tildeling\/moter\/\d+$/), page.getByRole('button', { name: 'Opprett møte med dagsorden' }).click()]);
  const main = page.locator('main');
  // No one registered: no quorum, and no decision can be recorded.
  assert.match(await main.innerText(), /Oppmøtet er ikke registrert/);
  assert.doesNotMatch(await main.innerText(), /Alle etater som skal være til stede/);
  assert.equal(await page.getByRole('button', { name: /Lagre avgjørelsen/ }).count(), 0);
  assert.deepEqual(await axeViolations(page), [], 'a meeting before attendance');
  await page.check('text=Tildelingskontoret');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Lagre oppmøtet' }).click()]);
  await page.waitForURL(/\/tildeling\/moter\/\d+$/);
  assert.match(await page.getByRole('status').innerText(), /Oppmøtet er registrert/);
  assert.doesNotMatch(await main.innerText(), /Oppmøtet er ikke registrert/);
  // Two items deferred in one go; without a reason nothing is stored.
  const picks = page.getByRole('checkbox', { name: /for en samlet avgjørelse/ });
  const before = await picks.count();
  assert.ok(before >= 3, `${before} items to choose from`);
  await picks.nth(0).check();
  await picks.nth(1).check();
  const many = page.locator('#decide-many');
  await many.getByRole('radio', { name: 'Utsatt' }).check();
  await Promise.all([page.waitForURL(/\/tildeling\/moter\/\d+$/), many.getByRole('button').click()]);
  assert.match(await page.locator('#error-summary').innerText(), /skriv grunnen/);
  assert.equal(await picks.count(), before, 'nothing was decided without a reason');
  await picks.nth(0).check();
  await picks.nth(1).check();
  await many.getByRole('radio', { name: 'Utsatt' }).check();
  await many.getByLabel(/Grunn/).fill('Venter på svar fra NAV');
  await Promise.all([page.waitForURL(/\/tildeling\/moter\/\d+$/), many.getByRole('button').click()]);
  assert.match(await page.getByRole('status').innerText(), /Avgjørelsen er ført i referatet/);
  assert.equal(await picks.count(), before - 2);
  assert.equal(await page.locator('article.agenda-item', { hasText: 'Venter på svar fra NAV' }).count(), 2);
  assert.equal(await overflow(), null, 'the meeting at 1024 px');
  assert.deepEqual(await axeViolations(page), [], 'a meeting with decisions');
  // Closing with items undecided: the page says how many and asks why they are deferred.
  const close = page.locator('section', { has: page.locator('#h-close') });
  assert.match(await close.innerText(), new RegExp(`${before - 2} saker er ikke avgjort`));
  const reason = close.getByLabel(/Grunnen til at de utsettes/);
  assert.equal(await reason.getAttribute('required'), '');
  await reason.fill('Tiden gikk ut');
  await Promise.all([page.waitForURL(/\/tildeling\/moter\/\d+$/), close.getByRole('button', { name: 'Utsett og avslutt møtet' }).click()]);
  assert.match(await page.getByRole('status').innerText(), /Møtet er avsluttet/);
  assert.equal(await page.locator('article.agenda-item', { hasText: 'Tiden gikk ut' }).count(), before - 2);
  assert.equal(await page.getByRole('button', { name: /Lagre avgjørelsen/ }).count(), 0);
  assert.deepEqual(await axeViolations(page), [], 'a closed meeting');
});
