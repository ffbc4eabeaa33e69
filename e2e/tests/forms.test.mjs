// Forms that behave, in the browser: a walk-in registered once, a note
// that a reload never stores twice, a form with problems that keeps what
// was typed with the error summary on top, the stock and rules forms;
// every page axe-clean at 1366 px and on a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHusly, launch, login, axeViolations } from './helpers.mjs';

let husly, browser;
before(async () => { husly = await startHusly(); browser = await launch(); });
after(async () => { await browser?.close(); await husly?.stop(); });

// identityNumber makes a valid fødselsnummer (both check digits) for a
// birth date, trying individual numbers until both digits are valid.
function identityNumber(day, month, year, start) {
  const w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2], w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const check = (digits, w) => { const r = 11 - (digits.reduce((s, d, i) => s + d * w[i], 0) % 11); return r === 11 ? 0 : r; };
  for (let ind = start; ind < start + 100; ind++) {
    const base = [day, month, year % 100].map((n) => String(n).padStart(2, '0')).join('') + String(ind).padStart(3, '0');
    const digits = [...base].map(Number);
    const k1 = check(digits, w1);
    if (k1 === 10) continue;
    const k2 = check([...digits, k1], w2);
    if (k2 === 10) continue;
    return base + k1 + k2;
  }
  throw new Error('no valid number');
}

// clickAndLoad presses a button with the keyboard and waits for the page
// that answers.
async function clickAndLoad(page, locator) {
  const loaded = page.waitForNavigation({ waitUntil: 'load' });
  await locator.focus();
  await page.keyboard.press('Enter');
  await loaded;
}

async function clean(page, what) {
  assert.equal(await page.getAttribute('html', 'lang'), 'nb', what);
  assert.deepEqual(await axeViolations(page), [], what);
}

