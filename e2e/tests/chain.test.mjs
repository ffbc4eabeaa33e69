// The whole chain in the browser: first contact, mapping, application,
// case handling, the combined decision and a stale amendment, letters,
// an offer, the lease and the move-in inspection; and the open door: the
// public page and the resident's own application. Every page axe-clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHusly, launch, login, axeViolations } from './helpers.mjs';

let husly, browser;
before(async () => { husly = await startHusly(); browser = await launch(); });
after(async () => { await browser?.close(); await husly?.stop(); });

const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });

async function axeClean(page, what) {
  assert.equal(await page.getAttribute('html', 'lang'), 'nb', what);
  assert.deepEqual(await axeViolations(page), [], what);
}

// clickAndLoad presses a button with the keyboard, as a keyboard user
// would (and wherever an opening disclosure has moved it), and waits for
// the page that answers: a form posts back to the same address, so
// waiting for a URL would not wait at all.
async function clickAndLoad(page, locator) {
  const loaded = page.waitForNavigation({ waitUntil: 'load' });
  await locator.focus();
  await page.keyboard.press('Enter');
  try {
    await loaded;
  } catch (err) {
    err.message = `no page came after clicking ${locator}: ${err.message}`;
    throw err;
  }
}

// openDetails opens a disclosure and waits until it has finished opening,
// so a click inside it lands where the button has come to rest.
async function openDetails(page, text) {
  await page.locator('summary', { hasText: text }).click();
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

async function submit(page, name) {
  await clickAndLoad(page, page.getByRole('button', typeof name === 'string' ? { name, exact: true } : { name }));
}

test('a case worker takes one person from first contact to signed lease', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/personer/11');

  // First contact and mapping.
  await openDetails(page, 'Registrer henvendelse');
  await page.selectOption('#h-channel', 'nav');
  await page.selectOption('#h-residence', 'uten_sted_i_natt');
  await page.fill('#h-summary', 'Har ikke noe sted å sove i natt');
  await submit(page, 'Registrer henvendelsen');
  await page.getByRole('status').first().waitFor();
  await openDetails(page, 'Oppdater kartleggingen');
  await page.fill('#m-goals', 'En leilighet med egen inngang');
  await page.check('#m-ground');
  await submit(page, 'Lagre kartleggingen');
  await page.getByRole('status').first().waitFor();

  // The application, then its case.
  await openDetails(page, 'Registrer søknad');
  await page.selectOption('#s-kind', 'begge');
  await page.fill('#s-received', today);
  await page.fill('#s-years', '3');
  await page.fill('#s-income', '180000');
  await submit(page, 'Registrer søknaden');
  await page.getByRole('status').first().waitFor();
  await Promise.all([page.waitForURL(/\/saker\/\d+$/), page.locator('#h-applications ~ article', { hasText: 'mottatt ' + today.split('-').reverse().join('.') }).first().getByRole('link', { name: /Åpne saken/ }).click()]);
  const caseURL = page.url();
  await axeClean(page, 'a new case');

  // Case handling: checklist, meeting, alternative.
  await openDetails(page, 'Be søkeren om opplysninger');
  await page.fill('#q-what', 'Kontoutskrift for tre måneder');
  await submit(page, 'Legg til i sjekklisten');
  assert.match(await page.getByRole('status').first().innerText(), /lagt til i sjekklisten/);
  await submit(page, /Registrer som mottatt/);
  assert.match(await page.locator('#h-requests + table').innerText(), /Mottatt/);
  await openDetails(page, 'Loggfør et møte');
  await page.fill('#mt-who', 'Søkeren og saksbehandler');
  await page.fill('#mt-summary', 'Søkeren ønsker egen inngang og å bo utenfor sentrum.');
  await submit(page, 'Lagre møtet');
  await openDetails(page, 'Registrer vurdering av et alternativ');
  await page.selectOption('#al-kind', 'bostotte');
  await page.selectOption('#al-outcome', 'veiledet');
  await page.fill('#al-text', 'Kan søke bostøtte når leiekontrakten er på plass.');
  await submit(page, 'Lagre vurderingen');
  assert.match(await page.getByRole('status').first().innerText(), /Vurderingen er lagret/);

  // A provisional answer as an accessible letter.
  await page.goto(caseURL + '/brev/forelopig-svar');
  await axeClean(page, 'provisional answer letter');
  assert.match(await page.locator('article').innerText(), /forvaltningsloven § 11 a/);
  // How the letter went out: the appeal and decision deadlines count from its arrival.
  await page.check('#ch-digital');
  await submit(page, 'Registrer brevet som sendt');
  assert.match(await page.getByRole('status').first().innerText(), /Foreløpig svar er registrert som sendt/);

  // A decision without reasons is refused and nothing is stored.
  await openDetails(page, 'Fatt vedtak');
  await page.evaluate(() => document.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required')));
  await submit(page, 'Fatt vedtaket');
  assert.match(await page.locator('#error-summary').innerText(), /begrunnelsen/);
  await axeClean(page, 'case page with a refused decision');

  // The combined decision: housing and a service with its extent.
  await page.selectOption('#v-type', 'housing_first');
  await page.fill('#v-rooms', '1');
  await page.locator('select[name=service_code]').first().selectOption('boteam');
  await page.locator('input[name=service_hours]').first().fill('3,5');
  await page.locator('select[name=service_unit]').first().selectOption({ label: 'Boteamet' });
  await page.locator('input[name=service_start]').first().fill(today);
  await page.fill('#v-coord', 'Siri Saksbehandler');
  await page.check('#v-agreed-yes');
  await page.fill('#v-cond', 'Oppfølgingsavtale med boteamet');
  await page.fill('#v-reasons', 'Søkeren er bostedsløs og trenger oppfølging for å mestre å bo.');
  await page.check('#v-law-bsl-6');
  await submit(page, 'Fatt vedtaket');
  assert.match(await page.getByRole('status').first().innerText(), /Vedtaket er fattet/);
  assert.match(await page.locator('#h-decision ~ div dl').innerText(), /Oppfølging fra boteamet, 3,5 timer per uke/);

  // Two people open the amendment form; the second to save is told the
  // decision changed under them, and nothing of theirs is stored.
  const other = await context.newPage();
  await other.goto(caseURL);
  await openDetails(other, 'Endre vedtaket');
  await openDetails(page, 'Endre vedtaket');
  await page.fill('#v-rooms', '2');
  await page.fill('#v-why', 'Søkeren har barna annenhver helg');
  await submit(page, 'Lagre ny versjon av vedtaket');
  assert.match(await page.getByRole('status').first().innerText(), /versjon 2/);
  assert.match(await page.locator('#h-versions + ol').innerText(), /Antall rom: «1» → «2»/);
  await other.fill('#v-rooms', '3');
  await other.fill('#v-why', 'Trenger et ekstra rom');
  await submit(other, 'Lagre ny versjon av vedtaket');
  assert.match(await other.locator('#error-summary').innerText(), /endret av noen andre/);
  assert.match(await other.locator('#h-decision ~ div').first().innerText(), /versjon 2/);
  await other.close();

  // The decision letter: HTML and PDF.
  await page.goto(caseURL + '/brev/vedtak');
  await axeClean(page, 'decision letter');
  const letter = await page.locator('article').innerText();
  for (const want of [/Du kan klage/, /Statsforvalteren/, /rett til å se dokumentene/, /Endringer fra forrige vedtak/, /Oppfølging fra boteamet, 3,5 timer per uke/, /boligsosiale feltet § 6/]) {
    assert.match(letter, want);
  }
  const pdf = await page.request.get(caseURL + '/brev/vedtak/pdf');
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF');

  // The offer of a unit that fits, and the allocation letter.
  await page.goto(caseURL);
  // Applicants with higher priority may wait for the same kind of home:
  // passing them over by hand takes a written reason (seed 003).
  await page.fill('#o-passed', 'Boligen ligger nær nettverket hans; søkerne foran venter på andre bydeler.');
  await submit(page, 'Tilby boligen');
  assert.match(await page.getByRole('status').first().innerText(), /er tilbudt og reservert/);
  await page.goto(caseURL + '/brev/tildeling');
  await axeClean(page, 'allocation letter');
  await page.goto(caseURL);
  await submit(page, 'Registrer svaret');
  assert.match(await page.getByRole('status').first().innerText(), /Tilbudet er akseptert/);

  // The lease: a deposit above six months' rent is refused (husleieloven § 3-5).
  await page.fill('#l-deposit', '999999');
  await page.selectOption('#l-held', 'depositumskonto');
  await submit(page, 'Signer leiekontrakten');
  assert.match(await page.locator('#error-summary').innerText(), /seks måneders husleie/);
  await axeClean(page, 'case page with a refused lease');
  await page.fill('#l-deposit', '10000');
  await page.selectOption('#l-held', 'depositumskonto');
  await submit(page, 'Signer leiekontrakten');
  assert.match(await page.getByRole('status').first().innerText(), /Leiekontrakten er signert/);
  assert.match(await page.locator('main').innerText(), /Leiekontrakt signert/);
  await openDetails(page, 'Registrer befaring med inventarliste');
  await submit(page, 'Lagre befaringen');
  assert.match(await page.locator('#h-lease ~ div').first().innerText(), /Nøkler: God/);
  await axeClean(page, 'case page with a signed lease');
  await page.goto(caseURL + '/brev/leiekontrakt');
  await axeClean(page, 'lease document');
  assert.match(await page.locator('article').innerText(), /Husordensregler[\s\S]*Oppfølgingsavtale med boteamet/);

  // The timeline tells the whole story.
  await page.goto(husly.url + '/personer/11/tidslinje');
  await axeClean(page, 'timeline after the chain');
  const timeline = await page.locator('main').innerText();
  for (const want of [/Henvendelse registrert/, /Søknad registrert/, /Vedtak versjon 2/, /Tilbud om bolig/, /Leiekontrakt for/, /Brev sendt/]) {
    assert.match(timeline, want);
  }
  await page.goto(husly.url + '/saker');
  await axeClean(page, 'work list with tasks and notifications');
  await context.close();
});

test('the leader sees the case overview and the administrator edits a letter template', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-enhetsleder');
  await page.getByRole('link', { name: 'Saksoversikt', exact: true }).click();
  await axeClean(page, 'case overview');
  assert.match(await page.locator('caption').innerText(), /åpne saker/);
  const admin = await (await browser.newContext()).newPage();
  await login(admin, husly.url, 'demo-admin');
  await admin.goto(husly.url + '/tekster');
  await axeClean(admin, 'texts');
  await admin.fill('#t-brev_tildeling', 'Hei {navn}, {ukjent}.');
  await submit(admin, 'Lagre Tildelingsbrev');
  assert.match(await admin.locator('#error-summary').innerText(), /ukjent flett-felt \{ukjent\}/);
});

