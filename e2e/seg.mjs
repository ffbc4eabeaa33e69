import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:18700';
const [role, width, path, ...offs] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const ctx = await browser.newContext({ viewport: { width: +width, height: 1400 } });
const page = await ctx.newPage();
if (role !== 'anon') {
await page.goto(base + '/logg-inn');
await page.fill('#username', role); await page.fill('#password', 'husly-demo-2026');
await Promise.all([page.waitForURL(u => !u.pathname.startsWith('/logg-inn')), page.click('button[type=submit]')]);
}
await page.goto(base + path);
console.log('scrollWidth', await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.documentElement.scrollHeight]));
let i = 0;
for (const o of (offs.length ? offs : ['0'])) { await page.evaluate((y) => window.scrollTo(0, y), +o); await page.screenshot({ path: `/tmp/resident/survey/seg-${i++}.png` }); }
await browser.close();
