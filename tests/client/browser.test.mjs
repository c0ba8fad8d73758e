// The same conversation in a real browser: Chromium drives the Playground's Teams-like UI, clicking the card
// buttons a person would click. UPDATE_SCREENSHOT=1 refreshes docs/images/playground.png for the README.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { repoRoot } from './lib/env.mjs';
import { openLog, startBot, startPlayground } from './lib/processes.mjs';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let bot;
let playground;
let browser;
let page;
let log;

before(async () => {
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath}: apt-get install -y chromium fonts-liberation (test.sh does this)`);
  bot = await startBot();
  playground = await startPlayground(bot.url);
  // The log stream buffers until its first client: connect before the UI.
  log = await openLog(playground.base);
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
  log?.close();
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

test('"Rotate now" opens the rotation form in the card, and creating the secret shows its value once, in place', async () => {
  const status = cards().filter({ hasText: 'prod-secret' }).last();
  await status.locator('.ac-actionSet button', { hasText: 'Rotate now' }).first().click();

  // The Playground cannot open dialogs, so in local mode the form opens inside the card.
  const form = cards().filter({ hasText: 'Rotate a secret of Payroll API' }).last();
  await form.waitFor({ timeout: 20000 });
  await form.locator('.ac-actionSet button', { hasText: 'Create the new secret' }).click();

  // The answer replaces the form for Alex alone; it is never posted into the chat.
  const shown = cards().filter({ hasText: 'shown only this once' });
  await shown.waitFor({ timeout: 20000 });
  assert.equal(await cards().filter({ hasText: 'Rotate a secret of Payroll API' }).count(), 0, 'the form was replaced in place');
});

test('"Rotate certificate" on the status card adds a pasted public certificate, in place', async () => {
  // A fresh self-signed public certificate, within the policy's lifetime; the private key goes to /dev/null.
  const pem = execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=payroll-api-next', '-days', '180'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const before = await cards().count();
  const compose = page.locator('[role="textbox"][contenteditable="true"]');
  await compose.click();
  await compose.fill('status Payroll API');
  await page.locator('[aria-label="Send Message"]').click();
  await page.waitForFunction(n => document.querySelectorAll('.ac-adaptiveCard').length > n, before, { timeout: 20000 });

  await cards().last().locator('.ac-actionSet button', { hasText: 'Rotate certificate' }).first().click();
  const form = cards().filter({ hasText: 'Rotate a certificate of Payroll API' }).last();
  await form.waitFor({ timeout: 20000 });
  await form.locator('textarea').fill(pem);
  await form.locator('.ac-actionSet button', { hasText: 'Rotate the certificate' }).click();

  const rotated = cards().filter({ hasText: 'New certificate for Payroll API' });
  await rotated.waitFor({ timeout: 20000 });
  const text = await rotated.innerText();
  assert.match(text, /CN=payroll-api-next/);
  assert.match(text, /CN=payroll-api, removed on/);
  assert.equal(await cards().filter({ hasText: 'Rotate a certificate of Payroll API' }).count(), 0, 'the form was replaced in place');
});

test('Approve on an elevation request in the team channel updates the card in place', async () => {
  await page.getByRole('treeitem', { name: 'My Team - General' }).click();
  const welcome = await waitForBotMessage('team-id', () => true);

  // Adele Vance asks for elevation on Payroll API (which Alex owns) from her own client.
  const response = await fetch(`${playground.base}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'adaptiveCard/action',
      conversation: { id: `team-id;messageid=${welcome.id}` },
      from: { id: 'user-id-2' },
      replyToId: welcome.id,
      value: { action: { type: 'Action.Execute', verb: 'dialog', data: { dialog: 'elevate', app: '5f0c1a2b-7d3e-4a51-9b2c-000000000001', right: 'ManageCredentials', minutes: '60', justification: 'Payroll hotfix' } }, trigger: 'manual' },
    }),
  });
  assert.equal(response.status, 200, await response.text());

  const request = cards().filter({ hasText: 'Adele Vance asks to rotate the credentials of Payroll API' }).last();
  await request.waitFor({ timeout: 20000 });
  await request.locator('.ac-actionSet button', { hasText: 'Approve' }).click();

  await cards().filter({ hasText: 'Approved by Alex Wilber' }).first().waitFor({ timeout: 20000 });
});

async function waitForBotMessage(conversation, match) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    const found = log.messagesFromBot(conversation).find(match);
    if (found) return found;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`No bot message in ${conversation}`);
}