test('the open door: the public page, then the resident applies with a document', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(husly.url + '/bolig');
  await axeClean(page, 'public page');
  assert.match(await page.locator('main').innerText(), /Housing First-bolig/);
  await Promise.all([page.waitForURL(/\/logg-inn/), page.getByRole('link', { name: 'Logg inn og søk' }).click()]);
  await page.fill('#username', 'demo-beboer');
  await page.fill('#password', 'husly-demo-2026');
  await Promise.all([page.waitForURL(husly.url + '/min-side/soknad'), page.click('button[type=submit]')]);
  await axeClean(page, 'the resident\'s application form');
  await page.fill('#a-situation', 'Bor på hospits og trenger et fast sted å bo.');
  await page.fill('#a-wishes', 'Røykfritt, gjerne på Frei.');
  await submit(page, 'Lagre utkast');
  assert.match(await page.getByRole('status').innerText(), /Utkastet er lagret/);
  await page.setInputFiles('#a-doc', { name: 'lonnsslipp.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% Husly test\n') });
  await submit(page, 'Last opp');
  assert.match(await page.getByRole('status').innerText(), /lonnsslipp\.pdf/);
  await submit(page, 'Send søknaden');
  assert.match(await page.getByRole('alert').innerText(), /hvor du bor nå/);
  await axeClean(page, 'the resident\'s form with a problem');
  await page.selectOption('#a-residence', 'midlertidig_botilbud');
  await submit(page, 'Send søknaden');
  assert.match(await page.getByRole('status').innerText(), /Søknaden er sendt/);
  assert.match(await page.locator('#h-sent ~ article').first().innerText(), /Vi har fått søknaden/);
  await axeClean(page, 'the resident\'s sent application');
});

