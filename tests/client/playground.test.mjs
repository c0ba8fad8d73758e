// A person chats with the real bot through the Microsoft 365 Agents Playground, the local Teams emulator:
// real Bot Framework activities in, real replies out, cards rendered by Microsoft's renderer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseCard } from './lib/cards.mjs';
import { waitFor } from './lib/env.mjs';
import { cardText, cardsOf, openLog, startBot, startPlayground } from './lib/processes.mjs';

let bot;
let playground;
let log;
let personal;

before(async () => {
  // Alex administers the Payroll scope, so the Playground shows a scoped admin's compliance card.
  bot = await startBot({
    AdminScopes__Scopes__0__Name: 'Payroll',
    AdminScopes__Scopes__0__People__0: '00000000-0000-0000-0000-0000000000020',
    AdminScopes__Scopes__0__Apps__0: 'name:Payroll*',
  });
  playground = await startPlayground(bot.url);
  log = await openLog(playground.base);
  personal = playground.config.personalChat.id;
});

after(async () => {
  log?.close();
  await playground?.stop();
  await bot?.stop();
});

async function say(text) {
  const before = log.fromBot(personal).length;
  const response = await fetch(`${playground.base}/_conversation/v1/conversations/${personal}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'text', text, textFormat: 'plain', from: { id: 'user-id-0' } }),
  });
  assert.equal(response.status, 200);
  // Replies carry replyToId; the proactive digest, which can arrive at any moment, does not.
  return waitFor(`a reply to "${text}"`, () => log.fromBot(personal).slice(before).find(a => a.replyToId));
}

test('the Playground is Alex Wilber in the demo tenant', () => {
  assert.equal(playground.config.currentUser.name, 'Alex Wilber');
  assert.equal(playground.config.currentUser.aadObjectId, '00000000-0000-0000-0000-0000000000020');
});

test('installing the bot greets Alex with a welcome card', async () => {
  const response = await fetch(`${playground.base}/_debug/conversation/${personal}/installation`, { method: 'POST' });
  assert.equal(response.status, 200);

  const isWelcome = a => cardsOf(a).some(c => /I'm CredentialBot/.test(cardText(c)));
  const welcome = await waitFor('the welcome card', () => log.fromBot(personal).find(isWelcome));
  const [card] = cardsOf(welcome);
  assert.match(cardText(card), /my apps/);
  assert.deepEqual(parseCard(card), []);
  await new Promise(r => setTimeout(r, 1000));
  assert.equal(log.fromBot(personal).filter(isWelcome).length, 1, 'one install greets once, although Teams sends two events');
});

test('after the greeting, Alex gets one digest of the credentials he must act on', async () => {
  const isDigest = a => cardsOf(a).some(c => /need you/.test(cardText(c)));
  const digest = await waitFor('the expiry digest', () => log.fromBot(personal).find(isDigest));

  const text = cardText(cardsOf(digest)[0]);
  for (const app of ['Payroll API', 'HR Portal', 'Build Pipeline']) {
    assert.match(text, new RegExp(app));
  }
  assert.doesNotMatch(text, /Contoso Expenses/, 'its business owner is told, not Alex');
  assert.deepEqual(parseCard(cardsOf(digest)[0]), []);
  await new Promise(r => setTimeout(r, 1000));
  assert.equal(log.fromBot(personal).filter(isDigest).length, 1, 'one digest per person per scan');
});

test('"my apps" lists the apps Alex owns, most urgent first, with their nearest expiry', async () => {
  const reply = await say('my apps');

  const [card] = cardsOf(reply);
  const text = cardText(card);
  for (const app of ['Payroll API', 'Contoso Expenses', 'Build Pipeline', 'Inventory Sync']) {
    assert.match(text, new RegExp(app.replace(/[()]/g, '\\$&')));
  }
  assert.match(text, /HR Portal/, 'a technical owner kept in the store counts');
  assert.doesNotMatch(text, /Sales Forecasting/, 'Megan\'s app is not Alex\'s');
  assert.ok(text.indexOf('Contoso Expenses') < text.indexOf('Inventory Sync'), 'an expired app comes before one with 400 days left');
  assert.deepEqual(parseCard(card), []);
});

test('"status Payroll API" shows its credentials, owners and findings', async () => {
  const reply = await say('status Payroll API');

  const [card] = cardsOf(reply);
  const text = cardText(card);
  assert.match(text, /prod-secret/);
  assert.match(text, /CN=payroll-api/);
  assert.match(text, /Alex Wilber/);
  assert.match(text, /Megan Bowen/);
  assert.deepEqual(parseCard(card), []);
});

test('Alex, a scoped admin of Payroll, gets the compliance of the Payroll apps only, naming his scope', async () => {
  const reply = await say('compliance');

  const [card] = cardsOf(reply);
  const text = cardText(card);
  assert.match(text, /Your scope\*\*: Payroll \(name:Payroll\\\*\)/);
  assert.match(text, /2 \(2 app registrations, 0 enterprise applications\)/);
  assert.doesNotMatch(text, /Travel Booking/);
  assert.deepEqual(parseCard(card), []);
});

test('an ambiguous name lists the choices', async () => {
  const reply = await say('status payroll');

  const text = cardText(cardsOf(reply)[0]);
  assert.match(text, /Payroll API\b/);
  assert.match(text, /Payroll API \(Staging\)/);
});

test('anything else gets a short hint toward help', async () => {
  const reply = await say('rotate everything now');

  assert.match(reply.text ?? cardText(cardsOf(reply)[0] ?? {}), /help/);
});

test('the message extension\'s "Find app" search returns the demo tenant\'s apps with live status cards', async () => {
  const response = await fetch(`${playground.base}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'composeExtension/query', value: { commandId: 'findApp', parameters: [{ name: 'query', value: 'payroll' }], queryOptions: { skip: 0, count: 25 } }, from: { id: 'user-id-0' }, conversation: { id: personal } }),
  });
  assert.equal(response.status, 200);
  const { composeExtension } = await response.json();

  assert.equal(composeExtension.type, 'result');
  assert.deepEqual(composeExtension.attachments.map(a => a.preview.content.title).sort(), ['Payroll API', 'Payroll API (Staging)']);
  for (const result of composeExtension.attachments) {
    assert.match(cardText(result.content), /Credentials/);
    assert.deepEqual(parseCard(result.content), []);
  }
});
