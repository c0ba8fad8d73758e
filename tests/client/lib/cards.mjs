// Microsoft's Adaptive Cards renderer, as Teams and the Playground use it, loaded in Node.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The package's lib/ ESM build does not load in Node; the UMD bundle does.
const AC = require('adaptivecards/dist/adaptivecards.js');

/** Parses a card and returns every parse warning or error the renderer reports (empty = clean). */
export function parseCard(card) {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    events.push(`${event.phase}/${event.event}: ${event.message}`);
  }
  return events;
}
