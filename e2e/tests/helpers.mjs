// Shared setup for Husly's browser tests: a real `husly demo` on a free
// port and a fresh SQLite file, and Debian's Chromium driven by Playwright.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'husly-demo-2026';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function startHusly() {
  const dir = mkdtempSync(join(tmpdir(), 'husly-e2e-'));
  let bin = process.env.HUSLY_BIN;
  if (!bin) {
    bin = join(dir, 'husly');
    execFileSync('go', ['build', '-o', bin, './cmd/husly'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
  }
  const proc = spawn(bin, ['--db', 'sqlite:' + join(dir, 'demo.db'), 'demo', '--addr', process.env.HUSLY_E2E_ADDR || '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('husly demo did not start:\n' + out)), 20000);
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); ok(m[0]); }
    });
    proc.on('exit', (code) => fail(new Error('husly demo exited with ' + code + ':\n' + out)));
  });
  proc.stdout.resume();
  // stop waits for the server to exit before removing its directory: on
  // SIGTERM it writes a last audit checkpoint there, and removing the
  // directory while it does fails with ENOTEMPTY.
  const exited = new Promise((ok) => proc.on('exit', ok));
  return {
    url,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Playwright's 30 s for a navigation or an element is too short when two
// test files share a two-core machine: each page waits up to a minute.
const WAIT_MS = 60000;

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error('Chromium not found at ' + CHROMIUM + ' (apt-get install chromium)');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(WAIT_MS);
    context.setDefaultNavigationTimeout(WAIT_MS);
    return context;
  };
  return browser;
}

export async function login(page, base, username) {
  await page.goto(base + '/logg-inn');
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/logg-inn')), page.click('button[type=submit]')]);
}

// axeViolations runs axe-core with the WCAG 2.1 A and AA rules and returns
// a readable list of what fails.
export async function axeViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}
