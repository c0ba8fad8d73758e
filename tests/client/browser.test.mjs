// The same conversation in a real browser: Chromium drives the Playground's Teams-like UI, clicking the card
// buttons a person would click. UPDATE_SCREENSHOT=1 refreshes docs/images/playground.png for the README.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { repoRoot } from './lib/env.mjs';
import { startBot, startPlayground } from './lib/processes.mjs';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let bot;
let playground;
let browser;
let page;

before(async () => {
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath}: apt-get install -y chromium fonts-liberation (test.sh does this)`);
  bot = await startBot();
  playground = await startPlayground(bot.url);
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Offline machine: fonts and CDNs would only time out.
  await context.route(url => !['127.0.0.1', 'localhost'].includes(new URL(url).hostname), route => route.abort());
  page = await context.newPage();
  await page.goto(playground.base);
});

after(async () => {
  await browser?.close();
  await playground?.stop();
  await bot?.stop();
});

const cards = () => page.locator('.ac-adaptiveCard');

test('opening the chat shows the welcome card', async () => {
  await cards().filter({ hasText: 'CredentialBot' }).first().waitFor({ timeout: 30000 });
});

test('clicking "My apps" on the welcome card shows Alex\'s apps', async () => {
  await page.locator('.ac-actionSet button', { hasText: 'My apps' }).first().click();

  const myApps = cards().filter({ hasText: 'Your apps' }).last();
  await myApps.waitFor({ timeout: 20000 });
  assert.match(await myApps.innerText(), /Contoso Expenses/);
  if (process.env.UPDATE_SCREENSHOT === '1') {
    await page.screenshot({ path: join(repoRoot, 'docs/images/playground.png') });
  }
});

test('typing "status Payroll API" shows its status card', async () => {
  const before = await cards().count();
  const compose = page.locator('[role="textbox"][contenteditable="true"]');
  await compose.click();
  await compose.fill('status Payroll API');
  await page.locator('[aria-label="Send Message"]').click();

  await page.waitForFunction(n => document.querySelectorAll('.ac-adaptiveCard').length > n, before, { timeout: 20000 });
  assert.match(await cards().last().innerText(), /prod-secret/);
});

test('"Snooze 7 days" on the expiry digest updates the card in place', async () => {
  const digest = cards().filter({ hasText: 'need you' }).first();
  await digest.waitFor({ timeout: 20000 });
  await digest.locator('.ac-actionSet button', { hasText: 'Snooze 7 days' }).first().click();

  await digest.filter({ hasText: 'Snoozed by Alex Wilber until' }).waitFor({ timeout: 20000 });
});
