// Where things are: the repository, the built host, and free loopback ports.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The host assembly test.sh builds (Release), or a Debug build when run by hand; CREDENTIALBOT_DLL overrides. */
export function hostDll() {
  const candidates = [
    process.env.CREDENTIALBOT_DLL,
    join(repoRoot, 'src/CredentialBot/bin/Release/net10.0/CredentialBot.dll'),
    join(repoRoot, 'src/CredentialBot/bin/Debug/net10.0/CredentialBot.dll'),
  ].filter(Boolean);
  const found = candidates.find(p => existsSync(p));
  if (!found) {
    throw new Error(`CredentialBot.dll not found; build first (dotnet build -c Release). Looked in:\n${candidates.join('\n')}`);
  }
  return found;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export const delay = ms => new Promise(r => setTimeout(r, ms));

/** Polls until fn returns a truthy value, or fails naming what it waited for. */
export async function waitFor(what, fn, timeoutMs = 20000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await delay(everyMs);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}
