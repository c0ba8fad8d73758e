import { startBot, startPlayground, openLog, cardsOf, cardText } from '/work/main/tests/client/lib/processes.mjs';
const bot = await startBot();
const pg = await startPlayground(bot.url);
const log = await openLog(pg.base);
console.log(JSON.stringify(pg.config).slice(0, 1500));
for (const id of ['team-id']) {
  const r = await fetch(`${pg.base}/_debug/conversation/${encodeURIComponent(id)}/installation`, { method: 'POST' });
  console.log('install', id, r.status, await r.text());
}
await new Promise(r => setTimeout(r, 2000));
console.log(log.entries.map(e => `${e.from} ${e.conversationId} ${e.request?.body?.type} ${e.request?.body?.name ?? ''}`).join('\n'));
// invoke as Adele: task/fetch elevate on Payroll
const inv = await fetch(`${pg.base}/_conversation/v1/invoke`, { method: 'POST', headers: {'content-type':'application/json'}, body: JSON.stringify({ name: 'task/fetch', value: { data: { msteams: {type:'task/fetch'}, dialog: 'elevate', app: '5f0c1a2b-7d3e-4a51-9b2c-000000000001' } }, from: { id: 'user-id-2' }, conversation: { id: pg.config.personalChat.id } }) });
console.log('invoke', inv.status, (await inv.text()).slice(0, 300));
await pg.stop(); await bot.stop();