test('an allocation round: proposals with reasons, an offer from a proposal, and a rule change shown before it is saved', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.getByRole('link', { name: 'Tildeling', exact: true }).click();
  await axeClean(page, 'allocation round');
  const first = page.locator('#proposals tbody tr').first();
  assert.match(await first.innerText(), /Score \d+/);
  await clickAndLoad(page, first.getByRole('button', { name: /Tilby boligen/ }));
  assert.match(await page.getByRole('status').innerText(), /er tilbudt og reservert/);
  await page.goto(husly.url + '/tildeling?prioritet=ja');
  await axeClean(page, 'priority-first round');

  const admin = await (await browser.newContext()).newPage();
  await login(admin, husly.url, 'demo-admin');
  await admin.getByRole('link', { name: 'Prioritetsregler' }).click();
  await axeClean(admin, 'priority rules');
  // The rules are rows of labelled fields; the waiting-time rule is the sixth.
  assert.equal(await admin.locator('#r6-kind').inputValue(), 'ventetid');
  await admin.fill('#r6-points', '10');
  await admin.fill('#r6-perdays', '7');
  await admin.fill('#r6-max', '100');
  await submit(admin, 'Vis virkningen');
  await admin.locator('#h-impact').waitFor();
  assert.match(await admin.locator('#h-impact + table caption').innerText(), /søkere får ny plass eller nye poeng/);
  await axeClean(admin, 'rule change impact');
  await submit(admin, 'Lagre som ny versjon');
  assert.match(await admin.getByRole('status').innerText(), /lagret som en ny versjon/);
  await admin.fill('#r6-perdays', '0');
  await submit(admin, 'Lagre som ny versjon');
  assert.match(await admin.locator('#error-summary').innerText(), /ventetid må gi poeng per 1 til 365 dager/);
  assert.equal(await admin.locator('#r6-perdays').getAttribute('aria-invalid'), 'true');
  assert.equal(await admin.locator('#r6-perdays').inputValue(), '0');
});

