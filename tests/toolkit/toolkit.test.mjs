// The Microsoft 365 Agents Toolkit's own checks, offline: m365agents.yml and m365agents.local.yml against the yaml
// schema the CLI ships, the variables each step needs, and the app manifest through the CLI's validator.
// What needs a Microsoft 365 or Azure sign-in (provision, deploy, the Developer Portal's package rules) is not run here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { hostDll, repoRoot } from '../client/lib/env.mjs';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const Ajv = require('ajv');
const run = promisify(execFile);
const cli = join(dirname(require.resolve('@microsoft/m365agentstoolkit-cli/package.json')), 'cli.js');
const schemaPath = join(dirname(require.resolve('@microsoft/teamsfx-core/package.json')), 'resource/yaml-schema/v1.11/yaml.schema.json');
const out = mkdtempSync(join(tmpdir(), 'cb-toolkit-'));
const toolkitEnv = { ...process.env, TEAMSFX_TELEMETRY_TEST: 'true', NO_COLOR: '1' };

const projectFile = name => yaml.load(readFileSync(join(repoRoot, name), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
const problems = document => (validate(document) ? [] : validate.errors.map(e => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));

/** KEY=VALUE names of an environment file (the Toolkit's and the package verb's format). */
const envNames = file => new Set(readFileSync(join(repoRoot, 'appPackage/env', file), 'utf8').split('\n')
  .map(l => l.trim()).filter(l => l && !l.startsWith('#')).map(l => l.split('=')[0]));
const placeholders = text => [...text.matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map(m => m[1]);
const bicepOutputs = () => [...readFileSync(join(repoRoot, 'infra/azure.bicep'), 'utf8').matchAll(/^output (\w+) /gm)].map(m => m[1]);

/**
 * Walks a lifecycle step by step: each variable a step uses must be set by hand in the environment file, be a Toolkit
 * built-in, a secret from the .user file, or have been written by an earlier step (writeToEnvironmentFile, arm/deploy
 * outputs).
 * The script step's variables are the ones infra/setup-identity.sh requires.
 */
function undefinedVariables(document, env, builtIns) {
  // What a step writes is unknown until it runs, even where the environment file lists it (empty) for the reader.
  const steps = Object.values(document).filter(Array.isArray).flat();
  const written = new Set(steps.flatMap(s => Object.values(s.writeToEnvironmentFile ?? {})
    .concat(s.uses === 'arm/deploy' ? bicepOutputs() : [])));
  const known = new Set([...env, ...builtIns].filter(name => !written.has(name)));
  const missing = [];
  for (const [stage, steps] of Object.entries(document).filter(([, v]) => Array.isArray(v))) {
    for (const step of steps) {
      let used = placeholders(JSON.stringify(step.with ?? {}));
      if (step.uses === 'arm/deploy') {
        used = used.concat(step.with.templates.flatMap(t => placeholders(readFileSync(join(repoRoot, t.parameters), 'utf8'))));
      }
      if (step.uses === 'script') {
        const script = readFileSync(join(repoRoot, step.with.run.split(' ').pop()), 'utf8');
        used = used.concat([...script.matchAll(/^: "\$\{(\w+):\?/gm)].map(m => m[1]));
      }
      missing.push(...used.filter(name => !known.has(name) && !name.startsWith('SECRET_')).map(name => `${stage}/${step.uses}: ${name}`));
      Object.values(step.writeToEnvironmentFile ?? {}).forEach(name => known.add(name));
      if (step.uses === 'arm/deploy') bicepOutputs().forEach(name => known.add(name));
    }
  }
  return missing;
}

before(async () => {
  // The manifest as provision renders it for a production environment: the same verb, ids as provision writes them.
  const ids = {
    TEAMS_APP_ID: '0c0f2ba8-7c1a-4d62-9d3b-3d8a7ad1a001', BOT_ID: '0c0f2ba8-7c1a-4d62-9d3b-3d8a7ad1a002',
    DEVELOPER_NAME: 'Contoso IT', DEVELOPER_WEBSITE_URL: 'https://contoso.example/credentialbot',
    DEVELOPER_PRIVACY_URL: 'https://contoso.example/privacy', DEVELOPER_TERMS_URL: 'https://contoso.example/terms',
  };
  await run('dotnet', [hostDll(), 'package', '--env', 'dev', '--root', repoRoot, '--out', out], { env: { ...process.env, ...ids } });
});

after(() => rmSync(out, { recursive: true, force: true }));

for (const file of ['m365agents.yml', 'm365agents.local.yml']) {
  test(`${file} follows the Toolkit's yaml schema (v1.11, as the CLI ships it)`, () => {
    assert.deepEqual(problems(projectFile(file)), []);
  });
}

test('the schema check has teeth: a misspelled input and an unknown action are caught', () => {
  const document = projectFile('m365agents.yml');
  document.provision.find(s => s.uses === 'teamsApp/validateManifest').with = { manifestFile: './x.json' };
  document.deploy.push({ uses: 'azureAppService/deployEverything', with: {} });
  assert.ok(problems(document).length >= 2);
});

test('every variable a production step uses is defined before that step runs', () => {
  const missing = undefinedVariables(projectFile('m365agents.yml'), envNames('.env.dev'), ['TEAMSFX_ENV']);
  assert.deepEqual(missing, []);
});

test('every variable a local step uses is defined before that step runs', () => {
  const missing = undefinedVariables(projectFile('m365agents.local.yml'), envNames('.env.local'), ['TEAMSFX_ENV', 'TEAMS_APP_TENANT_ID']);
  assert.deepEqual(missing, []);
});

test('the variable check has teeth: a step that reads what a later step writes is caught', () => {
  const document = projectFile('m365agents.yml');
  document.provision.reverse();
  assert.ok(undefinedVariables(document, envNames('.env.dev'), ['TEAMSFX_ENV']).length > 0);
});

test('the files the lifecycles name exist', () => {
  for (const file of ['m365agents.yml', 'm365agents.local.yml']) {
    for (const step of Object.values(projectFile(file)).filter(Array.isArray).flat()) {
      for (const template of step.with?.templates ?? []) {
        assert.ok(existsSync(join(repoRoot, template.path)), template.path);
        assert.ok(existsSync(join(repoRoot, template.parameters)), template.parameters);
      }
      if (step.uses === 'script') assert.ok(existsSync(join(repoRoot, step.with.run.split(' ').pop())), step.with.run);
      if (step.uses === 'cli/runDotnetCommand') assert.match(step.with.args, /src\/CredentialBot\b/);
    }
  }
});

test('the production manifest passes the Toolkit CLI\'s manifest validator, offline', async () => {
  const { stdout } = await run('node', [cli, 'validate', '--manifest-file', join(out, 'manifest.dev.json'), '--telemetry', 'false'], { env: toolkitEnv, timeout: 120000 });
  assert.match(stdout, /All passed/);
});

test('the Toolkit validator rejects a broken manifest, so the check above means something', async () => {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.dev.json'), 'utf8'));
  manifest.bots[0].scopes = ['personal', 'groupchat'];
  const broken = join(out, 'broken.json');
  writeFileSync(broken, JSON.stringify(manifest));
  await assert.rejects(run('node', [cli, 'validate', '--manifest-file', broken, '--telemetry', 'false'], { env: toolkitEnv, timeout: 120000 }));
});
