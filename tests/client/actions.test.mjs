// Acting from cards in the Microsoft 365 Agents Playground: Alex rotates a secret of an app he owns, asks for
// elevation on one he does not, Megan Bowen approves it in the team channel, and the audit shows all of it. Megan, an
// admin in the demo, then gets the compliance summary and imports owners from CSV (seeing every bad row of a broken
// file). The Playground's UI is always Alex, so Megan speaks through its custom-activity API.
// Playground 0.2.28 cannot open dialogs (its UI says task/fetch is not supported, its invoke API rejects it), so in
// local mode the bot draws dialog buttons as Action.Execute and shows each dialog step inside the card; see README.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { parseCard } from './lib/cards.mjs';
import { waitFor } from './lib/env.mjs';
import { buttonOf, cardText, cardsOf, formSubmit, openLog, startBot, startPlayground } from './lib/processes.mjs';

const Megan = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' };
const channel = 'team-id';
let bot;
let playground;
let log;
let personal;

before(async () => {
  bot = await startBot();
  playground = await startPlayground(bot.url);
  log = await openLog(playground.base);
  personal = playground.config.personalChat.id;
  for (const conversation of [personal, channel]) {
    const response = await fetch(`${playground.base}/_debug/conversation/${conversation}/installation`, { method: 'POST' });
    assert.equal(response.status, 200);
  }
  await waitFor('the welcome card in the team channel', () => log.messagesFromBot(channel).length > 0);
});

after(async () => {
  log?.close();
  await playground?.stop();
  await bot?.stop();
});

