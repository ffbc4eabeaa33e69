import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHusly, launch, login, axeViolations } from './helpers.mjs';

let husly, browser;
before(async () => { husly = await startHusly(); browser = await launch(); });
after(async () => { await browser?.close(); await husly?.stop(); });

// Every page each role can open, checked for WCAG 2.1 AA with axe.
const pagesByRole = {
  'demo-saksbehandler': ['/', '/personer', '/personer/5', '/personer/5/tidslinje', '/personer/5/tidslinje?kategori=grunnopplysninger', '/saker', '/saker?mine=ja', '/saker/1', '/saker/1/brev/forelopig-svar', '/tildeling', '/tildeling/moter', '/tildeling/avtaler', '/boliger', '/boliger?kategori=bofellesskap&rullestol=ja', '/boliger/400', '/organisasjon', '/organisasjon/2', '/tilgang', '/finnes-ikke'],
  'demo-eiendom': ['/', '/boliger/1', '/boliger/400', '/bygg/1', '/personer'],
  'demo-oppfolging': ['/personer', '/personer/1'],
  'demo-enhetsleder': ['/tilgang', '/saker/oversikt', '/tildeling', '/tildeling/regler', '/tildeling/forbigatte'],
  'demo-planlegger': ['/', '/personer', '/boliger', '/boliger?side=ugyldig', '/tilgang', '/saker/oversikt'],
  'demo-admin': ['/tilgang', '/tekster', '/katalog', '/tildeling/regler', '/tildeling/avtaler'],
  'demo-tilsyn': ['/personer/5'],
  'demo-beboer': ['/', '/min-side/soknad'],
};

test('login page is accessible and in bokmål', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(husly.url + '/logg-inn');
  assert.equal(await page.getAttribute('html', 'lang'), 'nb');
  assert.deepEqual(await axeViolations(page), []);
  await page.fill('#username', 'demo-saksbehandler');
  await page.fill('#password', 'feil-passord');
  await page.click('button[type=submit]');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /Feil brukernavn eller passord/);
  assert.deepEqual(await axeViolations(page), [], 'login page with an error message');
  await page.context().close();
});

for (const [user, paths] of Object.entries(pagesByRole)) {
  test(`every page for ${user} passes axe`, async () => {
    const page = await (await browser.newContext()).newPage();
    await login(page, husly.url, user);
    for (const p of paths) {
      await page.goto(husly.url + p);
      assert.equal(await page.getAttribute('html', 'lang'), 'nb', p);
      assert.deepEqual(await axeViolations(page), [], `${user} ${p}`);
    }
    await page.context().close();
  });
}

test('the unit list pages by key: next page, first page, a changed token refused', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-planlegger');
  await page.goto(husly.url + '/boliger');
  await Promise.all([page.waitForURL(/side=/), page.getByRole('link', { name: 'Neste side' }).click()]);
  assert.match(await page.locator('nav.pager').innerText(), /Side 2/);
  assert.deepEqual(await axeViolations(page), [], 'unit list page 2');
  const token = new URL(page.url()).searchParams.get('side');
  const changed = (token[3] === 'A' ? 'B' : 'A');
  const resp = await page.goto(husly.url + '/boliger?side=' + token.slice(0, 3) + changed + token.slice(4));
  assert.equal(resp.status(), 400);
  assert.match(await page.locator('main').innerText(), /Ugyldig sidemerke/);
  await page.goto(husly.url + '/boliger?side=' + token);
  await Promise.all([page.waitForURL(husly.url + '/boliger'), page.getByRole('link', { name: 'Første side' }).click()]);
  await page.context().close();
});

