// The package verb builds a Teams app package that Microsoft's own manifest validator accepts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { hostDll, repoRoot } from './lib/env.mjs';

const require = createRequire(import.meta.url);
const { AppManifestUtils } = require('@microsoft/app-manifest');
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'cb-manifest-'));
let stdout;

before(async () => {
  const dll = hostDll();
  ({ stdout } = await run('dotnet', [dll, 'package', '--env', 'local', '--root', repoRoot, '--out', out], { cwd: dirname(dll) }));
});

after(() => rmSync(out, { recursive: true, force: true }));

test('the package verb says where the zip is', () => {
  assert.match(stdout, /appPackage\.local\.zip/);
});

test('the rendered manifest passes Microsoft\'s v1.24 schema validator', async () => {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.local.json'), 'utf8'));
  assert.equal(manifest.manifestVersion, '1.24');
  assert.deepEqual(await AppManifestUtils.validateAgainstSchema(manifest), []);
});

test('the validator rejects the classic mistakes, so the check above means something', async () => {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.local.json'), 'utf8'));
  manifest.bots[0].scopes = ['personal', 'groupchat'];
  manifest.id = 'not-a-guid';
  assert.ok((await AppManifestUtils.validateAgainstSchema(manifest)).length >= 2);
});

test('a missing environment fails with a message naming the file', async () => {
  await assert.rejects(
    run('dotnet', [hostDll(), 'package', '--env', 'nowhere', '--root', repoRoot, '--out', out]),
    error => error.code === 1 && /\.env\.nowhere/.test(error.stdout));
});