async function post(path, body) {
  const response = await fetch(`${playground.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  assert.equal(response.status, 200, `${path}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The next bot message in a conversation matching `match`, after `count` messages were there. */
function nextFromBot(conversation, count, match) {
  return waitFor(`a bot message in ${conversation}`, () => log.messagesFromBot(conversation).slice(count).find(m => cardsOf(m.activity).some(c => match.test(cardText(c)))));
}

async function say(text) {
  const count = log.messagesFromBot(personal).length;
  await post(`/_conversation/v1/conversations/${personal}/messages`, { type: 'text', text, textFormat: 'plain', from: { id: 'user-id-0' } });
  return waitFor(`a reply to "${text}"`, () => log.messagesFromBot(personal).slice(count).find(m => m.activity.replyToId));
}

/** Clicks a dialog button as Alex: the dialog opens inside the card, replacing it for him. */
async function open(message, title) {
  const button = buttonOf(cardsOf(message.activity)[0], title);
  assert.equal(button.type, 'Action.Execute');
  return execute(personal, message, 'user-id-0', button.verb, button.data);
}

/** Clicks an Action.Execute; the answer is the card that replaces it for the person who clicked. */
async function execute(conversation, message, from, verb, data) {
  const answer = await post('/_conversation/v1/invoke', { name: 'adaptiveCard/action', conversation: { id: conversation }, from: { id: from }, replyToId: message.id, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
  assert.equal(answer.type, "application/vnd.microsoft.card.adaptive", JSON.stringify(answer));
  return answer.value;
}

test('Alex rotates a secret of Payroll API, and its value reaches only his own card', async () => {
  const status = await say('status Payroll API');
  const form = await open(status, 'Rotate now');
  assert.match(cardText(form), /Rotate a secret of Payroll API/);
  assert.deepEqual(parseCard(form), []);

  const result = await execute(personal, status, 'user-id-0', 'dialog', formSubmit(form, 'Create the new secret', { lifetime: '90', grace: '7' }));

  assert.match(cardText(result), /shown only this once/);
  const secret = JSON.stringify(result).match(/"id":"secretValue"[^}]*"value":"([^"]+)"/)?.[1] ?? /"value":"([^"]+)"[^}]*"id":"secretValue"/.exec(JSON.stringify(result))?.[1];
  assert.ok(secret && secret.length >= 20, 'the new secret is shown');
  assert.deepEqual(parseCard(result), []);
  const sentByBot = JSON.stringify(log.entries.filter(e => e.from === 'User Application'));
  assert.ok(!sentByBot.includes(secret), 'no message the bot sent or updated carries the secret');
});

test('Alex asks for elevation on Sales Forecasting, and the approval card goes to the team channel', async () => {
  // One step: the right Alex lacks is obvious, so the answer is the form itself.
  const card = await say('elevate Sales Forecasting');
  const form = cardsOf(card.activity)[0];
  assert.match(cardText(form), /Request elevation on Sales Forecasting/);
  const inChannel = log.messagesFromBot(channel).length;

  const answer = await execute(personal, card, 'user-id-0', 'dialog', formSubmit(form, 'Send for approval', { justification: 'Rotate before the payroll run' }));

  assert.match(cardText(answer), /You asked to rotate the credentials on Sales Forecasting for/);
  assert.match(cardText(answer), /sent to the approval channel/);
  assert.match(cardText(answer), /Who decides: /);
  const approval = await nextFromBot(channel, inChannel, /asks to rotate the credentials of Sales Forecasting/);
  assert.match(cardText(cardsOf(approval.activity)[0]), /Rotate before the payroll run/);
});

test('Megan approves in the channel: the card updates in place and Alex is told when it ends', async () => {
  const approval = log.messagesFromBot(channel).findLast(m => cardsOf(m.activity).some(c => /asks to rotate the credentials/.test(cardText(c))));
  const count = log.messagesFromBot(personal).length;

  // A channel post is its own thread in the Playground: "<channel>;messageid=<post>".
  const updated = await execute(`${channel};messageid=${approval.id}`, approval, Megan.id, 'approveRequest', buttonOf(cardsOf(approval.activity)[0], 'Approve').data);

  assert.match(cardText(updated), /Approved by Megan Bowen/);
  assert.doesNotMatch(JSON.stringify(updated.actions ?? []), /Approve/);
  await waitFor('Alex to hear the outcome', () => log.messagesFromBot(personal).slice(count).find(m => /was approved by Megan Bowen.*ends at/s.test(cardText(cardsOf(m.activity)[0] ?? {}))));
  const status = await say('status Sales Forecasting');
  assert.ok(buttonOf(cardsOf(status.activity)[0], 'Rotate now'), 'with the grant, Alex may rotate that app');
});

test('Alex requests a new app registration, Megan approves it in the channel, and Alex gets its status card', async () => {
  const card = await say('request app');
  const form = cardsOf(card.activity)[0];
  assert.match(cardText(form), /Request a new app registration/);
  assert.deepEqual(parseCard(form), []);
  const inChannel = log.messagesFromBot(channel).length;

  const answer = await execute(personal, card, 'user-id-0', 'dialog', formSubmit(form, 'Send for approval', {
    name: 'Invoice Reader', purpose: 'Reads supplier invoices for the finance team', type: 'Daemon',
    technicalOwners: 'alexw@example.com', businessOwner: 'pattif@example.com', policy: 'Default app registrations',
  }));
  assert.match(cardText(answer), /sent to the approval channel/);

  const approval = await nextFromBot(channel, inChannel, /asks for a new app registration: Invoice Reader/);
  assert.deepEqual(parseCard(cardsOf(approval.activity)[0]), []);
  const count = log.messagesFromBot(personal).length;
  const updated = await execute(`${channel};messageid=${approval.id}`, approval, Megan.id, 'approveAppRequest', buttonOf(cardsOf(approval.activity)[0], 'Approve and create').data);

  assert.match(cardText(updated), /Approved by Megan Bowen/);
  assert.match(cardText(updated), /Created 'Invoice Reader'/);
  const status = await waitFor('Alex to get the new app\'s status card', () => log.messagesFromBot(personal).slice(count).find(m => /approved by Megan Bowen and created/.test(cardText(cardsOf(m.activity)[0] ?? {}))));
  assert.ok(buttonOf(cardsOf(status.activity)[0], 'Rotate now'), 'Alex, a technical owner, can create its first secret');
  assert.deepEqual(parseCard(cardsOf(status.activity)[0]), []);
});

/** Megan Bowen (an admin in the demo) @mentions the bot in the team channel; the answer is the bot's next card there. */
async function asMegan(text, match) {
  const base = log.entries.find(e => e.from !== 'User Application' && e.conversationId === channel && e.request?.body?.serviceUrl).request.body;
  const count = log.messagesFromBot(channel).length;
  await post('/_internal/v1/customActivities', {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: base.serviceUrl,
    channelId: 'msteams',
    from: Megan,
    recipient: base.recipient,
    conversation: base.conversation,
    channelData: base.channelData,
    text: `<at>${playground.config.bot.name}</at> ${text}`,
    entities: [{ type: 'mention', text: `<at>${playground.config.bot.name}</at>`, mentioned: { id: playground.config.bot.id, name: playground.config.bot.name } }],
  });
  return nextFromBot(channel, count, match);
}

test('the audit shows all of it: Megan reads it in the channel, Alex reads his own app\'s', async () => {
  const audit = cardText(cardsOf((await asMegan('audit Sales Forecasting', /Audit of Sales Forecasting/)).activity)[0]);
  assert.match(audit, /RequestElevation/);
  assert.match(audit, /DecideRequest/);
  assert.match(audit, /Approved/);

  const own = cardText(cardsOf((await say('audit Payroll API')).activity)[0]);
  assert.match(own, /RotateSecret/);
  assert.match(own, /Succeeded/);
});

test('an admin gets a correct compliance summary of the demo tenant', async () => {
  const card = cardsOf((await asMegan('compliance', /Compliance of the tenant/)).activity)[0];
  const text = cardText(card);

  assert.match(text, /25 \(20 app registrations, 5 enterprise applications\)/);
  assert.match(text, /Expired\n3\b/);
  assert.match(text, /Expiring within 7 days\n4\b/);
  assert.match(text, /Expiring within 30 days \(incl\. 7 days\)\n13\b/);
  assert.match(text, /Travel Booking/);
  assert.deepEqual(parseCard(card), []);
});

test('an admin sees every bad row of a broken CSV, then imports a good one', async () => {
  const broken = [
    'app,kind,person,ManageCredentials',
    'no-such-app,technical,isaiah@example.com,true',
    '1f2e3d4c-5b6a-4978-8a9b-000000000005,owner,isaiah@example.com,false',
    '1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,diegos@example.com,false',
  ].join('\n');
  const refused = cardText(cardsOf((await asMegan(`import owners\n${broken}`, /bad rows/)).activity)[0]);
  assert.match(refused, /3 bad rows: nothing was imported/);
  assert.match(refused, /2\nunknown app 'no-such-app'/);
  assert.match(refused, /3\nbad kind 'owner'/);
  assert.match(refused, /4\nDiego Siciliani's account is disabled/);

  const good = ['app,kind,person,ManageCredentials', '1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true'].join('\n');
  const preview = await asMegan(`import owners\n${good}`, /Import 1 owner\?/);
  const done = await execute(`${channel};messageid=${preview.id}`, preview, Megan.id, 'importOwners', buttonOf(cardsOf(preview.activity)[0], 'Import 1 owner').data);
  assert.match(cardText(done), /Imported 1 owner/);
});
