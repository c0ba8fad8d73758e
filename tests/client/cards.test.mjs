// Every golden card the bot can send parses cleanly with Microsoft's adaptivecards renderer.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCard } from './lib/cards.mjs';
import { repoRoot } from './lib/env.mjs';

const goldenFolders = ['tests/CredentialBot.Tests/Golden', 'tests/CredentialBot.BotFramework.Tests/Golden'];
const cards = goldenFolders.flatMap(folder =>
  readdirSync(join(repoRoot, folder)).filter(f => f.endsWith('.card.json')).map(f => join(repoRoot, folder, f)));

test('there are golden cards to check', () => {
  assert.ok(cards.length >= 10, `found only ${cards.length} golden cards`);
});

for (const file of cards) {
  test(`${file.slice(repoRoot.length + 1)} parses with 0 events and fits in 28 KB`, () => {
    const card = JSON.parse(readFileSync(file, 'utf8'));
    const wireBytes = Buffer.byteLength(JSON.stringify(card));
    assert.ok(wireBytes <= 28 * 1024, `${wireBytes} bytes on the wire; Teams refuses cards over 28 KB`);
    assert.deepEqual(parseCard(card), []);
  });
}

test('the renderer check catches an unknown element', () => {
  const events = parseCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlok', text: 'typo' }] });
  assert.notDeepEqual(events, []);
});