test('the whole site works by keyboard alone', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(husly.url + '/logg-inn');
  // Sign in with the keyboard alone: the username field has focus on load.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
  await page.keyboard.type('demo-saksbehandler');
  await page.keyboard.press('Tab');
  await page.keyboard.type('husly-demo-2026');
  await Promise.all([page.waitForURL(husly.url + '/'), page.keyboard.press('Enter')]);
  // The skip link is the first stop and moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'ds-skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // From the top of a fresh page, Tab to the persons link in the menu and follow it.
  await page.reload();
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    found = (await page.evaluate(() => document.activeElement.textContent.trim())) === 'Personer';
  }
  assert.ok(found, 'the menu link Personer is reachable by Tab');
  await Promise.all([page.waitForURL(/\/personer$/), page.keyboard.press('Enter')]);
  // Search by typing, then reach the first hit by Tab and open it with Enter.
  await page.locator('#q').focus();
  await page.keyboard.type('han');
  await page.keyboard.press('Enter');
  await page.locator('#results caption', { hasText: 'Søkeresultat' }).waitFor();
  await page.locator('#results a').first().focus();
  const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
  await Promise.all([page.waitForURL(husly.url + href), page.keyboard.press('Enter')]);
  assert.match(await page.locator('h1').innerText(), /\S/);
  // Every focusable element shows where focus is.
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.boxShadow]; });
  assert.ok(ring[0] !== 'none' || ring[1] !== 'none', 'the focused element shows a focus ring: ' + ring);
  await page.context().close();
});

test('search updates the results as you type (htmx)', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/personer');
  const before = await page.locator('#results tbody tr').count();
  await page.fill('#q', 'ole');
  await page.locator('#results caption', { hasText: 'Søkeresultat' }).waitFor();
  const rows = await page.locator('#results tbody tr').allInnerTexts();
  assert.ok(rows.length > 0 && rows.length <= before, `got ${rows.length} rows`);
  assert.equal(page.url(), husly.url + '/personer', 'the query stays out of the URL');
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('nynorsk and English catalogues switch the page language', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  for (const [lang, heading] of [['nn', 'Bustadmassen'], ['en', 'Housing stock'], ['nb', 'Boligmassen']]) {
    await page.goto(husly.url + '/boliger');
    await page.selectOption('#lang', lang);
    await Promise.all([page.waitForURL(husly.url + '/boliger'), page.click('.lang-switch button')]);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal(await page.locator('h1').innerText(), heading);
    assert.deepEqual(await axeViolations(page), [], lang);
  }
  await page.context().close();
});

test('the housing-stock filter narrows the list', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-eiendom');
  await page.goto(husly.url + '/boliger');
  await page.selectOption('#f-kategori', 'housing_first');
  await page.click('form[action="/boliger"] button[type=submit]');
  await page.waitForURL(/kategori=housing_first/);
  assert.equal(await page.locator('caption').first().innerText(), '30 boliger');
  await page.context().close();
});

test('a person the unit has no role for: refused, then opened by break-the-glass', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-eiendom');
  // Property staff have a role only on tenancies; find someone who is not a tenant.
  await page.goto(husly.url + '/personer/2');
  let status = await page.evaluate(() => document.title);
  if (!status.startsWith('Ingen tilgang')) {
    for (let id = 3; id < 60; id++) {
      await page.goto(husly.url + '/personer/' + id);
      if ((await page.title()).startsWith('Ingen tilgang')) break;
    }
  }
  assert.match(await page.title(), /^Ingen tilgang/);
  assert.deepEqual(await axeViolations(page), [], 'no-access page');
  await page.$eval('form.ds-card', (f) => { f.noValidate = true; });
  await page.fill('#reason', 'kort');
  await page.fill('#bg-password', 'husly-demo-2026');
  await page.click('main form button[type=submit]');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /minst 10 tegn/);
  await page.fill('#reason', 'Leietaker ringte om vannlekkasje i naboleiligheten, trenger kontaktinfo');
  await page.fill('#bg-password', 'husly-demo-2026');
  await Promise.all([page.waitForURL(/\/personer\/\d+$/), page.click('main form button[type=submit]')]);
  assert.match(await page.locator('main').innerText(), /nødtilgang/i);
  assert.doesNotMatch(await page.locator('main').innerText(), /Helse\b.*\d{2}\.\d{2}\.\d{4}/, 'property staff see no health notes even in an emergency');
  assert.deepEqual(await axeViolations(page), [], 'person opened by break-glass');
  await page.context().close();
});

