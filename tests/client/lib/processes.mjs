// Starts the real bot (local mode) and the Microsoft 365 Agents Playground as child processes on free ports.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { freePort, hostDll, repoRoot, waitFor } from './env.mjs';

function track(child, name) {
  const output = [];
  child.stdout.on('data', d => output.push(d.toString()));
  child.stderr.on('data', d => output.push(d.toString()));
  return {
    output: () => output.join(''),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    assertRunning() {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.join('')}`);
    },
  };
}

/**
 * The bot in local mode: no configuration, its own SQLite file, the embedded Simulator as the tenant. `settings` adds
 * environment settings (e.g. `AdminScopes__Scopes__0__Name`).
 */
export async function startBot(settings = {}) {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'cb-bot-'));
  const dll = hostDll();
  const child = spawn('dotnet', [dll], {
    cwd: dirname(dll),
    env: { ...process.env, ...settings, Urls: `http://127.0.0.1:${port}`, Store__ConnectionString: `Data Source=${join(scratch, 'bot.db')}` },
  });
  const process_ = track(child, 'CredentialBot');
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the bot to report ready', async () => {
    process_.assertRunning();
    const response = await fetch(`${url}/readyz`);
    return response.ok;
  }, 60000, 250);
  return {
    url,
    output: process_.output,
    async stop() {
      await process_.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** The Playground pointed at the bot, run from a scratch folder (it writes devTools/ logs into its cwd). */
export async function startPlayground(botUrl) {
  const requested = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'cb-playground-'));
  const cli = join(repoRoot, 'tests/client/node_modules/@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, [cli, 'start', '-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(requested), '--dt'], {
    cwd: scratch,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
  });
  const process_ = track(child, 'Agents Playground');
  // It silently moves to another port when the requested one is taken: read the real one.
  const port = await waitFor('the Playground to listen', () => {
    process_.assertRunning();
    return Number(/Listening on (\d+)/.exec(process_.output())?.[1]);
  }, 30000);
  const base = `http://127.0.0.1:${port}`;
  const config = (await (await fetch(`${base}/_internal/v1/testConfig`)).json()).config;
  return {
    base,
    config,
    output: process_.output,
    async stop() {
      await process_.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Everything the Playground exchanges with the bot, both ways, from its log websocket. */
export async function openLog(base) {
  const entries = [];
  const socket = new WebSocket(`${base.replace('http', 'ws')}/_ws/log/stream`);
  socket.on('message', message => {
    const parsed = JSON.parse(message.toString());
    if (parsed.log) entries.push(parsed.log);
  });
  await new Promise((resolveOpen, reject) => {
    socket.once('open', resolveOpen);
    socket.once('error', reject);
  });
  return {
    entries,
    /** Activities the bot sent to a conversation, oldest first. */
    fromBot(conversationId) {
      return entries
        .filter(e => e.from === 'User Application' && e.conversationId === conversationId && e.request?.body?.type === 'message')
        .sort((a, b) => a.timestamp - b.timestamp)
        .map(e => e.request.body);
    },
    /** The same, each with the id the Playground gave the message (what a card action's replyToId names). */
    messagesFromBot(conversationId) {
      return entries
        .filter(e => e.from === 'User Application' && e.conversationId === conversationId && e.request?.body?.type === 'message' && e.messageId)
        .sort((a, b) => a.timestamp - b.timestamp)
        .map(e => ({ id: e.messageId, activity: e.request.body }));
    },
    close: () => socket.close(),
  };
}

export function cardsOf(activity) {
  return (activity.attachments ?? []).filter(a => a.contentType === 'application/vnd.microsoft.card.adaptive').map(a => a.content);
}

/** The button titled `title` anywhere in a card (card actions or action sets). */
export function buttonOf(card, title) {
  let found;
  JSON.stringify(card, (key, value) => {
    if (!found && value && typeof value === 'object' && typeof value.type === 'string' && value.type.startsWith('Action.') && value.title === title) found = value;
    return value;
  });
  if (!found) throw new Error(`No button titled "${title}" in ${JSON.stringify(card).slice(0, 400)}`);
  return found;
}

/** What Teams posts for a dialog's submit button: its data with every input's current value merged in. */
export function formSubmit(card, buttonTitle, inputs = {}) {
  const data = { ...buttonOf(card, buttonTitle).data };
  JSON.stringify(card, (key, value) => {
    if (value && typeof value === 'object' && typeof value.type === 'string' && value.type.startsWith('Input.') && typeof value.value === 'string') data[value.id] = value.value;
    return value;
  });
  return { ...data, ...inputs };
}

/** All text in a card, for assertions that read like what a person sees. */
export function cardText(card) {
  const texts = [];
  JSON.stringify(card, (key, value) => {
    if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') texts.push(value);
    return value;
  });
  return texts.join('\n');
}
