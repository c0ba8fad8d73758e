// Issue 17: following the README's demo order (start the bot, chat as Alex, then open the team channel), every demo
// person who owns something due gets their digest in a new 1:1 chat, created from the team's roster — in the real
// Agents Playground, whose roster names people "user-id-N".
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
  bot = await startBot();
  playground = await startPlayground(bot.url);
  log = await openLog(playground.base);
  personal = playground.config.personalChat.id;
});

after(async () => {
  log?.close();
  await playground?.stop();
  await bot?.stop();
});

async function install(conversation) {
  const response = await fetch(`${playground.base}/_debug/conversation/${conversation}/installation`, { method: 'POST' });
  assert.equal(response.status, 200);
}

/** Digests the bot sent anywhere but Alex's chat and the channel, by the person they went to. */
function digestsToOthers() {
  return log.entries
    .filter(e => e.from === 'User Application' && e.request?.body?.type === 'message' && e.conversationId !== personal && e.conversationId !== 'team-id')
    .filter(e => cardsOf(e.request.body).some(c => /before they break production/.test(cardText(c))))
    .map(e => ({ conversation: e.conversationId, card: cardsOf(e.request.body)[0] }));
}

test('the README demo order reaches every demo person who owns something due, once', async () => {
  // Start (the bot has scanned and planned), chat as Alex...
  await install(personal);
  await waitFor('Alex\'s digest', () => log.fromBot(personal).find(a => cardsOf(a).some(c => /need you/.test(cardText(c)))), 60000);
  assert.deepEqual(digestsToOthers(), [], 'nobody else can be reached before the bot is in a team');

  // ...then open the team channel: its roster has the other five demo people.
  await install('team-id');
  const digests = await waitFor('a digest for each of the other demo people', () => {
    const found = digestsToOthers();
    return new Set(found.map(d => d.conversation)).size >= 5 ? found : null;
  }, 60000);

  assert.equal(digests.length, 5, 'one digest per person, none twice');
  for (const { card } of digests) {
    assert.deepEqual(parseCard(card), []);
    assert.match(cardText(card), /you are told as its/);
  }
});