test('the resident withdraws a consent and sees who has looked', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-beboer');
  assert.match(await page.locator('h1').innerText(), /Min side/);
  assert.match(await page.locator('#h-mylog').innerText(), /Hvem som har sett/);
  const rows = page.locator('#h-mylog ~ table tbody tr');
  assert.ok((await rows.count()) > 0, 'the access log lists reads');
  const withdraw = page.getByRole('button', { name: /Trekk tilbake/ }).first();
  if (await withdraw.count()) {
    await Promise.all([page.waitForURL(husly.url + '/'), withdraw.click()]);
    assert.match(await page.getByRole('status').first().innerText(), /trukket tilbake/);
  }
  assert.deepEqual(await axeViolations(page), [], 'resident page after withdrawal');
  await page.context().close();
});

test('an auditor states the purpose before reading, and the leader reviews emergency access', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await login(page, husly.url, 'demo-tilsyn');
  await page.goto(husly.url + '/personer/5');
  assert.match(await page.title(), /Formål med tilsynet/);
  assert.deepEqual(await axeViolations(page), [], 'supervision purpose page');
  await page.fill('#reason', 'Tilsyn med tildelingspraksis, Statsforvalteren 2026');
  await Promise.all([page.waitForURL(husly.url + '/personer/5'), page.click('main form button[type=submit]')]);
  assert.match(await page.locator('main').innerText(), /Tilsyn/);
  await page.context().close();
  const leader = await (await browser.newContext()).newPage();
  await login(leader, husly.url, 'demo-enhetsleder');
  await leader.goto(husly.url + '/tilgang');
  assert.match(await leader.locator('#h-bg ~ .table-scroll table').innerText(), /legevakten/);
  await leader.fill('input[name=note]', 'Gjennomgått med Olav; begrunnelsen holder.');
  await Promise.all([leader.waitForURL(husly.url + '/tilgang'), leader.getByRole('button', { name: 'Marker som gjennomgått' }).first().click()]);
  assert.match(await leader.getByRole('status').first().innerText(), /Gjennomgangen er registrert/);
  assert.deepEqual(await axeViolations(leader), [], 'access page after review');
  await leader.context().close();
});