test('an allocation meeting from agenda to offer, with minutes', async () => {
  const page = await (await browser.newContext()).newPage();
  await login(page, husly.url, 'demo-saksbehandler');
  await page.goto(husly.url + '/tildeling/moter');
  await axeClean(page, 'meetings');
  await Promise.all([page.waitForURL(/\/tildeling\/moter\/\d+$/), page.getByRole('button', { name: 'Opprett møte med dagsorden' }).click()]);
  const meetingURL = page.url();
  await axeClean(page, 'a meeting with its agenda');
  await page.check('text=Tildelingskontoret');
  await page.locator('input[aria-label="Deltakere fra Tildelingskontoret"]').fill('Siri Saksbehandler');
  await submit(page, 'Lagre oppmøtet');
  assert.match(await page.getByRole('status').innerText(), /Oppmøtet er registrert/);
  const item = page.locator('article.agenda-item', { has: page.getByRole('radio', { name: /Godkjent/ }) }).first();
  const title = await item.locator('h3').innerText();
  // Deferring needs a reason: nothing is stored without one.
  await item.getByRole('radio', { name: 'Utsatt' }).check();
  await clickAndLoad(page, item.getByRole('button', { name: /Lagre avgjørelsen/ }));
  assert.match(await page.locator('#error-summary').innerText(), /skriv grunnen/);
  const again = page.locator('article.agenda-item', { hasText: title });
  await again.getByRole('radio', { name: /Godkjent/ }).check();
  await clickAndLoad(page, again.getByRole('button', { name: /Lagre avgjørelsen/ }));
  assert.match(await page.getByRole('status').innerText(), /Avgjørelsen er ført i referatet/);
  assert.match(await page.locator('article.agenda-item', { hasText: title }).innerText(), /Godkjent: tilbud sendt/);
  await axeClean(page, 'a meeting with a decision');
  const minutes = await page.request.get(meetingURL + '/referat.pdf');
  assert.equal((await minutes.body()).subarray(0, 4).toString(), '%PDF');
  await Promise.all([page.waitForURL(/\/saker\/\d+$/), page.locator('article.agenda-item', { hasText: title }).getByRole('link', { name: 'Se tilbudet i saken' }).click()]);
  assert.match(await page.locator('main').innerText(), /Bolig tilbudt/);
});