// cleanAtBothSizes checks the page at 1366 px and on a 390 px phone, and
// that it never scrolls sideways at 1024 px (staff pages).
async function cleanAtBothSizes(page, what) {
  for (const [width, height] of [[1366, 900], [390, 844]]) {
    await page.setViewportSize({ width, height });
    await clean(page, `${what} at ${width} px`);
  }
  await page.setViewportSize({ width: 1024, height: 768 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways at 1024 px by ${overflow} px`);
  await page.setViewportSize({ width: 1366, height: 900 });
}

test('a walk-in is registered once, and a note is never stored twice', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/personer');
  await clickAndLoad(page, page.getByRole('link', { name: 'Registrer ny person' }));
  await cleanAtBothSizes(page, 'the registration form');

  const number = identityNumber(14, 3, 1987, 400);
  const wrong = number.slice(0, 10) + String((Number(number[10]) + 1) % 10);
  await page.fill('#p-number', wrong);
  await page.fill('#p-first', 'Gunnhild');
  await page.fill('#p-last', 'Gjennomgang');
  await page.fill('#p-phone', '12');
  await page.fill('#m1-first', 'Lille');
  await page.fill('#m1-last', 'Gjennomgang');
  await page.fill('#m1-birth', '2019-05-01');
  await page.selectOption('#m1-relation', 'barn');
  await clickAndLoad(page, page.getByRole('button', { name: 'Registrer personen' }));

  // The form comes back with what was typed, the fields marked and the
  // error summary on top, with focus on it.
  const summary = page.locator('#error-summary');
  assert.match(await summary.innerText(), /kontrollsifrene i fødselsnummeret stemmer ikke/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
  assert.equal(await page.locator('#p-number').inputValue(), wrong);
  assert.equal(await page.locator('#p-first').inputValue(), 'Gunnhild');
  assert.equal(await page.locator('#m1-first').inputValue(), 'Lille');
  assert.equal(await page.locator('#p-number').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#p-phone').getAttribute('aria-invalid'), 'true');
  await cleanAtBothSizes(page, 'the registration form with problems');
  await summary.getByRole('link', { name: /kontrollsifrene/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'p-number');

  await page.fill('#p-number', number);
  await page.fill('#p-phone', '+47 400 00 000');
  await clickAndLoad(page, page.getByRole('button', { name: 'Registrer personen' }));
  assert.match(new URL(page.url()).pathname, /^\/personer\/\d+$/);
  assert.match(await page.getByRole('status').first().innerText(), /Personen er registrert/);
  const personURL = page.url();

  // A note: the post answers with the person's page, and reloading it
  // shows the note once.
  const text = 'Kom innom kontoret i dag ' + Date.now();
  await page.selectOption('#note-category', 'boligbehov');
  await page.fill('#note-body', text);
  await clickAndLoad(page, page.getByRole('button', { name: 'Lagre notat' }));
  assert.equal(page.url(), personURL);
  assert.match(await page.getByRole('status').first().innerText(), /Notatet er lagret|lagret/);
  assert.equal(await page.getByText(text).count(), 1);
  await cleanAtBothSizes(page, 'the person page after a note');
  await page.reload({ waitUntil: 'load' });
  assert.equal(await page.getByText(text).count(), 1, 'the reload stored the note again');

  // The same number again is found, not registered twice.
  await page.goto(husly.url + '/personer/ny');
  await page.fill('#p-number', number);
  await page.fill('#p-first', 'Gunnhild');
  await page.fill('#p-last', 'Gjennomgang');
  await clickAndLoad(page, page.getByRole('button', { name: 'Registrer personen' }));
  assert.match(await page.locator('#existing').innerText(), /allerede registrert/);
  assert.equal(new URL(await page.locator('#existing a').getAttribute('href'), husly.url).href, personURL);
  await clean(page, 'the registration form offering the registered person');
  await page.context().close();
});

test('property staff change a unit, and the rules are forms with labelled fields', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-eiendom');
  await page.goto(husly.url + '/boliger');
  await clickAndLoad(page, page.locator('table tbody a').first());
  await clickAndLoad(page, page.getByRole('link', { name: /Endre status, tilstand/ }));
  await cleanAtBothSizes(page, 'the unit form');
  await page.fill('#u-rooms', 'to');
  await clickAndLoad(page, page.getByRole('button', { name: 'Lagre endringene' }));
  assert.match(await page.locator('#error-summary').innerText(), /«to» er ikke et helt tall/);
  assert.equal(await page.locator('#u-rooms').inputValue(), 'to');
  await clean(page, 'the unit form with a problem');
  await page.fill('#u-rooms', '2');
  await page.selectOption('#u-condition', 'middels');
  await clickAndLoad(page, page.getByRole('button', { name: 'Lagre endringene' }));
  assert.match(await page.getByRole('status').first().innerText(), /Endringene i boligen er lagret/);
  await page.context().close();

  const admin = await (await browser.newContext()).newPage();
  await login(admin, husly.url, 'demo-admin');
  await admin.goto(husly.url + '/tildeling/regler');
  const text = await admin.locator('main').innerText();
  assert.doesNotMatch(text, /bostedslos_na|per_days|"kind"/);
  await cleanAtBothSizes(admin, 'the priority rules form');
  await admin.goto(husly.url + '/tilgang');
  assert.doesNotMatch(await admin.locator('main').innerText(), /eier_ikke|folkeregister\b|"kind"/);
  await clean(admin, 'the eligibility rules form');
  await admin.context().close();
});

test('an auditor is asked for the purpose instead of meeting an error', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-tilsyn');
  await page.goto(husly.url + '/personer');
  assert.match(await page.locator('h1').innerText(), /Formål med tilsynet/);
  await clean(page, 'the purpose form on the person list');
  await page.fill('#reason', 'Tilsyn med tildelingspraksis 2026');
  await clickAndLoad(page, page.getByRole('button', { name: 'Lagre formål' }));
  assert.equal(new URL(page.url()).pathname, '/personer');
  assert.match(await page.locator('h1').innerText(), /Personer/);
  await page.context().close();
});

test('a draft brings back the boxes ticked and the options chosen', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/personer/1');
  await page.getByText('Registrer søknad', { exact: true }).click();
  await page.uncheck('#s-registered');
  await page.check('#s-owns');
  await page.check('#s-g-barnefamilie');
  await page.fill('#s-size', '3');
  const form = page.locator('form[action="/personer/1/soknader"]');
  await form.locator('.draft-status', { hasText: 'Utkastet er lagret' }).waitFor({ timeout: 10000 });

  await page.reload({ waitUntil: 'load' });
  assert.match(await form.locator('.draft-status').innerText(), /fylt inn fra utkastet ditt/);
  assert.equal(await page.locator('#s-size').inputValue(), '3');
  assert.equal(await page.isChecked('#s-owns'), true, 'the ticked box is not ticked again');
  assert.equal(await page.isChecked('#s-g-barnefamilie'), true, 'the ticked group is not ticked again');
  assert.equal(await page.isChecked('#s-registered'), false, 'the box unticked in the draft is ticked again');
  await page.context().close();
});

test('a form that returns to another page comes back there with what was typed, marked, once', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-oppfolging');
  await page.goto(husly.url + '/oppfolging/i-dag');
  const href = await page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href')).find((h) => /^\/oppfolging\/\d+$/.test(h)));
  assert.ok(href, 'a follow-up to open');
  await page.goto(husly.url + href);
  const rows = await page.locator('tbody tr').count();
  const note = 'Ringte og avtalte nytt besøk ' + Date.now();
  await page.fill('#d-min', 'mange');
  await page.fill('#d-note', note);
  await page.check('#d-risky');
  const form = page.locator('form[action$="/kontakter"]');
  await clickAndLoad(page, form.locator('button[type=submit]'));

  // The post redirected back to the follow-up's page, which shows the
  // form again: the summary on top with focus, the field marked and
  // described by its message, everything typed and ticked kept.
  assert.equal(new URL(page.url()).pathname, href);
  const summary = page.locator('#error-summary');
  assert.match(await summary.innerText(), /«mange» er ikke et helt tall/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
  assert.equal(await page.locator('#d-min').inputValue(), 'mange');
  assert.equal(await page.locator('#d-min').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#d-min-error').innerText(), /«mange»/);
  assert.equal(await page.locator('#d-note').inputValue(), note);
  assert.ok(await page.locator('#d-risky').isChecked(), 'the ticked box is kept');
  await cleanAtBothSizes(page, 'the follow-up page with a contact sent back');
  await summary.getByRole('link', { name: /«mange»/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'd-min');
  assert.equal(await page.locator('tbody tr').count(), rows, 'nothing was stored');

  // Shown once: a reload is the clean page.
  await page.reload({ waitUntil: 'load' });
  assert.equal(await page.locator('#error-summary').count(), 0);
  assert.equal(await page.locator('#d-min').inputValue(), '30');
  await page.context().close();
});