test('an administrator adds a role, and the matrix shows its row', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-admin');
  await page.goto(husly.url + '/tilgang');
  await page.fill('#role-label', 'NAV-veileder');
  await page.fill('#role-code', 'nav-veileder');
  await page.selectOption('#role-base', 'saksbehandler');
  await Promise.all([page.waitForURL(husly.url + '/tilgang'), page.getByRole('button', { name: 'Legg til rollen' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /NAV-veileder/);
  const row = page.locator('#h-matrix ~ form tbody tr', { hasText: 'NAV-veileder' });
  assert.equal(await row.count(), 1);
  assert.ok(await row.getByRole('checkbox', { name: 'NAV-veileder: Økonomi' }).isChecked(), 'starts from its base row');
  assert.deepEqual(await axeViolations(page), [], 'access page with a new role');
  await page.context().close();
});

test('an administrator sets what a unit\'s role reveals, and an empty choice is refused', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-admin');
  await page.goto(husly.url + '/organisasjon/2');
  const boxes = page.locator('input[name=reveals]');
  assert.equal(await boxes.count(), 9, 'one checkbox per category');
  const before = [];
  for (const box of await boxes.all()) if (await box.isChecked()) before.push(await box.getAttribute('value'));
  assert.ok(before.length > 0, 'the unit starts with its categories checked');
  assert.deepEqual(await axeViolations(page), [], 'unit page with the reveals form');
  // Unticking every box is refused with a message and changes nothing.
  for (const box of await boxes.all()) await box.uncheck();
  await Promise.all([page.waitForURL(husly.url + '/organisasjon/2'), page.getByRole('button', { name: 'Lagre kategoriene' }).click()]);
  // The form comes back as it was sent, with the problem in the summary
  // and on the group of boxes.
  assert.match(await page.locator('#error-summary').innerText(), /velg minst én datakategori/i);
  assert.equal(await page.locator('#reveals[aria-invalid=true]').count(), 1, 'the group of boxes is marked');
  assert.deepEqual(await axeViolations(page), [], 'unit page with the refusal');
  // Nothing was stored: the page read again has the categories as before.
  await page.goto(husly.url + '/organisasjon/2');
  for (const v of before) assert.ok(await page.locator(`#rv-${v}`).isChecked(), `${v} still checked after the refusal`);
  // Health and substance use, found by their labels, are saved.
  for (const box of await boxes.all()) await box.uncheck();
  await page.getByRole('checkbox', { name: 'Helse' }).check();
  await page.getByRole('checkbox', { name: 'Rus' }).check();
  await Promise.all([page.waitForURL(husly.url + '/organisasjon/2'), page.getByRole('button', { name: 'Lagre kategoriene' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Kategoriene er lagret/);
  assert.ok(await page.getByRole('checkbox', { name: 'Helse' }).isChecked());
  assert.ok(await page.getByRole('checkbox', { name: 'Rus' }).isChecked());
  assert.ok(!(await page.getByRole('checkbox', { name: 'Grunnopplysninger' }).isChecked()));
  // Put the unit back as it was for the tests that follow.
  for (const box of await boxes.all()) await box.uncheck();
  for (const v of before) await page.locator(`#rv-${v}`).check();
  await Promise.all([page.waitForURL(husly.url + '/organisasjon/2'), page.getByRole('button', { name: 'Lagre kategoriene' }).click()]);
  await page.context().close();
});

test('a case worker registers a first contact and maps the person', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/personer/7');
  await page.locator('summary', { hasText: 'Registrer henvendelse' }).click();
  await page.selectOption('#h-channel', 'erfaringskonsulent');
  await page.selectOption('#h-residence', 'midlertidig_hos_andre');
  await page.fill('#h-summary', 'Sover på sofaen hos en venn etter brudd');
  assert.deepEqual(await axeViolations(page), [], 'person page with the contact form open');
  await page.getByRole('button', { name: 'Registrer henvendelsen' }).click();
  await page.getByRole('status').first().waitFor();
  const row = page.locator('#h-contacts + table tbody tr').first();
  assert.match(await row.innerText(), /Erfaringskonsulent/);
  assert.match(await row.innerText(), /Ja\s+Bor midlertidig hos slekt, venner eller kjente/);
  await page.locator('summary', { hasText: 'Oppdater kartleggingen' }).click();
  await page.fill('#m-goals', 'Ha min egen dør og en katt');
  await page.check('#m-ground');
  await page.check('#m-pets');
  assert.deepEqual(await axeViolations(page), [], 'person page with the mapping form open');
  await page.getByRole('button', { name: 'Lagre kartleggingen' }).click();
  await page.getByRole('status').first().waitFor();
  assert.match(await page.locator('#h-mapping + dl').innerText(), /Ha min egen dør og en katt[\s\S]*har dyr; bakkeplan/);
  await page.context().close();
});

test('an application is checked against the rules and lands on the work list with its deadline', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/personer/8');
  await page.locator('summary', { hasText: 'Registrer søknad' }).click();
  await page.fill('#s-received', '2026-01-31');
  await page.fill('#s-years', '0,5');
  await page.fill('#s-income', '210000');
  await page.check('#s-g-bostedslos');
  assert.deepEqual(await axeViolations(page), [], 'person page with the application form open');
  await page.getByRole('button', { name: 'Registrer søknaden' }).click();
  await page.getByRole('status').first().waitFor();
  const card = page.locator('#h-applications ~ article', { hasText: 'mottatt 31.01.2026' });
  assert.match(await card.innerText(), /Frist for vedtak: 02\.03\.2026/);
  assert.match(await card.innerText(), /Regelen om botid gjelder ikke for bostedsløse/);
  await page.getByRole('link', { name: 'Saker' }).click();
  await page.waitForURL(husly.url + '/saker');
  const row = page.locator('tbody tr').first();
  assert.match(await row.innerText(), /uten vedtak eller foreløpig svar/);
  assert.deepEqual(await axeViolations(page), [], 'work list');
  await Promise.all([page.waitForURL(husly.url + '/saker'), row.getByRole('button', { name: /Registrer foreløpig svar/ }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Foreløpig svar er registrert/);
  await page.context().close();
});
